"""Measurement pages. Views fetch through the user's queryset (an outsider gets 404), check
the rule (403), let forms validate, call a service and redirect."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_POST

from core import outbox
from core.editing import EditConflict, FieldConflict
from core.spreadsheets import csv_response
from core.text import one_line
from municipalities.models import County, LocalProject, Municipality
from municipalities.rules import led_project_ids
from network.models import Programme
from network.rules import facilitated_network_ids, reads_everything
from network.selectors import current_programme, note_programme

from . import selectors
from .exports import xlsx_response
from .forms import (
    GoalsForm,
    ImportConfirmForm,
    ImportUploadForm,
    OverviewFilterForm,
    OwnIndicatorForm,
    ReminderForm,
    RoundChoiceForm,
    RoundForm,
    RoundReportForm,
)
from .models import (
    AnchoringStage,
    Goal,
    ImportBatch,
    Indicator,
    Measurement,
    MeasurementRound,
    ProgressPage,
    progress_url,
)
from .numbers import format_value
from .rules import overview_projects, progress_visible_projects
from .services import (
    AlreadyImported,
    ReasonRequired,
    ReminderMessage,
    RoundNotOpen,
    ValueEntry,
    add_own_indicator,
    commit_import,
    save_goals,
    send_reminders,
    set_publication,
    submit_report,
)
from .value_import import (
    HEADER_EXAMPLE,
    PREVIEW_ROWS,
    CheckedRow,
    check_file,
    compare_with_saved,
    preview_rows,
    problems_of,
)

#: Problems listed on the import preview; the summary counts them all.
PREVIEW_PROBLEMS = 200
REMINDER_NONCE = "measurements_reminder_nonce"


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _visible_project(request, slug: str) -> LocalProject:
    project = get_object_or_404(
        progress_visible_projects(request.user).select_related(
            "network__theme", "network__programme"
        ),
        slug=slug,
    )
    note_programme(request, project.network.programme)
    return project


def _current_programme(request) -> Programme:
    programme = current_programme(request)
    if programme is None:
        raise Http404
    return programme


def _project_crumbs(project: LocalProject, *last: dict) -> list[dict]:
    return [
        {"label": project.network.programme.name, "url": reverse("network:home")},
        {"label": project.network.name, "url": project.network.get_absolute_url()},
        {"label": project.name, "url": project.get_absolute_url()},
        {"label": gettext("Progress"), "url": progress_url(project)},
        *last,
    ]


def _overview_crumbs(*last: dict) -> list[dict]:
    return [{"label": gettext("Progress"), "url": reverse("measurements:overview")}, *last]


def _import_crumbs(*last: dict) -> list[dict]:
    return [
        {"label": gettext("My pages"), "url": reverse("network:my_pages")},
        {"label": gettext("Import values"), "url": reverse("measurements:import_upload")},
        *last,
    ]


# --- One project ----------------------------------------------------------------------------------


def project_progress(request, slug):
    project = _visible_project(request, slug)
    _require(request, "measurements.view_progress", project)
    user = request.user
    rounds = selectors.programme_rounds(project.network.programme_id)
    indicators, anchoring = selectors.project_progress(project, rounds)
    can_report = user.has_perm("measurements.report_measurements", project)
    show_history = user.has_perm("measurements.view_progress_history", project)
    crumbs = _project_crumbs(project)
    crumbs[-1].pop("url")
    return render(
        request,
        "measurements/project_progress.html",
        {
            "project": project,
            "rounds": rounds,
            "indicators": indicators,
            "anchoring": anchoring,
            "ladder": selectors.anchoring_ladder(),
            "is_published": project.results_published,
            "can_report": can_report,
            "can_publish": user.has_perm("measurements.publish_results", project),
            "reportable_rounds": [r for r in rounds if not r.is_upcoming] if can_report else [],
            "history": selectors.project_history(project) if show_history else None,
            "breadcrumbs": crumbs,
        },
    )


@login_required
def report(request, slug, round_slug):
    project = _visible_project(request, slug)
    _require(request, "measurements.report_measurements", project)
    rounds = selectors.programme_rounds(project.network.programme_id)
    round = next((r for r in rounds if r.slug == round_slug), None)
    if round is None:
        raise Http404
    context = {
        "project": project,
        "round": round,
        "breadcrumbs": _project_crumbs(project, {"label": round.name}),
    }
    if round.is_upcoming:
        return render(request, "measurements/report.html", context)
    data = selectors.report_data(project, round, rounds)
    conflicts = None
    if request.method == "POST":
        form = RoundReportForm(request.POST, report=data, round=round)
        if form.is_valid():
            try:
                result = submit_report(
                    local_project=project,
                    round=round,
                    user=request.user,
                    loaded_version=form.cleaned_data["loaded_version"],
                    values=form.values(),
                    stage=form.cleaned_data["stage"],
                    stage_note=form.cleaned_data["stage_note"],
                    reason=form.cleaned_data.get("reason", ""),
                )
            except EditConflict as conflict:
                current = selectors.report_data(project, round, rounds)
                conflicts = _report_conflicts(form, current)
                rebound = request.POST.copy()
                rebound["loaded_version"] = str(conflict.current.version)
                form = RoundReportForm(rebound, report=current, round=round)
            except (ReasonRequired, RoundNotOpen):
                form.add_error(
                    None,
                    gettext("The round has closed meanwhile. Give a reason for the correction."),
                )
            else:
                if result.changed:
                    messages.success(
                        request,
                        gettext("The report for %(round)s is saved.") % {"round": round.name},
                    )
                else:
                    messages.info(request, gettext("Nothing had changed; nothing was saved."))
                return redirect(progress_url(project))
    else:
        form = RoundReportForm(report=data, round=round)
    context.update({"form": form, "conflicts": conflicts, "report": data})
    return render(request, "measurements/report.html", context)


def _report_conflicts(form: RoundReportForm, current) -> list[FieldConflict]:
    """What the other person saved that differs from this form's values, field by field."""
    conflicts = []
    for indicator in current.indicators:
        mine, my_note = form.values().get(indicator.pk, (None, ""))
        saved = current.existing.get(indicator.pk)
        theirs = saved.value if saved else None
        their_note = saved.note if saved else ""
        if (mine, my_note) != (theirs, their_note):
            conflicts.append(
                FieldConflict(
                    f"value_{indicator.pk}",
                    indicator.name,
                    _value_and_note(mine, my_note, indicator.unit),
                    _value_and_note(theirs, their_note, indicator.unit),
                )
            )
    stage = form.cleaned_data.get("stage")
    saved_stage = current.anchoring.stage if current.anchoring else None
    if stage != saved_stage:
        conflicts.append(
            FieldConflict(
                "stage",
                gettext("Stage on the anchoring ladder"),
                AnchoringStage(stage).label if stage else "–",
                AnchoringStage(saved_stage).label if saved_stage else "–",
            )
        )
    return conflicts


