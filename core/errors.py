"""The error pages: a database that does not answer gives a friendly 503 page, never a stack
trace or a 500. Two places catch it:

- ``middleware.DatabaseUnavailableMiddleware.process_exception``: the view (and the rendering
  of its template response), where nearly every query runs: the session and the user are loaded
  lazily there, and django-axes checks sign-ins there;
- ``server_error`` and ``bad_request`` (``handler500``/``handler400`` in ``config/urls.py``):
  anything raised in a middleware before or after the view. Django turns such an exception into
  the handler's answer before an outer middleware could catch it. The session middleware is the
  one that needs it: after a view that failed it reads the session again (a 500), and a failed
  save of the session after the view it reports as «session deleted meanwhile» (a 400).

The page is rendered without a request, so no context processor runs and nothing touches the
database; the language comes from the URL (``/nn/``, ``/en/``, Bokmål otherwise).

Every other error is answered by Django's own handlers, with the templates ``403.html``,
``404.html`` and ``500.html``.
"""

import sys

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views import defaults

#: Django wraps the driver's errors in its own classes; the driver's are listed for errors
#: raised outside Django's wrapper.
DATABASE_UNAVAILABLE_ERRORS = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
#: Seconds a client is asked to wait: a PostgreSQL restart takes a few.
RETRY_AFTER = 30


def is_database_unavailable(exception: BaseException | None) -> bool:
    """True for a lost database connection, also when another exception was raised while
    handling it (Django's session store turns it into ``UpdateError``, its middleware that into
    ``SessionInterrupted``, a 400)."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def database_unavailable(request: HttpRequest, *, saved: bool | None = False) -> HttpResponse:
    """The 503 page. ``saved`` is what it tells the sender of a form: False (nothing was saved:
    the view's transaction was rolled back), None (unknown: the view had finished)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            "503.html",
            {
                "LANGUAGE_CODE": language,
                "portal_name": settings.PORTAL_NAME,
                "is_form": request.method not in {"GET", "HEAD", "OPTIONS"},
                "saved_unknown": saved is None,
                "retry_url": request.get_full_path(),
            },
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: the 503 page when the session could not be saved because the database
    does not answer (Django reports that as a 400, «the session was deleted»)."""
    if is_database_unavailable(exception):
        return database_unavailable(request, saved=_saved(request))
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the 503 page for a database fault outside the view, else the 500 page.

    Django calls it while handling the exception, so ``sys.exc_info()`` holds it. The session
    middleware fails again after a view that failed (it reads the session to save it); only a
    fault after a view that ran to its end leaves unknown whether a form was saved.
    """
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request, saved=_saved(request))
    return defaults.server_error(request)


def _saved(request: HttpRequest) -> bool | None:
    """After a fault outside the view: False when the view did not run or failed on the
    database itself (its transaction rolled back), None (unknown) when it ran to its end."""
    view_ran = getattr(request, "_database_fault_view_started", False) and not getattr(
        request, "_database_fault_in_view", False
    )
    return None if view_ran else False
