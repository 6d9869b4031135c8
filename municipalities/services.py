"""Writes of the municipalities app: the project page and its versions, participants, stories
and attachments. Keyword-only, each in one transaction; edits that two people may make at once
go through ``core.editing.save_if_unchanged`` and raise ``EditConflict``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.editing import normalise_newlines, save_if_unchanged
from core.files import CheckedFile, delete_on_commit, delete_with_file
from core.personal_data import Declarations, Item, Record, items

from .cached_pages import project_rows
from .markup import render_markup
from .models import (
    PAGE_SECTION_KEYS,
    Attachment,
    Invitation,
    LocalProject,
    Municipality,
    Participant,
    ProjectPage,
    ProjectPageVersion,
    Story,
)
from .participant_import import COLUMNS, TEMPLATE_HEADERS, ImportRow, RowError, validate_row

# --- The project page -------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSaveResult:
    version: ProjectPageVersion | None  # the new or the published version; None: nothing to do
    created: bool  # a new version was written
    published: bool  # the version is now the public one


def _clean_texts(texts: Mapping[str, str]) -> dict[str, str]:
    return {key: normalise_newlines(texts.get(key) or "").strip() for key in PAGE_SECTION_KEYS}


def _locked_page(project: LocalProject) -> ProjectPage:
    page, _created = ProjectPage.objects.get_or_create(local_project=project)
    return ProjectPage.objects.select_for_update().get(pk=page.pk)


def _new_version(page: ProjectPage, *, texts: dict[str, str], **fields) -> ProjectPageVersion:
    """A new version of ``page`` with ``texts``, each also rendered, and the version's other
    ``fields`` (``number``, ``author``, ``summary``, ``restored_from``)."""
    rendered = {f"{key}_html": render_markup(text, top_heading=3) for key, text in texts.items()}
    return ProjectPageVersion.objects.create(page=page, **fields, **texts, **rendered)


def _publish(page: ProjectPage, version: ProjectPageVersion, *, user, summary: str) -> None:
    version.published_at = timezone.now()
    version.published_by = user
    version.summary = summary or version.summary
    version.save(update_fields=["published_at", "published_by", "summary"])
    page.published_version = version
    page.save(update_fields=["published_version"])


@project_rows.keyed_by("project.slug")
@transaction.atomic
def save_project_page(
    *,
    project: LocalProject,
    author,
    texts: Mapping[str, str],
    loaded_version: int,
    summary: str = "",
    publish: bool = False,
) -> PageSaveResult:
    """Save the sections as a new draft version, and publish it when ``publish``.

    Raises ``EditConflict`` (with the page as it is now) when someone saved a version after the
    editor loaded ``loaded_version``; nothing is written then. Texts equal to the current draft
    write no new version: with ``publish``, the current draft is published as it is.
    """
    page = _locked_page(project)
    texts = _clean_texts(texts)
    summary = summary.strip()
    if page.current_version_id is not None and texts == page.texts():
        if not publish:
            if summary and not page.current_version.is_published:
                page.current_version.summary = summary
                page.current_version.save(update_fields=["summary"])
            return PageSaveResult(page.current_version, created=False, published=False)
        if page.published_version_id == page.current_version_id:
            return PageSaveResult(page.current_version, created=False, published=False)
        _publish(page, page.current_version, user=author, summary=summary)
        return PageSaveResult(page.current_version, created=False, published=True)
    if page.current_version_id is None and not any(texts.values()) and not publish:
        return PageSaveResult(None, created=False, published=False)
    for key, text in texts.items():
        setattr(page, key, text)
    save_if_unchanged(page, loaded_version=loaded_version, fields=list(PAGE_SECTION_KEYS))
    version = _new_version(page, number=loaded_version, texts=texts, author=author, summary=summary)
    page.current_version = version
    page.save(update_fields=["current_version"])
    if publish:
        _publish(page, version, user=author, summary=summary)
    return PageSaveResult(version, created=True, published=publish)


@project_rows.keyed_by("project.slug")
@transaction.atomic
def restore_project_page_version(
    *, project: LocalProject, version: ProjectPageVersion, author
) -> ProjectPageVersion | None:
    """Make an old version's texts the new draft (a new version; nothing is overwritten).
    Returns None when they already are the current draft."""
    page = _locked_page(project)
    if version.page_id != page.pk:
        raise ValueError("The version belongs to another project page.")
    texts = version.texts()
    if texts == page.texts():
        return None
    loaded_version = page.version
    for key, text in texts.items():
        setattr(page, key, text)
    save_if_unchanged(page, loaded_version=loaded_version, fields=list(PAGE_SECTION_KEYS))
    new = _new_version(
        page, number=loaded_version, texts=texts, author=author, restored_from=version
    )
    page.current_version = new
    page.save(update_fields=["current_version"])
    return new


def base_texts(page: ProjectPage | None, loaded_version: int) -> dict[str, str]:
    """The texts the editor was looking at when they loaded ``loaded_version`` (see
    ``ProjectPage``): the three-way merge's base."""
    empty = dict.fromkeys(PAGE_SECTION_KEYS, "")
    if page is None or loaded_version <= 1:
        return empty
    version = page.versions.filter(number=loaded_version - 1).first()
    return version.texts() if version else empty


