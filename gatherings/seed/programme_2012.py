"""The 2012 programme's gatherings, and the Omdømme network's published 1. samling.

Every network has the same plan: 1. samling February 2012, a temadag before the 2nd,
2. samling September 2012, 3. samling April/May 2013. Only the Omdømme network's first
gathering has dates and a programme in the seed; it is loaded as published, including the
two afternoon items that overlap by five minutes. Its texts are loaded in Bokmål, Nynorsk and
English (``TRANSLATIONS``), as the network app's are. Its speakers are in
``data/speakers_2012.csv``.
"""

import csv
from datetime import date, datetime, time
from pathlib import Path

from django.utils import timezone

from core.translated_fields import fill_translations
from network.models import Network
from network.seed.programme_2012 import NETWORKS, person

from ..models import AgendaItem, AgendaItemKind, AgendaItemSpeaker, Gathering, GatheringKind
from ..publishing import programme_snapshot
from ..selectors import agenda_items

PLAN = [
    {"kind": GatheringKind.FIRST, "planned_month": date(2012, 2, 1)},
    {"kind": GatheringKind.THEME_DAY, "schedule_note": "Før 2. samling"},
    {"kind": GatheringKind.SECOND, "planned_month": date(2012, 9, 1)},
    {
        "kind": GatheringKind.THIRD,
        "planned_month": date(2013, 4, 1),
        "planned_month_last": date(2013, 5, 1),
    },
]

OMDOMME_FIRST = {
    "start_date": date(2012, 2, 16),
    "end_date": date(2012, 2, 17),
    "description": "Nettverk – omdømme. Samling 16. og 17. februar 2012.",
    "practical_info": (
        "En tar ansvaret for hver kommune og tar oppgjøret. Vin eller alkoholfritt til maten. "
        "Middag torsdag kveld: skalldyr. Vi starter kl. 08.30 fredag."
    ),
}

#: The speakers of the Omdømme network's 1. samling: name, title and organisation.
SPEAKERS_CSV = Path(__file__).resolve().parent / "data" / "speakers_2012.csv"

DAY_1, DAY_2 = date(2012, 2, 16), date(2012, 2, 17)
K = AgendaItemKind

