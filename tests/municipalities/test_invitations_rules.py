"""Who may invite whom: each rule agrees with its queryset twin, for every persona."""

import pytest

from municipalities.models import Invitation, InvitationRole, LocalProject
from municipalities.rules import invitations_managed_by, projects_open_to_invitation
from tests.matrix import PERSONAS
from tests.municipalities.invitation_helpers import invite

pytestmark = pytest.mark.django_db

PROJECT_ROLES = [InvitationRole.PROJECT_LEADER, InvitationRole.PARTICIPANT]


@pytest.mark.parametrize("persona", PERSONAS[1:])
@pytest.mark.parametrize("role", PROJECT_ROLES)
def test_invite_rule_and_queryset_agree(request, persona, role, programme):
    user = request.getfixturevalue(persona)
    projects = LocalProject.objects.select_related("network")
    by_rule = {p.pk for p in projects if user.has_perm(f"municipalities.invite_{role}", p)}
    assert by_rule == set(projects_open_to_invitation(user, role).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("persona", "leader_projects", "participant_projects"),
    [
        ("participant", set(), set()),
        ("leader_karmoy", set(), {"karmoy-omdomme"}),
        ("leader_strand", set(), {"strand-omdomme"}),
        ("facilitator", "omdomme+ost", "omdomme+ost"),
        ("facilitator_other", "sor", "sor"),
        ("ministry", set(), set()),
        ("admin_user", "all", "all"),
    ],
)
def test_who_may_invite_to_which_local_projects(
    request, persona, leader_projects, participant_projects, programme
):
    user = request.getfixturevalue(persona)
    networks = {
        "omdomme+ost": ["omdomme", "sykefravaer-ost"],
        "sor": ["sykefravaer-sor"],
    }

    def expected(spec):
        if spec == "all":
            return set(LocalProject.objects.values_list("slug", flat=True))
        if isinstance(spec, str):
            return set(
                LocalProject.objects.filter(network__slug__in=networks[spec]).values_list(
                    "slug", flat=True
                )
            )
        return spec

    def open_to(role):
        return set(projects_open_to_invitation(user, role).values_list("slug", flat=True))

    assert open_to(InvitationRole.PROJECT_LEADER) == expected(leader_projects)
    assert open_to(InvitationRole.PARTICIPANT) == expected(participant_projects)


@pytest.mark.parametrize(
    ("persona", "may"),
    [
        ("participant", False),
        ("leader_karmoy", False),
        ("facilitator", False),
        ("facilitator_other", False),
        ("ministry", False),
        ("admin_user", True),
    ],
)
def test_only_administrators_invite_facilitators_and_staff(request, persona, may, omdomme):
    user = request.getfixturevalue(persona)
    assert user.has_perm("municipalities.invite_facilitator", omdomme) is may
    assert user.has_perm("municipalities.invite_programme_staff") is may
    assert not projects_open_to_invitation(user, InvitationRole.FACILITATOR).exists()


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_manage_rule_and_queryset_agree(request, persona, admin_user, karmoy, strand):
    stavanger = LocalProject.objects.get(slug="stavanger-sykefravaer")
    for project in (karmoy, strand, stavanger):
        for role in PROJECT_ROLES:
            invite(admin_user, email=f"{role}@{project.slug}.no", role=role, local_project=project)
    invite(admin_user, email="krd@example.org", role=InvitationRole.PROGRAMME_STAFF)
    invite(
        admin_user,
        email="ny@ks.no",
        role=InvitationRole.FACILITATOR,
        network=karmoy.network,
    )
    user = request.getfixturevalue(persona)
    invitations = Invitation.objects.select_related("local_project__network")
    by_rule = {i.pk for i in invitations if user.has_perm("municipalities.manage_invitation", i)}
    assert by_rule == set(invitations_managed_by(user).values_list("pk", flat=True))


def test_project_leader_manages_only_participant_invitations_of_their_project(
    admin_user, leader_karmoy, karmoy, strand
):
    mine = invite(admin_user, local_project=karmoy).invitation
    invite(admin_user, role=InvitationRole.PROJECT_LEADER, local_project=karmoy)
    invite(admin_user, local_project=strand)
    assert list(invitations_managed_by(leader_karmoy)) == [mine]
