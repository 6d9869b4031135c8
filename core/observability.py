"""What operations people expect: a request id and the user id on every log record, JSON logs,
and error reports to Sentry without personal data.

- :class:`RequestIdMiddleware` (first in ``MIDDLEWARE``) takes the caller's ``X-Request-ID``
  when it is well-formed (a proxy or load balancer that made one), else makes one, and echoes
  it in the response. :class:`RequestContextFilter` puts it on every log record made while the
  request runs, with the id of the signed-in user: a number, never a name, e-mail address or
  IP address. The filter never queries the database: a user that the request has not loaded
  is logged as ``null``.
- With ``LOG_FORMAT=json`` the records are JSON objects (:class:`JsonFormatter`), one a line,
  and each request ends with one ``request`` record: method, view name, status, duration.
- With ``SENTRY_DSN`` set, :func:`init_sentry` sends errors to Sentry; :func:`before_send`
  removes e-mail addresses, cookies, query strings, request bodies and headers that identify a
  person from every event.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import LazyObject, empty
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
#: A well-formed incoming id: letters, digits and ``-_.:``, 8 to 128 characters (a UUID, a
#: hex string, the ids of common proxies). Anything else is replaced, never logged.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{8,128}")

_current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)
request_logger = logging.getLogger("portal.requests")


def view_name(request: HttpRequest) -> str:
    """The resolved URL name of the request's view (``app:view``), a bounded label
    for logs and metrics; never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or "<unnamed>"


def user_id(request: HttpRequest | None) -> int | None:
    """The signed-in user's id, if the request has loaded its user already (no query)."""
    if request is None:
        return None
    user = request.__dict__.get("user")
    if isinstance(user, LazyObject):
        # The user is loaded lazily by AuthenticationMiddleware: a log line must not load it.
        user = None if user._wrapped is empty else user._wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = (
            incoming if REQUEST_ID_PATTERN.fullmatch(incoming) else uuid.uuid4().hex
        )
        if settings.SENTRY_DSN:
            import sentry_sdk

            # An error report names the request, so its log lines can be found.
            sentry_sdk.get_isolation_scope().set_tag("request_id", request.request_id)
        token = _current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            if request_logger.isEnabledFor(logging.INFO):
                request_logger.info(
                    "request",
                    extra={
                        "method": request.method,
                        "view": view_name(request),
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            _current_request.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` to every record (``None`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            # Django's own records (django.request) carry the request; others use the one
            # that is running.
            request = _current_request.get()
        record.request_id = getattr(request, "request_id", None)
        record.user_id = user_id(request)
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per record: time, level, logger, message, request and user id, and
    the record's extra fields. The request object itself (whose address holds the query
    string) is never written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level"})
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        kwargs.setdefault("timestamp", False)
        super().__init__(*args, **kwargs)


# --- Error reports ------------------------------------------------------------------------------

FILTERED = "[Filtered]"
EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
#: Request headers that identify a person or carry a credential.
_PERSONAL_HEADERS = {
    "authorization",
    "cookie",
    "set-cookie",
    "x-forwarded-for",
    "x-real-ip",
    "forwarded",
    "x-csrftoken",
    "referer",
}


def _scrub_emails(value: Any) -> Any:
    """``value`` with every e-mail address replaced, in strings, lists and dicts."""
    if isinstance(value, str):
        return EMAIL_PATTERN.sub(FILTERED, value)
    if isinstance(value, dict):
        return {key: _scrub_emails(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub_emails(item) for item in value)
    return value


def before_send(event: dict, hint: dict | None = None) -> dict:
    """Take personal data out of a Sentry event before it leaves the server: cookies, the
    query string, the request body, identifying headers, the user except their id, and every
    e-mail address anywhere in the event."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
        request.pop("env", None)
        if "query_string" in request:
            request["query_string"] = ""
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: FILTERED if name.lower() in _PERSONAL_HEADERS else value
                for name, value in headers.items()
            }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return _scrub_emails(event)


def init_sentry(dsn: str, *, environment: str = "", release: str = "") -> None:
    """Report errors to Sentry (the Django integration), never with personal data."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        before_send=before_send,
        environment=environment or None,
        release=release or None,
        include_local_variables=False,
        traces_sample_rate=0,
    )
