"""Writes: values (from the report form, an import or – later – the reputation survey), the
anchoring stage, goals, publication, rounds' reminders.

Every value write goes through :func:`write_values`: it leaves unchanged values alone, refuses a
round that has not opened, requires a reason for any change to a closed round (kept in the
history as ``history_change_reason``) and raises the version of each touched
:class:`~measurements.models.RoundReport`, so a leader with the report form open sees a conflict
instead of silently overwriting what an import or a survey wrote meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial, reduce
from itertools import chain, islice
from operator import or_

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from simple_history.utils import bulk_create_with_history

from core import outbox
from core.editing import save_if_unchanged
from core.models import OutboxMessage
from core.personal_data import Declarations
from core.tally import Tally
from municipalities.models import LocalProject
from municipalities.rules import led_project_ids
from network.models import MailKind

from . import models

#: Rows a single INSERT or UPDATE writes: a large import becomes many short statements, never
#: one statement (and one huge ``CASE WHEN`` expression to plan) for all its rows.
WRITE_BATCH = 500


class RoundNotOpen(Exception):
    """A value was given for a round that has not opened yet."""

    def __init__(self, round: models.MeasurementRound):
        super().__init__(f"The round {round} has not opened yet.")
        self.round = round


class ReasonRequired(Exception):
    """A closed round's values were to change without a reason."""

    def __init__(self, round: models.MeasurementRound):
        super().__init__(f"The round {round} is closed: a correction needs a reason.")
        self.round = round


class AlreadyImported(Exception):
    """The import batch was confirmed before (e.g. the button was pressed twice)."""


@dataclass(frozen=True)
class ValueEntry:
    """One value to write. ``value`` None removes the value; ``note`` None keeps the note;
    ``part`` names the part of the indicator's value (empty: the value itself)."""

    local_project_id: int
    indicator_id: int
    round_id: int
    value: Decimal | None
    note: str | None = ""
    part: str = ""


