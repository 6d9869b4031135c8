"""Every queryset twin in ``<app>/rules.py`` gives, for every persona, exactly the objects its
permission grants one by one: ``set(twin(user)) == {o for o in candidates if
user.has_perm(perm, o)}``. The role sets behind the predicates (``facilitated_network_ids``,
``led_project_ids`` …) are compared with what the database says of the person.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from gatherings.models import Gathering, GatheringStatus
from gatherings.rules import gatherings_visible_to, registrable_participants
from measurements.models import ProgressPage
from measurements.rules import (
    overview_projects,
    progress_visible_municipalities,
    progress_visible_projects,
)
from municipalities.models import (
    Invitation,
    InvitationRole,
    LocalProject,
    Municipality,
    Participant,
)
from municipalities.rules import (
    confirmable_deletion_requests,
    final_report_projects,
    invitations_managed_by,
    leads_project,
    led_project_ids,
    member_network_ids,
    member_project_ids,
    projects_open_to_invitation,
)
from network.models import DeletionRequest, Network
from network.rules import facilitated_network_ids
from surveys.selectors import runs_of_projects, with_survey_flag
from tests.conftest import PERSONAS
from tests.factories import GatheringFactory, UserFactory

EXPIRES = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def world(
    programme,
    karmoy,
    strand,
    omdomme,
    participant,
    leader_karmoy,
    leader_strand,
    facilitator,
    facilitator_other,
    ministry,
    admin_user,
):
    """Every persona, and something of each kind on both sides of every line: draft and
    published gatherings in two networks, one published progress page, invitations of every
    role from several senders, pending and confirmed deletion requests."""
    other = Network.objects.get(slug="sykefravaer-sor")
    GatheringFactory(network=omdomme, title="Utkast Omdømme", status=GatheringStatus.DRAFT)
    GatheringFactory(network=other, title="Utkast Sykefravær", status=GatheringStatus.DRAFT)
    GatheringFactory(network=other, title="Publisert Sykefravær")
    ProgressPage.objects.update_or_create(
        local_project=strand,
        defaults={"published_at": datetime.datetime(2013, 6, 1, tzinfo=datetime.UTC)},
    )
    elsewhere = LocalProject.objects.filter(network=other).first()
    invitations = [
        (InvitationRole.PARTICIPANT, karmoy, None, leader_karmoy),
        (InvitationRole.PROJECT_LEADER, karmoy, None, facilitator),
        (InvitationRole.PARTICIPANT, strand, None, leader_strand),
        (InvitationRole.PROJECT_LEADER, elsewhere, None, facilitator_other),
        (InvitationRole.FACILITATOR, None, other, admin_user),
        (InvitationRole.PROGRAMME_STAFF, None, None, admin_user),
    ]
    for number, (role, project, network, sender) in enumerate(invitations):
        Invitation.objects.create(
            email=f"invitert{number}@example.org",
            role=role,
            local_project=project,
            network=network,
            token_hash=f"{number:064d}",
            created_by=sender,
            expires_at=EXPIRES,
        )
    outsider = UserFactory(username="utenfor")
    for user in (participant, leader_strand, facilitator_other, outsider, admin_user):
        DeletionRequest.objects.create(user=user)
    confirmed = UserFactory(username="bekreftet")
    Participant.objects.create(local_project=karmoy, user=confirmed, name="Bekreftet")
    DeletionRequest.objects.create(
        user=confirmed, confirmed_at=datetime.datetime(2013, 1, 1, tzinfo=datetime.UTC)
    )


@pytest.fixture(params=PERSONAS)
def user(request, world):
    if request.param == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(request.param)


def granted(user, perm, candidates) -> set:
    return {o for o in candidates if user.has_perm(perm, o)}


# --- network and municipalities: role sets ----------------------------------------------------


def test_facilitated_network_ids_are_the_networks_the_user_facilitates(user):
    facts = {
        n.pk
        for n in Network.objects.select_related("facilitator")
        if user.is_authenticated and n.facilitator.user_id == user.pk
    }
    assert set(facilitated_network_ids(user)) == facts


def test_led_and_member_project_ids_are_the_users_participations(user):
    rows = Participant.objects.filter(user_id=user.pk) if user.is_authenticated else []
    assert set(led_project_ids(user)) == {p.local_project_id for p in rows if p.is_project_leader}
    assert set(member_project_ids(user)) == {p.local_project_id for p in rows}


def test_member_network_ids_are_the_networks_the_user_takes_part_in_or_facilitates(user):
    projects = Participant.objects.filter(user_id=user.pk) if user.is_authenticated else []
    facts = {p.local_project.network_id for p in projects}
    facts |= {
        n.pk
        for n in Network.objects.select_related("facilitator")
        if user.is_authenticated and n.facilitator.user_id == user.pk
    }
    assert set(member_network_ids(user)) == facts


@pytest.mark.parametrize(
    ("role", "perm"),
    [
        (InvitationRole.PARTICIPANT, "municipalities.invite_participant"),
        (InvitationRole.PROJECT_LEADER, "municipalities.invite_project_leader"),
    ],
)
def test_projects_open_to_invitation(user, role, perm):
    candidates = LocalProject.objects.all()
    assert set(projects_open_to_invitation(user, role)) == granted(user, perm, candidates)


def test_final_report_projects(user):
    candidates = LocalProject.objects.select_related("network")
    assert set(final_report_projects(user)) == granted(
        user, "municipalities.view_final_report", candidates
    )


def test_invitations_managed_by(user):
    candidates = Invitation.objects.select_related("local_project")
    assert set(invitations_managed_by(user)) == granted(
        user, "municipalities.manage_invitation", candidates
    )


def test_confirmable_deletion_requests(user):
    candidates = DeletionRequest.objects.all()
    assert set(confirmable_deletion_requests(user)) == granted(
        user, "network.confirm_deletionrequest", candidates
    )


# --- gatherings -------------------------------------------------------------------------------


def test_gatherings_visible_to(user):
    candidates = Gathering.objects.select_related("network")
    expected = granted(user, "gatherings.view_gathering", candidates)
    assert set(gatherings_visible_to(user, Gathering.objects.all())) == expected
    assert set(Gathering.objects.for_user(user)) == expected


@pytest.mark.parametrize("network", ["omdomme", "sykefravaer-sor"])
def test_registrable_participants(user, network):
    gathering = Gathering.objects.filter(network__slug=network).first()
    candidates = Participant.objects.filter(local_project__network=gathering.network_id)
    assert set(registrable_participants(user, gathering)) == granted(
        user, "gatherings.register_participant", candidates.select_related("local_project")
    )


# --- measurements and surveys -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("twin", "perm", "candidates"),
    [
        (progress_visible_projects, "measurements.view_progress", LocalProject.objects.all),
        (
            progress_visible_municipalities,
            "measurements.view_municipality_progress",
            Municipality.objects.all,
        ),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_progress_twins(user, twin, perm, candidates):
    assert set(twin(user)) == granted(user, perm, candidates())


def test_overview_projects(user, programme):
    candidates = LocalProject.objects.filter(network__programme=programme)
    assert set(overview_projects(user, programme)) == granted(
        user, "measurements.follow_project", candidates.select_related("network")
    )


def test_survey_results_are_those_of_progress_visible_projects_that_run_the_survey(user):
    twin = with_survey_flag(progress_visible_projects(user)).filter(runs_reputation_survey=True)
    candidates = LocalProject.objects.select_related("network")
    assert set(twin) == granted(user, "surveys.view_results", candidates)


def test_runs_of_projects_are_the_led_projects_whose_runs_the_user_manages(user):
    led = with_survey_flag(LocalProject.objects.filter(pk__in=led_project_ids(user)))
    candidates = LocalProject.objects.select_related("network")
    expected = {
        p for p in candidates if leads_project(user, p) and user.has_perm("surveys.manage_runs", p)
    }
    assert {project for project, _runs in runs_of_projects(led)} == expected
