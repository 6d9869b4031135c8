"""Every page of the URL × persona matrix is valid HTML: the W3C Nu Html Checker (vnu.jar)
finds no error in it.

Each case of ``tests/<app>/url_matrix.py`` is requested as every persona that the matrix
expects to get a 200, in a savepoint rolled back afterwards, as in
``tests/test_permission_matrix.py``. Every answer that is a 200 with ``text/html`` is written to
a temporary folder and the checker runs once over all the files: one Java start for the whole
matrix. A POST case that answers 200 is a form shown again with its errors, so that markup is
checked too. A document whose markup was written already is left out: the same markup with
every text replaced by one placeholder (kept apart from an empty one) and the CSRF token left
out, e.g. a page that several personas see alike but for the name in the header. Attributes
are kept, since their values are checked. The pages are checked in Bokmål only: Nynorsk and
English differ in text, not in markup.

vnu.jar comes from ``scripts/fetch_vnu.sh`` (npm's ``vnu-jar``, pinned and checked against its
sha512, cached in ``.cache/vnu/``). Without Java or npm the test is skipped, unless
``REQUIRE_HTML_CHECK=1`` (as in CI), which turns that into a failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from tests.conftest import client_for
from tests.matrix import PERSONAS
from tests.test_permission_matrix import CASES

ROOT = Path(__file__).resolve().parent.parent
FETCH_SCRIPT = ROOT / "scripts" / "fetch_vnu.sh"
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')
_TEXT = re.compile(r">[^<]*[^<\s][^<]*<")


def _markup_digest(html: str) -> str:
    return hashlib.sha256(_TEXT.sub(">T<", _CSRF.sub(r'\1"', html)).encode()).hexdigest()


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_HTML_CHECK") == "1":
        pytest.fail(f"REQUIRE_HTML_CHECK=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The path of vnu.jar, fetched (once, then cached) by ``scripts/fetch_vnu.sh``."""
    if shutil.which("java") is None:
        _unavailable("Java is missing (the Nu Html Checker runs on it)")
    cached = sorted((ROOT / ".cache" / "vnu").glob("*/vnu.jar"))
    if shutil.which("npm") is None and not cached:
        _unavailable("npm is missing (scripts/fetch_vnu.sh fetches vnu.jar with it)")
    result = subprocess.run(
        ["bash", str(FETCH_SCRIPT)], capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"scripts/fetch_vnu.sh failed:\n{result.stderr}")
    return Path(result.stdout.strip().splitlines()[-1])


def _pages(request, folder: Path) -> tuple[dict[str, list[str]], int]:
    """Write every distinct HTML page of the matrix into ``folder``; the labels
    («persona method url») of each file, by file name, and how many pages there were."""
    users = {p: None if p == "anonymous" else request.getfixturevalue(p) for p in PERSONAS}
    clients = {p: client_for(u) for p, u in users.items()}
    labels: dict[str, list[str]] = defaultdict(list)
    pages = 0
    for case in CASES:
        personas = [p for p in PERSONAS if case.expected[p] == 200]
        if not personas:
            continue
        # The case's objects are made once for all its personas, as in the axe test.
        with transaction.atomic():
            cache.clear()
            with translation.override("nb"):
                path = reverse(case.name, kwargs=case.resolve_kwargs()) + case.query
            for persona in personas:
                send = getattr(clients[persona], case.method)
                with transaction.atomic():
                    cache.clear()
                    data = case.resolve_data()
                    response = send(path, data) if data is not None else send(path)
                    transaction.set_rollback(True)
                content_type = response.get("Content-Type", "")
                if response.streaming or not content_type.startswith("text/html"):
                    break  # a file for one persona is a file for all
                if response.status_code != 200:
                    continue
                pages += 1
                html = response.content.decode()
                name = _markup_digest(html)[:16] + ".html"
                if name not in labels:
                    (folder / name).write_text(html, encoding="utf-8")
                labels[name].append(f"{persona} {case.method.upper()} {path}")
            transaction.set_rollback(True)
    return labels, pages


def _vnu(jar: Path, files: list[Path]) -> list[dict]:
    """The checker's errors for all files, from one run."""
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # The JSON report goes to standard error; the exit code is 1 when there are errors.
    report = result.stderr.strip() or result.stdout.strip()
    try:
        return json.loads(report)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar gave no JSON report (exit {result.returncode}):\n{report[:2000]}")


#: Checked in the same run: a document with one known error, so that a checker that finds
#: nothing (a wrong option, an empty report) cannot pass for a valid matrix.
CANARY = "canary.html"
CANARY_HTML = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>T</title></head>
<body><form method="get" action=""><button>T</button></form></body></html>
"""


@pytest.mark.django_db
def test_every_page_of_the_matrix_is_valid_html(vnu_jar, request, programme, tmp_path):
    started = time.monotonic()
    labels, pages = _pages(request, tmp_path)
    rendered = time.monotonic()
    assert len(labels) >= 30, f"only {len(labels)} distinct pages found in the matrix"
    (tmp_path / CANARY).write_text(CANARY_HTML, encoding="utf-8")
    messages = _vnu(vnu_jar, sorted(tmp_path.glob("*.html")))
    problems, canary = [], []
    for message in messages:
        name = Path(unquote(urlparse(message.get("url", "")).path)).name
        if name == CANARY:
            canary.append(message)
            continue
        seen = labels.get(name, [name])
        where = seen[0] + (f" (and {len(seen) - 1} more)" if len(seen) > 1 else "")
        line = message.get("lastLine", "?")
        extract = (message.get("extract") or "").strip().replace("\n", " ")
        problems.append(
            f"{where}, line {line}: {message.get('type')}: {message.get('message')}"
            f"\n    {extract[:160]}"
        )
    print(
        f"vnu: {pages} pages, {len(labels)} distinct documents, {len(problems)} errors; "
        f"{rendered - started:.0f} s rendering, {time.monotonic() - rendered:.0f} s checking"
    )
    assert [m.get("type") for m in canary] == ["error"], (
        f"the checker missed a known error: {canary}"
    )
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)
