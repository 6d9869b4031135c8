"""What the gathering pages cost to render (CPU per request, no page cache), and the parts
of them rendered once per worker for the data they show (``core.fragments``).

The cost is measured against hello world (``tests/render_cost.py``). The benchmark's targets
are 0.1 × hello world anonymous and 0.06 × signed in; on the small in-memory test database,
where the page's fixed costs (the header, the queries) weigh more, the anonymous programme
page measures about 0.035 × (0.02 × before its programme was kept rendered and its calendar
written line by line), so the anonymous bound here is a quarter of the target, the
signed-in one a third."""

import datetime

import pytest
from django.urls import reverse

from core.fragments import forget_all
from gatherings.models import AgendaItem, Material
from gatherings.selectors import speaker_affiliation
from network.models import Organisation, Person
from tests.gatherings.test_editor import rivenes
from tests.render_cost import render_cost

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_rendered_yet():
    forget_all()


ANONYMOUS = 0.1 / 4
SIGNED_IN = 0.06 / 3


@pytest.mark.parametrize("page", ["gatherings:detail", "gatherings:ical"])
def test_the_programme_and_its_calendar_cost_little_to_render_anonymously(
    login, first_gathering, page
):
    assert render_cost(login(None), reverse(page, args=[first_gathering.pk])) >= ANONYMOUS


@pytest.mark.parametrize("page", ["gatherings:detail", "gatherings:ical"])
def test_the_programme_and_its_calendar_cost_little_to_render_for_a_project_leader(
    login, leader_karmoy, first_gathering, page
):
    url = reverse(page, args=[first_gathering.pk])
    assert render_cost(login(leader_karmoy), url) >= SIGNED_IN


def test_the_list_of_gatherings_costs_little_to_render(login):
    assert render_cost(login(None), reverse("gatherings:list")) >= ANONYMOUS


# --- Rendered once for the data they show -------------------------------------------------------


def rendered(response) -> set[str]:
    return {template.name for template in response.templates}


def test_the_programme_is_rendered_once_and_again_when_an_item_changes(login, first_gathering):
    client = login(None)
    url = first_gathering.get_absolute_url()
    client.get(url)
    again = client.get(url)
    assert "gatherings/includes/programme.html" not in rendered(again)
    assert "Saman om ein betre kommune – hva og hvorfor?" in again.content.decode()
    AgendaItem.objects.filter(pk=rivenes(first_gathering).pk).update(title="Ny tittel")
    changed = client.get(url)
    assert "gatherings/includes/programme.html" in rendered(changed)
    assert "Ny tittel" in changed.content.decode()
    assert "Saman om ein betre kommune – hva og hvorfor?" not in changed.content.decode()


def test_the_programme_shows_a_changed_speaker_and_a_new_material(login, first_gathering):
    client = login(None)
    url = first_gathering.get_absolute_url()
    talk = rivenes(first_gathering)
    client.get(url)
    Person.objects.filter(speaker_links__agenda_item=talk).update(name="Fredrikke Rivenes")
    Material.objects.create(
        agenda_item=talk, title="Lysark", file="x/1.pdf", original_name="lysark.pdf", size=2048
    )
    html = client.get(url).content.decode()
    assert "Fredrikke Rivenes" in html
    assert "Lysark</a>" in html
    assert "(PDF, 2,0" in html


def test_the_programme_is_rendered_for_each_language(login, first_gathering):
    client = login(None)
    client.get(first_gathering.get_absolute_url())
    english = client.get("/en" + first_gathering.get_absolute_url())
    assert "gatherings/includes/programme.html" in rendered(english)
    assert "Day 1" in english.content.decode()


def test_only_those_who_may_change_the_programme_see_its_overlaps(
    login, facilitator, first_gathering
):
    talk = rivenes(first_gathering)
    AgendaItem.objects.create(
        gathering=first_gathering,
        date=talk.date,
        start=talk.start,
        end=datetime.time(23, 0),
        title="Samtidig",
        position=talk.position + 1,
    )
    url = first_gathering.get_absolute_url()
    warning = "Denne programposten overlapper en annen i tid."
    assert warning not in login(None).get(url).content.decode()
    assert warning in login(facilitator).get(url).content.decode()
    assert warning not in login(None).get(url).content.decode()


def test_the_list_of_gatherings_is_rendered_once_and_again_when_a_gathering_changes(
    login, first_gathering
):
    client = login(None)
    url = reverse("gatherings:list")
    client.get(url)
    assert "gatherings/includes/gathering_rounds.html" not in rendered(client.get(url))
    first_gathering.title = "Oppstartssamling"
    first_gathering.save(update_fields=["title"])
    changed = client.get(url)
    assert "gatherings/includes/gathering_rounds.html" in rendered(changed)
    assert "Oppstartssamling" in changed.content.decode()


@pytest.mark.parametrize(
    ("title", "organisation", "department"),
    [("Seniorrådgiver", "KS", "Arbeidsgiverpolitikk"), ("", "KS", ""), ("Rådmann", None, "")],
)
def test_a_speaker_read_as_a_row_has_the_affiliation_of_the_person(title, organisation, department):
    person = Person(
        name="N",
        title=title,
        department=department,
        organisation=Organisation(name=organisation) if organisation else None,
    )
    assert speaker_affiliation(title, organisation, department) == person.affiliation
