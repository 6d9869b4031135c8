"""Template tags shared by every app's pages: ``{% load portal %}``.

- ``{% crumbs label url … label as trail %}`` builds the trail for includes/breadcrumbs.html.
- ``{% scrolltable %}<table>…</table>{% endscrolltable %}`` puts a table in
  includes/table.html: the one scrollable, focusable region that every table sits in, named by
  the table's caption.
- ``{% datatable id=… caption=… %}<tr>…</tr>{% enddatatable %}`` writes the whole table around
  its rows, in that region: caption, head, body and the text shown instead of the table when
  there are no rows.
- ``"day-"|concat:n`` joins texts and numbers, for ids.
- ``{% itemlist item in items %}…{% empty %}…{% enditemlist %}`` is a list (<ul>) with an
  item (<li>) per element, or what ``{% empty %}`` gives when there are none.
- ``{% postform %}…{% endpostform %}`` is a form laid out by hand (includes/post_form.html):
  it posts to its page, with the CSRF token and the form's error summary above the fields.
- ``{% fields form "name" … [row=True] %}`` renders designsystemet/field.html for each named
  field, in a row (<div class="np-form-row np-form-item">) when asked.
- ``{% fieldset legend=… %}…{% endfieldset %}`` is a group of fields under its legend
  (designsystemet/layout/fieldset.html, as crispy-forms' Fieldset).
- ``{% section heading=… id=… %}…{% endsection %}`` is a <section> named by its <h2>.
- ``{% once key … %}…{% endonce %}`` renders its content once per language and key, and
  reuses the text: for the parts of the layout that are the same on every page.
"""

import itertools
import re
import threading

from django import template
from django.core.signals import setting_changed
from django.forms import BaseForm
from django.template.base import TextNode, token_kwargs
from django.template.defaulttags import ForNode
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

#: The id of a table's caption (the first element of a <table>).
CAPTION_ID = re.compile(r'<caption\b[^>]*?\sid="([^"]+)"')


@register.simple_tag
def crumbs(*steps) -> list[dict]:
    """A breadcrumb trail from label, url pairs; the last label, the current page, may come
    without its url. ``{% crumbs home_label home_url page_label as trail %}``."""
    trail = [{"label": steps[i], "url": steps[i + 1]} for i in range(0, len(steps) - 1, 2)]
    if len(steps) % 2:
        trail.append({"label": steps[-1]})
    return trail


@register.filter
def concat(value, arg) -> str:
    """``"day-"|concat:forloop.counter|concat:"-caption"``: the two as text, one after the other
    (an id built from a number; ``add`` would add numbers)."""
    return f"{value}{arg}"


class BlockNode(template.Node):
    """A block tag's node: its content in nodelists, its options the tag's keyword
    arguments."""

    child_nodelists = ("nodelist",)

    def __init__(self, options, **nodelists):
        self.options = options
        for name in self.child_nodelists:
            setattr(self, name, nodelists.get(name))

    def resolve_options(self, context) -> dict:
        return {name: value.resolve(context) for name, value in self.options.items()}


def block_options(parser, bits: list[str], allowed: set[str]) -> dict:
    """The ``name=value`` arguments of the tag ``bits[0]``; only those ``allowed``."""
    options = token_kwargs(bits[1:], parser, support_legacy=False)
    if len(options) != len(bits) - 1 or set(options) - allowed:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes only name=… arguments: {', '.join(sorted(allowed))}"
        )
    return options


def block_content(parser, end: str) -> template.NodeList:
    """The content of a block tag, up to its ``end`` tag."""
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return nodelist


class ScrollTableNode(BlockNode):
    def render(self, context):
        values = self.resolve_options(context)
        table = self.nodelist.render(context)
        if not values.get("labelledby"):
            caption = CAPTION_ID.search(table)
            if caption is None:
                raise template.TemplateSyntaxError(
                    "scrolltable: give the table a <caption id=…>, or labelledby=… the id of "
                    "the heading that names it"
                )
            values["labelledby"] = caption.group(1)
        return _region(context, table, values)


def _region(context, table: str, values: dict) -> str:
    """The rendered table in its scrollable region (includes/table.html)."""
    wrapper = context.template.engine.get_template("includes/table.html")
    return wrapper.render(context.new({**values, "table": table}))