@dataclass
class WriteResult(Tally):
    """How many values a write created, updated, removed and left as they were."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.total - self.unchanged


def check_round_change(
    round: models.MeasurementRound, reason: str, today: date | None = None
) -> None:
    """Raise unless values of ``round`` may change now (with ``reason`` when it is closed)."""
    state = round.state_on(today or timezone.localdate())
    if state == "upcoming":
        raise RoundNotOpen(round)
    if state == "closed" and not reason.strip():
        raise ReasonRequired(round)


def write_values(
    *,
    entries: Iterable[ValueEntry],
    rounds: dict[int, models.MeasurementRound],
    source: str,
    user,
    reason: str = "",
    bump_versions: bool = True,
    draw: bool = True,
) -> WriteResult:
    """Write ``entries`` (``rounds`` holds each entry's round by id) in one transaction,
    :data:`WRITE_BATCH` at a time: a large import never holds all its values, the saved ones
    and their history at once (``entries`` may be a generator)."""
    result = WriteResult()
    chunks = _chunks(entries, WRITE_BATCH)
    first = next(chunks, None)
    if first is None:
        return result
    reason = reason.strip()
    touched: set[tuple[int, int]] = set()
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        for chunk in chain([first], chunks):
            _write_chunk(
                chunk,
                rounds=rounds,
                source=source,
                user=user,
                reason=reason,
                today=today,
                now=now,
                result=result,
                touched=touched,
            )
        if bump_versions and touched:
            bump_report_versions(touched)
        if draw:
            draw_later(project for project, _round in touched)
    return result


#: The most projects one drawing task draws (an import of the whole programme makes several).
DRAW_AT_ONCE = 50


def draw_later(project_ids: Iterable[int]) -> None:
    """Once the write is committed, have the worker draw these projects' charts: a chart is
    drawn when its data changes, not on the first view after."""
    from .tasks import draw_progress

    ids = sorted(set(project_ids))
    for chunk in _chunks(ids, DRAW_AT_ONCE):
        transaction.on_commit(partial(draw_progress.enqueue, chunk))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def _write_chunk(
    entries: list[ValueEntry],
    *,
    rounds: dict[int, models.MeasurementRound],
    source: str,
    user,
    reason: str,
    today: date,
    now: datetime,
    result: WriteResult,
    touched: set[tuple[int, int]],
) -> None:
    """Write some of :func:`write_values`' entries: counted in ``result``, their (project,
    round) pairs added to ``touched``."""
    existing = {
        (m.local_project_id, m.indicator_id, m.round_id, m.part): m
        for m in models.Measurement.objects.filter(
            local_project_id__in={e.local_project_id for e in entries},
            indicator_id__in={e.indicator_id for e in entries},
            round_id__in={e.round_id for e in entries},
            part__in={e.part for e in entries},
        )
    }
    to_create, to_update, to_remove = [], [], []
    for entry in entries:
        key = (entry.local_project_id, entry.indicator_id, entry.round_id, entry.part)
        current = existing.get(key)
        note = entry.note if entry.note is not None else (current.note if current else "")
        if entry.value is None:
            if current is None:
                continue
            to_remove.append(current)
        elif current is None:
            current = models.Measurement(
                **asdict(entry) | {"note": note},
                source=source,
                reported_by=user,
                reported_at=now,
            )
            to_create.append(current)
        elif current.value == entry.value and current.note == note:
            result.add("unchanged")
            continue
        else:
            current.value, current.note, current.source = entry.value, note, source
            current.reported_by, current.reported_at = user, now
            to_update.append(current)
        round = rounds[entry.round_id]
        check_round_change(round, reason, today)
        if round.state_on(today) == "closed":
            current._change_reason = reason
        touched.add((entry.local_project_id, entry.round_id))
    if to_create:
        bulk_create_with_history(
            to_create, models.Measurement, batch_size=WRITE_BATCH, default_user=user
        )  # Django lowers the batch further where the database needs it (SQLite)
    if to_update:
        update_rows(to_update, ["value", "note", "source", "reported_by", "reported_at"])
        models.Measurement.history.bulk_history_create(
            to_update, batch_size=WRITE_BATCH, update=True, default_user=user
        )
    for measurement in to_remove:
        measurement._history_user = user
        measurement.delete()
    result.created += len(to_create)
    result.updated += len(to_update)
    result.removed += len(to_remove)


def batch_size(columns: int) -> int:
    """Rows of ``columns`` values one statement takes: :data:`WRITE_BATCH`, fewer where the
    database takes fewer parameters (SQLite, as Django counts them: 999)."""
    limit = connection.features.max_query_params
    return min(WRITE_BATCH, limit // columns) if limit else WRITE_BATCH


def update_rows(objs: Sequence, fields: list[str]) -> int:
    """Save ``fields`` of saved model objects (all of one model) with one
    ``UPDATE … FROM (VALUES …)`` per :data:`WRITE_BATCH` rows.

    Django's ``bulk_update`` builds a ``CASE WHEN pk = … THEN …`` expression per field and row,
    which costs seconds of Python and of PostgreSQL's planning for a few thousand rows; a list of
    values joined on the primary key costs neither. Works on PostgreSQL and SQLite (3.33+),
    where a ``VALUES`` list's columns are both named ``column1``, ``column2`` …"""
    if not objs:
        return 0
    meta = objs[0]._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    assignments = ", ".join(
        f"{quote(f.column)} = {quote('v')}.column{n}" for n, f in enumerate(columns[1:], start=2)
    )
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = batch_size(len(columns))
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            params = [
                f.get_db_prep_save(getattr(obj, f.attname), connection)
                for obj in chunk
                for f in columns
            ]
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {assignments} "
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS {quote('v')} "
                f"WHERE {quote(meta.db_table)}.{quote(meta.pk.column)} = {quote('v')}.column1",
                params,
            )
            updated += cursor.rowcount
    return updated


def bump_report_versions(pairs: Iterable[tuple[int, int]]) -> None:
    """Raise the version of each (project id, round id) report, creating missing ones."""
    pairs = sorted(set(pairs))
    models.RoundReport.objects.bulk_create(
        [models.RoundReport(local_project_id=p, round_id=r) for p, r in pairs],
        ignore_conflicts=True,
    )
    for start in range(0, len(pairs), 400):
        chunk = pairs[start : start + 400]
        models.RoundReport.objects.filter(
            reduce(or_, (Q(local_project_id=p, round_id=r) for p, r in chunk))
        ).update(version=F("version") + 1)


