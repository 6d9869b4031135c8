"""Every page of the permission matrix, as every persona who may open it, in Bokmål and Nynorsk:
no axe-core violations (WCAG 2.1 A/AA). Every form is also sent empty once (the browser's own
checks switched off, so the server answers) and the page with its errors checked too.

One browser context per persona, signed in once with a session cookie. A page whose markup is
identical to one already checked in the same language, e.g. a public page that several
signed-in personas see alike, is not checked again: the same document gives the same result.
Markup here means the HTML with every text and every link's and form's target replaced by one
placeholder (kept apart from an empty one) and the CSRF token left out: what axe judges
(elements, attributes, roles, names present or missing, colours by class) is the same, while a
user's name in the header is not. A page whose ``<main>`` was checked on one page and the rest
(header, menus, footer; which menu item is the current page aside) on another is not checked
again either: the same content in another persona's menu. The HTML is fetched with the
test client first, so that a page seen before is not even loaded in the browser. Added pages
and forms are covered as soon as they are in ``tests/<app>/url_matrix.py``.
"""

import hashlib
import re
import time
from collections import Counter

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError

from core.errors import database_unavailable
from tests.browser.conftest import AXE_RULES, AXE_SOURCE, AXE_TAGS, start_live_server
from tests.matrix import PERSONAS
from tests.test_permission_matrix import CASES

pytestmark = pytest.mark.django_db

LANGUAGES = {"nb": "", "nn": "/nn"}
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')
_TEXT = re.compile(r">[^<]*[^<\s][^<]*<")
_MAIN = re.compile(r"<main\b.*</main>", re.DOTALL)
#: Where a link or form leads, and which link of the menus is the current page.
_TARGET = re.compile(r'\b(href|action)="[^"]+"')
_CURRENT = re.compile(r' aria-current="[^"]*"')


def _digest(markup: str) -> str:
    return hashlib.sha256(markup.encode()).hexdigest()


#: Form controls a user fills in; a form with none of them (a button) has no error state.
_FILLABLE = (
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]),"
    " textarea, select"
)
_EMPTY_AND_SEND = """form => {
  form.noValidate = true;
  const texts = ['text', 'email', 'number', 'date', 'time', 'url', 'tel', 'password', 'search',
                 'datetime-local', 'month'];
  for (const element of form.elements) {
    if (element.tagName === 'TEXTAREA' || texts.includes(element.type)) element.value = '';
  }
  const button = form.querySelector('button[type=submit], input[type=submit], button:not([type])');
  if (button) button.click(); else form.requestSubmit();
}"""
_SIGNATURE = """form => [form.getAttribute('action') || location.pathname,
  ...Array.from(form.elements).map(e => e.name).filter(n => n)].join(' ')"""


def _with_axe(context):
    """axe-core in every page the context opens (sent to the browser once, not per page)."""
    context.add_init_script(path=AXE_SOURCE)
    return context


def _axe(page) -> list[dict]:
    return page.evaluate(
        """async ([tags, rules]) => (await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, rules: rules,
            resultTypes: ['violations']})).violations""",
        [AXE_TAGS, AXE_RULES],
    )


class Checker:
    """Runs axe on a page unless the same document was checked already; collects problems."""

    def __init__(self):
        self.checked: set[str] = set()
        self.parts: set[str] = set()
        self.problems: list[str] = []
        self.counts = Counter()
        self.axe_seconds = 0.0

    def is_new(self, html: str) -> bool:
        """False for markup seen before, the page is then not checked again: the whole page,
        or both its ``<main>`` and the rest (header, menu, footer) in pages checked before."""
        markup = _TARGET.sub(r'\1="T"', _TEXT.sub(">T<", _CSRF.sub(r'\1"', html)))
        main = _MAIN.search(markup)
        rest = markup[: main.start()] + markup[main.end() :] if main else markup
        parts = (_digest(_CURRENT.sub("", rest)), _digest(main.group()) if main else "")
        if _digest(markup) in self.checked:
            self.counts["same page"] += 1
            return False
        if all(part in self.parts for part in parts):
            self.counts["same parts"] += 1
            return False
        self.checked.add(_digest(markup))
        self.parts.update(parts)
        return True

    def check(self, page, label: str, *, new: bool = False) -> None:
        """Axe on the page in the browser; ``new``: already known to be a new document."""
        if not new and not self.is_new(page.content()):
            return
        self.counts["checked"] += 1
        started = time.monotonic()
        violations = _axe(page)
        self.axe_seconds += time.monotonic() - started
        for violation in violations:
            targets = "; ".join(str(n["target"][0]) for n in violation["nodes"][:3])
            self.problems.append(f"{label}: {violation['id']} ({violation['help']}) – {targets}")


