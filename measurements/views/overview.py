"""Across projects: the overview, who has not reported, and reminders (the exports:
``views/exports.py``)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_POST

from core import outbox
from core.cache import fragment_cache_enabled
from core.text import one_line
from core.tokens import issue_nonce, take_nonce
from network.rules import facilitated_network_ids, reads_everything

from .. import selectors
from ..drawings import draw_form
from ..forms import OverviewFilterForm, ReminderForm, RoundChoiceForm
from ..models import MeasurementRound
from ..rules import overview_projects
from ..services import ReminderMessage, send_reminders
from .common import (
    PROGRAMME_PARAMETER,
    asked_programme,
    overview_crumbs,
    programme_context,
    programme_or_404,
    programme_query,
    require,
)

REMINDER_NONCE = "measurements_reminder_nonce"


# --- Overview ------------------------------------------------------------------------------------


def _filter_form(request, programme, counties) -> OverviewFilterForm:
    themes, networks = selectors.overview_filter_choices(request.user, programme)
    return OverviewFilterForm(
        request.GET or None, themes=themes, networks=networks, counties=counties
    )


@login_required
def overview(request):
    require(request, "measurements.view_overview")
    programme = programme_or_404(request)
    rounds = selectors.programme_rounds(programme.pk)
    asked = {
        name: request.GET.get(name, "").strip() for name in (*OVERVIEW_FILTERS, PROGRAMME_PARAMETER)
    }
    keep = fragment_cache_enabled()
    key = _overview_cache_key(request.user, programme, rounds, asked) if keep else ""
    body = cache.get(key) if keep else None
    if body is None:
        data = selectors.overview_data(programme.pk, request.user)
        form = OverviewFilterForm(
            request.GET or None,
            themes=data.themes,
            networks=list(data.networks.values()),
            counties=data.counties,
        )
        valid = not form.is_bound or form.is_valid()
        chosen = form.cleaned_data if form.is_bound and valid else {}
        body = render_to_string(
            "measurements/includes/overview_body.html",
            {
                "filters": draw_form(form),
                "rounds": rounds,
                "groups": selectors.overview(
                    data=data,
                    rounds=rounds,
                    theme=chosen.get("tema"),
                    network=chosen.get("nettverk"),
                    county=chosen.get("fylke"),
                ),
                "query": urlencode({k: v for k, v in asked.items() if v}) if valid else "",
                "can_remind": request.user.has_perm("measurements.view_completeness"),
                "programme_asked": asked[PROGRAMME_PARAMETER],
                "programme_query": programme_query(request),
            },
        )
        if valid and keep:
            cache.set(key, body, OVERVIEW_CACHE_SECONDS)
    return render(
        request,
        "measurements/overview.html",
        # Rendered, and escaped, by the template above.
        programme_context(request, programme)
        | {"body": mark_safe(body), "breadcrumbs": overview_crumbs(request=request)},
    )


OVERVIEW_FILTERS = ("tema", "nettverk", "fylke")
#: The overview's body (filters and tables) is cached: a new value, anchoring stage, indicator
#: or project shows at once (it changes the fingerprint), a renamed network within this time.
OVERVIEW_CACHE_SECONDS = 10 * 60


def _overview_cache_key(user, programme, rounds, asked: dict[str, str]) -> str:
    scope = "all" if reads_everything(user) else sorted(facilitated_network_ids(user))
    parts = (
        programme.pk,
        scope,
        sorted(asked.items()),
        get_language(),
        selectors.overview_fingerprint(),
        [(r.pk, r.name, r.kind) for r in rounds],
    )
    return "measurements:overview:" + hashlib.sha256(repr(parts).encode()).hexdigest()


# --- Completeness and reminders -------------------------------------------------------------------


def _default_round(rounds: list[MeasurementRound]) -> MeasurementRound | None:
    """The first open round; else the one that closed last; else the first."""
    open_rounds = [r for r in rounds if r.is_open]
    if open_rounds:
        return open_rounds[0]
    closed = [r for r in rounds if r.is_closed]
    if closed:
        return max(closed, key=lambda r: r.closes_on)
    return rounds[0] if rounds else None


@login_required
def completeness(request):
    require(request, "measurements.view_completeness")
    programme = programme_or_404(request)
    rounds = list(MeasurementRound.objects.filter(programme=programme).order_by("position"))
    choice = RoundChoiceForm(request.GET or None, rounds=rounds)
    if choice.is_bound and choice.is_valid() and choice.cleaned_data["maling"]:
        round = choice.cleaned_data["maling"]
    else:
        round = _default_round(rounds)
        choice = RoundChoiceForm(initial={"maling": round and round.slug}, rounds=rounds)
    return _completeness_page(request, programme, round, choice, reminder_form=None)


def _completeness_page(request, programme, round, choice, reminder_form):
    """The projects that have not reported fully for ``round``, to remind."""
    groups, complete, total = (
        selectors.completeness(projects=overview_projects(request.user, programme), round=round)
        if round
        else ([], 0, 0)
    )
    title = gettext("Who has not reported")
    return render(
        request,
        "measurements/completeness.html",
        programme_context(request, programme)
        | {
            "title": title,
            "round": round,
            "choice": choice,
            "groups": groups,
            "complete": complete,
            "total": total,
            "reminder_form": reminder_form,
            "message_field": (reminder_form or ReminderForm(rounds=None, projects=[]))["melding"],
            "selected": set(reminder_form.data.getlist("prosjekt")) if reminder_form else set(),
            "breadcrumbs": overview_crumbs({"label": title}, request=request),
        },
    )


@login_required
@require_POST
def remind(request):
    require(request, "measurements.view_completeness")
    programme = programme_or_404(request)
    rounds = MeasurementRound.objects.filter(programme=programme)
    projects = [
        p
        for p in overview_projects(request.user, programme).select_related("network__theme")
        if request.user.has_perm("measurements.remind_project", p)
    ]
    form = ReminderForm(request.POST, rounds=rounds, projects=projects)
    if not form.is_valid():
        round = form.cleaned_data.get("maling") or _default_round(list(rounds.order_by("position")))
        choice = RoundChoiceForm(
            initial={"maling": round and round.slug}, rounds=rounds.order_by("position")
        )
        return _completeness_page(request, programme, round, choice, reminder_form=form)
    round = form.cleaned_data["maling"]
    chosen = set(form.cleaned_data["prosjekt"])
    selected = selectors.sort_projects(p for p in projects if p.pk in chosen)
    reminders = _reminder_messages(request, round, selected, form.cleaned_data["melding"])
    back = reverse("measurements:completeness") + programme_query(request, maling=round.slug)
    if "send" in request.POST:
        if take_nonce(request.session, REMINDER_NONCE, request.POST.get("nonce")) is None:
            messages.info(
                request,
                gettext("These reminders were sent already; nothing was sent again."),
            )
            return redirect(back)
        sendable = [r for r in reminders if r.recipients]
        outgoing = send_reminders(round=round, messages=sendable, user=request.user)
        counts = outbox.total_counts(outgoing)
        messages.success(
            request,
            ngettext(
                "%(count)s reminder recorded about %(round)s.",
                "%(count)s reminders recorded about %(round)s.",
                len(outgoing),
            )
            % {"count": len(outgoing), "round": round.name}
            + " "
            + gettext("E-mails: %(sent)s sent, %(failed)s failed, %(pending)s queued.")
            % {"sent": counts.sent, "failed": counts.failed, "pending": counts.pending},
        )
        return redirect(back)
    nonce = issue_nonce(request.session, REMINDER_NONCE)
    return render(
        request,
        "measurements/remind_confirm.html",
        {
            "round": round,
            "reminders": reminders,
            "breadcrumbs": overview_crumbs(
                {"label": gettext("Who has not reported"), "url": back},
                {"label": gettext("Send reminders?")},
                request=request,
            ),
            "programme_asked": asked_programme(request),
            "sendable": sum(1 for r in reminders if r.recipients),
            "form": form,
            "nonce": nonce,
            "back": back,
            "chosen": sorted(chosen),
        },
    )


def _reminder_messages(request, round, projects, extra: str) -> list[ReminderMessage]:
    emails = selectors.leader_emails([p.pk for p in projects])
    subject = gettext("Reminder: report for %(round)s") % {"round": round.name}
    result = []
    for project in projects:
        body = render_to_string(
            "measurements/email/reminder.txt",
            {
                "project": project,
                "round": round,
                "extra": extra,
                "sender": request.user.get_full_name() or request.user.username,
                "url": request.build_absolute_uri(
                    reverse("measurements:report", args=[project.slug, round.slug])
                ),
            },
            request=request,
        )
        result.append(
            ReminderMessage(
                local_project=project,
                recipients=emails.get(project.pk, []),
                subject=one_line(f"{subject} – {project.name}"),
                body=body,
            )
        )
    return result
