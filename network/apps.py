from django.utils.translation import gettext_lazy as _

from core import registrations


class ProgrammePartConfig(registrations.RegisteringConfig):
    """An app that holds part of the 2012 programme. Its loader, its part of the open-data
    export and import and its part of the national data set stand at the same places in each
    such app; the commands in this app call them in INSTALLED_APPS order."""

    #: Whether the app has a part of the open-data export and import (``open_data.py``) and
    #: of the national data set (``seed/national_dataset.py``) besides its loader
    #: (``seed/programme_2012.py``).
    has_open_data = True

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        self.programme_2012_loader = f"{self.name}.seed.programme_2012.load"
        if self.has_open_data:
            self.programme_exporter = f"{self.name}.open_data.contribute"
            self.programme_importer = f"{self.name}.open_data.absorb"
            self.national_dataset_generator = f"{self.name}.seed.national_dataset.generate"


class NetworkConfig(ProgrammePartConfig):
    default = True  # the app's config, not ProgrammePartConfig above
    name = "network"
    verbose_name = _("Programme and networks")

    def registrations(self):
        from core.models import register_mail_kinds

        from . import page_blocks, services
        from .models import MailKind

        return [
            (register_mail_kinds, (MailKind.choices,)),
            (
                page_blocks.my_pages_blocks,
                page_blocks.my_administration_block,
                page_blocks.my_networks_block,
                page_blocks.my_programme_block,
            ),
            *services.personal_data.registrations(),
        ]
