from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from network import apps as network_apps


class MunicipalitiesConfig(network_apps.ProgrammePartConfig):
    name = "municipalities"
    verbose_name = _("Municipalities and local projects")

    def registrations(self):
        from core import scheduler
        from network.page_blocks import my_pages_blocks, network_blocks, network_list_annotators

        from . import page_blocks, report_archives, services

        return [
            (
                network_list_annotators,
                {"local_project_count": page_blocks.with_local_project_count},
            ),
            (network_blocks, page_blocks.network_projects_block, page_blocks.network_stories_block),
            (
                my_pages_blocks,
                page_blocks.my_local_projects_block,
                page_blocks.my_network_projects_block,
                page_blocks.my_invitations_block,
                page_blocks.my_deletion_requests_block,
                page_blocks.my_final_reports_block,
            ),
            # ZIP files of final reports are deleted, with their rows, once they expire.
            (
                scheduler.register,
                ("purge_report_archives", timedelta(hours=1), report_archives.purge_expired),
            ),
            *services.personal_data.registrations(),
        ]

    def ready(self):
        from network import rules as network_rules

        from . import rules

        # The user's participations and facilitated networks: one query (municipalities.rules).
        network_rules.combined_role_loader = rules.load_roles
        super().ready()
