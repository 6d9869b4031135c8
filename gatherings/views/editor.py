"""The facilitator's editor: a gathering's details and its agenda."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.editing import EditConflict, conflict_page, field_conflicts, rebind_for_merge
from network.models import Network

from .. import services
from ..forms import AgendaItemForm, CopyProgrammeForm, GatheringForm, time_label
from ..models import AgendaItem, Gathering
from ..publishing import network_recipients, pending_changes
from ..selectors import agenda_items, copy_sources, overlaps
from .common import gathering_or_404


def _agenda_url(gathering, item=None) -> str:
    url = reverse("gatherings:agenda", args=[gathering.pk])
    return f"{url}#post-{item.pk}" if item else url


@login_required
def gathering_create(request, slug):
    network = get_object_or_404(Network, slug=slug)
    if not request.user.has_perm("gatherings.add_gathering", network):
        raise PermissionDenied
    gathering = Gathering(network=network)
    form = GatheringForm(request.POST or None, instance=gathering)
    if request.method == "POST" and form.is_valid():
        gathering = services.create_gathering(gathering=form.instance)
        messages.success(
            request, _("The gathering is created as a draft. Now build its programme.")
        )
        return redirect(_agenda_url(gathering))
    return render(request, "gatherings/gathering_form.html", {"form": form, "network": network})


@login_required
def gathering_edit(request, pk):
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    form = GatheringForm(request.POST or None, instance=gathering)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_gathering(
                gathering=form.instance,
                loaded_version=form.cleaned_data["loaded_version"],
                previous_start=form.previous_start,
            )
        except EditConflict as conflict:
            conflicts = field_conflicts(form, conflict.current)
            merge = rebind_for_merge(GatheringForm, data=request.POST, current=conflict.current)
            return conflict_page(
                request,
                template="gatherings/gathering_form.html",
                context=_gathering_context(gathering, merge),
                conflicts=conflicts,
            )
        messages.success(request, _("The gathering is saved."))
        return redirect(_agenda_url(gathering))
    return render(request, "gatherings/gathering_form.html", _gathering_context(gathering, form))


def _gathering_context(gathering, form) -> dict:
    return {
        "form": form,
        "network": gathering.network,
        "gathering": gathering,
        "has_programme": gathering.agenda_items.exists(),
    }


@login_required
def agenda(request, pk):
    """The agenda editor: every day of the gathering, its items, overlaps, and what has
    changed since the programme was last sent to participants."""
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    items = list(agenda_items(gathering))
    by_day = {day: [] for day in gathering.days}
    for item in items:
        by_day.setdefault(item.date, []).append(item)
    found = overlaps(items)
    for item in items:
        item.overlaps_with = found.get(item.pk, [])
    return render(
        request,
        "gatherings/agenda.html",
        {
            "gathering": gathering,
            "days": sorted(by_day.items()),
            "outside_days": sorted(set(by_day) - set(gathering.days)),
            "item_count": len(items),
            "overlap_count": len(found),
            "changes": pending_changes(gathering, items),
            "recipient_count": len(network_recipients(gathering)),
        },
    )


def _item_form_page(request, gathering, form, item=None):
    return render(
        request, "gatherings/item_form.html", {"gathering": gathering, "form": form, "item": item}
    )


def _saved(request, gathering, item):
    messages.success(request, _("«%(title)s» is saved.") % {"title": item.title})
    others = overlaps(list(gathering.agenda_items.filter(date=item.date))).get(item.pk, [])
    for other in others:
        messages.warning(
            request,
            _("«%(title)s» overlaps «%(other)s» (%(time)s). Check the times.")
            % {
                "title": item.title,
                "other": other.title,
                "time": time_label(other.start)
                + (f"–{time_label(other.end)}" if other.end else ""),
            },
        )
    return redirect(_agenda_url(gathering, item))


def _dated(message: str):
    """For a view that adds to the programme of the gathering ``pk``: called with the gathering,
    which the user must be allowed to change; while it has no dates, the user is sent back to
    its form with ``message`` instead."""

    def decorate(view):
        @wraps(view)
        def dated_view(request, pk, *args, **kwargs):
            gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
            if not gathering.start_date:
                messages.error(request, message)
                return redirect("gatherings:edit", gathering.pk)
            return view(request, gathering, *args, **kwargs)

        return dated_view

    return decorate


@login_required
@_dated(gettext_lazy("Give the gathering its dates before you add to its programme."))
def item_create(request, gathering):
    initial = {}
    if request.GET.get("dag") in {day.isoformat() for day in gathering.days}:
        initial["date"] = request.GET["dag"]
    form = AgendaItemForm(request.POST or None, gathering=gathering, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = services.save_agenda_item(gathering=gathering, data=form.item_data())
        return _saved(request, gathering, item)
    return _item_form_page(request, gathering, form)


def _item_or_404(gathering, item_pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(gathering=gathering).prefetch_related("speaker_links"),
        pk=item_pk,
    )


def _deleted_meanwhile(request, gathering):
    """Someone deleted the item while this editor worked: offer to add it again."""
    return conflict_page(
        request,
        template="gatherings/item_form.html",
        context={
            "gathering": gathering,
            "form": AgendaItemForm(request.POST, gathering=gathering),
            "item": None,
            "action": reverse("gatherings:item_create", args=[gathering.pk]),
        },
        deleted=True,
    )


@login_required
def item_edit(request, pk, item_pk):
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    if request.method == "POST" and not gathering.agenda_items.filter(pk=item_pk).exists():
        return _deleted_meanwhile(request, gathering)
    item = _item_or_404(gathering, item_pk)
    form = AgendaItemForm(request.POST or None, instance=item, gathering=gathering)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.save_agenda_item(
                gathering=gathering,
                item=form.instance,
                data=form.item_data(),
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as conflict:
            if conflict.current is None:
                return _deleted_meanwhile(request, gathering)
            conflicts = field_conflicts(form, conflict.current)
            merge = rebind_for_merge(
                AgendaItemForm, data=request.POST, current=conflict.current, gathering=gathering
            )
            return conflict_page(
                request,
                template="gatherings/item_form.html",
                context={"gathering": gathering, "form": merge, "item": item},
                conflicts=conflicts,
            )
        return _saved(request, gathering, item)
    return _item_form_page(request, gathering, form, item)


@login_required
def item_delete(request, pk, item_pk):
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    item = _item_or_404(gathering, item_pk)
    if request.method == "POST":
        try:
            services.delete_agenda_item(item=item)
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect(_agenda_url(gathering, item))
        messages.success(request, _("«%(title)s» is deleted.") % {"title": item.title})
        return redirect(_agenda_url(gathering))
    return render(
        request,
        "gatherings/item_confirm_delete.html",
        {"gathering": gathering, "item": item, "material_count": item.materials.count()},
    )


@login_required
@require_POST
def item_move(request, pk, item_pk):
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    item = _item_or_404(gathering, item_pk)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        raise Http404
    services.move_agenda_item(item=item, up=direction == "up")
    return redirect(_agenda_url(gathering, item))


@login_required
@_dated(gettext_lazy("Give the gathering its dates before you copy a programme."))
def copy_programme(request, gathering):
    sources = copy_sources(request.user, gathering)
    form = CopyProgrammeForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        result = services.copy_programme(source=form.cleaned_data["source"], target=gathering)
        messages.success(
            request,
            ngettext(
                "%(count)s item is copied. Adjust it as needed.",
                "%(count)s items are copied. Adjust them as needed.",
                result.copied,
            )
            % {"count": result.copied},
        )
        if result.skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)s item was left out: it lies on a day this gathering does not have.",
                    "%(count)s items were left out: they lie on days this gathering does not have.",
                    result.skipped,
                )
                % {"count": result.skipped},
            )
        return redirect(_agenda_url(gathering))
    return render(
        request,
        "gatherings/copy_programme.html",
        {
            "gathering": gathering,
            "title": _("Copy a programme"),
            "form": form,
            "has_sources": bool(sources),
            "existing": gathering.agenda_items.count(),
        },
    )
