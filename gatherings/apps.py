from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "gatherings"
    programme_2012_loader = "gatherings.seed.programme_2012.load"
    programme_exporter = "gatherings.open_data.contribute"
    programme_importer = "gatherings.open_data.absorb"
    national_dataset_generator = "gatherings.seed.national_dataset.generate"
    verbose_name = _("Gatherings")

    def ready(self):
        from municipalities.page_blocks import final_report_blocks, project_blocks
        from network import page_blocks

        from . import page_blocks as own

        page_blocks.home_blocks.register(own.home_gatherings_block)
        page_blocks.home_blocks.register(own.home_resources_block)
        page_blocks.network_blocks.register(own.network_gatherings_block)
        page_blocks.my_pages_blocks.register(own.my_gatherings_block)
        project_blocks.register(own.project_tasks_block)
        final_report_blocks.register(own.final_report_gatherings_block)

        from core import personal_data

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