@register.tag
def scrolltable(parser, token):
    """``{% scrolltable [labelledby="id"] [class="more classes"] [region=False] %}<table>…
    </table>{% endscrolltable %}``. The region is named by the table's <caption id=…>, or by
    the element whose id ``labelledby`` gives (a heading). ``region=False``: a table of a few
    short rows inside a figure, which never scrolls, is not a landmark of its own."""
    options = block_options(parser, token.split_contents(), {"labelledby", "class", "region"})
    return ScrollTableNode(options, nodelist=block_content(parser, "endscrolltable"))


#: What ``{% datatable %}`` takes: the caption's id and text, the table's look, the rows it tests
#: and the text shown without them, and the column headings of includes/table_head.html.
DATATABLE_OPTIONS = {
    "id",
    "caption",
    "hidden_caption",
    "class",
    "size",
    "rows",
    "empty",
    "empty_class",
    "labelledby",
    "actions_column",
    *(f"c{n}" for n in range(1, 9)),
}


class DataTableNode(BlockNode):
    child_nodelists = ("head", "body", "foot")

    def render(self, context):
        values = self.resolve_options(context)
        if "rows" in values and not values["rows"]:
            if not values.get("empty"):
                return ""
            empty = context.template.engine.get_template("includes/data_table_empty.html")
            return empty.render(context.new({"empty_class": "np-empty", **values}))
        parts = {name: getattr(self, name) for name in self.child_nodelists}
        parts = {name: nodelist.render(context) for name, nodelist in parts.items() if nodelist}
        values["table_class"] = values.pop("class", "")
        values.setdefault("labelledby", values["id"])
        return _region(context, "", {**values, **parts})


@register.tag
def datatable(parser, token):
    """``{% datatable id="rounds-caption" caption=_("Rounds") [hidden_caption=True]
    [class="np-…"] [size="sm"] [rows=rounds empty=_("No rounds yet.") [empty_class="np-muted"]]
    [c1=_("Name") … c8=… [actions_column=True]] %}{% for round in rounds %}<tr>…</tr>{% endfor %}
    {% enddatatable %}``: a table (``ds-table``, bordered) in its scrollable region, named by its
    caption. Its content is the body's rows, rendered once for the table; the head is the
    columns c1 … c8 (includes/table_head.html), or, for a head of its own, the content starts
    with the head's rows and ``{% body %}`` separates them from the body's; ``{% foot %}``
    after the body starts the rows of a <tfoot>. With ``rows=``, a table without rows is not
    shown, and ``empty`` is shown in its place. ``labelledby``: the ids that name the region,
    when the caption alone does not."""
    bits = token.split_contents()
    options = token_kwargs(bits[1:], parser, support_legacy=False)
    unknown = sorted(set(options) - DATATABLE_OPTIONS)
    if len(options) != len(bits) - 1 or unknown:
        raise template.TemplateSyntaxError(
            f"{bits[0]}: {', '.join(unknown) or 'arguments are name=value'}; it takes only "
            f"{', '.join(sorted(DATATABLE_OPTIONS))}"
        )
    if not {"id", "caption"} <= set(options):
        raise template.TemplateSyntaxError(f"{bits[0]}: give the caption's id=… and caption=…")
    if {"empty", "empty_class"} & set(options) and "rows" not in options:
        raise template.TemplateSyntaxError(
            f"{bits[0]}: empty=… and empty_class=… need rows=…, the rows they stand in for"
        )
    columns = sorted(int(name[1:]) for name in options if re.fullmatch(r"c\d", name))
    if columns != list(range(1, len(columns) + 1)):
        raise template.TemplateSyntaxError(f"{bits[0]}: the columns are c1, c2 … without gaps")
    parts = {}
    nodelist = parser.parse(("body", "foot", "enddatatable"))
    end = parser.next_token().contents
    if end == "body":
        parts["head"] = nodelist
        nodelist = parser.parse(("foot", "enddatatable"))
        end = parser.next_token().contents
    parts["body"] = nodelist
    if end == "foot":
        parts["foot"] = parser.parse(("enddatatable",))
        parser.delete_first_token()
    return DataTableNode(options, **parts)


class ItemOpenNode(template.Node):
    """An item's opening tag: <li>, or <li class="…">."""

    def __init__(self, item_class):
        self.item_class = item_class

    def render(self, context):
        if self.item_class is None:
            return "<li>"
        return format_html('<li class="{}">', self.item_class.resolve(context))


