"""Municipalities and local projects: the lists and the project page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from core.reversing import reverser
from network.models import Programme

from .. import selectors
from ..cached_pages import project_rows
from ..forms import CountyFilterForm
from ..lookups import project_for
from ..models import County, Municipality
from ..page_blocks import project_blocks

#: Rows of /kommuner/ per page: about 430 municipalities take part at national scale.
MUNICIPALITIES_PER_PAGE = 50


def municipality_list(request):
    participating = Municipality.objects.filter(local_projects__isnull=False).distinct()
    counties = County.objects.filter(municipalities__in=participating).distinct()
    programmes = Programme.objects.filter(networks__local_projects__isnull=False).distinct()
    form = CountyFilterForm(request.GET or None, counties=counties, programmes=programmes)
    county = programme = None
    if form.is_valid():
        county = form.cleaned_data["fylke"]
        programme = form.cleaned_data["program"]
    listed = selectors.participating_municipalities(county=county, programme=programme)
    page_obj = Paginator(listed, MUNICIPALITIES_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "municipalities/municipality_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "municipalities": selectors.municipality_rows(page_obj.object_list),
            "county": county,
            "programme": programme,
            "filter_query": params.urlencode(),
        },
    )


def municipality_detail(request, number):
    """A municipality over time: its names and numbers, the changes before and after it (with
    links to predecessors and successors) and the local projects of all of them, per round."""
    if not (len(number) == 4 and number.isdigit()):
        raise Http404
    municipality = selectors.municipality_by_number(number)
    if municipality is None:
        raise Http404
    history = selectors.municipality_history(municipality)
    return render(
        request,
        "municipalities/municipality_detail.html",
        {"municipality": municipality, "history": history, "projects": history.projects},
    )


@project_rows.keyed_by("slug")
def project_detail(request, slug):
    project = project_for(request, slug, perm=None, queryset=selectors.project_with_page)
    project.network.shares_name = project.network_shares_name
    page = selectors.page_of(project)
    can_edit = request.user.has_perm("municipalities.change_localproject", project)
    sees_drafts = can_edit or request.user.has_perm("municipalities.view_project_drafts", project)
    page_is_public = page is not None and page.is_published
    stories, page_documents = selectors.project_stories(project, include_drafts=sees_drafts)
    municipalities = selectors.project_municipalities(project)
    show_contact_data = request.user.has_perm("municipalities.view_contact_data", project)
    # Outside the network: names only on a published page, of those who agreed (selector).
    public_only = not (show_contact_data or sees_drafts)
    return render(
        request,
        "municipalities/project_detail.html",
        {
            "project": project,
            "municipalities": municipalities,
            "page": page,
            "published": page.published_version if page_is_public else None,
            "participants": _with_edit_links(
                selectors.project_participants(
                    project, public_only=public_only, published=page_is_public
                ),
                project,
                can_edit,
            ),
            "participants_public_only": public_only,
            "show_contact_data": show_contact_data,
            "can_edit": can_edit,
            "sees_drafts": sees_drafts,
            "can_set_leader": request.user.has_perm("municipalities.set_project_leader", project),
            "can_view_final_report": request.user.has_perm(
                "municipalities.view_final_report", project
            ),
            "stories": stories,
            "attachments": page_documents if page_is_public or sees_drafts else [],
            "blocks": project_blocks.render(project=project, request=request),
        },
    )


def _with_edit_links(participants, project, can_edit: bool) -> list:
    """The participants, each with the addresses of its edit and remove links for one who
    may edit (``edit_url``, ``remove_url``: one reverse each for the whole table)."""
    participants = list(participants)
    if can_edit:
        edit_url = reverser("municipalities:participant_update", project.slug)
        remove_url = reverser("municipalities:participant_delete", project.slug)
        for participant in participants:
            participant.edit_url = edit_url(participant.pk)
            participant.remove_url = remove_url(participant.pk)
    return participants
