"""The scheduler's reminders a week before a round closes: only for rounds that ask for them,
once, to the leaders of projects that have not reported."""

import datetime

import pytest
from django.core import mail

from core.models import OutboxMessage
from measurements.models import MeasurementRound, Reminder
from measurements.services import send_round_closing_reminders
from network.models import MailKind

pytestmark = pytest.mark.django_db


#: A fixed day: the round is placed around it, and the reminders are asked for on it.
TODAY = datetime.date(2013, 4, 24)


@pytest.fixture
def closing_round(programme):
    today = TODAY
    round = MeasurementRound.objects.get(slug="nullpunkt", programme__slug=programme.slug)
    round.opens_on = today - datetime.timedelta(days=30)
    round.closes_on = today + datetime.timedelta(days=7)
    round.save(update_fields=["opens_on", "closes_on"])
    return round


def test_no_reminder_for_a_round_that_did_not_ask_for_one(closing_round, leader_karmoy):
    assert send_round_closing_reminders(today=TODAY) == 0
    assert mail.outbox == []


def test_a_round_that_asks_is_reminded_once_a_week_before_it_closes(
    closing_round, leader_karmoy, karmoy
):
    MeasurementRound.objects.filter(pk=closing_round.pk).update(remind_before_close=True)
    today = TODAY
    assert send_round_closing_reminders(today=today - datetime.timedelta(days=1)) == 0

    sent = send_round_closing_reminders(today=today)
    assert sent >= 1
    assert Reminder.objects.filter(round=closing_round, local_project=karmoy).exists()
    karmoy_mail = next(m for m in mail.outbox if m.to == ["leder.karmoy@example.org"])
    assert "Nullpunkt" in karmoy_mail.subject and "Karmøy" in karmoy_mail.subject
    assert "/prosjekter/karmoy-omdomme/framgang/rapport/nullpunkt/" in karmoy_mail.body
    assert OutboxMessage.objects.filter(kind=MailKind.REPORTING_REMINDER).count() == sent

    assert send_round_closing_reminders(today=today) == 0  # once per round
    assert send_round_closing_reminders(today=today + datetime.timedelta(days=1)) == 0
