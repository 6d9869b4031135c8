"""Single-line text: the validator, the form field, and text collapsed for headers."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, override

from core.forms import BidiSafeFormMixin, SingleLineCharField
from core.text import (
    one_line,
    strip_bidi_controls,
    validate_single_line,
    without_control_characters,
)

LINE_BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
CONTROLS = ["\x00", "\x07", "\t", "\x1b", "\x7f", "\x9b"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def refused_code(value: str) -> str | None:
    try:
        validate_single_line(value)
    except ValidationError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Saman om ein betre kommune – hva og hvorfor?",
        "Ørland, Åfjord og Bø: «samling» 1/2 (2012)",
        "Kari Nordmann 🙂",
        "ä ß ç ñ ŋ ǧ Sámi: Guovdageaidnu",
        "a\u200db",  # zero-width joiner, needed in some scripts and emoji
        "\u00a0non-breaking space",
        "x" * 1000,
    ],
)
def test_ordinary_single_line_text_is_accepted(value):
    assert refused_code(value) is None


@pytest.mark.parametrize("char", LINE_BREAKS, ids=repr)
def test_every_kind_of_line_break_is_refused(char):
    assert refused_code(f"Første{char}samling") == "line_break"


@pytest.mark.parametrize("char", CONTROLS + BIDI, ids=repr)
def test_control_and_bidirectional_control_characters_are_refused(char):
    assert refused_code(f"faktura{char}exe.pdf") == "control_characters"


def test_values_that_are_not_text_are_left_to_other_validators():
    validate_single_line(None)
    validate_single_line(42)


def test_the_message_names_the_problem():
    with override("en"):
        with pytest.raises(ValidationError) as error:
            validate_single_line("a\nb")
        assert error.value.messages == ["Write this on one line, without line breaks."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Andre\nsamling", "Andre samling"),
        ("  Andre \r\n\r\n samling \t ", "Andre samling"),
        ("Program\u2028Bcc: x@example.org", "Program Bcc: x@example.org"),
        ("nul\x00byte\x1b[31m", "nul byte [31m"),
        ("evil\u202eexe.pdf", "evil exe.pdf"),
        ("Ørland – «samling»", "Ørland – «samling»"),
        ("", ""),
        (None, ""),
    ],
)
def test_one_line_collapses_text_for_a_header(text, expected):
    assert one_line(text) == expected
    validate_single_line(one_line(text))


def test_one_line_accepts_lazy_and_other_objects():
    with override("en"):
        assert one_line(gettext_lazy("Name")) == "Name"
    assert one_line(2012) == "2012"


def test_without_control_characters_keeps_lines_and_tabs():
    assert without_control_characters("a\r\nb\rc\u2028d\te\x00f\u202eg") == "a\nb\nc\nd\tefg"
    assert without_control_characters(None) == ""


def test_the_form_field_refuses_a_line_break_with_an_error():
    field = SingleLineCharField(max_length=20)
    assert field.clean("  Andre samling ") == "Andre samling"
    with pytest.raises(ValidationError) as error:
        field.clean("Andre\nsamling")
    assert [e.code for e in error.value.error_list] == ["line_break"]
    with pytest.raises(ValidationError):
        field.clean("Andre\x00samling")


@pytest.mark.parametrize("control", BIDI)
def test_strip_bidi_controls_removes_every_bidirectional_control_and_nothing_else(control):
    text = f"Linje én{control}\nLinje to\tmed «tab» 🙂{control}"
    assert strip_bidi_controls(text) == "Linje én\nLinje to\tmed «tab» 🙂"


def test_strip_bidi_controls_takes_none_and_other_values():
    assert strip_bidi_controls(None) == ""
    assert strip_bidi_controls(12) == "12"


class _Notes(BidiSafeFormMixin, forms.Form):
    text = forms.CharField(widget=forms.Textarea)
    title = SingleLineCharField(required=False)


@pytest.mark.parametrize("control", BIDI)
def test_a_multi_line_form_field_loses_bidirectional_controls(control):
    form = _Notes(data={"text": f"Første linje\r\nandre{control} linje"})
    assert form.is_valid()
    assert form.cleaned_data["text"] == "Første linje\r\nandre linje"


def test_a_single_line_form_field_still_refuses_bidirectional_controls():
    form = _Notes(data={"text": "x", "title": "evil\u202eexe.pdf"})
    assert not form.is_valid()
    assert "title" in form.errors


def test_the_mixin_leaves_single_line_model_fields_to_their_validator():
    from municipalities.forms import StoryForm

    form = StoryForm(data={"title": "evil\u202eexe", "date": "2012-03-01", "text": "a\u202eb"})
    assert not form.is_valid()
    assert form.has_error("title", code="control_characters")
    assert form.cleaned_data["text"] == "ab"
