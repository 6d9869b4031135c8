"""Every final report of a network or a programme in one ZIP file, made by the background
worker: asking for it, its status page with the progress, the download, who may do what, and
the files' expiry."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import scheduler
from municipalities import report_archives
from municipalities.models import ReportArchive
from network.models import Network, Programme
from tests.factories import LocalProjectFactory, NetworkFactory, UserFactory
from tests.municipalities.test_final_report import pdf_strings
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = pytest.mark.django_db

OMDOMME = "/en/nettverk/omdomme/sluttrapporter/"
#: The status region that static/js/file-job-status.js keeps up to date.
REFRESHED = (
    '<div id="file-job" data-state="{state}" data-refresh-seconds="5" data-refresh-url="{url}">'
)


@pytest.fixture
def small_network(programme):
    """A network of two local projects in a programme of its own (two reports to make)."""
    network = NetworkFactory(name="Lite nettverk")
    LocalProjectFactory(network=network, name="Austevoll", slug="austevoll-lite")
    LocalProjectFactory(network=network, name="Bømlo", slug="bomlo-lite")
    return network


@pytest.fixture
def queue(settings):
    """Tasks wait in the database until ``run_queued_tasks``, as for the worker."""
    use_database_queue(settings)


def ask_url(network: Network) -> str:
    return f"/en/nettverk/{network.slug}/sluttrapporter/"


def programme_url(programme: Programme) -> str:
    return f"/en/program/{programme.slug}/sluttrapporter/"


def download(client, archive: ReportArchive):
    return client.get(archive.get_absolute_url() + "last-ned/")


def archive_for(user, network: Network, **fields) -> ReportArchive:
    """An archive of ``network``'s reports asked for by ``user``; ready (with a small file)
    unless ``fields`` say otherwise."""
    now = timezone.now()
    fields = {
        "created_at": now - timedelta(minutes=5),
        "started_at": now - timedelta(minutes=4),
        "finished_at": now - timedelta(minutes=3),
        "expires_at": now + timedelta(hours=20),
        "total": 1,
        "done": 1,
        **fields,
    }
    archive = ReportArchive.objects.create(
        requested_by=user, programme=network.programme, network=network, language="en", **fields
    )
    if archive.finished_at and not archive.failed:
        archive.file.save("x.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
        archive.size = archive.file.size
        archive.save()
    return archive


# --- Asking, waiting, downloading -------------------------------------------------------------


def test_a_networks_reports_are_made_in_the_background_and_downloaded_as_one_zip(
    login, ministry, small_network, queue
):
    client = login(ministry)
    page = client.get(ask_url(small_network))
    assert page.status_code == 200
    assert "The final reports of 2 local projects, one PDF each" in page.content.decode()

    response = client.post(ask_url(small_network))
    archive = ReportArchive.objects.get()
    assert response.status_code == 302 and response["Location"] == archive.get_absolute_url()
    assert (archive.requested_by, archive.network, archive.language) == (
        ministry,
        small_network,
        "en",
    )
    waiting = client.get(archive.get_absolute_url())
    html = waiting.content.decode()
    assert REFRESHED.format(state="waiting", url=archive.get_absolute_url()) in html
    assert "js/file-job-status" in html
    assert "The ZIP file is waiting to be made in the background." in html
    assert "last-ned" not in html
    assert "no-cache" in waiting["Cache-Control"]
    assert download(client, archive).status_code == 404

    assert run_queued_tasks() == 1
    archive.refresh_from_db()
    assert (archive.done, archive.total, archive.failed) == (2, 2, False)
    assert archive.expires_at == archive.finished_at + report_archives.KEEP
    ready = client.get(archive.get_absolute_url()).content.decode()
    assert "data-refresh-seconds" not in ready and "js/file-job-status" not in ready
    assert "The ZIP file with 2 final reports is ready." in ready
    assert f'href="{archive.get_absolute_url()}last-ned/"' in ready

    response = download(client, archive)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="sluttrapporter-{small_network.slug}.zip"'
    )
    archive_file = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive_file.testzip() is None
    assert sorted(archive_file.namelist()) == [
        "sluttrapport-austevoll-lite.pdf",
        "sluttrapport-bomlo-lite.pdf",
    ]
    for name, project in [("austevoll-lite", "Austevoll"), ("bomlo-lite", "Bømlo")]:
        pdf = archive_file.read(f"sluttrapport-{name}.pdf")
        assert pdf.startswith(b"%PDF")
        assert project in pdf_strings(pdf)


def test_the_status_page_shows_how_many_reports_are_made(login, ministry, small_network):
    archive = archive_for(ministry, small_network, finished_at=None, total=2, done=1)
    html = login(ministry).get(archive.get_absolute_url()).content.decode()
    assert "1 av 2 sluttrapporter er laget." in html
    assert '<progress id="file-job-progress" max="100" value="50">' in html
    assert '<label for="file-job-progress">Rapporter laget</label>' in html
    assert REFRESHED.format(state="running", url=archive.get_absolute_url()) in html
    # No inline script or style: the page is updated by a static file.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/js/file-job-status.js" defer>'
    ]
    assert "style=" not in html


def test_asking_again_while_it_is_made_shows_the_same_archive(
    login, ministry, small_network, queue
):
    client = login(ministry)
    first = client.post(ask_url(small_network))
    again = client.post(ask_url(small_network), follow=True)
    assert again.redirect_chain[-1][0] == first["Location"]
    assert "is being made for you already" in again.content.decode()
    assert ReportArchive.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    # Another user asking for the same reports gets an archive of their own.
    other = login(UserFactory(username="ks", is_programme_staff=True))
    assert other.post(ask_url(small_network))["Location"] != first["Location"]
    assert ReportArchive.objects.count() == 2


def test_asking_again_after_it_is_ready_makes_a_new_one(login, ministry, small_network, queue):
    ready = archive_for(ministry, small_network)
    client = login(ministry)
    page = client.get(ask_url(small_network)).content.decode()
    assert ready.get_absolute_url() in page and "Ready" in page
    response = client.post(ask_url(small_network))
    assert response["Location"] != ready.get_absolute_url()
    assert ReportArchive.objects.of(ministry).unfinished().count() == 1


def test_an_archive_that_stalled_is_given_up_when_asked_for_again(
    login, ministry, small_network, queue
):
    stalled = archive_for(
        ministry,
        small_network,
        finished_at=None,
        total=2,
        done=1,
        progressed_at=timezone.now() - report_archives.STALLED - timedelta(minutes=1),
    )
    response = login(ministry).post(ask_url(small_network))
    assert response["Location"] != stalled.get_absolute_url()
    stalled.refresh_from_db()
    assert stalled.failed and stalled.finished_at
    html = login(ministry).get(stalled.get_absolute_url()).content.decode()
    assert "The ZIP file could not be made." in html
    assert f'href="{ask_url(small_network)}"' in html


def test_a_programmes_reports_are_one_zip_with_a_pdf_per_project(login, ministry, small_network):
    other_network = NetworkFactory(theme__programme=small_network.programme)
    LocalProjectFactory(network=other_network, name="Cstad", slug="cstad-lite")
    client = login(ministry)
    page = client.get(programme_url(small_network.programme)).content.decode()
    assert "The final reports of 3 local projects" in page
    assert ask_url(small_network) in page and ask_url(other_network) in page
    # The immediate backend makes it at once.
    response = client.post(programme_url(small_network.programme))
    archive = ReportArchive.objects.get()
    assert archive.network is None and archive.programme == small_network.programme
    assert response["Location"] == archive.get_absolute_url()
    zip_response = download(client, archive)
    assert zip_response["Content-Disposition"].startswith(
        f'attachment; filename="sluttrapporter-{small_network.programme.slug}.zip"'
    )
    archive_file = zipfile.ZipFile(io.BytesIO(b"".join(zip_response.streaming_content)))
    assert sorted(archive_file.namelist()) == [
        "sluttrapport-austevoll-lite.pdf",
        "sluttrapport-bomlo-lite.pdf",
        "sluttrapport-cstad-lite.pdf",
    ]
    assert all(archive_file.read(name).startswith(b"%PDF") for name in archive_file.namelist())


def test_the_old_address_of_a_networks_zip_leads_to_the_new_page(login, facilitator, omdomme):
    response = login(facilitator).get("/en/nettverk/omdomme/sluttrapporter.zip")
    assert response.status_code == 302
    assert response["Location"] == OMDOMME


def test_the_network_page_and_the_report_lead_to_the_zip_file(login, facilitator, karmoy):
    client = login(facilitator)
    assert OMDOMME in client.get("/en/nettverk/omdomme/").content.decode()
    report = client.get("/en/prosjekter/karmoy-omdomme/sluttrapport/").content.decode()
    assert OMDOMME in report
    # A facilitator does not download the whole programme's reports.
    assert programme_url(karmoy.network.programme) not in report


@pytest.mark.parametrize(("persona", "shown"), [("ministry", True), ("facilitator", False)])
def test_my_pages_lead_those_who_read_everything_to_the_programmes_zip_file(
    login, request, persona, shown, programme
):
    html = login(request.getfixturevalue(persona)).get("/en/mine-sider/").content.decode()
    assert (programme_url(programme) in html) is shown


# --- Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("participant", 403),
        ("leader_karmoy", 403),
        ("facilitator_other", 403),
        ("facilitator", 200),
        ("ministry", 200),
        ("admin_user", 200),
    ],
)
def test_only_those_who_follow_the_network_ask_for_its_reports(
    login, request, persona, status, method, omdomme, queue
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = getattr(login(user), method)(OMDOMME)
    expected = 302 if (method == "post" and status == 200) else status
    assert response.status_code == expected
    assert ReportArchive.objects.count() == (1 if expected == 302 and user else 0)


def test_unknown_networks_programmes_and_archives_are_not_found(login, ministry, programme):
    client = login(ministry)
    assert client.get("/en/nettverk/finnes-ikke/sluttrapporter/").status_code == 404
    assert client.get("/en/program/finnes-ikke/sluttrapporter/").status_code == 404
    unknown = "/en/sluttrapporter/00000000-0000-0000-0000-000000000000/"
    assert client.get(unknown).status_code == 404
    assert client.get(unknown + "last-ned/").status_code == 404


@pytest.mark.parametrize(
    "persona", ["participant", "facilitator", "facilitator_other", "admin_user"]
)
def test_an_archive_is_its_askers_alone(login, request, persona, ministry, omdomme):
    archive = archive_for(ministry, omdomme)
    client = login(request.getfixturevalue(persona))
    assert client.get(archive.get_absolute_url()).status_code == 404
    assert download(client, archive).status_code == 404
    assert login(ministry).get(archive.get_absolute_url()).status_code == 200
    assert download(login(ministry), archive).status_code == 200


def test_a_facilitator_who_no_longer_follows_the_network_loses_the_archive(
    login, facilitator, omdomme, queue
):
    client = login(facilitator)
    client.post(OMDOMME)
    archive = ReportArchive.objects.get()
    omdomme.facilitator.user = None
    omdomme.facilitator.save()
    assert run_queued_tasks() == 1
    archive.refresh_from_db()
    assert archive.failed and not archive.file
    assert login(facilitator).get(archive.get_absolute_url()).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(login, ministry, omdomme):
    archive = archive_for(ministry, omdomme)
    for url in (archive.get_absolute_url(), archive.get_absolute_url() + "last-ned/"):
        response = login(None).get(url)
        assert response.status_code == 302 and "logg-inn" in response["Location"]


# --- Expiry -----------------------------------------------------------------------------------


def test_expired_archives_are_deleted_with_their_files_by_the_scheduler(
    login, ministry, small_network, django_capture_on_commit_callbacks
):
    now = timezone.now()
    expired = archive_for(ministry, small_network, expires_at=now - timedelta(minutes=1))
    kept = archive_for(ministry, small_network, expires_at=now + timedelta(hours=1))
    storage = expired.file.storage
    assert storage.exists(expired.file.name)
    # Before the purge runs, an expired archive is shown as such and is not downloaded.
    client = login(ministry)
    page = client.get(expired.get_absolute_url()).content.decode()
    assert "Denne ZIP-filen er ikke tatt vare på lenger." in page
    assert download(client, expired).status_code == 404

    assert "purge_report_archives" in scheduler.jobs
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.run("purge_report_archives")

    assert list(ReportArchive.objects.all()) == [kept]
    assert not storage.exists(expired.file.name)
    assert storage.exists(kept.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert report_archives.purge_expired(now + timedelta(hours=2)) == 1
    assert not storage.exists(kept.file.name)


# --- Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ministry", "facilitator"])
def test_the_status_page_reads_as_many_queries_whatever_the_archive(
    login, request, persona, omdomme, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    client = login(user)
    running = archive_for(user, omdomme, finished_at=None, total=2, done=1)
    client.get(running.get_absolute_url())
    # Session, user, the archive with its network and programme (and the user's roles).
    queries = 3 if persona == "ministry" else 4
    with django_assert_num_queries(queries):
        assert client.get(running.get_absolute_url()).status_code == 200
    ready = archive_for(user, omdomme, total=5, done=5)
    with django_assert_num_queries(queries):
        assert "5 sluttrapporter" in client.get(ready.get_absolute_url()).content.decode()


def test_the_page_that_asks_reads_as_many_queries_whatever_was_asked_before(
    login, ministry, omdomme, django_assert_num_queries
):
    client = login(ministry)
    archive_for(ministry, omdomme)
    client.get(OMDOMME)
    # Session, user, network, its projects counted, the user's earlier archives.
    with django_assert_num_queries(5):
        client.get(OMDOMME)
    for _ in range(3):
        archive_for(ministry, omdomme)
    with django_assert_num_queries(5):
        html = client.get(OMDOMME).content.decode()
    assert html.count("Asked for") == 4
