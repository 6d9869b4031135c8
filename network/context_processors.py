"""Context every page needs: the current programme and the page's own, the language links,
the active section."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from .page_blocks import nav_entries
from .selectors import current_programme, page_programme

_LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}

_SECTIONS = {
    "network": "home",
    "municipalities": "municipalities",
    "gatherings": "gatherings",
}


def portal(request):
    current = get_language()
    path = request.get_full_path()
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    section = _SECTIONS.get(namespace) or nav_entries.section_of(namespace)
    if match and match.url_name in ("my_pages", "my_data", "my_data_delete"):
        section = "my_pages"
    user = getattr(request, "user", None)
    return {
        "portal_name": settings.PORTAL_NAME,
        "accessibility_email": settings.ACCESSIBILITY_EMAIL,
        "privacy_email": settings.PRIVACY_EMAIL,
        "current_programme": _current_programme(request),
        "page_programme": page_programme(request),
        "language_links": [
            {
                "code": code,
                "name": _LANGUAGE_NAMES.get(code, code),
                "url": translate_url(path, code),
                "is_current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ],
        "nav_section": section,
        "nav_entries": nav_entries.visible_to(user),
    }


def _current_programme(request):
    return current_programme(request)
