"""The measurements app's part of the national data set (see ``network.seed.national_dataset``).

Per synthetic programme: four measurement rounds (baseline, two midway, end — all closed, on
fixed dates) and a catalogue of four indicators per theme. Per local project: eight indicators
of its own (twelve in all), a value of each in each round with its history row, a goal for
each, its anchoring stage in each round, a report per round, and published results for four
projects of five.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from municipalities.models import LocalProject, Participant
from network.models import Programme, Theme
from network.seed.national_dataset import Plan, at, synthetic_programmes

from ..models import (
    AnchoringAssessment,
    Direction,
    Goal,
    Indicator,
    Measurement,
    MeasurementRound,
    MeasurementSource,
    ProgressPage,
    RoundKind,
    RoundReport,
    Unit,
)
from .programme_2012 import CATALOGUE

BATCH = 1000

#: Extra catalogue entries so that every theme has four.
EXTRA_CATALOGUE = [
    ("Turnover blant ansatte", Unit.PERCENT, Direction.LOWER_IS_BETTER),
    ("Andel ledere med lederopplæring", Unit.PERCENT, Direction.HIGHER_IS_BETTER),
    ("Antall lærlinger", Unit.COUNT, Direction.HIGHER_IS_BETTER),
]
OWN_INDICATORS = [
    ("Fravær i pilotenheten", Unit.PERCENT, Direction.LOWER_IS_BETTER),
    ("Deltakelse på dialogmøter", Unit.COUNT, Direction.HIGHER_IS_BETTER),
    ("Andel uønsket deltid", Unit.PERCENT, Direction.LOWER_IS_BETTER),
    ("Trivsel i enhetene", Unit.SCORE, Direction.HIGHER_IS_BETTER),
    ("Søkere til ledige stillinger", Unit.COUNT, Direction.HIGHER_IS_BETTER),
    ("Kostnad til vikarer", Unit.NOK, Direction.LOWER_IS_BETTER),
    ("Medarbeidersamtaler gjennomført", Unit.PERCENT, Direction.HIGHER_IS_BETTER),
    ("Oppslag i lokalpressen", Unit.COUNT, Direction.HIGHER_IS_BETTER),
    ("Andel ansatte med fagbrev", Unit.PERCENT, Direction.HIGHER_IS_BETTER),
    ("Gjennomsnittlig stillingsandel i pilot", Unit.PERCENT, Direction.HIGHER_IS_BETTER),
]
#: (slug, name, kind, months after the programme's start it opens, months it stays open)
ROUNDS = [
    ("nullpunkt", "Nullpunkt", RoundKind.BASELINE, 1, 3),
    ("midtveis-1", "Midtveis 1", RoundKind.OTHER, 7, 2),
    ("midtveis-2", "Midtveis 2", RoundKind.OTHER, 13, 2),
    ("sluttmaling", "Sluttmåling", RoundKind.END, 20, 2),
]
#: A plausible starting value by unit.
BASE_VALUES = {
    Unit.PERCENT: (5, 60),
    Unit.COUNT: (3, 40),
    Unit.SCORE: (3, 5),
    Unit.NOK: (100_000, 900_000),
    Unit.RATIO: (1, 8),
    Unit.OTHER: (1, 100),
}


def _month(year: int, months: int, day: int) -> date:
    return date(year + months // 12, months % 12 + 1, day)


def generate(plan: Plan) -> None:
    rng = plan.rng("measurements")
    for programme in synthetic_programmes():
        rounds = _rounds(programme, plan)
        catalogue = _catalogue(programme)
        projects = list(
            LocalProject.objects.filter(network__programme=programme)
            .select_related("network")
            .order_by("slug")
        )
        own = _own_indicators(projects, plan)
        leaders = dict(
            Participant.objects.filter(local_project__in=projects, is_project_leader=True)
            .order_by("local_project_id", "-pk")
            .values_list("local_project_id", "user_id")
        )
        _values(rng, programme, projects, rounds, catalogue, own, leaders)


def _rounds(programme: Programme, plan: Plan) -> list[MeasurementRound]:
    chosen = ROUNDS[: plan.rounds_per_programme]
    return MeasurementRound.objects.bulk_create(
        MeasurementRound(
            programme=programme,
            slug=slug,
            name=name,
            kind=kind,
            opens_on=_month(programme.start_year, opens, 1),
            closes_on=_month(programme.start_year, opens + length, 1),
            position=position,
        )
        for position, (slug, name, kind, opens, length) in enumerate(chosen, start=1)
    )


def _catalogue(programme: Programme) -> dict[int, list[Indicator]]:
    """theme id → its four catalogue indicators."""
    indicators = []
    for theme in Theme.objects.filter(programme=programme).order_by("position"):
        entries = [(name, unit, direction) for name, unit, direction, *_r in CATALOGUE[theme.slug]]
        for extra in EXTRA_CATALOGUE:
            if len(entries) < 4:
                entries.append(extra)
        indicators += _indicators(
            entries,
            definition="{name}, målt på samme måte i hver måling.",
            source="Kommunens egne tall",
            theme=theme,
        )
    return _created(indicators, "theme_id")


def _own_indicators(projects: list[LocalProject], plan: Plan) -> dict[int, list[Indicator]]:
    count = max(0, plan.indicators_per_project - 4)
    indicators = []
    for project in projects:
        indicators += _indicators(
            OWN_INDICATORS[:count],
            definition="{name} i prosjektets målgruppe.",
            source="Prosjektets egne registreringer",
            local_project=project,
        )
    return _created(indicators, "local_project_id", batch_size=BATCH)


def _indicators(entries, *, definition: str, source: str, **owner) -> list[Indicator]:
    """An indicator of ``owner`` (its theme or project) for each ``(name, unit, direction)``
    of ``entries``, in their order; ``definition`` names it as ``{name}``."""
    return [
        Indicator(
            **owner,
            name=name,
            unit=unit,
            direction=direction,
            definition=definition.format(name=name),
            source=source,
            position=position,
        )
        for position, (name, unit, direction) in enumerate(entries, start=1)
    ]


def _created(indicators: list[Indicator], owner: str, **options) -> dict[int, list[Indicator]]:
    """``indicators`` created in bulk, by the id of their owner (``owner``: its field)."""
    Indicator.objects.bulk_create(indicators, **options)
    by_owner: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        by_owner.setdefault(getattr(indicator, owner), []).append(indicator)
    return by_owner


def _values(
    rng: random.Random,
    programme: Programme,
    projects: list[LocalProject],
    rounds: list[MeasurementRound],
    catalogue: dict[int, list[Indicator]],
    own: dict[int, list[Indicator]],
    leaders: dict[int, int],
) -> None:
    measurements, goals, anchoring, reports, pages = [], [], [], [], []
    end = date(programme.end_year, 12, 31)
    for index, project in enumerate(projects):
        leader = leaders.get(project.pk)
        indicators = catalogue[project.network.theme_id] + own.get(project.pk, [])
        for indicator in indicators:
            low, high = BASE_VALUES[indicator.unit]
            value = rng.uniform(low, high)
            sign = 1 if indicator.direction == Direction.HIGHER_IS_BETTER else -1
            for round_ in rounds:
                measurements.append(
                    Measurement(
                        local_project=project,
                        indicator=indicator,
                        round=round_,
                        value=Decimal(f"{value:.1f}"),
                        source=MeasurementSource.FORM,
                        reported_by_id=leader,
                    )
                )
                value = max(0.0, value * (1 + sign * rng.uniform(-0.04, 0.1)))
            goals.append(
                Goal(
                    local_project=project,
                    indicator=indicator,
                    target_value=Decimal(f"{value * (1 + sign * 0.05):.1f}"),
                    target_date=end,
                )
            )
        stage = rng.randint(1, 3)
        for round_ in rounds:
            anchoring.append(
                AnchoringAssessment(
                    local_project=project,
                    round=round_,
                    stage=stage,
                    note="Vurdert av styringsgruppen.",
                )
            )
            reports.append(
                RoundReport(
                    local_project=project,
                    round=round_,
                    submitted_by_id=leader,
                    submitted_at=at(round_.closes_on.year, round_.closes_on.month, 1),
                )
            )
            stage = min(7, stage + rng.randint(0, 2))
        if index % 5 != 4:
            pages.append(
                ProgressPage(
                    local_project=project,
                    published_at=at(programme.end_year, 6, 1),
                    published_by_id=leader,
                )
            )
    Measurement.objects.bulk_create(measurements, batch_size=BATCH)
    for round_ in rounds:
        reported = at(round_.closes_on.year, round_.closes_on.month, 1)
        Measurement.objects.filter(round=round_).update(reported_at=reported)
    history_date = at(programme.end_year, 6, 1)
    Measurement.history.bulk_history_create(
        measurements, batch_size=BATCH, default_date=history_date
    )
    AnchoringAssessment.objects.bulk_create(anchoring, batch_size=BATCH)
    AnchoringAssessment.history.bulk_history_create(
        anchoring, batch_size=BATCH, default_date=history_date
    )
    Goal.objects.bulk_create(goals, batch_size=BATCH)
    RoundReport.objects.bulk_create(reports, batch_size=BATCH)
    ProgressPage.objects.bulk_create(pages, batch_size=BATCH)


def delete(programmes: list[Programme]) -> None:
    projects = LocalProject.objects.filter(network__programme__in=programmes)
    rounds = MeasurementRound.objects.filter(programme__in=programmes)
    Measurement.objects.filter(round__in=rounds).delete()
    AnchoringAssessment.objects.filter(round__in=rounds).delete()
    # After the rows: deleting them adds a history row each, removed here with the rest.
    Measurement.history.filter(round_id__in=rounds.values("pk")).delete()
    AnchoringAssessment.history.filter(round_id__in=rounds.values("pk")).delete()
    Goal.objects.filter(local_project__in=projects).delete()
    RoundReport.objects.filter(round__in=rounds).delete()
    ProgressPage.objects.filter(local_project__in=projects).delete()
    Indicator.objects.filter(local_project__in=projects).delete()
    Indicator.objects.filter(theme__programme__in=programmes).delete()
    rounds.delete()
