"""``{% itemlist %}``: a <ul> with an <li> per element, or the ``{% empty %}`` text."""

import pytest
from django.template import TemplateSyntaxError, engines


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load portal %}" + source).render(context)


def test_each_element_is_an_item_of_the_list():
    html = render("{% itemlist x in items %}{{ x }}{% empty %}none{% enditemlist %}", items=[1, 2])
    assert html == '<ul class="np-list">\n<li>1</li>\n<li>2</li>\n</ul>'


def test_no_elements_give_the_empty_text_and_no_list():
    source = "{% itemlist x in items %}{{ x }}{% empty %}<p>none</p>{% enditemlist %}"
    assert render(source, items=[]) == "<p>none</p>"
    assert render(source) == "<p>none</p>"
    assert render("{% itemlist x in items %}{{ x }}{% enditemlist %}", items=[]) == ""


def test_elements_unpack_and_the_loop_counts_as_in_for():
    html = render(
        "{% itemlist a, b in pairs %}{{ forloop.counter }}:{{ a }}{{ b }}{% enditemlist %}",
        pairs=[("x", "y"), ("z", "w")],
    )
    assert "<li>1:xy</li>" in html and "<li>2:zw</li>" in html


def test_the_list_and_its_items_take_classes_escaped():
    html = render(
        '{% itemlist x in items class=list_class item_class="card" %}{{ x }}{% enditemlist %}',
        items=["<b>"],
        list_class='cards"',
    )
    assert html == '<ul class="cards&quot;">\n<li class="card">&lt;b&gt;</li>\n</ul>'


@pytest.mark.parametrize(
    "source",
    [
        "{% itemlist items %}{% enditemlist %}",
        "{% itemlist x in %}{% enditemlist %}",
        "{% itemlist x in items id='a' %}{% enditemlist %}",
    ],
)
def test_a_malformed_tag_is_refused(source):
    with pytest.raises(TemplateSyntaxError):
        render(source, items=[])
