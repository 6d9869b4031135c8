"""How much a page costs to render against «hello world», by CPU time: the test's measure of
the benchmark's targets (``docs/performance.md``), loose enough for a busy machine.

``render_cost(client, url, n=…)`` is hello world's CPU time per request divided by the page's
(``time.process_time``: this process only, so other load on the machine changes it little),
both through the same test client and middleware: 1.0 costs what hello world costs, 0.05 is
twenty times as much. The page is asked once first (templates and lookups warm), then the two
are measured in turns and the best turn of each is taken, so that a pause of the machine
counts against neither.
"""

from __future__ import annotations

import time

from django.test import override_settings
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from core.benchmark import hello

HELLO = "/benchmark/hello/"

#: The portal's URLs with hello world (which exists otherwise only with ``BENCHMARK=1``).
urlpatterns = [*portal_urlpatterns, path(HELLO.strip("/") + "/", hello)]


def _cpu_per_request(client, url: str, n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    return (time.process_time() - start) / n


def render_cost(client, url: str, *, n: int = 10, turns: int = 5) -> float:
    """Hello world's CPU time per request over the page's (``url``, asked by ``client``)."""
    with override_settings(ROOT_URLCONF=__name__):
        _cpu_per_request(client, url, 2)
        _cpu_per_request(client, HELLO, 10)
        page = min(_cpu_per_request(client, url, n) for _ in range(turns))
        ceiling = min(_cpu_per_request(client, HELLO, n * 5) for _ in range(turns))
    return ceiling / page
