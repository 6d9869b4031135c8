"""Every list page of the gatherings app answers in the same number of queries whatever the
amount of data: each is measured at two sizes against one literal count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage, OutboxRecipient
from gatherings import services
from gatherings.models import (
    AgendaItem,
    AgendaItemSpeaker,
    Gathering,
    Material,
    PreparationTask,
    Resource,
    TaskCompletion,
)
from municipalities.models import ParticipantRole
from network.models import MailKind, Person
from tests.factories import LocalProjectFactory, MunicipalityFactory
from tests.gatherings.conftest import add_participant
from tests.gatherings.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

SIZES = [1, 6]


def add_items(gathering, n):
    for i in range(n):
        item = AgendaItem.objects.create(
            gathering=gathering,
            date=gathering.start_date,
            start=datetime.time(8 + i % 10, 0),
            end=datetime.time(8 + i % 10, 45),
            title=f"Post {i}",
            position=100 + i,
        )
        person = Person.objects.create(name=f"Foredragsholder {i}", title="Rådgiver")
        AgendaItemSpeaker.objects.create(agenda_item=item, person=person)
        Material.objects.create(
            agenda_item=item, title=f"Lysark {i}", file=f"x/{i}.pdf", original_name=f"{i}.pdf"
        )


def add_registrations(gathering, n):
    for i in range(n):
        project = LocalProjectFactory(
            network=gathering.network, municipalities=[MunicipalityFactory()]
        )
        for role in ParticipantRole:
            person = add_participant(project, f"Person {i} {role}", role)
            RegistrationFactory(
                gathering=gathering, participant=person, diets=["vegan"], dietary_notes="x"
            )


def assert_constant(client, url, count, django_assert_num_queries):
    client.get(url)  # warm per-process caches (current programme, content types)
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_programme_page(login, leader_karmoy, coming_gathering, n, django_assert_num_queries):
    add_items(coming_gathering, n)
    PreparationTask.objects.create(gathering=coming_gathering, title="Oppgave")
    url = reverse("gatherings:detail", args=[coming_gathering.pk])
    assert_constant(login(leader_karmoy), url, 7, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_agenda_editor(login, facilitator, coming_gathering, n, django_assert_num_queries):
    add_items(coming_gathering, n)
    url = reverse("gatherings:agenda", args=[coming_gathering.pk])
    assert_constant(login(facilitator), url, 9, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_gathering_list(login, facilitator, coming_gathering, n, django_assert_num_queries):
    for i in range(n):
        Gathering.objects.create(network=coming_gathering.network, kind="temadag", title=f"T{i}")
    assert_constant(login(facilitator), reverse("gatherings:list"), 6, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_participant_list(login, facilitator, coming_gathering, n, django_assert_num_queries):
    add_registrations(coming_gathering, n)
    url = reverse("gatherings:participants", args=[coming_gathering.pk])
    assert_constant(login(facilitator), url, 6, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_participant_export(login, facilitator, coming_gathering, n, django_assert_num_queries):
    add_registrations(coming_gathering, n)
    url = reverse("gatherings:participants_export", args=[coming_gathering.pk, "csv"])
    assert_constant(login(facilitator), url, 5, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_registration_overview(login, facilitator, coming_gathering, n, django_assert_num_queries):
    add_registrations(coming_gathering, n)
    url = reverse("gatherings:registration", args=[coming_gathering.pk])
    assert_constant(login(facilitator), url, 7, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_attendance_matrix(login, ministry, coming_gathering, n, django_assert_num_queries):
    add_registrations(coming_gathering, n)
    for i in range(n):
        Gathering.objects.create(network=coming_gathering.network, kind="temadag", title=f"T{i}")
    url = reverse("gatherings:attendance", args=[coming_gathering.network.slug])
    assert_constant(login(ministry), url, 6, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_outbox(login, facilitator, coming_gathering, n, django_assert_num_queries):
    for i in range(n):
        message = OutboxMessage.objects.create(
            about=coming_gathering,
            kind=MailKind.CHANGED,
            subject=f"Endring {i}",
            body="Tekst",
            sent_by=facilitator,
        )
        OutboxRecipient.objects.bulk_create(
            OutboxRecipient(message=message, name=f"P{j}", email=f"p{j}@example.org")
            for j in range(n)
        )
    url = reverse("gatherings:outbox", args=[coming_gathering.pk])
    assert_constant(login(facilitator), url, 7, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_evaluation_results(
    login, facilitator, karmoy, first_gathering, n, django_assert_num_queries
):
    items = list(first_gathering.agenda_items.all())
    for i in range(n + 3):
        person = add_participant(karmoy, f"Deltaker {i}", ParticipantRole.OTHER)
        services.submit_evaluation(
            gathering=first_gathering,
            participant=person,
            answers=[services.Answer(item, 1 + i % 5, f"Kommentar {i}") for item in items],
        )
    url = reverse("gatherings:evaluation_results", args=[first_gathering.pk])
    assert_constant(login(facilitator), url, 10, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_tasks_matrix(login, facilitator, coming_gathering, karmoy, n, django_assert_num_queries):
    for i in range(n):
        task = PreparationTask.objects.create(gathering=coming_gathering, title=f"Oppgave {i}")
        TaskCompletion.objects.create(task=task, local_project=karmoy, completed_at=timezone.now())
    url = reverse("gatherings:tasks", args=[coming_gathering.pk])
    assert_constant(login(facilitator), url, 8, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_resource_library(login, facilitator, omdomme, n, django_assert_num_queries):
    for i in range(n):
        Resource.objects.create(
            programme=omdomme.programme,
            network=omdomme,
            theme=omdomme.theme,
            kind="report",
            title=f"Rapport {i}",
            url=f"https://example.org/{i}",
        )
    url = reverse("gatherings:network_resources", args=["omdomme"])
    assert_constant(login(facilitator), url, 5, django_assert_num_queries)


@pytest.mark.parametrize("n", SIZES)
def test_project_page_tasks(
    login, leader_karmoy, coming_gathering, karmoy, n, django_assert_num_queries
):
    for i in range(n):
        task = PreparationTask.objects.create(gathering=coming_gathering, title=f"Oppgave {i}")
        if i % 2:
            TaskCompletion.objects.create(task=task, local_project=karmoy)
    client = login(leader_karmoy)
    client.get(karmoy.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(karmoy.get_absolute_url())
    # The project page belongs to the municipalities app: count this app's part of it.
    assert len([q for q in queries.captured_queries if "gatherings_" in q["sql"]]) == 1
