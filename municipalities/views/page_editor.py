"""The project page's editor, its history, a version, comparing two versions and restoring
one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import (
    EditConflict,
    changed_by_others,
    conflict_page,
    field_conflicts,
    line_diff,
    rebind_for_merge,
)

from .. import selectors, services
from ..forms import MARKUP_HELP, ProjectPageForm, VersionCompareForm
from ..lookups import project_for
from ..markup import render_markup
from ..models import PAGE_SECTIONS, ProjectPage
from .common import project_breadcrumbs


def _preview(form) -> list[tuple[str, str, str]]:
    return [
        (key, label, render_markup(form.cleaned_data.get(key, ""), top_heading=3))
        for key, label, _question in PAGE_SECTIONS
    ]


@login_required
def page_edit(request, slug):
    project = project_for(request, slug, perm="municipalities.change_localproject")
    page = selectors.page_with_status(project)
    instance = page or ProjectPage(local_project=project)
    context = {
        "project": project,
        "page": page,
        "markup_help": MARKUP_HELP,
        "breadcrumbs": project_breadcrumbs(project, {"label": _("Edit page")}),
    }
    if request.method == "POST":
        action = request.POST.get("action", "save")
        form = ProjectPageForm(request.POST, instance=instance, publishing=action == "publish")
        if form.is_valid() and action == "preview":
            context["preview"] = _preview(form)
        elif form.is_valid():
            loaded_version = form.cleaned_data["loaded_version"]
            try:
                result = services.save_project_page(
                    project=project,
                    author=request.user,
                    texts=form.texts(),
                    loaded_version=loaded_version,
                    summary=form.cleaned_data["summary"],
                    publish=action == "publish",
                )
            except EditConflict as conflict:
                current = conflict.current
                base = services.base_texts(current, loaded_version)
                taken = changed_by_others(form, current, base=base)
                conflicts = field_conflicts(form, current, base=base)
                context["page"] = selectors.page_with_status(project)
                context["form"] = rebind_for_merge(
                    ProjectPageForm,
                    data=request.POST,
                    current=current,
                    take=[field.name for field in taken],
                )
                return conflict_page(
                    request,
                    template="municipalities/page_edit.html",
                    context=context,
                    conflicts=conflicts,
                    taken=taken,
                )
            else:
                return _after_page_save(request, project, result, action)
    else:
        summary = ""
        if page and page.current_version and not page.current_version.is_published:
            summary = page.current_version.summary
        form = ProjectPageForm(instance=instance, initial={"summary": summary})
    context["form"] = form
    return render(request, "municipalities/page_edit.html", context)


def _after_page_save(request, project, result, action):
    if result.version is None:
        messages.info(request, _("There was nothing to save."))
        return redirect("municipalities:page_edit", project.slug)
    if result.published:
        messages.success(
            request,
            _("Version %(number)d is published: everyone can read it now.")
            % {"number": result.version.number},
        )
        return redirect(project.get_absolute_url())
    if result.created:
        messages.success(
            request,
            _(
                "Saved as version %(number)d, a draft. The public page does not change until "
                "you publish."
            )
            % {"number": result.version.number},
        )
    elif action == "publish":
        messages.info(request, _("This version is already published."))
    else:
        messages.info(request, _("Nothing has changed since the last saved version."))
    return redirect("municipalities:page_edit", project.slug)


@login_required
def page_history(request, slug):
    project = project_for(request, slug, perm="municipalities.view_project_drafts")
    page = selectors.page_with_status(project)
    versions = selectors.page_versions(page) if page else []
    page_obj = Paginator(versions, 25).get_page(request.GET.get("page"))
    numbers = list(page.versions.values_list("number", flat=True)) if page else []
    compare_form = None
    if len(numbers) > 1:
        numbers.sort(reverse=True)
        compare_form = VersionCompareForm(
            numbers=numbers, initial={"fra": numbers[1], "til": numbers[0]}
        )
    return render(
        request,
        "municipalities/page_history.html",
        {
            "project": project,
            "page": page,
            "page_obj": page_obj,
            "compare_form": compare_form,
            "can_edit": request.user.has_perm("municipalities.change_localproject", project),
            "breadcrumbs": project_breadcrumbs(project, {"label": _("History")}),
        },
    )


def _page_or_404(project) -> ProjectPage:
    page = selectors.page_with_status(project)
    if page is None:
        raise Http404
    return page


def _version_or_404(request, slug, number, *, perm: str):
    """The project (which the user must have ``perm`` on), its page and the page's version
    ``number``."""
    project = project_for(request, slug, perm=perm)
    page = _page_or_404(project)
    version = selectors.page_version(page, number)
    if version is None:
        raise Http404
    return project, page, version


def _history_breadcrumbs(project, label) -> list[dict]:
    """The breadcrumbs of a page below the project page's history."""
    history = {
        "label": _("History"),
        "url": reverse("municipalities:page_history", args=[project.slug]),
    }
    return project_breadcrumbs(project, history, {"label": label})


