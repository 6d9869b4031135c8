"""Fixtures for the gatherings tests: the Omdømme network's gatherings, a published coming
gathering open for registration, and the people of Karmøy's and Strand's projects."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from gatherings.models import Gathering, GatheringStatus
from municipalities.models import Participant, ParticipantRole


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language: a request to /en/ leaves English
    active in the thread, and ``reverse`` would then give /en/ addresses."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def first_gathering(programme) -> Gathering:
    """The Omdømme network's published 1. samling, 16–17 February 2012 (16 items)."""
    return Gathering.objects.get(network__slug="omdomme", kind="samling_1")


@pytest.fixture
def second_gathering(programme) -> Gathering:
    """The Omdømme network's 2. samling: a draft planned for September 2012, no dates."""
    return Gathering.objects.get(network__slug="omdomme", kind="samling_2")


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def coming_gathering(second_gathering) -> Gathering:
    """The 2. samling, published, two days a month from now, deadline in two weeks."""
    Gathering.objects.filter(pk=second_gathering.pk).update(
        start_date=in_days(30),
        end_date=in_days(31),
        registration_deadline=in_days(14),
        status=GatheringStatus.PUBLISHED,
        published_at=timezone.now(),
        venue="Quality Hotel Strand",
    )
    second_gathering.refresh_from_db()
    return second_gathering


def add_participant(project, name, role, *, email=None, municipality=None, leader=False):
    return Participant.objects.create(
        local_project=project,
        name=name,
        role=role,
        function="Rådgiver",
        email=email if email is not None else f"{name.split()[0].lower()}@example.org",
        municipality=municipality or project.municipalities.first(),
        is_project_leader=leader,
    )


@pytest.fixture
def karmoy_people(karmoy):
    """Two people of Karmøy's project without accounts: a politician and a union rep."""
    return [
        add_participant(karmoy, "Ola Ordfører", ParticipantRole.POLITICIAN),
        add_participant(karmoy, "Tina Tillitsvalgt", ParticipantRole.UNION_REPRESENTATIVE),
    ]


def en_url(name: str, *args, **kwargs) -> str:
    """The English address of a page, for tests that read UI text."""
    with translation.override("en"):
        return reverse(name, args=args or None, kwargs=kwargs or None)
