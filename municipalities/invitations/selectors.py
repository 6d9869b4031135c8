"""Reads for the invitation pages."""

from __future__ import annotations

import re

from django.db.models import Case, CharField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import User

from ..models import Invitation
from ..rules import invitations_managed_by

#: ``status`` annotation of ``invitation_list`` → label.
STATUSES = {
    "pending": _("Pending"),
    "accepted": _("Accepted"),
    "expired": _("Expired"),
}


def invitation_list(*, user, status: str = "") -> QuerySet[Invitation]:
    """The invitations ``user`` manages, newest first, each with a ``status`` (see
    ``STATUSES``), optionally only those with ``status``."""
    invitations = (
        invitations_managed_by(user)
        .select_related("local_project__network", "network", "created_by", "accepted_by")
        .annotate(
            status=Case(
                When(accepted_at__isnull=False, then=Value("accepted")),
                When(expires_at__lte=timezone.now(), then=Value("expired")),
                default=Value("pending"),
                output_field=CharField(),
            )
        )
    )
    if status in STATUSES:
        invitations = invitations.filter(status=status)
    return invitations.order_by("-created_at", "-pk")


def suggest_username(email: str) -> str:
    """A free username from the e-mail address: ``kari.nordmann@x.no`` → ``kari.nordmann``
    (or ``kari.nordmann2`` … when taken, in any letter case)."""
    base = re.sub(r"[^\w.@+-]", "", email.split("@", 1)[0].lower())[:140] or "bruker"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}{number}", number + 1
    return candidate
