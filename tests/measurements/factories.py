"""Factories and helpers for measurement tests. Rounds are set relative to today, so the
tests do not depend on the 2012 dates of the loaded rounds."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation

from measurements import drawings
from measurements.models import (
    AnchoringAssessment,
    Goal,
    Indicator,
    Measurement,
    MeasurementRound,
    ProgressPage,
)
from measurements.services import ValueEntry, write_values
from municipalities.models import LocalProject, ParticipantRole
from tests.factories import UserFactory, participation


def url(name: str, *args, lang: str = "nb", query: str = "") -> str:
    """The path of a named URL in a language («nb» has no prefix), whatever language the
    previous request left active."""
    with translation.override(lang):
        return reverse(name, args=args) + query


def today() -> datetime.date:
    return timezone.localdate()


def set_round(slug: str, state: str) -> MeasurementRound:
    """Make the loaded round ``slug`` (nullpunkt, sluttmaling) open, closed or upcoming."""
    day = today()
    dates = {
        "open": (day - datetime.timedelta(days=30), day + datetime.timedelta(days=30)),
        "closed": (day - datetime.timedelta(days=90), day - datetime.timedelta(days=1)),
        "upcoming": (day + datetime.timedelta(days=60), day + datetime.timedelta(days=120)),
    }[state]
    round = MeasurementRound.objects.get(slug=slug, programme__slug="saman-om-ein-betre-kommune")
    round.opens_on, round.closes_on = dates
    round.save(update_fields=["opens_on", "closes_on"])
    return round


def indicators_of(project: LocalProject) -> list[Indicator]:
    return list(Indicator.objects.for_project(project))


def indicator(project: LocalProject, name: str) -> Indicator:
    return Indicator.objects.for_project(project).get(name=name)


def measure(project, indicator, round, value, note="") -> Measurement:
    return Measurement.objects.create(
        local_project=project, indicator=indicator, round=round, value=Decimal(value), note=note
    )


def develop(project, indicator, *, rounds, values, stages, goal) -> None:
    """``project``'s values of ``indicator`` and its anchoring stages in the two ``rounds``
    (the baseline and the end), and its goal for the indicator by 31 May 2013."""
    for round, value, stage in zip(rounds, values, stages, strict=True):
        measure(project, indicator, round, value)
        AnchoringAssessment.objects.create(local_project=project, round=round, stage=stage)
    Goal.objects.create(
        local_project=project,
        indicator=indicator,
        target_value=Decimal(goal),
        target_date=datetime.date(2013, 5, 31),
    )


def write_value(project, indicator, round, value, *, source, user, reason="") -> None:
    """``value`` written through the service, as a form (``source``) or an import does."""
    write_values(
        entries=[ValueEntry(project.pk, indicator.pk, round.pk, Decimal(value))],
        rounds={round.pk: round},
        source=source,
        user=user,
        reason=reason,
    )


def conflicts(response, saying: str) -> list[tuple[str, str, str]]:
    """The editor answered with the conflict (409, ``saying`` so): each field both changed, as
    ``(label, yours, saved)``."""
    assert response.status_code == 409
    assert saying in response.content.decode()
    return [(c.label, c.yours_display, c.current_display) for c in response.context["conflicts"]]


def report_everything(project, round, value="5", stage=3):
    """Values for every indicator of the project in the round, and its anchoring stage."""
    for item in indicators_of(project):
        measure(project, item, round, value)
    AnchoringAssessment.objects.create(local_project=project, round=round, stage=stage)


def publish(project) -> None:
    ProgressPage.objects.update_or_create(
        local_project=project, defaults={"published_at": timezone.now()}
    )


def leader_of(project, username: str):
    user = UserFactory(username=username)
    participation(user, project, role=ParticipantRole.LEADER, is_project_leader=True)
    return user


def drawn_charts(monkeypatch) -> list:
    """The indicator ids of the charts drawn from now on (each time one is drawn)."""
    calls = []
    draw = drawings._draw_indicator

    def counted(facts, stylesheet):
        calls.append(facts.indicator_id)
        return draw(facts, stylesheet)

    monkeypatch.setattr(drawings, "_draw_indicator", counted)
    return calls
