"""What the municipalities app adds to the network app's pages (see ``network.sections``)."""

from django.db.models import Count

from network.sections import Section, SectionRegistry

from .models import LocalProject

#: Sections of a local project's page contributed by the apps that depend on this one
#: (gatherings: tasks before the next gathering; measurements: progress); called with
#: ``project`` and ``request``.
project_sections = SectionRegistry("project")


def annotate_local_project_counts(networks) -> None:
    counts = dict(
        LocalProject.objects.filter(network__in=[n.pk for n in networks])
        .values("network")
        .annotate(n=Count("pk"))
        .values_list("network", "n")
    )
    for network in networks:
        network.local_project_count = counts.get(network.pk, 0)


def network_projects(*, network, request):
    projects = network.local_projects.prefetch_related("municipalities__county").order_by("name")
    return {"projects": projects}


network_projects_section = Section(
    key="local_projects",
    template="municipalities/sections/network_projects.html",
    get_context=network_projects,
    order=10,
)