# (day, start, end, title, kind, description, speakers)
OMDOMME_AGENDA = [
    (
        DAY_1,
        None,
        None,
        "Velkommen",
        K.PLENARY,
        "Presentasjon av deltakerne. «Hvem er hva?» Forventninger. Hva kan prosjektkommunene "
        "forvente av prosjektet? Informasjon fra KS. Praktisk informasjon.",
        ["Asbjørn L. Stavem"],
    ),
    (
        DAY_1,
        time(10, 20),
        None,
        "Saman om ein betre kommune – hva og hvorfor?",
        K.TALK,
        "",
        ["Fredrik Rivenes"],
    ),
    (
        DAY_1,
        time(11, 0),
        None,
        "Om identitet og omdømme",
        K.TALK,
        "Omdømme er summen av egenskaper som andre tillegger oss.",
        ["Ingjerd Hovdenakk", "Eva M. Kvalvaag"],
    ),
    (DAY_1, time(12, 0), time(13, 0), "Lunsj", K.MEAL, "", []),
    (
        DAY_1,
        time(13, 0),
        time(14, 10),
        "Presentasjon",
        K.PLENARY,
        "Hver kommune får 10 minutter til å presentere sitt prosjekt: prosjektledelsen, "
        "bakgrunn for prosjektet, hensikten med prosjektet, prosjektets mål, hvor og hvordan "
        "prosjektet er forankret, andre synspunkter og meninger.",
        [],
    ),
    (
        DAY_1,
        time(14, 25),
        time(15, 25),
        "Attraktive arbeidsgivere",
        K.TALK,
        "God arbeidsgiverpolitikk gjennom godt omdømme. Hvordan skal vi måle fremgangen i "
        "prosjektene?",
        ["Ola Helstad"],
    ),
    (
        DAY_1,
        time(15, 20),
        time(16, 45),
        "Etikk, åpenhet og dialog – hvordan bygge tillit?",
        K.TALK,
        "Et foredrag om tillitsskapende arbeid i en organisasjon. Det vil bli presentert en "
        "eller flere øvelser i en metodikk.",
        ["Christine Næss Evensen"],
    ),
    (
        DAY_1,
        time(17, 0),
        time(17, 30),
        "Oppsummering",
        K.PLENARY,
        "Hvordan skal vi måle resultatoppnåelse ved prosjektets slutt? Hvordan skal vi "
        "rapportere fra prosjektet?",
        [],
    ),
    (DAY_1, time(17, 30), None, "Prosjektlederne – et kort møte", K.OTHER, "", []),
    (DAY_1, time(18, 45), None, "Et lite treff: quiz og aperitiff", K.SOCIAL, "", []),
    (DAY_1, time(19, 30), None, "Middag", K.MEAL, "Skalldyr.", []),
    (DAY_2, time(8, 30), None, "God morgen og takk for i går", K.PLENARY, "", []),
    (
        DAY_2,
        time(8, 45),
        time(9, 45),
        "En felles plattform – et felles språk",
        K.TALK,
        "Hvordan kan en virksomhets identitet utvikles og fastholdes? Hvilken tankegang og "
        "strategi ligger bak styring og forsvar av identitet? Kan identitet velges?",
        ["Gro Kvåle"],
    ),
    (
        DAY_2,
        time(10, 0),
        time(11, 0),
        "Hvordan styrke kommunens attraktivitet som arbeidsgiver gjennom systematisk arbeid "
        "med omdømmebygging?",
        K.TALK,
        "Hvem er vi? Hvem ønsker vi å være?",
        ["Gina Ihle Frogner"],
    ),
    (
        DAY_2,
        time(11, 15),
        time(12, 40),
        "Veien videre",
        K.GROUP_WORK,
        "Gruppearbeid: Hva er grunnen til at prosjektet realiseres, hva er hensikten, og "
        "hvilken effekt skal det ha? Hvordan skal vi måle resultatoppnåelse? Hva skal være "
        "gjort til neste samling i september 2012?",
        [],
    ),
    (
        DAY_2,
        None,
        None,
        "Oppsummering – neste samling",
        K.PLENARY,
        "Tema og tidspunkt for neste samling. Evaluering.",
        [],
    ),
]


