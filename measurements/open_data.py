"""The measurements app's part of the open-data export: each theme's indicator catalogue and
the programme's measurement rounds. No project's values are exported here."""

from network.models import Programme

from .models import Indicator, MeasurementRound


def contribute(data: dict, *, programme: Programme, include_drafts: bool) -> None:
    by_theme: dict[str, list] = {}
    for indicator in (
        Indicator.objects.catalogue()
        .filter(theme__programme=programme)
        .select_related("theme")
        .order_by("theme__position", "position", "name")
    ):
        by_theme.setdefault(indicator.theme.slug, []).append(
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "definition": indicator.definition,
                "source": indicator.source,
                "is_example": indicator.is_example,
            }
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