def submit_report(
    *,
    local_project: LocalProject,
    round: models.MeasurementRound,
    user,
    loaded_version: int,
    values: dict[int, tuple[Decimal | None, str]],
    stage: int | None,
    stage_note: str,
    reason: str = "",
) -> WriteResult:
    """Save a leader's report for one round: every indicator's value and note, and the
    anchoring stage. Raises :class:`~core.editing.EditConflict` when someone saved
    (or imported) values for the round after the form was loaded."""
    with transaction.atomic():
        report, _created = models.RoundReport.objects.get_or_create(
            local_project=local_project, round=round
        )
        report.submitted_by, report.submitted_at = user, timezone.now()
        save_if_unchanged(
            report, loaded_version=loaded_version, fields=["submitted_by", "submitted_at"]
        )
        result = write_values(
            entries=[
                ValueEntry(local_project.pk, indicator_id, round.pk, value, note)
                for indicator_id, (value, note) in values.items()
            ],
            rounds={round.pk: round},
            source=models.MeasurementSource.FORM,
            user=user,
            reason=reason,
            bump_versions=False,
            draw=False,  # drawn below once, with the anchoring stage
        )
        result.add(
            _write_anchoring(
                local_project=local_project,
                round=round,
                stage=stage,
                note=stage_note,
                user=user,
                reason=reason.strip(),
            )
        )
        draw_later([local_project.pk])
    return result


def _write_anchoring(*, local_project, round, stage, note, user, reason) -> str:
    current = models.AnchoringAssessment.objects.filter(
        local_project=local_project, round=round
    ).first()
    if stage is None:
        if current is None:
            return "unchanged"
        kind = "removed"
    elif current is None:
        current = models.AnchoringAssessment(local_project=local_project, round=round)
        kind = "created"
    elif current.stage == stage and current.note == note:
        return "unchanged"
    else:
        kind = "updated"
    check_round_change(round, reason)
    current._history_user = user
    if round.is_closed:
        current._change_reason = reason
    if kind == "removed":
        current.delete()
    else:
        current.stage, current.note = stage, note
        current.save()
    return kind


def save_goals(
    *,
    local_project: LocalProject,
    user,
    loaded_version: int,
    goals: dict[int, tuple[Decimal, date] | None],
) -> None:
    """Set (or, for None, remove) the project's goal for each indicator id. Raises
    :class:`~core.editing.EditConflict` when another leader saved goals meanwhile."""
    with transaction.atomic():
        page, _created = models.ProgressPage.objects.get_or_create(local_project=local_project)
        save_if_unchanged(page, loaded_version=loaded_version, fields=[])
        current = {
            g.indicator_id: g for g in models.Goal.objects.filter(local_project=local_project)
        }
        for indicator_id, goal in goals.items():
            existing = current.get(indicator_id)
            if goal is None:
                if existing is not None:
                    existing.delete()
                continue
            target_value, target_date = goal
            if existing is None:
                models.Goal.objects.create(
                    local_project=local_project,
                    indicator_id=indicator_id,
                    target_value=target_value,
                    target_date=target_date,
                )
            elif (existing.target_value, existing.target_date) != goal:
                existing.target_value, existing.target_date = goal
                existing.save(update_fields=["target_value", "target_date"])
        draw_later([local_project.pk])


def set_publication(*, local_project: LocalProject, user, publish: bool) -> None:
    """Publish the project's results (its progress page becomes public) or withdraw them."""
    page, _created = models.ProgressPage.objects.get_or_create(local_project=local_project)
    models.ProgressPage.objects.filter(pk=page.pk).update(
        published_at=timezone.now() if publish else None, published_by=user if publish else None
    )
    if publish:
        draw_later([local_project.pk])


