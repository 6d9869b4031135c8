"""The reputation survey in the browser: a resident answers on a phone in Nynorsk, without
JavaScript needed; the survey (with errors, thank-you page) and the result pages have no axe
violations, in Bokmål and Nynorsk."""

import pytest

from surveys.models import SurveyAnswer, SurveyResponse
from surveys.services import close_run
from tests.browser.conftest import (
    assert_accessible,
    check,
    leader_checks,
    path,
    refused,
    submit_and_wait,
)
from tests.measurements.factories import set_round
from tests.surveys.factories import answer, open_run, statements_of

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "nn"]


def fits(page) -> bool:
    """Nothing wider than the screen: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def survey(karmoy):
    set_round("sluttmaling", "upcoming")
    return open_run(karmoy, set_round("nullpunkt", "open"))


def test_a_resident_answers_on_a_phone_in_nynorsk(phone_page, live_server, survey):
    page = phone_page
    page.goto(f"{live_server.url}{path('surveys:answer', survey.token)}")
    submit_and_wait(page, ".np-survey-lang a[lang=nn]")
    page.wait_for_url(f"**{path('surveys:answer', survey.token, lang='nn')}")
    assert page.locator("html").get_attribute("lang") == "nn"
    statements = statements_of(survey)
    assert page.locator(f"#div_id_s{statements[0].pk} legend").inner_text() == (
        "Kommunen er ein attraktiv arbeidsgjevar"
    )
    assert fits(page)
    assert_accessible(page)

    # Sent half-answered: the error summary names what is missing and links to it.
    for statement in statements[:5]:
        page.click(f"label[for=id_s{statement.pk}_4]")  # «5»
    submit_and_wait(page, "main button[type=submit]")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("a").count() == 5
    assert page.locator(f"#id_s{statements[0].pk}_4").is_checked()  # kept
    assert page.locator(f"#id_s{statements[5].pk}_0").get_attribute("aria-invalid") == "true"
    assert fits(page)
    assert_accessible(page)

    for statement in statements[5:-1]:
        page.click(f"label[for=id_s{statement.pk}_2]")  # «3»
    page.click(f"label[for=id_s{statements[-1].pk}_6]")  # «Veit ikkje» / «Don't know»
    page.fill("#id_word_1", "Havet")
    page.fill("#id_word_2", "Sildebyen")
    submit_and_wait(page, "main button[type=submit]")
    page.wait_for_url(f"**{path('surveys:thanks', survey.token, lang='nn')}")
    assert_accessible(page)

    response = SurveyResponse.objects.get()
    assert (response.word_1, response.word_2) == ("Havet", "Sildebyen")
    assert response.through_open_link
    values = list(
        SurveyAnswer.objects.order_by("statement__position").values_list("value", flat=True)
    )
    assert values == [5] * 5 + [3] * 4 + [None]

    # The same phone is told, politely, that it has answered.
    page.goto(f"{live_server.url}{path('surveys:answer', survey.token, lang='nn')}")
    assert page.locator("main form").count() == 0
    assert_accessible(page)


def test_the_survey_fits_a_320_pixel_screen(phone_page, live_server, survey):
    phone_page.set_viewport_size({"width": 320, "height": 640})
    phone_page.goto(f"{live_server.url}{path('surveys:answer', survey.token)}")
    assert fits(phone_page)
    submit_and_wait(phone_page, "main button[type=submit]")
    assert fits(phone_page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_survey_pages_have_no_axe_violations(page, live_server, survey, lang):
    check(page, live_server, path("surveys:answer", survey.token, lang=lang))
    refused(page, "main button[type=submit]")
    check(page, live_server, path("surveys:thanks", survey.token, lang=lang))
    # an invitation link that does not work (used or unknown)
    check(page, live_server, path("surveys:answer", survey.token, lang=lang) + "?i=x")
    assert page.locator("main form").count() == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_leader_survey_pages_have_no_axe_violations(
    page, live_server, leader_karmoy, karmoy, survey, lang
):
    small = open_run(karmoy, survey.round, "politicians")
    for rating in (6, 2, 4):
        answer(small, rating)
    close_run(run=small, user=leader_karmoy)
    for number in range(6):
        ratings = [1 + (number + i) % 6 for i in range(9)] + [None]
        # two through the open link: the results are labelled «open link»
        answer(survey, ratings, (f"Ord{number % 2}", "felles", ""), open_link=number < 2)

    leader_pages = [
        path("surveys:runs", karmoy.slug, lang=lang),
        path("surveys:run", karmoy.slug, survey.pk, lang=lang),
        path("surveys:run", karmoy.slug, small.pk, lang=lang),
        path("surveys:run_update", karmoy.slug, survey.pk, lang=lang),
        path("surveys:invite", karmoy.slug, survey.pk, lang=lang),
    ]
    leader_checks(page, live_server, leader_karmoy, karmoy, lang, *leader_pages)

    check(page, live_server, path("surveys:run_create", karmoy.slug, lang=lang))
    refused(page)

    check(page, live_server, path("surveys:invite", karmoy.slug, survey.pk, lang=lang))
    page.fill("#id_addresses", "ikke-en-adresse@")
    refused(page)

    check(page, live_server, path("surveys:close", karmoy.slug, survey.pk, lang=lang))
    submit_and_wait(page)
    page.wait_for_url(f"**{path('surveys:run', karmoy.slug, survey.pk, lang=lang)}")
    assert page.locator(".np-survey-index__value").is_visible()
    # only the words at least three respondents gave: «felles», «ord0», «ord1»
    assert page.locator(".np-survey-words tbody tr").count() == 3
    assert page.locator(".ds-alert[data-color=warning]").is_visible()
    assert_accessible(page)
