"""Fetching one object for a request, one helper per kind: what the user may not see is 404,
what they may see but not do ``perm`` to is 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.prepared_reads import PreparedRead
from network.selectors import note_programme

from .models import Invitation, LocalProject
from .rules import invitations_managed_by

#: A project with its network's programme, by slug (compiled once per process).
_read_project = PreparedRead(
    lambda slug: LocalProject.objects.select_related("network__programme").filter(slug=slug)
)


def project_for(
    request,
    slug: str,
    *,
    perm: str | None,
    queryset: QuerySet[LocalProject] | PreparedRead | None = None,
) -> LocalProject:
    """The local project ``slug``. Projects are public, so only an unknown slug is 404; a user
    without ``perm`` on the project (if given) gets 403. ``queryset`` replaces the default
    (the project with its network's programme), e.g. to load more joins; a page read on
    every request passes a ``PreparedRead`` of ``slug`` instead."""
    if queryset is None:
        queryset = _read_project
    if isinstance(queryset, PreparedRead):
        found = queryset.instances(slug=slug)
        if not found:
            raise Http404
        project = found[0]
    else:
        project = get_object_or_404(queryset, slug=slug)
    if perm is not None and not request.user.has_perm(perm, project):
        raise PermissionDenied
    note_programme(request, project.network.programme)
    return project


def invitation_for(
    request, pk: int, *, perm: str = "municipalities.manage_invitation"
) -> Invitation:
    """An invitation the user manages (see ``rules.invitations_managed_by``; others are 404),
    if they may do ``perm`` to it (403 otherwise)."""
    invitation = get_object_or_404(
        invitations_managed_by(request.user).select_related("local_project", "network"), pk=pk
    )
    if not request.user.has_perm(perm, invitation):
        raise PermissionDenied
    return invitation
