import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from core.cache import bump_generation
from core.translated_fields import in_default_language
from network.models import Programme
from network.seed.national_dataset import PROGRAMMES, Plan, synthetic_programmes
from network.seed.programme_2012 import PROGRAMME


class Command(BaseCommand):
    help = (
        "Lager det nasjonale datasettet: to syntetiske programrunder etter den virkelige fra "
        "2012, med --scale 1 300 lokale prosjekter over alle kommunene, 3 000 deltakere, "
        "100 samlinger med 20 programposter og 12 indikatorer × 4 målinger per prosjekt. "
        "Kommunehistorikken lastes inn, og hver runde bruker kommunenumrene som gjaldt på "
        "datoen sin. Deterministisk: samme skala gir samme data. 2012-programmet endres "
        "aldri (kommunene fylles ut til alle 429); den siste syntetiske runden blir "
        "gjeldende program til --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Gang opp antallene (f.eks. 0.1 for tester, 2 for en større test). Standard 1.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Slett de syntetiske programmene og alt i dem først.",
        )

    def handle(self, *args, scale=1.0, reset=False, **options):
        if not 0 < scale <= 20:
            raise CommandError("--scale må være større enn 0 og høyst 20.")
        if not Programme.objects.filter(slug=PROGRAMME["slug"]).exists():
            raise CommandError("Last inn 2012-programmet først: manage.py load_programme_2012")
        generators = [
            (config, import_string(config.national_dataset_generator))
            for config in apps.get_app_configs()
            if getattr(config, "national_dataset_generator", None)
        ]
        started = time.monotonic()
        existing = synthetic_programmes()
        with transaction.atomic(), in_default_language():
            if existing and not reset:
                raise CommandError(
                    "Det nasjonale datasettet finnes allerede ("
                    + ", ".join(p.slug for p in existing)
                    + "). Kjør med --reset for å slette det og lage det på nytt."
                )
            if existing:
                for config, _generate in reversed(generators):
                    self._module(config).delete(existing)
                self.stdout.write(f"Slettet de syntetiske programmene: {len(existing)}.")
            plan = Plan(scale=scale)
            for config, generate in generators:
                part_started = time.monotonic()
                generate(plan)
                self.stdout.write(
                    f"  {config.label}: {time.monotonic() - part_started:.1f} s", ending="\n"
                )
        bump_generation()
        self.stdout.write(
            self.style.SUCCESS(
                f"Det nasjonale datasettet (skala {scale:g}) er laget på "
                f"{time.monotonic() - started:.0f} s: "
            )
            + ", ".join(slug for slug, *_rest in PROGRAMMES)
            + " (gjeldende)."
        )

    @staticmethod
    def _module(config):
        """The generator's module, whose ``delete(programmes)`` removes the app's part."""
        return import_module(config.national_dataset_generator.rpartition(".")[0])