def add_own_indicator(
    *, local_project: LocalProject, indicator: models.Indicator
) -> models.Indicator:
    """Save ``indicator`` (from the form, not yet saved) as the project's own, after its
    other own indicators."""
    last = (
        models.Indicator.objects.filter(local_project=local_project)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    indicator.local_project, indicator.theme = local_project, None
    indicator.position = (last or 0) + 1
    indicator.save()
    draw_later([local_project.pk])
    return indicator


class ImportStale(Exception):
    """Projects, indicators, rounds or the uploader's rights changed since the file was checked."""


def import_entries(batch: models.ImportBatch, user) -> tuple[Iterator[ValueEntry], dict]:
    """The values of a checked batch, made one by one as they are written, and their rounds by
    id, checked again against what exists and what ``user`` may import now (five queries);
    raises :class:`ImportStale`."""
    rows = batch.rows  # [row, project id, indicator id, round id, value, note, status, before]
    every = user.has_perm("measurements.import_for_every_project")
    allowed = None if every else led_project_ids(user)
    rounds = models.MeasurementRound.objects.in_bulk({r[3] for r in rows})
    projects = set(
        LocalProject.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", flat=True)
    )
    indicators = set(
        models.Indicator.objects.filter(pk__in={r[2] for r in rows}).values_list("pk", flat=True)
    )
    if any(
        r[1] not in projects
        or r[2] not in indicators
        or r[3] not in rounds
        or (allowed is not None and r[1] not in allowed)
        for r in rows
    ):
        raise ImportStale
    entries = (ValueEntry(r[1], r[2], r[3], Decimal(r[4]), r[5]) for r in rows)
    return entries, rounds


def commit_import(
    *, batch: models.ImportBatch, entries: Iterable[ValueEntry], rounds, user, reason: str
) -> WriteResult:
    """Write a checked import once; a second confirmation raises :class:`AlreadyImported`.
    What was written is kept in the batch's summary (``written``)."""
    with transaction.atomic():
        claimed = models.ImportBatch.objects.filter(pk=batch.pk, committed_at__isnull=True).update(
            committed_at=timezone.now(), reason=reason.strip()
        )
        if not claimed:
            raise AlreadyImported
        result = write_values(
            entries=entries,
            rounds=rounds,
            source=models.MeasurementSource.IMPORT,
            user=user,
            reason=reason,
        )
        written = {"created": result.created, "updated": result.updated}
        written["unchanged"] = result.unchanged
        batch.summary = {**batch.summary, "written": written}
        models.ImportBatch.objects.filter(pk=batch.pk).update(summary=batch.summary)
    return result


def queue_import(*, batch: models.ImportBatch, reason: str) -> None:
    """Confirm a large import: the background worker writes it (:func:`run_queued_import`).
    A second confirmation raises :class:`AlreadyImported`."""
    from django_tasks.backends.immediate import ImmediateBackend

    from .tasks import write_import

    with transaction.atomic():
        claimed = models.ImportBatch.objects.filter(
            pk=batch.pk, committed_at__isnull=True, queued_at__isnull=True
        ).update(queued_at=timezone.now(), reason=reason.strip())
        if not claimed:
            raise AlreadyImported
        backend = write_import.get_backend()
        in_database = type(backend).__module__.startswith("django_tasks_db")
        if in_database or isinstance(backend, ImmediateBackend):
            write_import.enqueue(batch.pk)
        else:
            transaction.on_commit(lambda: write_import.enqueue(batch.pk))


def run_queued_import(batch_id: int) -> str:
    """Write a queued import (the worker's part): ``written``, ``done`` (written before) or the
    failure recorded in the batch (``stale``, ``round_changed``, ``error``)."""
    batch = models.ImportBatch.objects.select_related("uploaded_by").filter(pk=batch_id).first()
    if batch is None or batch.committed_at or batch.failure:
        return "done"
    models.ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now())
    try:
        entries, rounds = import_entries(batch, batch.uploaded_by)
        commit_import(
            batch=batch,
            entries=entries,
            rounds=rounds,
            user=batch.uploaded_by,
            reason=batch.reason,
        )
    except AlreadyImported:
        return "done"
    except ImportStale:
        failure = models.ImportFailure.STALE
    except (ReasonRequired, RoundNotOpen):
        failure = models.ImportFailure.ROUND_CHANGED
    except Exception:
        models.ImportBatch.objects.filter(pk=batch.pk).update(failure=models.ImportFailure.ERROR)
        raise
    else:
        return "written"
    models.ImportBatch.objects.filter(pk=batch.pk).update(failure=failure)
    return failure.value


