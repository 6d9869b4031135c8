"""``{% datatable %}`` writes a whole table around its rows: the focusable region named by the
caption, the caption, the head, body and foot, or the text shown instead of a table without
rows; ``concat`` builds the caption ids it is given."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test.signals import template_rendered
from django.utils.translation import gettext

ROWS = "{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}"


def render(source: str, **context) -> str:
    """The template's text, without the whitespace between its tags."""
    html = Template("{% load portal %}" + source).render(Context(context))
    return re.sub(r">\s+<", "><", html).strip()


def table(options: str, content: str = ROWS, **context) -> str:
    return render(f"{{% datatable {options} %}}{content}{{% enddatatable %}}", **context)


def opening(html: str) -> str:
    """The region's and the table's opening tags and the caption."""
    return html[: html.index("</caption>") + len("</caption>")]


def test_the_region_is_focusable_and_named_by_the_caption():
    html = table('id="rounds-caption" caption="Rounds"', rows=[1])
    assert opening(html) == (
        '<div class="np-table-wrap" tabindex="0" role="region" aria-labelledby="rounds-caption">'
        '<table class="ds-table" data-border><caption id="rounds-caption">Rounds</caption>'
    )
    assert html.endswith("</table></div>")


def test_labelledby_names_the_region_by_the_ids_it_gives():
    html = table('id="c" caption="Rounds" labelledby="heading c"', rows=[1])
    assert 'role="region" aria-labelledby="heading c">' in html
    assert '<caption id="c">Rounds</caption>' in html


def test_a_hidden_caption_is_for_screen_readers_only():
    html = table('id="c" caption="Rounds" hidden_caption=True', rows=[1])
    assert '<caption id="c" class="np-sr-only">Rounds</caption>' in html


def test_the_caption_id_and_text_may_be_variables():
    html = table("id=key caption=title", key="day-2-caption", title="Tuesday", rows=[1])
    assert 'aria-labelledby="day-2-caption"' in html
    assert '<caption id="day-2-caption">Tuesday</caption>' in html


def test_class_and_size_belong_to_the_table_not_the_region():
    html = table('id="c" caption="x" class="np-agenda-table" size="sm"', rows=[1])
    assert '<div class="np-table-wrap" tabindex="0"' in html
    assert '<table class="ds-table np-agenda-table" data-border data-size="sm">' in html


def test_the_columns_make_a_head_row_in_order():
    html = table('id="c" caption="x" c1="Name" c2="Role" c3="Status"', rows=["Ada"])
    assert (
        '</caption><thead><tr><th scope="col">Name</th><th scope="col">Role</th>'
        '<th scope="col">Status</th></tr></thead><tbody><tr><td>Ada</td></tr></tbody>'
    ) in html


def test_all_eight_columns_are_shown():
    names = " ".join(f'c{n}="h{n}"' for n in range(1, 9))
    html = table(f'id="c" caption="x" {names}', rows=[1])
    assert re.findall(r'<th scope="col">(\w+)</th>', html) == [f"h{n}" for n in range(1, 9)]


def test_the_actions_column_is_a_last_heading_for_screen_readers_only():
    html = table('id="c" caption="x" c1="Name" actions_column=True', rows=[1])
    assert (
        '<th scope="col">Name</th><th scope="col">'
        f'<span class="np-sr-only">{gettext("Actions")}</span></th></tr></thead>'
    ) in html


def test_a_table_without_columns_has_no_head():
    html = table('id="c" caption="x"', rows=[1])
    assert "<thead>" not in html and "<th" not in html
    assert "</caption><tbody><tr><td>1</td></tr></tbody></table>" in html


def test_without_rows_the_empty_text_stands_in_for_the_table():
    html = table('id="c" caption="x" c1="Name" rows=rows empty="No rounds yet."', rows=[])
    assert html == '<p class="np-empty">No rounds yet.</p>'


@pytest.mark.parametrize(
    ("option", "paragraph"),
    [('empty_class="np-muted"', '<p class="np-muted">'), ('empty_class=""', "<p>")],
)
def test_the_empty_text_takes_another_class_or_none(option, paragraph):
    html = table(f'id="c" caption="x" rows=rows empty="None." {option}', rows=[])
    assert html == f"{paragraph}None.</p>"


