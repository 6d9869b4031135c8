"""Issuing, sending, renewing, withdrawing and accepting invitations.

The token exists only in the link that is e-mailed; the database keeps its SHA-256 hash. A link
works once, for ``INVITATION_VALIDITY``. What accepting grants:

* project leader / participant: a ``Participant`` of the local project tied to the account. An
  existing participant of the project with the invitation's e-mail address and no account is
  taken over rather than duplicated; a participant who already leads the project stays leader.
* facilitator: the account is tied to a ``Person`` who becomes the network's facilitator. If the
  account already has a person, that person becomes the facilitator. Otherwise the network's
  current facilitator is linked when it has no account yet and no other e-mail address on record
  (the loaded 2012 facilitators have none); else a new person is created from the invitation,
  replacing the current facilitator of the network.
* ministry staff: ``User.is_programme_staff``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from network import outbox
from network.models import MailKind, Network, OutboxMessage, Person, User

from ..models import Invitation, InvitationRole, LocalProject, Participant, ParticipantRole

logger = logging.getLogger(__name__)

INVITATION_VALIDITY = timedelta(days=7)
#: Longer than any token ``issue_token`` makes; longer paths are not even hashed.
MAX_TOKEN_LENGTH = 100


class InvitationError(Exception):
    """The invitation cannot be used; ``invitation`` is set when it exists."""

    def __init__(self, invitation: Invitation | None = None):
        super().__init__(invitation)
        self.invitation = invitation


class InvitationNotFound(InvitationError):
    pass


class InvitationExpired(InvitationError):
    pass


class InvitationUsed(InvitationError):
    pass


class UsernameTaken(Exception):
    """Someone took the chosen username (or e-mail address) a moment before."""


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def find_invitation(*, token: str) -> Invitation:
    """The invitation the link's token opens; raises ``InvitationNotFound``, ``…Used`` or
    ``…Expired``. The lookup is by hash, and the hashes are compared in constant time."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvitationNotFound
    token_hash = hash_token(token)
    invitation = (
        Invitation.objects.select_related(
            "local_project__network", "network", "created_by", "accepted_by"
        )
        .filter(token_hash=token_hash)
        .first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token_hash, token_hash):
        raise InvitationNotFound
    if invitation.accepted_at is not None:
        raise InvitationUsed(invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationExpired(invitation)
    return invitation


@transaction.atomic
def create_invitation(
    *,
    created_by: User | None,
    email: str,
    role: str,
    local_project: LocalProject | None = None,
    network: Network | None = None,
    name: str = "",
    participant_role: str = ParticipantRole.OTHER,
) -> IssuedInvitation:
    """A new invitation, valid for ``INVITATION_VALIDITY``. The caller checks the rules."""
    token, token_hash = _issue_token()
    invitation = Invitation.objects.create(
        email=BaseUserManager.normalize_email(email.strip()),
        name=name.strip(),
        role=role,
        local_project=local_project,
        network=network,
        participant_role=participant_role,
        token_hash=token_hash,
        created_by=created_by,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    logger.info(
        "Invitation %s (%s) created by %s", invitation.pk, role, getattr(created_by, "pk", None)
    )
    return IssuedInvitation(invitation, token)


@transaction.atomic
def renew_invitation(*, invitation: Invitation, renewed_by: User) -> IssuedInvitation:
    """A new token and a new validity period; the old link stops working."""
    token, token_hash = _issue_token()
    expires_at = timezone.now() + INVITATION_VALIDITY
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        token_hash=token_hash, expires_at=expires_at
    )
    if not updated:
        raise InvitationUsed(invitation)
    invitation.token_hash, invitation.expires_at = token_hash, expires_at
    logger.info("Invitation %s renewed by %s", invitation.pk, renewed_by.pk)
    return IssuedInvitation(invitation, token)


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, withdrawn_by: User) -> None:
    """Delete an invitation that has not been accepted; its link stops working."""
    deleted, _ = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()
    if not deleted:
        raise InvitationUsed(invitation)
    logger.info("Invitation %s withdrawn by %s", invitation.pk, withdrawn_by.pk)


