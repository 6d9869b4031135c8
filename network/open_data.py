"""The network app's part of the open-data export (``manage.py export_programme``)."""

from .models import Programme


def contribute(data: dict, *, programme: Programme, include_drafts: bool) -> None:
    data["programme"] = {
        "name": programme.name,
        "slug": programme.slug,
        "start_year": programme.start_year,
        "end_year": programme.end_year,
    }
    data["themes"] = [{"name": t.name, "slug": t.slug} for t in programme.themes.all()]
    data["networks"] = [
        {
            "name": network.name,
            "slug": network.slug,
            "theme": network.theme.name,
            "region": network.region,
            "url": network.get_absolute_url(),
            "facilitator": network.facilitator
            and {
                "name": network.facilitator.name,
                "title": network.facilitator.title,
                "organisation": str(network.facilitator.organisation or ""),
                "department": network.facilitator.department,
            },
        }
        for network in programme.networks.select_related(
            "theme", "facilitator__organisation"
        ).order_by("theme__position", "name")
    ]
