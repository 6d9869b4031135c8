"""Browser tests: Debian's chromium driven by Playwright, pages checked with axe-core.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (as in CI), which
turns a missing browser into a failure.

A test never looks at the page right after a click that sends a form or follows a link: it
clicks through ``submit_and_wait`` (or waits for the new URL or element with Playwright's
``expect``), so that what it reads is the server's answer, not the page it came from.
"""

import contextlib
import os
import shutil
import socket
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = Path(__file__).with_name("vendor") / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Rules run besides the tags' (best practice): each landmark's role and name are unique.
AXE_RULES = {"landmark-unique": {"enabled": True}}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """Replaces pytest-django's helper of the same name, which makes every live-server test
    transactional: the database is flushed after each test and the 2012 programme reloaded
    before the next. With the in-memory SQLite test database the live server's threads share
    the test's connection, so they see the test's data inside its transaction, which is rolled
    back afterwards like any other test. Elsewhere (PostgreSQL) the flushing behaviour stays."""
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.db import connection

    shared = connection.vendor == "sqlite" and connection.is_in_memory_db()
    request.getfixturevalue("db" if shared else "transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


class _ServerThatFinishesItsRequests(ThreadedWSGIServer):
    """The live server's HTTP server, stopped only when every request thread has finished.

    Django's server leaves its request threads running (daemon threads): a thread that still
    holds a connection the browser keeps alive ends later, after the test, and closes the
    database connection it shares with the test, which by then may no longer be shared
    ("DatabaseWrapper objects created in a thread can only be used in that same thread").
    Here closing the server wakes those threads (their sockets are shut down) and waits for
    them, so the shared connection is used by the test's thread alone once the server stops.
    """

    daemon_threads = False
    block_on_close = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._open_requests = set()

    def process_request(self, request, client_address):
        self._open_requests.add(request)
        super().process_request(request, client_address)

    def close_request(self, request):
        self._open_requests.discard(request)
        super().close_request(request)

    def server_close(self):
        for request in list(self._open_requests):
            with contextlib.suppress(OSError):  # closed meanwhile
                request.shutdown(socket.SHUT_RDWR)
        super().server_close()  # joins the request threads


def start_live_server(addr: str = "localhost"):
    """pytest-django's live server, whose stop waits for its request threads."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(addr, start=False)
    server.thread.server_class = _ServerThatFinishesItsRequests
    server.start()
    return server


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's ``live_server`` (same address options), stopped cleanly."""
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = start_live_server(addr)
    yield server
    server.stop()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM} (REQUIRE_BROWSER=1)")
        pytest.skip(f"chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def browser_page(browser, **options):
    """A page in a browser context of its own, closed afterwards: in Bokmål on a 1280×900
    screen unless ``options`` (of ``browser.new_context``) say otherwise."""
    context = browser.new_context(
        **{"viewport": {"width": 1280, "height": 900}, "locale": "nb-NO", **options}
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser):
    with browser_page(browser) as page:
        yield page


@pytest.fixture
def phone_page(browser):
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    with browser_page(browser, locale="nn-NO", **phone) as page:
        yield page


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page (through the DevTools protocol, so the CSP stays strict)."""
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async ([tags, rules]) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, rules: rules})""",
        [AXE_TAGS, AXE_RULES],
    )
    return result["violations"]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe-core found violations on {page.url}:\n{details}"


#: A form's main button: the primary one of ``includes/form_actions.html`` or a plain one.
PRIMARY_SUBMIT = (
    "main button[type=submit].ds-button:is([data-variant=primary], :not([data-variant]))"
)


def submit_and_wait(page, target=PRIMARY_SUBMIT, **click) -> None:
    """Click ``target`` (a selector or a locator: a submit button, a link; by default the
    form's main button) and return once the page that answers has loaded, so that what the
    test reads next is the new page.

    Waiting for the load state after the click is not enough (the old page is still
    loaded), nor is looking for an element the old page may also have."""
    with page.expect_navigation():
        if isinstance(target, str):
            page.click(target, **click)  # the first match, as page.click does
        else:
            target.click(**click)


def send_and_see(page, button: str, shown: str) -> None:
    """Send the form with ``button``: the answer shows ``shown`` (a selector) and has no axe
    violations."""
    submit_and_wait(page, button)
    assert page.locator(shown).is_visible()
    assert_accessible(page)


def refused(page, button: str = PRIMARY_SUBMIT) -> None:
    """Send the form with ``button``: the answer shows the error summary and has no axe
    violations."""
    send_and_see(page, button, "#error-summary")


def path(name: str, *args, lang: str = "nb") -> str:
    """The path of the URL named ``name`` in ``lang``."""
    with translation.override(lang):
        return reverse(name, args=args)


def check(page, live_server, url: str) -> None:
    """``url`` answers 200 and has no axe violations."""
    response = page.goto(f"{live_server.url}{url}")
    assert response.status == 200, url
    assert_accessible(page)


def check_in(page, live_server, lang: str, *urls: str) -> None:
    """Each of ``urls`` answers 200 in ``lang`` and has no axe violations."""
    for url in urls:
        check(page, live_server, url)
        assert page.locator("html").get_attribute("lang") == lang


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/logg-inn/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    submit_and_wait(page, "button[type=submit]")


def signed_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in as ``username`` and wait for their pages («Mine sider»)."""
    sign_in(page, live_server, username, password)
    page.wait_for_url(f"{live_server.url}/mine-sider/")


def leader_checks(page, live_server, leader, project, lang: str, *urls: str) -> None:
    """Signed in as ``leader``, the pages they pass on the way to ``project`` (their own pages,
    the project's page) and then ``urls`` each answer 200 in ``lang`` and have no axe
    violations."""
    signed_in(page, live_server, leader.username)
    way = [
        path("network:my_pages", lang=lang),
        path("municipalities:project_detail", project.slug, lang=lang),
    ]
    check_in(page, live_server, lang, *way, *urls)
