"""Documents: speakers' materials on agenda items, and the library «Litteratur, verktøy og
rapporter» for the programme and each network. Files are served only through these views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import file_response
from network.models import Network, Programme
from network.selectors import note_programme

from .. import services
from ..forms import MaterialForm, ResourceForm
from ..models import AgendaItem, Material, Resource
from .common import gathering_or_404


def _file_response(stored):
    try:
        return file_response(
            stored.file,
            content_type=stored.content_type or "application/octet-stream",
            filename=stored.original_name or stored.file.name,
            inline=False,
        )
    except FileNotFoundError as error:
        raise Http404("The file is missing.") from error


def material_download(request, pk, material_pk):
    """A material of a programme the user may see: public once the programme is published."""
    gathering = gathering_or_404(request, pk)
    material = get_object_or_404(Material, agenda_item__gathering=gathering, pk=material_pk)
    return _file_response(material)


@login_required
def item_materials(request, pk, item_pk):
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    item = get_object_or_404(AgendaItem, gathering=gathering, pk=item_pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.add_material(
            item=item,
            title=form.cleaned_data["title"],
            uploaded=form.cleaned_data["file"],
            checked=form.checked,
            user=request.user,
        )
        messages.success(request, _("The document is added."))
        return redirect("gatherings:item_materials", gathering.pk, item.pk)
    return render(
        request,
        "gatherings/item_materials.html",
        {
            "gathering": gathering,
            "item": item,
            "materials": list(item.materials.order_by("uploaded_at", "pk")),
            "form": form,
        },
    )


@login_required
@require_POST
def material_delete(request, pk, material_pk):
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    material = get_object_or_404(Material, agenda_item__gathering=gathering, pk=material_pk)
    item_pk = material.agenda_item_id
    services.delete_material(material=material)
    messages.success(request, _("«%(title)s» is deleted.") % {"title": material.title})
    return redirect("gatherings:item_materials", gathering.pk, item_pk)


# --- The resource library ---------------------------------------------------------------------


def _library(request, *, programme, network=None):
    note_programme(request, programme)
    resources = (
        Resource.objects.filter(programme=programme, network=network)
        .select_related("theme")
        .order_by("theme__position", "theme__name", "kind", "title", "pk")
    )
    if network is None:
        can_change = request.user.has_perm("gatherings.change_programme_resources", programme)
    else:
        can_change = request.user.has_perm("gatherings.change_network_resources", network)
    return render(
        request,
        "gatherings/resources.html",
        {
            "programme": programme,
            "network": network,
            "resources": list(resources),
            "can_change": can_change,
        },
    )


def programme_resources(request, slug):
    return _library(request, programme=get_object_or_404(Programme, slug=slug))


def network_resources(request, slug):
    network = get_object_or_404(Network.objects.select_related("programme"), slug=slug)
    return _library(request, programme=network.programme, network=network)


def _resource_form_page(request, *, resource, programme, network):
    note_programme(request, programme)
    themes = None if network else programme.themes.order_by("position", "name")
    form = ResourceForm(
        request.POST or None, request.FILES or None, instance=resource, themes=themes
    )
    if request.method == "POST" and form.is_valid():
        resource = form.instance
        if network is not None:
            resource.theme = network.theme
        services.save_resource(
            resource=resource,
            uploaded=form.cleaned_data.get("upload"),
            checked=form.checked,
            user=request.user,
        )
        messages.success(request, _("«%(title)s» is saved.") % {"title": resource.title})
        return redirect(resource.get_absolute_url())
    return render(
        request,
        "gatherings/resource_form.html",
        {"form": form, "resource": resource, "programme": programme, "network": network},
    )


def _check_resource_perm(request, programme, network) -> None:
    if network is not None:
        allowed = request.user.has_perm("gatherings.change_network_resources", network)
    else:
        allowed = request.user.has_perm("gatherings.change_programme_resources", programme)
    if not allowed:
        raise PermissionDenied


@login_required
def programme_resource_create(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    _check_resource_perm(request, programme, None)
    return _resource_form_page(
        request, resource=Resource(programme=programme), programme=programme, network=None
    )


@login_required
def network_resource_create(request, slug):
    network = get_object_or_404(Network.objects.select_related("programme", "theme"), slug=slug)
    _check_resource_perm(request, network.programme, network)
    return _resource_form_page(
        request,
        resource=Resource(programme=network.programme, network=network),
        programme=network.programme,
        network=network,
    )


def _resource_or_404(pk) -> Resource:
    return get_object_or_404(
        Resource.objects.select_related("programme", "network__theme", "theme"), pk=pk
    )


@login_required
def resource_edit(request, pk):
    resource = _resource_or_404(pk)
    _check_resource_perm(request, resource.programme, resource.network)
    return _resource_form_page(
        request, resource=resource, programme=resource.programme, network=resource.network
    )


@login_required
def resource_delete(request, pk):
    resource = _resource_or_404(pk)
    _check_resource_perm(request, resource.programme, resource.network)
    if request.method == "POST":
        url = resource.get_absolute_url()
        services.delete_resource(resource=resource)
        messages.success(request, _("«%(title)s» is deleted.") % {"title": resource.title})
        return redirect(url)
    return render(request, "gatherings/resource_confirm_delete.html", {"resource": resource})


def resource_download(request, pk):
    """Library documents are public, like the library."""
    resource = get_object_or_404(Resource, pk=pk)
    if not resource.file:
        raise Http404
    return _file_response(resource)
