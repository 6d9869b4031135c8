from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementsConfig(AppConfig):
    name = "measurements"
    programme_2012_loader = "measurements.programme_2012.load"
    programme_exporter = "measurements.export.contribute"
    national_dataset_generator = "measurements.national_dataset.generate"
    verbose_name = _("Measurements")

    def ready(self):
        from municipalities.sections import project_annotators, project_sections
        from network import outbox, scheduler, sections
        from network.models import MailKind

        from . import sections as own
        from . import selectors
        from .surveys import sections as survey
        from .surveys import selectors as survey_selectors
        from .surveys.services import count_delivered

        outbox.on_delivered(MailKind.SURVEY_INVITATION, count_delivered)
        scheduler.register("round_closing_reminders", timedelta(hours=1), _round_reminders)
        project_sections.register(own.project_progress_section)
        project_annotators["results_published"] = selectors.with_publication
        project_annotators["runs_reputation_survey"] = survey_selectors.with_survey_flag
        sections.my_pages_sections.register(own.report_section)
        sections.my_pages_sections.register(own.follow_up_section)
        project_sections.register(survey.project_surveys_section)
        sections.my_pages_sections.register(survey.my_survey_runs_section)

        from network import personal_data

        from . import services

        personal_data.subject_parts.register(
            personal_data.SubjectPart(
                key="measurement_history",
                label=_("Your name in the history of measurements"),
                erase=services.erase_history_traces,
                order=30,
            )
        )


def _round_reminders() -> None:
    from .services import send_round_closing_reminders

    send_round_closing_reminders()
