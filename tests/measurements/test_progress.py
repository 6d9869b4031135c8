"""One project's progress page: charts, words for the change, tables, anchoring, history."""

import re
from datetime import date

import pytest

from measurements.models import AnchoringAssessment, Goal, MeasurementSource
from tests.conftest import PERSONAS
from tests.factories import OwnIndicatorFactory
from tests.measurements.factories import (
    indicator,
    leader_of,
    measure,
    publish,
    url,
    write_value,
)

pytestmark = pytest.mark.django_db

#: Who sees Karmøy's progress before it is published.
READERS_OF_UNPUBLISHED = ("participant", "leader_karmoy", "facilitator", "ministry", "admin_user")


def progress(project, lang="en"):
    return url("measurements:project_progress", project.slug, lang=lang)


@pytest.mark.parametrize(
    ("persona_user", "status"),
    [
        *((persona, 200) for persona in READERS_OF_UNPUBLISHED),
        *((persona, 404) for persona in PERSONAS if persona not in READERS_OF_UNPUBLISHED),
    ],
    indirect=["persona_user"],
)
def test_unpublished_progress_is_for_the_project_its_facilitator_and_the_ministry(
    login, karmoy, persona_user, status
):
    assert login(persona_user).get(progress(karmoy)).status_code == status


def test_published_progress_is_public(login, karmoy):
    publish(karmoy)
    response = login(None).get(progress(karmoy))
    assert response.status_code == 200
    assert response.context["history"] is None
    assert "For the project leaders" not in response.content.decode()


