"""Shared helpers for the invitation tests."""

import re

from django.core import mail

from municipalities import invitations
from municipalities.models import Invitation, InvitationRole

NEW_PASSWORD = "Fjordbris-Lunsj-2012"


def invite(
    created_by, email="ny.deltaker@karmoy.kommune.no", **kwargs
) -> invitations.IssuedInvitation:
    kwargs.setdefault("role", InvitationRole.PARTICIPANT)
    return invitations.create_invitation(created_by=created_by, email=email, **kwargs)


def accept_path(token: str, language: str = "en") -> str:
    return f"/{language}/invitasjon/{token}/"


def token_from_mail(message=None) -> str:
    message = message or mail.outbox[-1]
    return re.search(r"/invitasjon/([\w-]+)/", message.body).group(1)


def snapshot() -> list[tuple]:
    """Everything an invitation attempt could change, to compare before and after."""
    return list(Invitation.objects.order_by("pk").values_list("pk", "token_hash", "accepted_at"))
