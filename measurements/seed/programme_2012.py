"""The 2012 programme's indicator catalogue and its two measurement rounds (the reputation
questionnaire is the surveys app's: ``surveys/seed/programme_2012.py``).

The seed says what is to be measured – «Vi må vite hvor hver enkelt står i dag. Vi må måle
resultatoppnåelse ved prosjektets slutt, mai 2013» – but not which indicators or on which
dates. What is loaded here are therefore *defaults the programme can change*: every catalogue
indicator is marked ``is_example``, and the rounds' open and close dates are data that ministry
staff and administrators edit on «Målinger» (``/framgang/malinger/``). No measurement values
are loaded: the municipalities' numbers are theirs to report.

Loading creates what is missing and never overwrites, so edits made in the portal survive.
"""

from datetime import date

from network.models import Theme
from network.seed.programme_2012 import programme

from ..models import Direction, Indicator, MeasurementRound, RoundKind, Unit

#: The catalogue indicator of the reputation index. A theme whose catalogue holds it runs the
#: reputation survey; a closed survey run writes its index per target group into the catalogue
#: indicator «Omdømmeindeks – <group>» next to it (``surveys.services``).
REPUTATION_INDEX = "Omdømmeindeks"

_PAI = "PAI-registeret (KS) eller kommunens eget personalsystem"
_EMPLOYEE_SURVEY = (
    "Medarbeiderundersøkelse",
    Unit.SCORE,
    Direction.HIGHER_IS_BETTER,
    "Gjennomsnittlig skår for hele undersøkelsen, på skalaen undersøkelsen bruker (f.eks. 1–6).",
    "Kommunens medarbeiderundersøkelse (f.eks. bedrekommune.no)",
)
_APPLICANTS = (
    "Kvalifiserte søkere per utlyst stilling",
    Unit.RATIO,
    Direction.HIGHER_IS_BETTER,
    "Antall kvalifiserte søkere delt på antall utlyste stillinger i perioden.",
    "Kommunens rekrutteringssystem",
)

# theme slug → [(name, unit, direction, definition, source)]
CATALOGUE = {
    "kompetanse": [
        (
            "Andel ansatte med formell kompetanse",
            Unit.PERCENT,
            Direction.HIGHER_IS_BETTER,
            "Andel av de ansatte i prosjektets målgruppe som har den formelle utdanningen "
            "stillingen krever (fagbrev, høgskole- eller universitetsutdanning).",
            _PAI,
        ),
        _APPLICANTS,
    ],
    "heltid-deltid": [
        (
            "Andel ansatte i heltidsstilling",
            Unit.PERCENT,
            Direction.HIGHER_IS_BETTER,
            "Andel av de ansatte i prosjektets målgruppe som har 100 % stilling.",
            _PAI,
        ),
        (
            "Gjennomsnittlig stillingsstørrelse",
            Unit.PERCENT,
            Direction.HIGHER_IS_BETTER,
            "Gjennomsnittlig avtalt stillingsprosent for de ansatte i prosjektets målgruppe.",
            _PAI,
        ),
    ],
    "omdomme": [
        (
            REPUTATION_INDEX,
            Unit.SCORE,
            Direction.HIGHER_IS_BETTER,
            "Samlet skår i kommunens omdømmeundersøkelse blant ansatte, innbyggere og søkere.",
            "Kommunens omdømmeundersøkelse",
        ),
        _APPLICANTS,
        _EMPLOYEE_SURVEY,
    ],
    "sykefravaer": [
        (
            "Sykefravær",
            Unit.PERCENT,
            Direction.LOWER_IS_BETTER,
            "Legemeldt og egenmeldt sykefravær i prosent av avtalte dagsverk, for de siste "
            "fire kvartalene.",
            _PAI,
        ),
        _EMPLOYEE_SURVEY,
    ],
}

# (slug, name, kind, opens, closes): the baseline «hvor står vi i dag» in 2012, from the
# first gathering; the end of the project in May 2013.
ROUNDS = [
    ("nullpunkt", "Nullpunkt", RoundKind.BASELINE, date(2012, 2, 16), date(2012, 12, 31)),
    ("sluttmaling", "Sluttmåling", RoundKind.END, date(2013, 5, 1), date(2013, 6, 30)),
]


def load() -> None:
    prog = programme()
    themes = {theme.slug: theme for theme in Theme.objects.filter(programme=prog)}
    for theme_slug, indicators in CATALOGUE.items():
        for position, (name, unit, direction, definition, source) in enumerate(indicators, 1):
            Indicator.objects.get_or_create(
                theme=themes[theme_slug],
                local_project=None,
                name=name,
                defaults={
                    "unit": unit,
                    "direction": direction,
                    "definition": definition,
                    "source": source,
                    "is_example": True,
                    "position": position,
                    "measured_by_survey": name == REPUTATION_INDEX,
                },
            )
    for position, (slug, name, kind, opens_on, closes_on) in enumerate(ROUNDS, 1):
        MeasurementRound.objects.get_or_create(
            programme=prog,
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "position": position,
            },
        )
