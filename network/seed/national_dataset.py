"""The national data set: a deterministic, synthetic programme history at national scale.

``manage.py generate_national_dataset [--scale N]`` adds two synthetic programme rounds after
the real 2012 one (which it never changes): at ``--scale 1`` 300 local projects over all 429
municipalities of 2012, 3,000 participants, 100 published gatherings of 20 agenda items,
12 indicators × 4 measurement rounds per project, stories and page versions. It is for
benchmarks and for trying the portal at the size it must cope with; every synthetic row is
recognisable (programme slugs ``nasjonalt-…``, usernames ``nasjonal.…``, e-mail addresses at
``nasjonalt-datasett.invalid``), so ``--reset`` removes exactly what was generated.

Each app generates its own part: its ``AppConfig.national_dataset_generator`` names a
``generate(plan)`` function, called in ``INSTALLED_APPS`` order; the module beside it has a
``delete(programmes)`` that ``--reset`` calls in the reverse order. Everything is seeded from
:data:`SEED` and the app's name, with fixed dates, so the same scale gives the same data.

This module is the network app's part: the programmes, their themes and networks, the
facilitators (with user accounts) and one ministry-staff account.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.norwegian import slugify_nb

from ..models import Network, Organisation, Person, Programme, Theme, User
from .programme_2012 import PROGRAMME, THEMES

SEED = 2012
SLUG_PREFIX = "nasjonalt-"
USERNAME_PREFIX = "nasjonal."
EMAIL_DOMAIN = "nasjonalt-datasett.invalid"
#: The synthetic ministry-staff account (reads everything): the benchmark signs in as it.
MINISTRY_USERNAME = f"{USERNAME_PREFIX}krd"

#: (slug, name, first year, last year); the last one becomes the current programme.
PROGRAMMES = [
    (f"{SLUG_PREFIX}2014-2015", "Saman om ein betre kommune 2014–2015 (syntetisk)", 2014, 2015),
    (f"{SLUG_PREFIX}2016-2017", "Saman om ein betre kommune 2016–2017 (syntetisk)", 2016, 2017),
]
REGIONS = ["Nord", "Midt", "Vest", "Sør", "Øst"]

FIRST_NAMES = [
    "Anne", "Per", "Kari", "Ole", "Ingrid", "Lars", "Marit", "Knut", "Sigrid", "Hans",
    "Liv", "Jon", "Randi", "Arne", "Solveig", "Nils", "Berit", "Tor", "Astrid", "Geir",
    "Hilde", "Bjørn", "Turid", "Odd", "Eli", "Svein", "Gunn", "Terje", "Åse", "Rune",
]  # fmt: skip
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen",
    "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim", "Berntsen", "Moe",
]  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """How much to generate: the counts at ``--scale 1`` times ``scale`` (per-item counts,
    like the 20 agenda items of a gathering or the 12 indicators of a project, stay fixed)."""

    scale: float = 1.0
    local_projects_at_scale_1: int = 300
    participants_at_scale_1: int = 3000
    gatherings_at_scale_1: int = 100
    agenda_items_per_gathering: int = 20
    indicators_per_project: int = 12
    rounds_per_programme: int = 4
    stories_per_project: int = 2
    versions_per_page: int = 3

    def scaled(self, at_scale_1: int, *, at_least: int) -> int:
        return max(at_least, round(at_scale_1 * self.scale))

    @property
    def local_projects(self) -> int:
        return self.scaled(self.local_projects_at_scale_1, at_least=len(PROGRAMMES) * 4)

    @property
    def participants(self) -> int:
        return self.scaled(self.participants_at_scale_1, at_least=self.local_projects)

    @property
    def gatherings(self) -> int:
        return self.scaled(self.gatherings_at_scale_1, at_least=4)

    def projects_per_programme(self) -> list[int]:
        """A third in the older round, two thirds in the current one."""
        older = self.local_projects // 3
        return [older, self.local_projects - older]

    def networks_per_programme(self) -> list[int]:
        """Themes × regions, about ten projects each: 4 to 20 networks."""
        return [min(20, max(4, round(n / 10))) for n in self.projects_per_programme()]

    def rng(self, part: str) -> random.Random:
        """The random source of one part of the data set, independent of the others."""
        return random.Random(f"{SEED}:{part}")


def synthetic_programmes() -> list[Programme]:
    """The generated programmes, oldest first."""
    return list(Programme.objects.filter(slug__startswith=SLUG_PREFIX).order_by("start_year"))


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A fixed, aware moment in Oslo time: generated data never depends on today."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def synthetic_email(local_part: str) -> str:
    return f"{local_part}@{EMAIL_DOMAIN}"


#: Generated accounts cannot sign in with a password: the benchmark creates their sessions.
UNUSABLE_PASSWORD = make_password(None)


def new_user(username: str, first: str, last: str, **fields) -> User:
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=synthetic_email(username.removeprefix(USERNAME_PREFIX)),
        password=UNUSABLE_PASSWORD,
        date_joined=at(2014, 1, 2),
        **fields,
    )


def generate(plan: Plan) -> None:
    rng = plan.rng("network")
    ks, _created = Organisation.objects.get_or_create(
        name="KS", defaults={"full_name": "KS – kommunesektorens organisasjon"}
    )
    new_user(MINISTRY_USERNAME, "Kari", "Departement", is_programme_staff=True).save()
    networks_wanted = plan.networks_per_programme()
    facilitators: list[Person] = []
    for index, (slug, name, first_year, last_year) in enumerate(PROGRAMMES):
        programme = Programme.objects.create(
            slug=slug,
            name=name,
            owners=PROGRAMME["owners"],
            start_year=first_year,
            end_year=last_year,
            description=(
                f"Syntetisk programrunde {first_year}–{last_year} for ytelsestester, laget av "
                "manage.py generate_national_dataset. Ingen av dataene er virkelige."
            ),
        )
        themes = Theme.objects.bulk_create(
            Theme(programme=programme, slug=theme_slug, name=theme_name, position=position)
            for position, (theme_slug, theme_name) in enumerate(THEMES, start=1)
        )
        count = networks_wanted[index]
        while len(facilitators) < (count + 1) // 2:
            facilitators.append(_facilitator(rng, ks, len(facilitators) + 1))
        networks = []
        for n in range(count):
            theme, region = themes[n % len(themes)], REGIONS[n // len(themes)]
            networks.append(
                Network(
                    programme=programme,
                    theme=theme,
                    region=region,
                    name=f"{theme.name} {region}",
                    slug=f"{slug}-{theme.slug}-{slugify_nb(region)}",
                    facilitator=facilitators[n // 2],
                    description=(
                        f"{theme.name} i region {region}, {first_year}–{last_year}: kommunene "
                        "møtes til tre samlinger og en temadag og arbeider med egne prosjekter."
                    ),
                )
            )
        Network.objects.bulk_create(networks)
    Programme.objects.filter(is_current=True).update(is_current=False)
    Programme.objects.filter(slug=PROGRAMMES[-1][0]).update(is_current=True)


def _facilitator(rng: random.Random, ks: Organisation, number: int) -> Person:
    first, last = person_name(rng)
    username = f"{USERNAME_PREFIX}veileder.{number}"
    user = new_user(username, first, last)
    user.save()
    return Person.objects.create(
        name=f"{first} {last} ({number})",
        title="Seniorrådgiver",
        organisation=ks,
        department="Arbeidsgiverpolitikk",
        email=user.email,
        user=user,
    )


def delete(programmes: list[Programme]) -> None:
    """Remove the synthetic programmes, their networks and people; give the front page back
    to the 2012 programme."""
    Network.objects.filter(programme__in=programmes).delete()
    Theme.objects.filter(programme__in=programmes).delete()
    Programme.objects.filter(pk__in=[p.pk for p in programmes]).delete()
    Person.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
    User.objects.filter(username__startswith=USERNAME_PREFIX).delete()
    if not Programme.objects.filter(is_current=True).exists():
        Programme.objects.filter(slug=PROGRAMME["slug"]).update(is_current=True)
