"""Health data (diets, allergies) is never cached: not by the browser, not by a proxy, and not
by the portal's own page cache."""

import pytest
from django.urls import reverse

from core.cache import HIT_HEADER
from municipalities.models import ParticipantRole
from tests.gatherings.conftest import add_participant
from tests.gatherings.factories import RegistrationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

ALLERGY = "Alvorlig peanøttallergi"


@pytest.fixture
def allergic(coming_gathering, karmoy):
    person = add_participant(karmoy, "Ola Ordfører", ParticipantRole.POLITICIAN)
    RegistrationFactory(
        gathering=coming_gathering, participant=person, diets=["gluten_free"], dietary_notes=ALLERGY
    )
    return person


def health_data_urls(gathering, person) -> list[str]:
    return [
        reverse("gatherings:participants", args=[gathering.pk]),
        reverse("gatherings:participants_export", args=[gathering.pk, "csv"]),
        reverse("gatherings:participants_export", args=[gathering.pk, "xlsx"]),
        reverse("gatherings:register", args=[gathering.pk, person.pk]),
    ]


def is_hit(response) -> bool:
    return response.get(HIT_HEADER) == "hit"


def test_pages_and_files_with_health_data_forbid_storing(
    login, facilitator, coming_gathering, allergic
):
    client = login(facilitator)
    for url in health_data_urls(coming_gathering, allergic):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, url


def test_the_page_cache_never_stores_health_data(login, facilitator, coming_gathering, allergic):
    client = login(facilitator)
    for url in health_data_urls(coming_gathering, allergic):
        responses = [client.get(url) for _ in range(3)]
        assert not any(is_hit(response) for response in responses), url
    page = client.get(reverse("gatherings:participants", args=[coming_gathering.pk]))
    assert ALLERGY in page.content.decode()  # the test is about pages that do show it


def test_the_registration_form_with_health_data_is_not_stored(
    login, leader_karmoy, coming_gathering, allergic
):
    client = login(leader_karmoy)
    url = reverse("gatherings:register", args=[coming_gathering.pk, allergic.pk])
    responses = [client.get(url) for _ in range(3)]
    assert ALLERGY in responses[-1].content.decode()
    assert not any(is_hit(response) for response in responses)
    assert "no-store" in responses[-1]["Cache-Control"]


def test_the_page_cache_is_on_in_these_tests(client, coming_gathering):
    """The page cache is on: a public page is stored (signed-in pages never are)."""
    url = coming_gathering.get_absolute_url()
    client.get(url)
    assert is_hit(client.get(url))
