"""Who may see and change local projects and their participants.

A predicate for one object and, where pages ask for many objects, its queryset twin are kept
side by side: the role sets ``led_project_ids`` (``leads_project``) and ``member_project_ids``
(``is_project_member``), ``final_report_projects``, ``projects_open_to_invitation``,
``invitations_managed_by`` and ``confirmable_deletion_requests``.
"""

import functools

import rules
from django.db import connections
from django.db.models import Q

from network.rules import (
    facilitated_network_ids,
    facilitates_network,
    is_administrator,
    is_facilitator,
    reads_everything,
    role_predicates,
)


def load_roles(user) -> None:
    """Read, in one query, the user's participations and the networks they facilitate (the
    latter for ``network.rules.facilitated_network_ids``, see ``combined_role_loader``).

    Every signed-in page asks (the main menu's entries depend on the roles), so the query is
    written out once per process (``_roles_sql``): building and compiling it through the ORM
    cost more than four times what running it does."""
    from .models import Participant

    alias = Participant.objects.db
    with connections[alias].cursor() as cursor:
        cursor.execute(_roles_sql(alias), [user.pk, user.pk])
        rows = cursor.fetchall()
    user._participations = tuple(
        (project, network, bool(leads)) for project, network, leads in rows if project is not None
    )
    user._facilitated_network_ids = frozenset(
        network for project, network, _leads in rows if project is None
    )


@functools.cache
def _roles_sql(alias: str) -> str:
    """``(project id, network id, is project leader)`` of each participation of user %s, then
    ``(NULL, network id, false)`` of each network that user %s facilitates."""
    from network.models import Network, Person

    from .models import LocalProject, Participant

    quote = connections[alias].ops.quote_name

    def name(model, field: str | None = None) -> str:
        if field is None:
            return quote(model._meta.db_table)
        return quote(model._meta.get_field(field).column)

    participant, project = name(Participant), name(LocalProject)
    network, person = name(Network), name(Person)
    return (
        f"SELECT p.{name(Participant, 'local_project')}, lp.{name(LocalProject, 'network')}, "
        f"p.{name(Participant, 'is_project_leader')} "
        f"FROM {participant} p "
        f"INNER JOIN {project} lp ON lp.{name(LocalProject, 'id')} = "
        f"p.{name(Participant, 'local_project')} "
        f"WHERE p.{name(Participant, 'user')} = %s "
        f"UNION ALL "
        f"SELECT NULL, n.{name(Network, 'id')}, 1 = 0 "
        f"FROM {network} n "
        f"INNER JOIN {person} f ON f.{name(Person, 'id')} = n.{name(Network, 'facilitator')} "
        f"WHERE f.{name(Person, 'user')} = %s"
    )


def participations(user) -> tuple[tuple[int, int, bool], ...]:
    """``(project id, network id, is project leader)`` of each local project this user takes
    part in, read once per user object; every role set below is computed from them."""
    if not user.is_authenticated:
        return ()
    if getattr(user, "_participations", None) is None:
        load_roles(user)
    return user._participations


def led_project_ids(user) -> frozenset[int]:
    """Ids of the local projects this user leads."""
    return frozenset(project for project, _network, leads in participations(user) if leads)


def member_project_ids(user) -> frozenset[int]:
    """Ids of the local projects this user takes part in (as participant or leader)."""
    return frozenset(project for project, _network, _leads in participations(user))


def member_network_ids(user) -> frozenset[int]:
    """Networks in which this user takes part: as participant, project leader or facilitator."""
    if not user.is_authenticated:
        return frozenset()
    participating = frozenset(network for _project, network, _leads in participations(user))
    return participating | facilitated_network_ids(user)


is_project_leader, leads_project = role_predicates(
    led_project_ids, "is_project_leader", "leads_project"
)


@rules.predicate
def is_project_member(user, local_project) -> bool:
    return local_project is not None and local_project.pk in member_project_ids(user)


@rules.predicate
def facilitates_project_network(user, local_project) -> bool:
    return local_project is not None and facilitates_network(user, local_project.network)


