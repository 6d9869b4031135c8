"""The overview's raw data export: at once up to ``EXPORT_BACKGROUND_ROWS`` values; above it,
for ministry and KS staff, a file written by the background worker, whose page shows the
progress and then a download for the one who asked only, until it expires."""

import csv
import datetime
import io
import re
import tracemalloc
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from measurements import exports, selectors
from measurements.models import Indicator, Measurement, MeasurementRound, OverviewExport
from municipalities.models import LocalProject
from tests.factories import UserFactory
from tests.measurements.factories import report_everything, url
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(karmoy, strand, baseline_closed, end_round):
    """Twelve values: Karmøy's and Strand's indicators in two rounds, with a note of each kind."""
    report_everything(karmoy, baseline_closed, value="4.25")
    report_everything(strand, baseline_closed, value="3")
    report_everything(karmoy, end_round, value="4.5", stage=4)
    report_everything(strand, end_round, value="3.5", stage=4)
    Measurement.objects.filter(local_project=karmoy, round=end_round).update(note="=1+1")
    Measurement.objects.filter(local_project=strand, round=end_round).update(note="Notat")
    return Measurement.objects.count()


@pytest.fixture
def in_background(settings, values):
    """Exports of more than two values are written in the background; tasks wait in the
    database until the test runs them."""
    use_database_queue(settings)
    settings.EXPORT_BACKGROUND_ROWS = 2
    return values


def start(client, extension="xlsx", query=""):
    response = client.post(url(f"measurements:export_{extension}", lang="en", query=query))
    assert response.status_code == 302
    return OverviewExport.objects.get(token=response.url.rstrip("/").rsplit("/", 1)[1])


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_large_export_offers_to_be_written_in_the_background(login, ministry, in_background):
    response = login(ministry).get(url("measurements:export_xlsx", lang="en"))
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert f"The export holds {in_background} values." in content
    assert '<form method="post"' in content and "Write the file" in content
    assert not OverviewExport.objects.exists()


def test_a_small_export_is_answered_at_once(login, ministry, values, settings):
    settings.EXPORT_BACKGROUND_ROWS = values
    response = login(ministry).get(url("measurements:export_xlsx"))
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert len(xlsx_rows(response.content)) == values + 1