def queue_invitation_email(*, invitation: Invitation, accept_url: str) -> OutboxMessage:
    """Record the e-mail with the link in the outbox; the worker sends it. The link is the
    recipient's personal text, erased from the outbox once delivered."""
    inviter = invitation.created_by
    context = {
        "invitation": invitation,
        "inviter_name": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "accept_url": accept_url,
        "portal_name": settings.PORTAL_NAME,
        "validity_days": INVITATION_VALIDITY.days,
    }
    subject = render_to_string("municipalities/invitations/email/invitation_subject.txt", context)
    body = render_to_string("municipalities/invitations/email/invitation_body.txt", context)
    return outbox.record(
        kind=MailKind.ACCOUNT_INVITATION,
        subject=subject,
        body=_("An invitation with a personal link."),
        recipients=[outbox.Recipient(email=invitation.email, name=invitation.name, body=body)],
        about=invitation,
        sent_by=inviter,
        reply_to=inviter.email if inviter and inviter.email else "",
        forget_recipients=True,
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> None:
    """Give ``user`` the invited role. Claiming the invitation and granting the role happen
    together; a second, simultaneous acceptance finds it claimed and raises."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now, accepted_by=user)
    if not claimed:
        invitation.refresh_from_db()
        if invitation.accepted_at is not None:
            raise InvitationUsed(invitation)
        raise InvitationExpired(invitation)
    invitation.accepted_at, invitation.accepted_by = now, user
    if invitation.role in (InvitationRole.PROJECT_LEADER, InvitationRole.PARTICIPANT):
        _join_project(invitation, user)
    elif invitation.role == InvitationRole.FACILITATOR:
        _facilitate_network(invitation, user)
    elif invitation.role == InvitationRole.PROGRAMME_STAFF and not user.is_programme_staff:
        user.is_programme_staff = True
        user.save(update_fields=["is_programme_staff"])
    logger.info("Invitation %s accepted by %s", invitation.pk, user.pk)


@transaction.atomic
def accept_invitation_with_new_account(
    *, invitation: Invitation, username: str, first_name: str, last_name: str, password: str
) -> User:
    """Create the invitee's account (with the invitation's e-mail address) and accept."""
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=invitation.email
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise UsernameTaken from error
    accept_invitation(invitation=invitation, user=user)
    return user


def _display_name(invitation: Invitation, user: User) -> str:
    return invitation.name or user.get_full_name() or user.get_username()


def _join_project(invitation: Invitation, user: User) -> None:
    project = invitation.local_project
    leader = invitation.role == InvitationRole.PROJECT_LEADER
    participant = (
        project.participants.filter(user=user).first()
        or project.participants.filter(user__isnull=True, email__iexact=invitation.email).first()
    )
    if participant is None:
        municipalities = list(project.municipalities.all()[:2])
        Participant.objects.create(
            local_project=project,
            user=user,
            name=_display_name(invitation, user),
            email=invitation.email,
            role=invitation.participant_role,
            is_project_leader=leader,
            municipality=municipalities[0] if len(municipalities) == 1 else None,
        )
        return
    participant.user = user
    participant.is_project_leader = participant.is_project_leader or leader
    participant.email = participant.email or invitation.email
    participant.save(update_fields=["user", "is_project_leader", "email"])


def _facilitate_network(invitation: Invitation, user: User) -> None:
    network = Network.objects.select_for_update().get(pk=invitation.network_id)
    person = Person.objects.filter(user=user).first()
    current = network.facilitator
    if (
        person is None
        and current is not None
        and current.user_id is None
        and current.email.lower() in ("", invitation.email.lower())
    ):
        current.user = user
        current.email = current.email or invitation.email
        current.save(update_fields=["user", "email"])
        return
    if person is None:
        person = Person.objects.create(
            name=_display_name(invitation, user), email=invitation.email, user=user
        )
    if network.facilitator_id != person.pk:
        network.facilitator = person
        network.save(update_fields=["facilitator"])
