"""Measurement rounds: the list and the round form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from network.selectors import note_programme

from ..forms import RoundForm
from ..models import MeasurementRound
from .common import (
    PROGRAMME_PARAMETER,
    overview_crumbs,
    programme_context,
    programme_or_404,
    programme_query,
    require,
)


@login_required
def rounds(request):
    require(request, "measurements.view_rounds")
    programme = programme_or_404(request)
    title = gettext("Measurement rounds")
    return render(
        request,
        "measurements/rounds.html",
        programme_context(request, programme)
        | {
            "title": title,
            "rounds": MeasurementRound.objects.filter(programme=programme).order_by(
                "position", "opens_on"
            ),
            "can_manage": request.user.has_perm("measurements.manage_rounds"),
            "breadcrumbs": overview_crumbs({"label": title}, request=request),
        },
    )


@login_required
def round_create(request):
    require(request, "measurements.manage_rounds")
    return _round_form(request, programme_or_404(request), None)


@login_required
def round_update(request, pk):
    require(request, "measurements.manage_rounds")
    round = get_object_or_404(MeasurementRound.objects.select_related("programme"), pk=pk)
    note_programme(request, round.programme)
    return _round_form(request, round.programme, round)


def _round_form(request, programme, instance):
    form = RoundForm(request.POST or None, instance=instance, programme=programme)
    back = reverse("measurements:rounds") + _programme_query(request, programme)
    if request.method == "POST" and form.is_valid():
        round = form.save()
        messages.success(request, gettext("The round «%(name)s» is saved.") % {"name": round.name})
        return redirect(back)
    crumbs = overview_crumbs(
        {"label": gettext("Measurement rounds"), "url": back},
        {"label": instance.name if instance else gettext("New measurement round")},
        request=request,
    )
    return render(
        request,
        "measurements/round_form.html",
        {"form": form, "round": instance, "breadcrumbs": crumbs, "back": back},
    )


def _programme_query(request, programme) -> str:
    """Back to the rounds of the programme the round belongs to: the asked one, or a round's
    own when it is not the current one."""
    if programme.is_current:
        return programme_query(request)
    return f"?{urlencode({PROGRAMME_PARAMETER: programme.slug})}"
