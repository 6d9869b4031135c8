"""«Mine data» for participants (being named on public project pages) and the page where a
project leader, a facilitator or an administrator confirms a person's request to be deleted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import services as network_services

from .. import services
from ..models import Participant
from ..rules import confirmable_deletion_requests


@login_required
@require_POST
def participant_listing(request, pk):
    """The participant's own choice: their name on the public project page or not."""
    participant = get_object_or_404(Participant.objects.filter(user=request.user), pk=pk)
    listed = request.POST.get("listed_publicly") == "on"
    services.set_listed_publicly(participant=participant, listed=listed)
    if listed:
        message = _("Your name is shown on the public page of %(project)s.")
    else:
        message = _("Your name is no longer shown on the public page of %(project)s.")
    messages.success(request, message % {"project": participant.local_project.name})
    return redirect("network:my_data")


@login_required
def deletion_requests(request):
    if not request.user.has_perm("network.view_deletion_requests"):
        raise PermissionDenied
    pending = list(
        confirmable_deletion_requests(request.user).prefetch_related(
            "user__participations__local_project"
        )
    )
    response = render(
        request,
        "municipalities/deletion_requests.html",
        {"title": _("Requests to be deleted"), "deletion_requests": pending},
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_POST
def deletion_confirm(request, pk):
    deletion_request = get_object_or_404(confirmable_deletion_requests(request.user), pk=pk)
    if not request.user.has_perm("network.confirm_deletionrequest", deletion_request):
        raise PermissionDenied
    name = deletion_request.user.get_full_name() or deletion_request.user.get_username()
    network_services.confirm_deletion(deletion_request=deletion_request, confirmed_by=request.user)
    messages.success(request, _("%(name)s and their personal data are deleted.") % {"name": name})
    return redirect("municipalities:deletion_requests")
