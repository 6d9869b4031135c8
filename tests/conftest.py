"""Shared fixtures: the 2012 programme in every test database, and the personas.

Personas: anonymous, participant (Karmøy), project leader of Karmøy («A»), project leader of
Strand («B»), facilitator (Omdømme), facilitator of another network (Sykefravær Sør),
ministry staff, administrator.
"""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from municipalities.models import LocalProject, Participant, ParticipantRole
from network.models import Network, Programme
from tests import mail_guard
from tests.factories import PASSWORD, UserFactory
from tests.matrix import PERSONAS

#: The tests' clock starts here, a fixed day after the programme (2012–2013), so no test
#: depends on the day it runs. It is set when this file is imported, before the tests are
#: collected (parameters computed from «today» see it too) and before the test database is
#: built; it then ticks on from there, so timeouts still expire.
TEST_NOW = datetime.datetime(2025, 6, 16, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))
_clock = time_machine.travel(TEST_NOW, tick=True)
_clock.start()


def pytest_unconfigure(config):
    _clock.stop()


@pytest.fixture
def server_clock():
    """The real clock, for a test whose data a server in another process reads (that process
    runs on the real clock): a session signed in on ``TEST_NOW`` would have expired there.
    Only the fault tests, which restart PostgreSQL under a real gunicorn, need it; what they
    assert does not depend on the day."""
    _clock.stop()
    yield
    _clock.start()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_programme_2012", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _tasks_run_at_once_and_no_mail_in_requests(settings):
    """Queued tasks run at once (the immediate backend), so a test sees the worker's effect
    without a worker; a test of the queue itself sets the database backend. An e-mail sent
    inside a request outside a task fails the test (``tests/mail_guard.py``), and so does a
    task that raised."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    mail_guard.install()
    mail_guard.reset()
    yield
    failed = [f"{r.task.name}: {r.errors[0].traceback}" for r in mail_guard.failed_tasks]
    mail_guard.reset()
    assert not failed, "A task raised:\n" + "\n".join(failed)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with PBKDF2 costs ~0.1 s per user; tests need none of its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no rate-limit counts or cached pages carried over."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request under /nn/ or /en/ leaves its
    language active in the thread, and ``reverse()`` in the next test would follow it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded files in tests go to a temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme(db) -> Programme:
    """The 2012 programme; reloaded when a transactional test flushed the database."""
    if not Programme.objects.filter(slug="saman-om-ein-betre-kommune").exists():
        call_command("load_programme_2012", stdout=io.StringIO())
    return Programme.objects.get(slug="saman-om-ein-betre-kommune")


@pytest.fixture
def karmoy(programme) -> LocalProject:
    return LocalProject.objects.get(slug="karmoy-omdomme")


@pytest.fixture
def strand(programme) -> LocalProject:
    return LocalProject.objects.get(slug="strand-omdomme")


@pytest.fixture
def omdomme(programme) -> Network:
    return Network.objects.get(slug="omdomme")


def _participant(project, username, *, leader, role=ParticipantRole.LEADER):
    user = UserFactory(username=username)
    Participant.objects.create(
        local_project=project,
        user=user,
        name=user.get_full_name(),
        function="Prosjektleder" if leader else "Rådgiver",
        role=role,
        email=user.email,
        phone="+47 900 00 000",
        is_project_leader=leader,
        listed_publicly=leader,
        municipality=project.municipalities.first(),
    )
    return user


@pytest.fixture
def participant(karmoy):
    return _participant(karmoy, "deltaker.karmoy", leader=False, role=ParticipantRole.OTHER)


@pytest.fixture
def leader_karmoy(karmoy):
    return _participant(karmoy, "leder.karmoy", leader=True)


@pytest.fixture
def leader_strand(strand):
    return _participant(strand, "leder.strand", leader=True)


def _facilitator(network_slug, username):
    user = UserFactory(username=username)
    person = Network.objects.get(slug=network_slug).facilitator
    person.user = user
    person.save(update_fields=["user"])
    return user


@pytest.fixture
def facilitator(programme):
    return _facilitator("omdomme", "veileder.omdomme")


@pytest.fixture
def facilitator_other(programme):
    return _facilitator("sykefravaer-sor", "veileder.sykefravaer.sor")


@pytest.fixture
def ministry(programme):
    return UserFactory(username="krd", is_programme_staff=True)


@pytest.fixture
def admin_user(programme):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def persona_user(request):
    """Parametrise with a name from PERSONAS; gives None for anonymous."""
    name = request.param
    return None if name == "anonymous" else request.getfixturevalue(name)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="network.backends.ModelBackend")
    return client


@pytest.fixture
def login():
    """``login(user)`` gives a test client signed in as that user (anonymous for None)."""
    return client_for


@pytest.fixture
def page_cache_on(settings):
    """The page cache keeps anonymous pages for a minute (as with Redis in production)."""
    settings.PAGE_CACHE_SECONDS = 60


__all__ = ["PASSWORD", "PERSONAS", "client_for"]