def _value_and_note(value, note: str, unit: str) -> str:
    text = format_value(value, unit)
    return f"{text}\n{note}" if note else text


@login_required
def goals(request, slug):
    project = _visible_project(request, slug)
    _require(request, "measurements.change_goals", project)
    indicators = selectors.project_indicators(project)

    def load():
        version = (
            ProgressPage.objects.filter(local_project=project)
            .values_list("version", flat=True)
            .first()
        )
        return {g.indicator_id: g for g in Goal.objects.filter(local_project=project)}, version

    saved, version = load()
    conflicts = None
    if request.method == "POST":
        form = GoalsForm(request.POST, indicators=indicators, goals=saved, version=version)
        if form.is_valid():
            try:
                save_goals(
                    local_project=project,
                    user=request.user,
                    loaded_version=form.cleaned_data["loaded_version"],
                    goals=form.goals(),
                )
            except EditConflict as conflict:
                saved, _version = load()
                conflicts = _goal_conflicts(form, indicators, saved)
                rebound = request.POST.copy()
                rebound["loaded_version"] = str(conflict.current.version)
                form = GoalsForm(
                    rebound, indicators=indicators, goals=saved, version=conflict.current.version
                )
            else:
                messages.success(request, gettext("The goals are saved."))
                return redirect(progress_url(project))
    else:
        form = GoalsForm(indicators=indicators, goals=saved, version=version)
    return render(
        request,
        "measurements/goals.html",
        {
            "project": project,
            "form": form,
            "conflicts": conflicts,
            "breadcrumbs": _project_crumbs(project, {"label": gettext("Goals")}),
        },
    )


