"""What the network app's pages cost to render, against hello world (``tests/render_cost.py``).

The targets (docs/performance.md): an uncached anonymous page at least 0.1 × hello world by
CPU, a signed-in page at least 0.06 ×. The test database is small, SQLite's work counts in
the page's CPU and the machine may be busy, so each test asserts a sixth of its target
(``tests/render_cost.py``): it catches a page that became several times dearer (a query or a
template per row), not a few per cent.
"""

import pytest

from tests.render_cost import ANONYMOUS_BOUND as ANONYMOUS
from tests.render_cost import SIGNED_IN_BOUND as SIGNED_IN
from tests.render_cost import render_cost

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "leader_karmoy"])
def test_front_page_renders_within_its_budget(request, login, programme, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    assert render_cost(login(user), "/") >= (ANONYMOUS if user is None else SIGNED_IN)


@pytest.mark.parametrize("who", ["anonymous", "leader_karmoy"])
def test_network_page_renders_within_its_budget(request, login, omdomme, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    url = omdomme.get_absolute_url()
    assert render_cost(login(user), url) >= (ANONYMOUS if user is None else SIGNED_IN)


def test_my_pages_render_within_their_budget(login, leader_karmoy):
    assert render_cost(login(leader_karmoy), "/mine-sider/") >= SIGNED_IN