@dataclass(frozen=True)
class ReminderMessage:
    local_project: LocalProject
    recipients: list[str]
    subject: str
    body: str


def send_reminders(
    *, round: models.MeasurementRound, messages: list[ReminderMessage], user
) -> list[OutboxMessage]:
    """Record each reminder and queue its e-mail (one copy per leader); the worker sends it.
    Returns the outgoing messages, whose delivery the sender can follow."""
    now = timezone.now()
    outgoing = []
    with transaction.atomic():
        reminders = models.Reminder.objects.bulk_create(
            models.Reminder(
                round=round,
                local_project=message.local_project,
                sent_by=user,
                sent_at=now,
                recipients="\n".join(message.recipients),
                subject=message.subject,
                body=message.body,
            )
            for message in messages
        )
        for reminder, message in zip(reminders, messages, strict=True):
            outgoing.append(
                outbox.record(
                    kind=MailKind.REPORTING_REMINDER,
                    subject=message.subject,
                    body=message.body,
                    recipients=[outbox.Recipient(email=address) for address in message.recipients],
                    about=reminder,
                    sent_by=user,
                )
            )
    return outgoing


#: Days before a round closes that its opt-in reminder goes out.
REMIND_DAYS_BEFORE_CLOSE = 7


def send_round_closing_reminders(*, today: date | None = None) -> int:
    """The scheduler's daily job: for each round that asks for it (``remind_before_close``),
    a week before it closes, remind the leaders of every project that has not reported.
    Once per round. Returns the number of reminders recorded."""
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from . import selectors

    today = today or timezone.localdate()
    rounds = models.MeasurementRound.objects.filter(
        remind_before_close=True,
        reminded_before_close_at__isnull=True,
        closes_on__gte=today,
        closes_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE_CLOSE),
        opens_on__lte=today,
    )
    recorded = 0
    for round in rounds:
        with transaction.atomic():
            claimed = models.MeasurementRound.objects.filter(
                pk=round.pk, reminded_before_close_at__isnull=True
            ).update(reminded_before_close_at=timezone.now())
            if not claimed:
                continue
            projects = LocalProject.objects.filter(network__programme_id=round.programme_id)
            groups, _complete, _total = selectors.completeness(projects=projects, round=round)
            messages = []
            with translation.override(settings.LANGUAGE_CODE):
                subject = gettext("Reminder: report for %(round)s") % {"round": round.name}
                for group in groups:
                    for row in group.rows:
                        if not row.leader_emails:
                            continue
                        url = settings.SITE_URL + reverse(
                            "measurements:report", args=[row.project.slug, round.slug]
                        )
                        body = render_to_string(
                            "measurements/email/reminder.txt",
                            {
                                "project": row.project,
                                "round": round,
                                "extra": "",
                                "sender": settings.PORTAL_NAME,
                                "url": url,
                            },
                        )
                        messages.append(
                            ReminderMessage(
                                local_project=row.project,
                                recipients=row.leader_emails,
                                subject=f"{subject} – {row.project.name}",
                                body=body,
                            )
                        )
            recorded += len(send_reminders(round=round, messages=messages, user=None))
    return recorded


# --- Personal data (core.personal_data) ----------------------------------------------------

#: The retention steps and subject parts declared below, registered by apps.py.
personal_data = Declarations()


@personal_data.erases(
    "measurement_history", gettext_lazy("Your name in the history of measurements"), order=30
)
@transaction.atomic
def erase_history_traces(*, user) -> int:
    """The history (django-simple-history) keeps who changed a value: for a deleted person
    the references are removed, the values and their reasons stay."""
    count = 0
    for model in (models.Measurement, models.AnchoringAssessment):
        history = model.history.model.objects
        count += history.filter(history_user_id=user.pk).update(history_user=None)
    count += models.Measurement.history.model.objects.filter(reported_by_id=user.pk).update(
        reported_by=None
    )
    return count
