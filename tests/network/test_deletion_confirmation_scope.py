"""Confirming someone's deletion is not a way to remove an account above one's own role.

A person's request to be deleted is confirmed by someone who holds every role the person
holds, or more: the leader of each of their local projects, the facilitator of each of those
projects' networks, or an administrator. Accounts with a role above project leader
(facilitator, ministry staff, administrator) are deleted by an administrator only, since
removing a network's facilitator is an explicit administrator action, never a side effect.
"""

import pytest

from municipalities.models import LocalProject, ParticipantRole
from network.models import DeletionRequest, User
from tests.factories import UserFactory, participation

pytestmark = pytest.mark.django_db

DELETE = "/en/mine-sider/mine-data/slett/"
REQUESTS = "/en/mine-sider/sletting/"


def _also_participant_in(project, user) -> None:
    participation(
        user, project, role=ParticipantRole.OTHER, municipality=project.municipalities.first()
    )


def _confirm_url(user) -> str:
    deletion_request = DeletionRequest.objects.pending().get(user=user)
    return f"{REQUESTS}{deletion_request.pk}/bekreft/"


def _attempt(login, confirmer, target) -> None:
    login(target).post(DELETE)
    client = login(confirmer)
    assert target.get_full_name() not in client.get(REQUESTS).content.decode()
    assert client.post(_confirm_url(target)).status_code in (403, 404)
    assert User.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("higher", ["facilitator", "ministry", "admin_user"])
def test_a_project_leader_cannot_confirm_the_deletion_of_a_higher_role(
    request, login, karmoy, leader_karmoy, higher
):
    target = request.getfixturevalue(higher)
    _also_participant_in(karmoy, target)
    _attempt(login, leader_karmoy, target)


def test_a_project_leader_cannot_confirm_the_deletion_of_an_account_with_admin_access(
    login, karmoy, leader_karmoy
):
    staff = UserFactory(username="redaktor", is_staff=True)
    _also_participant_in(karmoy, staff)
    _attempt(login, leader_karmoy, staff)


def test_a_facilitator_cannot_confirm_the_deletion_of_another_facilitator(
    login, karmoy, facilitator, facilitator_other
):
    _also_participant_in(karmoy, facilitator_other)
    _attempt(login, facilitator, facilitator_other)


def test_a_project_leader_cannot_confirm_the_deletion_of_the_leader_of_another_project(
    login, karmoy, leader_karmoy, leader_strand
):
    _also_participant_in(karmoy, leader_strand)
    _attempt(login, leader_karmoy, leader_strand)


def test_a_facilitator_cannot_confirm_a_deletion_that_reaches_into_another_network(
    login, karmoy, participant, facilitator
):
    elsewhere = LocalProject.objects.exclude(network__slug="omdomme").first()
    _also_participant_in(elsewhere, participant)
    _attempt(login, facilitator, participant)


def test_an_administrator_confirms_the_deletion_of_any_role(login, karmoy, facilitator, admin_user):
    _also_participant_in(karmoy, facilitator)
    login(facilitator).post(DELETE)
    response = login(admin_user).post(_confirm_url(facilitator))
    assert response.status_code == 302
    assert not User.objects.filter(pk=facilitator.pk).exists()


def test_the_network_facilitator_confirms_a_leader_of_two_projects_in_their_network(
    login, strand, leader_karmoy, facilitator
):
    _also_participant_in(strand, leader_karmoy)
    login(leader_karmoy).post(DELETE)
    assert login(facilitator).post(_confirm_url(leader_karmoy)).status_code == 302
    assert not User.objects.filter(pk=leader_karmoy.pk).exists()
