"""«De gode historiene» and the documents of a project: writing, listing and serving them.

Pictures and documents are served only through the views below, which check that the user may
see the page or story they belong to; MEDIA_ROOT itself is never served.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.editing import EditConflict, conflict_page, field_conflicts, rebind_for_merge
from core.files import IMAGE_TYPES, file_response
from network.models import Network
from network.selectors import current_programme, note_programme

from .. import selectors, services
from ..forms import AttachmentForm, StoryEditForm, StoryForm
from ..lookups import project_for
from ..markup import render_markup
from ..models import Attachment, Story
from .common import Deletion, project_breadcrumbs

logger = logging.getLogger(__name__)

STORIES_PER_PAGE = 20


def _stories_url(project) -> str:
    return f"{project.get_absolute_url()}#historier"


def _story_context(project, form, title, **extra) -> dict:
    context = {
        "project": project,
        "form": form,
        "title": title,
        "breadcrumbs": project_breadcrumbs(project, {"label": title}),
        **extra,
    }
    if form.is_bound and form.is_valid() and form.data.get("action") == "preview":
        context["preview"] = True
        context["preview_html"] = render_markup(form.cleaned_data["text"], top_heading=4)
    return context


@login_required
def story_create(request, slug):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = StoryForm(*data)
    if data and form.is_valid() and request.POST.get("action") != "preview":
        story = services.create_story(
            project=project,
            author=request.user,
            title=form.cleaned_data["title"],
            date=form.cleaned_data["date"],
            text=form.cleaned_data["text"],
            is_published=form.cleaned_data["is_published"],
            image=form.cleaned_data.get("new_image"),
            checked_image=form.checked,
            image_alt=form.cleaned_data["image_alt"],
        )
        messages.success(
            request,
            (
                _("The story «%(title)s» is published.")
                if story.is_published
                else _("The story «%(title)s» is saved as a draft.")
            )
            % {"title": story.title},
        )
        return redirect(story.get_absolute_url())
    return render(
        request,
        "municipalities/story_form.html",
        _story_context(project, form, _("Write a story")),
    )


@login_required
def story_update(request, slug, pk):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    story = project.stories.filter(pk=pk).first()
    if story is None:
        if request.method != "POST" or Story.objects.filter(pk=pk).exists():
            raise Http404
        return _deleted_meanwhile(request, project)
    extra = {"story": story}
    if request.method == "POST":
        form = StoryEditForm(request.POST, request.FILES, instance=story)
        if form.is_valid() and request.POST.get("action") != "preview":
            try:
                services.update_story(
                    story=story,
                    loaded_version=form.cleaned_data["loaded_version"],
                    values=form.cleaned_data,
                    image=form.cleaned_data.get("new_image"),
                    checked_image=form.checked,
                    remove_image=form.cleaned_data.get("remove_image", False),
                )
            except EditConflict as conflict:
                if conflict.deleted:
                    return _deleted_meanwhile(request, project)
                # Compared before the merge form is validated: that writes its values into
                # ``conflict.current``.
                conflicts = field_conflicts(form, conflict.current)
                extra["image_dropped"] = bool(form.cleaned_data.get("new_image"))
                extra["story"] = conflict.current
                merge = rebind_for_merge(StoryEditForm, data=request.POST, current=conflict.current)
                return conflict_page(
                    request,
                    template="municipalities/story_form.html",
                    context=_story_context(project, merge, _("Edit story"), **extra),
                    conflicts=conflicts,
                )
            else:
                messages.success(
                    request, _("The story «%(title)s» is saved.") % {"title": story.title}
                )
                return redirect(story.get_absolute_url())
    else:
        form = StoryEditForm(instance=story)
    return render(
        request,
        "municipalities/story_form.html",
        _story_context(project, form, _("Edit story"), **extra),
    )


def _deleted_meanwhile(request, project):
    """Someone deleted the story while this editor wrote: offer to save it as a new story."""
    context = _story_context(project, StoryForm(request.POST), _("Write a story"))
    context["action"] = reverse("municipalities:story_create", args=[project.slug])
    return conflict_page(
        request, template="municipalities/story_form.html", context=context, deleted=True
    )


DELETE_STORY = Deletion(
    title=gettext_lazy("Delete the story «%(title)s»?"),
    message=gettext_lazy(
        "The story, its picture and its documents are deleted. This cannot be undone."
    ),
    button=gettext_lazy("Delete story"),
    done=gettext_lazy("The story «%(title)s» is deleted."),
)


@login_required
def story_delete(request, slug, pk):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    story = get_object_or_404(project.stories, pk=pk)
    return DELETE_STORY.confirm(
        request,
        story,
        delete=lambda: services.delete_story(story=story),
        after=_stories_url(project),
        cancel_url=story.get_absolute_url(),
    )


def story_image(request, slug, pk):
    story = get_object_or_404(
        Story.objects.select_related("local_project__network"), pk=pk, local_project__slug=slug
    )
    visible = story.is_published or request.user.has_perm(
        "municipalities.view_project_drafts", story.local_project
    )
    if not (visible and story.image):
        raise Http404
    try:
        return file_response(
            story.image,
            content_type=IMAGE_TYPES.get(story.image_extension, "application/octet-stream"),
            filename=f"{story.title}.{story.image_extension}",
            inline=True,
        )
    except FileNotFoundError:
        logger.error("Picture of story %s is missing from storage: %s", story.pk, story.image.name)
        raise Http404 from None


# --- Documents --------------------------------------------------------------------------------


@login_required
def attachment_create(request, slug):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = AttachmentForm(*data, project=project)
    initial_story = request.GET.get("historie")
    if not data and initial_story and initial_story.isdigit():
        form = AttachmentForm(project=project, initial={"story": int(initial_story)})
    if data and form.is_valid():
        attachment = services.add_attachment(
            project=project,
            uploaded_by=request.user,
            upload=form.cleaned_data["file"],
            checked=form.checked,
            title=form.cleaned_data["title"],
            story=form.cleaned_data["story"],
        )
        messages.success(request, _("«%(title)s» is uploaded.") % {"title": attachment.title})
        story = attachment.story
        return redirect(
            story.get_absolute_url() if story else f"{project.get_absolute_url()}#dokumenter"
        )
    return render(
        request,
        "municipalities/attachment_form.html",
        {
            "project": project,
            "form": form,
            "breadcrumbs": project_breadcrumbs(project, {"label": _("Upload a document")}),
        },
    )


def attachment_download(request, slug, pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("story", "local_project__page", "local_project__network"),
        pk=pk,
        local_project__slug=slug,
    )
    if not request.user.has_perm("municipalities.view_attachment", attachment):
        raise Http404
    try:
        return file_response(
            attachment.file,
            content_type=attachment.content_type,
            filename=attachment.original_name,
            inline=False,
        )
    except FileNotFoundError:
        logger.error(
            "Attachment %s is missing from storage: %s", attachment.pk, attachment.file.name
        )
        raise Http404 from None


DELETE_DOCUMENT = Deletion(
    title=gettext_lazy("Delete «%(title)s»?"),
    message=gettext_lazy("The document is deleted. This cannot be undone."),
    button=gettext_lazy("Delete document"),
    done=gettext_lazy("«%(title)s» is deleted."),
)


@login_required
def attachment_delete(request, slug, pk):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    attachment = get_object_or_404(project.attachments.select_related("story"), pk=pk)
    back = (
        attachment.story.get_absolute_url()
        if attachment.story
        else f"{project.get_absolute_url()}#dokumenter"
    )
    return DELETE_DOCUMENT.confirm(
        request,
        attachment,
        delete=lambda: services.delete_attachment(attachment=attachment),
        after=back,
    )


# --- Story pages ------------------------------------------------------------------------------


def _story_list(request, stories, context: dict, template: str):
    page_obj = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {**context, "page_obj": page_obj, "stories": page_obj})


def network_stories(request, slug):
    network = get_object_or_404(Network.objects.select_related("programme", "theme"), slug=slug)
    note_programme(request, network.programme)
    return _story_list(
        request,
        selectors.published_stories(network=network),
        {"network": network, "title": _("Good stories")},
        "municipalities/network_stories.html",
    )


def stories(request):
    programme = current_programme(request)
    if programme is None:
        raise Http404
    return _story_list(
        request,
        selectors.published_stories(programme=programme),
        {"programme": programme},
        "municipalities/stories.html",
    )
