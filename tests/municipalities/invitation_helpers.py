"""Shared helpers for the invitation tests."""

import re

from django.core import mail

from municipalities import invitations
from municipalities.models import Invitation, InvitationRole

NEW_PASSWORD = "Fjordbris-Lunsj-2012"


def invite(
    created_by,
    email="ny.deltaker@karmoy.kommune.no",
    *,
    lead=None,
    facilitate=None,
    **kwargs,
) -> invitations.IssuedInvitation:
    """An invitation sent by ``created_by``: to lead the local project ``lead``, to facilitate
    the network ``facilitate``, or else as ``kwargs`` say (a participant unless they name a
    role)."""
    if lead is not None:
        kwargs.update(role=InvitationRole.PROJECT_LEADER, local_project=lead)
    if facilitate is not None:
        kwargs.update(role=InvitationRole.FACILITATOR, network=facilitate)
    kwargs.setdefault("role", InvitationRole.PARTICIPANT)
    return invitations.create_invitation(created_by=created_by, email=email, **kwargs)


def new_account(**data) -> dict[str, str]:
    """The form that makes a new account from an invitation link: Nora Ny's, as «nora»."""
    return {
        "username": "nora",
        "first_name": "Nora",
        "last_name": "Ny",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **data,
    }


def accept_path(token: str, language: str = "en") -> str:
    return f"/{language}/invitasjon/{token}/"


def open_and_accept(client, token: str):
    """Open the invitation link, then press «Accept»: the page and the answer."""
    return client.get(accept_path(token)), client.post(accept_path(token))


def token_from_mail(message=None) -> str:
    message = message or mail.outbox[-1]
    return re.search(r"/invitasjon/([\w-]+)/", message.body).group(1)


def snapshot() -> list[tuple]:
    """Everything an invitation attempt could change, to compare before and after."""
    return list(Invitation.objects.order_by("pk").values_list("pk", "token_hash", "accepted_at"))
