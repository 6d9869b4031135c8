from django.utils.translation import gettext_lazy as _

from network import apps as network_apps


class SurveysConfig(network_apps.ProgrammePartConfig):
    name = "surveys"
    verbose_name = _("Reputation survey")
    has_open_data = False

    def registrations(self):
        from core import outbox
        from measurements.page_blocks import led_project_annotators
        from municipalities.page_blocks import (
            final_report_annotators,
            final_report_blocks,
            project_annotators,
            project_blocks,
        )
        from network.models import MailKind
        from network.page_blocks import my_pages_blocks

        from . import page_blocks, selectors
        from .services import count_delivered

        return [
            (outbox.on_delivered, (MailKind.SURVEY_INVITATION, count_delivered)),
            (project_annotators, {"runs_reputation_survey": selectors.with_survey_flag}),
            (led_project_annotators, {"runs_reputation_survey": selectors.with_survey_flag}),
            (final_report_annotators, {"reputation_index": selectors.with_report_survey}),
            (project_blocks, page_blocks.project_surveys_block),
            (final_report_blocks, page_blocks.final_report_index_block),
            (my_pages_blocks, page_blocks.my_survey_runs_block),
        ]
