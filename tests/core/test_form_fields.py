"""``{% fields %}`` and ``{% fieldset %}``: the fields of a form laid out by hand."""

import pytest
from django import forms
from django.template import TemplateSyntaxError, engines


class Form(forms.Form):
    name = forms.CharField(label="Name")
    title = forms.CharField(label="Title", required=False)
    place = forms.CharField(label="Place", required=False)


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load portal %}" + source).render(context)


def test_fields_by_name_each_as_designsystemet_writes_it_in_order():
    form = Form()
    html = render('{% fields form "title" "name" %}', form=form)
    one_by_one = render(
        '{% include "designsystemet/field.html" with field=form.title %}\n'
        '{% include "designsystemet/field.html" with field=form.name %}',
        form=form,
    )
    assert html == one_by_one
    assert html.index('for="id_title"') < html.index('for="id_name"')
    assert "place" not in html


def test_bound_fields_are_taken_as_they_are_and_none_is_left_out():
    form = Form()
    html = render("{% fields form.place missing form.name %}", form=form, missing=None)
    assert 'id="id_place"' in html and 'id="id_name"' in html
    assert render("{% fields missing %}", missing=None) == ""


def test_a_field_keeps_its_errors():
    form = Form(data={"name": ""})
    html = render('{% fields form "name" %}', form=form)
    assert 'aria-invalid="true"' in html and "id_name_error" in html


def test_a_row_puts_the_fields_side_by_side():
    form = Form()
    html = render('{% fields form "title" "place" row=True %}', form=form)
    assert html.startswith('<div class="np-form-row np-form-item">\n')
    assert html.endswith("\n</div>")
    html = render('{% fields form.title row="np-report-entry np-form-row" %}', form=form)
    assert html.startswith('<div class="np-report-entry np-form-row">\n')


def test_a_name_without_the_form_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render('{% fields "name" %}')


def test_a_fieldset_has_its_legend_escaped_and_the_content_inside():
    html = render(
        '{% fieldset legend=legend %}<p class="np-help">Help</p>{% endfieldset %}',
        legend="When & <where>",
    )
    assert html.startswith('<fieldset class="ds-fieldset np-form-item np-form-fieldset">')
    assert '<legend class="ds-heading" data-size="xs">When &amp; &lt;where&gt;</legend>' in html
    assert html.index("</legend>") < html.index('<p class="np-help">Help</p>')
    assert html.rstrip().endswith("</fieldset>")


def test_a_fieldset_takes_more_classes():
    html = render('{% fieldset legend="L" class="np-evaluation-item" %}{% endfieldset %}')
    assert 'class="ds-fieldset np-form-item np-form-fieldset np-evaluation-item"' in html


@pytest.mark.parametrize(
    "source",
    [
        "{% fieldset %}{% endfieldset %}",
        '{% fieldset "L" %}{% endfieldset %}',
        '{% fieldset legend="L" id="x" %}{% endfieldset %}',
    ],
)
def test_a_malformed_fieldset_is_refused(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)
