"""A project leader reports a round in one form; nobody else reports for the project."""

from decimal import Decimal

import pytest

from measurements.models import (
    AnchoringAssessment,
    Measurement,
    MeasurementSource,
    RoundReport,
)
from measurements.services import ValueEntry, write_values
from tests.factories import OwnIndicatorFactory
from tests.measurements.factories import (
    conflicts,
    indicator,
    indicators_of,
    leader_of,
    measure,
    publish,
    set_round,
    url,
    write_value,
)

pytestmark = pytest.mark.django_db

OMDOMME = ["Omdømmeindeks", "Kvalifiserte søkere per utlyst stilling", "Medarbeiderundersøkelse"]


def report_url(project, round, lang="nb"):
    return url("measurements:report", project.slug, round.slug, lang=lang.strip("/") or "nb")


def form_data(project, values: dict[str, str], *, stage="", version=1, **extra) -> dict:
    data = {"loaded_version": str(version), "stage": str(stage), "stage_note": ""}
    for item in indicators_of(project):
        data[f"value_{item.pk}"] = values.get(item.name, "")
        data[f"note_{item.pk}"] = ""
    data.update(extra)
    return data


def values_of(project, round) -> dict[str, Decimal]:
    return dict(
        Measurement.objects.filter(local_project=project, round=round).values_list(
            "indicator__name", "value"
        )
    )


def test_report_form_lists_every_indicator_and_the_anchoring_ladder(
    login, leader_karmoy, karmoy, baseline
):
    response = login(leader_karmoy).get(report_url(karmoy, baseline, "/en"))
    assert response.status_code == 200
    content = response.content.decode()
    for name in OMDOMME:
        assert name in content
    assert 'inputmode="decimal"' in content
    assert "I know that something new is under way" in content
    assert "New practice is becoming part of the organisational culture" in content
    assert 'name="reason"' not in content  # the round is open: no reason asked


def test_leader_reports_the_baseline_with_decimal_commas(login, leader_karmoy, karmoy, baseline):
    data = form_data(
        karmoy,
        {"Omdømmeindeks": "4,2", "Kvalifiserte søkere per utlyst stilling": "3,75"},
        stage=3,
    )
    data[f"note_{indicator(karmoy, 'Omdømmeindeks').pk}"] = "Undersøkelse mars 2012"
    response = login(leader_karmoy).post(report_url(karmoy, baseline), data)
    assert response.status_code == 302
    assert response.url == url("measurements:project_progress", karmoy.slug)
    assert values_of(karmoy, baseline) == {
        "Omdømmeindeks": Decimal("4.2"),
        "Kvalifiserte søkere per utlyst stilling": Decimal("3.75"),
    }
    saved = Measurement.objects.get(local_project=karmoy, indicator__name="Omdømmeindeks")
    assert (saved.source, saved.reported_by, saved.note) == (
        MeasurementSource.FORM,
        leader_karmoy,
        "Undersøkelse mars 2012",
    )
    assert AnchoringAssessment.objects.get(local_project=karmoy, round=baseline).stage == 3
    assert saved.history.count() == 1


