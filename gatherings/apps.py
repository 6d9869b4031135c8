from django.utils.translation import gettext_lazy as _

from network import apps as network_apps


class GatheringsConfig(network_apps.ProgrammePartConfig):
    name = "gatherings"
    verbose_name = _("Gatherings")

    def registrations(self):
        from municipalities.page_blocks import final_report_blocks, project_blocks
        from network.page_blocks import home_blocks, my_pages_blocks, network_blocks

        from . import page_blocks, services

        return [
            (home_blocks, page_blocks.home_gatherings_block, page_blocks.home_resources_block),
            (network_blocks, page_blocks.network_gatherings_block),
            (my_pages_blocks, page_blocks.my_gatherings_block),
            (project_blocks, page_blocks.project_tasks_block),
            (final_report_blocks, page_blocks.final_report_gatherings_block),
            *services.personal_data.registrations(),
        ]
