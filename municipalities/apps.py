from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    programme_2012_loader = "municipalities.programme_2012.load"
    programme_exporter = "municipalities.export.contribute"
    national_dataset_generator = "municipalities.national_dataset.generate"
    verbose_name = _("Municipalities and local projects")

    def ready(self):
        from network import rules as network_rules
        from network import sections

        from . import rules
        from . import sections as own

        # The user's participations and facilitated networks: one query (municipalities.rules).
        network_rules.combined_role_loader = rules.load_roles

        sections.network_list_annotators["local_project_count"] = own.with_local_project_count
        sections.network_sections.register(own.network_projects_section)
        sections.network_sections.register(own.network_stories_section)
        for section in (
            own.my_local_projects_section,
            own.my_network_projects_section,
            own.my_invitations_section,
            own.my_deletion_requests_section,
        ):
            sections.my_pages_sections.register(section)

        from network import personal_data

        from . import services

        personal_data.retention_steps.register(
            personal_data.RetentionStep(
                key="invitations",
                label=_("Invitations anonymised (expired or of deleted people)"),
                run=services.anonymise_invitations,
                order=50,
            )
        )
        for part in (
            personal_data.SubjectPart(
                key="participations",
                label=_("Your participation in local projects"),
                collect=services.collect_participations,
                erase=services.erase_participations,
                order=50,
            ),
            personal_data.SubjectPart(
                key="invitations",
                label=_("Invitations sent to you"),
                collect=services.collect_invitations,
                order=60,
            ),
            personal_data.SubjectPart(
                key="authored",
                label=_("Stories and page versions you wrote"),
                collect=services.collect_authored,
                order=70,
            ),
        ):
            personal_data.subject_parts.register(part)
