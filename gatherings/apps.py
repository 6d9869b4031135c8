from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "gatherings"
    programme_2012_loader = "gatherings.programme_2012.load"
    programme_exporter = "gatherings.export.contribute"
    verbose_name = _("Gatherings")

    def ready(self):
        from network import sections

        from . import sections as own

        sections.home_sections.register(own.home_gatherings_section)
        sections.network_sections.register(own.network_gatherings_section)
