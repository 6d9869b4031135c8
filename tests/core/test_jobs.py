"""The kernel of files made by the background worker (``core.jobs``): asking, the worker's
part, the states a status page shows, the download and the expiry, each at a time the test
names (the overview's export stands in for any ``FileJob``)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.http import Http404

from core import jobs
from core.jobs import JobState
from measurements.models import OverviewExport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

T = datetime(2013, 3, 5, 12, 0, tzinfo=UTC)
KEEP = timedelta(hours=24)
STALLED = timedelta(minutes=30)


class Task:
    """A task of a backend that queues it once the transaction commits."""

    def __init__(self):
        self.queued = []

    def get_backend(self):
        return self

    def enqueue(self, job_id):
        self.queued.append(job_id)


@pytest.fixture
def user(programme):
    return UserFactory(username="asker")


def ask(user, programme, *, now=T, task=None, format="csv"):
    return jobs.ask(
        OverviewExport.objects.of(user).filter(format=format),
        fields={
            "requested_by": user,
            "programme": programme,
            "format": format,
            "filename": f"fil.{format}",
        },
        keep=KEEP,
        stalled_after=STALLED,
        task=task or Task(),
        now=now,
    )


def writing(items: int):
    """``prepare`` for :func:`jobs.write`: ``items`` lines, one for each."""

    def prepare(job):
        def write(out):
            for item in jobs.counted(range(items), job, clock=lambda: T):
                out.write(b"line %d\n" % item)
            return items

        return items, write

    return prepare


def run(job, prepare, *, allowed=True) -> str:
    """The worker's task for ``job``, the user allowed or not."""
    return jobs.write(
        OverviewExport.objects.all(), job.pk, allowed=lambda _job: allowed, prepare=prepare
    )


def test_asking_queues_a_job_once_it_is_committed(
    user, programme, django_capture_on_commit_callbacks
):
    task = Task()
    with django_capture_on_commit_callbacks(execute=True):
        job, new = ask(user, programme, task=task)
    assert new and task.queued == [job.pk]
    assert (job.created_at, job.expires_at, job.requested_by) == (T, T + KEEP, user)
    assert job.state(T) == JobState.WAITING


def test_asking_again_gives_the_unfinished_job_until_it_stalls(user, programme):
    first, _new = ask(user, programme)
    assert ask(user, programme, now=T + STALLED) == (first, False)
    assert ask(user, programme, format="xlsx")[0] != first  # not the same kind
    jobs.start(first, total=3, now=T + timedelta(minutes=20))
    # Progress keeps it alive; without it for longer than STALLED it is given up.
    assert ask(user, programme, now=T + timedelta(minutes=50))[0] == first
    again, new = ask(user, programme, now=T + timedelta(minutes=51))
    assert new and again != first
    first.refresh_from_db()
    assert first.failed and first.finished_at == T + timedelta(minutes=51)
    assert first.state(T + timedelta(hours=1)) == JobState.FAILED
    # Another user's jobs are their own.
    other = UserFactory(username="other")
    assert ask(other, programme)[0] not in (first, again)


def test_the_worker_writes_the_file_and_notes_its_progress(user, programme):
    job, _new = ask(user, programme)
    assert run(job, writing(3)) == "written"
    job.refresh_from_db()
    assert job.state(T) == JobState.READY and job.is_ready
    assert (job.done, job.total, job.percent, job.progressed_at) == (3, 3, 100, T)
    assert job.size == len(b"line 0\nline 1\nline 2\n")
    assert job.file.name.startswith("exports/") and job.file.name.endswith(".csv")
    with job.file.open("rb") as file:
        assert file.read() == b"line 0\nline 1\nline 2\n"
    # Without ``keep``, the job expires when it was asked to.
    assert job.expires_at == T + KEEP
    # Run again, it does nothing.
    assert run(job, writing(3)) == "done"
    assert jobs.write(OverviewExport.objects.all(), 0, allowed=None, prepare=None) == "done"


