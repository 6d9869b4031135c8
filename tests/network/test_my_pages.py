"""«Mine sider»: what the network app shows each role (administration, the programme, the
networks a facilitator leads) and the account block everyone has. What each section costs in
queries is held with the project sections' in ``tests/municipalities/test_my_pages.py``."""

import pytest

from network.models import Network
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MY_PAGES = "/en/mine-sider/"
NETWORK_KEYS = {"my_administration", "my_networks", "my_programme"}


def section_keys(response) -> list[str]:
    return [s.key for s in response.context["blocks"] if s.key in NETWORK_KEYS]


def test_anonymous_visitors_are_sent_to_sign_in(client, programme):
    response = client.get(MY_PAGES)
    assert response.status_code == 302
    assert response.url == "/en/logg-inn/?next=/en/mine-sider/"


def test_everyone_sees_their_account_and_can_change_password(login, participant):
    content = login(participant).get(MY_PAGES).content.decode()
    assert "deltaker.karmoy" in content
    assert participant.email in content
    assert 'href="/en/passord/endre/"' in content


def test_an_account_without_a_role_is_told_how_to_get_one(login, programme):
    response = login(UserFactory(username="ny")).get(MY_PAGES)
    assert response.status_code == 200
    assert "has no role in the programme yet" in response.content.decode()


def test_administrator_sees_the_administration_and_the_whole_programme(login, admin_user):
    response = login(admin_user).get(MY_PAGES)
    assert section_keys(response) == ["my_administration", "my_programme"]
    content = response.content.decode()
    assert 'href="/en/admin/"' in content
    assert 'href="/en/admin/network/user/"' in content
    for slug in Network.objects.values_list("slug", flat=True):
        assert f'href="/en/nettverk/{slug}/"' in content


def test_ministry_staff_see_every_network_and_the_progress_overview(login, ministry):
    response = login(ministry).get(MY_PAGES)
    assert section_keys(response) == ["my_programme"]
    context = next(s.context for s in response.context["blocks"] if s.key == "my_programme")
    assert {n.slug for n in context["networks"]} == set(
        Network.objects.values_list("slug", flat=True)
    )
    assert len(context["networks"]) == 8
    content = response.content.decode()
    assert 'href="/en/framgang/"' in content
    assert "/admin/" not in content


def test_facilitator_sees_the_networks_they_lead(login, facilitator):
    response = login(facilitator).get(MY_PAGES)
    assert section_keys(response) == ["my_networks"]
    context = next(s.context for s in response.context["blocks"] if s.key == "my_networks")
    assert {n.slug for n in context["networks"]} == {"omdomme", "sykefravaer-ost"}
    assert {n.local_project_count for n in context["networks"]} == {5, 7}
    content = response.content.decode()
    assert 'href="/en/nettverk/omdomme/"' in content
    assert 'href="/en/nettverk/sykefravaer-sor/"' not in content


def test_facilitator_of_another_network_sees_only_that_network(login, facilitator_other):
    response = login(facilitator_other).get(MY_PAGES)
    context = next(s.context for s in response.context["blocks"] if s.key == "my_networks")
    assert [n.slug for n in context["networks"]] == ["sykefravaer-sor"]


@pytest.mark.parametrize("persona", ["participant", "leader_karmoy", "leader_strand"])
def test_people_in_local_projects_see_no_network_level_sections(request, login, persona):
    response = login(request.getfixturevalue(persona)).get(MY_PAGES)
    assert section_keys(response) == []
