"""The simple markup of project pages and stories: a Markdown subset rendered to safe HTML.

CommonMark through markdown-it-py with raw HTML off (``html=False``: any ``<tag>`` typed is
shown as text), no images and no code blocks; a single line break is a line break and ``*``
inside a word is just a star (``7*7``); bidirectional control characters are removed. The
result is then sanitised with nh3 against a short allowlist, so no script, event attribute,
style or unsafe link can reach a page even if the Markdown renderer had a bug. Texts are
rendered once, when they are saved, and the HTML is stored beside the source.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

from core.text import strip_bidi_controls

ALLOWED_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "ul", "ol", "li", "a", "em", "strong", "blockquote", "br"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow"
#: Elements removed with their content (everything else not allowed keeps its text).
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript"})


def _emphasis_between_words_only(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis rule, except that ``*`` inside a word opens or closes nothing,
    as ``_`` already does: «7*7*7» and «snake_case_words» stay as typed."""
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = state.scanDelims(state.pos, False)
    for _index in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=scanned.length,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


#: A single line break is a line break (``breaks``), as people expect from a text box.
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(
    ["image", "code", "fence"]
)
_markdown.inline.ruler.at("emphasis", _emphasis_between_words_only)


def sanitise(html: str) -> str:
    """Allow only the tags and attributes above; links only to http, https and mailto."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def render_markup(source: str, *, top_heading: int = 3) -> str:
    """Render markup to sanitised HTML. ``#`` and ``##`` headings become ``<h{top_heading}>``,
    deeper ones follow, never beyond ``<h4>``, so a text fits under the heading of its
    section."""
    source = strip_bidi_controls(source)
    if not source or not source.strip():
        return ""
    tokens = _markdown.parse(source)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = top_heading + max(0, int(token.tag[1]) - 2)
            token.tag = f"h{max(2, min(level, 4))}"
    return sanitise(_markdown.renderer.render(tokens, _markdown.options, {}))
