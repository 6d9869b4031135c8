"""Writes: gatherings and their agendas, registrations, evaluations, tasks, materials and the
resource library. Publishing and notifying participants are in ``notifications``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.editing import save_if_unchanged
from core.files import CheckedFile, delete_on_commit, delete_with_file
from core.models import OutboxRecipient
from core.personal_data import Declarations, Record, items
from core.translated_fields import assign, every_language
from municipalities.models import Participant
from network.models import Organisation, Person

from . import publishing
from .models import (
    AgendaItem,
    AgendaItemSpeaker,
    EvaluationAnswer,
    EvaluationSubmission,
    Gathering,
    Material,
    PreparationTask,
    Registration,
    Resource,
    TaskCompletion,
)


class ServiceError(Exception):
    """A write refused for a reason the user can act on; the message says which."""


# --- Gatherings --------------------------------------------------------------------------------

GATHERING_FIELDS = [
    "kind",
    "title",
    "planned_month",
    "planned_month_last",
    "start_date",
    "end_date",
    "schedule_note",
    "venue",
    "address",
    "description",
    "practical_info",
    "registration_deadline",
    "capacity",
]


def _programme_changed(gathering_id: int) -> None:
    """Note the time the gathering or its programme changed: the ``LAST-MODIFIED`` and
    ``SEQUENCE`` of its calendar events (``calendar.py``) follow it, so subscribed calendars
    update. The gathering's event lists the items without a time, and an item's default end
    is the next item's start, so any change of the programme counts for all its events."""
    Gathering.objects.filter(pk=gathering_id).update(changed_at=timezone.now())


def create_gathering(*, gathering: Gathering) -> Gathering:
    """Save a new gathering (built and validated by ``GatheringForm``) as a draft."""
    gathering.changed_at = timezone.now()
    gathering.save()
    return gathering


@transaction.atomic
def update_gathering(
    *, gathering: Gathering, loaded_version: int, previous_start: date | None
) -> Gathering:
    """Save the edited fields unless someone else saved first (``EditConflict``). When the
    first day moves, the programme moves with it: each item keeps its day (1st, 2nd …)."""
    gathering.changed_at = timezone.now()
    save_if_unchanged(
        gathering, loaded_version=loaded_version, fields=[*GATHERING_FIELDS, "changed_at"]
    )
    if previous_start and gathering.start_date and gathering.start_date != previous_start:
        shift = gathering.start_date - previous_start
        items = list(gathering.agenda_items.all())
        for item in items:
            item.date += shift
        AgendaItem.objects.bulk_update(items, ["date"])
    return gathering


# --- Agenda items ------------------------------------------------------------------------------

ITEM_FIELDS = ["date", "start", "end", "title", "description", "kind"]


def speaker_for(*, name: str, title: str, organisation: str) -> Person:
    """A person of the directory with this name and organisation, created when missing."""
    org = Organisation.objects.get_or_create(name=organisation)[0] if organisation else None
    person = Person.objects.filter(name=name, organisation=org).first()
    if person is None:
        person = Person.objects.create(name=name, title=title, organisation=org)
    elif title and not person.title:
        person.title = title
        person.save(update_fields=["title"])
    return person


def _set_speakers(item: AgendaItem, speakers: list[Person]) -> None:
    """Keep the order of the speakers the item already had; new ones go last."""
    links = {link.person_id: link for link in item.speaker_links.all()}
    wanted = {person.pk for person in speakers}
    item.speaker_links.exclude(person__in=wanted).delete()
    ordered = sorted(
        speakers, key=lambda p: (links[p.pk].position if p.pk in links else 10_000, p.name)
    )
    for position, person in enumerate(ordered):
        AgendaItemSpeaker.objects.update_or_create(
            agenda_item=item, person=person, defaults={"position": position}
        )


def _renumber(items: list[AgendaItem]) -> None:
    changed = []
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            changed.append(item)
    AgendaItem.objects.bulk_update(changed, ["position"])


def _day_items(item: AgendaItem) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(gathering=item.gathering_id, date=item.date)
        .exclude(pk=item.pk)
        .order_by("position", "start", "pk")
    )


def _place_by_time(item: AgendaItem) -> None:
    """Put the item before the first item of its day that starts later; an item without a
    start goes last."""
    others = _day_items(item)
    index = len(others)
    if item.start:
        index = next(
            (i for i, other in enumerate(others) if other.start and other.start > item.start),
            len(others),
        )
    _renumber([*others[:index], item, *others[index:]])


@dataclass
class ItemData:
    date: date
    start: time | None
    end: time | None
    title: str
    description: str
    kind: str
    speakers: list[Person]
    new_speaker: dict | None = None