def _context(browser, live_server, user, language: str):
    context = _with_axe(
        browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="nb-NO" if language == "nb" else "nn-NO",
        )
    )
    context.persona = getattr(user, "username", "anonymous")
    # The page's HTML is first fetched with the test client, in the same session: a page seen
    # before is not loaded in the browser at all.
    context.client = client = Client()
    if user is not None:
        client.force_login(user, backend="network.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context


def _cases(app: str) -> list[tuple]:
    """(case, personas) for every GET of the app's URLs that the matrix expects to answer 200
    to some persona."""
    found = []
    for case in CASES:
        personas = [p for p in PERSONAS if case.method == "get" and case.expected[p] == 200]
        if personas and case.name.split(":")[0] == app:
            found.append((case, personas))
    return found


APPS = sorted({case.name.split(":")[0] for case in CASES} - {"healthz"})


def _goto(page, url: str):
    """The response, or None for a file that the browser downloads instead of showing."""
    try:
        return page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return None
        raise


def _send_forms_empty(page, url: str, checker: Checker, sent: set, label: str) -> None:
    forms = page.locator("form[method=post i]")
    targets = []
    for n in range(forms.count()):
        form = forms.nth(n)
        if form.locator(_FILLABLE).count() == 0:
            continue
        signature = re.sub(r"\d+", "#", form.evaluate(_SIGNATURE))
        if signature not in sent:
            sent.add(signature)
            targets.append(n)
    for n in targets:
        if n != targets[0]:
            _goto(page, url)
        try:
            with page.expect_navigation():
                page.locator("form[method=post i]").nth(n).evaluate(_EMPTY_AND_SEND)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue
            raise
        checker.check(page, f"{label} (form {n + 1} sent empty)")


def _check_page(page, server_url: str, path: str, checker: Checker, sent: set) -> bool:
    """False when the URL is a file (iCalendar, a spreadsheet, a picture), not a page."""
    label = f"{page.context.persona} {path}"
    response = page.context.client.get(path)
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        checker.counts["not a page"] += 1
        return False
    assert response.status_code == 200, f"{label}: {response.status_code}"
    if not checker.is_new(response.content.decode()):
        return True  # the same markup, so also the same forms: checked and sent already
    url = server_url + path
    response = _goto(page, url)
    assert response is not None and response.status == 200, label
    checker.check(page, label, new=True)
    _send_forms_empty(page, url, checker, sent, label)
    return True


@pytest.fixture
def shared_server(db):
    """A live server whose threads use the test's own connection to the in-memory SQLite test
    database, so they see what the test makes inside its transaction, and it is all rolled back
    afterwards. (pytest-django's ``live_server`` is session-scoped: made before the test
    database exists, it does not share the connection, and it makes every test transactional.)
    """
    if not connection.is_in_memory_db():
        pytest.skip("needs the in-memory SQLite test database")
    server = start_live_server("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_and_form_error_has_no_axe_violations(
    browser, shared_server, request, programme, language, app
):
    """Each case's objects are made once for all personas, in a savepoint rolled back after the
    case, so that each case starts from the same data, as in the matrix test."""
    live_server = shared_server
    users = {p: None if p == "anonymous" else request.getfixturevalue(p) for p in PERSONAS}
    checker, sent = Checker(), set()
    contexts = {p: _context(browser, live_server, u, language) for p, u in users.items()}
    try:
        tabs = {p: context.new_page() for p, context in contexts.items()}
        for case, personas in _cases(app):
            with transaction.atomic():
                cache.clear()
                with translation.override("nb"):
                    path = LANGUAGES[language] + reverse(case.name, kwargs=case.resolve_kwargs())
                for persona in personas:
                    if not _check_page(
                        tabs[persona], live_server.url, path + case.query, checker, sent
                    ):
                        break  # a file for one persona is a file for all
                transaction.set_rollback(True)
    finally:
        for context in contexts.values():
            context.close()
    print(
        f"axe ({language}, {app}): {dict(checker.counts)}, {len(sent)} forms sent empty, "
        f"{checker.axe_seconds:.0f} s in axe"
    )
    assert checker.counts["checked"] >= 5
    assert not checker.problems, "\n".join(checker.problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_database_unavailable_page_has_no_axe_violations(browser, shared_server, rf, language):
    """The 503 page, rendered as the middleware renders it, served in place of a page."""
    live_server = shared_server
    path = LANGUAGES[language] + "/prosjekter/karmoy-omdomme/rediger/"
    html = database_unavailable(rf.post(path)).content.decode()
    context = _with_axe(browser.new_context())
    try:
        page = context.new_page()
        page.route(
            live_server.url + path,
            lambda route: route.fulfill(status=503, body=html, content_type="text/html"),
        )
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1
        checker = Checker()
        checker.check(page, path)
        assert not checker.problems, "\n".join(checker.problems)
    finally:
        context.close()
