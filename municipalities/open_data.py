"""The municipalities app's part of the open-data export and import: municipalities and
local projects."""

from django.db.models import Prefetch

from network.models import Programme
from network.open_data import ProgrammeImport

from .models import County, LocalProject, Municipality


def _project_data(project: LocalProject) -> dict:
    return {
        "name": project.name,
        "slug": project.slug,
        "url": project.get_absolute_url(),
        "municipalities": [m.number for m in project.municipalities.all()],
    }


def contribute(
    data: dict, *, programme: Programme, include_drafts: bool, translations: bool = False
) -> None:
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
        by_network.setdefault(project.network.slug, []).append(_project_data(project))
    for network in data["networks"]:
        network["projects"] = by_network.get(network["slug"], [])
    data["municipalities"] = [
        {"number": m.number, "name": m.name, "county": m.county.name}
        for m in Municipality.objects.filter(local_projects__network__programme=programme)
        .select_related("county")
        .distinct()
        .order_by("number")
    ]


def absorb(data: dict, *, state: ProgrammeImport) -> None:
    for given in data["municipalities"]:
        number = str(given["number"])
        county = County.objects.filter(number=number[:2]).first()
        if county is None:
            county = state.create(County(number=number[:2], name=given["county"]))
        else:
            state.compare(county, county.number, {"name": (given["county"], county.name)})
        municipality = Municipality.objects.filter(number=number).first()
        if municipality is None:
            state.create(Municipality(number=number, name=given["name"], county=county))
        else:
            state.compare(
                municipality, municipality.number, {"name": (given["name"], municipality.name)}
            )

    for network_data in data["networks"]:
        network = state.networks.get(network_data["slug"])
        for given in network_data["projects"]:
            numbers = sorted(str(number) for number in given["municipalities"])
            project = (
                LocalProject.objects.select_related("network")
                .prefetch_related("municipalities")
                .filter(slug=given["slug"])
                .first()
            )
            if project is None:
                if network is None:
                    continue  # the network's own conflict is already named
                project = state.create(
                    LocalProject(network=network, name=given["name"], slug=given["slug"])
                )
                project.municipalities.set(Municipality.objects.filter(number__in=numbers))
                continue
            state.compare(
                project,
                project.slug,
                {
                    "network": (network_data["slug"], project.network.slug),
                    "name": (given["name"], project.name),
                    "municipalities": (
                        numbers,
                        sorted(m.number for m in project.municipalities.all()),
                    ),
                },
            )
