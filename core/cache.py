"""The page cache: finished pages served again without touching the database.

**Anonymous visitors** all see the same public pages, so :class:`PageCacheMiddleware` keeps
the finished response of an anonymous GET (keyed by scheme, host and full path – the language
prefix and query included) for everyone who is not signed in. **A signed-in user's** pages
are kept for that user's session only (keyed by the session and CSRF cookies as well): their
own page, with their own CSRF token, served to nobody else.

Every entry carries the *content generation* it was rendered in; any change makes a new
generation, so a change is visible on the very next request, anonymous or signed in:

- after every state-changing request (POST, PUT, PATCH, DELETE) answered below 400, unless
  its view is marked :func:`does_not_change_public_pages` (e.g. an anonymous form answer);
- by the management commands that write data (:func:`bump_generation`).

Never stored for anonymous visitors: requests with a session cookie or pending messages;
responses other than 200, streaming ones, ones that set a cookie (a page that used the CSRF
token, which is the visitor's own, always renews the CSRF cookie), and ones marked
``Cache-Control: private/no-cache/no-store``. The exception is a view marked
:func:`shared_form_page` (a questionnaire that many people open in
bursts): its page is stored once for all anonymous visitors with every CSRF token taken out,
and each hit puts in a token of the visitor's own CSRF cookie (and sets one when they have
none), as Django's ``{% csrf_token %}`` would. Such a page is neither stored nor served for a
request that carries any other cookie (the view may answer differently to it).

Never stored for a signed-in user: pages whose request changed the session or set a cookie
other than the renewal of the session or CSRF cookie, pages for a session that is not signed
in, anything but HTML and iCalendar, and pages marked ``Cache-Control: private/no-cache/
no-store``: pages and files with health data are marked so with :func:`never_stored`. A hit
for a session is served without reading it: signing out is a POST, which starts a new
generation. Entries expire after ``PAGE_CACHE_SECONDS`` (``PRIVATE_PAGE_CACHE_SECONDS``)
anyway: a safety net for pages that change with the date («upcoming events») and for
writes made outside the portal. Each entry's lifetime is drawn within ±15 % of that
(:func:`jittered`), so that pages stored together (a burst after a new generation) do not
all expire in the same second and are rendered again together. The cache must be shared
by all processes (Redis); without ``REDIS_URL`` both are 0 by default, and the middleware
does nothing.

Views that keep rendered fragments of their own (the ministry overview) ask
:func:`fragment_cache_enabled` first: ``FRAGMENT_CACHE=0`` turns them off, so that the
benchmark can measure the render path (``bench/run.py --page-cache off``).
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
HIT_HEADER = "X-Page-Cache"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_UNCACHEABLE = ("no-cache", "no-store", "private")
#: What a CSRF token is replaced with in a stored :func:`shared_form_page`.
_TOKEN_SLOT = b"\x00csrf-token\x00"
#: The hidden field ``{% csrf_token %}`` writes; its value is the token taken out.
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
#: How far an entry's lifetime may be from the setting, either way (a fraction of it).
JITTER = 0.15
#: The random numbers in [0, 1) the lifetimes are drawn with (tests put in their own).
lifetime_random: Callable[[], float] = random.random


def jittered(seconds: int, rand: Callable[[], float] | None = None) -> int:
    """``seconds`` ± :data:`JITTER` (at least one second): entries stored together expire
    spread over a fifth of their lifetime instead of in the same second."""
    draw = (rand or lifetime_random)()
    return max(1, round(seconds * (1 + JITTER * (2 * draw - 1))))


def fragment_cache_enabled() -> bool:
    """Whether views may keep rendered fragments of their own (``FRAGMENT_CACHE``, on unless
    set to 0): off, every request renders everything (the benchmark's render path)."""
    return getattr(settings, "FRAGMENT_CACHE", True)


def bump_generation() -> None:
    """Make every cached page stale: call after writing data outside a request."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # the cache being down must never fail a write
        logger.exception("Could not start a new page cache generation.")


def does_not_change_public_pages(view):
    """Mark a view whose POSTs change no page that others see at once (an anonymous
    answer: its counts may show up to the cache's time to live later), so that its POSTs
    leave the page cache as it is. A class-based view sets ``changes_public_pages = False``."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.changes_public_pages = False
    return wrapped


def never_stored(view):
    """Mark a view whose pages and files must be kept by no cache at all, as those that show
    health data (diets, allergies): ``Cache-Control: no-store, private`` on every answer, so
    neither the browser, a proxy nor the page cache keeps them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return wrapped


def shared_form_page(view):
    """Mark a public view whose GET page is the same for every anonymous visitor but for its
    CSRF token (a questionnaire): the page cache stores it for all of them, with the token
    put in per visitor. Only a 200 answer to a GET without a query string is shared (an
    invitation link, ``?i=…``, is a page of its own visitor); ``Cache-Control`` headers are
    left for the browser (``never_cache`` keeps the back button from showing an old token)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and not request.GET and response.status_code == 200:
            response.shared_form_page = True
        return response

    return wrapped


class PageCacheMiddleware:
    """Serve GET/HEAD requests from the page cache; start a new generation after a
    state-changing request. Place it before SessionMiddleware (a hit needs no session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public, private = settings.PAGE_CACHE_SECONDS, settings.PRIVATE_PAGE_CACHE_SECONDS
        if request.method in ("GET", "HEAD") and CookieStorage.cookie_name not in request.COOKIES:
            session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            if session is None and public:
                return self._cached(request, public, _page_key(request), _is_storable)
            if session is not None and private:
                key = _page_key(request, private=(session, _csrf_cookie(request)))
                return self._cached(request, private, key, _is_privately_storable)
        response = self.get_response(request)
        if (
            (public or private)
            and request.method not in _SAFE_METHODS
            and response.status_code < 400
            and getattr(request, "changes_public_pages", True)
        ):
            bump_generation()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        if getattr(view_func, "changes_public_pages", True) is False or (
            getattr(view_class, "changes_public_pages", True) is False
        ):
            request.changes_public_pages = False

    def _cached(self, request, seconds: int, key: str, is_storable):
        try:
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            if generation is None:
                cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
                generation = cache.get(GENERATION_KEY)
        except Exception:
            logger.exception("The page cache is not available.")
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            if not _is_form_entry(entry):
                return _from_entry(entry, head=request.method == "HEAD")
            if not _has_other_cookies(request):
                return _form_from_entry(request, entry, head=request.method == "HEAD")
        response = self.get_response(request)
        if request.method != "GET":
            return response
        # Headers only: cookies (a renewed session or CSRF cookie) are never stored.
        entry = None
        if getattr(response, "shared_form_page", False):
            content = _shared_form_content(request, response)
            if content is not None:
                entry = (generation, response.status_code, list(response.items()), content, "form")
        elif is_storable(request, response):
            entry = (generation, response.status_code, list(response.items()), response.content)
        if entry is not None:
            try:
                cache.set(key, entry, jittered(seconds))
            except Exception:
                logger.exception("Could not store a page in the page cache.")
        return response


def _csrf_cookie(request) -> str:
    return request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")


def _page_key(request, *, private: tuple[str, str] | None = None) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    if private is not None:
        address += "\n" + "\n".join(private)
    kind = "private" if private else "public"
    return f"pages:{kind}:" + hashlib.sha256(address.encode()).hexdigest()


def _cache_control_allows(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in _UNCACHEABLE)


def _added_a_message(request) -> bool:
    """A message added and shown by the same GET must not be shown again from the cache."""
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and storage.added_new)


def _is_storable(request, response) -> bool:
    # A page that used the CSRF token always sets (renews) the CSRF cookie: not stored.
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if _added_a_message(request):
        return False
    return _cache_control_allows(response)


_PRIVATE_TYPES = ("text/html", "text/calendar")


def _is_privately_storable(request, response) -> bool:
    """A signed-in user's page, for their session only: a 200 HTML page whose request left
    the session as it was and set no cookie but the renewal of the session or CSRF cookie."""
    if response.status_code != 200 or response.streaming or not _cache_control_allows(response):
        return False
    if _added_a_message(request):
        return False
    if not response.get("Content-Type", "").startswith(_PRIVATE_TYPES):
        return False
    # The key holds both cookies: only renewals of the same values are allowed.
    sent = {
        name: request.COOKIES.get(name)
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    }
    if not all(sent.values()):
        return False
    if any(sent.get(name) != morsel.value for name, morsel in response.cookies.items()):
        return False
    session, user = getattr(request, "session", None), getattr(request, "user", None)
    return bool(
        session is not None and not session.modified and user is not None and user.is_authenticated
    )


def _from_entry(entry, *, head: bool) -> HttpResponse:
    _generation, status, headers, content, *_kind = entry
    response = HttpResponse(b"" if head else content, status=status)
    for name, value in headers:
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response


# --- Shared form pages: one stored page, each visitor's own CSRF token -----------------------


def _is_form_entry(entry) -> bool:
    return len(entry) == 5 and entry[4] == "form"


def _has_other_cookies(request) -> bool:
    return any(name != settings.CSRF_COOKIE_NAME for name in request.COOKIES)


def _shared_form_content(request, response) -> bytes | None:
    """The page with the value of each CSRF field replaced by a slot, or None when it must not
    be shared: another cookie in the request or the response, not a plain 200 page, or a token
    that also stands elsewhere in the page."""
    if (
        settings.CSRF_USE_SESSIONS
        or response.status_code != 200
        or response.streaming
        or _has_other_cookies(request)
        or any(name != settings.CSRF_COOKIE_NAME for name in response.cookies)
        or _added_a_message(request)
    ):
        return None
    tokens = {match.group(2) for match in _TOKEN_FIELD.finditer(response.content)}
    content = _TOKEN_FIELD.sub(
        lambda match: match.group(1) + _TOKEN_SLOT + match.group(3), response.content
    )
    if not tokens or any(token in content for token in tokens):
        return None
    return content


#: Django's own CSRF middleware, used for its cookie handling only (it never calls a view):
#: it reads the visitor's cookie (``process_request``) and sets a new one
#: (``process_response``), as on any page.
_csrf = CsrfViewMiddleware(lambda request: None)


def _form_from_entry(request, entry, *, head: bool) -> HttpResponse:
    """The stored form page with tokens of the visitor's own CSRF cookie (a new cookie for a
    visitor who has none), as ``{% csrf_token %}`` would write them."""
    _csrf.process_request(request)
    had_cookie = "CSRF_COOKIE" in request.META  # a valid cookie of the visitor's, kept as it is
    parts = entry[3].split(_TOKEN_SLOT)
    content = parts[0] + b"".join(get_token(request).encode() + part for part in parts[1:])
    response = _from_entry((*entry[:3], content), head=head)
    if not had_cookie:
        response = _csrf.process_response(request, response)
    patch_vary_headers(response, ("Cookie",))
    return response
