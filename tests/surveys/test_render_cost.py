"""What the reputation survey's answer page costs to render (CPU per request, no page cache),
and its answer buttons, rendered once per worker for the statements they show
(``core.fragments``).

The cost is measured against hello world (``tests/render_cost.py``): at least a quarter of
the benchmark's target for an anonymous page (0.1 × hello world); the small in-memory test
database measures about 0.045 ×, 0.03 × while the 60 answer buttons were rendered for every
request."""

import pytest
from django.test import Client

from core.fragments import forget_all
from surveys.models import Statement
from surveys.selectors import answer_pages_changed
from tests.measurements.factories import url
from tests.render_cost import render_cost
from tests.surveys.factories import statements_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_rendered_yet():
    forget_all()


BUTTONS = "surveys/includes/answer_fields.html"


def rendered(response) -> set[str]:
    return {template.name for template in response.templates}


def test_the_answer_page_costs_little_to_render(login, run):
    assert render_cost(login(None), url("surveys:answer", run.token)) >= 0.1 / 4


def test_the_answer_buttons_are_rendered_once_per_language(run):
    first = Client().get(url("surveys:answer", run.token))
    assert BUTTONS in rendered(first)
    again = Client().get(url("surveys:answer", run.token))
    assert BUTTONS not in rendered(again)
    assert again.content.count(b'type="radio"') == first.content.count(b'type="radio"') > 0
    nynorsk = Client().get(url("surveys:answer", run.token, lang="nn"))
    assert BUTTONS in rendered(nynorsk)


def test_a_changed_statement_shows_at_once(run):
    Client().get(url("surveys:answer", run.token))
    statement = statements_of(run)[0]
    Statement.objects.filter(pk=statement.pk).update(text_nb="Kommunen er en god nabo.")
    answer_pages_changed()
    html = Client().get(url("surveys:answer", run.token)).content.decode()
    assert "Kommunen er en god nabo" in html


def test_an_answer_with_errors_shows_the_answers_given(run):
    client = Client()
    client.get(url("surveys:answer", run.token))
    first = statements_of(run)[0]
    response = client.post(
        url("surveys:answer", run.token),
        {"revision": run.questionnaire.revision, f"s{first.pk}": "4"},
    )
    assert response.status_code == 200
    assert BUTTONS in rendered(response)
    html = response.content.decode()
    assert f'name="s{first.pk}" value="4" id="id_s{first.pk}_3" checked' in html
    assert 'aria-invalid="true"' in html
