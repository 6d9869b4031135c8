#!/usr/bin/env python3
"""Set up and run Nettverksportalen for development, with nothing but Python 3.11+.

    python3 dev.py serve   # set up, load the 2012 programme and demo accounts, serve on :8000
                           # (with a background worker beside it: e-mails show in the console;
                           # the portal's own error pages: FRIENDLY_ERRORS=0 for Django's)
    python3 dev.py test    # set up and run the whole test suite (extra arguments go to pytest)
    python3 dev.py setup   # only set up the environment (used by CI)

Setting up means: a virtual environment in .venv with the locked dependencies
(requirements-dev.lock, hash-checked), reinstalled only when the lock file changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements-dev.lock"
STAMP = VENV / ".lock-sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def run(*args: str | Path, env: dict | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 is
        sys.exit("Nettverksportalen needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        try:
            venv.create(VENV, with_pip=True)
        except Exception as error:
            sys.exit(
                f"Could not create .venv ({error}). On Debian/Ubuntu: apt install python3-venv"
            )
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        say("Installing the locked dependencies (requirements-dev.lock)")
        run(
            PYTHON,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--require-hashes",
            "-r",
            LOCK,
        )
        STAMP.write_text(digest)


def manage(*args: str) -> None:
    run(PYTHON, "manage.py", *args)


def serve(extra: list[str]) -> None:
    ensure_environment()
    say("Migrating the database (SQLite file db.sqlite3 unless DATABASE_URL is set)")
    manage("migrate", "--no-input", "-v", "0")
    say("Loading the 2012 programme")
    manage("load_programme_2012")
    say("Loading the municipalities' history 2012–2024 (SSB)")
    manage("load_municipality_history")
    say("Creating demo accounts")
    manage("create_demo_accounts", *extra)
    address = os.environ.get("ADDRESS", "127.0.0.1:8000")
    # The portal's own 404 and 500 pages, as visitors see them; tracebacks in this console.
    os.environ.setdefault("FRIENDLY_ERRORS", "1")
    if os.environ["FRIENDLY_ERRORS"].strip().lower() in {"1", "true", "yes", "on"}:
        say("Error pages: the portal's own (FRIENDLY_ERRORS=0 shows Django's debug pages)")
    else:
        say("Error pages: Django's debug pages (unset FRIENDLY_ERRORS for the portal's own)")
    say("Starting the background worker (sends the e-mails: they appear in this console)")
    worker = subprocess.Popen(
        [str(PYTHON), "manage.py", "db_worker", "--no-startup-delay", "--interval", "1"],
        cwd=ROOT,
    )
    say(f"Serving Nettverksportalen on http://{address}/  (Ctrl+C stops)")
    try:
        manage("runserver", address)
    finally:
        stop(worker)


def stop(process: subprocess.Popen) -> None:
    """Stop a process we started, and wait for it (kill it if it does not stop)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test(extra: list[str]) -> None:
    ensure_environment()
    env = dict(os.environ, DEBUG="1")
    run(PYTHON, "-m", "pytest", *extra, env=env)


def main() -> None:
    commands = {"serve": serve, "test": test, "setup": lambda extra: ensure_environment()}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