@transaction.atomic
def save_agenda_item(
    *,
    gathering: Gathering,
    data: ItemData,
    item: AgendaItem | None = None,
    loaded_version: int | None = None,
) -> AgendaItem:
    """Add an item, or save an edited one unless someone else saved first
    (``EditConflict``). A new item, or one whose day or start changed, is placed by time."""
    speakers = list(data.speakers)
    if data.new_speaker:
        person = speaker_for(**data.new_speaker)
        if person not in speakers:
            speakers.append(person)
    values = {name: getattr(data, name) for name in ITEM_FIELDS}
    if item is None:
        item = AgendaItem.objects.create(gathering=gathering, position=0, **values)
        moved = True
    else:
        stored = AgendaItem.objects.filter(pk=item.pk).values("date", "start").first() or {}
        for name, value in values.items():
            assign(item, name, value)
        save_if_unchanged(item, loaded_version=loaded_version, fields=ITEM_FIELDS)
        moved = stored != {"date": item.date, "start": item.start}
    _set_speakers(item, speakers)
    _programme_changed(gathering.pk)
    if moved:
        _place_by_time(item)
    return item


@transaction.atomic
def delete_agenda_item(*, item: AgendaItem) -> None:
    files = [material.file.name for material in item.materials.all()]
    try:
        item.delete()
    except ProtectedError as error:
        raise ServiceError(
            _("The item has evaluations from participants and cannot be deleted.")
        ) from error
    _programme_changed(item.gathering_id)
    delete_on_commit(Material._meta.get_field("file").storage, *files)


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, up: bool) -> None:
    """Swap the item with its neighbour in the day's order."""
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(gathering=item.gathering_id, date=item.date)
        .order_by("position", "start", "pk")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    _renumber(items)
    _programme_changed(item.gathering_id)


@dataclass
class CopyResult:
    copied: int
    skipped: int


@transaction.atomic
def copy_programme(*, source: Gathering, target: Gathering) -> CopyResult:
    """Copy the source's items onto the target's days, day by day (the source's 1st day onto
    the target's 1st day …), with their speakers, after any items the target has. Items on
    days the target does not have are left out and counted."""
    if not target.start_date:
        raise ServiceError(_("Give the gathering its dates before you copy a programme into it."))
    items = list(
        source.agenda_items.prefetch_related("speaker_links").order_by(
            "date", "position", "start", "pk"
        )
    )
    if not items:
        return CopyResult(0, 0)
    first = source.start_date or items[0].date
    next_position = {
        row["date"]: row["last"]
        for row in target.agenda_items.values("date").annotate(last=Max("position"))
    }
    copied = skipped = 0
    for item in items:
        day = target.start_date + timedelta(days=(item.date - first).days)
        if not target.start_date <= day <= target.last_day:
            skipped += 1
            continue
        next_position[day] = next_position.get(day, 0) + 1
        copy = AgendaItem.objects.create(
            gathering=target,
            date=day,
            start=item.start,
            end=item.end,
            position=next_position[day],
            kind=item.kind,
            **every_language(item, "title", "description"),
        )
        AgendaItemSpeaker.objects.bulk_create(
            AgendaItemSpeaker(agenda_item=copy, person_id=link.person_id, position=link.position)
            for link in item.speaker_links.all()
        )
        copied += 1
    if copied:
        _programme_changed(target.pk)
    return CopyResult(copied, skipped)


# --- Registrations -----------------------------------------------------------------------------


@dataclass
class RegistrationData:
    days: list[date]
    dinner_days: list[date]
    overnight: bool
    drinks: str
    diets: list[str]
    dietary_notes: str
    settles_bill: bool


def registration_municipality(participant: Participant):
    """The municipality a participant comes from: their own, or their project's only one."""
    if participant.municipality_id:
        return participant.municipality
    municipalities = list(participant.local_project.municipalities.all()[:2])
    return municipalities[0] if len(municipalities) == 1 else None


