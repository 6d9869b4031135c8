from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.personal_data import purge as purge_personal_data

from ...personal_data import retention_steps


class Command(BaseCommand):
    help = (
        "Sletter eller anonymiserer personopplysninger som har passert oppbevaringstiden "
        "(oppbevaringsreglene hver app registrerer). Trygt å kjøre flere ganger; planleggeren "
        "kjører den hver dag."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Tell opp hva som ville blitt endret, uten å endre noe.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        counts = purge_personal_data(dry_run=dry_run)
        labels = {step.key: str(step.label) for step in retention_steps.all()}
        heading = _("Would change (dry run):") if dry_run else _("Personal data purged:")
        self.stdout.write(self.style.SUCCESS(heading))
        for key, count in counts.items():
            self.stdout.write(f"  {labels[key]}: {count}")
