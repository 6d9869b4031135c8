from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .forms import CountyFilterForm
from .models import County, LocalProject, Municipality
from .sections import project_sections


def municipality_list(request):
    participating = Municipality.objects.filter(local_projects__isnull=False).distinct()
    counties = County.objects.filter(municipalities__in=participating).distinct()
    form = CountyFilterForm(request.GET or None, counties=counties)
    municipalities = participating.select_related("county").prefetch_related(
        Prefetch(
            "local_projects",
            queryset=LocalProject.objects.select_related("network__theme").order_by("name"),
        )
    )
    county = None
    if form.is_valid():
        county = form.cleaned_data["fylke"]
        if county:
            municipalities = municipalities.filter(county=county)
    return render(
        request,
        "municipalities/municipality_list.html",
        {
            "form": form,
            "municipalities": municipalities.order_by("name", "number"),
            "county": county,
        },
    )


def municipality_detail(request, number):
    if not (len(number) == 4 and number.isdigit()):
        raise Http404
    municipality = get_object_or_404(Municipality.objects.select_related("county"), number=number)
    projects = municipality.local_projects.select_related(
        "network__theme", "network__facilitator"
    ).prefetch_related("municipalities")
    return render(
        request,
        "municipalities/municipality_detail.html",
        {"municipality": municipality, "projects": projects},
    )


def project_detail(request, slug):
    project = get_object_or_404(
        LocalProject.objects.select_related(
            "network__theme", "network__facilitator__organisation", "network__programme"
        ).prefetch_related("municipalities__county"),
        slug=slug,
    )
    participants = project.participants.select_related("municipality").order_by(
        "-is_project_leader", "role", "name"
    )
    return render(
        request,
        "municipalities/project_detail.html",
        {
            "project": project,
            "participants": participants,
            "show_contact_data": request.user.has_perm("municipalities.view_contact_data", project),
            "sections": project_sections.render(project=project, request=request),
        },
    )
