"""The parts every page is built from: the breadcrumb trail, the region around each table."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

from network.templatetags.portal import crumbs

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def render(source: str, **context) -> str:
    return Template("{% load portal %}" + source).render(Context(context))


def test_crumbs_pair_labels_with_urls_and_the_current_page_may_have_none():
    assert crumbs("Mine sider", "/mine-sider/", "Invitasjoner") == [
        {"label": "Mine sider", "url": "/mine-sider/"},
        {"label": "Invitasjoner"},
    ]
    assert crumbs("Kommuner", "/kommuner/", "Karmøy", "/kommuner/1149/") == [
        {"label": "Kommuner", "url": "/kommuner/"},
        {"label": "Karmøy", "url": "/kommuner/1149/"},
    ]


def test_the_breadcrumbs_mark_the_current_page_and_link_back_to_its_parent():
    html = render(
        '{% crumbs "Mine sider" "/mine-sider/" "Invitasjoner" as trail %}'
        '{% include "includes/breadcrumbs.html" with crumbs=trail %}'
    )
    assert '<li><a class="ds-link" href="/mine-sider/">Mine sider</a></li>' in html
    assert '<a class="ds-link" aria-current="page">Invitasjoner</a>' in html
    assert re.search(r'<a class="ds-link" href="/mine-sider/">[^<]*Mine sider</a>\s*<ol>', html)


TABLE = '<table class="ds-table"><caption id="{id}">{text}</caption><tr><td>1</td></tr></table>'


def test_a_table_region_is_named_by_the_tables_caption():
    html = render(
        "{% scrolltable %}"
        + TABLE.format(id="rounds-caption", text="Rounds")
        + "{% endscrolltable %}"
    )
    assert html.startswith(
        '<div class="np-table-wrap" tabindex="0" role="region" aria-labelledby="rounds-caption">'
        '<table class="ds-table"><caption id="rounds-caption">'
    )
    assert html.endswith("</table></div>\n")


def test_a_table_region_can_be_named_by_a_heading_and_take_more_classes():
    html = render(
        '{% scrolltable labelledby=heading class="np-form-item" %}'
        + TABLE.format(id="c", text="x")
        + "{% endscrolltable %}",
        heading="people-heading",
    )
    assert html.startswith(
        '<div class="np-table-wrap np-form-item" tabindex="0" role="region" '
        'aria-labelledby="people-heading">'
    )


def test_the_table_inside_the_region_is_escaped_as_usual():
    html = render(
        '{% scrolltable %}<table><caption id="c">{{ name }}</caption></table>{% endscrolltable %}',
        name="<b>Ørland</b>",
    )
    assert "&lt;b&gt;Ørland&lt;/b&gt;" in html


def test_a_table_region_without_a_name_is_an_error():
    with pytest.raises(TemplateSyntaxError):
        render("{% scrolltable %}<table><caption>No id</caption></table>{% endscrolltable %}")
    with pytest.raises(TemplateSyntaxError):
        render('{% scrolltable label="x" %}<table></table>{% endscrolltable %}')


def test_every_table_in_the_templates_sits_in_a_named_region():
    tag = re.compile(r"\{% (end)?scrolltable\b[^%]*%\}|<table\b")
    unwrapped = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path == TEMPLATES / "includes" / "table.html":
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.S)
        depth = 0
        for match in tag.finditer(text):
            if match.group(0).startswith("<table"):
                if depth != 1:
                    unwrapped.append(str(path.relative_to(TEMPLATES)))
                if "<caption" not in text[match.end() : text.find("</table>", match.end())]:
                    unwrapped.append(f"{path.relative_to(TEMPLATES)} (no caption)")
            else:
                depth += -1 if match.group(1) else 1
    assert unwrapped == []
