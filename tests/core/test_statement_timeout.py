"""On PostgreSQL every statement of a web request ends before gunicorn kills the worker, and
no statement is JIT-compiled; the background worker takes its own, longer budget."""

import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_options(**env: str) -> dict:
    """``DATABASES["default"]["OPTIONS"]`` of the settings under these environment variables."""
    code = (
        "import json; from config import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DB_STATEMENT_TIMEOUT_MS"}
    environment.update(env)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, check=True
    )
    return json.loads(out.stdout)


def test_postgresql_statements_end_before_gunicorn_kills_the_request():
    options = database_options(DATABASE_URL="postgres://portal@db.invalid/portal")
    assert options["options"] == "-c statement_timeout=25000 -c jit=off"
    gunicorn = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert gunicorn["timeout"] * 1000 > 25000


def test_the_statement_timeout_is_configurable_and_the_worker_gets_a_longer_one():
    options = database_options(
        DATABASE_URL="postgres://portal@db.invalid/portal", DB_STATEMENT_TIMEOUT_MS="600000"
    )
    assert options["options"] == "-c statement_timeout=600000 -c jit=off"
    procfile = (ROOT / "config" / "Procfile").read_text()
    worker = re.search(r"^worker: (.*)$", procfile, re.MULTILINE).group(1)
    assert worker.startswith("DB_STATEMENT_TIMEOUT_MS=${DB_WORKER_STATEMENT_TIMEOUT_MS:-300000} ")


def test_sqlite_has_no_statement_timeout():
    assert "options" not in database_options(DATABASE_URL="sqlite:///:memory:")


@pytest.mark.django_db
def test_the_connection_has_the_statement_timeout_and_no_jit():
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "25s"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