@transaction.atomic
def save_registration(
    *,
    gathering: Gathering,
    participant: Participant,
    data: RegistrationData,
    user,
    base_url: str = "",
    domain: str = "",
) -> Registration:
    """Register a participant, or change their registration. Refused after the deadline
    (except for the network's facilitator), when the gathering is full, or when someone
    else already settles the bill for the municipality. With the site's ``base_url``, the
    participant gets a confirmation by e-mail with the gathering's calendar."""
    gathering = Gathering.objects.select_for_update().select_related("network").get(pk=gathering.pk)
    facilitator = user.has_perm("gatherings.change_late_registrations", gathering)
    if not gathering.is_published or not gathering.start_date:
        raise ServiceError(_("Registration opens when the programme is published."))
    if not gathering.is_registration_open and not facilitator:
        raise ServiceError(_("The registration deadline has passed."))
    registration = Registration.objects.filter(gathering=gathering, participant=participant).first()
    joining = registration is None or not registration.is_active
    if joining and gathering.capacity is not None:
        taken = gathering.registrations.active().count()
        if taken >= gathering.capacity:
            raise ServiceError(
                _("The gathering is full: all %(capacity)s places are taken.")
                % {"capacity": gathering.capacity}
            )
    municipality = registration_municipality(participant)
    if data.settles_bill:
        if municipality is None:
            raise ServiceError(
                _(
                    "The participant has no municipality, so they cannot settle the bill. "
                    "Ask the project leader to set it."
                )
            )
        payer = (
            Registration.objects.active()
            .filter(gathering=gathering, municipality=municipality, settles_bill=True)
            .exclude(participant=participant)
            .select_related("participant")
            .first()
        )
        if payer:
            raise ServiceError(
                _("%(name)s already settles the bill for %(municipality)s.")
                % {"name": payer.participant.name, "municipality": municipality.name}
            )
    values = {
        "municipality": municipality,
        "days": sorted(day.isoformat() for day in data.days),
        "dinner_days": sorted(day.isoformat() for day in data.dinner_days),
        "overnight": data.overnight,
        "drinks": data.drinks,
        "diets": list(data.diets),
        "dietary_notes": data.dietary_notes.strip(),
        "settles_bill": data.settles_bill,
        "updated_at": timezone.now(),
        "cancelled_at": None,
    }
    if registration is None:
        registration = Registration.objects.create(
            gathering=gathering, participant=participant, registered_by=user, **values
        )
    else:
        for name, value in values.items():
            setattr(registration, name, value)
        if joining:
            registration.registered_by = user
            registration.created_at = timezone.now()
        registration.save()
    if base_url:
        publishing.confirm_registration(
            registration=registration, changed=not joining, base_url=base_url, domain=domain
        )
    return registration


@transaction.atomic
def cancel_registration(
    *, registration: Registration, user, base_url: str = "", domain: str = ""
) -> None:
    """Cancel a registration; with the site's ``base_url`` the participant is told by e-mail."""
    gathering = registration.gathering
    late = user.has_perm("gatherings.change_late_registrations", gathering)
    if not gathering.is_registration_open and not late:
        raise ServiceError(_("The registration deadline has passed."))
    registration.cancelled_at = timezone.now()
    registration.updated_at = registration.cancelled_at
    registration.save(update_fields=["cancelled_at", "updated_at"])
    if base_url:
        publishing.confirm_registration(
            registration=registration, cancelled=True, base_url=base_url, domain=domain
        )


# --- Evaluation --------------------------------------------------------------------------------


@dataclass
class Answer:
    agenda_item: AgendaItem | None
    rating: int | None
    comment: str


@transaction.atomic
def submit_evaluation(*, gathering: Gathering, participant: Participant, answers: list[Answer]):
    """Store the answers without anything that ties them to the participant; record apart
    that the participant has answered. The answers carry only the group of five they belong
    to, so that results grow five answers at a time (``selectors.evaluation_results``)."""
    from .selectors import EVALUATION_GROUP

    with transaction.atomic():
        # The gathering's row serialises submissions, so each gets its own place in line.
        Gathering.objects.select_for_update().filter(pk=gathering.pk).first()
        earlier = EvaluationSubmission.objects.filter(gathering=gathering).count()
        try:
            with transaction.atomic():
                EvaluationSubmission.objects.create(gathering=gathering, participant=participant)
        except IntegrityError as error:
            raise ServiceError(_("You have already evaluated this gathering.")) from error
        EvaluationAnswer.objects.bulk_create(
            EvaluationAnswer(
                gathering=gathering,
                agenda_item=answer.agenda_item,
                rating=answer.rating,
                comment=answer.comment.strip(),
                group=earlier // EVALUATION_GROUP,
            )
            for answer in answers
            if answer.rating or answer.comment.strip()
        )


# --- Before the next gathering -----------------------------------------------------------------


def add_task(*, gathering: Gathering, title: str, description: str) -> PreparationTask:
    last = gathering.preparation_tasks.aggregate(last=Max("position"))["last"] or 0
    return PreparationTask.objects.create(
        gathering=gathering, title=title, description=description, position=last + 1
    )


def set_task_done(*, task: PreparationTask, project, done: bool, user) -> None:
    if done:
        TaskCompletion.objects.get_or_create(
            task=task, local_project=project, defaults={"completed_by": user}
        )
    else:
        TaskCompletion.objects.filter(task=task, local_project=project).delete()


# --- Files -------------------------------------------------------------------------------------


@transaction.atomic
def add_material(*, item: AgendaItem, title: str, uploaded, checked: CheckedFile, user):
    material = Material(agenda_item=item, title=title, uploaded_by=user)
    material.store(uploaded, checked)
    material.save()
    return material


