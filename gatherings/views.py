from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from .calendar import gathering_calendar
from .models import Gathering
from .selectors import agenda_by_day, agenda_items, overlapping_items


def gathering_list(request):
    gatherings = (
        Gathering.objects.for_user(request.user)
        .select_related("network__theme")
        .in_programme_order("network__theme__position", "network__name")
    )
    return render(request, "gatherings/gathering_list.html", {"gatherings": gatherings})


def gathering_detail(request, pk):
    gathering = get_object_or_404(
        Gathering.objects.for_user(request.user).select_related(
            "network__theme", "network__facilitator__organisation"
        ),
        pk=pk,
    )
    days = agenda_by_day(gathering)
    return render(
        request,
        "gatherings/gathering_detail.html",
        {
            "gathering": gathering,
            "days": days,
            "overlapping": overlapping_items([item for _day, items in days for item in items]),
            "can_change": request.user.has_perm("gatherings.change_gathering", gathering),
        },
    )


def gathering_ical(request, pk):
    gathering = get_object_or_404(
        Gathering.objects.for_user(request.user).select_related("network"), pk=pk
    )
    body = gathering_calendar(
        gathering,
        agenda_items(gathering).select_related("gathering__network"),
        base_url=f"{request.scheme}://{request.get_host()}",
        domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="samling-{gathering.pk}.ics"'
    return response
