"""Reads for the project page, its history and the story pages, with their joins and prefetches
so that templates only read and the number of queries does not grow with the data."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from network.models import Network, Programme

from .models import (
    Attachment,
    LocalProject,
    Municipality,
    ProjectPage,
    ProjectPageVersion,
    Story,
)

_PAGE_JOINS = (
    "page__published_version__published_by",
    "page__current_version__author",
)


def project_with_page(slug: str) -> LocalProject | None:
    """The project with its network, municipalities, page and the page's two versions."""
    return (
        LocalProject.objects.select_related(
            "network__theme",
            "network__facilitator__organisation",
            "network__programme",
            *_PAGE_JOINS,
        )
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.select_related("county"))
        )
        .filter(slug=slug)
        .first()
    )


def page_of(project: LocalProject) -> ProjectPage | None:
    """The project's page, or None before anything was saved (uses the joined row if any)."""
    try:
        return project.page
    except ProjectPage.DoesNotExist:
        return None


def page_with_status(project: LocalProject) -> ProjectPage | None:
    """The project's page with what ``includes/page_status.html`` shows about it."""
    return (
        ProjectPage.objects.select_related(
            "current_version__author", "published_version__published_by"
        )
        .filter(local_project=project)
        .first()
    )


def project_participants(project: LocalProject) -> QuerySet:
    return project.participants.select_related("municipality").order_by(
        "-is_project_leader", "role", "name"
    )


def _attachments() -> Prefetch:
    return Prefetch(
        "attachments",
        queryset=Attachment.objects.select_related("local_project").order_by("title", "pk"),
    )


def project_stories(project: LocalProject, *, include_drafts: bool) -> list[Story]:
    """The project's stories, newest first, with their documents."""
    stories = project.stories.select_related("local_project").prefetch_related(_attachments())
    if not include_drafts:
        stories = stories.published()
    return list(stories.newest_first())


def page_attachments(project: LocalProject) -> QuerySet:
    """The documents of the project page itself (not of a story)."""
    return project.attachments.filter(story__isnull=True).select_related("local_project")


def page_versions(page: ProjectPage) -> QuerySet:
    """Every saved version, newest first, with who saved and published it."""
    return page.versions.select_related("author", "published_by", "restored_from").order_by(
        "-number"
    )


def page_version(page: ProjectPage, number: int) -> ProjectPageVersion | None:
    return (
        page.versions.select_related("author", "published_by", "restored_from")
        .filter(number=number)
        .first()
    )


def published_stories(*, network: Network | None = None, programme: Programme | None = None):
    """Published stories of one network or a whole programme, newest first."""
    stories = (
        Story.objects.published()
        .select_related("local_project__network__theme")
        .prefetch_related(_attachments())
    )
    if network is not None:
        stories = stories.filter(local_project__network=network)
    if programme is not None:
        stories = stories.filter(local_project__network__programme=programme)
    return stories.newest_first()
