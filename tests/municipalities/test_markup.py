"""The simple markup: what it renders, and that nothing dangerous reaches a page."""

from html.parser import HTMLParser

import pytest

from municipalities.markup import ALLOWED_TAGS, render_markup, sanitise
from tests.municipalities.factories import save_page, story

ATTACKS = [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="#" onclick="alert(1)">klikk</a>',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[lenke](javascript:alert(1))",
    "[lenke](JaVaScRiPt:alert(1))",
    "[lenke](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[lenke](vbscript:msgbox(1))",
    '[lenke](https://ks.no "tittel" onmouseover=alert(1))',
    "<style>body{display:none}</style>",
    '<p style="position:fixed">x</p>',
    "<form action=https://evil.example><input name=p></form>",
    '<https://ks.no/" onmouseover="alert(1)>',
]


class _Elements(HTMLParser):
    """The tags and attributes of an HTML fragment, as a browser would parse them."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def assert_harmless(html: str) -> None:
    found = elements(html)
    assert set(found.tags) <= ALLOWED_TAGS, found.tags
    for name, value in found.attributes:
        assert name in {"href", "rel"}, name
        assert not name.startswith("on")
        if name == "href":
            assert value.split(":", 1)[0].lower() in {"http", "https", "mailto"} or ":" not in value


@pytest.mark.parametrize("attack", ATTACKS)
def test_render_markup_never_lets_script_event_attributes_or_unsafe_links_through(attack):
    assert_harmless(render_markup(f"Tekst før.\n\n{attack}\n\nTekst etter."))


@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitise_cleans_raw_html_too(attack):
    """Even HTML that did not come from the Markdown renderer is cleaned."""
    assert_harmless(sanitise(attack))


def test_render_markup_keeps_the_formatting_people_use():
    html = render_markup(
        "# Bakgrunn\n\nVi vil *bli* **bedre**.\n\n- en\n- to\n\n1. først\n\n"
        "> sitat\n\n[KS](https://www.ks.no) og [e-post](mailto:post@ks.no)"
    )
    assert "<h3>Bakgrunn</h3>" in html
    assert "<em>bli</em>" in html and "<strong>bedre</strong>" in html
    assert "<ul>" in html and "<ol>" in html and "<blockquote>" in html
    assert '<a href="https://www.ks.no" rel="noopener nofollow">KS</a>' in html
    assert '<a href="mailto:post@ks.no" rel="noopener nofollow">e-post</a>' in html


def test_typed_html_is_shown_as_text_not_run():
    html = render_markup("<b>fet</b> og <script>alert(1)</script>")
    assert "&lt;b&gt;fet&lt;/b&gt;" in html and "&lt;script&gt;" in html


def test_headings_fit_under_the_section_heading():
    assert render_markup("# A\n\n## B\n\n### C\n\n#### D", top_heading=3) == (
        "<h3>A</h3>\n<h3>B</h3>\n<h4>C</h4>\n<h4>D</h4>"
    )
    assert render_markup("# A", top_heading=4) == "<h4>A</h4>"


def test_images_and_code_blocks_are_not_rendered():
    html = render_markup("![bilde](https://evil.example/x.png)\n\n    innrykk\n\n```\nkode\n```")
    assert "<img" not in html and "<pre" not in html and "<code" not in html


@pytest.mark.django_db
def test_the_project_page_and_stories_never_carry_an_attack(client, karmoy):
    attack = "\n\n".join(ATTACKS)
    save_page(karmoy, background=attack, purpose=attack, publish=True)
    story(karmoy, text=attack, title="<script>alert(1)</script>")
    content = client.get(karmoy.get_absolute_url()).content.decode()
    main = content[content.index('<main id="main"') :]
    found = elements(main)
    assert "script" not in found.tags and "iframe" not in found.tags and "style" not in found.tags
    assert not [name for name, _value in found.attributes if name.startswith("on")]
    assert not [
        value
        for name, value in found.attributes
        if name == "href" and "javascript" in value.lower()
    ]


def test_a_single_line_break_is_a_line_break():
    assert render_markup("Kari Nordmann\nRådhusgata 1\n\nNytt avsnitt") == (
        "<p>Kari Nordmann<br>\nRådhusgata 1</p>\n<p>Nytt avsnitt</p>"
    )


@pytest.mark.parametrize(
    "text",
    ["7*7", "7*7*7", "2*3*4 = 24", "snake_case_words", "a_b_c og x*y*z", "fil*navn*.txt"],
)
def test_stars_and_underscores_inside_words_stay_as_typed(text):
    assert render_markup(text) == f"<p>{text}</p>"


def test_emphasis_between_words_still_works():
    html = render_markup("Vi vil *bli* **bedre** og _raskere_ (*nå*).")
    assert "<em>bli</em>" in html and "<strong>bedre</strong>" in html
    assert "<em>raskere</em>" in html and "(<em>nå</em>)" in html


@pytest.mark.parametrize(
    "control",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_bidirectional_controls_never_reach_the_rendered_text(control):
    html = render_markup(f"faktura{control}fdp.exe og [lenke{control}](https://ks.no/{control}x)")
    assert control not in html
    assert "fakturafdp.exe" in html
