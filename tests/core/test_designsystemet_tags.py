"""``{% load designsystemet %}``: a field's parts in Designsystemet's markup, as the template
pack writes every field."""

import pytest
from django import forms
from django.template import engines
from django.utils import translation


class Form(forms.Form):
    name = forms.CharField(label="Name & co", help_text="Your <em>full</em> name")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    agree = forms.BooleanField(label="I agree", required=False)


def render(source: str, **context) -> str:
    with translation.override("en"):
        return engines["django"].from_string("{% load designsystemet %}" + source).render(context)


def test_a_text_field_has_its_label_help_input_and_errors_with_the_ids_aria_names():
    form = Form(data={"name": ""})
    html = render("{% ds_field form.name %}", form=form)
    assert html.startswith('<div id="div_id_name" class="ds-field np-form-item">')
    assert '<label class="ds-label" for="id_name">Name &amp; co <span class="ds-tag' in html
    assert '<div class="np-help" data-field="description" id="id_name_helptext">' in html
    assert "Your <em>full</em> name" in html
    assert 'class="textinput ds-input"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<div class="np-field-errors" data-field="validation" id="id_name_error">' in html
    assert '<span class="np-sr-only">Error: </span>This field is required.' in html


def test_the_required_marker_follows_the_helpers_choice():
    form = Form()
    assert "Required" in render("{% ds_required form.name %}", form=form)
    assert render("{% ds_required form.notes %}", form=form) == ""
    optional = {"form": form, "required_marker": "optional"}
    assert render("{% ds_required form.name %}", **optional) == ""
    assert "(optional)" in render("{% ds_required form.notes %}", **optional)
    assert render("{% ds_required form.name %}", form=form, required_marker="none") == ""


def test_hidden_labels_stay_for_screen_readers_and_errors_can_be_left_to_the_summary():
    form = Form(data={"name": ""})
    label = render("{% ds_label form.name %}", form=form, form_show_labels=False)
    assert 'class="ds-label np-sr-only"' in label
    assert render("{% ds_errors form.name %}", form=form, form_show_errors=False) == ""


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ({"rows": 4, "required": True, "disabled": False}, ' rows="4" required'),
        ({"title": 'a "quoted" <b>', "data-x": None}, ' title="a &quot;quoted&quot; &lt;b&gt;"'),
    ],
)
def test_attributes_are_written_as_django_writes_them(attrs, expected):
    assert render("{% ds_attrs attrs %}", attrs=attrs) == expected


def test_every_widget_writes_its_attributes_through_the_one_tag():
    html = str(Form()["notes"])
    assert html.startswith('<textarea name="notes" cols="40" rows="10" id="id_notes">')


def test_a_checkbox_goes_to_its_own_layout_and_a_text_field_to_the_fast_one():
    form = Form()
    html = render('{% include "designsystemet/field.html" with field=form.agree %}', form=form)
    assert 'type="checkbox"' in html and 'class="checkboxinput ds-input"' in html
    assert (
        engines["django"]
        .from_string("{% load designsystemet %}{{ form.name|ds_plain }} {{ form.agree|ds_plain }}")
        .render({"form": form})
        == "True False"
    )
