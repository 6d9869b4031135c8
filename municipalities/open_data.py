"""The municipalities app's part of the open-data export: municipalities and local projects."""

from django.db.models import Prefetch

from network.models import Programme

from .models import LocalProject, Municipality


def contribute(data: dict, *, programme: Programme, include_drafts: bool) -> None:
    projects = (
        LocalProject.objects.filter(network__programme=programme)
        .select_related("network")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("number"))
        )
        .order_by("name")
    )
    by_network: dict[str, list] = {}
    for project in projects:
        by_network.setdefault(project.network.slug, []).append(
            {
                "name": project.name,
                "slug": project.slug,
                "url": project.get_absolute_url(),
                "municipalities": [m.number for m in project.municipalities.all()],
            }
        )
    for network in data["networks"]:
        network["projects"] = by_network.get(network["slug"], [])
    data["municipalities"] = [
        {"number": m.number, "name": m.name, "county": m.county.name}
        for m in Municipality.objects.filter(local_projects__network__programme=programme)
        .select_related("county")
        .distinct()
        .order_by("number")
    ]
