"""``/healthz``, the load balancer's health check."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import queue


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers and the task queue moves; 503 when the database does
    not answer, or when the oldest waiting task has waited longer than
    ``HEALTHZ_MAX_QUEUE_AGE`` seconds (no worker runs, or too few)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        age = queue.oldest_waiting_age()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    if age > settings.HEALTHZ_MAX_QUEUE_AGE:
        return HttpResponse(
            f"task queue stalled: the oldest waiting task has waited {age:.0f} s\n",
            status=503,
            content_type="text/plain",
        )
    return HttpResponse("ok\n", content_type="text/plain")