def test_a_finished_file_is_kept_for_keep_from_when_it_finished(user, programme):
    job, _new = ask(user, programme)
    jobs.start(job, total=0, now=T)
    assert jobs.finish(job, name="", size=0, done=0, now=T + timedelta(hours=3), keep=KEEP)
    job.refresh_from_db()
    assert job.expires_at == T + timedelta(hours=3) + KEEP
    # A job is started and finished once only.
    assert not jobs.start(job, total=1, now=T)
    assert not jobs.finish(job, name="", size=0, done=0, now=T)
    assert not jobs.fail(job, now=T)


def test_the_progress_shows_every_so_many_items(user, programme):
    job, _new = ask(user, programme)
    jobs.start(job, total=10, now=T)
    seen = []
    for _item in jobs.counted(range(10), job, every=4, clock=lambda: T + timedelta(minutes=1)):
        seen.append(OverviewExport.objects.get(pk=job.pk).done)
    assert seen == [0] * 4 + [4] * 4 + [8] * 2
    job.refresh_from_db()
    assert (job.done, job.percent, job.progressed_at) == (8, 80, T + timedelta(minutes=1))
    assert job.state(T) == JobState.RUNNING


def test_a_user_who_may_no_longer_have_it_is_refused(user, programme):
    job, _new = ask(user, programme)
    assert run(job, writing(1), allowed=False) == "refused"
    job.refresh_from_db()
    assert job.failed and not job.started_at and not job.file


def test_a_failure_while_writing_fails_the_job_and_keeps_no_file(user, programme):
    job, _new = ask(user, programme)

    def prepare(job):
        def write(out):
            out.write(b"half")
            raise OSError("disk full")

        return 1, write

    with pytest.raises(OSError):
        run(job, prepare)
    job.refresh_from_db()
    assert job.failed and job.finished_at and not job.file
    assert job.state(T) == JobState.FAILED


def test_a_job_given_up_while_it_was_written_keeps_no_file(user, programme):
    job, _new = ask(user, programme)
    written = []

    def prepare(job):
        def write(out):
            jobs.fail(job, now=T)  # asked for again meanwhile
            out.write(b"late")
            written.append(job)  # the worker's copy, which names the stored file
            return 1

        return 1, write

    assert run(job, prepare) == "done"
    stored = written[0].file
    assert stored.name and not stored.storage.exists(stored.name)
    job.refresh_from_db()
    assert job.failed and not job.file


def test_the_status_page_follows_only_what_is_still_to_come(user, programme):
    job, _new = ask(user, programme)
    context = jobs.status_context(job, now=T, refresh_seconds=3)
    assert (context["job"], context["state"], context["refresh_seconds"]) == (
        job,
        JobState.WAITING,
        3,
    )
    assert context["states"] is JobState
    job.finished_at, job.failed = T, True
    assert jobs.status_context(job, now=T, refresh_seconds=3)["refresh_seconds"] is None
    assert job.state(T + KEEP) == JobState.EXPIRED


def test_the_download_is_the_ready_file_until_it_expires(user, programme):
    job, _new = ask(user, programme)
    with pytest.raises(Http404):
        jobs.download(job, content_type="text/csv", now=T)
    run(job, writing(2))
    job.refresh_from_db()
    response = jobs.download(job, content_type="text/csv", now=T + KEEP - timedelta(seconds=1))
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="fil.csv"')
    assert b"".join(response.streaming_content) == b"line 0\nline 1\n"
    with pytest.raises(Http404):
        jobs.download(job, content_type="text/csv", now=T + KEEP)


def test_expired_jobs_are_deleted_with_their_files_once_committed(
    user, programme, django_capture_on_commit_callbacks
):
    expiring, _new = ask(user, programme)
    kept, _new = ask(user, programme, now=T + timedelta(hours=1), format="xlsx")
    for job in (expiring, kept):
        run(job, writing(1))
        job.refresh_from_db()
    storage = expiring.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.purge_expired(OverviewExport.objects, now=T + KEEP - timedelta(seconds=1)) == 0
        assert jobs.purge_expired(OverviewExport.objects, now=T + KEEP) == 1
    assert list(OverviewExport.objects.all()) == [kept]
    assert not storage.exists(expiring.file.name) and storage.exists(kept.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.delete_with_files(OverviewExport.objects.of(user)) == 1
    assert not storage.exists(kept.file.name)
    assert not OverviewExport.objects.exists()
