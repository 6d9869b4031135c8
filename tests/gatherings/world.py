"""A filled-in Omdømme network for the browser tests: registrations with health data,
evaluations, materials, messages, tasks and resources around the published 1. samling, and
the 2. samling as a dated draft."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from core.models import OutboxMessage, OutboxRecipient
from gatherings import services
from gatherings.models import (
    AgendaItem,
    Gathering,
    Material,
    PreparationTask,
    Resource,
    TaskCompletion,
)
from municipalities.models import LocalProject, Participant, ParticipantRole
from network.models import MailKind
from tests.gatherings.conftest import add_participant
from tests.gatherings.factories import PDF_BYTES, RegistrationFactory


@dataclass
class World:
    first: Gathering
    second: Gathering
    talk: AgendaItem
    karmoy_politician: Participant
    message: OutboxMessage
    resource: Resource


def build(*, participant_user=None) -> World:
    first = Gathering.objects.get(network__slug="omdomme", kind="samling_1")
    second = Gathering.objects.get(network__slug="omdomme", kind="samling_2")
    soon = timezone.localdate() + datetime.timedelta(days=40)
    Gathering.objects.filter(pk=second.pk).update(
        start_date=soon, end_date=soon + datetime.timedelta(days=1), venue="Sola strand hotell"
    )
    second.refresh_from_db()
    talk = first.agenda_items.get(title_nb__startswith="Saman om ein betre kommune")
    karmoy = LocalProject.objects.get(slug="karmoy-omdomme")
    strand = LocalProject.objects.get(slug="strand-omdomme")

    people = [
        add_participant(karmoy, "Ola Ordfører", ParticipantRole.POLITICIAN),
        add_participant(karmoy, "Hanne HR", ParticipantRole.HR),
        add_participant(strand, "Tina Tillitsvalgt", ParticipantRole.UNION_REPRESENTATIVE),
    ]
    for n, person in enumerate(people):
        RegistrationFactory(
            gathering=first,
            participant=person,
            drinks="wine" if n else "alcohol_free",
            diets=["no_shellfish"] if n == 0 else [],
            dietary_notes="Nøtteallergi" if n == 1 else "",
            settles_bill=n == 0,
        )
        services.submit_evaluation(
            gathering=first,
            participant=person,
            answers=[
                services.Answer(talk, 5 - n, "Nyttig innledning" if n == 0 else ""),
                services.Answer(None, 4, "Godt opplegg"),
            ],
        )
    if participant_user is not None:
        me = Participant.objects.get(user=participant_user)
        RegistrationFactory(gathering=first, participant=me, days=["2012-02-16"])

    Material.objects.create(
        agenda_item=talk,
        title="Lysark",
        file=ContentFile(PDF_BYTES, name="lysark.pdf"),
        original_name="Rivenes lysark.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    message = OutboxMessage.objects.create(
        about=first,
        kind=MailKind.PUBLISHED,
        subject="Programmet: 1. samling – Omdømme",
        body="Programmet er publisert.\n\n- torsdag 16. februar 2012 10.20: Saman om ein …",
    )
    OutboxRecipient.objects.create(
        message=message,
        name="Ola Ordfører",
        email="ola@example.org",
        status="sent",
        sent_at=timezone.now(),
    )
    OutboxRecipient.objects.create(
        message=message,
        name="Feil Adresse",
        email="feil@example.org",
        status="failed",
        error="550 No such user",
    )
    task = PreparationTask.objects.create(
        gathering=second, title="Presentasjon i plenum", description="10 minutter", position=1
    )
    PreparationTask.objects.create(gathering=second, title="Måling av omdømme", position=2)
    TaskCompletion.objects.create(task=task, local_project=karmoy)
    resource = Resource.objects.create(
        programme=first.network.programme,
        network=first.network,
        theme=first.network.theme,
        kind="report",
        title="Omdømmeundersøkelse 2011",
        url="https://www.ks.no/",
    )
    Resource.objects.create(
        programme=first.network.programme,
        kind="literature",
        title="Forankring i praksis",
        file=ContentFile(PDF_BYTES, name="forankring.pdf"),
        original_name="Forankring.pdf",
        size=len(PDF_BYTES),
    )
    # A change to the published programme, not yet sent.
    AgendaItem.objects.filter(pk=talk.pk).update(start=datetime.time(10, 30))
    return World(first, second, talk, people[0], message, resource)
