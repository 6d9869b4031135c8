"""Issuing, sending, renewing, withdrawing and accepting invitations.

The token exists only in the link that is e-mailed; the database keeps its SHA-256 hash. A link
works once, for ``INVITATION_VALIDITY``.

Roles are granted downward only, by someone who holds them (``municipalities/rules.py``): an
administrator grants facilitator and ministry staff, the network's facilitator (or an
administrator) grants project leader, a project leader invites participants. The forms offer
nothing else, and accepting checks again that the sender may still grant the role: an
invitation sent by someone who has lost the right (or never had it) grants nothing.

Who may accept: only the account whose e-mail address is the invited one (compared without
regard to letter case or surrounding spaces), or a new account created with that address while
accepting. An account's address counts as verified: users cannot change their own address; it
is set by an administrator, or by the invitation link that reached it. A signed-in user with
another address is asked to sign out first, and nothing is granted.

What accepting grants:

* project leader / participant: a ``Participant`` of the local project tied to the account. An
  existing participant of the project with the invitation's e-mail address and no account is
  taken over rather than duplicated — but not their project-leader flag: leadership belongs to an
  account and is granted by the facilitator or an administrator, so the taken-over participant
  leads the project only if the invitation itself was a project-leader invitation (whose sender
  may grant it). Changing a participant's e-mail address therefore never changes anyone's
  rights. A participant who already leads the project with this account stays leader.
* facilitator: the account is tied to a ``Person`` who becomes the network's facilitator.
  **Decision: accepting never replaces a facilitator.** It fills the role only when the network
  has none, or when its current facilitator is a person without an account whose e-mail address
  is empty or the invited one (the loaded 2012 facilitators have none): that person is linked to
  the account (or, if the account already has a person, e.g. as facilitator of another network,
  that person takes the empty place). A network whose facilitator is tied to another account,
  or has another address on record, refuses the invitation (``FacilitatorTaken``): the form
  tells the administrator when they create it, and the link tells the invitee if it happened
  meanwhile. Replacing a facilitator is an explicit administrator action: change the network's
  facilitator in the administration, then invite the new one.
* ministry staff: ``User.is_programme_staff``.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import NotRequired, TypedDict, Unpack

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.models import OutboxMessage
from core.text import one_line
from core.tokens import hash_token, issue_token
from network.models import MailKind, Network, Person, User

from .models import Invitation, InvitationRole, LocalProject, Participant
from .rules import may_send_invitation

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


class InvitationWrongAccount(InvitationError):
    """The account's e-mail address is not the invited address."""


class InvitationNotGrantable(InvitationError):
    """The sender may not (or no longer) grant the invited role."""


class FacilitatorTaken(InvitationError):
    """Accepting would replace the network's facilitator, which only an administrator does."""


class UsernameTaken(Exception):
    """Someone took the chosen username (or e-mail address) a moment before."""


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str


def normalise_address(email: str) -> str:
    """An e-mail address as compared for invitations: without surrounding spaces, any case."""
    return (email or "").strip().casefold()


def is_invited_address(*, invitation: Invitation, email: str) -> bool:
    return bool(email) and normalise_address(email) == normalise_address(invitation.email)


def sender_may_grant(invitation: Invitation) -> bool:
    """Whether the invitation's sender (read afresh) may grant its role now."""
    sender = User.objects.filter(pk=invitation.created_by_id, is_active=True).first()
    return sender is not None and may_send_invitation.test(sender, invitation)


def is_facilitator_placeholder(person: Person, *, email: str) -> bool:
    """A facilitator without an account whose address is empty or ``email``: accepting an
    invitation for ``email`` may link it (see the module's docstring)."""
    return person.user_id is None and (
        not person.email or normalise_address(person.email) == normalise_address(email)
    )


def facilitator_would_be_replaced(*, network: Network, email: str, user: User | None) -> bool:
    """Whether giving ``network`` a facilitator for ``email`` (and ``user``, when known) would
    replace someone else."""
    current = network.facilitator
    if current is None or is_facilitator_placeholder(current, email=email):
        return False
    return user is None or current.user_id != user.pk


