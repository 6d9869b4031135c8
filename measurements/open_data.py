"""The measurements app's part of the open-data export: each theme's indicator catalogue and
the programme's measurement rounds. No project's values are exported here."""

from datetime import date

from network.models import Programme
from network.open_data import ProgrammeImport

from .models import Indicator, MeasurementRound

_INDICATOR_FIELDS = ("unit", "direction", "definition", "source", "is_example")


def contribute(
    data: dict, *, programme: Programme, include_drafts: bool, translations: bool = False
) -> None:
    by_theme: dict[str, list] = {}
    for indicator in (
        Indicator.objects.catalogue()
        .filter(theme__programme=programme)
        .select_related("theme")
        .order_by("theme__position", "position", "name")
    ):
        by_theme.setdefault(indicator.theme.slug, []).append(
            {"name": indicator.name}
            | {name: getattr(indicator, name) for name in _INDICATOR_FIELDS}
        )
    for theme in data["themes"]:
        theme["indicators"] = by_theme.get(theme["slug"], [])
    data["measurement_rounds"] = [
        {
            "name": r.name,
            "slug": r.slug,
            "kind": r.kind,
            "opens_on": r.opens_on.isoformat(),
            "closes_on": r.closes_on.isoformat(),
        }
        for r in MeasurementRound.objects.filter(programme=programme).order_by("position")
    ]


def absorb(data: dict, *, state: ProgrammeImport) -> None:
    for theme_data in data["themes"]:
        theme = state.themes[theme_data["slug"]]
        stored = {i.name: i for i in Indicator.objects.catalogue().filter(theme=theme)}
        for position, given in enumerate(theme_data["indicators"], start=1):
            indicator = stored.get(given["name"])
            if indicator is None:
                state.create(
                    Indicator(
                        theme=theme,
                        name=given["name"],
                        position=position,
                        **{name: given[name] for name in _INDICATOR_FIELDS},
                    )
                )
            else:
                state.compare(
                    indicator,
                    f"{theme.slug} {indicator.name}",
                    {name: (given[name], getattr(indicator, name)) for name in _INDICATOR_FIELDS},
                )

    stored_rounds = {r.slug: r for r in MeasurementRound.objects.filter(programme=state.programme)}
    for position, given in enumerate(data["measurement_rounds"], start=1):
        found = stored_rounds.get(given["slug"])
        values = {
            "name": given["name"],
            "kind": given["kind"],
            "opens_on": date.fromisoformat(given["opens_on"]),
            "closes_on": date.fromisoformat(given["closes_on"]),
        }
        if found is None:
            state.create(
                MeasurementRound(
                    programme=state.programme, slug=given["slug"], position=position, **values
                )
            )
        else:
            state.compare(
                found,
                found.slug,
                {name: (value, getattr(found, name)) for name, value in values.items()},
            )
