"""Context every page needs: the current programme and the page's own, the language links,
the active section."""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
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
                "url": url,
                "is_current": code == current,
            }
            for (code, _name), url in zip(
                settings.LANGUAGES, language_urls(path, current), strict=True
            )
        ],
        "nav_section": section,
        "nav_entries": nav_entries.visible_to(user),
    }


def _current_programme(request):
    return current_programme(request)


def language_urls(path: str, language: str) -> tuple[str, ...]:
    if len(path) > 300:  # a long query string: not worth keeping
        return _language_urls.__wrapped__(path, language)
    return _language_urls(path, language)


@lru_cache(maxsize=2048)
def _language_urls(path: str, language: str) -> tuple[str, ...]:
    """The page at ``path`` in each language, as ``translate_url`` gives it (it resolves the
    path and reverses it once per language): the same for the same path and active language
    while the URLs stay as they are, so kept for the most recent pages."""
    return tuple(translate_url(path, code) for code, _name in settings.LANGUAGES)


def _forget_language_urls(**kwargs) -> None:
    _language_urls.cache_clear()


setting_changed.connect(_forget_language_urls, dispatch_uid="portal_language_urls_forget")
