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
        "Generate the national data set: two synthetic programme rounds after the real 2012 "
        "one, at --scale 1 with 300 local projects over all 429 municipalities, 3,000 "
        "participants, 100 gatherings of 20 agenda items and 12 indicators × 4 rounds per "
        "project. Deterministic: the same scale gives the same data. The 2012 programme is "
        "never changed (its municipalities are completed to all 429); the latest synthetic "
        "round becomes the current programme until --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the counts (e.g. 0.1 for tests, 2 for a larger test). Default 1.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the synthetic programmes and everything in them first.",
        )

    def handle(self, *args, scale=1.0, reset=False, **options):
        if not 0 < scale <= 20:
            raise CommandError("--scale must be more than 0 and at most 20.")
        if not Programme.objects.filter(slug=PROGRAMME["slug"]).exists():
            raise CommandError("Load the 2012 programme first: manage.py load_programme_2012")
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
                    "The national data set is already there ("
                    + ", ".join(p.slug for p in existing)
                    + "). Run with --reset to delete it and generate it again."
                )
            if existing:
                for config, _generate in reversed(generators):
                    self._module(config).delete(existing)
                self.stdout.write(f"Deleted the synthetic programmes: {len(existing)}.")
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
                f"The national data set (scale {scale:g}) is generated in "
                f"{time.monotonic() - started:.0f} s: "
            )
            + ", ".join(slug for slug, *_rest in PROGRAMMES)
            + " (current)."
        )

    @staticmethod
    def _module(config):
        """The generator's module, whose ``delete(programmes)`` removes the app's part."""
        return import_module(config.national_dataset_generator.rpartition(".")[0])
