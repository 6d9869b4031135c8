"""Template tags shared by every app's pages: ``{% load portal %}``.

- ``{% crumbs label url … label as trail %}`` builds the trail for includes/breadcrumbs.html.
- ``{% scrolltable %}<table>…</table>{% endscrolltable %}`` puts a table in
  includes/table.html: the one scrollable, focusable region that every table sits in, named by
  the table's caption.
"""

import re

from django import template
from django.template.base import token_kwargs

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


class ScrollTableNode(template.Node):
    def __init__(self, nodelist, options):
        self.nodelist = nodelist
        self.options = options

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.options.items()}
        table = self.nodelist.render(context)
        if not values.get("labelledby"):
            caption = CAPTION_ID.search(table)
            if caption is None:
                raise template.TemplateSyntaxError(
                    "scrolltable: give the table a <caption id=…>, or labelledby=… the id of "
                    "the heading that names it"
                )
            values["labelledby"] = caption.group(1)
        wrapper = context.template.engine.get_template("includes/table.html")
        return wrapper.render(context.new({**values, "table": table}))


@register.tag
def scrolltable(parser, token):
    """``{% scrolltable [labelledby="id"] [class="more classes"] [region=False] %}<table>…
    </table>{% endscrolltable %}``. The region is named by the table's <caption id=…>, or by
    the element whose id ``labelledby`` gives (a heading). ``region=False``: a table of a few
    short rows inside a figure, which never scrolls, is not a landmark of its own."""
    bits = token.split_contents()
    options = token_kwargs(bits[1:], parser, support_legacy=False)
    if len(options) != len(bits) - 1 or set(options) - {"labelledby", "class", "region"}:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes only labelledby=…, class=… and region=… arguments"
        )
    nodelist = parser.parse(("endscrolltable",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist, options)