# --- Participants -----------------------------------------------------------------------------

PARTICIPANT_FIELDS = ["name", "function", "role", "municipality", "email", "phone"]


@project_rows.keyed_by("project.slug")
@transaction.atomic
def create_participant(*, project: LocalProject, values: Mapping) -> Participant:
    """A project leader is named on the public page unless the form said otherwise."""
    fields = [*PARTICIPANT_FIELDS, "is_project_leader", "listed_publicly"]
    data = {key: values[key] for key in fields if key in values}
    data.setdefault("listed_publicly", bool(data.get("is_project_leader")))
    return Participant.objects.create(local_project=project, **data)


@project_rows.keyed_by("participant.local_project.slug")
@transaction.atomic
def update_participant(
    *, participant: Participant, values: Mapping, loaded_version: int
) -> Participant:
    """Raises ``EditConflict`` when someone changed or removed the participant meanwhile."""
    fields = [
        key
        for key in [*PARTICIPANT_FIELDS, "is_project_leader", "listed_publicly"]
        if key in values
    ]
    for key in fields:
        setattr(participant, key, values[key])
    return save_if_unchanged(participant, loaded_version=loaded_version, fields=fields)


@project_rows.keyed_by("participant.local_project.slug")
@transaction.atomic
def remove_participant(*, participant: Participant) -> None:
    participant.delete()


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("The participant list was not imported.")
        self.errors = errors


@project_rows.keyed_by("project.slug")
@transaction.atomic
def import_participants(*, project: LocalProject, rows: list[ImportRow]) -> list[Participant]:
    """Write every new row, or none: each row is checked again first, and any error (or a
    database error) leaves the project as it was."""
    municipality_numbers = set(project.municipalities.values_list("number", flat=True))
    municipalities = {
        m.number: m for m in Municipality.objects.filter(number__in=municipality_numbers)
    }
    existing = {
        (name.casefold(), email.casefold())
        for name, email in project.participants.values_list("name", "email")
    }
    errors: list[RowError] = []
    participants = []
    for row in rows:
        cleaned, row_errors = validate_row(
            {key: getattr(row, key) for key in PARTICIPANT_FIELDS if key != "municipality"}
            | {"municipality": row.municipality},
            project=project,
            municipality_numbers=municipality_numbers,
        )
        errors.extend(
            RowError(row.row, TEMPLATE_HEADERS[COLUMNS.index(key)], message)
            for key, message in row_errors
        )
        if (cleaned["name"].casefold(), cleaned["email"].casefold()) in existing:
            continue
        participants.append(
            Participant(
                local_project=project,
                name=cleaned["name"],
                function=cleaned["function"],
                role=cleaned["role"],
                email=cleaned["email"],
                phone=cleaned["phone"],
                municipality=municipalities.get(cleaned["municipality"]),
            )
        )
    if errors:
        raise ImportRejected(errors)
    return Participant.objects.bulk_create(participants)


# --- Stories ----------------------------------------------------------------------------------

STORY_FIELDS = ["title", "date", "text", "image_alt", "is_published"]


def _store_image(story: Story, image: UploadedFile, checked: CheckedFile) -> None:
    """Write the picture under a server-made name; remove it again if the story is not saved."""
    story.image_extension = checked.extension
    story.image.save("image", image, save=False)
    storage, name = story.image.storage, story.image.name
    try:
        if story.pk:
            story.save(update_fields=["image", "image_extension"])
        else:
            story.save()
    except Exception:
        storage.delete(name)
        raise


