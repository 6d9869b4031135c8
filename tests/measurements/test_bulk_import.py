"""Large imports: written in batches of a bounded size, with bounded memory, and above
``IMPORT_BACKGROUND_ROWS`` by the background worker while the import page shows its progress."""

import io
import math
import tracemalloc
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measurements.models import ImportBatch, Indicator, Measurement, MeasurementRound
from measurements.services import WRITE_BATCH, ValueEntry, batch_size, write_values
from municipalities.models import LocalProject
from tests.measurements.factories import today, url
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = pytest.mark.django_db


def combinations(count: int, *, rounds: int = 20) -> list[tuple[LocalProject, str, str]]:
    """``count`` (project, indicator name, round slug) triples: own indicators «Bulk N» of every
    project in open rounds «bulk-N», made as needed."""
    projects = list(LocalProject.objects.order_by("pk"))
    per_round = math.ceil(count / rounds)
    indicators = math.ceil(per_round / len(projects))
    day = today()
    programme_id = projects[0].network.programme_id
    MeasurementRound.objects.bulk_create(
        MeasurementRound(
            programme_id=programme_id,
            slug=f"bulk-{n}",
            name=f"Bulk {n}",
            kind="other",
            opens_on=day - timedelta(days=10),
            closes_on=day + timedelta(days=10),
            position=100 + n,
        )
        for n in range(rounds)
    )
    Indicator.objects.bulk_create(
        Indicator(local_project=p, name=f"Bulk {i}", unit="count", direction="higher")
        for p in projects
        for i in range(indicators)
    )
    triples = [
        (p, f"Bulk {i}", f"bulk-{r}")
        for r in range(rounds)
        for i in range(indicators)
        for p in projects
    ]
    return triples[:count]


def csv_of(triples, offset: int = 0) -> bytes:
    lines = ["prosjekt;indikator;måling;verdi"]
    lines += [f"{p.slug};{i};{r};{n + offset}" for n, (p, i, r) in enumerate(triples)]
    return ("\r\n".join(lines) + "\r\n").encode()


def upload(client, content: bytes) -> ImportBatch:
    data = io.BytesIO(content)
    data.name = "verdier.csv"
    response = client.post(url("measurements:import_upload", lang="en"), {"file": data})
    assert response.status_code == 302
    batch = ImportBatch.objects.latest("created_at")
    assert batch.problems == []
    return batch


def confirm(client, batch: ImportBatch):
    return client.post(url("measurements:import_preview", batch.token, lang="en"), {})


def entries(count: int, value: str) -> tuple[list[ValueEntry], dict]:
    triples = combinations(count)
    indicators = {
        (i.local_project_id, i.name): i.pk
        for i in Indicator.objects.filter(name__startswith="Bulk")
    }
    rounds = {r.slug: r for r in MeasurementRound.objects.filter(slug__startswith="bulk-")}
    values = [
        ValueEntry(p.pk, indicators[p.pk, i], rounds[r].pk, Decimal(value), "")
        for p, i, r in triples
    ]
    return values, {r.pk: r for r in rounds.values()}


def per_batch(count: int, rows: int) -> int:
    """Statements that write ``count`` values, :data:`WRITE_BATCH` at a time, ``rows`` a
    statement."""
    full, rest = divmod(count, WRITE_BATCH)
    return full * math.ceil(WRITE_BATCH / rows) + math.ceil(rest / rows)


def statements(queries, verb: str) -> int:
    table = Measurement._meta.db_table
    return sum(1 for q in queries if q["sql"].startswith((f'{verb} "{table}"', f"{verb} {table}")))


@pytest.mark.parametrize("count", [1200, 2600])
def test_values_are_written_in_batches_of_at_most_500_rows(ministry, count):
    values, rounds = entries(count, "1")
    with CaptureQueriesContext(connection) as created:
        write_values(entries=values, rounds=rounds, source="import", user=ministry)
    changed = [
        ValueEntry(v.local_project_id, v.indicator_id, v.round_id, Decimal("2"), "") for v in values
    ]
    with CaptureQueriesContext(connection) as updated:
        result = write_values(entries=changed, rounds=rounds, source="import", user=ministry)
    assert WRITE_BATCH == 500
    # 500 rows a statement on PostgreSQL; SQLite takes fewer parameters, so fewer rows.
    inserted = [f for f in Measurement._meta.concrete_fields if not f.primary_key]
    per_insert = min(WRITE_BATCH, connection.ops.bulk_batch_size(inserted, values))
    assert statements(created.captured_queries, "INSERT INTO") == per_batch(count, per_insert)
    assert statements(updated.captured_queries, "UPDATE") == per_batch(count, batch_size(6))
    if connection.vendor == "postgresql":
        assert statements(created.captured_queries, "INSERT INTO") == math.ceil(count / 500)
        assert statements(updated.captured_queries, "UPDATE") == math.ceil(count / 500)
    assert result.updated == count
    assert Measurement.objects.filter(value=2).count() == count
    assert Measurement.history.filter(history_type="~").count() == count


