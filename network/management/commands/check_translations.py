import shutil
import tempfile
from io import StringIO
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

REQUIRED = ["nb", "nn"]


class Command(BaseCommand):
    help = (
        "Fail when the project's nb or nn catalogue lacks a string used in the code, has an "
        "untranslated or fuzzy entry, or when a compiled .mo file is out of date. The "
        "catalogues are extracted afresh (makemessages) and put back as they were."
    )

    def handle(self, *args, **options):
        locale = Path(settings.LOCALE_PATHS[0])
        backup = Path(tempfile.mkdtemp()) / "locale"
        shutil.copytree(locale, backup)
        try:
            call_command(
                "makemessages",
                locale=REQUIRED,
                ignore=[".venv/*", "staticfiles/*"],
                verbosity=0,
                stdout=StringIO(),
            )
            problems = [problem for lang in REQUIRED for problem in self._check(locale, lang)]
        finally:
            shutil.rmtree(locale)
            shutil.copytree(backup, locale)
            shutil.rmtree(backup.parent)
        for lang in REQUIRED:
            problems += self._check_compiled(locale, lang)
        if problems:
            raise CommandError("Translations are incomplete:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS("The nb and nn catalogues are complete."))

    @staticmethod
    def _check(locale: Path, lang: str) -> list[str]:
        catalogue = polib.pofile(str(locale / lang / "LC_MESSAGES" / "django.po"))
        problems = [
            f"{lang}: untranslated: {entry.msgid!r} ({_where(entry)})"
            for entry in catalogue.untranslated_entries()
        ]
        problems += [f"{lang}: fuzzy: {entry.msgid!r}" for entry in catalogue.fuzzy_entries()]
        return problems

    @staticmethod
    def _check_compiled(locale: Path, lang: str) -> list[str]:
        po_path = locale / lang / "LC_MESSAGES" / "django.po"
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            return [f"{lang}: {mo_path.name} is missing: run compilemessages"]
        expected = {
            (e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0, ""))
            for e in polib.pofile(str(po_path)).translated_entries()
        }
        compiled = {
            (e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0, ""))
            for e in polib.mofile(str(mo_path))
            if e.msgid
        }
        if expected != compiled:
            return [f"{lang}: {mo_path.name} is out of date: run compilemessages"]
        return []


def _where(entry) -> str:
    return entry.occurrences[0][0] if entry.occurrences else "?"
