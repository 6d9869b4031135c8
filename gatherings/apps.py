from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "gatherings"
    programme_2012_loader = "gatherings.programme_2012.load"
    programme_exporter = "gatherings.export.contribute"
    national_dataset_generator = "gatherings.national_dataset.generate"
    verbose_name = _("Gatherings")

    def ready(self):
        from municipalities.sections import project_sections
        from network import sections

        from . import sections as own

        sections.home_sections.register(own.home_gatherings_section)
        sections.home_sections.register(own.home_resources_section)
        sections.network_sections.register(own.network_gatherings_section)
        sections.my_pages_sections.register(own.my_gatherings_section)
        project_sections.register(own.project_tasks_section)