def test_a_20000_row_import_is_checked_and_runs_in_the_background_with_bounded_memory(
    login, ministry, settings
):
    use_database_queue(settings)
    client = login(ministry)
    content = csv_of(combinations(20_000))
    tracemalloc.start()
    try:
        batch = upload(client, content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"\n20,000 values checked, tracemalloc peak {peak / 2**20:.0f} MB")
    assert peak < 24 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert batch.summary["valid"] == 20_000

    response = confirm(client, batch)
    assert response.status_code == 302
    assert not Measurement.objects.filter(round__slug__startswith="bulk-").exists()
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as reloaded:
            page = client.get(response.url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert b'<meta http-equiv="refresh" content="5">' in page.content
    assert "20000 values are waiting to be imported in the background" in page.content.decode()
    assert page.context["form"] is None
    assert len(page.context["rows"]) == 200 and page.context["more_rows"] == 19_800
    # The page reloads every 5 s while the worker writes: it never reads all the rows.
    assert not any('"rows"' in query["sql"] for query in reloaded.captured_queries)
    print(f"\nThe waiting page, reloaded: tracemalloc peak {peak / 2**20:.1f} MB")
    assert peak < 6 * 2**20, f"peak {peak / 2**20:.1f} MB"

    tracemalloc.start()
    try:
        assert run_queued_tasks() == 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"\n20,000 values written by the worker, tracemalloc peak {peak / 2**20:.0f} MB")
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert Measurement.objects.filter(round__slug__startswith="bulk-").count() == 20_000
    batch.refresh_from_db()
    assert batch.committed_at and batch.summary["written"]["created"] == 20_000
    page = client.get(batch.get_absolute_url())
    assert b'http-equiv="refresh"' not in page.content
    assert "This file was imported" in page.content.decode()


@pytest.fixture
def small_threshold(settings):
    use_database_queue(settings)
    settings.IMPORT_BACKGROUND_ROWS = 2


def test_a_second_confirmation_of_a_queued_import_queues_nothing(login, ministry, small_threshold):
    from django_tasks_db.models import DBTaskResult

    client = login(ministry)
    batch = upload(client, csv_of(combinations(3)))
    confirm(client, batch)
    again = confirm(client, batch)
    assert again.status_code == 302
    assert DBTaskResult.objects.count() == 1
    assert run_queued_tasks() == 1
    assert Measurement.objects.filter(round__slug__startswith="bulk-").count() == 3
    page = client.get(batch.get_absolute_url())
    assert "This file was imported" in page.content.decode()


def test_an_import_at_the_threshold_is_written_at_once(login, ministry, small_threshold):
    client = login(ministry)
    batch = upload(client, csv_of(combinations(2)))
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.committed_at and batch.queued_at is None
    assert Measurement.objects.filter(round__slug__startswith="bulk-").count() == 2


def test_a_round_that_closes_before_the_worker_writes_fails_the_whole_import(
    login, ministry, small_threshold
):
    client = login(ministry)
    batch = upload(client, csv_of(combinations(3)))
    confirm(client, batch)
    MeasurementRound.objects.filter(slug__startswith="bulk-").update(
        opens_on=today() - timedelta(days=30), closes_on=today() - timedelta(days=1)
    )
    run_queued_tasks()
    batch.refresh_from_db()
    assert (batch.failure, batch.committed_at) == ("round_changed", None)
    assert not Measurement.objects.filter(round__slug__startswith="bulk-").exists()
    page = client.get(batch.get_absolute_url())
    assert b'http-equiv="refresh"' not in page.content
    assert "A round has closed or changed since the file was checked" in page.content.decode()
