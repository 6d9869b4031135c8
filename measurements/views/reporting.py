"""One project's progress: its page, the report for a round, goals, own indicators and
publishing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from core.editing import EditConflict, FieldConflict, conflict_page, rebind_for_merge

from .. import selectors
from ..drawings import draw_anchoring, draw_history
from ..forms import GoalsForm, OwnIndicatorForm, RoundReportForm
from ..models import AnchoringStage, Goal, Indicator, ProgressPage, progress_url
from ..numbers import format_value
from ..services import (
    ReasonRequired,
    RoundNotOpen,
    add_own_indicator,
    save_goals,
    set_publication,
    submit_report,
)
from .common import project_crumbs, require, visible_project


def project_progress(request, slug):
    project = visible_project(request, slug)
    require(request, "measurements.view_progress", project)
    user = request.user
    rounds = selectors.programme_rounds(project.network.programme_id)
    can_report = user.has_perm("measurements.report_measurements", project)
    indicators, anchoring = selectors.project_progress(project, rounds, can_change=can_report)
    show_history = user.has_perm("measurements.view_progress_history", project)
    crumbs = project_crumbs(project)
    crumbs[-1].pop("url")
    return render(
        request,
        "measurements/project_progress.html",
        {
            "project": project,
            "rounds": rounds,
            "indicators": indicators,
            "anchoring": anchoring,
            "anchoring_section": draw_anchoring(anchoring),
            "is_published": project.results_published,
            "can_report": can_report,
            "can_publish": user.has_perm("measurements.publish_results", project),
            "reportable_rounds": [r for r in rounds if not r.is_upcoming] if can_report else [],
            "history": draw_history(selectors.project_history(project)) if show_history else None,
            "breadcrumbs": crumbs,
        },
    )


@login_required
def report(request, slug, round_slug):
    project = visible_project(request, slug)
    require(request, "measurements.report_measurements", project)
    rounds = selectors.programme_rounds(project.network.programme_id)
    round = next((r for r in rounds if r.slug == round_slug), None)
    if round is None:
        raise Http404
    context = {
        "project": project,
        "round": round,
        "breadcrumbs": project_crumbs(project, {"label": round.name}),
    }
    if round.is_upcoming:
        return render(request, "measurements/report.html", context)
    data = selectors.report_data(project, round, rounds)
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
                return _merge_page(
                    request,
                    conflict,
                    RoundReportForm,
                    template="measurements/report.html",
                    context=lambda merge: {**context, "form": merge, "report": data},
                    conflicts=_report_conflicts(form, current),
                    report=current,
                    round=round,
                )
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
    context.update({"form": form, "report": data})
    return render(request, "measurements/report.html", context)


def _merge_page(request, conflict, form_class, *, template, context, conflicts, **form_kwargs):
    """The editor's page again after ``conflict``, with the conflicting fields side by side
    and the form re-bound to the saved state (``form_kwargs`` go to ``form_class``);
    ``context(form)`` gives the page's context with that form."""
    merge = rebind_for_merge(form_class, data=request.POST, current=conflict.current, **form_kwargs)
    return conflict_page(request, template=template, context=context(merge), conflicts=conflicts)


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
                _text_conflict(
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
            _text_conflict(
                "stage",
                gettext("Stage on the anchoring ladder"),
                AnchoringStage(stage).label if stage else "–",
                AnchoringStage(saved_stage).label if saved_stage else "–",
            )
        )
    return conflicts


def _text_conflict(name: str, label: str, yours: str, theirs: str) -> FieldConflict:
    """A conflict between two values already written as text, shown as they are."""
    return FieldConflict(name, label, yours, theirs, yours, theirs)


def _value_and_note(value, note: str, unit: str) -> str:
    text = format_value(value, unit)
    return f"{text}\n{note}" if note else text


@login_required
def goals(request, slug):
    project = visible_project(request, slug)
    require(request, "measurements.change_goals", project)
    indicators = selectors.project_indicators(project)

    def load():
        version = (
            ProgressPage.objects.filter(local_project=project)
            .values_list("version", flat=True)
            .first()
        )
        return {g.indicator_id: g for g in Goal.objects.filter(local_project=project)}, version

    saved, version = load()
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
                return _merge_page(
                    request,
                    conflict,
                    GoalsForm,
                    template="measurements/goals.html",
                    context=lambda merge: _goals_context(project, merge),
                    conflicts=_goal_conflicts(form, indicators, saved),
                    indicators=indicators,
                    goals=saved,
                    version=conflict.current.version,
                )
            messages.success(request, gettext("The goals are saved."))
            return redirect(progress_url(project))
    else:
        form = GoalsForm(indicators=indicators, goals=saved, version=version)
    return render(request, "measurements/goals.html", _goals_context(project, form))


def _goals_context(project, form: GoalsForm) -> dict:
    return {
        "project": project,
        "form": form,
        "breadcrumbs": project_crumbs(project, {"label": gettext("Goals")}),
    }


def _goal_conflicts(form: GoalsForm, indicators, saved) -> list[FieldConflict]:
    conflicts = []
    for indicator, goal in zip(indicators, form.goals().values(), strict=True):
        current = saved.get(indicator.pk)
        theirs = (current.target_value, current.target_date) if current else None
        if goal != theirs:
            conflicts.append(
                _text_conflict(
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
    project = visible_project(request, slug)
    require(request, "measurements.manage_own_indicators", project)
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
            "breadcrumbs": project_crumbs(project, {"label": label}),
        },
    )


@login_required
@require_POST
def publish(request, slug):
    project = visible_project(request, slug)
    require(request, "measurements.publish_results", project)
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
