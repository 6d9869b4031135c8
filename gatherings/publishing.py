"""Telling a network's participants about its gathering's programme.

Publishing sends the programme at once. Later changes to a published programme are not sent
on every save: the facilitator edits as much as needed, sees the changes not yet sent (the
programme now against ``Gathering.notified_programme``, the snapshot of what was last sent)
and sends them in one e-mail with «Send changes to participants».

Each recipient gets a copy of their own (no one sees the others' addresses). The message and
its recipients are stored in the portal's outbox (``core/outbox.py``) and sent by the
background worker; a failed delivery is recorded on the recipient, shown in the gathering's
outbox and can be sent again from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core import outbox
from core.models import OutboxMessage
from core.text import one_line
from core.translated_fields import in_default_language
from municipalities.models import Participant
from network.models import MailKind as MessageKind

from . import calendar
from .models import AgendaItem, Gathering, GatheringKind, GatheringStatus, Registration
from .selectors import agenda_items

# --- Snapshots ---------------------------------------------------------------------------------


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def item_snapshot(item: AgendaItem) -> dict:
    return {
        "date": item.date.isoformat(),
        "position": item.position,
        "start": _time(item.start),
        "end": _time(item.end),
        "title": item.title,
        "kind": item.kind,
        "description": item.description,
        "speakers": [
            f"{link.person.name} ({link.person.affiliation})"
            if link.person.affiliation
            else link.person.name
            for link in item.speaker_links.all()
        ],
    }


def programme_snapshot(gathering: Gathering, items: list[AgendaItem]) -> dict:
    """What participants are told: the gathering's facts and its items (with speakers
    prefetched), keyed by item id so that changes can be matched up later. In the portal's
    default language, whatever the page's, as the e-mails are (``compose``): a snapshot taken
    on a Nynorsk page compares with one taken on a Bokmål page."""
    with in_default_language():
        return {
            "title": gathering.title,
            "kind": gathering.kind,
            "start_date": gathering.start_date.isoformat() if gathering.start_date else None,
            "end_date": gathering.last_day.isoformat() if gathering.last_day else None,
            "venue": gathering.venue,
            "address": gathering.address,
            "items": {str(item.pk): item_snapshot(item) for item in items},
        }


# --- Changes -----------------------------------------------------------------------------------


@dataclass
class FactChange:
    label: str
    old: str
    new: str


@dataclass
class ItemChange:
    item: dict
    changes: list[FactChange]


@dataclass
class ProgrammeChanges:
    """What differs between the programme as last sent and the programme now."""

    facts: list[FactChange] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    #: True when nothing was ever sent, so changes cannot be listed (published before the
    #: portal kept snapshots): the whole programme is sent instead.
    baseline_missing: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.baseline_missing or self.facts or self.added or self.changed or self.removed
        )

    @property
    def count(self) -> int:
        return len(self.facts) + len(self.added) + len(self.changed) + len(self.removed)

    # Readable lines, in the active language, for the editor and the e-mail.
    @property
    def fact_lines(self) -> list[str]:
        return [f"{c.label}: {c.old} → {c.new}" for c in self.facts]

    @property
    def added_lines(self) -> list[str]:
        return [item_line(item) for item in self.added]

    @property
    def removed_lines(self) -> list[str]:
        return [item_line(item) for item in self.removed]

    @property
    def changed_items(self) -> list[dict]:
        return [
            {
                "line": item_line(change.item),
                "changes": [f"{c.label}: {c.old or '–'} → {c.new or '–'}" for c in change.changes],
            }
            for change in self.changed
        ]


def _day(value: str | None) -> str:
    return formats.date_format(date.fromisoformat(value), "l j. F Y") if value else "–"


def _dates(snapshot: dict) -> str:
    start, end = snapshot.get("start_date"), snapshot.get("end_date")
    if not start:
        return _("no dates")
    if not end or end == start:
        return _day(start)
    return f"{_day(start)} – {_day(end)}"


def _title(snapshot: dict) -> str:
    """The gathering's title as readers see it: its own, or its kind's name."""
    kind = snapshot.get("kind")
    return snapshot.get("title") or (str(GatheringKind(kind).label) if kind else "")


def item_time(item: dict) -> str:
    """«10.20–11.00», «10.20», or «time not set»."""
    if not item["start"]:
        return _("time not set")
    start = item["start"].replace(":", ".")
    return f"{start}–{item['end'].replace(':', '.')}" if item["end"] else start


def item_line(item: dict) -> str:
    """One line of the programme in an e-mail: day, time, title, speakers."""
    line = f"{_day(item['date'])} {item_time(item)}: {item['title']}"
    if item["speakers"]:
        line += f" ({'; '.join(item['speakers'])})"
    return line


def _sort_key(item: dict) -> tuple:
    """The programme's order, the page's (``selectors.agenda_items``): by day, then as placed
    within the day, so an item without a time stays where it is on the page. Snapshots stored
    before they kept the place sort by time within the day."""
    return (item["date"], item.get("position", 0), item["start"] or "", item["title"])


def programme_changes(before: dict | None, now: dict) -> ProgrammeChanges:
    if before is None:
        return ProgrammeChanges(baseline_missing=True)
    changes = ProgrammeChanges()
    if _dates(before) != _dates(now):
        changes.facts.append(FactChange(_("Dates"), _dates(before), _dates(now)))
    if _title(before) != _title(now):
        changes.facts.append(FactChange(_("Title"), _title(before), _title(now)))
    for key, label in [("venue", _("Venue")), ("address", _("Address"))]:
        if before.get(key, "") != now.get(key, ""):
            changes.facts.append(FactChange(label, before.get(key) or "–", now.get(key) or "–"))
    old_items, new_items = before.get("items", {}), now.get("items", {})
    for pk in sorted(new_items.keys() - old_items.keys(), key=lambda k: _sort_key(new_items[k])):
        changes.added.append(new_items[pk])
    for pk in sorted(old_items.keys() - new_items.keys(), key=lambda k: _sort_key(old_items[k])):
        changes.removed.append(old_items[pk])
    for pk in sorted(old_items.keys() & new_items.keys(), key=lambda k: _sort_key(new_items[k])):
        item_changes = _item_changes(old_items[pk], new_items[pk])
        if item_changes:
            changes.changed.append(ItemChange(new_items[pk], item_changes))
    return changes


def _item_changes(old: dict, new: dict) -> list[FactChange]:
    changes = []
    if old["date"] != new["date"]:
        changes.append(FactChange(_("Day"), _day(old["date"]), _day(new["date"])))
    if (old["start"], old["end"]) != (new["start"], new["end"]):
        changes.append(FactChange(_("Time"), item_time(old), item_time(new)))
    if old["title"] != new["title"]:
        changes.append(FactChange(_("Title"), old["title"], new["title"]))
    if old["speakers"] != new["speakers"]:
        changes.append(
            FactChange(
                _("Speakers"), "; ".join(old["speakers"]) or "–", "; ".join(new["speakers"]) or "–"
            )
        )
    if old["description"] != new["description"]:
        changes.append(FactChange(_("Description"), old["description"], new["description"]))
    return changes


def pending_changes(gathering: Gathering, items: list[AgendaItem]) -> ProgrammeChanges | None:
    """Changes to a published programme not yet sent to participants; None for a draft."""
    if not gathering.is_published:
        return None
    return programme_changes(gathering.notified_programme, programme_snapshot(gathering, items))


# --- Recipients and messages -------------------------------------------------------------------


def network_recipients(gathering: Gathering) -> list[Participant]:
    """The participants of the network's local projects with an e-mail address, one per
    address."""
    seen: set[str] = set()
    recipients = []
    participants = (
        Participant.objects.filter(local_project__network=gathering.network_id)
        .exclude(email="")
        .order_by("name", "pk")
    )
    for participant in participants:
        key = participant.email.strip().lower()
        if key not in seen:
            seen.add(key)
            recipients.append(participant)
    return recipients


def _links(gathering: Gathering, base_url: str) -> dict:
    return {
        "url": base_url + gathering.get_absolute_url(),
        "ical_url": base_url + reverse("gatherings:ical", args=[gathering.pk]),
        "registration_url": base_url + reverse("gatherings:registration", args=[gathering.pk]),
    }


def compose(
    gathering: Gathering,
    kind: str,
    *,
    snapshot: dict,
    changes: ProgrammeChanges | None = None,
    base_url: str,
) -> tuple[str, str]:
    """The subject and text of a message, in the portal's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        items = sorted(snapshot["items"].values(), key=_sort_key)
        context = {
            "gathering": gathering,
            "network": gathering.network,
            "dates": _dates(snapshot),
            "lines": [item_line(item) for item in items],
            "changes": changes,
            "deadline": gathering.registration_deadline,
            "registration_open": gathering.is_registration_open,
            **_links(gathering, base_url),
        }
        subjects = {
            MessageKind.PUBLISHED: _("Programme: %(title)s – %(network)s"),
            MessageKind.CHANGED: _("Changes to the programme: %(title)s – %(network)s"),
            MessageKind.WITHDRAWN: _("Programme withdrawn: %(title)s – %(network)s"),
        }
        subject = one_line(
            subjects[kind] % {"title": gathering.display_title, "network": gathering.network.name}
        )
        body = render_to_string(f"gatherings/email/programme_{kind}.txt", context)
    return subject, body.strip() + "\n"


