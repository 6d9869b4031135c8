"""The 2012 programme's municipalities and local projects, as its 2012 invitation gives them.

Municipalities are identified by their 2012 kommunenummer: two names (Bø, Våler) exist twice
in Norway, so the number decides. The seed's typos («Sortlend») are not carried over.
"""

from core.norwegian import slugify_nb
from network.models import Network

from ..models import County, LocalProject, Municipality

COUNTIES = {
    "01": "Østfold",
    "02": "Akershus",
    "04": "Hedmark",
    "05": "Oppland",
    "06": "Buskerud",
    "07": "Vestfold",
    "08": "Telemark",
    "09": "Aust-Agder",
    "10": "Vest-Agder",
    "11": "Rogaland",
    "12": "Hordaland",
    "14": "Sogn og Fjordane",
    "15": "Møre og Romsdal",
    "16": "Sør-Trøndelag",
    "17": "Nord-Trøndelag",
    "18": "Nordland",
    "19": "Troms",
    "20": "Finnmark",
}

MUNICIPALITIES = {
    "0104": "Moss",
    "0106": "Fredrikstad",
    "0127": "Skiptvet",
    "0138": "Hobøl",
    "0237": "Eidsvoll",
    "0415": "Løten",
    "0426": "Våler",
    "0427": "Elverum",
    "0514": "Lom",
    "0533": "Lunner",
    "0542": "Nord-Aurdal",
    "0602": "Drammen",
    "0604": "Kongsberg",
    "0625": "Nedre Eiker",
    "0701": "Horten",
    "0821": "Bø",
    "0826": "Tinn",
    "0906": "Arendal",
    "0912": "Vegårshei",
    "0926": "Lillesand",
    "1002": "Mandal",
    "1017": "Songdalen",
    "1037": "Kvinesdal",
    "1103": "Stavanger",
    "1121": "Time",
    "1124": "Sola",
    "1130": "Strand",
    "1141": "Finnøy",
    "1142": "Rennesøy",
    "1149": "Karmøy",
    "1219": "Bømlo",
    "1227": "Jondal",
    "1245": "Sund",
    "1256": "Meland",
    "1426": "Luster",
    "1445": "Gloppen",
    "1502": "Molde",
    "1621": "Ørland",
    "1627": "Bjugn",
    "1702": "Steinkjer",
    "1711": "Meråker",
    "1813": "Brønnøy",
    "1824": "Vefsn",
    "1840": "Saltdal",
    "1851": "Lødingen",
    "1866": "Hadsel",
    "1867": "Bø",
    "1868": "Øksnes",
    "1870": "Sortland",
    "1871": "Andøy",
    "1926": "Dyrøy",
    "2023": "Gamvik",
}

# network slug → its local projects, in order: a municipality's number for a project of that
# one municipality (named by it), or (name, [numbers]) for a project of several.
LOCAL_PROJECTS = {
    "kompetanse-vest-og-ost": [
        "1426",
        "1445",
        "0514",
        "0533",
        "0821",
        "0138",
        ("Finnøy og Rennesøy", ["1141", "1142"]),
    ],
    "heltid-deltid-ost": ["0426", "0427", "0415", "0237", "0602", "0104", "0106"],
    "kompetanse-nord": [
        "1926",
        ("Vesterålen regionråd", ["1871", "1866", "1870", "1867", "1851", "1868"]),
        "1840",
        "1813",
        "1621",
    ],
    "heltid-deltid-nord-og-sor": ["1870", "1711", "1627", "1017", "1121", "1037", "0926"],
    "omdomme": ["2023", "1621", "1256", "1149", "1130"],
    "sykefravaer-nord-og-vest": ["1824", "1702", "1227", "1245", "1219"],
    "sykefravaer-sor": ["1103", "1124", "1017", "1002", "0906", "0912"],
    "sykefravaer-ost": ["0542", "0604", "0701", "0127", "0826", "0625", "1502"],
}


def project_slug(name: str, network: Network) -> str:
    """«Karmøy» in the Omdømme network → ``karmoy-omdomme``."""
    return f"{slugify_nb(name)}-{network.theme.slug}"


def load() -> None:
    counties = {
        number: County.objects.get_or_create(number=number, defaults={"name": name})[0]
        for number, name in COUNTIES.items()
    }
    for number, name in MUNICIPALITIES.items():
        Municipality.objects.get_or_create(
            number=number, defaults={"name": name, "county": counties[number[:2]]}
        )
    networks = Network.objects.select_related("theme").in_bulk(
        list(LOCAL_PROJECTS), field_name="slug"
    )
    for network_slug, projects in LOCAL_PROJECTS.items():
        network = networks[network_slug]
        for entry in projects:
            name, numbers = (MUNICIPALITIES[entry], [entry]) if isinstance(entry, str) else entry
            project, created = LocalProject.objects.get_or_create(
                slug=project_slug(name, network), defaults={"network": network, "name": name}
            )
            if created:
                project.municipalities.set(numbers)
