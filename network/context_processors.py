"""Context every page needs: the current programme and the page's own, the language links,
the active section."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, override

from core.content_memo import BoundedMemo

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
                settings.LANGUAGES, language_urls(path, current, match), strict=True
            )
        ],
        "nav_section": section,
        "nav_entries": nav_entries.visible_to(user),
    }


def _current_programme(request):
    return current_programme(request)


def language_urls(path: str, language: str, match=None) -> tuple[str, ...]:
    """The page at ``path`` in each language, as ``translate_url`` gives it. ``match`` (the
    request's own ``resolver_match``) spares resolving the path again: each language is
    reversed from it. The same for the same path and active language while the URLs stay as
    they are, so kept for the most recent pages."""
    if len(path) > 300:  # a long query string: not worth keeping
        return _translated(path, match)
    return _LANGUAGE_URLS.get_or_make((path, language), lambda: _translated(path, match))


_LANGUAGE_URLS = BoundedMemo(2048)


def _translated(path: str, match) -> tuple[str, ...]:
    if match is None or match.url_name is None:
        return tuple(translate_url(path, code) for code, _name in settings.LANGUAGES)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    query = urlsplit(path).query
    urls = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            try:
                url = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                url = path
            else:
                url = f"{url}?{query}" if query else url
        urls.append(url)
    return tuple(urls)


def _forget_language_urls(**kwargs) -> None:
    _LANGUAGE_URLS.clear()


setting_changed.connect(_forget_language_urls, dispatch_uid="portal_language_urls_forget")
