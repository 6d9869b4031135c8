"""The gatherings app's part of the national data set (see ``network.seed.national_dataset``).

Published gatherings of two days with 20 agenda items each (talks with speakers, plenaries,
group work, meals), network by network in the order 1. samling, temadag, 2. samling,
3. samling, the current programme first, until the plan's number is reached.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from network.models import Network, Organisation, Person, Programme
from network.seed.national_dataset import (
    Plan,
    at,
    person_name,
    synthetic_email,
    synthetic_programmes,
)

from ..models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemSpeaker,
    Gathering,
    GatheringKind,
    GatheringStatus,
)
from ..publishing import programme_snapshot
from ..selectors import agenda_items

BATCH = 500
K = AgendaItemKind

#: (kind, months after the programme's start, title)
SCHEDULE = [
    (GatheringKind.FIRST, 1, ""),
    (GatheringKind.THEME_DAY, 5, ""),
    (GatheringKind.SECOND, 8, ""),
    (GatheringKind.THIRD, 15, ""),
]
#: One day of ten slots: (start, minutes, kind, title)
DAY = [
    (time(9, 0), 30, K.PLENARY, "Velkommen og presentasjon av deltakerne"),
    (time(9, 30), 45, K.TALK, "Hvorfor arbeider vi med dette?"),
    (time(10, 30), 45, K.TALK, "Erfaringer fra en pilotkommune"),
    (time(11, 15), 15, K.BREAK, "Pause"),
    (time(11, 30), 45, K.TALK, "Hvordan måle utvikling i egen kommune over tid"),
    (time(12, 15), 45, K.MEAL, "Lunsj"),
    (time(13, 0), 90, K.GROUP_WORK, "Gruppearbeid: hva gjør vi før neste samling?"),
    (time(14, 45), 45, K.TALK, "Forankring – fra bevissthet til eierskap"),
    (time(15, 30), 30, K.PLENARY, "Oppsummering"),
    (time(19, 0), 120, K.SOCIAL, "Middag og sosialt samvær"),
]
ORGANISATIONS = ["KS", "KRD", "Unio", "Fagforbundet", "Universitetet i Agder", "NTNU", "OsloMet"]
TITLES = ["Rådgiver", "Seniorrådgiver", "Professor", "Førsteamanuensis", "Rådmann", "HR-sjef"]
VENUES = ["Thon Hotel", "Scandic", "Quality Hotel", "Rica Hotel", "Kulturhuset"]


def generate(plan: Plan) -> None:
    rng = plan.rng("gatherings")
    speakers = _speakers(rng, plan)
    networks = [
        network
        for programme in reversed(synthetic_programmes())
        for network in Network.objects.filter(programme=programme)
        .select_related("programme")
        .order_by("slug")
    ]
    wanted = [(network, *planned) for network in networks for planned in SCHEDULE]
    wanted = wanted[: plan.gatherings]
    gatherings = [_gathering(rng, *planned) for planned in wanted]
    Gathering.objects.bulk_create(gatherings, batch_size=BATCH)
    items, links = [], []
    per_day = plan.agenda_items_per_gathering // 2
    for gathering in gatherings:
        for day_index, day in enumerate(gathering.days):
            count = per_day if day_index == 0 else plan.agenda_items_per_gathering - per_day
            slots = DAY[:count]
            for position, (start, minutes, kind, title) in enumerate(slots, start=1):
                end = (datetime.combine(day, start) + timedelta(minutes=minutes)).time()
                item = AgendaItem(
                    gathering=gathering,
                    date=day,
                    start=start,
                    end=end if end > start else None,
                    position=position,
                    title=title if day_index == 0 else f"{title} (dag {day_index + 1})",
                    kind=kind,
                    description=(
                        "Innlegg og samtale i plenum, med spørsmål fra salen."
                        if kind == K.TALK
                        else ""
                    ),
                )
                items.append(item)
                if kind == K.TALK:
                    chosen = rng.sample(speakers, rng.choice([1, 1, 2]))
                    links += [(item, person, i) for i, person in enumerate(chosen)]
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    AgendaItemSpeaker.objects.bulk_create(
        (
            AgendaItemSpeaker(agenda_item=item, person=person, position=i)
            for item, person, i in links
        ),
        batch_size=BATCH,
    )
    for gathering in gatherings:
        gathering.notified_programme = programme_snapshot(gathering, list(agenda_items(gathering)))
        gathering.notified_at = gathering.published_at
    Gathering.objects.bulk_update(
        gatherings, ["notified_programme", "notified_at"], batch_size=BATCH
    )


def _speakers(rng: random.Random, plan: Plan) -> list[Person]:
    organisations = [Organisation.objects.get_or_create(name=name)[0] for name in ORGANISATIONS]
    people = []
    for number in range(1, max(10, round(150 * plan.scale)) + 1):
        first, last = person_name(rng)
        people.append(
            Person(
                name=f"{first} {last} ({number})",
                title=rng.choice(TITLES),
                organisation=rng.choice(organisations),
                email=synthetic_email(f"foredragsholder.{number}"),
            )
        )
    return Person.objects.bulk_create(people, batch_size=BATCH)


def _gathering(rng, network: Network, kind: str, months: int, title: str) -> Gathering:
    programme: Programme = network.programme
    first_month = date(programme.start_year, 1, 1)
    month_index = first_month.month - 1 + months
    start = date(
        first_month.year + month_index // 12, month_index % 12 + 1, 10 + rng.randint(0, 15)
    )
    published = at(start.year, start.month, 1) - timedelta(days=20)
    return Gathering(
        network=network,
        kind=kind,
        title=title,
        planned_month=start.replace(day=1),
        start_date=start,
        end_date=start + timedelta(days=1),
        venue=f"{rng.choice(VENUES)} {network.region}",
        address="Storgata 1",
        description=f"{network.name}: samling for prosjektkommunene i nettverket.",
        practical_info="Vi starter kl. 09.00. Middag første kveld.",
        status=GatheringStatus.PUBLISHED,
        published_at=published,
        registration_deadline=start - timedelta(days=14),
        capacity=60,
    )


def delete(programmes: list[Programme]) -> None:
    gatherings = Gathering.objects.filter(network__programme__in=programmes)
    AgendaItemSpeaker.objects.filter(agenda_item__gathering__in=gatherings).delete()
    gatherings.delete()
