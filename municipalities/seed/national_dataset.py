"""The municipalities app's part of the national data set (see ``network.seed.national_dataset``).

All 429 municipalities of 2012 (``data/municipalities_2012.csv``) and their counties are
completed (existing rows are never changed), and the municipalities' history 2012–2024 is
loaded (``municipality_history.load``, which changes nothing when it is there). Each synthetic
programme takes the municipalities as they were numbered on its date (1 January of its first
year): one merged or renumbered by then takes part under its successor's number. Each gets
its local projects, a third of them joint, with participants, a project page of several
versions (published) and good stories. In the current programme every municipality takes
part.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from core.norwegian import slugify_nb
from network.models import Network, Programme, User
from network.seed.national_dataset import (
    USERNAME_PREFIX,
    Plan,
    at,
    new_user,
    person_name,
    synthetic_email,
    synthetic_programmes,
)

from ..markup import render_markup
from ..models import (
    PAGE_SECTION_KEYS,
    County,
    LocalProject,
    Municipality,
    Participant,
    ParticipantRole,
    ProjectPage,
    ProjectPageVersion,
    Story,
)
from ..selectors import MunicipalityTimeline
from . import municipality_history
from .programme_2012 import COUNTIES

MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "municipalities_2012.csv"
#: The 2012 counties, Oslo (03) included: it is its own county and municipality.
ALL_COUNTIES = {**COUNTIES, "03": "Oslo"}
BATCH = 500

ROLES = [
    ParticipantRole.LEADER,
    ParticipantRole.HR,
    ParticipantRole.UNION_REPRESENTATIVE,
    ParticipantRole.POLITICIAN,
    ParticipantRole.OTHER,
]
FUNCTIONS = {
    ParticipantRole.LEADER: ["Prosjektleder", "Enhetsleder", "Rådmann", "Kommunalsjef"],
    ParticipantRole.HR: ["HR-rådgiver", "Personalsjef", "Organisasjonsrådgiver"],
    ParticipantRole.UNION_REPRESENTATIVE: ["Hovedtillitsvalgt", "Plasstillitsvalgt"],
    ParticipantRole.POLITICIAN: ["Ordfører", "Varaordfører", "Medlem av formannskapet"],
    ParticipantRole.OTHER: ["Rådgiver", "Verneombud", "Konsulent"],
}

PAGE_TEXTS = {
    "project_management": (
        "Prosjektet ledes av en styringsgruppe med rådmannen, hovedtillitsvalgte og "
        "hovedverneombud. Prosjektleder rapporterer til styringsgruppen hver måned.\n\n"
        "- Styringsgruppe: rådmann, HR-sjef, tillitsvalgte\n- Arbeidsgruppe i hver enhet"
    ),
    "background": (
        "{name} har over tid sett at {theme} påvirker både tjenestene og rekrutteringen. "
        "Kartleggingen i {year} viste at vi må arbeide mer systematisk, og at de ansatte "
        "ønsker å være med å finne løsningene."
    ),
    "purpose": (
        "Hensikten er å bygge en felles forståelse av utfordringene og å prøve ut tiltak i "
        "noen enheter før de tas i bruk i hele organisasjonen."
    ),
    "desired_effect": (
        "Vi ønsker en **målbar** forbedring i egen kommune over tid – ikke å sammenligne oss "
        "med andre. Ansatte skal oppleve at arbeidsplassen er god å være på."
    ),
    "goals": (
        "1. Etablere et nullpunkt for alle indikatorene\n2. Prøve ut tre tiltak i pilotenheter"
        "\n3. Forankre arbeidet i planverket innen {end}"
    ),
    "anchoring": (
        "Prosjektet er forankret i kommunestyrets vedtak og i arbeidsgiverpolitikken. "
        "Tillitsvalgte og verneombud er med i alle arbeidsgruppene."
    ),
    "other_views": "Vi deler gjerne erfaringer med andre kommuner i nettverket.",
}
STORY_TITLES = [
    "Første samling i arbeidsgruppen",
    "Pilotenheten viser vei",
    "Dialogmøte med de ansatte",
    "Nytt tiltak prøvd ut",
    "Det vi lærte av nullpunktmålingen",
    "Tillitsvalgte tar ansvar",
]
STORY_TEXT = (
    "I {name} samlet vi {count} ansatte til en arbeidsdag om {theme}. Vi gikk gjennom "
    "resultatene fra målingen og ble enige om hva vi gjør videre.\n\n"
    "> «Det var godt å se at vi står sammen om dette.»\n\n"
    "Neste steg er å prøve ut tiltakene i to enheter før neste samling."
)


def read_municipalities() -> dict[str, str]:
    """kommunenummer → name, from the bundled list of 2012."""
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as file:
        return {row["kommunenummer"]: row["navn"] for row in csv.DictReader(file, delimiter=";")}


def complete_municipalities() -> list[str]:
    """Add the counties and municipalities of 2012 that are missing and the municipalities'
    history; return every number of 2012."""
    existing_counties = set(County.objects.values_list("number", flat=True))
    County.objects.bulk_create(
        County(number=number, name=name)
        for number, name in sorted(ALL_COUNTIES.items())
        if number not in existing_counties
    )
    names = read_municipalities()
    existing = set(Municipality.objects.values_list("number", flat=True))
    Municipality.objects.bulk_create(
        (
            Municipality(number=number, name=name, county_id=number[:2])
            for number, name in sorted(names.items())
            if number not in existing
        ),
        batch_size=BATCH,
    )
    municipality_history.load()
    return sorted(names)


def generate(plan: Plan) -> None:
    rng = plan.rng("municipalities")
    numbers_2012 = complete_municipalities()
    history = MunicipalityTimeline()
    names = dict(Municipality.objects.values_list("number", "name"))
    programmes = synthetic_programmes()
    participants_left = plan.participants
    projects_left = plan.local_projects
    for programme, count in zip(programmes, plan.projects_per_programme(), strict=True):
        everyone = programme == programmes[-1]
        numbers = history.numbers_valid_on(numbers_2012, programme.starts_on)
        groups = _municipality_groups(rng, numbers, count, cover_all=everyone)
        projects = _local_projects(programme, groups, names)
        share = round(participants_left * count / projects_left)
        _participants(rng, projects, share, names)
        participants_left -= share
        projects_left -= count
        _pages(rng, plan, projects, programme)
        _stories(rng, plan, projects, programme)


def _municipality_groups(
    rng: random.Random, numbers: list[str], count: int, *, cover_all: bool
) -> list[list[str]]:
    """The municipalities of ``count`` projects, about a third of them joint. With
    ``cover_all`` and enough projects, every municipality is in one."""
    shuffled = numbers[:]
    rng.shuffle(shuffled)
    joint = round(count * 0.3)
    single = count - joint
    pool = len(shuffled) - single
    if cover_all and 2 * joint <= pool <= 8 * joint:
        sizes = [pool // joint + (1 if i < pool % joint else 0) for i in range(joint)]
    else:
        sizes = [rng.randint(2, 4) for _ in range(joint)]
    sizes = [1] * single + sizes
    rng.shuffle(sizes)
    groups, position = [], 0
    for size in sizes:
        if position + size > len(shuffled):
            rng.shuffle(shuffled)
            position = 0
        groups.append(sorted(shuffled[position : position + size]))
        position += size
    return groups


def _local_projects(
    programme: Programme, groups: list[list[str]], names: dict[str, str]
) -> list[LocalProject]:
    networks = list(
        Network.objects.filter(programme=programme).select_related("theme").order_by("slug")
    )
    projects, taken, slugs = [], set(), set()
    for index, group in enumerate(groups):
        network = networks[index % len(networks)]
        if len(group) == 1:
            name = names[group[0]]
        else:
            name = f"{names[group[0]]}-samarbeidet ({len(group)} kommuner)"
        while (network.pk, name) in taken:
            name = f"{name} {group[0]}"
        taken.add((network.pk, name))
        slug = f"{slugify_nb(name)[:60]}-{network.slug.removeprefix('nasjonalt-')}"
        while slug in slugs:
            slug = f"{slug}-{index}"
        slugs.add(slug)
        projects.append(LocalProject(network=network, name=name, slug=slug))
    LocalProject.objects.bulk_create(projects, batch_size=BATCH)
    through = LocalProject.municipalities.through
    through.objects.bulk_create(
        (
            through(localproject_id=project.pk, municipality_id=number)
            for project, group in zip(projects, groups, strict=True)
            for number in group
        ),
        batch_size=BATCH,
    )
    for project, group in zip(projects, groups, strict=True):
        project.numbers = group
    return projects


def _participants(
    rng: random.Random, projects: list[LocalProject], count: int, names: dict[str, str]
) -> None:
    """``count`` participants spread over the projects; each project's first is its project
    leader with a user account, and every fifth other participant has one too."""
    per_project = [count // len(projects)] * len(projects)
    for i in range(count % len(projects)):
        per_project[i] += 1
    users, participants = [], []
    for project, n in zip(projects, per_project, strict=True):
        for k in range(n):
            first, last = person_name(rng)
            role = ROLES[k % len(ROLES)]
            leader = k == 0
            number = rng.choice(project.numbers)
            user = None
            if leader or k % 5 == 0:
                kind = "leder" if leader else f"deltaker.{k}"
                user = new_user(f"{USERNAME_PREFIX}{kind}.{project.slug}", first, last)
                users.append(user)
            participants.append(
                Participant(
                    local_project=project,
                    municipality_id=number,
                    name=f"{first} {last}",
                    function=rng.choice(FUNCTIONS[role]),
                    role=role,
                    email=synthetic_email(f"{slugify_nb(first)}.{k}.{project.slug}"),
                    phone=f"+47 9{rng.randint(0, 9999999):07d}",
                    is_project_leader=leader,
                    listed_publicly=leader,
                    user=user,
                )
            )
    User.objects.bulk_create(users, batch_size=BATCH)
    for participant in participants:
        participant.user_id = participant.user.pk if participant.user else None
    Participant.objects.bulk_create(participants, batch_size=BATCH)


def _texts(project: LocalProject, programme: Programme, version: int) -> dict[str, str]:
    context = {
        "name": project.name,
        "theme": project.network.theme.name.lower(),
        "year": programme.start_year,
        "end": programme.end_year,
    }
    texts = {key: PAGE_TEXTS[key].format(**context) for key in PAGE_SECTION_KEYS}
    if version > 1:
        texts["other_views"] += f"\n\nOppdatert etter samling {version}."
    return texts


def _rendered(texts: dict[str, str], cache: dict[str, str]) -> dict[str, str]:
    rendered = {}
    for key, text in texts.items():
        if text not in cache:
            cache[text] = render_markup(text, top_heading=3)
        rendered[f"{key}_html"] = cache[text]
    return rendered


def _pages(
    rng: random.Random, plan: Plan, projects: list[LocalProject], programme: Programme
) -> None:
    """A page per project with ``versions_per_page`` versions; the last one is published,
    except in every fifth project, where it is a draft after the published one."""
    leaders = dict(
        Participant.objects.filter(local_project__in=projects, is_project_leader=True)
        .values_list("local_project_id", "user_id")
        .order_by("local_project_id", "pk")
    )
    ProjectPage.objects.bulk_create(
        (ProjectPage(local_project=project) for project in projects), batch_size=BATCH
    )
    pages = {
        page.local_project_id: page
        for page in ProjectPage.objects.filter(local_project__in=projects)
    }
    rendered_cache: dict[str, str] = {}
    versions = []
    for index, project in enumerate(projects):
        author = leaders.get(project.pk)
        for number in range(1, plan.versions_per_page + 1):
            texts = _texts(project, programme, number)
            saved = at(programme.start_year, 1 + number * 2, 1 + index % 28, 9 + number)
            is_last = number == plan.versions_per_page
            published = not (is_last and index % 5 == 4)
            versions.append(
                ProjectPageVersion(
                    page=pages[project.pk],
                    number=number,
                    author_id=author,
                    summary="" if number == 1 else f"Oppdatert etter samling {number}",
                    created_at=saved,
                    published_at=saved if published else None,
                    published_by_id=author if published else None,
                    **texts,
                    **_rendered(texts, rendered_cache),
                )
            )
    ProjectPageVersion.objects.bulk_create(versions, batch_size=BATCH)
    latest: dict[int, ProjectPageVersion] = {}
    public: dict[int, ProjectPageVersion] = {}
    for version in versions:
        latest[version.page_id] = version
        if version.published_at:
            public[version.page_id] = version
    page_list = list(pages.values())
    for page in page_list:
        current = latest[page.pk]
        page.current_version = current
        page.published_version = public[page.pk]
        page.version = plan.versions_per_page + 1
        for key in PAGE_SECTION_KEYS:
            setattr(page, key, getattr(current, key))
    ProjectPage.objects.bulk_update(
        page_list,
        ["current_version", "published_version", "version", *PAGE_SECTION_KEYS],
        batch_size=BATCH,
    )


def _stories(
    rng: random.Random, plan: Plan, projects: list[LocalProject], programme: Programme
) -> None:
    """Good stories, every tenth one a draft."""
    stories, html = [], {}
    for index, project in enumerate(projects):
        for k in range(plan.stories_per_project):
            text = STORY_TEXT.format(
                name=project.name,
                count=rng.randint(12, 80),
                theme=project.network.theme.name.lower(),
            )
            if text not in html:
                html[text] = render_markup(text, top_heading=4)
            written = at(programme.start_year + k % 2, 1 + (index + 5 * k) % 12, 1 + index % 28)
            stories.append(
                Story(
                    local_project=project,
                    title=rng.choice(STORY_TITLES),
                    date=written.date(),
                    text=text,
                    text_html=html[text],
                    is_published=(index + k) % 10 != 9,
                    created_at=written,
                    updated_at=written,
                )
            )
    Story.objects.bulk_create(stories, batch_size=BATCH)


def delete(programmes: list[Programme]) -> None:
    """Remove the synthetic programmes' local projects with everything in them (the
    municipalities stay: they are the real list of 2012)."""
    projects = LocalProject.objects.filter(network__programme__in=programmes)
    ProjectPage.objects.filter(local_project__in=projects).update(
        current_version=None, published_version=None
    )
    projects.delete()
