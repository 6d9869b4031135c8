"""A local project's final report: the page, the PDF (WeasyPrint, the site's fonts read from
disk), and who may see them. A network's or a programme's reports as one ZIP file:
``test_final_report_archives.py``."""

import datetime
import re
import zlib

import pytest

from gatherings.models import Gathering, Registration
from measurements.models import Indicator, MeasurementRound
from municipalities.final_report import static_file_path
from municipalities.models import LocalProject, ParticipantRole
from surveys.services import close_run
from tests.factories import ParticipantFactory
from tests.measurements.conftest import baseline_closed, end_round  # noqa: F401
from tests.measurements.factories import develop, measure
from tests.municipalities.factories import save_page, story
from tests.surveys.factories import answer_many, open_run

pytestmark = pytest.mark.django_db

PAGE = "/en/prosjekter/karmoy-omdomme/sluttrapport/"
PDF = "/en/prosjekter/karmoy-omdomme/sluttrapport.pdf"
ZIP = "/en/nettverk/omdomme/sluttrapporter/"
PROGRAMME_ZIP = "/en/program/{slug}/sluttrapporter/"
INDICATOR = "Omdømmeindeks"


def pdf_objects(pdf: bytes) -> list[bytes]:
    """The PDF and each of its compressed streams unpacked."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return chunks


def pdf_strings(pdf: bytes) -> str:
    """The text strings of a PDF (its outline of headings, metadata, names): enough to find
    the headings without a PDF library."""
    texts = []
    for chunk in pdf_objects(pdf):
        for hex_string in re.findall(rb"<(fe\s*ff[0-9a-f\s]*)>", chunk, re.I):
            texts.append(bytes.fromhex(hex_string.decode()).decode("utf-16"))
        for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\)", chunk):
            texts.append(literal.decode("latin-1"))
    return "\n".join(texts)


@pytest.fixture
def report(karmoy):
    """Karmøy at the end of the programme: a published page, participants in two roles, one
    of them at the first gathering, values in both rounds with a goal, anchoring in both
    rounds, a published story and a draft."""
    save_page(karmoy, publish=True, background="Vi vil bli en attraktiv arbeidsgiver.")
    ordfører = ParticipantFactory(
        local_project=karmoy, name="Ola Ordfører", role=ParticipantRole.POLITICIAN
    )
    ParticipantFactory(local_project=karmoy, name="Hanne HR", role=ParticipantRole.HR)
    ParticipantFactory(
        local_project=LocalProject.objects.get(slug="strand-omdomme"), name="Siri Strand"
    )
    first = Gathering.objects.filter(network=karmoy.network).published().first()
    Registration.objects.create(gathering=first, participant=ordfører)
    baseline = MeasurementRound.objects.get(slug="nullpunkt")
    end = MeasurementRound.objects.get(slug="sluttmaling")
    index = Indicator.objects.for_project(karmoy).get(name=INDICATOR)
    develop(karmoy, index, rounds=(baseline, end), values=("61", "68"), stages=(2, 5), goal="70")
    story(karmoy, title="Flere søkere enn før")
    story(karmoy, title="Utkast om turnus", published=False)
    return karmoy


# --- The page ---------------------------------------------------------------------------------


def test_page_shows_the_whole_report(login, ministry, report):
    response = login(ministry).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="project-name">Karmøy</h1>' in html
    assert "Vi vil bli en attraktiv arbeidsgiver." in html
    # Participants by role, only the project's own.
    assert re.search(r"<h3[^>]*>Politician</h3>\s*<ul[^>]*>\s*<li>Ola Ordfører", html)
    assert re.search(r"<h3[^>]*>HR</h3>\s*<ul[^>]*>\s*<li>Hanne HR", html)
    assert "Siri Strand" not in html
    # Gatherings attended: who of the project came.
    assert "Gatherings attended" in html
    assert re.search(r"<td class=\"np-num\">1</td>\s*<td>Ola Ordfører</td>", html)
    # Each indicator from baseline to end, with its chart and goal.
    assert INDICATOR in html
    assert 'class="np-chart"' in html
    assert "Nullpunkt" in html and "Sluttmåling" in html
    assert re.search(r"Goal</th>\s*<td class=\"np-num\">70 by May 31, 2013</td>", html)
    # The anchoring ladder over time.
    assert "Stage on the anchoring ladder by round" in html
    assert re.search(r"<td>2\. [^<]+</td>", html) and re.search(r"<td>5\. [^<]+</td>", html)
    # Good stories: published only.
    assert "Flere søkere enn før" in html
    assert "Utkast om turnus" not in html
    # The print stylesheet, no inline style.
    assert "css/final_report.css" in html
    assert "style=" not in html
    assert PDF in html and ZIP in html
    assert PROGRAMME_ZIP.format(slug=report.network.programme.slug) in html


def test_page_before_anything_is_published_says_so(login, leader_karmoy, karmoy):
    save_page(karmoy, background="Et utkast som ikke er publisert.")
    html = login(leader_karmoy).get(PAGE).content.decode()
    assert "The project has not published its page yet." in html
    assert "Et utkast som ikke er publisert." not in html
    # A project leader does not download the network's or the programme's reports.
    assert ZIP not in html
    assert "/sluttrapporter/" not in html


# --- The PDF ----------------------------------------------------------------------------------


def test_pdf_is_the_report_with_the_sites_fonts(login, facilitator, report):
    response = login(facilitator).get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'inline; filename="sluttrapport-karmoy-omdomme.pdf"'
    )
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = pdf_strings(pdf)
    assert "Karmøy" in text
    assert INDICATOR in text
    assert "Flere søkere enn før" in text
    assert "Utkast om turnus" not in text
    # The charts drawn with their own stylesheet: the line in the accent colour, not black.
    assert any(b"0.117647 0.352941 0.658824 RG" in chunk for chunk in pdf_objects(pdf))
    # Inter, the site's font, embedded (a subset: «ABCDEF+Inter»).
    assert any(re.search(rb"/FontName\s*/[A-Z]{6}\+Inter", chunk) for chunk in pdf_objects(pdf))


def test_pdf_holds_the_pictures_of_its_stories(login, leader_karmoy, karmoy):
    story(karmoy, title="Med bilde", image=True)
    pdf = login(leader_karmoy).get(PDF).content
    assert any(re.search(rb"/Subtype\s*/Image", chunk) for chunk in pdf_objects(pdf))


def test_static_files_come_from_disk_and_nothing_else_is_fetched(settings):
    css = static_file_path("http://testserver/static/css/final_report.css")
    assert css is not None and css.read_text().startswith("/*")
    font = static_file_path(
        "https://portal.example/static/vendor/inter/inter-latin-wght-normal.woff2"
    )
    assert font is not None and font.exists()
    assert static_file_path("https://example.org/prosjekter/karmoy-omdomme/") is None
    assert static_file_path("file:///static/css/final_report.css") is None
    assert static_file_path("http://testserver/static/../config/settings.py") is None
    assert static_file_path("http://testserver/static//etc/passwd") is None
    assert static_file_path("http://testserver/static/css/finnes-ikke.css") is None


# --- Who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, PDF])
@pytest.mark.parametrize(
    "persona", ["participant", "leader_karmoy", "facilitator", "ministry", "admin_user"]
)
def test_the_project_its_facilitator_and_the_ministry_see_the_report(
    login, request, persona, url, karmoy
):
    assert login(request.getfixturevalue(persona)).get(url).status_code == 200


@pytest.mark.parametrize("url", [PAGE, PDF])
@pytest.mark.parametrize("persona", ["leader_strand", "facilitator_other"])
def test_outsiders_are_refused_the_report(login, request, persona, url, karmoy):
    assert login(request.getfixturevalue(persona)).get(url).status_code == 403


@pytest.mark.parametrize("url", [PAGE, PDF])
def test_anonymous_visitors_are_sent_to_sign_in(login, url, karmoy):
    response = login(None).get(url)
    assert response.status_code == 302
    assert "logg-inn" in response["Location"]


def test_report_of_an_unknown_project_is_not_found(login, ministry, programme):
    assert login(ministry).get("/en/prosjekter/finnes-ikke/sluttrapport/").status_code == 404


def _more_of_everything(project):
    """Another participant at the first gathering, another value and another story."""
    person = ParticipantFactory(local_project=project, name="Per Politiker", role="politiker")
    first = Gathering.objects.filter(network=project.network).published().first()
    Registration.objects.create(gathering=first, participant=person)
    ParticipantFactory(local_project=project, name="Tove Tillitsvalgt", role="tillitsvalgt")
    other = Indicator.objects.for_project(project).exclude(name=INDICATOR).first()
    measure(project, other, MeasurementRound.objects.get(slug="nullpunkt"), "3")
    story(project, title="Enda en historie")


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # Session, user, the project with its page, participants, stories and municipalities;
        # gatherings and registrations; rounds, values, indicators with goals, anchoring.
        ("ministry", 8),
        # The same, and the user's roles (their projects and networks), read once.
        ("participant", 9),
        ("facilitator", 9),
    ],
)
def test_page_reads_as_many_queries_whatever_the_project_holds(
    login, request, persona, queries, report, django_assert_num_queries
):
    client = login(request.getfixturevalue(persona))
    client.get(PAGE)
    with django_assert_num_queries(queries):
        client.get(PAGE)
    _more_of_everything(report)
    with django_assert_num_queries(queries):
        html = client.get(PAGE).content.decode()
    assert "Per Politiker" in html and "Enda en historie" in html


def test_pdf_reads_as_many_queries_as_the_page(
    login, facilitator, report, django_assert_num_queries
):
    client = login(facilitator)
    client.get(PAGE)
    with django_assert_num_queries(9):
        assert client.get(PDF).content.startswith(b"%PDF")


def test_participants_are_grouped_by_role_leaders_first_in_norwegian_order(login, ministry, karmoy):
    ParticipantFactory(local_project=karmoy, name="Øyvind Øst", role=ParticipantRole.HR)
    ParticipantFactory(local_project=karmoy, name="Åse Ås", role=ParticipantRole.HR)
    ParticipantFactory(local_project=karmoy, name="Zara Zet", role=ParticipantRole.HR)
    ParticipantFactory(
        local_project=karmoy, name="Yngve Ytre", role=ParticipantRole.HR, is_project_leader=True
    )
    html = login(ministry).get(PAGE).content.decode()
    hr = html[html.index(">HR</h3>") :]
    hr = hr[: hr.index("</ul>")]
    names = re.findall(r"<li>([^,<–]+?)[,<–]", hr)
    assert [name.strip() for name in names] == ["Yngve Ytre", "Zara Zet", "Øyvind Øst", "Åse Ås"]
    assert "Yngve Ytre, Rådgiver – Project leader" in hr


def test_stories_are_newest_first_with_their_pictures(login, leader_karmoy, karmoy):
    older = story(karmoy, title="Den eldre", date=datetime.date(2012, 10, 1))
    newer = story(karmoy, title="Den nyere", date=datetime.date(2013, 3, 1), image=True)
    html = login(leader_karmoy).get(PAGE).content.decode()
    assert html.index("Den nyere") < html.index("Den eldre")
    assert f'src="/en/prosjekter/karmoy-omdomme/historier/{newer.pk}/bilde/"' in html
    assert '<time datetime="2012-10-01">' in html
    assert f"historie-{older.pk}" in html


def test_report_has_the_reputation_index_from_baseline_to_end(
    login,
    leader_karmoy,
    karmoy,
    baseline_closed,  # noqa: F811
    end_round,  # noqa: F811
):
    before = open_run(karmoy, baseline_closed, "employees")
    after = open_run(karmoy, end_round, "employees")
    answer_many(before, 5, 3)
    answer_many(after, 5, 4)
    close_run(run=before, user=leader_karmoy, reason="Test")
    close_run(run=after, user=leader_karmoy)
    open_run(karmoy, baseline_closed, "residents")
    html = login(leader_karmoy).get(PAGE).content.decode()
    rows = dict(re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', html, re.S))
    assert "40.0" in rows["Employees"] and "60.0" in rows["Employees"]
    assert "Better (+20)" in rows["Employees"]
    assert "no end-of-project survey of this group yet" in rows["Residents"]
    assert "Politicians" not in rows


# --- Where it is found ------------------------------------------------------------------------


#: Who sees the link to the reports on Karmøy's page (those who may see its report) and on
#: Omdømme's (those who follow the network).
LINKS = [
    ("/en/prosjekter/karmoy-omdomme/", PAGE, {"leader_strand": False, "participant": True}),
    ("/en/nettverk/omdomme/", ZIP, {"leader_karmoy": False, "facilitator": True}),
]


@pytest.mark.parametrize(
    ("page", "link", "persona", "shown"),
    [
        (page, link, persona, shown)
        for page, link, seen in LINKS
        for persona, shown in {"anonymous": False, **seen, "ministry": True}.items()
    ],
)
def test_pages_link_to_the_reports_for_those_who_may_see_them(
    login, request, programme, page, link, persona, shown
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    html = login(user).get(page).content.decode()
    assert (link in html) is shown