def test_blank_value_is_not_reported_and_clearing_removes_it(
    login, leader_karmoy, karmoy, baseline
):
    index = indicator(karmoy, "Omdømmeindeks")
    measure(karmoy, index, baseline, "4.2")
    client = login(leader_karmoy)
    version = RoundReport.objects.filter(local_project=karmoy).count() + 1
    response = client.post(report_url(karmoy, baseline), form_data(karmoy, {}, version=version))
    assert response.status_code == 302
    assert values_of(karmoy, baseline) == {}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("Omdømmeindeks", "fire", "«fire» is not a number"),
        ("Kvalifiserte søkere per utlyst stilling", "-2", "cannot be negative"),
        ("Omdømmeindeks", "4,1234", "more than three decimals"),
    ],
)
def test_report_refuses_a_bad_value_and_writes_nothing(
    login, leader_karmoy, karmoy, baseline, name, text, message
):
    data = form_data(karmoy, {name: text, "Medarbeiderundersøkelse": "4,5"}, stage=2)
    response = login(leader_karmoy).post(report_url(karmoy, baseline, "/en"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'id="error-summary"' in content
    assert values_of(karmoy, baseline) == {}
    assert not AnchoringAssessment.objects.exists()


def test_a_percentage_must_be_within_0_and_100(login, stavanger, baseline):
    leader = leader_of(stavanger, "leder.stavanger")
    data = form_data(stavanger, {"Sykefravær": "101"})
    response = login(leader).post(report_url(stavanger, baseline, "/en"), data)
    assert "A percentage is between 0 and 100" in response.content.decode()
    assert values_of(stavanger, baseline) == {}


def test_a_count_must_be_a_whole_number(login, leader_karmoy, karmoy, baseline):
    own = OwnIndicatorFactory(local_project=karmoy, name="Søkere til lærlingplasser")
    data = form_data(karmoy, {own.name: "2,5"})
    response = login(leader_karmoy).post(report_url(karmoy, baseline, "/en"), data)
    assert "A count is a whole number" in response.content.decode()
    assert values_of(karmoy, baseline) == {}


def test_strand_leader_cannot_report_for_karmoy(login, leader_strand, karmoy, baseline):
    client = login(leader_strand)
    data = form_data(karmoy, {"Omdømmeindeks": "4,2"}, stage=3)
    assert client.get(report_url(karmoy, baseline)).status_code == 404
    assert client.post(report_url(karmoy, baseline), data).status_code == 404
    publish(karmoy)  # once the results are public the page exists, but still not for Strand
    assert client.get(report_url(karmoy, baseline)).status_code == 403
    assert client.post(report_url(karmoy, baseline), data).status_code == 403
    assert not Measurement.objects.exists()
    assert not AnchoringAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["participant", "facilitator", "ministry"])
def test_only_leaders_report_not_participants_facilitators_or_ministry(
    login, request, karmoy, baseline, persona
):
    user = request.getfixturevalue(persona)
    response = login(user).post(
        report_url(karmoy, baseline), form_data(karmoy, {"Omdømmeindeks": "4"})
    )
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_anonymous_is_sent_to_sign_in(login, karmoy, baseline):
    response = login(None).get(report_url(karmoy, baseline))
    assert response.status_code == 302
    assert response.url.startswith(url("network:login"))


def test_closed_round_refuses_changes_without_a_reason(
    login, leader_karmoy, karmoy, baseline_closed
):
    index = indicator(karmoy, "Omdømmeindeks")
    measure(karmoy, index, baseline_closed, "4.2")
    client = login(leader_karmoy)
    page = client.get(report_url(karmoy, baseline_closed, "/en")).content.decode()
    assert 'name="reason"' in page and "its values are locked" in page
    response = client.post(
        report_url(karmoy, baseline_closed, "/en"), form_data(karmoy, {"Omdømmeindeks": "4,4"})
    )
    assert response.status_code == 200
    assert "give a reason for the correction" in response.content.decode()
    assert values_of(karmoy, baseline_closed) == {"Omdømmeindeks": Decimal("4.2")}


def test_closed_round_correction_with_a_reason_is_kept_in_the_history(
    login, leader_karmoy, karmoy, baseline_closed
):
    index = indicator(karmoy, "Omdømmeindeks")
    measure(karmoy, index, baseline_closed, "4.2")
    reason = "Feil i opptellingen fra undersøkelsen"
    response = login(leader_karmoy).post(
        report_url(karmoy, baseline_closed),
        form_data(karmoy, {"Omdømmeindeks": "4,4"}, reason=reason),
    )
    assert response.status_code == 302
    saved = Measurement.objects.get(local_project=karmoy, indicator=index)
    assert saved.value == Decimal("4.4")
    latest = saved.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (reason, leader_karmoy)
    assert latest.prev_record.value == Decimal("4.2")


def test_closed_round_unchanged_values_need_no_reason(
    login, leader_karmoy, karmoy, baseline_closed
):
    measure(karmoy, indicator(karmoy, "Omdømmeindeks"), baseline_closed, "4.2")
    response = login(leader_karmoy).post(
        report_url(karmoy, baseline_closed), form_data(karmoy, {"Omdømmeindeks": "4,2"})
    )
    assert response.status_code == 302
    assert Measurement.history.count() == 1  # only the creation


def test_a_round_that_has_not_opened_takes_no_values(login, leader_karmoy, karmoy, baseline):
    end = set_round("sluttmaling", "upcoming")
    client = login(leader_karmoy)
    page = client.get(report_url(karmoy, end, "/en")).content.decode()
    assert "The round opens on" in page and '<form method="post" novalidate' not in page
    client.post(report_url(karmoy, end), form_data(karmoy, {"Omdømmeindeks": "4"}))
    assert not Measurement.objects.exists()
    with pytest.raises(Exception, match="has not opened"):
        write_values(
            entries=[
                ValueEntry(karmoy.pk, indicator(karmoy, "Omdømmeindeks").pk, end.pk, Decimal(4))
            ],
            rounds={end.pk: end},
            source=MeasurementSource.IMPORT,
            user=None,
        )


def test_two_leaders_saving_at_once_lose_nothing(login, leader_karmoy, karmoy, baseline):
    other = leader_of(karmoy, "leder2.karmoy")
    first, second = login(leader_karmoy), login(other)
    version = first.get(report_url(karmoy, baseline)).context["form"]["loaded_version"].value()
    assert second.get(report_url(karmoy, baseline)).status_code == 200
    saved = second.post(
        report_url(karmoy, baseline),
        form_data(karmoy, {"Omdømmeindeks": "4,0"}, version=version),
    )
    assert saved.status_code == 302
    conflict = first.post(
        report_url(karmoy, baseline, "/en"),
        form_data(karmoy, {"Omdømmeindeks": "4,6"}, version=version),
    )
    assert conflicts(conflict, "Someone else saved while you were editing") == [
        ("Omdømmeindeks", "4.6", "4")
    ]
    assert values_of(karmoy, baseline) == {"Omdømmeindeks": Decimal("4.0")}
    form = conflict.context["form"]
    assert form[f"value_{indicator(karmoy, 'Omdømmeindeks').pk}"].value() == "4,6"
    merged = first.post(
        report_url(karmoy, baseline),
        form_data(karmoy, {"Omdømmeindeks": "4,6"}, version=form["loaded_version"].value()),
    )
    assert merged.status_code == 302
    assert values_of(karmoy, baseline) == {"Omdømmeindeks": Decimal("4.6")}


def test_an_import_meanwhile_makes_the_open_form_a_conflict(login, leader_karmoy, karmoy, baseline):
    client = login(leader_karmoy)
    version = client.get(report_url(karmoy, baseline)).context["form"]["loaded_version"].value()
    index = indicator(karmoy, "Omdømmeindeks")
    write_value(karmoy, index, baseline, "3.9", source=MeasurementSource.IMPORT, user=None)
    response = client.post(
        report_url(karmoy, baseline), form_data(karmoy, {"Omdømmeindeks": "4,6"}, version=version)
    )
    assert conflicts(response, "Noen andre lagret mens du redigerte") == [
        ("Omdømmeindeks", "4,6", "3,9")
    ]
    assert "4,6" in response.content.decode() and "3,9" in response.content.decode()
    assert response.context["form"]["loaded_version"].value() != str(version)
    assert values_of(karmoy, baseline) == {"Omdømmeindeks": Decimal("3.9")}


@pytest.mark.parametrize("extra", [0, 6])
def test_report_form_query_count_is_constant(
    login, leader_karmoy, karmoy, baseline_closed, django_assert_num_queries, extra
):
    for item in OwnIndicatorFactory.create_batch(extra, local_project=karmoy):
        measure(karmoy, item, baseline_closed, "3")
    end = set_round("sluttmaling", "open")
    for item in indicators_of(karmoy)[:extra]:
        measure(karmoy, item, end, "2")
    client = login(leader_karmoy)
    url = report_url(karmoy, end)
    client.get(url)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
