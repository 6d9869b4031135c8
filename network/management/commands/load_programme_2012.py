from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from core.cache import bump_generation
from core.translated_fields import in_default_language


class Command(BaseCommand):
    help = (
        "Laster inn 2012-programmet til «Saman om ein betre kommune». Oppretter det som "
        "mangler og endrer ingenting som finnes, så den kan trygt kjøres igjen."
    )

    def handle(self, *args, **options):
        loading = [c for c in apps.get_app_configs() if getattr(c, "programme_2012_loader", None)]
        with transaction.atomic(), in_default_language():
            for config in loading:
                import_string(config.programme_2012_loader)()
        bump_generation()
        counts = [
            f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
            for config in loading
            for model in config.get_models()
            if not model._meta.auto_created
            and model.__name__ != "User"
            and not model.__name__.startswith("Historical")
            and (count := model.objects.count())
        ]
        self.stdout.write(
            self.style.SUCCESS(gettext("The 2012 programme is loaded: ")) + ", ".join(counts)
        )
