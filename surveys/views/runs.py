"""A project's surveys: the list, opening, changing and closing a run, and invitations."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from core import outbox
from core.text import one_line
from core.tokens import issue_nonce, take_nonce
from measurements.models import MeasurementRound, RoundKind, progress_url
from measurements.services import ReasonRequired, RoundNotOpen

from .. import selectors
from ..charts import distribution_charts
from ..forms import CloseForm, InvitationForm, RunForm, RunUpdateForm
from ..models import LANGUAGES, MIN_ANSWERS, SurveyRun, TargetGroup
from ..services import AlreadyClosed, close_run, open_run, questionnaire_for, send_invitations
from .common import project_crumbs, project_or_404, require, run_or_404

INVITATION_NONCE = "measurements_survey_invitation_nonce"
CLOSED_ALREADY = gettext_lazy("The survey was closed already.")


def _run_label(run: SurveyRun) -> str:
    return f"{run.get_target_group_display()} – {run.round.name}"


def runs(request, slug):
    project = project_or_404(request, slug)
    require(request, "surveys.view_results", project)
    project_runs = selectors.project_runs(project)
    kinds: dict[str, set[str]] = {}
    for run in project_runs:
        kinds.setdefault(run.target_group, set()).add(run.round.kind)
    comparable = [
        TargetGroup(group)
        for group, found in kinds.items()
        if {RoundKind.BASELINE, RoundKind.END} <= found
    ]
    return render(
        request,
        "surveys/runs.html",
        {
            "project": project,
            "runs": project_runs,
            "comparable": comparable,
            "can_manage": request.user.has_perm("surveys.manage_runs", project),
            "min_answers": MIN_ANSWERS,
            "breadcrumbs": project_crumbs(project),
        },
    )


@login_required
def run_create(request, slug):
    project = project_or_404(request, slug)
    require(request, "surveys.manage_runs", project)
    rounds = MeasurementRound.objects.filter(
        programme_id=project.network.programme_id, closes_on__gte=timezone.localdate()
    ).order_by("position", "opens_on")
    taken = set(
        SurveyRun.objects.filter(local_project=project).values_list("round_id", "target_group")
    )
    form = RunForm(request.POST or None, project=project, rounds=rounds, taken=taken)
    if request.method == "POST" and form.is_valid():
        choices = form.cleaned_data
        questionnaire = questionnaire_for(project, choices["target_group"])
        if questionnaire is None:
            form.add_error(
                None,
                gettext(
                    "The programme has no reputation questionnaire yet. Ask an administrator "
                    "to add one."
                ),
            )
        else:
            try:
                run = open_run(
                    local_project=project,
                    questionnaire=questionnaire,
                    user=request.user,
                    **choices,
                )
            except IntegrityError:
                form.add_error("target_group", gettext("This survey was opened meanwhile."))
            else:
                messages.success(
                    request,
                    gettext("The survey is opened. Share its link with %(group)s.")
                    % {"group": run.get_target_group_display().lower()},
                )
                return redirect(run.get_absolute_url())
    return _form_page(
        request,
        "surveys/run_form.html",
        form,
        project=project,
        run=None,
        label=gettext("New survey"),
        has_rounds=rounds.exists(),
    )


def run_detail(request, slug, pk):
    project = project_or_404(request, slug)
    require(request, "surveys.view_results", project)
    run = run_or_404(project, pk)
    can_manage = request.user.has_perm("surveys.manage_runs", project)
    results = selectors.run_results(run) if run.is_closed else None
    compare_with = None
    if run.round.kind in (RoundKind.BASELINE, RoundKind.END):
        compare_with = (
            SurveyRun.objects.filter(local_project=project, target_group=run.target_group)
            .filter(round__kind__in=[RoundKind.BASELINE, RoundKind.END])
            .exclude(pk=run.pk)
            .exists()
        )
    return render(
        request,
        "surveys/run_detail.html",
        {
            "project": project,
            "run": run,
            "state": run.state,
            "results": results,
            "can_manage": can_manage,
            "share_urls": _share_urls(request, run) if can_manage else [],
            "delivery": outbox.counts_about(run) if can_manage else None,
            "can_export": (
                results is not None
                and results.enough
                and request.user.has_perm("surveys.export_answers", project)
            ),
            "compare_with": compare_with,
            "charts": distribution_charts(results) if results is not None else [],
            "words_question": run.questionnaire.words_question(selectors.language()),
            "min_answers": MIN_ANSWERS,
            "breadcrumbs": project_crumbs(project, {"label": _run_label(run)}),
        },
    )


def _share_urls(request, run: SurveyRun) -> list[tuple[str, str, str]]:
    """``[(language code, name, absolute link)]``: the survey's link in each language (the
    respondent can still switch)."""
    urls = []
    for code, name in LANGUAGES:
        with translation.override(code):
            urls.append((code, name, request.build_absolute_uri(run.answer_url)))
    return urls


def _open_run_view(closed_message: str):
    """For a view that changes a run the user manages, called as ``view(request, project,
    run)``: a closed run is not changed, the user is sent to it with ``closed_message``."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, slug, pk):
            project = project_or_404(request, slug)
            require(request, "surveys.manage_runs", project)
            run = run_or_404(project, pk)
            if run.is_closed:
                messages.info(request, closed_message)
                return redirect(run.get_absolute_url())
            return view(request, project, run)

        return wrapped

    return decorate


