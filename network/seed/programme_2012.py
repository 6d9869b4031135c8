"""The 2012 programme's themes, networks and facilitators, as its 2012 invitation gives them.

Loading creates what is missing and never overwrites: running it again changes nothing, and
edits made in the portal since survive. The programme's own texts are loaded in Bokmål,
Nynorsk and English (``TRANSLATIONS``); a translation is filled only where it is missing and
the Bokmål text is still the documents' own.
"""

from core.translated_fields import fill_translations

from ..models import Network, Organisation, Person, Programme, Theme

PROGRAMME = {
    "slug": "saman-om-ein-betre-kommune",
    "name": "Saman om ein betre kommune",
    "owners": "KRD, KS og partene",
    "start_year": 2012,
    "end_year": 2013,
    "description": (
        "Utviklingsprogram for kommunesektoren i regi av Kommunal- og regionaldepartementet "
        "(KRD), KS og partene. Kommunene arbeider i nettverk om fire tema: kompetanse, "
        "heltid–deltid, omdømme og sykefravær. «Vi skal ikke måle kommunene opp mot hverandre, "
        "men utvikling i egen kommune over tid.»"
    ),
}

THEMES = [
    ("kompetanse", "Kompetanse"),
    ("heltid-deltid", "Heltid–deltid"),
    ("omdomme", "Omdømme"),
    ("sykefravaer", "Sykefravær"),
]
THEME_NAMES = dict(THEMES)

ORGANISATIONS = {
    "KS": "KS – kommunesektorens organisasjon",
    "KRD": "Kommunal- og regionaldepartementet",
    "Unio": "Unio",
    "Lom kommune": "",
    "Universitetet i Agder": "",
    "Bærum kommune": "",
}

FACILITATORS = {
    "Asbjørn L. Stavem": {
        "title": "Seniorrådgiver",
        "organisation": "KS",
        "department": "Arbeidsgiverpolitikk",
    },
    "Marit Tovsen": {"title": "", "organisation": "KS", "department": ""},
    "Geir Johan Hansen": {"title": "", "organisation": "KS", "department": ""},
    "Dorrit Svenning": {"title": "", "organisation": "KS", "department": ""},
}

#: The programme's texts in Nynorsk and English, by their Bokmål text (above and below). The
#: programme's name is Nynorsk in every language but English; KRD is the Ministry of Local
#: Government and Regional Development, KS the Norwegian Association of Local and Regional
#: Authorities, and «partene» the unions.
TRANSLATIONS = {
    "Saman om ein betre kommune": (
        "Saman om ein betre kommune",
        "Together for a better municipality",
    ),
    "KRD, KS og partene": ("KRD, KS og partane", "KRD, KS and the unions"),
    PROGRAMME["description"]: (
        "Utviklingsprogram for kommunesektoren i regi av Kommunal- og regionaldepartementet "
        "(KRD), KS og partane. Kommunane arbeider i nettverk om fire tema: kompetanse, "
        "heiltid–deltid, omdømme og sjukefråvær. «Vi skal ikkje måle kommunane opp mot "
        "kvarandre, men utvikling i eigen kommune over tid.»",
        "A development programme for the municipal sector, run by the Ministry of Local "
        "Government and Regional Development (KRD), KS (the Norwegian Association of Local and "
        "Regional Authorities) and the unions. The municipalities work in networks on four "
        "themes: competence, full-time and part-time work, reputation and sickness absence. "
        "«We shall not measure the municipalities against each other, but each municipality's "
        "own development over time.»",
    ),
    # Themes
    "Kompetanse": ("Kompetanse", "Competence"),
    "Heltid–deltid": ("Heiltid–deltid", "Full-time and part-time work"),
    "Omdømme": ("Omdømme", "Reputation"),
    "Sykefravær": ("Sjukefråvær", "Sickness absence"),
    # Regions
    "Vest og Øst": ("Vest og Aust", "West and East"),
    "Øst": ("Aust", "East"),
    "Nord": ("Nord", "North"),
    "Nord og Sør": ("Nord og Sør", "North and South"),
    "Nord og Vest": ("Nord og Vest", "North and West"),
    "Sør": ("Sør", "South"),
}

