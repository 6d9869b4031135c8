"""Answering the reputation survey: anonymous, one answer per invitation link, guarded against
ballot stuffing without storing who answered, and safe against bad input."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail, serializers
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from surveys import selectors
from surveys.models import (
    Questionnaire,
    Statement,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    SurveyRun,
)
from surveys.services import (
    SurveyNotOpen,
    close_run,
    mark_changed,
    send_invitations,
    submit_response,
)
from surveys.views.answering import answered_cookie
from tests.measurements.factories import url
from tests.surveys.factories import answer_many, form_data, open_run, statements_of

pytestmark = pytest.mark.django_db


def answer_url(run, lang="nb", query=""):
    return url("surveys:answer", run.token, lang=lang, query=query)


def thanks_url(run, lang="nb"):
    return url("surveys:thanks", run.token, lang=lang)


def text(response) -> str:
    return response.content.decode()


# --- The page -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "field"), [("nb", "text_nb"), ("nn", "text_nn"), ("en", "text_en")]
)
def test_answer_page_is_public_and_shows_the_statements_in_the_chosen_language(run, lang, field):
    response = Client().get(answer_url(run, lang))
    assert response.status_code == 200
    content = text(response)
    for statement in statements_of(run):
        assert escape(getattr(statement, field).rstrip(".")) in content
    # one fieldset with a legend per statement, six ratings and «don't know» in each
    assert content.count('<fieldset class="ds-fieldset np-scale"') == len(statements_of(run))
    first = statements_of(run)[0]
    assert re.findall(rf'name="s{first.pk}" value="(\d)"', content) == list("1234560")
    # the page offers the three languages, each in its own language
    for path in (answer_url(run, "nb"), answer_url(run, "nn"), answer_url(run, "en")):
        assert f'href="{path}"' in content
    assert response["Cache-Control"].startswith("max-age=0")


def test_unknown_link_is_not_found(programme):
    assert Client().get(url("surveys:answer", "ukjent-lenke")).status_code == 404
    assert Client().get(url("surveys:thanks", "ukjent-lenke")).status_code == 404


@pytest.mark.parametrize(
    ("change", "heading"),
    [
        ({"closed_at": timezone.now()}, "The survey is closed"),
        ({"opens_on": "2099-01-01", "closes_on": "2099-02-01"}, "The survey has not opened yet"),
        ({"opens_on": "2012-01-01", "closes_on": "2012-02-01"}, "The survey is closed"),
    ],
)
def test_a_run_that_is_not_open_takes_no_answers(run, change, heading):
    SurveyRun.objects.filter(pk=run.pk).update(**change)
    client = Client()
    page = client.get(answer_url(run, "en"))
    assert page.status_code == 200
    assert heading in text(page)
    assert "<form" not in text(page).split("<main", 1)[1]
    posted = client.post(answer_url(run, "en"), form_data(run))
    assert heading in text(posted)
    assert not SurveyResponse.objects.exists()


# --- Storing an answer anonymously --------------------------------------------------------------


def test_answer_is_stored_without_anything_that_says_who_answered(run, leader_karmoy):
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox/Testing")
    ratings = [6, 5, 4, 3, 2, 1, None, 6, 5, 4]
    response = client.post(answer_url(run, "nn"), form_data(run, ratings, ("Flott", "trygg", "")))
    assert response.status_code == 302
    assert response["Location"] == thanks_url(run, "nn")
    stored = SurveyResponse.objects.get()
    assert stored.through_open_link
    assert (stored.word_1, stored.word_2, stored.word_3) == ("Flott", "trygg", "")
    answers = dict(SurveyAnswer.objects.values_list("statement__position", "value"))
    assert answers == dict(enumerate(ratings, 1))

    # The schema has no place for who, when or in which language: only the run, whether the
    # answer came through the open link, and the words.
    assert {f.name for f in SurveyResponse._meta.concrete_fields} == {
        "id",
        "run",
        "through_open_link",
        "word_1",
        "word_2",
        "word_3",
    }
    assert {f.name for f in SurveyAnswer._meta.concrete_fields} == {
        "id",
        "response",
        "statement",
        "value",
    }
    who_or_when = {"DateField", "DateTimeField", "GenericIPAddressField", "EmailField"}
    assert not any(
        f.get_internal_type() in who_or_when
        or (f.is_relation and f.related_model._meta.label == "network.User")
        for model in (SurveyResponse, SurveyAnswer)
        for f in model._meta.concrete_fields
    )
    # … and nothing of the request is in the stored rows.
    dump = serializers.serialize(
        "json", [*SurveyResponse.objects.all(), *SurveyAnswer.objects.all()]
    )
    today = timezone.localdate()
    for trace in ("203.0.113.7", "Firefox", "leder.karmoy", "@", "T0", ":00", '"nn"', str(today)):
        assert trace not in dump
    # Anonymous respondents get no session; the browser only remembers that it answered.
    assert not Session.objects.exists()
    assert set(response.cookies) == {answered_cookie(run)}
    assert response.cookies[answered_cookie(run)]["httponly"]


def test_an_answer_of_only_dont_know_is_stored(run):
    assert Client().post(answer_url(run), form_data(run, None)).status_code == 302
    assert SurveyResponse.objects.count() == 1
    values = list(SurveyAnswer.objects.values_list("value", flat=True))
    assert values == [None] * len(statements_of(run))


def test_thank_you_page_shows_nothing_of_the_answer(run):
    client = Client()
    sent = client.post(answer_url(run), form_data(run, 6, ("Særpreget", "", "")))
    assert sent["Location"] == thanks_url(run)  # the run's link, nothing of the response
    page = client.get(thanks_url(run, "en"))
    assert page.status_code == 200
    assert "Thank you for your answers!" in text(page)
    assert "Særpreget" not in text(page)


def test_the_same_browser_is_refused_politely_the_second_time(run):
    client = Client()
    assert client.post(answer_url(run), form_data(run, 5)).status_code == 302
    again = client.get(answer_url(run, "en"))
    assert "You have answered this survey" in text(again)
    client.post(answer_url(run, "en"), form_data(run, 1))
    assert SurveyResponse.objects.count() == 1


def test_the_same_answers_sent_twice_by_one_browser_are_stored_once(run):
    """A double click, or the request replayed without the «answered» cookie."""
    data = form_data(run, 6, ("Beste", "", ""))
    browser = Client()
    browser.get(answer_url(run))  # its CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    replay = Client()
    replay.cookies["csrftoken"] = csrf
    assert browser.post(answer_url(run), data)["Location"] == thanks_url(run)
    assert replay.post(answer_url(run), data)["Location"] == thanks_url(run)
    assert SurveyResponse.objects.count() == 1
    # different answers with the same cookie are new answers …
    other = Client()
    other.cookies["csrftoken"] = csrf
    other.post(answer_url(run), form_data(run, 5, ("Beste", "", "")))
    assert SurveyResponse.objects.count() == 2
    # … and so are the same answers from a colleague's browser behind the same address
    colleague = Client()
    colleague.get(answer_url(run))
    assert colleague.post(answer_url(run), data).status_code == 302
    assert SurveyResponse.objects.count() == 3


def test_an_answer_the_database_refused_is_stored_when_sent_again(run, monkeypatch):
    """The run is read from the cache, so a database outage shows first where the answer is
    stored: the answers sent again after it are stored, not taken for a repeat."""
    from surveys import services

    def database_down(**kwargs):
        raise OperationalError("the database is restarting")

    data = form_data(run, 5)
    browser = Client(raise_request_exception=False)
    browser.get(answer_url(run))
    with monkeypatch.context() as patched:
        patched.setattr(services, "submit_response", database_down)
        assert browser.post(answer_url(run), data).status_code == 503
    assert not SurveyResponse.objects.exists()
    assert browser.post(answer_url(run), data).status_code == 302
    assert SurveyResponse.objects.count() == 1


def test_open_link_answers_are_rate_limited_per_client_address(run, settings):
    settings.SURVEY_OPEN_LINK_LIMIT = 2
    for rating in (6, 5):
        assert Client().post(answer_url(run), form_data(run, rating)).status_code == 302
    refused = Client().post(answer_url(run, "en"), form_data(run, 4, ("Kjekk", "", "")))
    assert refused.status_code == 429
    assert "Wait a while and send again" in text(refused)
    assert 'value="Kjekk"' in text(refused)  # the answers are kept in the form
    assert SurveyResponse.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.4").post(answer_url(run), form_data(run, 4))
    assert other.status_code == 302
    assert SurveyResponse.objects.count() == 3


# --- Invitations --------------------------------------------------------------------------------


def invite(run, *addresses) -> list[str]:
    """Send invitations and return the one-time tokens from the e-mails."""
    mail.outbox.clear()
    send_invitations(
        run=run,
        addresses=list(addresses),
        message=lambda token: ("Invitasjon", f"https://portal.example/?i={token}"),
    )
    return [re.search(r"\?i=([\w-]+)", m.body).group(1) for m in mail.outbox]


def test_an_invitation_link_answers_once(run):
    (token,) = invite(run, "kari@example.org")
    assert SurveyInvitation.objects.get().token_hash != token  # only its hash is stored
    page = Client().get(answer_url(run, query=f"?i={token}"))
    assert page.status_code == 200
    assert f'name="invitation" value="{token}"' in text(page)

    data = form_data(run, 5, invitation=token)
    assert Client().post(answer_url(run), data).status_code == 302
    assert SurveyInvitation.objects.get().used
    assert SurveyResponse.objects.count() == 1

    again = Client().post(answer_url(run, "en"), form_data(run, 2, invitation=token))
    assert "This invitation link has been used" in text(again)
    assert "This invitation link has been used" in text(
        Client().get(answer_url(run, "en", query=f"?i={token}"))
    )
    assert SurveyResponse.objects.count() == 1


def test_an_invitation_is_not_used_up_when_the_answer_is_refused(run):
    (token,) = invite(run, "kari@example.org")
    SurveyRun.objects.filter(pk=run.pk).update(closed_at=timezone.now())
    with pytest.raises(SurveyNotOpen):
        submit_response(
            run=run,
            answers={s.pk: 4 for s in statements_of(run)},
            words=("", "", ""),
            invitation_token=token,
        )
    assert not SurveyInvitation.objects.get().used
    assert not SurveyResponse.objects.exists()


def test_invitation_only_runs_refuse_the_open_link(karmoy, baseline):
    run = open_run(karmoy, baseline, accepts_open_link=False)
    (token,) = invite(run, "ola@example.org")
    assert "This survey is by invitation" in text(Client().get(answer_url(run, "en")))
    Client().post(answer_url(run), form_data(run, 5))
    assert not SurveyResponse.objects.exists()
    Client().post(answer_url(run), form_data(run, 5, invitation=token))
    assert SurveyResponse.objects.count() == 1


def test_invited_answers_are_not_held_back_by_the_open_link_guards(run, settings):
    """Colleagues behind one address, each with their own link: no rate limit, no cookie."""
    settings.SURVEY_OPEN_LINK_LIMIT = 1
    tokens = invite(run, "a@example.org", "b@example.org", "c@example.org")
    client = Client()
    for token in tokens:
        assert client.post(answer_url(run), form_data(run, 4, invitation=token)).status_code == 302
    assert SurveyResponse.objects.count() == 3


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["7", "-1", "0.5", "abc", "", "<script>"])
def test_ratings_off_the_scale_are_refused(run, value):
    data = form_data(run, 4)
    first = statements_of(run)[0]
    data[f"s{first.pk}"] = value
    response = Client().post(answer_url(run, "en"), data)
    assert response.status_code == 200
    assert "Choose a number from 1 to 6, or «Don&#x27;t know»." in text(response)
    assert f'href="#id_s{first.pk}_0"' in text(response)  # the error summary links to it
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    ("word", "message"),
    [
        ("<script>alert(1)</script>", "Write words only, without &lt; or &gt;."),
        ("x" * 41, "Write at most 40 characters"),
        ("å" * 100_000, "Write at most 40 characters"),
        ("bjelle\x07", "Remove the invisible or control characters."),
        ("\u202eetsrev", "Remove the invisible or control characters."),
        ("nul\x00l", "Remove the invisible or control characters."),
    ],
)
def test_bad_words_are_refused_with_a_clear_message(run, word, message):
    response = Client().post(answer_url(run, "en"), form_data(run, 4, (word, "", "")))
    assert response.status_code == 200
    assert message in text(response)
    assert "<script>alert" not in text(response)
    assert not SurveyResponse.objects.exists()


def test_words_in_a_wrong_encoding_are_refused(run):
    body = "&".join(f"{k}={v}" for k, v in form_data(run, 4).items() if k != "word_1")
    body = body.encode() + b"&word_1=Fl%F8tt"  # «Fløtt» in Latin-1, not UTF-8
    response = Client().post(
        answer_url(run, "en"), body, content_type="application/x-www-form-urlencoded"
    )
    assert "Some characters could not be read." in text(response)
    assert not SurveyResponse.objects.exists()


def test_text_that_looks_like_code_is_stored_as_text_and_escaped(run, leader_karmoy, login):
    words = ("Tom & Jerry", "<i>", "=1+2")
    for rating in (6, 5, 4, 3, 2):
        Client().post(answer_url(run), form_data(run, rating, words))
    assert not SurveyResponse.objects.exists()  # «<i>» is refused
    words = ("Tom & Jerry", "«sikker»", "=1+2")
    for rating in (6, 5, 4, 3, 2):
        Client().post(answer_url(run), form_data(run, rating, words))
    assert SurveyResponse.objects.filter(word_1="Tom & Jerry", word_3="=1+2").count() == 5
    close_run(run=run, user=leader_karmoy)
    page = text(login(leader_karmoy).get(run.get_absolute_url()))
    assert "<td>tom &amp; jerry</td>" in page
    assert "<td>sikker</td>" in page and "<td>=1+2</td>" in page


def test_a_changed_questionnaire_is_shown_again_before_the_answer_is_taken(run):
    data = form_data(run, 4)
    Questionnaire.objects.filter(pk=run.questionnaire_id).update(revision=2)
    first = Client().post(answer_url(run, "en"), data)
    assert "The questionnaire was changed while you answered." in text(first)
    assert 'name="revision" value="2"' in text(first)
    assert not SurveyResponse.objects.exists()
    data["revision"] = "2"
    assert Client().post(answer_url(run), data).status_code == 302


# --- A run closing while answers come in ------------------------------------------------------


def test_an_answer_after_the_run_closed_is_refused_by_the_service(run, leader_karmoy):
    page_loaded = SurveyRun.objects.get(pk=run.pk)  # the answer page read the run as open
    answer_many(run, 5)
    close_run(run=run, user=leader_karmoy)
    with pytest.raises(SurveyNotOpen):
        submit_response(
            run=page_loaded,
            answers={s.pk: 4 for s in statements_of(run)},
            words=("", "", ""),
        )
    assert SurveyResponse.objects.count() == 5


# --- Queries ------------------------------------------------------------------------------------


@pytest.fixture(params=[1, 30])
def answered_run(request, run):
    answer_many(run, request.param)
    for number in range(request.param):  # more questionnaires and statements elsewhere
        other = Questionnaire.objects.create(
            programme=run.questionnaire.programme,
            version=number + 2,
            words_question_nb="?",
            words_question_nn="?",
            words_question_en="?",
        )
        Statement.objects.create(
            questionnaire=other, code="x", group="employer", text_nb="x", text_nn="x", text_en="x"
        )
    return run


def test_answer_page_query_count_is_constant(answered_run, django_assert_num_queries):
    client = Client()
    # the run with its programme (the current one: the header needs no query of its own), the
    # statements; then both from the cache
    with django_assert_num_queries(2):
        assert client.get(answer_url(answered_run)).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(answer_url(answered_run)).status_code == 200


def test_submitting_an_answer_takes_one_statement(answered_run, django_assert_num_queries):
    client = Client()
    client.get(answer_url(answered_run))  # the run and statements are cached by the page
    data = form_data(answered_run, 3, ("Ny",) * 3)
    # PostgreSQL: one statement locks the run, inserts the response and its answers; elsewhere
    # a transaction (savepoint and release in tests) with the lock, response and answers
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 5):
        response = client.post(answer_url(answered_run), data)
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(word_1="Ny").count() == 1
    assert SurveyAnswer.objects.filter(response__word_1="Ny", value=3).count() == len(
        statements_of(answered_run)
    )


def test_an_invited_answer_takes_one_statement(answered_run, django_assert_num_queries):
    (token,) = invite(answered_run, "kari@example.org")
    client = Client()
    client.get(answer_url(answered_run, query=f"?i={token}"))
    data = form_data(answered_run, 2, ("Invitert",) * 3, invitation=token)
    # PostgreSQL: the same statement also claims the invitation; elsewhere its UPDATE is added
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 6):
        response = client.post(answer_url(answered_run), data)
    assert response.status_code == 302
    assert SurveyInvitation.objects.get().used
    stored = SurveyResponse.objects.get(word_1="Invitert")
    assert not stored.through_open_link


def test_thank_you_page_query_count(answered_run, django_assert_num_queries):
    with django_assert_num_queries(2):  # the run with its programme, its statements
        assert Client().get(thanks_url(answered_run)).status_code == 200
    with django_assert_num_queries(0):  # the run from the cache
        assert Client().get(thanks_url(answered_run)).status_code == 200


# --- The cached run: a change is seen by the next answer ---------------------------------------


def test_closing_a_run_is_seen_by_the_next_answer(run, leader_karmoy, login):
    client = Client()
    assert client.get(answer_url(run)).status_code == 200  # the run is cached as open
    answer_many(run, 5)
    login(leader_karmoy).post(url("surveys:close", run.local_project.slug, run.pk))
    assert SurveyRun.objects.get(pk=run.pk).is_closed
    posted = Client().post(answer_url(run, "en"), form_data(run, 4))
    assert "The survey is closed" in text(posted)
    assert "The survey is closed" in text(Client().get(answer_url(run, "en")))
    assert SurveyResponse.objects.count() == 5


def test_a_changed_run_is_seen_by_the_next_answer(run):
    assert Client().get(answer_url(run, "en")).status_code == 200
    stored = SurveyRun.objects.get(pk=run.pk)
    stored.accepts_open_link = False
    stored.save()
    assert "This survey is by invitation" in text(
        Client().post(answer_url(run, "en"), form_data(run, 4))
    )
    stored.accepts_open_link = True
    stored.opens_on = timezone.localdate() + datetime.timedelta(days=1)
    stored.save()
    assert "The survey has not opened yet" in text(Client().get(answer_url(run, "en")))
    assert not SurveyResponse.objects.exists()


def test_a_changed_questionnaire_and_project_are_seen_by_the_next_answer(run):
    assert Client().get(answer_url(run, "en")).status_code == 200
    questionnaire = Questionnaire.objects.get(pk=run.questionnaire_id)
    questionnaire.words_question_en = "Which three words, now?"
    questionnaire.save()
    statement = statements_of(run)[0]
    statement.text_en = "The municipality answers e-mails quickly."
    statement.save()
    project = run.local_project
    project.name = "Karmøy, renamed"
    project.save()
    page = text(Client().get(answer_url(run, "en")))
    assert "Which three words, now?" in page
    assert "The municipality answers e-mails quickly" in page
    assert "Karmøy, renamed" in page


def test_a_revision_raised_by_the_administrator_is_seen_by_the_next_answer(run):
    data = form_data(run, 4)
    assert Client().get(answer_url(run, "en")).status_code == 200
    mark_changed(run.questionnaire)
    changed = Client().post(answer_url(run, "en"), data)
    assert "The questionnaire was changed while you answered." in text(changed)
    assert not SurveyResponse.objects.exists()


def test_the_cached_run_is_read_again_after_the_change_commits(
    run, django_capture_on_commit_callbacks
):
    """A page that read the run before the change committed must not keep it: the generation
    changes again on commit."""
    before = selectors.answer_page_run(run.token)
    with django_capture_on_commit_callbacks() as callbacks:
        SurveyRun.objects.get(pk=run.pk).save()
        generation = cache.get(selectors.ANSWER_RUN_GENERATION)
    assert before is not None and callbacks
    assert cache.get(selectors.ANSWER_RUN_GENERATION) == generation  # not before the commit
    for callback in callbacks:  # the survey's own hook, and the page cache's where it runs
        callback()
    assert cache.get(selectors.ANSWER_RUN_GENERATION) != generation
