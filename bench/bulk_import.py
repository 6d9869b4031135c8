"""Time a measurement import (upload, then confirm) of N rows against the configured database,
as the ministry would: ``python bench/bulk_import.py 5000 [--update] [--worker-apart]``.

Prepares enough (project, indicator, round) combinations once (own indicators «Bench N» and
open rounds «bench-N»), uploads a CSV of N values and confirms it, and prints the seconds of
the confirmation, the process's peak RSS and the tracemalloc peak as JSON. ``--update``
imports the same rows twice and times the second confirmation (every value changed). Above
``IMPORT_BACKGROUND_ROWS`` the confirmation only queues the import: the worker's part is timed
in-process (``worker_N``), or with ``--worker-apart`` in a process of its own, as the worker
runs it, with that process's peak RSS. ``--web-apart`` uploads and confirms in a process of its
own too (``web_N``, after one page, as a web process that has served one), so its peak RSS is
the request's, not that of preparing the combinations and removing the last run's values.
Peaks are Linux's ``VmHWM``: ``ru_maxrss`` keeps the peak of the parent across fork and exec."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from measurements.models import ImportBatch, Indicator, Measurement, MeasurementRound  # noqa: E402
from measurements.services import run_queued_import  # noqa: E402
from municipalities.models import LocalProject  # noqa: E402
from network.models import User  # noqa: E402

#: tracemalloc's peaks too (BENCH_TRACEMALLOC=1); it slows Python down about twice.
TRACE = bool(os.environ.get("BENCH_TRACEMALLOC"))
OWN_INDICATORS = 110
ROUNDS = 10


def prepare() -> list[tuple[str, str, str]]:
    """(project slug, indicator name, round slug) combinations, 49 × 110 × 10."""
    today = timezone.localdate()
    # The projects of one programme (the 2012 one, the first loaded): a round belongs to its
    # programme, and a value for a project of another is refused as an unknown round.
    programme_id = LocalProject.objects.order_by("pk").values_list(
        "network__programme_id", flat=True
    )[0]
    projects = list(LocalProject.objects.filter(network__programme_id=programme_id).order_by("pk"))
    for n in range(ROUNDS):
        MeasurementRound.objects.update_or_create(
            programme_id=programme_id,
            slug=f"bench-{n}",
            defaults={
                "name": f"Bench {n}",
                "kind": "other",
                "opens_on": today - timedelta(days=10),
                "closes_on": today + timedelta(days=10),
                "position": 100 + n,
            },
        )
    have = set(
        Indicator.objects.filter(name__startswith="Bench ").values_list("local_project", "name")
    )
    Indicator.objects.bulk_create(
        Indicator(local_project=p, name=f"Bench {i}", unit="count", direction="higher")
        for p in projects
        for i in range(OWN_INDICATORS)
        if (p.pk, f"Bench {i}") not in have
    )
    return [
        (p.slug, f"Bench {i}", f"bench-{r}")
        for r in range(ROUNDS)
        for i in range(OWN_INDICATORS)
        for p in projects
    ]


def csv_of(combos, offset: int) -> bytes:
    lines = ["prosjekt;indikator;måling;verdi;merknad"]
    lines += [f"{p};{i};{r};{n + offset};" for n, (p, i, r) in enumerate(combos)]
    return ("\r\n".join(lines) + "\r\n").encode()


@contextmanager
def timed(timings: dict, name: str):
    """Times the block into ``timings``: its seconds (``name``), its CPU seconds
    (``name_cpu``) and, with TRACE, its tracemalloc peak."""
    TRACE and tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    yield
    timings[name] = round(time.perf_counter() - started, 2)
    timings[f"{name}_cpu"] = round(time.process_time() - cpu, 2)
    if TRACE:
        peak = tracemalloc.get_traced_memory()[1]
        timings[f"{name}_tracemalloc_peak_mb"] = round(peak / 2**20, 1)
    TRACE and tracemalloc.stop()


def peak_rss_mb() -> float:
    """This process's peak RSS in MB (``VmHWM``; ``ru_maxrss`` where /proc is missing)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def apart(*args: str) -> dict:
    """This script run with ``args`` in a process of its own: its seconds and its JSON."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return {"seconds": round(time.perf_counter() - started, 2), **json.loads(done.stdout)}


def worker_apart(batch_id: int) -> dict:
    """The worker's part in a process of its own, as the worker runs it: its seconds and its
    peak RSS (the web request's memory, parsing the upload, is then apart from it)."""
    return apart("--run-queued", str(batch_id))


def run_queued(batch_id: int) -> None:
    outcome = run_queued_import(batch_id)
    assert outcome == "written", outcome
    print(json.dumps({"peak_rss_mb": peak_rss_mb()}))


def signed_in() -> Client:
    client = Client()
    user, _created = User.objects.get_or_create(
        username="bench-import", defaults={"is_superuser": True, "is_staff": True}
    )
    assert user.has_perm("measurements.import_for_every_project")
    client.force_login(user)
    return client


def upload_and_confirm(client: Client, content: bytes, timings: dict, attempt: int) -> ImportBatch:
    """Upload ``content`` and confirm it, timed into ``timings``; the batch."""
    upload = SimpleUploadedFile("bench.csv", content)
    with timed(timings, f"upload_{attempt}"):
        response = client.post(reverse("measurements:import_upload"), {"file": upload})
    assert response.status_code == 302, response.content[:500]
    batch = ImportBatch.objects.latest("created_at")
    assert not batch.problems, batch.problems[:3]
    with timed(timings, f"confirm_{attempt}"):
        if os.environ.get("BENCH_PROFILE") and attempt == int(os.environ["BENCH_PROFILE"]):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            response = profile.runcall(client.post, batch.get_absolute_url(), {})
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        else:
            response = client.post(batch.get_absolute_url(), {})
    assert response.status_code == 302, response.content[:500]
    batch.refresh_from_db()
    return batch


def web_run(path: str, attempt: int) -> None:
    """The web's part apart (``--web-apart``): one page, then the upload and confirmation."""
    client = signed_in()
    assert client.get(reverse("measurements:import_upload")).status_code == 200
    timings: dict = {}
    batch = upload_and_confirm(client, Path(path).read_bytes(), timings, attempt)
    print(json.dumps({**timings, "batch": batch.pk, "peak_rss_mb": peak_rss_mb()}))


def main() -> None:
    if sys.argv[1] == "--run-queued":
        run_queued(int(sys.argv[2]))
        return
    if sys.argv[1] == "--web":
        web_run(sys.argv[2], int(sys.argv[3]))
        return
    rows = int(sys.argv[1])
    update = "--update" in sys.argv
    combos = prepare()[:rows]
    Measurement.objects.filter(round__slug__startswith="bench-").delete()
    client = signed_in()
    timings = {}
    for attempt, offset in enumerate([0, 1] if update else [0]):
        content = csv_of(combos, offset)
        if "--web-apart" in sys.argv:
            with tempfile.NamedTemporaryFile(suffix=".csv") as file:
                file.write(content)
                file.flush()
                web = apart("--web", file.name, str(attempt))
            batch = ImportBatch.objects.get(pk=web.pop("batch"))
            timings[f"web_{attempt}"] = web
        else:
            batch = upload_and_confirm(client, content, timings, attempt)
        if batch.queued_at and "--worker-apart" in sys.argv:
            timings[f"worker_{attempt}"] = worker_apart(batch.pk)
        elif batch.queued_at:  # above IMPORT_BACKGROUND_ROWS: the worker's part
            with timed(timings, f"worker_{attempt}"):
                outcome = run_queued_import(batch.pk)
            assert outcome == "written", outcome
        started = time.perf_counter()
        page = client.get(batch.get_absolute_url())
        timings[f"page_after_{attempt}"] = round(time.perf_counter() - started, 2)
        assert page.status_code == 200
    timings["saved"] = Measurement.objects.filter(round__slug__startswith="bench-").count()
    timings["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps({"rows": rows, **timings}))


if __name__ == "__main__":
    with override_settings(ALLOWED_HOSTS=["*"]):
        main()
