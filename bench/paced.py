"""Paced load for ``bench/run.py --rate N``: requests at random moments (a Poisson process of
N a second), each sent when its moment comes whether or not earlier ones have been answered
(an open loop, as independent visitors arrive), its latency counted from that moment.

wrk is not used for this mode: with a ``delay()`` in its script, wrk counted 300–500 ms at the
99th percentile for hello world (2 ms at the median) that a plain client sending the same
requests at the same rate never saw (p99 5–6 ms): the waits leaked into its latencies. And a
closed loop that waits before each request lowers its rate when the server slows down, which
hides the slow answers (coordinated omission).

The requests are those of ``bench/wrk/request.lua`` and ``bench/wrk/mix.lua``, read from the
same environment: ``BENCH_PATHS``/``BENCH_COOKIES`` (a random path and Cookie header per
request), else the page's URL with ``BENCH_COOKIE``; ``BENCH_METHOD``, ``BENCH_BODY``,
``BENCH_ORIGIN`` and ``BENCH_STATEMENTS`` for the survey's answers.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

#: What the HTTPS proxy in front adds to every request.
PROXY = {"X-Forwarded-Proto": "https"}
#: More than enough for the rates the benchmark paces (a request waiting for a free sender
#: still counts its latency from its own moment).
SENDERS = 64


def _fetch(host, port, method, path, headers, body=None, timeout=10) -> tuple[int, bool]:
    """One request on a connection of its own: the status, and whether the page cache
    answered it. Raises OSError when the server does not answer."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("X-Page-Cache") == "hit"
    finally:
        connection.close()


def _lines(name: str | None) -> list[str]:
    if not name:
        return []
    with open(name, encoding="utf-8") as file:
        return [line.rstrip("\n") for line in file if line.strip()]


class _Requests:
    """What each request sends, as the wrk scripts build it."""

    def __init__(self, url: str, env: dict):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.paths = _lines(env.get("BENCH_PATHS"))
        self.cookies = _lines(env.get("BENCH_COOKIES"))
        self.cookie = env.get("BENCH_COOKIE", "")
        self.method = env.get("BENCH_METHOD") or "GET"
        self.body = env.get("BENCH_BODY", "")
        self.origin = env.get("BENCH_ORIGIN", "")
        self.statements = [s for s in env.get("BENCH_STATEMENTS", "").split(",") if s]

    def next(self, rand: random.Random) -> tuple[str, str, dict, bytes | None]:
        headers = {**PROXY, "X-Forwarded-For": "10.0.0.1"}
        cookie = rand.choice(self.cookies) if self.cookies else self.cookie
        if cookie:
            headers["Cookie"] = cookie
        if self.origin:
            headers["Origin"], headers["Referer"] = self.origin, self.origin + "/"
        body = None
        if self.body:
            answers = "".join(f"&s{pk}={rand.randint(1, 6)}" for pk in self.statements)
            body = (self.body + answers).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if self.statements:
                octets = (rand.randint(0, 255), rand.randint(0, 255), rand.randint(1, 254))
                headers["X-Forwarded-For"] = "10." + ".".join(map(str, octets))
        path = rand.choice(self.paths) if self.paths else self.path
        return self.method, path, headers, body


def open_loop(url: str, *, rate: float, duration: float, env: dict) -> dict:
    """Send requests at ``rate`` a second for ``duration`` seconds; the same keys as
    ``bench/run.py``'s wrk results."""
    requests = _Requests(url, env)
    rand = random.Random()
    latencies: list[float] = []
    counts = {"hits": 0, "bad": 0, "errors": 0}
    lock = threading.Lock()

    def send(due: float, method: str, path: str, headers: dict, body: bytes | None) -> None:
        try:
            status, hit = _fetch(requests.host, requests.port, method, path, headers, body)
        except OSError:
            with lock:
                counts["errors"] += 1
            return
        elapsed = time.perf_counter() - due
        with lock:
            latencies.append(elapsed * 1000)
            counts["hits"] += hit
            counts["bad"] += not 200 <= status < 400

    start = time.perf_counter()
    due = start
    with ThreadPoolExecutor(max_workers=SENDERS) as senders:
        while True:
            due += rand.expovariate(rate)
            if due - start >= duration:
                break
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            senders.submit(send, due, *requests.next(rand))
    elapsed = time.perf_counter() - start
    latencies.sort()

    def percentile(fraction: float) -> float | None:
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))]

    answered = len(latencies)
    return {
        "rps": answered / elapsed,
        "p99_ms": percentile(0.99),
        "p50_ms": percentile(0.50),
        "hit_rate": counts["hits"] / answered if answered else 0,
        "requests": answered,
        "non_2xx_3xx": counts["bad"],
        "socket_errors": counts["errors"],
    }


def visit_all(base: str, paths: list[str], *, senders: int = 8) -> dict:
    """Request each path once (``senders`` at a time), anonymously: how many, in how many
    seconds, and how many did not answer 200."""
    parts = urllib.parse.urlsplit(base)

    def visit(path: str) -> int:
        try:
            return _fetch(parts.hostname, parts.port or 80, "GET", path, PROXY, timeout=30)[0]
        except OSError:
            return 0

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        statuses = list(pool.map(visit, paths))
    return {
        "pages": len(paths),
        "seconds": time.perf_counter() - start,
        "not_200": sum(status != 200 for status in statuses),
    }
