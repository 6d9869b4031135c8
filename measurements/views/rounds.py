"""Measurement rounds: the list and the round form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from ..forms import RoundForm
from ..models import MeasurementRound
from .common import overview_crumbs, programme_or_404, require


@login_required
def rounds(request):
    require(request, "measurements.view_rounds")
    programme = programme_or_404(request)
    return render(
        request,
        "measurements/rounds.html",
        {
            "programme": programme,
            "rounds": MeasurementRound.objects.filter(programme=programme).order_by(
                "position", "opens_on"
            ),
            "can_manage": request.user.has_perm("measurements.manage_rounds"),
            "breadcrumbs": overview_crumbs({"label": gettext("Measurement rounds")}),
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
    return _round_form(request, round.programme, round)


def _round_form(request, programme, instance):
    form = RoundForm(request.POST or None, instance=instance, programme=programme)
    if request.method == "POST" and form.is_valid():
        round = form.save()
        messages.success(request, gettext("The round «%(name)s» is saved.") % {"name": round.name})
        return redirect("measurements:rounds")
    crumbs = overview_crumbs(
        {"label": gettext("Measurement rounds"), "url": reverse("measurements:rounds")},
        {"label": instance.name if instance else gettext("New measurement round")},
    )
    return render(
        request,
        "measurements/round_form.html",
        {"form": form, "round": instance, "breadcrumbs": crumbs},
    )
