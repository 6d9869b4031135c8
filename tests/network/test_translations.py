"""The nb and nn catalogues as committed: complete, compiled, and used by the pages.

These read the files in locale/ without running makemessages; ``manage.py check_translations``
(in CI) also finds strings in the code that are missing from the catalogues.
"""

import ast
from pathlib import Path

import axes
import django
import polib
import pytest
import simple_history
from django.test import RequestFactory
from django.utils import translation

from core import django_strings
from core.errors import server_error
from core.i18n_checks import (
    REQUIRED_LANGUAGES,
    catalogue_problems,
    compiled_problems,
    po_path,
)

DJANGO_DIR = Path(django.__file__).parent
# The Django catalogues whose strings our users and administrators can meet.
DJANGO_CATALOGUES = [
    "conf",
    "contrib/admin",
    "contrib/auth",
    "contrib/contenttypes",
    "contrib/sessions",
]
# Gaps left open on purpose: names of languages the portal does not offer, and a field
# description shown only by admindocs, which is not installed.
NOT_NEEDED = {"Central Kurdish (Sorani)", "Uyghur", "String (unlimited)"}


@pytest.mark.parametrize("lang", REQUIRED_LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(lang):
    assert catalogue_problems(lang) == []


@pytest.mark.parametrize("lang", REQUIRED_LANGUAGES)
def test_compiled_catalogue_matches_po_file(lang):
    assert compiled_problems(lang) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "lang", "heading"),
    [
        ("", "nb", "Tema og nettverk"),
        ("/nn", "nn", "Tema og nettverk"),
        ("/en", "en", "Themes and networks"),
    ],
)
def test_home_page_is_in_the_language_of_its_address(client, programme, prefix, lang, heading):
    content = client.get(f"{prefix}/").content.decode()
    assert f'<html lang="{lang}"' in content
    assert f'<h2 id="themes-heading">{heading}</h2>' in content


@pytest.mark.parametrize(
    ("english", "bokmal", "nynorsk"),
    [
        ("Facilitator", "Prosessveileder", "Prosessrettleiar"),
        ("Gatherings", "Samlinger", "Samlingar"),
        ("local project", "lokalt prosjekt", "lokalt prosjekt"),
        ("Baseline", "Nullpunkt", "Nullpunkt"),
        ("End of project", "Sluttmåling", "Sluttmåling"),
        ("Awareness", "Bevissthet", "Medvit"),
        ("I know that something new is under way", "Jeg vet at noe nytt er på gang", None),
        ("Progress", "Framgang", "Framgang"),
        ("My pages", "Mine sider", "Mine sider"),
    ],
)
def test_glossary_words_are_used(english, bokmal, nynorsk):
    for lang, expected in (("nb", bokmal), ("nn", nynorsk)):
        if expected:
            with translation.override(lang):
                assert translation.gettext(english) == expected


@pytest.mark.parametrize(
    ("lang", "agenda_item", "role", "one_sent", "two_sent"),
    [
        ("nb", "Annet", "Annen", "1 invitasjon er sendt.", "2 invitasjoner er sendt."),
        ("nn", "Anna", "Annan", "1 invitasjon er send.", "2 invitasjonar er sende."),
    ],
)
def test_words_that_depend_on_context_or_count_are_translated_apart(
    lang, agenda_item, role, one_sent, two_sent
):
    with translation.override(lang):
        assert translation.pgettext("kind of agenda item", "Other") == agenda_item
        assert translation.pgettext("participant role", "Other") == role
        for count, expected in ((1, one_sent), (2, two_sent)):
            text = translation.ngettext(
                "%(count)s invitation sent.", "%(count)s invitations sent.", count
            )
            assert text % {"count": count} == expected


@pytest.mark.parametrize(
    ("prefix", "lang", "heading"),
    [("", "nb", "Noe gikk galt"), ("/nn", "nn", "Noko gjekk gale"), ("/en", "en", "Something")],
)
def test_500_page_is_in_the_language_of_its_address(prefix, lang, heading):
    request = RequestFactory().get(f"{prefix}/")
    with translation.override(translation.get_language_from_path(request.path) or "nb"):
        html = server_error(request).content.decode()
    assert f'<html lang="{lang}">' in html and f"<h1>{heading}" in html
    assert f'href="{prefix}/"' in html


def test_a_lone_angle_bracket_is_text_but_a_lost_tag_is_a_problem(tmp_path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Without < or >.", msgstr="Uten < eller >."))
    po.append(polib.POEntry(msgid="Read <a href='/'>this</a>.", msgstr="Les dette."))
    path = po_path("nb", tmp_path)
    path.parent.mkdir(parents=True)
    po.save(str(path))
    problems = catalogue_problems("nb", tmp_path)
    assert len(problems) == 1 and "Les dette." in problems[0]


def test_django_strings_are_msgids_of_the_installed_apps():
    """A msgid in core/django_strings.py that Django, django-axes or django-simple-history
    no longer uses would be translated for nothing: compare after every upgrade."""
    upstream = {
        msgid
        for name in DJANGO_CATALOGUES
        for entry in polib.pofile(str(DJANGO_DIR / name / "locale/en/LC_MESSAGES/django.po"))
        for msgid in (entry.msgid, entry.msgid_plural)
    }
    # simple-history's own catalogue also lists the messages of its admin templates
    history_po = Path(simple_history.__file__).parent / "locale/nb/LC_MESSAGES/django.po"
    upstream |= {entry.msgid for entry in polib.pofile(str(history_po))}
    app_source = "".join(
        path.read_text(encoding="utf-8")
        for app in (axes, simple_history)
        for path in Path(app.__file__).parent.glob("*.py")
    )
    for msgid in _marked_msgids(Path(django_strings.__file__)):
        assert msgid in upstream or f'"{msgid}"' in app_source, msgid


@pytest.mark.parametrize("lang", REQUIRED_LANGUAGES)
def test_django_strings_missing_from_djangos_catalogues_are_in_ours(lang):
    ours = {entry.msgid for entry in polib.pofile(str(po_path(lang))).translated_entries()}
    gaps = []
    for name in DJANGO_CATALOGUES:
        english = polib.pofile(str(DJANGO_DIR / name / "locale/en/LC_MESSAGES/django.po"))
        norwegian = polib.pofile(str(DJANGO_DIR / name / f"locale/{lang}/LC_MESSAGES/django.po"))
        translated = {entry.msgid for entry in norwegian.translated_entries()}
        gaps += [
            f"{name}: {entry.msgid!r}"
            for entry in english
            if entry.msgid not in translated | ours | NOT_NEEDED
        ]
    assert gaps == []


def _marked_msgids(path: Path) -> list[str]:
    calls = [
        node
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in {"gettext_noop", "ngettext_lazy"}
    ]
    return [arg.value for call in calls for arg in call.args if isinstance(arg, ast.Constant)]


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_file_sizes_say_byte_in_norwegian(language):
    from django.template.defaultfilters import filesizeformat
    from django.utils import translation

    with translation.override(language):
        assert filesizeformat(300) == "300\xa0byte"
