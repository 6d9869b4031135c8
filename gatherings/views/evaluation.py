"""Evaluating a gathering anonymously, and the results for its facilitator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _

from core.bar_charts import build_bar_chart
from core.spreadsheets import csv_response, xlsx_response
from municipalities.models import Participant

from .. import services
from ..forms import EvaluationForm
from ..models import EvaluationSubmission
from ..selectors import MIN_EVALUATIONS_SHOWN, evaluated_items, evaluation_results
from .common import export_name, gathering_or_404


def _evaluating_participant(user, gathering) -> Participant | None:
    """The user's participant with an active registration for the gathering."""
    return (
        Participant.objects.filter(
            user=user,
            gathering_registrations__gathering=gathering,
            gathering_registrations__cancelled_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )


@login_required
def evaluate(request, pk):
    gathering = gathering_or_404(request, pk)
    participant = _evaluating_participant(request.user, gathering)
    context = {"gathering": gathering, "participant": participant}
    if participant is None:
        return render(request, "gatherings/evaluation_closed.html", context, status=403)
    if not gathering.is_evaluation_open:
        return render(request, "gatherings/evaluation_closed.html", context)
    if EvaluationSubmission.objects.filter(gathering=gathering, participant=participant).exists():
        context["submitted"] = True
        return render(request, "gatherings/evaluation_closed.html", context)
    form = EvaluationForm(request.POST or None, items=evaluated_items(gathering))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(
                gathering=gathering, participant=participant, answers=form.answers()
            )
        except services.ServiceError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("Thank you! Your evaluation is saved anonymously."))
        return redirect(gathering.get_absolute_url())
    return render(request, "gatherings/evaluate.html", {**context, "form": form})


def _average_chart(evaluation) -> dict | None:
    """The average rating of each agenda item someone rated, as a bar (1–5); None when the
    results are not shown or nothing was rated."""
    rated = [r for r in evaluation.results if r.ratings and r.average is not None]
    if not evaluation.shown or not rated:
        return None
    rows = [(r.title, [(float(r.average), formats.number_format(r.average, 1))]) for r in rated]
    return {
        "chart": build_bar_chart(rows=rows, maximum=5),
        "chart_id": "average-chart",
        "title": _("Average rating per agenda item (1 = poor, 5 = very good)"),
        "description": "; ".join(f"{r.title}: {formats.number_format(r.average, 1)}" for r in rated)
        + ".",
    }


@login_required
def results(request, pk):
    gathering = gathering_or_404(request, pk, "gatherings.view_evaluation_results")
    evaluation = evaluation_results(gathering)
    return render(
        request,
        "gatherings/evaluation_results.html",
        {
            "gathering": gathering,
            "title": _("Evaluation results"),
            "evaluation": evaluation,
            "average_chart": _average_chart(evaluation),
            "min_shown": MIN_EVALUATIONS_SHOWN,
            "rating_columns": [5, 4, 3, 2, 1],
            "can_change": request.user.has_perm("gatherings.change_gathering", gathering),
        },
    )


def _when(item) -> str:
    if item is None:
        return ""
    text = formats.date_format(item.date, "SHORT_DATE_FORMAT")
    if item.start:
        text += " " + item.start.strftime("%H:%M")
    return text


@login_required
def results_export(request, pk, fmt):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    gathering = gathering_or_404(request, pk, "gatherings.view_evaluation_results")
    evaluation = evaluation_results(gathering)
    if not evaluation.shown:
        messages.info(
            request, _("The results can be exported once enough participants have answered.")
        )
        return redirect("gatherings:evaluation_results", gathering.pk)
    header = [_("When"), _("Agenda item"), _("Ratings"), _("Average"), "5", "4", "3", "2", "1"]
    rows = [
        [
            _when(result.item),
            result.title,
            result.ratings,
            round(result.average, 2) if result.average is not None else None,
            *[n for _rating, n in reversed(result.distribution)],
        ]
        for result in evaluation.results
    ]
    comment_header = [_("When"), _("Agenda item"), _("Comment")]
    comments = [
        [_when(result.item), result.title, comment]
        for result in evaluation.results
        for comment in result.comments
    ]
    name = export_name(gathering, "evaluering")
    if fmt == "csv":
        return csv_response(
            name,
            [*header, _("Comments")],
            [
                [*row, "\n".join(result.comments)]
                for row, result in zip(rows, evaluation.results, strict=True)
            ],
        )
    return xlsx_response(
        name, [(_("Ratings"), header, rows), (_("Comments"), comment_header, comments)]
    )
