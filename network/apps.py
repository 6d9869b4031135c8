from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Programme and networks")
    #: Each app that holds part of the 2012 programme names its loader and its part of the
    #: open-data export; the commands in this app call them in INSTALLED_APPS order.
    programme_2012_loader = "network.programme_2012.load"
    programme_exporter = "network.export.contribute"
    national_dataset_generator = "network.national_dataset.generate"

    def ready(self):
        from datetime import timedelta

        # network.sessions connects record_sign_in_time to user_logged_in.
        from . import scheduler, sections, sessions  # noqa: F401

        scheduler.register("purge_personal_data", timedelta(days=1), scheduler.purge_personal_data)
        scheduler.register("prune_task_results", timedelta(days=1), scheduler.prune_task_results)

        for section in (
            sections.my_administration_section,
            sections.my_networks_section,
            sections.my_programme_section,
        ):
            sections.my_pages_sections.register(section)

        from . import personal_data, services

        personal_data.retention_steps.register(
            personal_data.RetentionStep(
                key="sign_in_logs",
                label=_("Sign-in log entries deleted"),
                run=services.prune_sign_in_logs,
                order=90,
            )
        )
        personal_data.subject_parts.register(
            personal_data.SubjectPart(
                key="account",
                label=_("Your account"),
                collect=services.collect_account,
                erase=services.erase_account_traces,
                order=10,
            )
        )
