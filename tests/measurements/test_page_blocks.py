"""What the measurements app adds to the project page and «Mine sider»."""

import pytest

from tests.measurements.factories import publish, report_everything, url

pytestmark = pytest.mark.django_db


def keys(response) -> list[str]:
    return [section.key for section in response.context["blocks"]]


def test_project_page_offers_the_leader_the_open_round(login, leader_karmoy, karmoy, baseline):
    response = login(leader_karmoy).get(
        url("municipalities:project_detail", karmoy.slug, lang="en")
    )
    assert "progress" in keys(response)
    content = response.content.decode()
    assert url("measurements:report", karmoy.slug, "nullpunkt", lang="en") in content
    assert "Results not published" in content


def test_project_page_shows_progress_to_the_public_only_once_published(login, karmoy):
    page = url("municipalities:project_detail", karmoy.slug)
    assert "progress" not in keys(login(None).get(page))
    publish(karmoy)
    response = login(None).get(page)
    assert "progress" in keys(response)
    assert url("measurements:project_progress", karmoy.slug) in response.content.decode()


def test_my_pages_lists_the_leader_s_rounds_to_report(login, leader_karmoy, karmoy, baseline):
    response = login(leader_karmoy).get(url("network:my_pages", lang="en"))
    section = next(s for s in response.context["blocks"] if s.key == "measurements_report")
    [(project, round, status)] = section.context["entries"]
    assert (project, round, status.text) == (karmoy, baseline, "Not reported")
    report_everything(karmoy, baseline)
    response = login(leader_karmoy).get(url("network:my_pages", lang="en"))
    assert "Karmøy: report for Nullpunkt" in response.content.decode()
    section = next(s for s in response.context["blocks"] if s.key == "measurements_report")
    assert section.context["entries"][0][2].is_complete


def test_my_pages_gives_the_ministry_who_has_not_reported(login, ministry, karmoy, baseline):
    report_everything(karmoy, baseline)
    response = login(ministry).get(url("network:my_pages", lang="en"))
    section = next(s for s in response.context["blocks"] if s.key == "measurements_follow_up")
    assert section.context["rounds"] == [(baseline, 1, 49)]
    assert "1 of 49 reported fully" in response.content.decode()


def test_my_pages_of_a_participant_has_no_measurement_sections(login, participant, baseline):
    response = login(participant).get(url("network:my_pages"))
    assert not {"measurements_report", "measurements_follow_up"} & set(keys(response))