def check_acceptable(*, invitation: Invitation, user: User | None = None) -> None:
    """Raise the ``InvitationError`` that accepting ``invitation`` (into ``user``, or into a
    new account when None) would meet: wrong account, a sender who may not grant the role, a
    network whose facilitator would be replaced."""
    if user is not None and not is_invited_address(invitation=invitation, email=user.email):
        raise InvitationWrongAccount(invitation)
    if not sender_may_grant(invitation):
        raise InvitationNotGrantable(invitation)
    if invitation.role == InvitationRole.FACILITATOR and facilitator_would_be_replaced(
        network=invitation.network, email=invitation.email, user=user
    ):
        raise FacilitatorTaken(invitation)


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


class Grant(TypedDict):
    """What an invitation grants: a role on a local project or a network, and a participant's
    role in the project (``ParticipantRole.OTHER`` unless given)."""

    role: str
    local_project: NotRequired[LocalProject | None]
    network: NotRequired[Network | None]
    participant_role: NotRequired[str]


@transaction.atomic
def create_invitation(
    *, created_by: User | None, email: str, name: str = "", **grant: Unpack[Grant]
) -> IssuedInvitation:
    """A new invitation, valid for ``INVITATION_VALIDITY``. The caller checks the rules."""
    token, token_hash = issue_token()
    invitation = Invitation.objects.create(
        email=BaseUserManager.normalize_email(email.strip()),
        name=name.strip(),
        token_hash=token_hash,
        created_by=created_by,
        expires_at=timezone.now() + INVITATION_VALIDITY,
        **grant,
    )
    logger.info(
        "Invitation %s (%s) created by %s",
        invitation.pk,
        invitation.role,
        getattr(created_by, "pk", None),
    )
    return IssuedInvitation(invitation, token)


@transaction.atomic
def renew_invitation(*, invitation: Invitation, renewed_by: User) -> IssuedInvitation:
    """A new token and a new validity period; the old link stops working."""
    token, token_hash = issue_token()
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
        subject=one_line(subject),
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
    together; a second, simultaneous acceptance finds it claimed and raises. Raises
    ``InvitationWrongAccount`` unless the account has the invited address,
    ``InvitationNotGrantable`` when the sender may not grant the role and ``FacilitatorTaken``
    when the network has another facilitator; nothing is granted then."""
    if not is_invited_address(invitation=invitation, email=user.email):
        raise InvitationWrongAccount(invitation)
    if not sender_may_grant(invitation):
        raise InvitationNotGrantable(invitation)
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
    own = project.participants.filter(user=user).first()
    if own is not None:
        if leader and not own.is_project_leader:
            own.is_project_leader = True
            own.save(update_fields=["is_project_leader"])
        return
    participant = project.participants.filter(
        user__isnull=True, email__iexact=invitation.email.strip()
    ).first()
    if participant is None:
        municipalities = list(project.municipalities.all()[:2])
        Participant.objects.create(
            local_project=project,
            user=user,
            name=_display_name(invitation, user),
            email=invitation.email,
            role=invitation.participant_role,
            is_project_leader=leader,
            listed_publicly=leader,
            municipality=municipalities[0] if len(municipalities) == 1 else None,
        )
        return
    if participant.is_project_leader and not leader:
        logger.warning(
            "Invitation %s takes over participant %s without the project-leader flag",
            invitation.pk,
            participant.pk,
        )
    participant.user = user
    participant.is_project_leader = leader
    participant.email = participant.email or invitation.email
    participant.save(update_fields=["user", "is_project_leader", "email"])


def _facilitate_network(invitation: Invitation, user: User) -> None:
    network = Network.objects.select_for_update().get(pk=invitation.network_id)
    if facilitator_would_be_replaced(network=network, email=invitation.email, user=user):
        raise FacilitatorTaken(invitation)
    current = network.facilitator
    person = Person.objects.filter(user=user).first()
    if current is not None and current.user_id == user.pk:
        return
    if current is not None and person is None:
        current.user = user
        current.email = current.email or invitation.email
        current.save(update_fields=["user", "email"])
        return
    if person is None:
        person = Person.objects.create(
            name=_display_name(invitation, user), email=invitation.email, user=user
        )
    network.facilitator = person
    network.save(update_fields=["facilitator"])
