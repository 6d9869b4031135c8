from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    programme_2012_loader = "municipalities.seed.programme_2012.load"
    programme_exporter = "municipalities.open_data.contribute"
    programme_importer = "municipalities.open_data.absorb"
    national_dataset_generator = "municipalities.seed.national_dataset.generate"
    verbose_name = _("Municipalities and local projects")

    def ready(self):
        from network import page_blocks
        from network import rules as network_rules

        from . import page_blocks as own
        from . import rules

        # The user's participations and facilitated networks: one query (municipalities.rules).
        network_rules.combined_role_loader = rules.load_roles

        page_blocks.network_list_annotators["local_project_count"] = own.with_local_project_count
        page_blocks.network_blocks.register(own.network_projects_block)
        page_blocks.network_blocks.register(own.network_stories_block)
        for section in (
            own.my_local_projects_block,
            own.my_network_projects_block,
            own.my_invitations_block,
            own.my_deletion_requests_block,
            own.my_final_reports_block,
        ):
            page_blocks.my_pages_blocks.register(section)

        from core import personal_data, scheduler

        from . import report_archives, services

        # ZIP files of final reports are deleted, with their rows, once they expire.
        scheduler.register(
            "purge_report_archives", timedelta(hours=1), report_archives.purge_expired
        )

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
