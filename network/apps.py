from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Programme and networks")
    #: Each app that holds part of the 2012 programme names its loader and its part of the
    #: open-data export and import; the commands in this app call them in INSTALLED_APPS order.
    programme_2012_loader = "network.seed.programme_2012.load"
    programme_exporter = "network.open_data.contribute"
    programme_importer = "network.open_data.absorb"
    national_dataset_generator = "network.seed.national_dataset.generate"

    def ready(self):
        from core import personal_data
        from core.models import register_mail_kinds

        from . import page_blocks, services
        from .models import MailKind

        register_mail_kinds(MailKind.choices)

        for block in (
            page_blocks.my_administration_block,
            page_blocks.my_networks_block,
            page_blocks.my_programme_block,
        ):
            page_blocks.my_pages_blocks.register(block)

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
