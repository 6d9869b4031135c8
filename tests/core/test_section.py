"""``{% section %}``: a <section> named by its heading."""

import pytest
from django.template import TemplateSyntaxError, engines


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load portal %}" + source).render(context)


def test_the_section_is_named_by_its_heading_above_the_content():
    html = render(
        '{% section heading=title id="goals" %}<p>Text</p>{% endsection %}', title="Goals"
    )
    assert html == (
        '<section aria-labelledby="goals-heading" class="np-section" id="goals">\n'
        '  <h2 id="goals-heading">Goals</h2><p>Text</p></section>'
    )


def test_the_heading_id_and_the_class_may_be_given_and_are_escaped():
    html = render(
        '{% section heading=title heading_id="report-x-heading" class="np-section np-report" %}'
        "{% endsection %}",
        title="A & <b>",
    )
    assert html.startswith(
        '<section aria-labelledby="report-x-heading" class="np-section np-report">\n'
    )
    assert '<h2 id="report-x-heading">A &amp; &lt;b&gt;</h2>' in html


@pytest.mark.parametrize(
    "source",
    [
        '{% section id="x" %}{% endsection %}',
        '{% section heading="X" %}{% endsection %}',
        '{% section heading="X" id="x" level=3 %}{% endsection %}',
        '{% section "X" %}{% endsection %}',
    ],
)
def test_a_malformed_section_is_refused(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)