class ItemListNode(template.Node):
    child_nodelists = ("nodelist_item", "nodelist_empty")

    def __init__(self, loopvars, sequence, nodelist_item, nodelist_empty, options):
        self.sequence = sequence
        self.nodelist_item = nodelist_item
        self.nodelist_empty = nodelist_empty
        self.list_class = options.get("class")
        item = template.NodeList(
            [ItemOpenNode(options.get("item_class")), *nodelist_item, TextNode("</li>\n")]
        )
        self.loop = ForNode(loopvars, sequence, False, item)

    def render(self, context):
        if not self.sequence.resolve(context, ignore_failures=True):
            return self.nodelist_empty.render(context)
        list_class = "np-list" if self.list_class is None else self.list_class.resolve(context)
        return format_html('<ul class="{}">\n{}</ul>', list_class, self.loop.render(context))


@register.tag
def itemlist(parser, token):
    """``{% itemlist a, b in pairs [class="np-list"] [item_class="…"] %}…{% empty %}…
    {% enditemlist %}``: when the sequence has elements, a <ul class="np-list"> (or the class
    given) with an <li> per element around the content, which sees the loop's variables as
    in ``{% for %}`` (``forloop`` too); else what ``{% empty %}`` gives (nothing without
    it). The list of a section: «the items, or a line that says there are none»."""
    bits = token.split_contents()
    if "in" not in bits[2:]:
        raise template.TemplateSyntaxError(f"{bits[0]} is written like for: x in items")
    at = bits.index("in")
    loopvars = [name.strip() for name in " ".join(bits[1:at]).split(",")]
    if len(bits) == at + 1 or not all(loopvars):
        raise template.TemplateSyntaxError(f"{bits[0]} is written like for: x in items")
    sequence = parser.compile_filter(bits[at + 1])
    options = token_kwargs(bits[at + 2 :], parser, support_legacy=False)
    if len(options) != len(bits) - at - 2 or set(options) - {"class", "item_class"}:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes only class=… and item_class=… after the sequence"
        )
    nodelist_item = parser.parse(("empty", "enditemlist"))
    if parser.next_token().contents == "empty":
        nodelist_empty = parser.parse(("enditemlist",))
        parser.delete_first_token()
    else:
        nodelist_empty = template.NodeList()
    return ItemListNode(loopvars, sequence, nodelist_item, nodelist_empty, options)


class PostFormNode(BlockNode):
    def render(self, context):
        values = {
            "form_action": self.resolve_options(context).get("action"),
            "fields": self.nodelist.render(context),
        }
        wrapper = context.template.engine.get_template("includes/post_form.html")
        with context.push(**values):
            return wrapper.render(context)


@register.tag
def postform(parser, token):
    """``{% postform [action=url] %}…fields…{% endpostform %}``: a form of several columns,
    its fields laid out by hand, that posts to its page (or to ``action``): the <form> with
    the CSRF token and the error summary of the context's ``form`` above the content, as
    includes/post_form.html lays them out."""
    options = block_options(parser, token.split_contents(), {"action"})
    return PostFormNode(options, nodelist=block_content(parser, "endpostform"))


#: The classes of a row of fields side by side, ``{% fields … row=True %}``.
FIELD_ROW_CLASS = "np-form-row np-form-item"


@register.simple_tag(takes_context=True)
def fields(context, *args, row=None) -> str:
    """``{% fields form "title" "kind" %}`` or ``{% fields target day %}``: each field as
    designsystemet/field.html writes it (label, help text, input, errors), in that order. The
    arguments are bound fields, or a form followed by the names of its fields; a field that
    is None (a form's optional field it does not have) is left out. ``row=True`` puts them in
    a row side by side (<div class="np-form-row np-form-item">), ``row="classes"`` in a
    <div> of those classes."""
    form, names = (args[0], args[1:]) if args and isinstance(args[0], BaseForm) else (None, args)
    bound = []
    for field in names:
        if isinstance(field, str) and field:
            if form is None:
                raise template.TemplateSyntaxError(
                    f"fields: give the form before the name {field!r}: {{% fields form …names %}}"
                )
            field = form[field]
        if field is not None and field != "":
            bound.append(field)
    one = context.template.engine.get_template("designsystemet/field.html")
    html = []
    for field in bound:
        with context.push(field=field):
            html.append(one.render(context))
    html = mark_safe("\n".join(html))
    if not row:
        return html
    return format_html(
        '<div class="{}">\n{}\n</div>', FIELD_ROW_CLASS if row is True else row, html
    )


