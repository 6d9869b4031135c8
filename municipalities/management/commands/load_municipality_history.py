from django.core.management.base import BaseCommand

from core.cache import bump_generation
from municipalities.seed import municipality_history


class Command(BaseCommand):
    help = (
        "Laster inn kommunenes nummer, navn og endringer 2012–2024 (SSB, KLASS 131). Å kjøre "
        "den igjen endrer ingenting."
    )

    def handle(self, *args, **options):
        result = municipality_history.load()
        bump_generation()
        self.stdout.write(
            "Kommunehistorikk 2012–2024 (SSB, KLASS 131) er lastet: "
            f"{result.municipalities_created} nye kommunenummer, "
            f"{result.versions_created} nye og {result.versions_updated} endrede versjoner, "
            f"{result.changes_created} nye endringer med {result.links_created} koblinger."
        )
