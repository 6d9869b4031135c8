from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template import TemplateSyntaxError, engines


class Command(BaseCommand):
    help = "Kompilerer hver mal i prosjektet og melder syntaksfeil (ukjente tagger, filtre …)."

    def handle(self, *args, **options):
        engine = engines["django"]
        roots = [Path(d) for d in engine.dirs]
        roots += [Path(settings.BASE_DIR) / app / "templates" for app in self._project_apps()]
        errors, checked = [], 0
        for root in roots:
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.suffix not in {".html", ".txt", ".xml", ".svg", ".ics", ".md"}:
                    continue
                checked += 1
                try:
                    engine.from_string(path.read_text(encoding="utf-8"))
                except TemplateSyntaxError as error:
                    errors.append(f"{path.relative_to(settings.BASE_DIR)}: {error}")
        if errors:
            raise CommandError("Syntaksfeil i malene:\n" + "\n".join(errors))
        self.stdout.write(self.style.SUCCESS(f"{checked} maler kompilerer uten feil."))

    @staticmethod
    def _project_apps():
        return [p.parent.name for p in Path(settings.BASE_DIR).glob("*/apps.py")]
