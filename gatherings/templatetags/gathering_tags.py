"""Template tags of the gatherings' pages: ``{% load gathering_tags %}``."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def gathering_crumbs(gathering, page=None) -> list[dict]:
    """The breadcrumb trail of a gathering's page, for includes/breadcrumbs.html: Gatherings ›
    the network (with its round where names repeat) › the gathering › ``page``. Without
    ``page`` the gathering is the current page.
    ``{% gathering_crumbs gathering page as crumbs %}``."""
    trail = [
        {"label": gettext("Gatherings"), "url": reverse("gatherings:list")},
        {"label": gathering.network.title, "url": gathering.network.get_absolute_url()},
    ]
    if page:
        trail.append({"label": gathering.display_title, "url": gathering.get_absolute_url()})
        trail.append({"label": page})
    else:
        trail.append({"label": gathering.display_title})
    return trail