@project_rows.keyed_by("project.slug")
@transaction.atomic
def create_story(
    *,
    project: LocalProject,
    author,
    title: str,
    date: date,
    text: str,
    is_published: bool,
    image: UploadedFile | None = None,
    checked_image: CheckedFile | None = None,
    image_alt: str = "",
) -> Story:
    text = normalise_newlines(text).strip()
    story = Story(
        local_project=project,
        author=author,
        title=title,
        date=date,
        text=text,
        text_html=render_markup(text, top_heading=4),
        is_published=is_published,
        image_alt=image_alt if image is not None else "",
    )
    if image is not None and checked_image is not None:
        _store_image(story, image, checked_image)
    else:
        story.save()
    return story


@project_rows.keyed_by("story.local_project.slug")
@transaction.atomic
def update_story(
    *,
    story: Story,
    loaded_version: int,
    values: Mapping,
    image: UploadedFile | None = None,
    checked_image: CheckedFile | None = None,
    remove_image: bool = False,
) -> Story:
    """Raises ``EditConflict`` when someone changed or deleted the story meanwhile; nothing is
    written then, not even a new picture."""
    old_image = story.image.name if story.image and (image is not None or remove_image) else ""
    storage = story.image.storage
    for key in STORY_FIELDS:
        if key in values:
            setattr(story, key, values[key])
    story.text = normalise_newlines(story.text).strip()
    story.text_html = render_markup(story.text, top_heading=4)
    story.updated_at = timezone.now()
    fields = [*STORY_FIELDS, "text_html", "updated_at"]
    if remove_image and image is None:
        story.image = ""
        story.image_extension = ""
        story.image_alt = ""
        fields += ["image", "image_extension"]
    save_if_unchanged(story, loaded_version=loaded_version, fields=fields)
    if image is not None and checked_image is not None:
        _store_image(story, image, checked_image)
    delete_on_commit(storage, old_image)
    return story


@project_rows.keyed_by("story.local_project.slug")
@transaction.atomic
def delete_story(*, story: Story) -> None:
    delete_on_commit(story.image.storage, story.image.name)
    for attachment in story.attachments.all():
        delete_on_commit(attachment.file.storage, attachment.file.name)
    story.delete()


# --- Attachments ------------------------------------------------------------------------------


@project_rows.keyed_by("project.slug")
@transaction.atomic
def add_attachment(
    *,
    project: LocalProject,
    uploaded_by,
    upload: UploadedFile,
    checked: CheckedFile,
    title: str = "",
    story: Story | None = None,
) -> Attachment:
    if story is not None and story.local_project_id != project.pk:
        raise ValueError("The story belongs to another project.")
    attachment = Attachment(
        local_project=project,
        story=story,
        title=title.strip() or checked.original_name.rsplit(".", 1)[0][:200],
        kind=checked.extension,
        uploaded_by=uploaded_by,
    )
    attachment.store(upload, checked)
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@project_rows.keyed_by("attachment.local_project.slug")
@transaction.atomic
def delete_attachment(*, attachment: Attachment) -> None:
    delete_with_file(attachment)


# --- Personal data (core.personal_data) ----------------------------------------------------

#: The retention steps and subject parts declared below, registered by apps.py.
personal_data = Declarations()


def _blank_invitations(invitations) -> int:
    return invitations.exclude(email="", name="").update(email="", name="")


@personal_data.retention_step(
    "invitations", _("Invitations anonymised (expired or of deleted people)"), order=50
)
@transaction.atomic
def anonymise_invitations(*, now: datetime, dry_run: bool = False) -> int:
    """Blanks name and address of invitations never accepted that expired more than
    ``EXPIRED_INVITATION_RETENTION_DAYS`` ago, and of accepted ones whose account was deleted."""
    cutoff = now - timedelta(days=settings.EXPIRED_INVITATION_RETENTION_DAYS)
    expired = Q(accepted_at__isnull=True, expires_at__lt=cutoff)
    of_deleted = Q(accepted_at__isnull=False, accepted_by__isnull=True)
    invitations = Invitation.objects.filter(expired | of_deleted).exclude(email="", name="")
    return invitations.count() if dry_run else _blank_invitations(invitations)