#: The gatherings' texts in Nynorsk and English, by their Bokmål text (above).
TRANSLATIONS = {
    "Før 2. samling": ("Før 2. samling", "Before the 2nd gathering"),
    OMDOMME_FIRST["description"]: (
        "Nettverk – omdømme. Samling 16. og 17. februar 2012.",
        "Network – reputation. Gathering on 16 and 17 February 2012.",
    ),
    OMDOMME_FIRST["practical_info"]: (
        "Éin tek ansvaret for kvar kommune og tek oppgjeret. Vin eller alkoholfritt til maten. "
        "Middag torsdag kveld: skaldyr. Vi startar kl. 08.30 fredag.",
        "One person takes charge for each municipality and settles the bill. Wine or "
        "alcohol-free drinks with the meal. Dinner on Thursday evening: shellfish. We start at "
        "08.30 on Friday.",
    ),
    # The agenda: titles, then descriptions, in the programme's order.
    "Velkommen": ("Velkomen", "Welcome"),
    "Presentasjon av deltakerne. «Hvem er hva?» Forventninger. Hva kan prosjektkommunene "
    "forvente av prosjektet? Informasjon fra KS. Praktisk informasjon.": (
        "Presentasjon av deltakarane. «Kven er kva?» Forventningar. Kva kan "
        "prosjektkommunane vente seg av prosjektet? Informasjon frå KS. Praktisk informasjon.",
        "Introduction of the participants. «Who is who?» Expectations. What can the project "
        "municipalities expect from the project? Information from KS. Practical information.",
    ),
    "Saman om ein betre kommune – hva og hvorfor?": (
        "Saman om ein betre kommune – kva og kvifor?",
        "Together for a better municipality – what and why?",
    ),
    "Om identitet og omdømme": ("Om identitet og omdømme", "On identity and reputation"),
    "Omdømme er summen av egenskaper som andre tillegger oss.": (
        "Omdømme er summen av eigenskapar som andre tillegg oss.",
        "Reputation is the sum of the qualities that others attribute to us.",
    ),
    "Lunsj": ("Lunsj", "Lunch"),
    "Presentasjon": ("Presentasjon", "Presentations"),
    "Hver kommune får 10 minutter til å presentere sitt prosjekt: prosjektledelsen, "
    "bakgrunn for prosjektet, hensikten med prosjektet, prosjektets mål, hvor og hvordan "
    "prosjektet er forankret, andre synspunkter og meninger.": (
        "Kvar kommune får 10 minutt til å presentere prosjektet sitt: prosjektleiinga, "
        "bakgrunnen for prosjektet, føremålet med prosjektet, måla for prosjektet, kvar og "
        "korleis prosjektet er forankra, andre synspunkt og meiningar.",
        "Each municipality has 10 minutes to present its project: the project's leadership, "
        "its background, its purpose, its goals, where and how it is anchored, and other "
        "views and opinions.",
    ),
    "Attraktive arbeidsgivere": ("Attraktive arbeidsgjevarar", "Attractive employers"),
    "God arbeidsgiverpolitikk gjennom godt omdømme. Hvordan skal vi måle fremgangen i "
    "prosjektene?": (
        "God arbeidsgjevarpolitikk gjennom godt omdømme. Korleis skal vi måle framgangen i "
        "prosjekta?",
        "Good employer policy through a good reputation. How shall we measure the projects' "
        "progress?",
    ),
    "Etikk, åpenhet og dialog – hvordan bygge tillit?": (
        "Etikk, openheit og dialog – korleis byggje tillit?",
        "Ethics, openness and dialogue – how to build trust?",
    ),
    "Et foredrag om tillitsskapende arbeid i en organisasjon. Det vil bli presentert en "
    "eller flere øvelser i en metodikk.": (
        "Eit foredrag om tillitsskapande arbeid i ein organisasjon. Det blir presentert ei "
        "eller fleire øvingar i ein metodikk.",
        "A talk on building trust in an organisation. One or more exercises in a method will "
        "be presented.",
    ),
    "Oppsummering": ("Oppsummering", "Summing up"),
    "Hvordan skal vi måle resultatoppnåelse ved prosjektets slutt? Hvordan skal vi "
    "rapportere fra prosjektet?": (
        "Korleis skal vi måle resultatoppnåinga ved slutten av prosjektet? Korleis skal vi "
        "rapportere frå prosjektet?",
        "How shall we measure the results at the end of the project? How shall we report from "
        "the project?",
    ),
    "Prosjektlederne – et kort møte": (
        "Prosjektleiarane – eit kort møte",
        "The project leaders – a short meeting",
    ),
    "Et lite treff: quiz og aperitiff": (
        "Eit lite treff: quiz og aperitiff",
        "A get-together: quiz and aperitif",
    ),
    "Middag": ("Middag", "Dinner"),
    "Skalldyr.": ("Skaldyr.", "Shellfish."),
    "God morgen og takk for i går": (
        "God morgon og takk for i går",
        "Good morning, and thank you for yesterday",
    ),
    "En felles plattform – et felles språk": (
        "Ei felles plattform – eit felles språk",
        "A common platform – a common language",
    ),
    "Hvordan kan en virksomhets identitet utvikles og fastholdes? Hvilken tankegang og "
    "strategi ligger bak styring og forsvar av identitet? Kan identitet velges?": (
        "Korleis kan identiteten til ei verksemd utviklast og haldast ved lag? Kva tankegang "
        "og strategi ligg bak styring og forsvar av identitet? Kan identitet veljast?",
        "How can an organisation's identity be developed and maintained? What thinking and "
        "strategy lie behind managing and defending an identity? Can identity be chosen?",
    ),
    "Hvordan styrke kommunens attraktivitet som arbeidsgiver gjennom systematisk arbeid "
    "med omdømmebygging?": (
        "Korleis styrkje attraktiviteten til kommunen som arbeidsgjevar gjennom systematisk "
        "arbeid med omdømmebygging?",
        "How can the municipality become more attractive as an employer through systematic "
        "work on its reputation?",
    ),
    "Hvem er vi? Hvem ønsker vi å være?": (
        "Kven er vi? Kven ønskjer vi å vere?",
        "Who are we? Who do we want to be?",
    ),
    "Veien videre": ("Vegen vidare", "The way forward"),
    "Gruppearbeid: Hva er grunnen til at prosjektet realiseres, hva er hensikten, og "
    "hvilken effekt skal det ha? Hvordan skal vi måle resultatoppnåelse? Hva skal være "
    "gjort til neste samling i september 2012?": (
        "Gruppearbeid: Kva er grunnen til at prosjektet blir gjennomført, kva er føremålet, og "
        "kva verknad skal det ha? Korleis skal vi måle resultatoppnåinga? Kva skal vere gjort "
        "til neste samling i september 2012?",
        "Group work: Why is the project being carried out, what is its purpose, and what "
        "effect should it have? How shall we measure the results? What is to be done by the "
        "next gathering in September 2012?",
    ),
    "Oppsummering – neste samling": (
        "Oppsummering – neste samling",
        "Summing up – the next gathering",
    ),
    "Tema og tidspunkt for neste samling. Evaluering.": (
        "Tema og tidspunkt for neste samling. Evaluering.",
        "Theme and time of the next gathering. Evaluation.",
    ),
}

