"""Writes of the reputation survey: opening and closing runs, admitting and storing answers,
invitations, and the questionnaire's freeze.

Whether an answer is taken is decided in one place, :func:`admit_answer`: the run's dates, the
invitation link, the open link's «answered» cookie, the limit per client address and the
repeat of the same answers.

An answer is one statement on PostgreSQL: lock the run row against closing (``FOR KEY SHARE``,
which answers do not wait for among themselves), mark the invitation used if there is one,
insert the response and its answers (elsewhere the same steps in one transaction). Closing takes
``FOR UPDATE`` on the same row, so it waits for answers under way and answers after it see the
run closed: the values a closed run writes are computed from exactly the answers it holds.
"""

from __future__ import annotations

import enum
import hashlib
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TypedDict, Unpack

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext

from core import outbox
from core.models import DeliveryStatus, OutboxMessage, OutboxRecipient
from core.throttle import allow
from core.tokens import hash_token, random_token
from measurements.models import Indicator, Measurement, MeasurementRound, MeasurementSource
from measurements.services import ValueEntry, WriteResult, write_values
from municipalities.models import LocalProject
from network.models import MailKind

from .models import (
    OPEN_LINK_NB,
    TARGET_GROUP_NB,
    Questionnaire,
    RunState,
    Statement,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    SurveyRun,
)
from .results import INDEX_PLACES, RunResults, to_decimal
from .selectors import (
    answer_pages_changed,
    questionnaire_statements,
    response_counts,
    run_results,
)

#: At most this many invitations per run, all uploads together.
MAX_INVITATIONS_PER_RUN = 10_000
SURVEY_SOURCE_NB = "Omdømmeundersøkelsen i Nettverksportalen"


class QuestionnaireFrozen(Exception):
    """The questionnaire has answers: it cannot change any more (make a new version)."""


class SurveyNotOpen(Exception):
    """The run was closed before the answer could be stored."""


class InvitationNotValid(Exception):
    """The invitation link is unknown or has been used."""


class AlreadyClosed(Exception):
    """The run was closed before (e.g. the button was pressed twice)."""


# --- The questionnaire --------------------------------------------------------------------------


def is_frozen(questionnaire: Questionnaire) -> bool:
    return SurveyResponse.objects.filter(run__questionnaire=questionnaire).exists()


def lock_for_change(questionnaire: Questionnaire) -> None:
    """Call inside the transaction that changes the questionnaire or its statements: locks it
    and raises :class:`QuestionnaireFrozen` once any run of it has an answer."""
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    if is_frozen(questionnaire):
        raise QuestionnaireFrozen(questionnaire)


def mark_changed(questionnaire: Questionnaire) -> None:
    """Raise the revision after a change: the answer pages read the new texts at once, and a
    form filled in against the old ones is shown again."""
    Questionnaire.objects.filter(pk=questionnaire.pk).update(revision=F("revision") + 1)
    answer_pages_changed()


def new_version(questionnaire: Questionnaire) -> Questionnaire:
    """A copy of ``questionnaire`` as the programme's next version, to be changed freely."""
    with transaction.atomic():
        last = (
            Questionnaire.objects.select_for_update()
            .filter(programme_id=questionnaire.programme_id)
            .order_by("-version")
            .first()
        )
        copy = Questionnaire.objects.create(
            programme_id=questionnaire.programme_id,
            version=last.version + 1,
            **model_to_dict(questionnaire, fields=_QUESTIONNAIRE_COPIED),
        )
        Statement.objects.bulk_create(
            Statement(questionnaire=copy, **model_to_dict(s, fields=_STATEMENT_COPIED))
            for s in questionnaire.statements.all()
        )
    return copy


#: What a new version copies of a questionnaire and of each of its statements.
_QUESTIONNAIRE_COPIED = [
    f"{field}_{code}" for field in ("intro", "words_question") for code in ("nb", "nn", "en")
]
_STATEMENT_COPIED = ["position", "code", "group", "text_nb", "text_nn", "text_en"]

# --- Runs ---------------------------------------------------------------------------------------


