import json

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from core.translated_fields import in_default_language
from network.models import Programme
from network.seed.programme_2012 import PROGRAMME as PROGRAMME_2012


class Command(BaseCommand):
    help = (
        "Skriver et program som åpne data (JSON) til standard ut: temaer, kommuner, nettverk "
        "med prosessveileder, lokale prosjekter og samlinger med programmet sitt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--program",
            "--programme",
            dest="programme",
            default=PROGRAMME_2012["slug"],
            help="Programmets slug (standard: 2012-programmet, %(default)s).",
        )
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Ta med datoer og program for samlinger som ikke er publisert ennå.",
        )
        parser.add_argument(
            "--translations",
            action="store_true",
            help=(
                "Ta med programmets tekster på nynorsk og engelsk også, som «translations» for "
                "hvert program, tema, nettverk, samling og programpunkt (selve tekstene er på "
                "bokmål)."
            ),
        )

    def handle(self, *args, programme=None, include_drafts=False, translations=False, **options):
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            raise CommandError(
                gettext("There is no programme yet: run load_programme_2012 first.")
                if programme == PROGRAMME_2012["slug"]
                else gettext("No programme with the slug «%(slug)s».") % {"slug": programme}
            )
        data: dict = {}
        with in_default_language():
            for config in apps.get_app_configs():
                exporter = getattr(config, "programme_exporter", None)
                if exporter:
                    import_string(exporter)(
                        data,
                        programme=found,
                        include_drafts=include_drafts,
                        translations=translations,
                    )
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
