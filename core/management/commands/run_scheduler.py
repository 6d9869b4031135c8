"""The scheduler's clock: every minute, queue the scheduled jobs that are due (the worker runs
them). Run one beside the workers (``config/Procfile``); more than one is harmless."""

import signal
import time

from django.core.management.base import BaseCommand

from ... import scheduler


class Command(BaseCommand):
    help = (
        "Legger de planlagte jobbene i køen når de forfaller (den daglige slettingen, "
        "påminnelser, opprydding)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Legg i kø det som forfaller nå, og avslutt (for cron).",
        )
        parser.add_argument(
            "--interval", type=float, default=60, help="Sekunder mellom hver sjekk (standard 60)."
        )

    def handle(self, *args, once=False, interval=60, **options):
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while self.running:
            for name in scheduler.start_due_jobs():
                self.stdout.write(f"Lagt i kø: {name}")
            if once:
                return
            slept = 0.0
            while self.running and slept < interval:
                time.sleep(min(1.0, interval))
                slept += 1.0

    def _stop(self, signum, frame):
        self.running = False
