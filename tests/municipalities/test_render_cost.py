"""What the municipality and project pages cost to render, against hello world
(``tests/render_cost.py``; the bounds are a sixth of the targets, see
``tests/network/test_render_cost.py``)."""

import pytest

from tests.render_cost import ANONYMOUS_BOUND as ANONYMOUS
from tests.render_cost import SIGNED_IN_BOUND as SIGNED_IN
from tests.render_cost import render_cost

pytestmark = pytest.mark.django_db


def _client(request, login, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    return login(user), (ANONYMOUS if user is None else SIGNED_IN)


@pytest.mark.parametrize("who", ["anonymous", "leader_karmoy"])
def test_municipality_page_renders_within_its_budget(request, login, karmoy, who):
    client, bound = _client(request, login, who)
    assert render_cost(client, "/kommuner/1149/") >= bound


@pytest.mark.parametrize("who", ["anonymous", "leader_karmoy"])
def test_municipality_list_renders_within_its_budget(request, login, karmoy, who):
    client, bound = _client(request, login, who)
    assert render_cost(client, "/kommuner/") >= bound


@pytest.mark.parametrize("who", ["anonymous", "leader_karmoy"])
def test_project_page_renders_within_its_budget(request, login, karmoy, who):
    client, bound = _client(request, login, who)
    assert render_cost(client, karmoy.get_absolute_url()) >= bound


def test_page_editor_renders_within_its_budget(login, leader_karmoy, karmoy):
    assert render_cost(login(leader_karmoy), f"/prosjekter/{karmoy.slug}/rediger/") >= SIGNED_IN