def _form_page(request, template: str, form, *, project, run, label: str, **context):
    """A page with a form about ``run`` (None: a new run), named ``label`` in the
    breadcrumbs."""
    if run is None:
        crumbs = project_crumbs(project, {"label": label})
    else:
        crumbs = project_crumbs(
            project, {"label": _run_label(run), "url": run.get_absolute_url()}, {"label": label}
        )
    context.update(project=project, run=run, form=form, breadcrumbs=crumbs)
    return render(request, template, context)


@login_required
@_open_run_view(gettext_lazy("The survey is closed; it cannot change any more."))
def run_update(request, project, run):
    form = RunUpdateForm(request.POST or None, instance=run)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("The survey is saved."))
        return redirect(run.get_absolute_url())
    return _form_page(
        request, "surveys/run_form.html", form, project=project, run=run, label=gettext("Change")
    )


@login_required
@_open_run_view(gettext_lazy("The survey is closed; it takes no more answers."))
def invite(request, project, run):
    posted = request.method == "POST"
    form = InvitationForm(
        request.POST if posted else None, request.FILES if posted else None, run=run
    )
    if posted and form.is_valid():
        nonce = take_nonce(request.session, INVITATION_NONCE, form.cleaned_data["nonce"])
        if nonce is None:
            messages.info(
                request, gettext("These invitations were sent already; nothing was sent again.")
            )
            return redirect(run.get_absolute_url())
        outgoing = send_invitations(
            run=run,
            addresses=form.found.valid,
            message=_invitation_message(request, project, run, form.cleaned_data["message"]),
            user=request.user,
            idempotency_key=f"survey-invitations:{run.pk}:{nonce}",
        )
        counts = outbox.counts([outgoing.pk]).get(outgoing.pk, outbox.DeliveryCounts())
        text = ngettext(
            "%(count)s invitation accepted for sending.",
            "%(count)s invitations accepted for sending.",
            counts.total,
        ) % {"count": counts.total}
        text += " " + gettext("%(sent)s sent, %(failed)s failed, %(pending)s queued.") % {
            "sent": counts.sent,
            "failed": counts.failed,
            "pending": counts.pending,
        }
        if form.found.duplicates:
            text += " " + ngettext(
                "%(count)s repeated address was sent one invitation.",
                "%(count)s repeated addresses were sent one each.",
                form.found.duplicates,
            ) % {"count": form.found.duplicates}
        (messages.error if counts.failed else messages.success)(request, text)
        return redirect(run.get_absolute_url())
    nonce = issue_nonce(request.session, INVITATION_NONCE)
    if posted:
        data = request.POST.copy()
        data["nonce"] = nonce
        form.data = data
    else:
        form.initial["nonce"] = nonce
    return _form_page(
        request,
        "surveys/invite.html",
        form,
        project=project,
        run=run,
        label=gettext("Send invitations"),
    )


def _invitation_message(request, project, run, extra: str):
    subject = one_line(gettext("Reputation survey: %(project)s") % {"project": project.name})
    base = request.build_absolute_uri(run.answer_url)
    placeholder = "TOKEN-PLACEHOLDER"
    # Rendered once: thousands of invitations differ only in their token.
    template = render_to_string(
        "surveys/email/invitation.txt",
        {
            "project": project,
            "run": run,
            "extra": extra,
            "url": f"{base}?i={placeholder}",
            "closes_on": run.closes_on,
        },
    )

    def message(token: str) -> tuple[str, str]:
        return subject, template.replace(placeholder, token)

    return message


@login_required
@_open_run_view(CLOSED_ALREADY)
def close(request, project, run):
    writes = run.response_count >= MIN_ANSWERS
    form = CloseForm(request.POST if request.method == "POST" else None, run=run, writes=writes)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = close_run(
                run=run, user=request.user, reason=form.cleaned_data.get("reason", "")
            )
        except AlreadyClosed:
            messages.info(request, CLOSED_ALREADY)
            return redirect(run.get_absolute_url())
        except RoundNotOpen:
            form.add_error(
                None,
                gettext(
                    "%(round)s has not opened yet, so nothing can be written into it. Close "
                    "the survey on or after %(date)s."
                )
                % {"round": run.round.name, "date": date_format(run.round.opens_on, "DATE_FORMAT")},
            )
        except ReasonRequired:
            form = CloseForm(run=run, writes=writes)
            form.add_error(None, gettext("The round closed meanwhile: give a reason."))
        else:
            written = outcome.written
            if written is not None and (written.changed or written.unchanged):
                messages.success(
                    request,
                    gettext(
                        "The survey is closed. Its reputation index is written into the "
                        "reputation indicator for %(round)s."
                    )
                    % {"round": run.round.name},
                )
            elif written is not None and outcome.results.through_open_link:
                messages.success(
                    request,
                    gettext(
                        "The survey is closed. Some of its answers came through the open link, so "
                        "its results are shown but not written into %(round)s."
                    )
                    % {"round": run.round.name},
                )
            elif written is not None:
                messages.success(request, gettext("The survey is closed."))
            else:
                messages.warning(
                    request,
                    gettext(
                        "The survey is closed with fewer than %(min)s answers: no results are "
                        "shown and nothing was written into %(round)s."
                    )
                    % {"min": MIN_ANSWERS, "round": run.round.name},
                )
            return redirect(run.get_absolute_url())
    return _form_page(
        request,
        "surveys/close.html",
        form,
        project=project,
        run=run,
        label=gettext("Close the survey"),
        writes=writes,
        min_answers=MIN_ANSWERS,
        progress_url=progress_url(project),
    )