def test_with_rows_the_table_is_shown_and_the_empty_text_is_not():
    html = table('id="c" caption="x" rows=rows empty="No rounds yet."', rows=["a", "b"])
    assert "<tbody><tr><td>a</td></tr><tr><td>b</td></tr></tbody>" in html
    assert "No rounds yet." not in html and "np-empty" not in html


def test_without_rows_and_without_an_empty_text_nothing_is_shown():
    assert table('id="c" caption="x" rows=rows', rows=[]) == ""


def test_the_rows_are_rendered_once_in_one_table_and_one_head():
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        html = table('id="c" caption="x" c1="n"', rows=range(50))
    finally:
        template_rendered.disconnect(record)
    assert html.count("<tr><td>") == 50
    assert html.count("<table") == html.count("<thead>") == 1
    assert sorted(filter(None, rendered)) == ["includes/table.html", "includes/table_head.html"]


def test_body_separates_a_head_of_its_own_and_foot_starts_the_tfoot():
    html = table(
        'id="c" caption="x"',
        '<tr><th scope="col">Item</th></tr>{% body %}' + ROWS + "{% foot %}<tr><td>Sum</td></tr>",
        rows=["a"],
    )
    assert html.endswith(
        '</caption><thead><tr><th scope="col">Item</th></tr></thead>'
        "<tbody><tr><td>a</td></tr></tbody><tfoot><tr><td>Sum</td></tr></tfoot></table></div>"
    )


def test_foot_without_a_head_follows_the_columns():
    html = table('id="c" caption="x" c1="Item"', ROWS + "{% foot %}<tr><td>Sum</td></tr>", rows=[1])
    assert html.endswith(
        '</caption><thead><tr><th scope="col">Item</th></tr></thead>'
        "<tbody><tr><td>1</td></tr></tbody><tfoot><tr><td>Sum</td></tr></tfoot></table></div>"
    )


def test_the_caption_column_and_empty_texts_are_escaped():
    bold = "<b>Ørland</b>"
    html = table("id=bold caption=bold c1=bold", bold=bold, rows=[bold])
    assert "<b>" not in html
    assert html.count("&lt;b&gt;Ørland&lt;/b&gt;") == 5  # labelledby, id, caption, column, row
    assert table("id=bold caption=bold rows=rows empty=bold", bold=bold, rows=[]) == (
        '<p class="np-empty">&lt;b&gt;Ørland&lt;/b&gt;</p>'
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('id="c" caption="x" colour="red"', "colour"),
        ('id="c" caption="x" c1="a" C2="b"', "C2"),
        ('id="c" caption="x" "Rounds"', "name=value"),
        ('caption="Rounds"', "id=… and caption=…"),
        ('id="c"', "id=… and caption=…"),
        ('id="c" caption="x" empty="None."', "need rows=…"),
        ('id="c" caption="x" empty_class="np-muted"', "need rows=…"),
        ('id="c" caption="x" c1="a" c3="c"', "c1, c2 … without gaps"),
        ('id="c" caption="x" c2="b"', "c1, c2 … without gaps"),
    ],
)
def test_an_unknown_missing_or_misplaced_option_is_a_clear_error(options, message):
    with pytest.raises(TemplateSyntaxError, match=re.escape(message)):
        table(options)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ('{{ "day-"|concat:3|concat:"-caption" }}', "day-3-caption"),
        ("{{ 2|concat:3 }}", "23"),
        ('{{ "project-"|concat:pk }}', "project-17"),
        ('{{ "a"|concat:"" }}', "a"),
    ],
)
def test_concat_joins_numbers_and_texts_as_text(source, text):
    assert render(source, pk=17) == text


def test_concat_builds_a_caption_id_per_table_in_a_loop():
    html = render(
        '{% for day in days %}{% datatable id="day-"|concat:forloop.counter|concat:"-caption" '
        "caption=day %}<tr><td>{{ day }}</td></tr>{% enddatatable %}{% endfor %}",
        days=["Mon", "Tue"],
    )
    assert re.findall(r'aria-labelledby="([^"]+)"><table[^>]*><caption id="\1">', html) == [
        "day-1-caption",
        "day-2-caption",
    ]
