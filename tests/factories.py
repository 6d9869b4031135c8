"""factory_boy factories for every app's models."""

import datetime

import factory
from factory.django import DjangoModelFactory

from gatherings.models import AgendaItem, Gathering, GatheringKind, GatheringStatus
from measurements.models import (
    Direction,
    Indicator,
    Measurement,
    MeasurementRound,
    RoundKind,
    Unit,
)
from municipalities.models import County, LocalProject, Municipality, Participant, ParticipantRole
from network.models import Network, Organisation, Person, Programme, Theme, User

PASSWORD = "passord-123"


def numbered(text: str) -> factory.Sequence:
    """«<text> <n>», with another ``n`` for each object made."""
    return factory.Sequence(lambda n: f"{text} {n}")


class UserFactory(DjangoModelFactory):
    """A user who signs in with ``PASSWORD``; one per username (a known one is fetched)."""

    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = numbered("Bruker")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = numbered("Programme")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    start_year = 2014
    end_year = 2015


class OfProgrammeFactory(DjangoModelFactory):
    """Something of a programme, named «<label> <n>» with the slug «<label>-<n>» to match
    (``label`` in the subclass's ``Params``)."""

    class Meta:
        abstract = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.LazyAttributeSequence(lambda o, n: f"{o.label} {n}")
    slug = factory.LazyAttributeSequence(lambda o, n: f"{o.label.lower()}-{n}")


class ThemeFactory(OfProgrammeFactory):
    class Meta:
        model = Theme

    class Params:
        label = "Theme"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = numbered("Organisation")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = numbered("Person")
    title = "Rådgiver"
    organisation = factory.SubFactory(OrganisationFactory)


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    theme = factory.SubFactory(ThemeFactory)
    programme = factory.LazyAttribute(lambda n: n.theme.programme)
    region = numbered("Region")
    name = factory.LazyAttribute(lambda n: f"{n.theme.name} {n.region}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    facilitator = factory.SubFactory(PersonFactory)


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ["number"]

    number = "03"
    name = "Oslo"


class MunicipalityFactory(DjangoModelFactory):
    """One per number (a known one, such as a loaded municipality, is fetched), in a county of
    its own number's first two digits."""

    class Meta:
        model = Municipality
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: f"03{n % 100:02d}")
    name = numbered("Kommune")
    county = factory.LazyAttribute(
        lambda m: County.objects.get_or_create(number=m.number[:2], defaults={"name": "Fylke"})[0]
    )


class LocalProjectFactory(DjangoModelFactory):
    class Meta:
        model = LocalProject
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    name = numbered("Project")
    slug = factory.Sequence(lambda n: f"project-{n}")

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create:
            obj.municipalities.set(extracted or [MunicipalityFactory()])


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    local_project = factory.SubFactory(LocalProjectFactory)
    name = numbered("Deltaker")
    function = "Rådgiver"
    role = ParticipantRole.OTHER
    email = factory.Sequence(lambda n: f"deltaker{n}@example.org")
    phone = "+47 400 00 000"


def participation(user, project, **fields) -> Participant:
    """``user`` taking part in ``project`` under their account's name and address."""
    return Participant.objects.create(
        local_project=project, user=user, name=user.get_full_name(), email=user.email, **fields
    )


class GatheringFactory(DjangoModelFactory):
    class Meta:
        model = Gathering

    network = factory.SubFactory(NetworkFactory)
    kind = GatheringKind.THEME_DAY
    start_date = datetime.date(2014, 3, 10)
    end_date = datetime.date(2014, 3, 11)
    status = GatheringStatus.PUBLISHED


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    gathering = factory.SubFactory(GatheringFactory)
    date = factory.LazyAttribute(lambda i: i.gathering.start_date)
    start = datetime.time(9, 0)
    end = datetime.time(10, 0)
    title = numbered("Programpost")


class MeasurementRoundFactory(OfProgrammeFactory):
    class Meta:
        model = MeasurementRound

    class Params:
        label = "Runde"

    kind = RoundKind.OTHER
    opens_on = datetime.date(2014, 1, 1)
    closes_on = datetime.date(2014, 12, 31)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    theme = factory.SubFactory(ThemeFactory)
    name = numbered("Indikator")
    unit = Unit.PERCENT
    direction = Direction.LOWER_IS_BETTER


class OwnIndicatorFactory(IndicatorFactory):
    """A local project's own indicator, outside the theme's catalogue."""

    theme = None
    local_project = factory.SubFactory(LocalProjectFactory)
    name = numbered("Egen indikator")
    unit = Unit.COUNT
    direction = Direction.HIGHER_IS_BETTER


class MeasurementFactory(DjangoModelFactory):
    class Meta:
        model = Measurement

    local_project = factory.SubFactory(LocalProjectFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    round = factory.SubFactory(MeasurementRoundFactory)
    value = "7.5"
