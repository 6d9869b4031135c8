"""Every management command of the portal speaks Norwegian (bokmål): its help, the help of
its arguments and what it writes."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class

pytestmark = pytest.mark.django_db

PROJECT_APPS = {p.parent.name for p in Path(settings.BASE_DIR).glob("*/apps.py")}
COMMANDS = sorted((name, app) for name, app in get_commands().items() if app in PROJECT_APPS)
#: Words of English that a Norwegian text does not have.
ENGLISH = re.compile(
    r"\b(the|and|of|with|when|every|first|default|this|that|is|are|which|write|read|load|"
    r"delete|create|include|run|queue|count|nothing|programme|municipalities|gatherings)\b",
    re.IGNORECASE,
)
#: Django's own options on every command.
DJANGO_OPTIONS = {
    "help",
    "version",
    "verbosity",
    "settings",
    "pythonpath",
    "traceback",
    "no_color",
    "force_color",
    "skip_checks",
}


def english_words(text: str) -> list[str]:
    text = re.sub(r"%\(\w+\)s|--[\w-]+|\bmanage\.py \w+|«[^»]*»|\w+_\w+", "", text)
    return ENGLISH.findall(text)


def test_the_portal_has_its_commands():
    names = {name for name, _app in COMMANDS}
    assert {"generate_national_dataset", "load_municipality_history", "run_scheduler"} <= names


@pytest.mark.parametrize(("name", "app"), COMMANDS)
def test_a_command_s_help_is_norwegian(name, app):
    command = load_command_class(app, name)
    assert command.help and english_words(command.help) == [], command.help
    parser = command.create_parser("manage.py", name)
    for action in parser._actions:
        if action.dest in DJANGO_OPTIONS or not action.help:
            continue
        assert english_words(action.help) == [], (action.dest, action.help)


def test_the_scheduler_says_what_it_queued_in_norwegian(programme):
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "Queued" not in out.getvalue()
    assert all(line.startswith("Lagt i kø: ") for line in out.getvalue().splitlines())


def test_template_check_reports_in_norwegian():
    out = io.StringIO()
    call_command("validate_templates", stdout=out)
    assert "maler kompilerer uten feil" in out.getvalue()