@transaction.atomic
def delete_material(*, material: Material) -> None:
    delete_with_file(material)


@transaction.atomic
def save_resource(*, resource: Resource, uploaded=None, checked: CheckedFile | None, user):
    """Save a resource built by ``ResourceForm``; a new document replaces the old one."""
    old_file = ""
    if resource.pk:
        old_file = Resource.objects.filter(pk=resource.pk).values_list("file", flat=True).first()
    if uploaded is not None and checked is not None:
        resource.store(uploaded, checked)
        resource.url = ""
    elif resource.url:
        resource.forget_file()
    if resource.pk is None:
        resource.added_by = user
    resource.save()
    if old_file and old_file != resource.file.name:
        delete_on_commit(resource.file.storage, old_file)
    return resource


@transaction.atomic
def delete_resource(*, resource: Resource) -> None:
    delete_with_file(resource)


# --- Personal data (core.personal_data) ----------------------------------------------------

#: The retention steps and subject parts declared below, registered by apps.py.
personal_data = Declarations()


def health_data_cutoff(now: datetime) -> date:
    """Registrations for gatherings whose last day is before this date lose their notes."""
    return timezone.localdate(now) - timedelta(days=settings.HEALTH_DATA_RETENTION_DAYS)


@personal_data.retention_step(
    "health_data", gettext_lazy("Registrations whose diet and allergy notes were deleted"), order=10
)
@transaction.atomic
def purge_health_data(*, now: datetime, dry_run: bool = False) -> int:
    """Deletes diets, allergy notes and drinks of registrations for gatherings that ended more
    than ``HEALTH_DATA_RETENTION_DAYS`` ago. The registration itself (who came) stays."""
    cutoff = health_data_cutoff(now)
    registrations = Registration.objects.filter(
        Q(gathering__end_date__lt=cutoff)
        | Q(gathering__end_date__isnull=True, gathering__start_date__lt=cutoff)
    ).exclude(diets=[], dietary_notes="", drinks="")
    if dry_run:
        return registrations.count()
    return registrations.update(diets=[], dietary_notes="", drinks="")


@personal_data.retention_step(
    "outbox", gettext_lazy("Outbox recipients anonymised (removed participants)"), order=20
)
@transaction.atomic
def anonymise_outbox_recipients(*, now: datetime, dry_run: bool = False) -> int:
    """Blanks name and address of the copies of a gathering's messages that went to someone who
    is no longer a participant of any local project."""
    still_participant = Participant.objects.exclude(email="").filter(
        email__iexact=OuterRef("email")
    )
    recipients = (
        OutboxRecipient.objects.filter(
            message__about_type__app_label=Gathering._meta.app_label,
            message__about_type__model=Gathering._meta.model_name,
        )
        .exclude(name="", email="")
        .exclude(Exists(still_participant))
    )
    return recipients.count() if dry_run else recipients.update(name="", email="", body="")


@personal_data.collects(
    "registrations", gettext_lazy("Your registrations for gatherings"), order=20
)
def collect_registrations(*, user) -> list[Record]:
    evaluated = EvaluationSubmission.objects.filter(
        gathering=OuterRef("gathering"), participant=OuterRef("participant")
    )
    registrations = (
        Registration.objects.filter(participant__user=user)
        .select_related("gathering__network", "participant__local_project")
        .annotate(evaluated=Exists(evaluated))
    )
    return [
        Record(
            str(registration.gathering),
            items(
                registration,
                [
                    ("project", _("Local project"), registration.participant.local_project.name),
                    ("days", _("Days attending")),
                    ("dinner_days", _("Dinner")),
                    ("overnight", _("Overnight stay")),
                    ("drinks", _("Drinks"), registration.get_drinks_display()),
                    ("diets", _("Dietary needs"), registration.get_diets_display()),
                    ("dietary_notes", _("Other dietary needs and allergies")),
                    ("registered_at", _("Registered"), registration.created_at),
                    ("cancelled_at", _("Cancelled")),
                    ("evaluated", _("Evaluation given (the answers are anonymous)")),
                ],
            ),
            registration.gathering.get_absolute_url(),
        )
        for registration in registrations
    ]


@personal_data.erases("registrations")
@transaction.atomic
def erase_registrations(*, user) -> int:
    """The person's registrations, and their name and address in the outbox."""
    emails = {user.email, *Participant.objects.filter(user=user).values_list("email", flat=True)}
    addressed = Q(pk__in=[])
    for email in filter(None, emails):
        addressed |= Q(email__iexact=email)
    count = OutboxRecipient.objects.filter(addressed).update(name="", email="", body="")
    count += Registration.objects.filter(participant__user=user).delete()[0]
    count += EvaluationSubmission.objects.filter(participant__user=user).delete()[0]
    return count
