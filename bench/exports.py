"""Time the overview's raw data export against the configured database (the national data set),
as the ministry would: ``python bench/exports.py [--programme SLUG] [--repeat 3]``.

Prints JSON: per format, the rows, the CPU time of the whole request (``time.process_time``,
best of ``--repeat``) per row, the wall time and the size of the file; with
``BENCH_TRACEMALLOC=1`` also tracemalloc's peak of one more request. The synchronous export is
timed with ``EXPORT_BACKGROUND_ROWS`` above the number of rows; where the background export
exists (``measurements.exports.write_export``) the worker's part is timed in-process as well
(``background_*``). Run it with ``DEBUG=0`` (and ``SECURE_SSL_REDIRECT=0``, ``SECRET_KEY``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from network.models import Programme, User  # noqa: E402
from network.seed.national_dataset import MINISTRY_USERNAME  # noqa: E402

TRACE = bool(os.environ.get("BENCH_TRACEMALLOC"))
#: Queued tasks are kept, not run: the benchmark runs the worker's part itself.
NOT_RUN = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows_of(body: bytes, extension: str) -> int:
    if extension == "csv":
        return body.count(b"\r\n") - 1
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return sum(1 for _row in sheet.iter_rows(values_only=True)) - 1


def timed(call, repeat: int) -> tuple[float, float, object]:
    best_cpu, best_wall, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        result = call()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall, result


def peak_of(call) -> float:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programme", default="")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    user = User.objects.get(username=MINISTRY_USERNAME)
    programmes = Programme.objects
    programme = programmes.get(slug=args.programme) if args.programme else programmes.current()
    client = Client()
    client.force_login(user)
    query = f"?program={programme.slug}"
    results = {"programme": programme.slug}
    with override_settings(ALLOWED_HOSTS=["*"], EXPORT_BACKGROUND_ROWS=10**9):
        for extension in ("csv", "xlsx"):
            path = reverse(f"measurements:export_{extension}") + query

            def request(path=path) -> bytes:
                response = client.get(path)
                assert response.status_code == 200, response.status_code
                return body_of(response)

            request()  # warm: imports, the first queries
            cpu, wall, body = timed(request, args.repeat)
            rows = rows_of(body, extension)
            results[extension] = {
                "rows": rows,
                "cpu_us_per_row": round(cpu / rows * 1e6, 1),
                "cpu_s": round(cpu, 3),
                "wall_s": round(wall, 3),
                "bytes": len(body),
            }
            if TRACE:
                results[extension]["tracemalloc_peak_mb"] = round(peak_of(request), 1)
    try:
        from measurements.exports import start_export, write_export
    except ImportError:  # before the background export
        write_export = None
    if write_export is not None:
        from measurements.models import OverviewExport

        for extension in ("csv", "xlsx"):

            def background(extension=extension) -> OverviewExport:
                with override_settings(TASKS=NOT_RUN):
                    export = start_export(
                        user=user,
                        programme=programme,
                        format=extension,
                        query="",
                        total=0,
                        now=timezone.now(),
                    )
                write_export(export.pk)
                export.refresh_from_db()
                assert export.finished_at, export
                OverviewExport.objects.filter(pk=export.pk).delete()
                export.file.storage.delete(export.file.name)
                return export

            cpu, wall, export = timed(background, args.repeat)
            results[f"background_{extension}"] = {
                "rows": export.done,
                "cpu_us_per_row": round(cpu / export.done * 1e6, 1),
                "wall_s": round(wall, 3),
                "bytes": export.size,
            }
            if TRACE:
                results[f"background_{extension}"]["tracemalloc_peak_mb"] = round(
                    peak_of(background), 1
                )
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
