"""«Before the next gathering» tasks, and what the gatherings app adds to other pages: the
project page, the network page, the front page and «Mine sider»."""

import pytest
from django.urls import reverse

from gatherings.models import PreparationTask, TaskCompletion
from tests.gatherings.conftest import en_url
from tests.gatherings.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(coming_gathering):
    return PreparationTask.objects.create(
        gathering=coming_gathering, title="Presentasjon i plenum", position=1
    )


def test_facilitator_sets_tasks_for_a_gathering(login, facilitator, coming_gathering):
    client = login(facilitator)
    response = client.post(
        reverse("gatherings:tasks", args=[coming_gathering.pk]),
        {"title": "Presentasjon i plenum", "description": "10 minutter per kommune."},
    )
    assert response.status_code == 302
    client.post(reverse("gatherings:tasks", args=[coming_gathering.pk]), {"title": "Måling"})
    assert list(coming_gathering.preparation_tasks.values_list("title", "position")) == [
        ("Presentasjon i plenum", 1),
        ("Måling", 2),
    ]
    page = login(None).get(coming_gathering.get_absolute_url()).content.decode()
    assert "Presentasjon i plenum" in page


def test_project_leader_ticks_a_task_off_and_the_facilitator_sees_it(
    login, leader_karmoy, facilitator, karmoy, task
):
    project_page = login(leader_karmoy).get(karmoy.get_absolute_url()).content.decode()
    assert "Presentasjon i plenum" in project_page
    url = reverse("gatherings:task_done", args=[task.pk, karmoy.slug])
    assert url in project_page
    response = login(leader_karmoy).post(url, {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{karmoy.get_absolute_url()}#oppgaver"
    completion = TaskCompletion.objects.get(task=task, local_project=karmoy)
    assert completion.completed_by == leader_karmoy

    matrix = login(facilitator).get(en_url("gatherings:tasks", task.gathering_id))
    rows = {project.name: done for project, done in matrix.context["matrix"].rows}
    assert rows["Karmøy"] == [True]
    assert rows["Strand"] == [False]
    assert "1 of 5" in matrix.content.decode()

    login(leader_karmoy).post(url, {"done": "0"})
    assert not TaskCompletion.objects.exists()


@pytest.mark.parametrize("persona", ["participant", "leader_strand", "facilitator_other"])
def test_only_the_projects_leaders_tick_its_tasks(request, login, persona, karmoy, task):
    client = login(request.getfixturevalue(persona))
    response = client.post(
        reverse("gatherings:task_done", args=[task.pk, karmoy.slug]), {"done": "1"}
    )
    assert response.status_code == 403
    assert not TaskCompletion.objects.exists()


def test_readers_of_the_project_page_see_tasks_without_buttons(login, karmoy, task):
    page = login(None).get(karmoy.get_absolute_url()).content.decode()
    assert "Presentasjon i plenum" in page
    assert reverse("gatherings:task_done", args=[task.pk, karmoy.slug]) not in page


def test_network_page_links_the_calendar_feed_library_and_attendance(login, facilitator, omdomme):
    page = login(facilitator).get(omdomme.get_absolute_url()).content.decode()
    assert reverse("gatherings:network_ical", args=["omdomme"]) in page
    assert reverse("gatherings:network_resources", args=["omdomme"]) in page
    assert reverse("gatherings:attendance", args=["omdomme"]) in page
    assert reverse("gatherings:create", args=["omdomme"]) in page
    public = login(None).get(omdomme.get_absolute_url()).content.decode()
    assert reverse("gatherings:network_ical", args=["omdomme"]) in public
    assert reverse("gatherings:attendance", args=["omdomme"]) not in public


def test_front_page_links_the_programme_library(login, programme):
    page = login(None).get("/").content.decode()
    assert reverse("gatherings:programme_resources", args=[programme.slug]) in page


def test_my_pages_lists_the_facilitators_gatherings_with_drafts(
    login, facilitator, second_gathering
):
    page = login(facilitator).get(reverse("network:my_pages")).content.decode()
    assert reverse("gatherings:agenda", args=[second_gathering.pk]) in page
    assert "Sykefravær Øst" in page  # the other network Asbjørn L. Stavem facilitates


def test_my_pages_lists_coming_registrations_and_open_gatherings(
    login, leader_karmoy, karmoy_people, coming_gathering
):
    client = login(leader_karmoy)
    page = client.get(reverse("network:my_pages")).content.decode()
    assert reverse("gatherings:registration", args=[coming_gathering.pk]) in page
    RegistrationFactory(gathering=coming_gathering, participant=karmoy_people[0])
    page = client.get(reverse("network:my_pages")).content.decode()
    assert "Ola Ordfører" in page
    assert reverse("gatherings:register", args=[coming_gathering.pk, karmoy_people[0].pk]) in page
