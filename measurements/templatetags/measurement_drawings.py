"""``{% load measurement_drawings %}``: the drawings of measurements.drawings in a page."""

from django import template
from django.utils.safestring import SafeString

from ..drawings import draw_indicator

register = template.Library()


@register.simple_tag(takes_context=True)
def indicator_article(context, item) -> SafeString:
    """An indicator's article (``selectors.IndicatorProgress``); in the final report's
    document, with the charts' stylesheet (``chart_stylesheet``) in the chart."""
    stylesheet = context.get("chart_stylesheet") or ""
    if not stylesheet:
        return item.drawing.article
    return draw_indicator(item.facts, stylesheet).article
