"""What a page costs to render, against a hello-world page, through the test client.

``render_cost(client, url, n=...)`` is the CPU time (``time.process_time``) of a request of
the hello-world view (``core.benchmark.hello``: the whole middleware stack, no template, no
query) divided by that of a request of ``url``: 1.0 costs as much as hello world, 0.1 ten
times as much. The benchmark's targets (``docs/performance.md``) are such ratios of the
workers' CPU time; CPU time, not wall time, because other load on the machine changes it
little. Both are measured in turns, the same number of requests each, and the least of each
kept: other load only ever adds time. The page's first requests (warming what a worker
keeps) are not measured.

Templates render as in production while it measures: the test environment's instrumented
rendering (which sends a signal, and the test client copies the context, for every template
and include) would make template work look several times dearer than it is. The test
database is small and in memory, so a ratio here is still not the benchmark's; tests assert a
loose bound (a third of the target) that catches a page that became several times dearer."""

import time
from unittest import mock

from django.template.base import Template
from django.test import override_settings
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from core.benchmark import hello

HELLO_URL = "/render-cost/hello/"

#: The portal's URLs and the hello-world view (which the portal has only with BENCHMARK=1).
urlpatterns = [path(HELLO_URL.lstrip("/"), hello), *portal_urlpatterns]


def _render(self, context):
    """``Template._render`` as Django defines it, before the test environment instruments it."""
    return self.nodelist.render(context)


def _cpu_per_request(client, url: str, n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        response = client.get(url)
    elapsed = time.process_time() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed / n


def render_cost(client, url: str, *, n: int = 20, rounds: int = 5) -> float:
    """Hello world's CPU time per request / the page's (``url``, as ``client`` asks it)."""
    with override_settings(ROOT_URLCONF=__name__), mock.patch.object(Template, "_render", _render):
        for _ in range(3):
            _cpu_per_request(client, url, 1)
            _cpu_per_request(client, HELLO_URL, 1)
        hello_world, page = [], []
        for _ in range(rounds):
            hello_world.append(_cpu_per_request(client, HELLO_URL, n))
            page.append(_cpu_per_request(client, url, n))
    return min(hello_world) / min(page)
