"""Browser tests: Debian's chromium driven by Playwright, pages checked with axe-core.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (as in CI), which
turns a missing browser into a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="nn-NO"
    )
    page = context.new_page()
    yield page
    context.close()


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


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/logg-inn/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