GATHERING_TEXTS = ["title", "schedule_note", "description", "practical_info"]
ITEM_TEXTS = ["title", "description"]


def load() -> None:
    for network in Network.objects.filter(slug__in=[slug for slug, *_rest in NETWORKS]):
        for plan in PLAN:
            fields = {key: value for key, value in plan.items() if key != "kind"}
            if plan["kind"] == GatheringKind.THEME_DAY:
                if not network.gatherings.filter(kind=GatheringKind.THEME_DAY).exists():
                    Gathering.objects.create(network=network, **plan)
                continue
            Gathering.objects.get_or_create(network=network, kind=plan["kind"], defaults=fields)
    _load_omdomme_first()
    for gathering in Gathering.objects.filter(network__slug__in=[slug for slug, *_ in NETWORKS]):
        fill_translations(gathering, GATHERING_TEXTS, TRANSLATIONS)
    for item in AgendaItem.objects.filter(
        gathering__network__slug="omdomme", gathering__kind=GatheringKind.FIRST
    ):
        fill_translations(item, ITEM_TEXTS, TRANSLATIONS)


def _load_omdomme_first() -> None:
    gathering = Gathering.objects.get(network__slug="omdomme", kind=GatheringKind.FIRST)
    if gathering.start_date is None:
        for field, value in OMDOMME_FIRST.items():
            setattr(gathering, field, value)
        gathering.status = "published"
        # «Deltakeroversikt og program 7. februar» (the seed).
        gathering.published_at = timezone.make_aware(datetime(2012, 2, 7))
        gathering.save()
    if not gathering.agenda_items.exists():
        _load_omdomme_agenda(gathering)
    if gathering.is_published and gathering.notified_programme is None:
        # What the participants were sent on 7 February: the baseline for later changes.
        gathering.notified_programme = programme_snapshot(gathering, list(agenda_items(gathering)))
        gathering.notified_at = gathering.published_at
        gathering.save(update_fields=["notified_programme", "notified_at"])


def read_speakers() -> list[dict[str, str]]:
    """The speakers (navn, tittel, organisasjon), from the bundled list."""
    with SPEAKERS_CSV.open(encoding="utf-8") as file:
        return list(csv.DictReader(file, delimiter=";"))


def _load_omdomme_agenda(gathering: Gathering) -> None:
    speakers = {
        row["navn"]: person(row["navn"], title=row["tittel"], organisation_name=row["organisasjon"])
        for row in read_speakers()
    }
    positions: dict[date, int] = {}
    for day, start, end, title, kind, description, names in OMDOMME_AGENDA:
        positions[day] = positions.get(day, 0) + 1
        item = AgendaItem.objects.create(
            gathering=gathering,
            date=day,
            start=start,
            end=end,
            position=positions[day],
            title=title,
            kind=kind,
            description=description,
        )
        AgendaItemSpeaker.objects.bulk_create(
            AgendaItemSpeaker(agenda_item=item, person=speakers[name], position=i)
            for i, name in enumerate(names)
        )