def _goal_conflicts(form: GoalsForm, indicators, saved) -> list[FieldConflict]:
    conflicts = []
    for indicator, goal in zip(indicators, form.goals().values(), strict=True):
        current = saved.get(indicator.pk)
        theirs = (current.target_value, current.target_date) if current else None
        if goal != theirs:
            conflicts.append(
                FieldConflict(
                    f"target_{indicator.pk}",
                    indicator.name,
                    _goal_text(goal, indicator.unit),
                    _goal_text(theirs, indicator.unit),
                )
            )
    return conflicts


def _goal_text(goal, unit: str) -> str:
    if goal is None:
        return "–"
    return f"{format_value(goal[0], unit)}, {goal[1]:%d.%m.%Y}"


@login_required
def indicator_create(request, slug):
    return _indicator_form(request, slug, pk=None)


@login_required
def indicator_update(request, slug, pk):
    return _indicator_form(request, slug, pk=pk)


def _indicator_form(request, slug, *, pk):
    project = _visible_project(request, slug)
    _require(request, "measurements.manage_own_indicators", project)
    instance = get_object_or_404(Indicator, pk=pk, local_project=project) if pk else None
    form = OwnIndicatorForm(request.POST or None, instance=instance, local_project=project)
    if request.method == "POST" and form.is_valid():
        if instance is None:
            indicator = add_own_indicator(local_project=project, indicator=form.save(commit=False))
            messages.success(
                request, gettext("The indicator «%(name)s» is added.") % {"name": indicator.name}
            )
        else:
            indicator = form.save()
            messages.success(
                request, gettext("The indicator «%(name)s» is saved.") % {"name": indicator.name}
            )
        return redirect(f"{progress_url(project)}#indikator-{indicator.pk}")
    label = instance.name if instance else gettext("New indicator")
    return render(
        request,
        "measurements/indicator_form.html",
        {
            "project": project,
            "form": form,
            "indicator": instance,
            "breadcrumbs": _project_crumbs(project, {"label": label}),
        },
    )


@login_required
@require_POST
def publish(request, slug):
    project = _visible_project(request, slug)
    _require(request, "measurements.publish_results", project)
    publishing = request.POST.get("publiser") == "1"
    set_publication(local_project=project, user=request.user, publish=publishing)
    if publishing:
        messages.success(request, gettext("The results are published: anyone can see this page."))
    else:
        messages.success(
            request,
            gettext(
                "The results are no longer public: only the project, its facilitator and "
                "the ministry see this page."
            ),
        )
    return redirect(progress_url(project))


# --- Overview and export --------------------------------------------------------------------------


def _filter_form(request, programme, counties) -> OverviewFilterForm:
    themes, networks = selectors.overview_filter_choices(request.user, programme)
    return OverviewFilterForm(
        request.GET or None, themes=themes, networks=networks, counties=counties
    )


