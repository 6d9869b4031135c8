from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementsConfig(AppConfig):
    name = "measurements"
    programme_2012_loader = "measurements.programme_2012.load"
    programme_exporter = "measurements.export.contribute"
    verbose_name = _("Measurements")

    def ready(self):
        from municipalities.sections import project_sections
        from network import sections

        from . import sections as own
        from .surveys import sections as survey

        project_sections.register(own.project_progress_section)
        sections.my_pages_sections.register(own.report_section)
        sections.my_pages_sections.register(own.follow_up_section)
        project_sections.register(survey.project_surveys_section)
        sections.my_pages_sections.register(survey.my_survey_runs_section)
