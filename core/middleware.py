"""Middleware of the portal: the answer when the database is down (the page itself is in
``core.errors``), a Permissions-Policy and a Cross-Origin-Resource-Policy, and 405 for the HTTP
methods the portal does not use."""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from .errors import database_unavailable, is_database_unavailable

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
