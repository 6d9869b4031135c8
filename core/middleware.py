"""Middleware of the portal: the answer when the database is down (the page itself is in
``core.errors``), a Permissions-Policy and a Cross-Origin-Resource-Policy, 405 for the HTTP
methods the portal does not use, and the portal's own error pages on a development server
(``FRIENDLY_ERRORS``)."""

import logging

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    MiddlewareNotUsed,
    PermissionDenied,
    SuspiciousOperation,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views import defaults

from .errors import bad_request, database_unavailable, is_database_unavailable, server_error

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._database_fault_view_started = True

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning("Database unavailable (%s %s): %s", request.method, request.path, exception)
        request._database_fault_in_view = True
        return database_unavailable(request, saved=False)


#: Browser features the portal never uses, switched off for it and anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    """Permissions-Policy, and ``Cross-Origin-Resource-Policy: same-origin``: no other site may
    embed the portal's pages, files or images (with the visitor's cookies)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


#: The HTTP methods the portal answers: pages are read with GET (HEAD) and changed with POST.
ALLOWED_METHODS = ("GET", "HEAD", "POST")


class AllowedMethodsMiddleware:
    """405 for every other method on every URL: TRACE (which would echo the request),
    OPTIONS (a function view would answer it like a GET), PUT, PATCH, DELETE and unknown
    ones. The answer is empty and names the allowed methods in ``Allow``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


class FriendlyErrorsMiddleware:
    """The portal's own error pages on a development server (``DEBUG`` on, as ``dev.py serve``
    runs) when ``FRIENDLY_ERRORS`` is set: ``404.html`` and ``500.html`` (and the 400 and 503
    pages) instead of Django's debug pages, so that a developer sees what visitors see. The
    traceback of an error goes to the console. 403 is the portal's own page anyway. Without
    DEBUG (production) Django answers with these pages itself, and this middleware is not
    loaded.

    A page with no URL never reaches a view, so its 404 is recognised afterwards: an answer
    404 to a request that matched no URL is Django's debug page.
    """

    def __init__(self, get_response):
        if not (settings.DEBUG and settings.FRIENDLY_ERRORS):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied) or is_database_unavailable(exception):
            return None  # the 403 page, and the 503 page of DatabaseUnavailableMiddleware
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return bad_request(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return server_error(request)
