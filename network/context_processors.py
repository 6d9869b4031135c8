"""Context every page needs: the programme, the language links, the active section."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from .selectors import current_programme

_LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}

_SECTIONS = {
    "network": "home",
    "municipalities": "municipalities",
    "gatherings": "gatherings",
    "measurements": "progress",
}


def portal(request):
    current = get_language()
    path = request.get_full_path()
    match = getattr(request, "resolver_match", None)
    section = _SECTIONS.get(match.namespace if match else "", "")
    if match and match.url_name in ("my_pages", "my_data", "my_data_delete"):
        section = "my_pages"
    user = getattr(request, "user", None)
    return {
        "portal_name": settings.PORTAL_NAME,
        "accessibility_email": settings.ACCESSIBILITY_EMAIL,
        "privacy_email": settings.PRIVACY_EMAIL,
        "current_programme": _current_programme(request),
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
        "show_progress_link": bool(
            user and user.is_authenticated and user.has_perm("measurements.view_overview")
        ),
    }


def _current_programme(request):
    return current_programme(request)