def _send(gathering: Gathering, kind: str, *, user, **compose_args) -> SendResult:
    """Compose the message (:func:`compose`), record it in the outbox and queue it; the worker
    sends it."""
    subject, body = compose(gathering, kind, **compose_args)
    recipients = [
        outbox.Recipient(email=p.email, name=p.name) for p in network_recipients(gathering)
    ]
    message = outbox.record(
        kind=kind, subject=subject, body=body, recipients=recipients, about=gathering, sent_by=user
    )
    return SendResult(message, len(recipients))


@dataclass
class SendResult:
    message: OutboxMessage | None
    recipients: int = 0

    @property
    def counts(self) -> outbox.DeliveryCounts:
        if self.message is None:
            return outbox.DeliveryCounts()
        return outbox.counts([self.message.pk]).get(self.message.pk, outbox.DeliveryCounts())


class NotPublishable(Exception):
    """The gathering cannot be published as it is; the message says why."""


def _locked(gathering: Gathering) -> Gathering:
    return Gathering.objects.select_for_update().select_related("network").get(pk=gathering.pk)


def publish(*, gathering: Gathering, user, base_url: str) -> SendResult:
    """Publish a draft and send the programme to the network's participants."""
    with transaction.atomic():
        gathering = _locked(gathering)
        if gathering.is_published:
            return SendResult(message=None)
        if not gathering.start_date:
            raise NotPublishable(_("Give the gathering its dates before you publish it."))
        snapshot = programme_snapshot(gathering, list(agenda_items(gathering)))
        now = timezone.now()
        Gathering.objects.filter(pk=gathering.pk).update(
            status=GatheringStatus.PUBLISHED,
            published_at=now,
            notified_programme=snapshot,
            notified_at=now,
            version=F("version") + 1,
        )
        gathering.refresh_from_db()
        return _send(
            gathering, MessageKind.PUBLISHED, user=user, snapshot=snapshot, base_url=base_url
        )