def test_a_facilitator_gets_even_a_large_export_of_their_networks_at_once(
    login, facilitator, in_background
):
    response = login(facilitator).get(url("measurements:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert {row[2] for row in csv_rows(response.content)[1:]} == {
        "karmoy-omdomme",
        "strand-omdomme",
    }
    assert login(facilitator).post(url("measurements:export_csv")).status_code == 403


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_the_file_written_in_the_background_holds_the_rows_of_the_one_written_at_once(
    login, ministry, in_background, settings, monkeypatch, extension
):
    monkeypatch.setattr(selectors, "EXPORT_CHUNK_VALUES", 4)  # several queries of values
    client = login(ministry)
    export = start(client, extension, query="?tema=omdomme")
    assert (export.format, export.query, export.total) == (extension, "tema=omdomme", 12)
    page = client.get(export.get_absolute_url()).content.decode()
    assert 'data-refresh-seconds="3"' in page and "js/file-job-status.js" in page
    assert "Waiting for the background worker." in page
    assert export.filename in page

    assert run_queued_tasks() == 1
    export.refresh_from_db()
    assert export.is_ready and export.done == 12 and export.size > 0
    page = client.get(export.get_absolute_url()).content.decode()
    assert "data-refresh-seconds" not in page and "file-job-status.js" not in page
    assert "12 values were written." in page
    download = client.get(url("measurements:export_download", export.token))
    assert download["Content-Type"] == exports.CONTENT_TYPES[extension]
    assert export.filename in download["Content-Disposition"]
    assert {"private", "no-store"} <= set(download["Cache-Control"].replace(" ", "").split(","))

    settings.EXPORT_BACKGROUND_ROWS = 1000
    at_once = client.get(url(f"measurements:export_{extension}", query="?tema=omdomme"))
    read = xlsx_rows if extension == "xlsx" else csv_rows
    assert read(body(download)) == read(at_once.content)
    rows = read(at_once.content)
    assert rows[0] == exports.EXPORT_HEADER and len(rows) == 13
    assert [row[8] for row in rows[1:4]] == ["Nullpunkt", "Sluttmåling", "Nullpunkt"]


def test_the_background_export_follows_the_overview_s_filter(login, ministry, in_background):
    client = login(ministry)
    export = start(client, "csv", query="?nettverk=omdomme&fylke=11&tema=")
    assert export.query == "nettverk=omdomme&fylke=11"
    run_queued_tasks()
    export.refresh_from_db()
    with export.file.open("rb") as file:
        rows = csv_rows(file.read())
    assert {row[2] for row in rows[1:]} == {"karmoy-omdomme", "strand-omdomme"}
    page = client.get(export.get_absolute_url()).content.decode()
    assert "nettverk: omdomme, fylke: 11" in page


def test_only_the_one_who_asked_finds_the_export(login, ministry, facilitator, in_background):
    export = start(login(ministry))
    run_queued_tasks()
    other = UserFactory(username="ks", is_programme_staff=True)
    for name in ("measurements:export_status", "measurements:export_download"):
        assert login(other).get(url(name, export.token)).status_code == 404
        assert login(facilitator).get(url(name, export.token)).status_code == 403
        assert login(ministry).get(url(name, export.token)).status_code == 200


def test_asking_again_while_it_is_written_gives_the_same_export(login, ministry, in_background):
    from django_tasks_db.models import DBTaskResult

    client = login(ministry)
    first = start(client)
    assert start(client) == first
    assert start(client, "csv") != first
    assert DBTaskResult.objects.count() == 2
    lost = timezone.now() - exports.WAITING_AT_MOST - datetime.timedelta(minutes=1)
    OverviewExport.objects.filter(pk=first.pk).update(created_at=lost)
    again = start(client)  # a worker may have been lost: a new one, the lost one given up
    assert again.pk != first.pk and DBTaskResult.objects.count() == 3
    first.refresh_from_db()
    assert first.failed and first.finished_at
    assert run_queued_tasks() == 3
    assert start(client).pk not in (first.pk, again.pk)  # done: a new one


def test_the_page_shows_how_many_rows_are_written(login, ministry, in_background):
    client = login(ministry)
    export = start(client)
    OverviewExport.objects.filter(pk=export.pk).update(
        started_at=timezone.now(), done=3000, total=9600
    )
    response = client.get(export.get_absolute_url())
    assert "no-store" in response["Cache-Control"]  # neither the page cache nor the browser
    page = response.content.decode()
    assert "3000 of 9600 values written." in page
    assert re.search(r'<progress id="file-job-progress" max="100" value="31">', page)
    assert 'data-refresh-seconds="3"' in page


def test_the_worker_notes_its_progress_as_it_writes(login, ministry, in_background, monkeypatch):
    """What the export's page reads while the rows are written (every 5 rows here)."""
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 5)
    export = start(login(ministry))
    seen = []
    write_file = exports.write_file

    def watched(out, format, rows):
        def each():
            for row in rows:
                yield row
                seen.append(OverviewExport.objects.get(pk=export.pk).done)

        return write_file(out, format, each())

    monkeypatch.setattr(exports, "write_file", watched)
    run_queued_tasks()
    assert seen == [0] * 5 + [5] * 5 + [10] * 2
    export.refresh_from_db()
    assert (export.done, export.percent) == (12, 100)


@pytest.mark.parametrize("others", [0, 25])
def test_the_export_page_reads_the_same_whatever_the_user_has_exported(
    login, ministry, in_background, django_assert_num_queries, others
):
    client = login(ministry)
    export = start(client)
    for _ in range(others):
        OverviewExport.objects.create(
            requested_by=ministry,
            programme=export.programme,
            format="csv",
            filename="f.csv",
            expires_at=export.expires_at,
        )
    OverviewExport.objects.filter(pk=export.pk).update(total=100 * others + 12)
    client.get(export.get_absolute_url())
    with django_assert_num_queries(3):  # the session, the user, the export
        page = client.get(export.get_absolute_url())
    assert page.status_code == 200


