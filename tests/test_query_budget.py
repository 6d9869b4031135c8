"""Every page that a persona may see (a 200 in the permission matrix) takes at most
``BUDGET`` queries, the session and the user included. The page cache is empty, so
this is the cost of rendering the page; the list pages' tests show it stays the same at two
data sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.matrix import PERSONAS, as_each_persona
from tests.test_permission_matrix import CASES

BUDGET = 10
#: Files, not pages, that read more than a page: each reason is given.
BUDGETS = {
    # Files, not pages: the raw export reads values, anchoring stages, indicators, rounds,
    # projects and their municipalities, each once, whatever the number of rows.
    "measurements:export_csv": 11,
    "measurements:export_xlsx": 11,
}

PAGES = [case for case in CASES if case.method == "get" and 200 in case.expected.values()]


@pytest.mark.django_db
@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.id)
def test_page_within_query_budget(case, request, programme):
    """Each persona's request runs in a savepoint that is rolled back, like the matrix."""
    allowed = [p for p in PERSONAS if case.expected[p] == 200]
    over = []
    for persona, client in as_each_persona(request, allowed):
        url = case.url()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, f"{case.id} as {persona}: {response.status_code}"
        budget = BUDGETS.get(case.name, BUDGET)
        if len(queries) > budget:
            listing = "\n".join(f"  {q['sql']}" for q in queries.captured_queries)
            over.append(f"{persona}: {len(queries)} queries\n{listing}")
    assert not over, f"{case.id} over {BUDGETS.get(case.name, BUDGET)} queries:\n" + "\n".join(over)


def test_budget_covers_the_pages_of_a_programme_asked_for():
    """The measurement pages that follow ``?program=<slug>`` are held to the budget too."""
    asked = {case.name for case in PAGES if "program=" in case.query}
    assert {
        "measurements:overview",
        "measurements:export_csv",
        "measurements:completeness",
        "measurements:rounds",
        "measurements:import_template",
    } <= asked