# (slug, theme slug, region, facilitator); a network is named by its theme and its region
# (``network_name``), the national Omdømme network by its theme alone.
NETWORKS = [
    ("kompetanse-vest-og-ost", "kompetanse", "Vest og Øst", "Marit Tovsen"),
    ("heltid-deltid-ost", "heltid-deltid", "Øst", "Marit Tovsen"),
    ("kompetanse-nord", "kompetanse", "Nord", "Geir Johan Hansen"),
    ("heltid-deltid-nord-og-sor", "heltid-deltid", "Nord og Sør", "Geir Johan Hansen"),
    ("omdomme", "omdomme", "", "Asbjørn L. Stavem"),
    ("sykefravaer-nord-og-vest", "sykefravaer", "Nord og Vest", "Geir Johan Hansen"),
    ("sykefravaer-sor", "sykefravaer", "Sør", "Dorrit Svenning"),
    ("sykefravaer-ost", "sykefravaer", "Øst", "Asbjørn L. Stavem"),
]


def network_name(theme: str, region: str) -> str:
    """«Kompetanse» and «Vest og Øst» → «Kompetanse Vest og Øst»; without a region, the
    theme's name."""
    return f"{theme} {region}" if region else theme


def _network_translations() -> dict[str, tuple[str, ...]]:
    """The networks' names in Nynorsk and English, from their themes' and regions' names."""
    translated = {}
    for _slug, theme_slug, region, _facilitator in NETWORKS:
        theme = THEME_NAMES[theme_slug]
        regions = TRANSLATIONS[region] if region else ("", "")
        translated[network_name(theme, region)] = tuple(
            network_name(*texts) for texts in zip(TRANSLATIONS[theme], regions, strict=True)
        )
    return translated


TRANSLATIONS |= _network_translations()


def organisation(name: str) -> Organisation:
    org, _created = Organisation.objects.get_or_create(
        name=name, defaults={"full_name": ORGANISATIONS.get(name, "")}
    )
    return org


def person(name: str, *, title: str = "", organisation_name: str = "", department: str = ""):
    org = organisation(organisation_name) if organisation_name else None
    found, _created = Person.objects.get_or_create(
        name=name, organisation=org, defaults={"title": title, "department": department}
    )
    return found


def programme() -> Programme:
    return Programme.objects.get(slug=PROGRAMME["slug"])


def load() -> None:
    prog, created = Programme.objects.get_or_create(
        slug=PROGRAMME["slug"],
        defaults={key: value for key, value in PROGRAMME.items() if key != "slug"},
    )
    if created and not Programme.objects.filter(is_current=True).exists():
        prog.is_current = True
        prog.save(update_fields=["is_current"])
    themes = {}
    for position, (slug, name) in enumerate(THEMES, start=1):
        themes[slug], _ = Theme.objects.get_or_create(
            programme=prog, slug=slug, defaults={"name": name, "position": position}
        )
    facilitators = {
        name: person(
            name,
            title=facts["title"],
            organisation_name=facts["organisation"],
            department=facts["department"],
        )
        for name, facts in FACILITATORS.items()
    }
    for slug, theme, region, facilitator in NETWORKS:
        network, _created = Network.objects.get_or_create(
            slug=slug,
            defaults={
                "programme": prog,
                "theme": themes[theme],
                "region": region,
                "name": network_name(THEME_NAMES[theme], region),
                "facilitator": facilitators[facilitator],
            },
        )
        fill_translations(network, ["name", "region", "description"], TRANSLATIONS)
    fill_translations(prog, ["name", "owners", "description"], TRANSLATIONS)
    for theme in themes.values():
        fill_translations(theme, ["name", "description"], TRANSLATIONS)
