from django.utils.translation import gettext_lazy as _

from network import apps as network_apps


class GatheringsConfig(network_apps.ProgrammePartConfig):
    name = "gatherings"
    verbose_name = _("Gatherings")

    def registrations(self):
        from core.personal_data import RetentionStep, SubjectPart, retention_steps, subject_parts
        from municipalities.page_blocks import final_report_blocks, project_blocks
        from network.page_blocks import home_blocks, my_pages_blocks, network_blocks

        from . import page_blocks, services

        return [
            (home_blocks, page_blocks.home_gatherings_block, page_blocks.home_resources_block),
            (network_blocks, page_blocks.network_gatherings_block),
            (my_pages_blocks, page_blocks.my_gatherings_block),
            (project_blocks, page_blocks.project_tasks_block),
            (final_report_blocks, page_blocks.final_report_gatherings_block),
            (
                retention_steps,
                RetentionStep(
                    key="health_data",
                    label=_("Registrations whose diet and allergy notes were deleted"),
                    run=services.purge_health_data,
                    order=10,
                ),
                RetentionStep(
                    key="outbox",
                    label=_("Outbox recipients anonymised (removed participants)"),
                    run=services.anonymise_outbox_recipients,
                    order=20,
                ),
            ),
            (
                subject_parts,
                SubjectPart(
                    key="registrations",
                    label=_("Your registrations for gatherings"),
                    collect=services.collect_registrations,
                    erase=services.erase_registrations,
                    order=20,
                ),
            ),
        ]