class FieldsetNode(BlockNode):
    def render(self, context):
        values = self.resolve_options(context)
        fieldset = {"css_class": values.get("class", ""), "css_id": "", "flat_attrs": ""}
        group = context.template.engine.get_template("designsystemet/layout/fieldset.html")
        content = {
            "fieldset": fieldset,
            "legend": conditional_escape(values["legend"]),
            "fields": self.nodelist.render(context),
        }
        with context.push(**content):
            return group.render(context)


@register.tag
def fieldset(parser, token):
    """``{% fieldset legend=_("When") [class="more classes"] %}…fields…{% endfieldset %}``: a
    group of fields (a <fieldset class="ds-fieldset …"> with its <legend>), as crispy-forms'
    ``Fieldset`` writes it, around the content: fields, help text, rows."""
    bits = token.split_contents()
    options = block_options(parser, bits, {"legend", "class"})
    if "legend" not in options:
        raise template.TemplateSyntaxError(f"{bits[0]}: give the group's legend=…")
    return FieldsetNode(options, nodelist=block_content(parser, "endfieldset"))


class SectionNode(BlockNode):
    def render(self, context):
        values = self.resolve_options(context)
        heading_id = values.get("heading_id") or f"{values['id']}-heading"
        return format_html(
            '<section aria-labelledby="{}" class="{}"{}>\n  <h2 id="{}">{}</h2>{}</section>',
            heading_id,
            values.get("class", "np-section"),
            format_html(' id="{}"', values["id"]) if values.get("id") else "",
            heading_id,
            values["heading"],
            self.nodelist.render(context),
        )


@register.tag
def section(parser, token):
    """``{% section heading=_("Anchoring") id="forankring" [heading_id="…"]
    [class="np-section np-report-section"] %}…{% endsection %}``: a <section> (class
    np-section unless given) with its heading, an <h2>, above the content, the region named
    by the heading (aria-labelledby its id: ``heading_id``, or the section's id and
    «-heading»)."""
    bits = token.split_contents()
    options = block_options(parser, bits, {"heading", "id", "heading_id", "class"})
    if "heading" not in options or not {"id", "heading_id"} & set(options):
        raise template.TemplateSyntaxError(
            f"{bits[0]}: give its heading=… and id=… or heading_id=…"
        )
    return SectionNode(options, nodelist=block_content(parser, "endsection"))


#: Texts rendered by ``{% once %}``, by (node, language, keys). Bounded: emptied when full.
_once: dict[tuple, str] = {}
ONCE_LIMIT = 2000
_once_lock = threading.Lock()
_once_ids = itertools.count()


def clear_once() -> None:
    """Forget every text ``{% once %}`` has kept (tests that change settings or URLs)."""
    with _once_lock:
        _once.clear()


def _hashable(value):
    if isinstance(value, list | tuple):
        return tuple(_hashable(item) for item in value)
    return value


class OnceNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        self.id = next(_once_ids)

    def render(self, context):
        key = (
            self.id,
            get_language(),
            *(_hashable(value.resolve(context)) for value in self.keys),
        )
        try:
            return _once[key]
        except KeyError:
            pass
        except TypeError:  # a key that cannot be hashed: render every time
            return self.nodelist.render(context)
        text = self.nodelist.render(context)
        with _once_lock:
            if len(_once) >= ONCE_LIMIT:
                _once.clear()
            _once[key] = text
        return text


@register.tag
def once(parser, token):
    """``{% once key … %}…{% endonce %}``: the content is rendered the first time for each
    language and each combination of the keys' values, and the same text is used after that
    in this process, without rendering it again.

    For the parts of the layout that every page repeats (the header, the main menu, the
    footer). The content must depend on nothing but the active language, the keys and what
    never changes while the process runs (settings, URLs, static files): name as keys
    *every* value of the context it shows (``page_programme.name``, not ``page_programme``,
    whose name may change). Never put a CSRF token, the request's path or a user's data
    inside unless it is a key."""
    bits = token.split_contents()
    keys = [parser.compile_filter(bit) for bit in bits[1:]]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, keys)


def _forget_on_setting_changed(**kwargs) -> None:
    clear_once()


# A test that changes a setting (the static files' URL, the URLs, the portal's name) must not
# get a text rendered before.
setting_changed.connect(_forget_on_setting_changed, dispatch_uid="portal_once_forget")