@login_required
def overview(request):
    _require(request, "measurements.view_overview")
    programme = _current_programme(request)
    rounds = selectors.programme_rounds(programme.pk)
    asked = {name: request.GET.get(name, "").strip() for name in OVERVIEW_FILTERS}
    key = _overview_cache_key(request.user, programme, rounds, asked)
    body = cache.get(key)
    if body is None:
        projects = overview_projects(request.user, programme)
        municipalities = selectors.project_municipalities(projects)
        counties = {m.county_id: m.county for ms in municipalities.values() for m in ms}
        form = _filter_form(request, programme, sorted(counties.values(), key=lambda c: c.number))
        valid = not form.is_bound or form.is_valid()
        body = render_to_string(
            "measurements/includes/overview_body.html",
            {
                "form": form,
                "rounds": rounds,
                "groups": selectors.overview(
                    projects=form.filter(projects), rounds=rounds, municipalities=municipalities
                ),
                "query": urlencode({k: v for k, v in asked.items() if v}) if valid else "",
                "can_remind": request.user.has_perm("measurements.view_completeness"),
            },
        )
        if valid:
            cache.set(key, body, OVERVIEW_CACHE_SECONDS)
    return render(
        request,
        "measurements/overview.html",
        # Rendered, and escaped, by the template above.
        {"programme": programme, "body": mark_safe(body)},
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


EXPORT_HEADER = [
    "nettverk",
    "tema",
    "prosjekt",
    "prosjektnavn",
    "kommunenummer",
    "indikator",
    "enhet",
    "retning",
    "måling",
    "verdi",
    "merknad",
    "kilde",
    "registrert",
]


def _export_rows(request) -> list[list]:
    _require(request, "measurements.view_overview")
    programme = _current_programme(request)
    projects = overview_projects(request.user, programme)
    if request.GET:
        counties = County.objects.filter(
            municipalities__local_projects__in=projects.values("pk")
        ).distinct()
        projects = _filter_form(request, programme, counties.order_by("number")).filter(projects)
    return selectors.export_rows(projects=projects, programme=programme)


def _export_name(extension: str) -> str:
    return f"framgang-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
def export_csv(request):
    return csv_response(_export_name("csv"), EXPORT_HEADER, _export_rows(request))


@login_required
def export_xlsx(request):
    return xlsx_response(
        _export_name("xlsx"), "Målinger", EXPORT_HEADER, list(_export_rows(request))
    )


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
    _require(request, "measurements.view_completeness")
    programme = _current_programme(request)
    rounds = list(MeasurementRound.objects.filter(programme=programme).order_by("position"))
    choice = RoundChoiceForm(request.GET or None, rounds=rounds)
    if choice.is_bound and choice.is_valid() and choice.cleaned_data["maling"]:
        round = choice.cleaned_data["maling"]
    else:
        round = _default_round(rounds)
        choice = RoundChoiceForm(initial={"maling": round and round.slug}, rounds=rounds)
    return _completeness_page(request, programme, round, choice, reminder_form=None)


def _completeness_page(request, programme, round, choice, reminder_form):
    groups, complete, total = (
        selectors.completeness(projects=overview_projects(request.user, programme), round=round)
        if round
        else ([], 0, 0)
    )
    return render(
        request,
        "measurements/completeness.html",
        {
            "programme": programme,
            "round": round,
            "choice": choice,
            "groups": groups,
            "complete": complete,
            "total": total,
            "reminder_form": reminder_form,
            "message_field": (reminder_form or ReminderForm(rounds=None, projects=[]))["melding"],
            "selected": set(reminder_form.data.getlist("prosjekt")) if reminder_form else set(),
            "breadcrumbs": _overview_crumbs({"label": gettext("Who has not reported")}),
        },
    )


@login_required
@require_POST
def remind(request):
    _require(request, "measurements.view_completeness")
    programme = _current_programme(request)
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
    back = f"{reverse('measurements:completeness')}?{urlencode({'maling': round.slug})}"
    if "send" in request.POST:
        nonce = request.session.pop(REMINDER_NONCE, None)
        if not nonce or not secrets.compare_digest(nonce, request.POST.get("nonce", "")):
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
    nonce = secrets.token_urlsafe(16)
    request.session[REMINDER_NONCE] = nonce
    return render(
        request,
        "measurements/remind_confirm.html",
        {
            "round": round,
            "reminders": reminders,
            "breadcrumbs": _overview_crumbs(
                {"label": gettext("Who has not reported"), "url": back},
                {"label": gettext("Send reminders?")},
            ),
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


# --- Rounds --------------------------------------------------------------------------------------


@login_required
def rounds(request):
    _require(request, "measurements.view_rounds")
    programme = _current_programme(request)
    return render(
        request,
        "measurements/rounds.html",
        {
            "programme": programme,
            "rounds": MeasurementRound.objects.filter(programme=programme).order_by(
                "position", "opens_on"
            ),
            "can_manage": request.user.has_perm("measurements.manage_rounds"),
            "breadcrumbs": _overview_crumbs({"label": gettext("Measurement rounds")}),
        },
    )


@login_required
def round_create(request):
    _require(request, "measurements.manage_rounds")
    return _round_form(request, _current_programme(request), None)


@login_required
def round_update(request, pk):
    _require(request, "measurements.manage_rounds")
    round = get_object_or_404(MeasurementRound.objects.select_related("programme"), pk=pk)
    return _round_form(request, round.programme, round)


def _round_form(request, programme, instance):
    form = RoundForm(request.POST or None, instance=instance, programme=programme)
    if request.method == "POST" and form.is_valid():
        round = form.save()
        messages.success(request, gettext("The round «%(name)s» is saved.") % {"name": round.name})
        return redirect("measurements:rounds")
    crumbs = _overview_crumbs(
        {"label": gettext("Measurement rounds"), "url": reverse("measurements:rounds")},
        {"label": instance.name if instance else gettext("New measurement round")},
    )
    return render(
        request,
        "measurements/round_form.html",
        {"form": form, "round": instance, "breadcrumbs": crumbs},
    )


# --- Import --------------------------------------------------------------------------------------


@login_required
def import_upload(request):
    _require(request, "measurements.import_measurements")
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = check_file(upload.read(), upload.name, request.user)
        summary = {
            "read": result.read,
            "valid": len(result.rows),
            "skipped": result.skipped,
            "rows_with_problems": len({p.row for p in result.problems if p.row}),
            "has_notes": result.has_notes,
        }
        if result.rows:
            rounds = MeasurementRound.objects.in_bulk({r.round_id for r in result.rows})
            summary.update(compare_with_saved(result.rows, rounds))
        ImportBatch.objects.filter(
            committed_at__isnull=True, created_at__lt=timezone.now() - timedelta(days=1)
        ).delete()
        batch = ImportBatch.objects.create(
            uploaded_by=request.user,
            filename=upload.name[:255],
            summary=summary,
            rows=[row.as_json() for row in result.rows],
            problems=[problem.as_json() for problem in result.problems],
        )
        return redirect(batch.get_absolute_url())
    return render(
        request,
        "measurements/import_upload.html",
        {
            "form": form,
            "header_example": HEADER_EXAMPLE,
            "for_everyone": request.user.has_perm("measurements.import_for_every_project"),
            "breadcrumbs": [_import_crumbs()[0], {"label": gettext("Import values")}],
        },
    )


@login_required
def import_preview(request, token):
    _require(request, "measurements.import_measurements")
    batch = get_object_or_404(ImportBatch, token=token, uploaded_by=request.user)
    problems = problems_of(batch.problems)
    summary = batch.summary
    needs_reason = bool(summary.get("corrections"))
    form = None
    if not problems and batch.rows and not batch.committed_at:
        form = ImportConfirmForm(
            request.POST if request.method == "POST" else None, needs_reason=needs_reason
        )
        if request.method == "POST" and form.is_valid():
            outcome = _commit(request, batch, form)
            if outcome is not None:
                return outcome
    elif request.method == "POST" and batch.committed_at:
        messages.info(
            request, gettext("This file was imported already; nothing was written again.")
        )
        return redirect(batch.get_absolute_url())
    elif request.method == "POST":
        messages.error(request, gettext("This file cannot be imported; upload a corrected file."))
    title = gettext("Imported") if batch.committed_at else gettext("Check the import")
    return render(
        request,
        "measurements/import_preview.html",
        {
            "batch": batch,
            "summary": summary,
            "problems": problems[:PREVIEW_PROBLEMS],
            "more_problems": max(len(problems) - PREVIEW_PROBLEMS, 0),
            "file_problem": next((p for p in problems if p.row == 0), None),
            "rows": preview_rows(batch.rows),
            "more_rows": max(len(batch.rows) - PREVIEW_ROWS, 0),
            "valid_count": len(batch.rows),
            "form": form,
            "title": title,
            "breadcrumbs": _import_crumbs({"label": title}),
        },
    )


def _commit(request, batch: ImportBatch, form: ImportConfirmForm):
    rows = [CheckedRow.from_json(data) for data in batch.rows]
    every = request.user.has_perm("measurements.import_for_every_project")
    allowed = None if every else led_project_ids(request.user)
    rounds = MeasurementRound.objects.in_bulk({r.round_id for r in rows})
    known_projects = set(
        LocalProject.objects.filter(pk__in={r.project_id for r in rows}).values_list(
            "pk", flat=True
        )
    )
    known_indicators = set(
        Indicator.objects.filter(pk__in={r.indicator_id for r in rows}).values_list("pk", flat=True)
    )
    stale = any(
        r.project_id not in known_projects
        or r.indicator_id not in known_indicators
        or r.round_id not in rounds
        or (allowed is not None and r.project_id not in allowed)
        for r in rows
    )
    if stale:
        messages.error(
            request,
            gettext(
                "Projects, indicators or rounds have changed since the file was checked. "
                "Upload it again."
            ),
        )
        return None
    entries = [ValueEntry(r.project_id, r.indicator_id, r.round_id, r.value, r.note) for r in rows]
    try:
        result = commit_import(
            batch=batch,
            entries=entries,
            rounds=rounds,
            user=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except AlreadyImported:
        messages.info(
            request, gettext("This file was imported already; nothing was written again.")
        )
        return redirect(batch.get_absolute_url())
    except (ReasonRequired, RoundNotOpen):
        messages.error(
            request,
            gettext("A round has closed or changed since the file was checked. Upload it again."),
        )
        return None
    messages.success(
        request,
        gettext(
            "Imported. New values: %(created)s, changed: %(updated)s, unchanged: %(unchanged)s."
        )
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect(batch.get_absolute_url())


@login_required
def import_template(request):
    """A CSV to fill in: the user's projects × their indicators × the open rounds (all rounds
    when none is open), with the values saved so far."""
    _require(request, "measurements.import_measurements")
    programme = _current_programme(request)
    projects = LocalProject.objects.filter(network__programme=programme)
    if not request.user.has_perm("measurements.import_for_every_project"):
        projects = projects.filter(pk__in=led_project_ids(request.user))
    projects = selectors.sort_projects(
        projects.select_related("network__theme").prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("number"))
        )
    )
    all_rounds = selectors.programme_rounds(programme.pk)
    rounds = [r for r in all_rounds if r.is_open] or all_rounds
    applicable = selectors.applicable_indicators(projects)
    indicators = Indicator.objects.in_bulk({pk for ids in applicable.values() for pk in ids})
    saved = {
        (m.local_project_id, m.indicator_id, m.round_id): m
        for m in Measurement.objects.filter(
            local_project__in=[p.pk for p in projects], round__in=rounds
        )
    }
    rows = []
    for project in projects:
        numbers = " ".join(m.number for m in project.municipalities.all())
        used = sorted(
            (indicators[pk] for pk in applicable[project.pk]),
            key=lambda i: (i.local_project_id is not None, i.position, i.name),
        )
        for indicator in used:
            for round in rounds:
                measurement = saved.get((project.pk, indicator.pk, round.pk))
                rows.append(
                    [
                        numbers,
                        project.slug,
                        indicator.name,
                        round.name,
                        measurement.value if measurement else None,
                        measurement.note if measurement else "",
                    ]
                )
    header = HEADER_EXAMPLE.split(";")
    return csv_response("framgang-mal.csv", header, rows)
