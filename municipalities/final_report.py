"""A local project's final report (sluttrapport) at the end of the programme: its content and
the same HTML as a PDF (WeasyPrint). Every report of a network or a programme in one ZIP file
is made by the worker (``report_archives``).

The report shows what the project page published, the participants by role, the project's
good stories and what the apps above this one register with
``page_blocks.final_report_blocks`` (gatherings attended, indicators, anchoring).

The PDF is rendered from the document template with the site's own stylesheets and fonts,
which ``static_files_fetcher`` reads from disk: WeasyPrint never touches the network.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from core.files import IMAGE_TYPES

from . import selectors
from .models import LocalProject, Story
from .page_blocks import final_report_blocks

DOCUMENT_TEMPLATE = "municipalities/final_report_document.html"
#: The charts' stylesheet, put into each chart of the document (see the file).
CHART_STYLESHEET = "css/report_chart.css"


def report_context(project: LocalProject, request) -> dict:
    """What the report's templates show of ``project`` (loaded with
    ``selectors.projects_for_report``). Only what is published of the page and the stories;
    the stories without their documents (files, not text of the report)."""
    page = selectors.page_of(project)
    published = page.published_version if page is not None and page.is_published else None
    return {
        "project": project,
        "municipalities": selectors.project_municipalities(project),
        "published": published,
        "participants": selectors.report_participants(project),
        "stories": selectors.report_stories(project),
        "report_blocks": final_report_blocks.render(project=project, request=request),
    }


def render_document(context: dict, request) -> str:
    """The report (``report_context``) as a stand-alone HTML document, as it is printed."""
    return render_to_string(
        DOCUMENT_TEMPLATE, {**context, "chart_stylesheet": chart_stylesheet()}, request=request
    )


def chart_stylesheet() -> str:
    """``CHART_STYLESHEET`` without its comments."""
    path = static_path(CHART_STYLESHEET)
    css = path.read_text(encoding="utf-8") if path else ""
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S).strip()


def static_files_fetcher(pictures: dict[str, Story] | None = None):
    """A WeasyPrint URL fetcher that serves the static files (stylesheets, fonts, images) a
    document links to from disk (``static_file_path``) and the pictures of the report's own
    stories from storage (``pictures``: the stories by the path of their picture), and refuses
    everything else, so rendering never opens a network connection."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    pictures = pictures or {}

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            story = pictures.get(unquote(urlsplit(url).path))
            if story is not None:
                with story.image.open("rb") as picture:
                    body = picture.read()
                mime_type = IMAGE_TYPES.get(story.image_extension, "application/octet-stream")
                return URLFetcherResponse(url, body, headers={"Content-Type": mime_type})
            path = static_file_path(url)
            if path is None:
                raise ValueError(f"Not a static file: {url}")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": mime_type})

    return StaticFilesFetcher()


def static_file_path(url: str) -> Path | None:
    """The file on disk behind the address of a static file (collected files first, with
    their hashed names, then the finders), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    path = unquote(parts.path)
    prefix = urlsplit(settings.STATIC_URL).path
    if not path.startswith(prefix):
        return None
    return static_path(path.removeprefix(prefix))


def static_path(name: str) -> Path | None:
    """The static file ``name`` on disk, or None."""
    if not name or name.startswith("/") or ".." in Path(name).parts:
        return None
    if staticfiles_storage.exists(name):
        try:
            return Path(staticfiles_storage.path(name))
        except NotImplementedError:
            pass
    found = finders.find(name)
    return Path(found) if found else None


def render_pdf(html: str, *, base_url: str, pictures: dict[str, Story] | None = None) -> bytes:
    """``html`` as a PDF; links are resolved against ``base_url`` (the site's address)."""
    from weasyprint import HTML

    fetcher = static_files_fetcher(pictures)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def project_pdf(project: LocalProject, request, *, base_url: str | None = None) -> bytes:
    """The final report of ``project`` (loaded with ``selectors.projects_for_report``), its
    links resolved against ``base_url`` (by default the address the request came to)."""
    context = report_context(project, request)
    return render_pdf(
        render_document(context, request),
        base_url=base_url or request.build_absolute_uri("/"),
        pictures={story.image_url: story for story in context["stories"] if story.image},
    )


def pdf_filename(project: LocalProject) -> str:
    return f"sluttrapport-{project.slug}.pdf"
