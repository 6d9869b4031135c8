"""Participants of a local project: add, edit, remove, and import a list from CSV or XLSX."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.editing import EditConflict, conflict_page, field_conflicts, rebind_for_merge
from core.files import content_disposition
from core.tokens import random_token

from .. import services
from ..forms import (
    ParticipantEditForm,
    ParticipantForm,
    ParticipantImportConfirmForm,
    ParticipantImportForm,
)
from ..lookups import project_for
from ..models import Participant
from ..participant_import import (
    MAX_IMPORT_ROWS,
    ROLE_WORDS,
    TEMPLATE_HEADERS,
    ImportRow,
    read_participant_file,
    template_csv,
    template_xlsx,
)
from .common import Deletion, project_breadcrumbs

#: Session key of the checked rows between the import's preview and its confirmation, per
#: project: ``{str(project.pk): {"token": ..., "filename": ..., "rows": [...]}}``.
IMPORT_SESSION_KEY = "participant_imports"


def _form_kwargs(request, project) -> dict:
    return {
        "project": project,
        "can_set_leader": request.user.has_perm("municipalities.set_project_leader", project),
    }


def _values(form, project) -> dict:
    values = {
        key: value
        for key, value in form.cleaned_data.items()
        if key not in {"loaded_version", "add_anyway"}
    }
    if "municipality" not in form.fields:
        values["municipality"] = project.municipalities.first()
    return values


def _participants_url(project) -> str:
    return f"{project.get_absolute_url()}#deltakere"


@login_required
def participant_create(request, slug):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    data = request.POST if request.method == "POST" else None
    form = ParticipantForm(data, **_form_kwargs(request, project))
    if data is not None and form.is_valid():
        participant = services.create_participant(project=project, values=_values(form, project))
        messages.success(request, _("%(name)s is added.") % {"name": participant.name})
        return redirect(participant.get_absolute_url())
    return render(
        request,
        "municipalities/participant_form.html",
        {
            "project": project,
            "form": form,
            "title": _("Add a participant"),
            "breadcrumbs": project_breadcrumbs(project, {"label": _("Add a participant")}),
        },
    )


def _deleted_meanwhile(request, project, kwargs, context):
    """Someone removed the participant while this editor worked: offer to add them again."""
    context["action"] = reverse("municipalities:participant_create", args=[project.slug])
    context["form"] = ParticipantForm(request.POST, **kwargs)
    context["title"] = _("Add a participant")
    return conflict_page(
        request, template="municipalities/participant_form.html", context=context, deleted=True
    )


@login_required
def participant_update(request, slug, pk):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    participant = project.participants.select_related("municipality").filter(pk=pk).first()
    kwargs = _form_kwargs(request, project)
    context = {
        "project": project,
        "participant": participant,
        "title": _("Edit participant"),
        "breadcrumbs": project_breadcrumbs(project, {"label": _("Edit participant")}),
    }
    if participant is None:
        if request.method != "POST" or Participant.objects.filter(pk=pk).exists():
            raise Http404
        return _deleted_meanwhile(request, project, kwargs, context)
    if request.method == "POST":
        form = ParticipantEditForm(request.POST, instance=participant, **kwargs)
        if form.is_valid():
            try:
                services.update_participant(
                    participant=participant,
                    values=_values(form, project),
                    loaded_version=form.cleaned_data["loaded_version"],
                )
            except EditConflict as conflict:
                if conflict.deleted:
                    return _deleted_meanwhile(request, project, kwargs, context)
                conflicts = field_conflicts(form, conflict.current)
                context["form"] = rebind_for_merge(
                    ParticipantEditForm, data=request.POST, current=conflict.current, **kwargs
                )
                return conflict_page(
                    request,
                    template="municipalities/participant_form.html",
                    context=context,
                    conflicts=conflicts,
                )
            else:
                messages.success(request, _("%(name)s is saved.") % {"name": participant.name})
                return redirect(participant.get_absolute_url())
    else:
        form = ParticipantEditForm(instance=participant, **kwargs)
    context["form"] = form
    return render(request, "municipalities/participant_form.html", context)


REMOVE_PARTICIPANT = Deletion(
    title=gettext_lazy("Remove %(name)s?"),
    message=gettext_lazy(
        "%(name)s is removed from the participants of %(project)s. This cannot be undone."
    ),
    button=gettext_lazy("Remove participant"),
    done=gettext_lazy("%(name)s is removed."),
)


@login_required
def participant_delete(request, slug, pk):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    participant = get_object_or_404(project.participants, pk=pk)
    if participant.is_project_leader and not request.user.has_perm(
        "municipalities.set_project_leader", project
    ):
        raise PermissionDenied
    return REMOVE_PARTICIPANT.confirm(
        request,
        participant,
        delete=lambda: services.remove_participant(participant=participant),
        after=_participants_url(project),
    )


def _stored_import(request, project) -> dict | None:
    return request.session.get(IMPORT_SESSION_KEY, {}).get(str(project.pk))


def _store_import(request, project, value: dict | None) -> None:
    imports = request.session.get(IMPORT_SESSION_KEY, {})
    if value is None:
        imports.pop(str(project.pk), None)
    else:
        imports[str(project.pk)] = value
    request.session[IMPORT_SESSION_KEY] = imports


@login_required
def participant_import(request, slug):
    """Upload → preview with row-level errors → confirm. The checked rows wait in the session
    under a random token; the confirming form sends only the token, never the rows."""
    project = project_for(request, slug, perm="municipalities.change_localproject")
    context = {
        "project": project,
        "headers": TEMPLATE_HEADERS,
        "roles": list(ROLE_WORDS.values()),
        "max_rows": MAX_IMPORT_ROWS,
        "municipalities": [
            f"{municipality.number} {municipality.name}"
            for municipality in project.municipalities.order_by("number")
        ],
        "breadcrumbs": project_breadcrumbs(project, {"label": _("Import participants")}),
    }
    form = ParticipantImportForm()
    if request.method == "POST" and "token" in request.POST:
        confirm = ParticipantImportConfirmForm(request.POST)
        stored = _stored_import(request, project)
        token_matches = (
            confirm.is_valid() and stored and stored["token"] == confirm.cleaned_data["token"]
        )
        if token_matches and stored.get("imported"):
            messages.info(request, _("This list was imported already; nothing was written again."))
            return redirect(_participants_url(project))
        if not token_matches:
            messages.error(
                request, _("This preview is no longer available. Upload the file again.")
            )
            return redirect("municipalities:participant_import", project.slug)
        rows = [ImportRow(**row) for row in stored["rows"]]
        try:
            created = services.import_participants(
                project=project, rows=[row for row in rows if not row.existing]
            )
        except services.ImportRejected as rejected:
            _store_import(request, project, None)
            context["errors"] = rejected.errors
            context["rejected"] = True
        else:
            # Only the used token is kept, so that sending it again says «imported already».
            _store_import(
                request,
                project,
                {"token": stored["token"], "filename": stored["filename"], "imported": True},
            )
            skipped = len(rows) - len(created)
            done = ngettext(
                "Imported: %(count)d participant is added from %(file)s.",
                "Imported: %(count)d participants are added from %(file)s.",
                len(created),
            ) % {"count": len(created), "file": stored["filename"]}
            if skipped:
                done += " " + ngettext(
                    "%(count)d was registered already and is skipped.",
                    "%(count)d were registered already and are skipped.",
                    skipped,
                ) % {"count": skipped}
            messages.success(request, done)
            return redirect(_participants_url(project))
    elif request.method == "POST":
        form = ParticipantImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            preview = read_participant_file(upload, project=project)
            context["preview"] = preview
            context["errors"] = preview.errors
            context["filename"] = upload.name
            if preview.is_valid:
                token = random_token(24)
                _store_import(
                    request,
                    project,
                    {
                        "token": token,
                        "filename": upload.name,
                        "rows": [row.as_session_data() for row in preview.rows],
                    },
                )
                context["confirm_form"] = ParticipantImportConfirmForm(initial={"token": token})
                form = None
            else:
                _store_import(request, project, None)
    context["form"] = form
    return render(request, "municipalities/participant_import.html", context)


@login_required
def participant_import_template(request, slug, fmt):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    if fmt == "csv":
        body, content_type = template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = template_xlsx(project)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        "attachment", f"deltakere-{project.slug}.{fmt}"
    )
    return response
