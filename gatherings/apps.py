from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "gatherings"
    programme_2012_loader = "gatherings.programme_2012.load"
    programme_exporter = "gatherings.export.contribute"
    national_dataset_generator = "gatherings.national_dataset.generate"
    verbose_name = _("Gatherings")

    def ready(self):
        from municipalities.sections import project_sections
        from network import sections

        from . import sections as own

        sections.home_sections.register(own.home_gatherings_section)
        sections.home_sections.register(own.home_resources_section)
        sections.network_sections.register(own.network_gatherings_section)
        sections.my_pages_sections.register(own.my_gatherings_section)
        project_sections.register(own.project_tasks_section)

        from network import personal_data

        from . import services

        personal_data.retention_steps.register(
            personal_data.RetentionStep(
                key="health_data",
                label=_("Registrations whose diet and allergy notes were deleted"),
                run=services.purge_health_data,
                order=10,
            )
        )
        personal_data.retention_steps.register(
            personal_data.RetentionStep(
                key="outbox",
                label=_("Outbox recipients anonymised (removed participants)"),
                run=services.anonymise_outbox_recipients,
                order=20,
            )
        )
        personal_data.subject_parts.register(
            personal_data.SubjectPart(
                key="registrations",
                label=_("Your registrations for gatherings"),
                collect=services.collect_registrations,
                erase=services.erase_registrations,
                order=20,
            )
        )
