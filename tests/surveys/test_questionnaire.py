"""The standard questionnaire: adjustable until a run of it has an answer, frozen after (in the
service and in the admin), a new version to change it; baseline and end compared only within
one version."""

import re

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import Questionnaire, Statement
from surveys.services import QuestionnaireFrozen, close_run, new_version
from tests.measurements.factories import url
from tests.surveys.factories import answer, answer_many, open_run, questionnaire

pytestmark = pytest.mark.django_db


def test_the_programme_has_a_standard_questionnaire_in_three_languages(programme):
    current = Questionnaire.objects.current_for(programme.pk)
    assert current.version == 1
    statements = list(current.statements.all())
    assert 8 <= len(statements) <= 12
    assert {s.group for s in statements} == {"employer", "community"}
    assert all(s.text_nb and s.text_nn and s.text_en for s in statements)
    assert statements[0].text_nb == "Kommunen er en attraktiv arbeidsgiver."
    assert current.words_question_nb == "Hvilke tre ord beskriver kommunen?"
    assert current.words_question("nn") == "Kva for tre ord skildrar kommunen?"


def test_the_service_refuses_to_change_a_questionnaire_with_answers(karmoy, baseline):
    current = questionnaire()
    services.lock_for_change(current)  # no answers yet: may change
    run = open_run(karmoy, baseline)
    answer(run, 5)
    with pytest.raises(QuestionnaireFrozen):
        services.lock_for_change(current)
    assert services.is_frozen(current)


def change_form_data(q: Questionnaire, **changes) -> dict:
    statements = list(q.statements.all())
    data = {
        "programme": q.programme_id,
        "version": q.version,
        "intro_nb": q.intro_nb,
        "intro_nn": q.intro_nn,
        "intro_en": q.intro_en,
        "words_question_nb": q.words_question_nb,
        "words_question_nn": q.words_question_nn,
        "words_question_en": q.words_question_en,
        "statements-TOTAL_FORMS": len(statements),
        "statements-INITIAL_FORMS": len(statements),
        "statements-MIN_NUM_FORMS": 0,
        "statements-MAX_NUM_FORMS": 1000,
    }
    for i, s in enumerate(statements):
        for name in ("position", "code", "group", "text_nb", "text_nn", "text_en"):
            data[f"statements-{i}-{name}"] = getattr(s, name)
        data[f"statements-{i}-id"] = s.pk
        data[f"statements-{i}-questionnaire"] = q.pk
    data.update(changes)
    return data


def admin_url(q: Questionnaire) -> str:
    return reverse("admin:surveys_questionnaire_change", args=[q.pk])


def test_an_administrator_adjusts_the_questionnaire_before_any_answer(login, admin_user):
    current = questionnaire()
    response = login(admin_user).post(
        admin_url(current), change_form_data(current, **{"statements-0-text_nb": "Ny påstand."})
    )
    assert response.status_code == 302
    assert current.statements.first().text_nb == "Ny påstand."
    assert Questionnaire.objects.get(pk=current.pk).revision == current.revision + 1


def test_the_admin_shows_a_frozen_questionnaire_read_only_and_refuses_changes(
    login, admin_user, karmoy, baseline
):
    current = questionnaire()
    answer(open_run(karmoy, baseline), 5)
    client = login(admin_user)
    page = client.get(admin_url(current)).content.decode()
    assert 'name="_save"' not in page
    assert 'name="statements-0-text_nb"' not in page
    response = client.post(
        admin_url(current), change_form_data(current, **{"statements-0-text_nb": "Endret."})
    )
    assert response.status_code == 403
    delete = client.post(
        reverse("admin:surveys_questionnaire_delete", args=[current.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert current.statements.first().text_nb == "Kommunen er en attraktiv arbeidsgiver."
    assert Questionnaire.objects.get(pk=current.pk).revision == current.revision


def test_an_answer_arriving_while_the_admin_edits_wins(
    login, admin_user, karmoy, baseline, monkeypatch
):
    """The page was loaded (and the permission checked) before the first answer; the save
    after it is refused by the service, and nothing is written."""
    import surveys.admin

    current = questionnaire()
    answer(open_run(karmoy, baseline), 5)
    monkeypatch.setattr(surveys.admin, "_frozen", lambda questionnaire: False)
    response = login(admin_user).post(
        admin_url(current),
        change_form_data(current, **{"statements-0-text_nb": "Endret."}),
        follow=True,
    )
    # the admin is in Bokmål
    assert "Spørreskjemaet har fått svar og kan ikke endres lenger." in response.content.decode()
    assert current.statements.first().text_nb == "Kommunen er en attraktiv arbeidsgiver."


def test_a_new_version_copies_the_statements_and_can_change(login, admin_user, karmoy, baseline):
    current = questionnaire()
    answer(open_run(karmoy, baseline), 5)
    response = login(admin_user).post(
        reverse("admin:surveys_questionnaire_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [current.pk]},
    )
    assert response.status_code == 302
    copy = Questionnaire.objects.get(version=2)

    def texts(questionnaire):
        return [
            questionnaire.programme_id,
            *(
                getattr(questionnaire, f"{text}_{code}")
                for text in ("intro", "words_question")
                for code in ("nb", "nn", "en")
            ),
            *(
                (s.position, s.code, s.group, s.text_nb, s.text_nn, s.text_en)
                for s in questionnaire.statements.all()
            ),
        ]

    assert texts(copy) == texts(current)
    assert not services.is_frozen(copy)
    services.lock_for_change(copy)


def test_baseline_and_end_of_different_versions_are_not_compared(
    login, leader_karmoy, karmoy, baseline_closed, end_round
):
    first = open_run(karmoy, baseline_closed, "residents")
    second = open_run(
        karmoy, end_round, "residents", questionnaire_=new_version(first.questionnaire)
    )
    for run in (first, second):
        answer_many(run, 5, 4)
        close_run(run=run, user=leader_karmoy, reason="Test")
    page = login(leader_karmoy).get(url("surveys:compare", karmoy.slug, "residents", lang="en"))
    content = page.content.decode()
    assert (
        "The two surveys used different versions of the questionnaire (version 1 at the" in content
    )
    assert "<table" not in content


def test_baseline_and_end_of_one_group_are_compared_with_direction_aware_words(
    login, leader_karmoy, karmoy, baseline_closed, end_round
):
    before = open_run(karmoy, baseline_closed, "employees")
    after = open_run(karmoy, end_round, "employees")
    answer_many(before, 5, 3)
    for ratings in ([4] * 9 + [2], [4] * 9 + [2], [4] * 9 + [2], [4] * 9 + [3], [4] * 9 + [3]):
        answer(after, ratings)
    close_run(run=before, user=leader_karmoy, reason="Test")
    close_run(run=after, user=leader_karmoy)
    content = (
        login(leader_karmoy)
        .get(url("surveys:compare", karmoy.slug, "employees", lang="en"))
        .content.decode()
    )
    rows = {
        name.strip(): cells
        for name, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', content, re.S)
    }
    assert "Better (+1)" in rows["The municipality is an attractive employer."]
    assert "Worse (−0.6)" in rows["The municipality is a good place to live."]
    # index: from 40 to (9 × 4 + 2.4) / 10 … rescaled: ((38.4 / 10) − 1) / 5 × 100 = 56.8
    assert "40.0" in rows["Reputation index"] and "56.8" in rows["Reputation index"]
    assert "Better (+16.8)" in rows["Reputation index"]
    assert Statement.objects.filter(questionnaire=before.questionnaire).count() == 10