@rules.predicate
def is_member_of_project_network(user, local_project) -> bool:
    return local_project is not None and local_project.network_id in member_network_ids(user)


can_edit_project = is_administrator | leads_project | facilitates_project_network

rules.add_perm("municipalities.change_localproject", can_edit_project)
rules.add_perm("municipalities.view_contact_data", reads_everything | is_member_of_project_network)


# --- Project page, stories, attachments -----------------------------------------------------
# Drafts (unpublished page versions and stories, their images and documents) are seen by the
# project's editors (``municipalities.change_localproject``) and by those who read everything.
# The project-leader flag of a participant gives the user behind it the right to edit, so only
# administrators and the network's facilitator may set it.

can_view_project_drafts = can_edit_project | reads_everything


@rules.predicate
def attachment_is_public(user, attachment) -> bool:
    """A story's document is public with its published story; a page's with its page."""
    if attachment is None:
        return False
    if attachment.story_id is not None:
        return attachment.story.is_published
    page = getattr(attachment.local_project, "page", None)
    return page is not None and page.is_published


@rules.predicate
def sees_attachment_drafts(user, attachment) -> bool:
    return attachment is not None and can_view_project_drafts.test(user, attachment.local_project)


rules.add_perm("municipalities.view_project_drafts", can_view_project_drafts)
rules.add_perm("municipalities.set_project_leader", is_administrator | facilitates_project_network)
rules.add_perm(
    "municipalities.view_attachment",
    is_administrator | attachment_is_public | sees_attachment_drafts,
)


# --- Final report ---------------------------------------------------------------------------
# The report at the end of the programme names every participant, so it is not public: the
# project's participants, its network's facilitator and those who read everything (those who
# always see the project's progress). Queryset twin: ``final_report_projects``. A network's
# reports in one ZIP file: those who follow the network (``download_final_reports``); a whole
# programme's: those who read everything. Each ZIP file is its asker's alone
# (``ReportArchive.objects.of(user)``: others do not find it).

can_view_final_report = reads_everything | facilitates_project_network | is_project_member

rules.add_perm("municipalities.view_final_report", can_view_final_report)
rules.add_perm("municipalities.download_final_reports", reads_everything | facilitates_network)
# Every report of a programme in one file: those who read everything.
rules.add_perm("municipalities.download_programme_final_reports", reads_everything)


def final_report_projects(user):
    """The projects whose final report ``user`` may see: the queryset twin of
    ``municipalities.view_final_report``."""
    from .models import LocalProject

    projects = LocalProject.objects.all()
    if reads_everything(user):
        return projects
    if not user.is_authenticated:
        return projects.none()
    return projects.filter(
        Q(network_id__in=facilitated_network_ids(user)) | Q(pk__in=member_project_ids(user))
    )


# --- Invitations ----------------------------------------------------------------------------
# Roles are granted downward only, by someone who holds a role above them: an administrator
# grants every role (facilitator and ministry staff only an administrator); the network's
# facilitator grants project leader and participant in the local projects of their networks; a
# project leader invites participants to their own local project. Ministry staff read
# everything and grant nothing. Managing an invitation (list, send again, withdraw) is allowed
# to whoever may send it now, and an invitation is accepted only while its sender still may
# (``municipalities.invitations.accept_invitation``). Queryset twins:
# ``projects_open_to_invitation`` and ``invitations_managed_by`` below.

can_invite_project_leader = is_administrator | facilitates_project_network
can_invite_participant = is_administrator | facilitates_project_network | leads_project
can_invite_to_programme = is_administrator


@rules.predicate
def may_send_invitation(user, invitation) -> bool:
    from .models import InvitationRole

    if invitation is None or user is None:
        return False
    if invitation.role == InvitationRole.PROJECT_LEADER:
        return can_invite_project_leader.test(user, invitation.local_project)
    if invitation.role == InvitationRole.PARTICIPANT:
        return can_invite_participant.test(user, invitation.local_project)
    return can_invite_to_programme.test(user)


