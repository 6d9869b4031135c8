"""The parts every page is built from: the breadcrumb trail, the region around each table."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

from core.templatetags.portal import crumbs

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


def actions(**context) -> str:
    return " ".join(render('{% include "includes/form_actions.html" %}', **context).split())


def test_form_actions_are_a_submit_button_and_a_cancel_link():
    assert actions(submit="Lagre", cancel_url="/tilbake/").endswith(
        '<div class="np-actions"> '
        '<button type="submit" class="ds-button" data-variant="primary">Lagre</button> '
        '<a class="ds-button" data-variant="tertiary" href="/tilbake/">Avbryt</a> </div>'
    )


def test_form_actions_take_a_red_button_its_name_another_link_label_and_a_red_link():
    html = actions(
        submit="Slett",
        danger=True,
        submit_name="send",
        submit_value="1",
        cancel_url="/",
        cancel_label="Behold",
        danger_url="/avmeld/",
        danger_label="Avmeld…",
    )
    assert (
        '<button type="submit" name="send" value="1" class="ds-button" data-variant="primary" '
        'data-color="danger">Slett</button>'
    ) in html
    assert '<a class="ds-button" data-variant="tertiary" href="/">Behold</a>' in html
    assert (
        '<a class="ds-button" data-variant="tertiary" data-color="danger" href="/avmeld/">'
        "Avmeld…</a>"
    ) in html


def test_form_actions_without_a_submit_text_show_only_the_link():
    assert "<button" not in actions(cancel_url="/", cancel_label="Tilbake")
    assert 'name="action" value="preview"' in actions(
        submit="Lagre", cancel_url="/", preview_button=True
    )