@personal_data.collects("participations", _("Your participation in local projects"), order=50)
def collect_participations(*, user) -> list[Record]:
    participants = Participant.objects.filter(user=user).select_related(
        "local_project", "municipality"
    )
    return [
        Record(
            participant.local_project.name,
            items(
                participant,
                [
                    ("name", _("Name")),
                    ("function", _("Function")),
                    ("role", _("Role"), participant.get_role_display()),
                    ("municipality", _("Municipality"), str(participant.municipality or "")),
                    ("email", _("E-mail address")),
                    ("phone", _("Phone")),
                    ("is_project_leader", _("Project leader")),
                    ("listed_publicly", _("Named on the public project page")),
                ],
            ),
            participant.local_project.get_absolute_url(),
            template="municipalities/includes/listing_form.html",
            context={"participant": participant},
        )
        for participant in participants
    ]


@personal_data.collects("invitations", _("Invitations sent to you"), order=60)
def collect_invitations(*, user) -> list[Record]:
    query = Q(accepted_by=user)
    if user.email:
        query |= Q(email__iexact=user.email)
    invitations = Invitation.objects.filter(query).select_related("local_project", "network")
    return [
        Record(
            str(invitation.local_project or invitation.network or invitation.get_role_display()),
            [
                Item("email", _("E-mail address"), invitation.email),
                Item("name", _("Name"), invitation.name),
                Item("role", _("Role"), invitation.get_role_display()),
                Item("created_at", _("Sent"), invitation.created_at),
                Item("expires_at", _("Expires"), invitation.expires_at),
                Item("accepted_at", _("Accepted"), invitation.accepted_at),
            ],
        )
        for invitation in invitations
    ]


def _authored_rows(model, user, kind: str, project: str, *, title="", summary="", number=0):
    """The rows of ``model`` the user wrote, for ``collect_authored``: ``kind``, pk, title,
    the project's name and slug (``project`` is the path to it), time, summary and number;
    ``title``, ``summary`` and ``number`` name a field, else the value is blank."""

    def field(value, output_field):
        return value if value else Value(value, output_field=output_field)

    return (
        model.objects.filter(author=user)
        .order_by()
        .values_list(
            Value(kind, output_field=CharField()),
            "pk",
            field(title, CharField()),
            f"{project}__name",
            f"{project}__slug",
            "created_at",
            field(summary, CharField()),
            field(number, IntegerField()),
        )
    )


@personal_data.collects("authored", _("Stories and page versions you wrote"), order=70)
def collect_authored(*, user) -> list[Record]:
    """Stories and page versions the user wrote (one query): they stay with the project, and
    lose their author when the person is deleted."""
    stories = _authored_rows(Story, user, "story", "local_project", title="title")
    versions = _authored_rows(
        ProjectPageVersion,
        user,
        "version",
        "page__local_project",
        summary="summary",
        number="number",
    )
    records = []
    for kind, pk, title, project, slug, created_at, summary, version in stories.union(
        versions, all=True
    ).order_by("-created_at"):
        project_url = reverse("municipalities:project_detail", args=[slug])
        if kind == "story":
            records.append(
                Record(
                    title,
                    [
                        Item("kind", _("Kind"), _("Story")),
                        Item("project", _("Local project"), project),
                        Item("created_at", _("Created"), created_at),
                    ],
                    f"{project_url}#historie-{pk}",
                )
            )
        else:
            records.append(
                Record(
                    f"{project} – {version}",
                    [
                        Item("kind", _("Kind"), _("Project page version")),
                        Item("project", _("Local project"), project),
                        Item("summary", _("Change summary"), summary),
                        Item("created_at", _("Saved"), created_at),
                    ],
                    reverse("municipalities:page_version", args=[slug, version]),
                )
            )
    return records


@personal_data.erases("participations")
@transaction.atomic
def erase_participations(*, user) -> int:
    """Removes the person from their local projects (their registrations go with them) and
    blanks the invitations sent to them. What they wrote stays, without their name."""
    count = _blank_invitations(
        Invitation.objects.filter(
            Q(accepted_by=user) | (Q(email__iexact=user.email) if user.email else Q(pk__in=[]))
        )
    )
    count += Participant.objects.filter(user=user).delete()[0]
    return count


def participants_to_erase(user) -> QuerySet[Participant]:
    """The person's participant records, for the apps that anonymise what points to them."""
    return Participant.objects.filter(user=user)


@project_rows.keyed_by("participant.local_project.slug")
@transaction.atomic
def set_listed_publicly(*, participant: Participant, listed: bool) -> Participant:
    """The participant's own choice of being named on the public project page."""
    Participant.objects.filter(pk=participant.pk).update(
        listed_publicly=listed, version=F("version") + 1
    )
    participant.refresh_from_db(fields=["listed_publicly", "version"])
    return participant