rules.add_perm(
    "municipalities.send_invitations", is_administrator | is_facilitator | is_project_leader
)
rules.add_perm("municipalities.invite_project_leader", can_invite_project_leader)
rules.add_perm("municipalities.invite_participant", can_invite_participant)
rules.add_perm("municipalities.invite_facilitator", can_invite_to_programme)
rules.add_perm("municipalities.invite_programme_staff", can_invite_to_programme)
rules.add_perm("municipalities.manage_invitation", may_send_invitation)


def projects_open_to_invitation(user, role: str):
    """The local projects to which ``user`` may invite someone as ``role`` (an
    ``InvitationRole``): the queryset twin of ``municipalities.invite_<role>``."""
    from .models import InvitationRole, LocalProject

    projects = LocalProject.objects.all()
    if role not in (InvitationRole.PROJECT_LEADER, InvitationRole.PARTICIPANT):
        return projects.none()
    if is_administrator.test(user):
        return projects
    in_networks = Q(network_id__in=facilitated_network_ids(user))
    if role == InvitationRole.PARTICIPANT:
        return projects.filter(in_networks | Q(pk__in=led_project_ids(user)))
    return projects.filter(in_networks)


def invitations_managed_by(user):
    """The invitations ``user`` may see, send again and withdraw: the queryset twin of
    ``municipalities.manage_invitation``."""
    from .models import Invitation, InvitationRole

    invitations = Invitation.objects.all()
    if is_administrator.test(user):
        return invitations
    project_roles = [InvitationRole.PROJECT_LEADER, InvitationRole.PARTICIPANT]
    return invitations.filter(
        Q(role__in=project_roles, local_project__network_id__in=facilitated_network_ids(user))
        | Q(role=InvitationRole.PARTICIPANT, local_project_id__in=led_project_ids(user))
    )


# --- Deletion requests («Mine data») ----------------------------------------------------------
# A person's request to be deleted is confirmed by someone who holds every role the person
# holds: the leader of each of their local projects, or the facilitator of each of those
# projects' networks, or an administrator; never by the person themselves. Accounts above
# project leader (facilitator, ministry staff, administrator, admin-site staff) are deleted by
# an administrator only: removing a network's facilitator is an explicit administrator action.
# A confirmer's reach ends at their own projects and networks, so a leader cannot delete
# someone who also leads or takes part elsewhere. ``confirmable_deletion_requests`` is the
# queryset twin.


def confirmable_deletion_requests(user):
    from network.models import DeletionRequest, Person

    from .models import Participant

    pending = DeletionRequest.objects.pending().select_related("user")
    if not user.is_authenticated:
        return pending.none()
    if is_administrator.test(user):
        return pending.exclude(user=user)
    projects = list(led_project_ids(user))
    networks = list(facilitated_network_ids(user))
    if not projects and not networks:
        return pending.none()
    reach = Q(local_project__in=projects) | Q(local_project__network__in=networks)
    beyond_reach = Participant.objects.filter(user__isnull=False).exclude(reach).values("user")
    facilitators = Person.objects.filter(
        user__isnull=False, facilitated_networks__isnull=False
    ).values("user")
    within_reach = Participant.objects.filter(reach, user__isnull=False).values("user")
    return (
        pending.filter(user__in=within_reach, user__is_superuser=False, user__is_staff=False)
        .filter(user__is_programme_staff=False)
        .exclude(user__in=beyond_reach)
        .exclude(user__in=facilitators)
        .exclude(user=user)
    )


@rules.predicate
def confirms_deletion_request(user, deletion_request) -> bool:
    if deletion_request is None or deletion_request.user_id is None:
        return False
    if deletion_request.user_id == user.pk or deletion_request.confirmed_at is not None:
        return False
    return confirmable_deletion_requests(user).filter(pk=deletion_request.pk).exists()


@rules.predicate
def confirms_deletion_requests(user) -> bool:
    return bool(is_administrator.test(user) or led_project_ids(user) or is_facilitator.test(user))


rules.add_perm("network.confirm_deletionrequest", confirms_deletion_request)
rules.add_perm("network.view_deletion_requests", confirms_deletion_requests)
