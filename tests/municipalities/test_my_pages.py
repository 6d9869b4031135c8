"""«Mine sider» for each persona: the local projects, the projects of a facilitator's networks
and the invitations, with links; the page costs the same number of queries at any size."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from municipalities.models import LocalProject, ParticipantRole
from municipalities.page_blocks import (
    my_invitations_block,
    my_local_projects_block,
    my_network_projects_block,
)
from municipalities.rules import participations
from network.models import Network
from network.page_blocks import my_administration_block, my_networks_block, my_programme_block
from tests.factories import LocalProjectFactory, NetworkFactory, ParticipantFactory
from tests.municipalities.invitation_helpers import invite

pytestmark = pytest.mark.django_db

MY_PAGES = "/en/mine-sider/"
KEYS = {
    "my_administration",
    "my_local_projects",
    "my_networks",
    "my_network_projects",
    "my_programme",
    "my_invitations",
}
INVITE = "/en/invitasjoner/ny/"


def section_keys(response) -> list[str]:
    return [s.key for s in response.context["blocks"] if s.key in KEYS]


def context_of(response, key):
    return next(s.context for s in response.context["blocks"] if s.key == key)


@pytest.mark.parametrize(
    ("persona", "keys"),
    [
        ("participant", ["my_local_projects"]),
        ("leader_karmoy", ["my_local_projects", "my_invitations"]),
        ("leader_strand", ["my_local_projects", "my_invitations"]),
        ("facilitator", ["my_networks", "my_network_projects", "my_invitations"]),
        ("facilitator_other", ["my_networks", "my_network_projects", "my_invitations"]),
        ("ministry", ["my_programme"]),
        ("admin_user", ["my_administration", "my_programme", "my_invitations"]),
    ],
)
def test_each_persona_gets_the_sections_of_their_roles(request, login, persona, keys):
    response = login(request.getfixturevalue(persona)).get(MY_PAGES)
    assert response.status_code == 200
    assert section_keys(response) == keys


def test_participant_sees_their_project_and_network_and_cannot_invite(login, participant):
    response = login(participant).get(MY_PAGES)
    content = response.content.decode()
    assert [
        p.local_project.slug for p in context_of(response, "my_local_projects")["participations"]
    ] == ["karmoy-omdomme"]
    assert 'href="/en/prosjekter/karmoy-omdomme/"' in content
    assert 'href="/en/nettverk/omdomme/"' in content
    assert INVITE not in content
    assert "/en/invitasjoner/" not in content


def test_project_leader_sees_their_project_with_an_invitation_link(login, leader_karmoy):
    content = login(leader_karmoy).get(MY_PAGES).content.decode()
    assert 'href="/en/prosjekter/karmoy-omdomme/"' in content
    assert f"{INVITE}?rolle=participant&amp;prosjekt=karmoy-omdomme" in content
    assert "strand-omdomme" not in content
    assert 'href="/en/invitasjoner/"' in content


def test_project_leader_of_strand_sees_strand_only(login, leader_strand, leader_karmoy):
    content = login(leader_strand).get(MY_PAGES).content.decode()
    assert 'href="/en/prosjekter/strand-omdomme/"' in content
    assert "karmoy-omdomme" not in content


def test_facilitator_sees_the_projects_of_their_networks_and_their_leaders(
    login, facilitator, leader_karmoy
):
    response = login(facilitator).get(MY_PAGES)
    projects = context_of(response, "my_network_projects")["projects"]
    expected = LocalProject.objects.filter(network__slug__in=["omdomme", "sykefravaer-ost"])
    assert {p.slug for p in projects} == set(expected.values_list("slug", flat=True))
    karmoy = next(p for p in projects if p.slug == "karmoy-omdomme")
    assert [leader.user for leader in karmoy.leaders] == [leader_karmoy]
    content = response.content.decode()
    assert leader_karmoy.get_full_name() in content
    assert f"{INVITE}?rolle=project_leader&amp;prosjekt=strand-omdomme" in content
    assert "stavanger-sykefravaer" not in content


def test_the_invitation_section_counts_open_invitations(login, facilitator, karmoy, strand):
    invite(facilitator, email="a@example.org", local_project=karmoy)
    invite(facilitator, email="b@example.org", local_project=strand)
    response = login(facilitator).get(MY_PAGES)
    assert context_of(response, "my_invitations") == {"pending_count": 2}
    assert "2 invitations are open." in response.content.decode()


def test_the_page_is_there_in_nynorsk(login, leader_karmoy):
    response = login(leader_karmoy).get("/nn/mine-sider/")
    assert response.status_code == 200
    assert '<html lang="nn"' in response.content.decode()
    assert 'href="/nn/prosjekter/karmoy-omdomme/"' in response.content.decode()


# --- Query counts -------------------------------------------------------------------------------


def grow(persona_user, size):
    """More of everything the sections list: local projects (with leaders) in the Omdømme
    network, participations of a user who takes part in projects already, networks
    facilitated, invitations. The user's roles stay the same."""
    omdomme = Network.objects.get(slug="omdomme")
    takes_part = persona_user.participations.exists()
    for n in range(size):
        project = LocalProjectFactory(network=omdomme)
        ParticipantFactory(local_project=project, is_project_leader=True)
        if takes_part:
            ParticipantFactory(local_project=project, user=persona_user, role=ParticipantRole.HR)
        invite(persona_user, email=f"p{n}@example.org", local_project=project)
        NetworkFactory(
            programme=omdomme.programme, theme=omdomme.theme, facilitator=omdomme.facilitator
        )


#: The queries each section of «Mine sider» – the network app's and this app's – takes, by
#: persona, besides reading the user's roles (once for the whole page).
SECTION_QUERIES = {
    my_administration_block: {"admin_user": 0},
    my_programme_block: {"ministry": 2, "admin_user": 2},
    my_networks_block: {"facilitator": 1, "participant": 0},
    my_local_projects_block: {"participant": 1, "leader_karmoy": 1},
    my_network_projects_block: {"facilitator": 2, "participant": 0},
    my_invitations_block: {"facilitator": 1, "admin_user": 1, "ministry": 0, "participant": 0},
}


@pytest.mark.parametrize(
    ("persona", "section", "queries"),
    [
        pytest.param(persona, section, queries, id=f"{section.key}-{persona}")
        for section, by_persona in SECTION_QUERIES.items()
        for persona, queries in by_persona.items()
    ],
)
@pytest.mark.parametrize("size", [0, 5])
def test_sections_take_the_same_number_of_queries_at_any_size(
    request, persona, section, queries, size, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    grow(user, size)
    http_request = RequestFactory().get(MY_PAGES)
    http_request.user = user
    participations(user)  # the user's roles: read once for the whole page
    with django_assert_num_queries(queries):
        context = section.get_context(request=http_request)
    if context and "networks" in context:
        assert len(context["networks"]) >= size


@pytest.mark.parametrize(
    "persona",
    ["participant", "leader_karmoy", "facilitator", "ministry", "admin_user"],
)
def test_the_whole_page_takes_the_same_number_of_queries_at_two_sizes(request, login, persona):
    user = request.getfixturevalue(persona)
    client = login(user)

    def count():
        client.get(MY_PAGES)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MY_PAGES).status_code == 200
        return len(queries)

    small = count()
    grow(user, 4)
    assert count() == small
