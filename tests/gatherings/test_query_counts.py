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


def add_gatherings(gathering, n):
    for i in range(n):
        Gathering.objects.create(network=gathering.network, kind="temadag", title=f"T{i}")


# Each page with n of what it lists added to the coming gathering: its address.


def programme_page(gathering, n):
    add_items(gathering, n)
    PreparationTask.objects.create(gathering=gathering, title="Oppgave")
    return reverse("gatherings:detail", args=[gathering.pk])


def agenda_editor(gathering, n):
    add_items(gathering, n)
    return reverse("gatherings:agenda", args=[gathering.pk])


def gathering_list(gathering, n):
    add_gatherings(gathering, n)
    return reverse("gatherings:list")


def participant_list(gathering, n):
    add_registrations(gathering, n)
    return reverse("gatherings:participants", args=[gathering.pk])


def participant_export(gathering, n):
    add_registrations(gathering, n)
    return reverse("gatherings:participants_export", args=[gathering.pk, "csv"])


def registration_overview(gathering, n):
    add_registrations(gathering, n)
    return reverse("gatherings:registration", args=[gathering.pk])


def attendance_matrix(gathering, n):
    add_registrations(gathering, n)
    add_gatherings(gathering, n)
    return reverse("gatherings:attendance", args=[gathering.network.slug])


@pytest.mark.parametrize(
    ("page", "persona", "queries"),
    [
        (programme_page, "leader_karmoy", 7),
        (agenda_editor, "facilitator", 9),
        (gathering_list, "facilitator", 6),
        (participant_list, "facilitator", 6),
        (participant_export, "facilitator", 5),
        (registration_overview, "facilitator", 7),
        (attendance_matrix, "ministry", 6),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
@pytest.mark.parametrize("n", SIZES)
def test_page_takes_the_same_number_of_queries_at_any_size(
    request, login, coming_gathering, page, persona, queries, n, django_assert_num_queries
):
    url = page(coming_gathering, n)
    client = login(request.getfixturevalue(persona))
    assert_constant(client, url, queries, django_assert_num_queries)


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
