"""``/metrics`` for Prometheus: request latency by view, requests by status class, and the task
queue (waiting, failed) when the database task backend is installed.

The page answers only a caller with ``Authorization: Bearer <METRICS_TOKEN>`` or from an
address in ``METRICS_ALLOWED_IPS`` (addresses or networks, such as ``10.0.0.0/8``); everyone
else, and everyone when neither is set, gets 404. Requests are counted only while one of the
two is set. Labels are the resolved URL name of the view (``app:view``), the method
and the status class (``2xx``): never a raw path, so the number of series stays bounded.

Under gunicorn every worker process counts its own requests; set ``PROMETHEUS_MULTIPROC_DIR``
to an empty folder (cleared when the server starts) so that the page adds up all workers
(``config/gunicorn.conf.py`` tells the library when a worker ends).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from .http import client_ip_address
from .observability import view_name

REQUEST_LATENCY = Histogram(
    "portal_request_duration_seconds",
    "Time from the request's arrival to its response, by view.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REQUESTS = Counter(
    "portal_requests",
    "Requests answered, by view and status class.",
    ["view", "method", "status"],
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def metrics_enabled() -> bool:
    return bool(settings.METRICS_TOKEN or settings.METRICS_ALLOWED_IPS)


class MetricsMiddleware:
    """Counts and times every request (no database query, a few microseconds)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not metrics_enabled():
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_name(request)
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(view, method).observe(time.perf_counter() - started)
        REQUESTS.labels(view, method, f"{response.status_code // 100}xx").inc()
        return response


def _token_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


def _address_allowed(request) -> bool:
    allowed = settings.METRICS_ALLOWED_IPS
    if not allowed:
        return False
    try:
        address = ipaddress.ip_address(client_ip_address(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in allowed)


class TaskQueueCollector:
    """The database task queue, read when Prometheus asks: tasks waiting and failed per
    queue, and the age of the oldest waiting task."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        waiting = GaugeMetricFamily(
            "portal_tasks_waiting", "Tasks due and waiting for a worker.", labels=["queue"]
        )
        failed = GaugeMetricFamily(
            "portal_tasks_failed", "Failed tasks kept in the database, by queue.", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "portal_tasks_oldest_waiting_seconds",
            "Seconds since the oldest due, waiting task was enqueued, by queue.",
            labels=["queue"],
        )
        now = timezone.now()
        due = (
            DBTaskResult.objects.ready()
            .values("queue_name")
            .annotate(count=Count("pk"), first=Min("enqueued_at"))
            .order_by()
        )
        for row in due:
            waiting.add_metric([row["queue_name"]], row["count"])
            age = max(now - row["first"], timedelta(0))
            oldest.add_metric([row["queue_name"]], age.total_seconds())
        failures = (
            DBTaskResult.objects.failed()
            .values("queue_name")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in failures:
            failed.add_metric([row["queue_name"]], row["count"])
        yield from (waiting, failed, oldest)


def _process_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@never_cache
def metrics(request):
    if not (_token_allowed(request) or _address_allowed(request)):
        raise Http404
    output = generate_latest(_process_registry())
    if apps.is_installed("django_tasks_db"):
        tasks = CollectorRegistry(auto_describe=False)
        tasks.register(TaskQueueCollector())
        output += generate_latest(tasks)
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)
