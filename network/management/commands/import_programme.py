import json

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from core.cache import bump_generation
from core.translated_fields import in_default_language
from network.open_data import ProgrammeImport


class Refused(Exception):
    """The file contradicts the database: roll the import back."""


class Command(BaseCommand):
    help = (
        "Leser et program i åpne data-formatet til export_programme (JSON) og oppretter det "
        "som mangler. Endrer ingenting som finnes: en fil som motsier databasen, avvises med "
        "konfliktene sine, og ingenting skrives."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON-fila som export_programme skrev.")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                data = json.load(stream)
        except OSError as error:
            raise CommandError(
                gettext("Cannot read %(file)s: %(error)s")
                % {"file": file, "error": error.strerror or error}
            ) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(
                gettext("%(file)s is not valid JSON: %(error)s") % {"file": file, "error": error}
            ) from None
        if not isinstance(data, dict):
            raise CommandError(gettext("%(file)s is not a programme export.") % {"file": file})

        state = ProgrammeImport()
        importers = [
            import_string(config.programme_importer)
            for config in apps.get_app_configs()
            if getattr(config, "programme_importer", None)
        ]
        try:
            with transaction.atomic(), in_default_language():
                for absorb in importers:
                    absorb(data, state=state)
                if state.conflicts:
                    raise Refused
        except Refused:
            raise CommandError(
                gettext("The file contradicts the database; nothing was imported:")
                + "".join(f"\n- {conflict}" for conflict in state.conflicts)
            ) from None
        except KeyError as error:
            raise CommandError(
                gettext("%(file)s is not a programme export: «%(key)s» is missing.")
                % {"file": file, "key": error.args[0]}
            ) from None
        except (TypeError, ValueError, AttributeError) as error:
            raise CommandError(
                gettext("%(file)s is not a programme export: %(error)s")
                % {"file": file, "error": error}
            ) from None
        except ValidationError as error:
            raise CommandError(
                gettext("%(file)s holds a value the portal does not accept: %(error)s")
                % {"file": file, "error": "; ".join(error.messages)}
            ) from None
        except IntegrityError as error:
            raise CommandError(
                gettext("%(file)s holds a value the portal does not accept: %(error)s")
                % {"file": file, "error": error}
            ) from None

        if not state.created:
            self.stdout.write(gettext("The database already holds everything in the file."))
            return
        bump_generation()
        counts = ", ".join(
            f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
            for model, count in state.created.items()
        )
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Imported «%(programme)s»: ") % {"programme": state.programme}
            )
            + counts
        )