def send_changes(*, gathering: Gathering, user, base_url: str) -> SendResult:
    """Send the changes since the programme was last sent; nothing when there are none."""
    with transaction.atomic():
        gathering = _locked(gathering)
        if not gathering.is_published:
            return SendResult(message=None)
        snapshot = programme_snapshot(gathering, list(agenda_items(gathering)))
        changes = programme_changes(gathering.notified_programme, snapshot)
        if not changes:
            return SendResult(message=None)
        Gathering.objects.filter(pk=gathering.pk).update(
            notified_programme=snapshot, notified_at=timezone.now()
        )
        return _send(
            gathering,
            MessageKind.CHANGED,
            user=user,
            snapshot=snapshot,
            changes=changes,
            base_url=base_url,
        )


def withdraw(*, gathering: Gathering, user, base_url: str) -> SendResult:
    """Take a published programme back to draft, and tell those who were sent it."""
    with transaction.atomic():
        gathering = _locked(gathering)
        if not gathering.is_published:
            return SendResult(message=None)
        Gathering.objects.filter(pk=gathering.pk).update(
            status=GatheringStatus.DRAFT, version=F("version") + 1
        )
        was_sent = gathering.notified_at is not None
        gathering.refresh_from_db()
        if not was_sent:
            return SendResult(message=None)
        return _send(
            gathering,
            MessageKind.WITHDRAWN,
            user=user,
            snapshot=gathering.notified_programme or {"items": {}},
            base_url=base_url,
        )


def resend_failed(*, message: OutboxMessage) -> SendResult:
    return SendResult(message, outbox.retry_failed(message=message))


# --- Registrations: a confirmation to the person registered ------------------------------------


def _day(iso: str) -> str:
    return formats.date_format(date.fromisoformat(iso), "l j. F Y")


def confirm_registration(
    *,
    registration: Registration,
    base_url: str,
    domain: str,
    cancelled: bool = False,
    changed: bool = False,
) -> OutboxMessage | None:
    """Record a confirmation to the registered participant (none without an e-mail address):
    the days and meals they are registered for and the gathering's calendar as an .ics
    attachment; a cancellation without one."""
    participant = registration.participant
    if not participant.email:
        return None
    gathering = registration.gathering
    if cancelled:
        subject = _("Registration cancelled: %(title)s") % {"title": gathering.display_title}
    elif changed:
        subject = _("Registration changed: %(title)s") % {"title": gathering.display_title}
    else:
        subject = _("Registered: %(title)s") % {"title": gathering.display_title}
    body = render_to_string(
        "gatherings/email/registration.txt",
        {
            "gathering": gathering,
            "registration": registration,
            "cancelled": cancelled,
            "days": [_day(day) for day in registration.days],
            "dinner_days": [_day(day) for day in registration.dinner_days],
            **_links(gathering, base_url),
        },
    )
    attachment = None
    if not cancelled:
        items = list(agenda_items(gathering))
        attachment = outbox.Attachment(
            name=f"samling-{gathering.pk}.ics",
            content=calendar.gathering_calendar(
                gathering, items, base_url=base_url, domain=domain
            ).decode(),
            content_type="text/calendar; charset=utf-8",
        )
    return outbox.record(
        kind=MessageKind.REGISTRATION,
        subject=subject,
        body=body,
        recipients=[outbox.Recipient(email=participant.email, name=participant.name)],
        about=gathering,
        attachment=attachment,
    )