def test_leader_publishes_and_withdraws_the_results(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    publish_url = url("measurements:publish", karmoy.slug)
    assert client.post(publish_url, {"publiser": "1"}).status_code == 302
    assert login(None).get(progress(karmoy)).status_code == 200
    client.post(publish_url, {"publiser": "0"})
    assert login(None).get(progress(karmoy)).status_code == 404


@pytest.mark.parametrize("persona", ["participant", "leader_strand", "facilitator", "ministry"])
def test_only_leaders_publish(login, request, karmoy, persona):
    client = login(request.getfixturevalue(persona))
    response = client.post(url("measurements:publish", karmoy.slug), {"publiser": "1"})
    assert response.status_code in (403, 404)
    assert login(None).get(progress(karmoy)).status_code == 404


def test_chart_is_svg_with_title_and_description(
    login, ministry, stavanger, baseline_closed, end_round
):
    sick_leave = indicator(stavanger, "Sykefravær")
    measure(stavanger, sick_leave, baseline_closed, "7.5")
    measure(stavanger, sick_leave, end_round, "6.9")
    Goal.objects.create(
        local_project=stavanger, indicator=sick_leave, target_value=6, target_date=date(2013, 5, 31)
    )
    content = login(ministry).get(progress(stavanger)).content.decode()
    chart = f"chart-{sick_leave.pk}"
    svg = re.search(
        rf'<svg[^>]*aria-labelledby="{chart}-title {chart}-desc".*?</svg>', content, re.S
    )
    assert svg, "the chart of sick leave is missing"
    svg = svg.group(0)
    assert 'role="img"' in svg
    title = "Sykefravær in Stavanger, by measurement round"
    assert f'<title id="{chart}-title">{title}</title>' in svg
    description = re.search(rf'<desc id="{chart}-desc">(.*?)</desc>', svg, re.S).group(1)
    assert "Nullpunkt: 7.5\u00a0%." in description
    assert "Sluttmåling: 6.9\u00a0%." in description
    assert "Goal: 6\u00a0% by" in description
    assert "Lower is better." in description
    assert 'class="np-chart__goal"' in svg and 'class="np-chart__line"' in svg
    assert "<script" not in svg and "style=" not in svg


def test_change_is_worded_by_the_indicator_direction(
    login, ministry, stavanger, baseline_closed, end_round
):
    sick_leave = indicator(stavanger, "Sykefravær")
    survey = indicator(stavanger, "Medarbeiderundersøkelse")
    measure(stavanger, sick_leave, baseline_closed, "7.5")
    measure(stavanger, sick_leave, end_round, "6.9")  # lower is better: down is better
    measure(stavanger, survey, baseline_closed, "4.2")
    measure(stavanger, survey, end_round, "4.0")  # higher is better: down is worse
    response = login(ministry).get(progress(stavanger))
    items = {item.facts.name: item for item in response.context["indicators"]}
    assert items["Sykefravær"].change == "better"
    assert items["Sykefravær"].change_text == (
        "Better since Nullpunkt: from 7.5\u00a0% to 6.9\u00a0% in Sluttmåling "
        "(−0.6 percentage points)."
    )
    assert items["Medarbeiderundersøkelse"].change == "worse"
    assert items["Medarbeiderundersøkelse"].change_text.startswith("Worse since Nullpunkt")
    content = response.content.decode()
    assert "Better since Nullpunkt" in content and "Worse since Nullpunkt" in content


def test_unchanged_and_missing_values_are_said_so(
    login, ministry, stavanger, baseline_closed, end_round
):
    survey = indicator(stavanger, "Medarbeiderundersøkelse")
    measure(stavanger, survey, baseline_closed, "4.2")
    measure(stavanger, survey, end_round, "4.2")
    measure(stavanger, indicator(stavanger, "Sykefravær"), baseline_closed, "7")
    items = {
        item.facts.name: item
        for item in login(ministry).get(progress(stavanger)).context["indicators"]
    }
    assert items["Medarbeiderundersøkelse"].change == "unchanged"
    assert items["Medarbeiderundersøkelse"].change_text.startswith("Unchanged since Nullpunkt")
    assert items["Sykefravær"].change is None
    assert items["Sykefravær"].change_text == "No value after Nullpunkt yet."


def test_page_has_a_data_table_next_to_each_chart(login, ministry, karmoy, baseline_closed):
    index = indicator(karmoy, "Omdømmeindeks")
    measure(karmoy, index, baseline_closed, "4.2", note="Ansatte og innbyggere")
    content = login(ministry).get(progress(karmoy)).content.decode()
    article = content[content.index(f'id="indikator-{index.pk}"') :]
    article = article[: article.index("</article>")]
    assert "<svg" in article and "<table" in article
    assert "Omdømmeindeks by round</caption>" in article
    assert "Ansatte og innbyggere" in article


def test_anchoring_stage_over_time(login, ministry, karmoy, baseline_closed, end_round):
    AnchoringAssessment.objects.create(local_project=karmoy, round=baseline_closed, stage=2)
    AnchoringAssessment.objects.create(
        local_project=karmoy, round=end_round, stage=5, note="Vedtatt"
    )
    response = login(ministry).get(progress(karmoy))
    steps = [
        (s.round.name, s.assessment and s.assessment.stage) for s in response.context["anchoring"]
    ]
    assert steps == [("Nullpunkt", 2), ("Sluttmåling", 5)]
    content = response.content.decode()
    assert "«This applies here with us»" in content and "Vedtatt" in content


def test_history_shows_corrections_with_their_reason_to_leaders(
    login, leader_karmoy, karmoy, baseline_closed
):
    index = indicator(karmoy, "Omdømmeindeks")
    for value, reason in [("4.2", "Etterregistrert"), ("4.4", "Feil i opptellingen")]:
        write_value(
            karmoy,
            index,
            baseline_closed,
            value,
            source=MeasurementSource.FORM,
            user=leader_karmoy,
            reason=reason,
        )
    response = login(leader_karmoy).get(progress(karmoy))
    table = re.search(r'id="history-caption".*?</table>', response.content.decode(), re.S)
    rows = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in table.group(0).split("<tr>")[2:]]
    assert [(before, after, reason) for *_, before, after, reason in rows] == [
        ("4.2", "4.4", "Feil i opptellingen"),
        ("–", "4.2", "Etterregistrert"),
    ]
    publish(karmoy)
    public = login(None).get(progress(karmoy)).content.decode()
    assert "Feil i opptellingen" not in public


@pytest.mark.parametrize("size", [0, 8])
def test_progress_page_query_count_is_constant(
    login, leader_karmoy, karmoy, baseline_closed, end_round, django_assert_num_queries, size
):
    for item in OwnIndicatorFactory.create_batch(size, local_project=karmoy):
        measure(karmoy, item, baseline_closed, "3")
        measure(karmoy, item, end_round, "4")
        Goal.objects.create(
            local_project=karmoy, indicator=item, target_value=5, target_date=date(2013, 6, 1)
        )
    if size:
        AnchoringAssessment.objects.create(local_project=karmoy, round=baseline_closed, stage=2)
        leader_of(karmoy, "leder2.karmoy")
    client = login(leader_karmoy)
    client.get(progress(karmoy))
    with django_assert_num_queries(8):
        assert client.get(progress(karmoy)).status_code == 200