@login_required
def page_version(request, slug, number):
    project, page, version = _version_or_404(
        request, slug, number, perm="municipalities.view_project_drafts"
    )
    return render(
        request,
        "municipalities/page_version.html",
        {
            "project": project,
            "page": page,
            "version": version,
            "can_edit": request.user.has_perm("municipalities.change_localproject", project),
            "breadcrumbs": _history_breadcrumbs(
                project, _("Version %(number)d") % {"number": version.number}
            ),
        },
    )


@login_required
def page_compare(request, slug):
    project = project_for(request, slug, perm="municipalities.view_project_drafts")
    page = _page_or_404(project)
    numbers = list(page.versions.order_by("-number").values_list("number", flat=True))
    if not numbers:
        raise Http404
    form = VersionCompareForm(request.GET or None, numbers=numbers)
    if not request.GET:
        form = VersionCompareForm(
            numbers=numbers,
            initial={"fra": numbers[1] if len(numbers) > 1 else numbers[0], "til": numbers[0]},
        )
    old = new = None
    sections = []
    if form.is_bound and form.is_valid():
        versions = {
            version.number: version
            for version in selectors.page_versions(page).filter(
                number__in=[form.cleaned_data["fra"], form.cleaned_data["til"]]
            )
        }
        old, new = versions[form.cleaned_data["fra"]], versions[form.cleaned_data["til"]]
        for key, label, _question in PAGE_SECTIONS:
            old_text, new_text = getattr(old, key), getattr(new, key)
            sections.append(
                {
                    "key": key,
                    "label": label,
                    "changed": old_text != new_text,
                    "lines": line_diff(old_text, new_text) if old_text != new_text else [],
                }
            )
    return render(
        request,
        "municipalities/page_compare.html",
        {
            "project": project,
            "form": form,
            "old": old,
            "new": new,
            "sections": sections,
            "changed_count": sum(1 for section in sections if section["changed"]),
            "breadcrumbs": _history_breadcrumbs(project, _("Compare versions")),
        },
    )


@login_required
@require_POST
def page_restore(request, slug, number):
    project, _page, version = _version_or_404(
        request, slug, number, perm="municipalities.change_localproject"
    )
    try:
        new = services.restore_project_page_version(
            project=project, version=version, author=request.user
        )
    except EditConflict:
        messages.error(request, _("Someone saved the page at the same moment. Try again."))
        return redirect("municipalities:page_history", project.slug)
    if new is None:
        messages.info(
            request,
            _("Version %(number)d has the same text as the current draft; nothing was changed.")
            % {"number": version.number},
        )
    else:
        messages.success(
            request,
            _(
                "Version %(old)d is restored as a new draft, version %(new)d. Publish it to "
                "make it public."
            )
            % {"old": version.number, "new": new.number},
        )
    return redirect("municipalities:page_edit", project.slug)
