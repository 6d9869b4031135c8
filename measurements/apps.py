from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from network import apps as network_apps


class MeasurementsConfig(network_apps.ProgrammePartConfig):
    name = "measurements"
    verbose_name = _("Measurements")

    def registrations(self):
        from core import scheduler
        from municipalities.page_blocks import (
            final_report_blocks,
            project_annotators,
            project_blocks,
        )
        from network.page_blocks import NavEntry, my_pages_blocks, nav_entries

        from . import exports, page_blocks, rules, services

        return [
            (
                scheduler.register,
                (
                    "round_closing_reminders",
                    timedelta(hours=1),
                    services.send_round_closing_reminders,
                ),
                ("purge_overview_exports", timedelta(days=1), _purge_exports),
            ),
            (project_blocks, page_blocks.project_progress_block),
            (final_report_blocks, page_blocks.final_report_progress_block),
            (project_annotators, {"results_published": rules.with_publication}),
            (my_pages_blocks, page_blocks.report_block, page_blocks.follow_up_block),
            (
                nav_entries,
                NavEntry(
                    key="progress",
                    label=_("Progress"),
                    url_name="measurements:overview",
                    namespace="measurements",
                    perm="measurements.view_overview",
                    my_pages_label=_("Progress of the local projects"),
                ),
            ),
            *services.personal_data.registrations(),
            *exports.personal_data.registrations(),
        ]


def _purge_exports() -> None:
    from django.utils import timezone

    from .exports import purge_expired_exports

    purge_expired_exports(now=timezone.now())
