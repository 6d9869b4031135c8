"""Answering (public and anonymous): the questionnaire and the thanks.

The answer pages never touch the session, store nothing about the respondent, and leave
whether an answer is taken to ``services.admit_answer`` (invitation links, the open link's
cookie, limit and repeats)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from core.cache import shared_form_page
from core.fragments import FragmentMemo
from core.http import client_ip_address
from network.selectors import note_programme

from .. import selectors
from ..forms import AnswerForm
from ..models import SurveyRun
from ..services import Admission, Answer, Client, admit_answer

#: How long the browser remembers that it answered a run.
ANSWERED_COOKIE_AGE = 180 * 24 * 60 * 60


def answered_cookie(run: SurveyRun) -> str:
    return f"np_survey_{run.pk}"


def _note_programme(request, run: SurveyRun) -> None:
    """The header, footer and breadcrumbs name the survey's programme (read with the run)."""
    note_programme(request, run.local_project.network.programme)


def _unavailable(request, run: SurveyRun, reason: str):
    return render(
        request,
        "surveys/unavailable.html",
        {"run": run, "project": run.local_project, "reason": reason},
    )


def _thank(run: SurveyRun) -> HttpResponseRedirect:
    response = redirect("surveys:thanks", token=run.token)
    response.set_cookie(
        answered_cookie(run),
        "1",
        max_age=ANSWERED_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


#: The unanswered questionnaires rendered lately, by what they show.
_answer_fields = FragmentMemo(size=64)


def answer_fields_html(form: AnswerForm) -> str:
    """The fields of an unanswered questionnaire (``surveys/includes/answer_fields.html``):
    some 60 answer buttons, the same for every respondent who gets the same statements in the
    same language, so rendered once per worker and kept by what they show
    (``core.fragments``). Empty for a bound form: it shows the answers given and their errors,
    and the page renders it itself."""
    if form.is_bound:
        return ""
    key = (
        tuple((s.pk, s.group, form.fields[f"s{s.pk}"].label) for s in form.statements),
        form.words_question,
    )
    return _answer_fields.get_or_render(
        key, lambda: render_to_string("surveys/includes/answer_fields.html", {"form": form})
    )


@shared_form_page
@never_cache
def answer(request, token):
    """The questionnaire. An answer writes only the answer tables, which the stored
    questionnaire did not read, so the page cache keeps it."""
    run = selectors.answer_page_run(token)
    if run is None:
        raise Http404
    _note_programme(request, run)
    posted = request.method == "POST"
    invitation = request.POST.get("invitation", "") if posted else request.GET.get("i", "")
    invitation = invitation.strip()[:64]
    client = Client(
        address=client_ip_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        csrf_cookie=request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        answered=bool(request.COOKIES.get(answered_cookie(run))),
    )
    language = selectors.language()
    form = AnswerForm(
        request.POST if posted else None,
        initial={"invitation": invitation},
        run=run,
        statements=run.statements,
        language=language,
    )
    # One decision: with a valid answer, whether to store it (and store it, in one statement
    # on PostgreSQL); otherwise whether to show the form at all.
    given = None
    if posted and form.is_valid():
        given = Answer(answers=form.answers(), words=form.words())
    admission = admit_answer(run=run, invitation_token=invitation, client=client, answer=given)
    if admission.taken:
        return _thank(run)
    status = 200
    if admission == Admission.THROTTLED:
        form.add_error(
            None,
            gettext(
                "Many answers have come from your network in a short time. Wait a while and "
                "send again: your answers are kept in the form. If you received a personal "
                "invitation link by e-mail, answer through that one."
            ),
        )
        status = 429
    elif admission != Admission.ADMITTED:
        return _unavailable(request, run, admission)
    return render(
        request,
        "surveys/answer.html",
        {
            "run": run,
            "project": run.local_project,
            "form": form,
            "answer_fields": answer_fields_html(form),
            "intro": run.questionnaire.intro(language),
            "invited": bool(invitation),
        },
        status=status,
    )


def thanks(request, token):
    run = selectors.answer_page_run(token)
    if run is None:
        raise Http404
    _note_programme(request, run)
    return render(
        request,
        "surveys/thanks.html",
        {"run": run, "project": run.local_project},
    )
