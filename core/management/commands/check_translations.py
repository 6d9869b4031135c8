import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ...i18n_checks import (
    REQUIRED_LANGUAGES,
    catalogue_problems,
    compiled_problems,
    locale_dir,
)


class Command(BaseCommand):
    help = (
        "Feiler når prosjektets katalog for bokmål (nb) eller nynorsk (nn) mangler en tekst "
        "som brukes i koden, har en uoversatt eller uklar (fuzzy) oppføring, eller når en "
        "kompilert .mo-fil er utdatert. Katalogene hentes ut på nytt (makemessages) og settes "
        "tilbake slik de var."
    )

    def handle(self, *args, **options):
        locale = locale_dir()
        backup = Path(tempfile.mkdtemp()) / "locale"
        shutil.copytree(locale, backup)
        try:
            call_command(
                "makemessages",
                locale=list(REQUIRED_LANGUAGES),
                ignore=[".venv/*", "staticfiles/*"],
                verbosity=0,
                stdout=StringIO(),
            )
            problems = [
                problem for lang in REQUIRED_LANGUAGES for problem in catalogue_problems(lang)
            ]
        finally:
            shutil.rmtree(locale)
            shutil.copytree(backup, locale)
            shutil.rmtree(backup.parent)
        for lang in REQUIRED_LANGUAGES:
            problems += compiled_problems(lang)
        if problems:
            raise CommandError("Oversettelsene er ufullstendige:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS("Katalogene for bokmål og nynorsk er komplette."))