def test_an_export_expires_and_its_file_is_deleted(
    login, ministry, in_background, django_capture_on_commit_callbacks
):
    client = login(ministry)
    old, recent = start(client), start(client, "csv")
    run_queued_tasks()
    old.refresh_from_db()
    assert old.expires_at == old.created_at + datetime.timedelta(hours=24)
    asked = timezone.now() - datetime.timedelta(hours=24, minutes=1)
    OverviewExport.objects.filter(pk=old.pk).update(
        created_at=asked, expires_at=asked + datetime.timedelta(hours=24)
    )
    page = client.get(old.get_absolute_url()).content.decode()
    assert "The export has expired" in page and "data-refresh-seconds" not in page
    assert client.get(url("measurements:export_download", old.token)).status_code == 404
    assert default_storage.exists(old.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        assert exports.purge_expired_exports(now=timezone.now()) == 1
    assert not default_storage.exists(old.file.name)
    assert list(OverviewExport.objects.all()) == [recent]
    assert client.get(old.get_absolute_url()).status_code == 404


def test_the_worker_writes_nothing_for_someone_who_may_no_longer_export(
    login, ministry, in_background
):
    export = start(login(ministry))
    ministry.is_programme_staff = False
    ministry.save()
    run_queued_tasks()
    export.refresh_from_db()
    assert export.failed and not export.file and not export.is_ready


def test_a_deleted_account_takes_its_exports_and_files_along(
    login, ministry, in_background, django_capture_on_commit_callbacks
):
    export = start(login(ministry))
    run_queued_tasks()
    export.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.erase_exports(user=ministry) == 1
    assert not OverviewExport.objects.exists()
    assert not default_storage.exists(export.file.name)


def many_values(programme, count: int) -> int:
    """``count`` values or a few more: own indicators «Eksport N» of every project of the
    programme in four rounds «eksport-N»."""
    projects = list(LocalProject.objects.filter(network__programme=programme))
    per_project = -(-count // (4 * len(projects)))
    programme_id = projects[0].network.programme_id
    rounds = MeasurementRound.objects.bulk_create(
        MeasurementRound(
            programme_id=programme_id,
            slug=f"eksport-{n}",
            name=f"Eksport {n}",
            kind="other",
            opens_on=datetime.date(2013, 1, 1),
            closes_on=datetime.date(2013, 2, 1),
            position=100 + n,
        )
        for n in range(4)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(local_project=p, name=f"Eksport {i}", unit="count", direction="higher")
        for p in projects
        for i in range(per_project)
    )
    Measurement.objects.bulk_create(
        (
            Measurement(
                local_project_id=indicator.local_project_id,
                indicator=indicator,
                round=round,
                value=Decimal(n) / 10,
                note=f"merknad {n}",
            )
            for n, (indicator, round) in enumerate((i, r) for i in indicators for r in rounds)
        ),
        batch_size=1000,
    )
    return Measurement.objects.count()


def test_a_large_background_export_is_written_within_a_bounded_memory(
    login, ministry, programme, settings
):
    use_database_queue(settings)
    total = many_values(programme, 12_000)
    assert total >= 12_000
    export = start(login(ministry))
    tracemalloc.start()
    try:
        assert run_queued_tasks() == 1
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    export.refresh_from_db()
    print(f"\n{total} values written by the worker, tracemalloc peak {peak:.1f} MB")
    assert export.is_ready and export.done == total
    assert peak < 20, f"{peak:.1f} MB"
    with export.file.open("rb") as file:
        sheet = load_workbook(file, read_only=True).worksheets[0]
        assert sum(1 for _row in sheet.iter_rows(values_only=True)) == total + 1