def questionnaire_for(local_project: LocalProject, target_group: str) -> Questionnaire | None:
    """The questionnaire a new run uses: the one of the project's earlier runs of the same
    target group (so baseline and end are comparable), else the programme's current one."""
    earlier = (
        SurveyRun.objects.filter(local_project=local_project, target_group=target_group)
        .select_related("questionnaire")
        .order_by("created_at")
        .first()
    )
    if earlier is not None:
        return earlier.questionnaire
    return Questionnaire.objects.current_for(local_project.network.programme_id)


class RunChoices(TypedDict):
    """What the person who opens a run chooses (``forms.RunForm``)."""

    round: MeasurementRound
    target_group: str
    opens_on: date
    closes_on: date
    accepts_open_link: bool


def open_run(
    *,
    local_project: LocalProject,
    questionnaire: Questionnaire,
    user,
    **choices: Unpack[RunChoices],
) -> SurveyRun:
    return SurveyRun.objects.create(
        local_project=local_project, questionnaire=questionnaire, created_by=user, **choices
    )


@dataclass
class CloseOutcome:
    results: RunResults
    written: WriteResult | None  # None: too few answers, nothing written


def close_run(*, run: SurveyRun, user, reason: str = "") -> CloseOutcome:
    """Close the run and, with enough answers through one-time links, write its index into
    the programme's reputation indicator for the project and round (``write_values``, source
    «survey»): the run's target group as a part, and the overall value recomputed
    (:func:`index_entries`). Statement means are the survey's details, never values. Raises
    :class:`AlreadyClosed`, and ``RoundNotOpen``/``ReasonRequired`` from ``write_values`` (then
    the run stays open)."""
    with transaction.atomic():
        still_open = (
            SurveyRun.objects.select_for_update()
            .filter(pk=run.pk, closed_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if not list(still_open):
            raise AlreadyClosed
        run.closed_at, run.closed_by = timezone.now(), user
        run.save(update_fields=["closed_at", "closed_by"])
        run.response_count, run.open_link_count = response_counts(run)
        results = run_results(run, questionnaire_statements(run.questionnaire))
        written = None
        if results.enough:
            written = write_values(
                entries=index_entries(run, results),
                rounds={run.round_id: run.round},
                source=MeasurementSource.SURVEY,
                user=user,
                reason=reason,
            )
    return CloseOutcome(results=results, written=written)


def reputation_indicator(project: LocalProject) -> Indicator | None:
    """The catalogue indicator of the project's theme that the survey fills, if any."""
    return (
        Indicator.objects.catalogue()
        .filter(theme_id=project.network.theme_id, measured_by_survey=True)
        .order_by("position", "pk")
        .first()
    )


def run_note(run: SurveyRun, results: RunResults) -> str:
    """The note of the value a run writes: where it comes from and how many answered."""
    label = f"{TARGET_GROUP_NB[run.target_group]}, {run.round.name}"
    counted = f"{results.responses} svar"
    if results.through_open_link:
        label += f", {OPEN_LINK_NB}"
        counted += f", {results.open_link} av dem gjennom {OPEN_LINK_NB}"
    return (
        f"{SURVEY_SOURCE_NB} ({label}): {counted}, "
        f"spørreskjema versjon {run.questionnaire.version}."
    )


def overall_index(parts: dict[str, Decimal]) -> Decimal | None:
    """The reputation index of a project and round from its target groups' indices (each from
    a run with at least ``MIN_ANSWERS`` answers): their plain mean, one decimal, half up – so
    with one group (usually the employees) its own index."""
    if not parts:
        return None
    return to_decimal(Fraction(sum(parts.values(), Decimal(0))) / len(parts), INDEX_PLACES)


def index_entries(run: SurveyRun, results: RunResults) -> list[ValueEntry]:
    """What a closed run writes into the theme's reputation indicator (0–100) for its project
    and round: its target group's index as a part, and the overall index of the groups' parts
    (:func:`overall_index`) as the value itself – unless the leaders reported that value
    themselves (by form or import): theirs stays.

    Nothing from a run that took answers through the open link (anyone with the link could
    answer: its results are shown, labelled, but are not the official index), nor from a
    theme without a reputation indicator, nor when no statement had enough ratings."""
    project = run.local_project
    indicator = reputation_indicator(project)
    if indicator is None or results.index is None or results.through_open_link:
        return []
    note = run_note(run, results)
    saved = {
        m.part: m
        for m in Measurement.objects.filter(
            local_project=project, indicator=indicator, round_id=run.round_id
        )
    }
    parts = {part: m.value for part, m in saved.items() if part}
    parts[run.target_group] = results.index
    entries = [
        ValueEntry(
            project.pk, indicator.pk, run.round_id, results.index, note, part=run.target_group
        )
    ]
    overall = saved.get("")
    if overall is None or overall.source == MeasurementSource.SURVEY:
        groups = ", ".join(TARGET_GROUP_NB[g] for g in TARGET_GROUP_NB if g in parts)
        overall_note = (
            f"{SURVEY_SOURCE_NB} ({run.round.name}): snittet av omdømmeindeksen blant {groups}."
            if len(parts) > 1
            else note
        )
        entries.append(
            ValueEntry(project.pk, indicator.pk, run.round_id, overall_index(parts), overall_note)
        )
    return entries


# --- Answers ------------------------------------------------------------------------------------


class Admission(enum.StrEnum):
    """What :func:`admit_answer` decided. The refusals name the reason the answer pages show."""

    ADMITTED = "admitted"  # the form may be shown (no answer given yet)
    STORED = "stored"
    REPEAT = "repeat"  # the same answers again from the same browser: stored once already
    THROTTLED = "throttled"
    ANSWERED = "answered"  # this browser answered through the open link already
    INVITATION_ONLY = "invitation_only"
    INVITATION_USED = "invitation_used"
    UPCOMING = RunState.UPCOMING.value
    ENDED = RunState.ENDED.value
    CLOSED = RunState.CLOSED.value

    @property
    def taken(self) -> bool:
        """The answer is in the database (now, or by the first of two identical sends)."""
        return self in (Admission.STORED, Admission.REPEAT)


@dataclass(frozen=True)
class Client:
    """What the guards know of the sender – used in the cache, hashed, and never stored."""

    address: str
    user_agent: str = ""
    csrf_cookie: str = ""
    answered: bool = False  # the browser carries the run's «answered» cookie


@dataclass(frozen=True)
class Answer:
    """``answers`` maps each statement id to 1–6 or None («don't know»)."""

    answers: dict[int, int | None]
    words: tuple[str, str, str]


#: The same answers from the same browser to the same run within this many seconds are taken
#: for a repeat (a double click, a replay) and stored once.
DUPLICATE_WINDOW = 5 * 60


def admit_answer(
    *, run: SurveyRun, invitation_token: str, client: Client, answer: Answer | None = None
) -> Admission:
    """Decide whether ``client`` may answer ``run`` and, given ``answer``, store it when it may.

    Without ``answer`` only whether the form may be shown (nothing is counted). An invitation
    link answers once and is not held back by the open link's guards. The open link (only if
    the run accepts it) is refused to a browser with the «answered» cookie, counted against
    ``SURVEY_OPEN_LINK_LIMIT`` answers per ``SURVEY_OPEN_LINK_WINDOW`` seconds per client
    address (an IPv6 address by its /64 network) and run on the shared cache, and the same
    answers from the same browser within ``DUPLICATE_WINDOW`` are stored once. Whether the run
    is still open is checked again where the answer is stored."""
    state = run.state
    if state != RunState.OPEN:
        return Admission(state.value)
    if invitation_token:
        if answer is None:
            unused = SurveyInvitation.objects.filter(
                run_id=run.pk, token_hash=hash_token(invitation_token), used=False
            ).exists()
            return Admission.ADMITTED if unused else Admission.INVITATION_USED
        return _store(run, answer, invitation_token=invitation_token)
    if not run.accepts_open_link:
        return Admission.INVITATION_ONLY
    if client.answered:
        return Admission.ANSWERED
    if answer is None:
        return Admission.ADMITTED
    if not allow(
        f"survey:{run.pk}:{_address_key(client.address)}",
        limit=settings.SURVEY_OPEN_LINK_LIMIT,
        window=settings.SURVEY_OPEN_LINK_WINDOW,
    ):
        return Admission.THROTTLED
    sent = (run.pk, client.address, client.user_agent, client.csrf_cookie)
    content = (sorted(answer.answers.items()), answer.words)
    repeat_key = "survey:answered:" + hashlib.sha256(repr((sent, content)).encode()).hexdigest()
    if not cache.add(repeat_key, 1, timeout=DUPLICATE_WINDOW):
        return Admission.REPEAT
    try:
        admitted = _store(run, answer, through_open_link=True)
    except Exception:
        # Not stored (the database is down: the run came from the cache): the same answers
        # sent again must be stored, not taken for a repeat.
        cache.delete(repeat_key)
        raise
    if not admitted.taken:
        cache.delete(repeat_key)
    return admitted


def _address_key(address: str) -> str:
    """The client address the limit counts: an IPv6 address by its /64 network (one
    subscriber holds a whole /64)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _store(
    run: SurveyRun, answer: Answer, *, invitation_token: str = "", through_open_link: bool = False
) -> Admission:
    try:
        submit_response(
            run=run,
            answers=answer.answers,
            words=answer.words,
            invitation_token=invitation_token,
            through_open_link=through_open_link,
        )
    except SurveyNotOpen:
        return Admission.CLOSED
    except InvitationNotValid:
        return Admission.INVITATION_USED
    return Admission.STORED


def submit_response(
    *,
    run: SurveyRun,
    answers: dict[int, int | None],
    words: tuple[str, str, str],
    invitation_token: str = "",
    through_open_link: bool = False,
) -> None:
    """Store one anonymous response: ``answers`` maps each statement id to 1–6 or None
    («don't know»). Raises :class:`SurveyNotOpen` when the run closed meanwhile and
    :class:`InvitationNotValid` for a used or unknown invitation; nothing is stored then.
    Call :func:`admit_answer`, which applies the guards, rather than this."""
    response = SurveyResponse(
        run_id=run.pk,
        through_open_link=through_open_link and not invitation_token,
        word_1=words[0],
        word_2=words[1],
        word_3=words[2],
    )
    invitation_hash = hash_token(invitation_token) if invitation_token else ""
    if connection.vendor == "postgresql":
        _insert_response(response, answers, invitation_hash)
        return
    with transaction.atomic():
        if not _lock_open_run(run.pk):
            raise SurveyNotOpen
        if invitation_hash:
            claimed = SurveyInvitation.objects.filter(
                run_id=run.pk, token_hash=invitation_hash, used=False
            ).update(used=True)
            if not claimed:
                raise InvitationNotValid
        response.save(force_insert=True)
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, statement_id=statement_id, value=value)
            for statement_id, value in answers.items()
        )


def _lock_open_run(run_id: int) -> bool:
    """True while the run is not closed; holds it against closing until the transaction ends
    (SQLite runs one writing transaction at a time, so the plain read inside it is enough)."""
    table = connection.ops.quote_name(SurveyRun._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s AND closed_at IS NULL", [run_id])
        return cursor.fetchone() is not None


def _insert_response(
    response: SurveyResponse, answers: dict[int, int | None], invitation_hash: str
) -> None:
    """PostgreSQL: the whole answer in one statement, so one round trip and no transaction
    to open and commit. It locks the run ``FOR KEY SHARE`` if it is not closed (answers share
    the lock; closing takes ``FOR UPDATE``, so it waits for answers under way, and an answer
    waiting behind a close re-reads the row and finds it closed), claims the invitation if
    there is one, and inserts the response and its answers only when both succeeded."""
    quote = connection.ops.quote_name
    sql = f"""
        WITH run AS (
            SELECT id FROM {quote(SurveyRun._meta.db_table)}
            WHERE id = %(run)s AND closed_at IS NULL FOR KEY SHARE
        ), claimed AS (
            UPDATE {quote(SurveyInvitation._meta.db_table)} SET used = TRUE
            WHERE %(invited)s AND run_id IN (SELECT id FROM run)
                AND token_hash = %(invitation)s AND NOT used
            RETURNING id
        ), response AS (
            INSERT INTO {quote(SurveyResponse._meta.db_table)}
                (run_id, through_open_link, word_1, word_2, word_3)
            SELECT id, %(open_link)s, %(word_1)s, %(word_2)s, %(word_3)s
            FROM run WHERE NOT %(invited)s OR EXISTS (SELECT 1 FROM claimed)
            RETURNING id
        ), answers AS (
            INSERT INTO {quote(SurveyAnswer._meta.db_table)} (response_id, statement_id, value)
            SELECT response.id, item.statement_id, item.value FROM response,
                unnest(%(statements)s::bigint[], %(values)s::smallint[])
                    AS item (statement_id, value)
        )
        SELECT EXISTS (SELECT 1 FROM run), EXISTS (SELECT 1 FROM response)
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "run": response.run_id,
                "invited": bool(invitation_hash),
                "invitation": invitation_hash,
                "open_link": response.through_open_link,
                "word_1": response.word_1,
                "word_2": response.word_2,
                "word_3": response.word_3,
                "statements": list(answers),
                "values": list(answers.values()),
            },
        )
        run_open, stored = cursor.fetchone()
    if not run_open:
        raise SurveyNotOpen
    if not stored:
        raise InvitationNotValid


# --- Invitations --------------------------------------------------------------------------------


def send_invitations(
    *,
    run: SurveyRun,
    addresses: list[str],
    message: Callable[[str], tuple[str, str]],
    user=None,
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Give each address its own one-time link and queue the e-mails; the worker sends them.

    ``message(token)`` gives the subject and body for one token. Only the tokens' hashes are
    kept by the survey; the addresses and personal texts wait in the outbox and are erased
    there once delivered (or failed). A link whose e-mail fails for good stops working, and
    ``SurveyRun.invitations_sent`` counts only what went out (:func:`count_delivered`).
    The same ``idempotency_key`` (one per form) sends once, however often the form is posted.
    """
    with transaction.atomic():
        # One submission at a time per run, so that a retried POST finds the first one's key.
        SurveyRun.objects.select_for_update().filter(pk=run.pk).first()
        if idempotency_key:
            existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        tokens = [random_token(16) for _address in addresses]
        hashes = [hash_token(token) for token in tokens]
        SurveyInvitation.objects.bulk_create(
            (SurveyInvitation(run_id=run.pk, token_hash=token_hash) for token_hash in hashes),
            batch_size=1000,
        )
        recipients = []
        subject = ""
        for address, token, token_hash in zip(addresses, tokens, hashes, strict=True):
            subject, body = message(token)
            recipients.append(outbox.Recipient(email=address, body=body, ref=token_hash))
        outgoing = outbox.record(
            kind=MailKind.SURVEY_INVITATION,
            subject=subject,
            body=gettext("An invitation to the survey with a personal link."),
            recipients=recipients,
            about=run,
            sent_by=user,
            idempotency_key=idempotency_key,
            forget_recipients=True,
        )
    run.refresh_from_db(fields=["invitations_sent"])
    return outgoing


def count_delivered(message: OutboxMessage) -> None:
    """After a delivery run: count the invitations that went out, and end the links whose
    e-mail failed for good. Each recipient is counted once (its reference is then cleared)."""
    if message.about_id is None:
        return
    with transaction.atomic():
        done = list(
            OutboxRecipient.objects.select_for_update()
            .filter(message=message, status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED])
            .exclude(ref="")
            .values_list("pk", "status", "ref")
        )
        if not done:
            return
        sent = sum(status == DeliveryStatus.SENT for _pk, status, _ref in done)
        failed = [ref for _pk, status, ref in done if status == DeliveryStatus.FAILED]
        SurveyInvitation.objects.filter(run_id=message.about_id, token_hash__in=failed).delete()
        OutboxRecipient.objects.filter(pk__in=[pk for pk, _status, _ref in done]).update(ref="")
        if sent:
            SurveyRun.objects.filter(pk=message.about_id).update(
                invitations_sent=F("invitations_sent") + sent
            )
