from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementsConfig(AppConfig):
    name = "measurements"
    programme_2012_loader = "measurements.seed.programme_2012.load"
    programme_exporter = "measurements.open_data.contribute"
    programme_importer = "measurements.open_data.absorb"
    national_dataset_generator = "measurements.seed.national_dataset.generate"
    verbose_name = _("Measurements")

    def ready(self):
        from core import scheduler
        from municipalities.page_blocks import (
            final_report_blocks,
            project_annotators,
            project_blocks,
        )
        from network.page_blocks import NavEntry, my_pages_blocks, nav_entries

        from . import page_blocks as own
        from . import rules as own_rules

        scheduler.register("round_closing_reminders", timedelta(hours=1), _round_reminders)
        scheduler.register("purge_overview_exports", timedelta(days=1), _purge_exports)
        project_blocks.register(own.project_progress_block)
        final_report_blocks.register(own.final_report_progress_block)
        project_annotators["results_published"] = own_rules.with_publication
        my_pages_blocks.register(own.report_block)
        my_pages_blocks.register(own.follow_up_block)
        nav_entries.register(
            NavEntry(
                key="progress",
                label=_("Progress"),
                url_name="measurements:overview",
                namespace="measurements",
                perm="measurements.view_overview",
                my_pages_label=_("Progress of the local projects"),
            )
        )

        from core import personal_data

        from . import exports, services

        personal_data.subject_parts.register(
            personal_data.SubjectPart(
                key="measurement_history",
                label=_("Your name in the history of measurements"),
                erase=services.erase_history_traces,
                order=30,
            )
        )
        personal_data.subject_parts.register(
            personal_data.SubjectPart(
                key="overview_exports",
                label=_("Your exports of the overview's raw data"),
                erase=exports.erase_exports,
                order=30,
            )
        )


def _round_reminders() -> None:
    from .services import send_round_closing_reminders

    send_round_closing_reminders()


def _purge_exports() -> None:
    from django.utils import timezone

    from .exports import purge_expired_exports

    purge_expired_exports(now=timezone.now())
