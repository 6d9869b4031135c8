#!/usr/bin/env python3
"""The benchmark: the portal as in production, under load, against its targets.

    python3 bench/run.py [--duration 10] [--connections 8] [--scale 1]

What it does (docs/performance.md explains the method and the results):

1. checks its tools (wrk from Debian, installed when missing), starts PostgreSQL and Redis
   if they are down, and creates the database ``nettverksportalen_bench``;
2. migrates it, loads the 2012 programme and generates the national data set afresh
   (``generate_national_dataset --scale N --reset``: every run measures the same data);
3. serves the portal as in production: gunicorn with ``config/gunicorn.conf.py``,
   ``DEBUG=0``, a generated ``SECRET_KEY``, whitenoise over ``collectstatic`` in a
   temporary folder, Redis for the cache (a database of its own, emptied first, then the
   published progress pages' charts drawn into it, ``manage.py draw_charts``, as the worker
   draws them when their numbers change), behind an «HTTPS proxy» (every request carries
   ``X-Forwarded-Proto: https``);
4. drives each page with wrk from a second process, one page after the other, for
   ``--duration`` seconds each, after one request that checks its status and reads its
   query count (``X-Query-Count``, switched on by ``BENCHMARK=1`` with the hello-world page);
5. prints requests per second, the ratio to hello-world, the 99th percentile latency and
   the queries per page, the memory (RSS) of the largest worker, and each target: met or not.

It exits 0 when every target is met, 1 when one is not, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from paced import open_loop, visit_all

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LUA_DIR = Path(__file__).resolve().parent / "wrk"
DATABASE = "nettverksportalen_bench"  # --database
HOST = "127.0.0.1"
#: What the HTTPS proxy in front adds to every request (USE_X_FORWARDED_PROTO=1).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

# Targets: ratio to hello-world by kind of page, queries, memory.
PUBLIC, SIGNED_IN, OVERVIEW, CEILING, ANSWER = (
    "public",
    "signed-in",
    "overview",
    "ceiling",
    "answer",
)
MIN_RATIO = {PUBLIC: 0.7, SIGNED_IN: 0.3, OVERVIEW: 0.1}
#: The pages whose render is dearest by nature (the progress pictures): their own target.
HEAVY_PAGES = {"project progress", "ministry overview"}
#: Uncached (``--page-cache off``), by worker CPU: anonymous, signed in, the heavy pages.
UNCACHED_RATIO = {PUBLIC: 0.1, SIGNED_IN: 0.06, OVERVIEW: 0.05}
HEAVY_UNCACHED_RATIO = 0.05
#: The random mix with the cache on: anonymous by requests/s at saturation, signed in by CPU.
MIX_RATIO = {PUBLIC: 0.5, SIGNED_IN: 0.06}
#: Paced anonymous mix (``--rate``, a save every 10 s): its 99th percentile latency.
MAX_PACED_P99_MS = 30
MAX_QUERIES = 10
MAX_WORKER_MB = 150
MIN_ANSWERS_PER_SECOND = 200


@dataclass
class Page:
    name: str
    path_key: str
    user: str | None  # None: anonymous; else a key of the prepared sessions
    kind: str
    method: str = "GET"
    script: str = "request"  # bench/wrk/<script>.lua
    result: dict = field(default_factory=dict)


PAGES = [
    Page("hello world", "hello", None, CEILING),
    Page("home", "home", None, PUBLIC),
    Page("network", "network", None, PUBLIC),
    Page("municipality", "municipality", None, PUBLIC),
    Page("municipality with history", "municipality_history", None, PUBLIC),
    Page("project page", "project", None, PUBLIC),
    Page("gathering programme", "gathering", None, PUBLIC),
    Page("gathering iCalendar", "ical", None, PUBLIC),
    Page("project progress", "progress", None, PUBLIC),
    Page("home", "home", "leader", SIGNED_IN),
    Page("my pages", "my_pages", "leader", SIGNED_IN),
    Page("network", "network", "leader", SIGNED_IN),
    Page("municipality", "municipality", "leader", SIGNED_IN),
    Page("project page", "project", "leader", SIGNED_IN),
    Page("gathering programme", "gathering", "leader", SIGNED_IN),
    Page("gathering iCalendar", "ical", "leader", SIGNED_IN),
    Page("project progress", "progress", "leader", SIGNED_IN),
    Page("page editor", "edit", "leader", SIGNED_IN),
    Page("ministry overview", "overview", "ministry", OVERVIEW),
]
#: --mix random: a random page of every municipality, project, network, gathering and
#: progress page in nb and nn per request; signed in, a random project leader's session too.
MIX_PAGES = [
    Page("random mix", "mix", None, PUBLIC, script="mix"),
    Page("random mix, signed in", "mix", "leaders", SIGNED_IN, script="mix"),
]
#: How many of the mix's pages are requested once first, to check them and read queries.
MIX_SAMPLE = 12
#: Paced mode (--rate): seconds between two writes (a project leader saves their page).
WRITE_EVERY = 10
#: --mix random with the cache on: the pass that filled the page cache before the load.
FILLED: dict = {}


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def fail(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(2)


def run(*args, env=None, capture=False, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=ROOT, env=env, text=True, capture_output=capture
    )
    if check and result.returncode != 0:
        if capture:
            sys.stderr.write(result.stdout + result.stderr)
        fail(f"{' '.join(str(a) for a in args)} failed with exit code {result.returncode}")
    return result


# --- Tools and services -------------------------------------------------------------------


def ensure_tools() -> None:
    if not PYTHON.exists():
        say("Setting up the environment (python3 dev.py setup)")
        run(sys.executable, "dev.py", "setup")
    if shutil.which("wrk") is None:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            fail("wrk is missing: install it (Debian/Ubuntu: apt-get install wrk)")
        say("Installing wrk (Debian package)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        installed = run(
            "apt-get", "install", "-y", "-qq", "wrk", env=env, capture=True, check=False
        )
        if installed.returncode != 0:
            run("apt-get", "update", "-qq", env=env, capture=True)
            run("apt-get", "install", "-y", "-qq", "wrk", env=env, capture=True)


def ensure_postgres(port: int) -> None:
    def ready() -> bool:
        return run("pg_isready", "-h", HOST, "-p", port, "-q", check=False).returncode == 0

    if not ready():
        say("Starting PostgreSQL")
        clusters = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
        if not clusters:
            fail("PostgreSQL is not running and no cluster was found to start")
        run("pg_ctlcluster", "--skip-systemctl-redirect", clusters[-1], "main", "start")
        for _ in range(30):
            if ready():
                break
            time.sleep(1)
        else:
            fail("PostgreSQL did not start")
    exists = run(
        "psql", "-h", HOST, "-p", port, "-U", "postgres", "-tAc",
        f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'",
        capture=True,
    )  # fmt: skip
    if exists.stdout.strip() != "1":
        run("createdb", "-h", HOST, "-p", port, "-U", "postgres", DATABASE)


def ensure_redis(url: str) -> None:
    match = re.match(r"redis://([^:/]+):(\d+)/(\d+)$", url)
    if not match:
        fail("--redis-url must look like redis://127.0.0.1:6379/15")
    host, port, db = match.groups()

    def cli(*args):
        return run("redis-cli", "-h", host, "-p", port, "-n", db, *args, capture=True, check=False)

    if cli("ping").stdout.strip() != "PONG":
        say("Starting Redis")
        run("redis-server", "--port", port, "--daemonize", "yes", "--save", "", capture=True)
        for _ in range(20):
            if cli("ping").stdout.strip() == "PONG":
                break
            time.sleep(0.5)
        else:
            fail("Redis did not start")
    cli("flushdb")  # the benchmark's own database: no pages cached by an earlier run


# --- The portal ---------------------------------------------------------------------------


def portal_environment(args, static_root: str) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "GUNICORN"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "USE_X_FORWARDED_PROTO": "1",
        # The proxy in front gives the client's address in X-Forwarded-For.
        "AXES_PROXY_COUNT": "1",
        "DATABASE_URL": f"postgres://postgres@{HOST}:{args.pg_port}/{DATABASE}",
        "REDIS_URL": args.redis_url,
        "STATIC_ROOT": static_root,
        "BENCHMARK": "1",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"{HOST}:{args.port}",
        # No worker is replaced in the middle of a measurement (a fresh worker is slow for its
        # first requests); the memory measured after the run is then the unbounded growth.
        "GUNICORN_MAX_REQUESTS": str(args.max_requests),
        # --page-cache off: the render path. Every page is rendered on every request; the
        # views' own fragment caches (the ministry overview's tables) are off too.
        **({"PAGE_CACHE_SECONDS": "0", "FRAGMENT_CACHE": "0"} if args.page_cache == "off" else {}),
        **({"GUNICORN_WORKERS": str(args.workers)} if args.workers else {}),
        **({"GUNICORN_WORKER_CLASS": args.worker_class} if args.worker_class else {}),
        **({"GUNICORN_THREADS": str(args.threads)} if args.threads else {}),
    }


def prepare_data(args, env) -> dict:
    manage = [PYTHON, "manage.py"]
    say(f"Migrating the database {DATABASE}")
    run(*manage, "migrate", "--no-input", "-v", "0", env=env)
    if args.keep_data and has_national_dataset(env):
        say("Keeping the data of the last run (--keep-data)")
    else:
        say("Loading the 2012 programme")
        run(*manage, "load_programme_2012", env=env, capture=True)
        say(f"Generating the national data set (--scale {args.scale:g})")
        run(*manage, "generate_national_dataset", "--scale", f"{args.scale:g}", "--reset", env=env)
    say("Collecting the static files")
    run(*manage, "collectstatic", "--no-input", "-v", "0", env=env)
    # Redis was emptied: draw the published progress pages' charts, as the worker does when a
    # project's numbers change (and a deploy after a Redis restart, docs/deployment.md).
    say("Drawing the charts of the published progress pages (manage.py draw_charts)")
    run(*manage, "draw_charts", env=env)
    prepared = json.loads(run_prepare(env).strip().splitlines()[-1])
    if args.mix == "random":
        PAGES.extend(MIX_PAGES)
    if prepared.get("survey"):
        PAGES.extend(
            [
                Page("reputation survey", "survey", None, PUBLIC),
                Page("survey answer (POST)", "survey", None, ANSWER, method="POST"),
            ]
        )
    return prepared


def has_national_dataset(env) -> bool:
    """Whether the benchmark database already holds the national data set (a new database
    given to --keep-data has none yet, and gets it)."""
    probe = (
        "from network.models import Programme;"
        "print(Programme.objects.filter(slug__startswith='nasjonalt-').exists())"
    )
    answer = run(PYTHON, "manage.py", "shell", "-c", probe, env=env, capture=True).stdout
    return answer.strip().endswith("True")


def run_prepare(env, *args: str) -> str:
    return run(PYTHON, "bench/prepare.py", *args, env=env, capture=True).stdout


def start_server(args, env) -> subprocess.Popen:
    say("Starting gunicorn (config/gunicorn.conf.py)")
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(60):
        try:
            if probe(f"http://{HOST}:{args.port}/healthz", PROXY_HEADERS)[0] == 200:
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if server.poll() is not None:
            fail("gunicorn stopped while starting")
        time.sleep(0.5)
    stop_server(server)
    fail("gunicorn did not answer /healthz")
    raise AssertionError


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def worker_pids(server: subprocess.Popen) -> list[str]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return children.read_text().split() if children.exists() else []


def worker_cpu_ticks(server: subprocess.Popen) -> dict[str, int]:
    """User and system CPU time of each worker so far, in clock ticks."""
    ticks = {}
    for pid in worker_pids(server):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the worker has just stopped
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks


def cpu_ms_per_request(before: dict[str, int], after: dict[str, int], requests: int) -> float:
    used = sum(after[pid] - before.get(pid, 0) for pid in after)
    return used * 1000 / os.sysconf("SC_CLK_TCK") / max(requests, 1)


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    sizes = []
    for pid in worker_pids(server):
        status = Path(f"/proc/{pid}/status")
        for line in status.read_text().splitlines() if status.exists() else []:
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


# --- Measuring ----------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, headers: dict, data: bytes | None = None) -> tuple[int, str, dict, str]:
    """Status, X-Query-Count, the cookies set and the body of one request (a POST with
    ``data``; redirects are not followed)."""
    status, queries, cookies, body, _headers = fetch_with_headers(url, headers, data)
    return status, queries, cookies, body


def fetch_with_headers(url: str, headers: dict, data: bytes | None = None) -> tuple:
    """:func:`fetch` and the response's headers."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers, data=data)
    try:
        with opener.open(request, timeout=30) as response:
            status, found, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, found, body = error.code, error.headers, error.read()
    cookies = {}
    for header in found.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return (
        status,
        found.get("X-Query-Count", "?"),
        cookies,
        body.decode("utf-8", "replace"),
        found,
    )


def probe(url: str, headers: dict) -> tuple[int, str, dict]:
    return fetch(url, headers)[:3]


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(url: str, args, extra_env: dict, script: str = "request") -> dict:
    """One page's load: wrk at saturation, or with ``--rate`` the open-loop pacer."""
    if args.rate:
        return open_loop(url, rate=args.rate, duration=args.duration, env=extra_env)
    command = [
        "wrk", f"-t{args.threads_wrk}", f"-c{args.connections}", f"-d{args.duration}s",
        "--latency", "--timeout", "10s", "-s", str(LUA_DIR / f"{script}.lua"), url,
    ]  # fmt: skip
    output = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_LUA_DIR": str(LUA_DIR), **extra_env},
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    hits = re.search(r"Page cache hits: (\d+) of (\d+)", output)
    total = re.search(r"(\d+) requests in", output)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if not rps:
        sys.stderr.write(output)
        fail(f"could not read wrk's output for {url}")
    return {
        "rps": float(rps.group(1)),
        "p99_ms": float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else None,
        "p50_ms": float(p50.group(1)) * _UNITS[p50.group(2)] if p50 else None,
        "hit_rate": int(hits.group(1)) / int(hits.group(2)) if hits and int(hits.group(2)) else 0,
        "requests": int(total.group(1)) if total else 0,
        "non_2xx_3xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def cookies_of(prepared: dict, base: str) -> dict[str | None, str]:
    """The Cookie header of each user, as a browser sends it after its first page: the
    session, and the CSRF cookie the first page set."""
    cookies = {None: ""}
    for user, session in prepared["sessions"].items():
        cookie = f"{prepared['session_cookie']}={session}"
        _status, _queries, set_cookies = probe(
            base + prepared["paths"]["home"], {**PROXY_HEADERS, "Cookie": cookie}
        )
        csrf = set_cookies.get(prepared["csrf_cookie"])
        cookies[user] = f"{cookie}; {prepared['csrf_cookie']}={csrf}" if csrf else cookie
    return cookies


def survey_answer_env(base: str, survey: dict) -> dict:
    """What wrk needs to answer the survey as a browser does: the CSRF cookie and token of
    the answer page, and the statements (answered at random by bench/wrk/request.lua)."""
    status, _queries, cookies, body = fetch(base + survey["path"], PROXY_HEADERS)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    csrf = next((value for name, value in cookies.items() if "csrftoken" in name), None)
    if status != 200 or not token or not csrf:
        fail(f"the survey's answer page answered {status} without a CSRF token")
    csrf_name = next(name for name in cookies if "csrftoken" in name)
    return {
        "BENCH_METHOD": "POST",
        "BENCH_COOKIE": f"{csrf_name}={csrf}",
        "BENCH_ORIGIN": f"https://{HOST}:{base.rsplit(':', 1)[1]}",
        "BENCH_BODY": urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "revision": survey["revision"],
                "invitation": "",
            }
        ),
        "BENCH_STATEMENTS": ",".join(str(pk) for pk in survey["statements"]),
    }


def post_once(url: str, extra: dict) -> tuple[int, str]:
    """One answer, as wrk sends it: status and query count."""
    body = extra["BENCH_BODY"] + "".join(f"&s{pk}=5" for pk in extra["BENCH_STATEMENTS"].split(","))
    headers = {
        **PROXY_HEADERS,
        "Cookie": extra["BENCH_COOKIE"],
        "Origin": extra["BENCH_ORIGIN"],
        "Referer": extra["BENCH_ORIGIN"] + "/",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Forwarded-For": "10.0.0.2",
    }
    status, queries, _cookies, _body = fetch(url, headers, body.encode())
    return status, queries


def mix_environment(args, prepared: dict, base: str, folder: str) -> dict[str | None, dict]:
    """The files bench/wrk/mix.lua picks from: the paths, and the Cookie headers of the
    project leaders' sessions, each with a CSRF cookie of its own (as a browser has after its
    first page; the private page cache keeps pages only for requests with both)."""
    mix = prepared["mix"]
    paths_file = Path(folder) / "paths.txt"
    paths_file.write_text("\n".join(mix["paths"]) + "\n")
    cookies_file = Path(folder) / "cookies.txt"
    cookies_file.write_text(
        "".join(
            f"{prepared['session_cookie']}={session}; "
            f"{prepared['csrf_cookie']}={secrets.token_hex(16)}\n"
            for session in mix["sessions"]
        )
    )
    return {
        None: {"BENCH_PATHS": str(paths_file), "BENCH_COOKIES": ""},
        "leaders": {"BENCH_PATHS": str(paths_file), "BENCH_COOKIES": str(cookies_file)},
    }


def check_mix(base: str, page: Page, extra: dict, page_cache: str) -> dict:
    """Request a sample of the mix's pages once (as one of the users): each must answer 200;
    the queries are the most of any of them (of an uncached request)."""
    chooser = random.Random(2012)
    paths = Path(extra["BENCH_PATHS"]).read_text().split()
    cookies = Path(extra["BENCH_COOKIES"]).read_text().splitlines() if page.user else [""]
    counts = []
    for path in chooser.sample(paths, min(MIX_SAMPLE, len(paths))):
        cookie = chooser.choice(cookies)
        headers = {**PROXY_HEADERS, **({"Cookie": cookie} if cookie else {})}
        status, queries, _cookies, _body, _found = fetch_with_headers(base + path, headers)
        if status != 200:
            fail(f"{page.name} answered {status}: {path}")
        if page_cache == "off":
            check_uncached(page, base + path, headers)
        counts.append(int(queries) if queries.isdigit() else 0)
    return {"status": 200, "queries": max(counts), "sampled": len(counts)}


def check_uncached(page: Page, url: str, headers: dict) -> None:
    """--page-cache off: a repeated request is rendered again, with queries, not a hit."""
    _status, queries, _cookies, _body, found = fetch_with_headers(url, headers)
    if found.get("X-Page-Cache") or (page.kind != CEILING and queries in ("0", "?")):
        fail(
            f"{page.name} ({page.user or 'anonymous'}) came from a cache with --page-cache off "
            f"(X-Page-Cache {found.get('X-Page-Cache')}, {queries} queries): {url}"
        )


class _Inputs(HTMLParser):
    """The fields of the page editor's form: name → value (textareas and inputs)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "checkbox"):
            self.fields.setdefault(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


class Writer(threading.Thread):
    """Paced mode: a project leader saves their project page (a draft) every WRITE_EVERY
    seconds, through the page editor as a browser does; each save starts a new generation of
    the page cache, as every write does."""

    def __init__(self, url: str, cookie: str, origin: str):
        super().__init__(daemon=True)
        self.url, self.cookie, self.origin = url, cookie, origin
        self.stopping = threading.Event()
        self.saved = self.tried = 0

    def run(self):
        while not self.stopping.wait(WRITE_EVERY):
            self.tried += 1
            with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
                self.saved += self.write()

    def write(self) -> bool:
        headers = {**PROXY_HEADERS, "Cookie": self.cookie}
        _status, _queries, _cookies, body = fetch(self.url, headers)
        parser = _Inputs()
        parser.feed(body)
        fields = {**parser.fields, "action": "save", "summary": f"Benchmark {self.tried}"}
        # A real change (an unchanged form saves nothing, though the POST still counts as one).
        fields["other_views"] = f"{fields.get('other_views', '')}\n\nBenchmark {self.tried}."
        status, _queries, _cookies, _body = fetch(
            self.url,
            {
                **headers,
                "Origin": self.origin,
                "Referer": self.origin + "/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            urllib.parse.urlencode(fields).encode(),
        )
        return status == 302


def answers_stored(env, run: int) -> int:
    return int(run_prepare(env, "count-answers", str(run)).strip().splitlines()[-1])


def measure(args, prepared: dict, env: dict, server: subprocess.Popen, folder: str) -> dict:
    base = f"http://{HOST}:{args.port}"
    paths = {**prepared["paths"], "hello": "/benchmark/hello/", "mix": "/"}
    survey = prepared.get("survey")
    if survey:
        paths["survey"] = survey["path"]
    cookies = cookies_of(prepared, base)
    mix = mix_environment(args, prepared, base, folder) if args.mix == "random" else {}
    # By page: a name is shared by the anonymous and the signed-in row.
    extra_env = {
        id(page): mix[page.user] if page.script == "mix" else {"BENCH_COOKIE": cookies[page.user]}
        for page in PAGES
    }
    for page in PAGES:
        url = base + paths[page.path_key]
        if page.script == "mix":
            page.result = check_mix(base, page, extra_env[id(page)], args.page_cache)
            continue
        if page.method == "POST":
            extra_env[id(page)] = survey_answer_env(base, survey)
            status, queries = post_once(url, extra_env[id(page)])
            if status != 302:
                fail(f"an answer to the survey was answered {status}, not 302: {url}")
            page.result = {"status": status, "queries": queries}
            continue
        headers = {**PROXY_HEADERS, **({"Cookie": cookies[page.user]} if page.user else {})}
        status, queries, _cookies = probe(url, headers)
        if status != 200:
            fail(f"{page.name} ({page.user or 'anonymous'}) answered {status}: {url}")
        if args.page_cache == "off":
            check_uncached(page, url, headers)
        page.result = {"status": status, "queries": queries}
    say("Warming up every worker on every page (1 s each)")
    warm = argparse.Namespace(**{**vars(args), "duration": 1})
    for page in PAGES:
        wrk(base + paths[page.path_key], warm, extra_env[id(page)], page.script)
    if args.mix == "random" and args.page_cache == "on":
        say(
            "Filling the page cache: every page of the anonymous mix once, as a portal that "
            "has been up for a while has them (the mix is then measured at its steady state)"
        )
        FILLED.update(visit_all(base, Path(mix[None]["BENCH_PATHS"]).read_text().split()))
        if FILLED["not_200"]:
            fail(f"{FILLED['not_200']} of the mix's pages did not answer 200")
    writer = None
    if args.rate:
        say(f"Paced: {args.rate} requests/s; a project leader saves a page every {WRITE_EVERY} s")
        writer = Writer(base + paths["edit"], cookies["leader"], f"https://{HOST}:{args.port}")
        writer.start()
    say(f"Measuring {len(PAGES)} pages, {args.duration} s each; hello world three times")
    ceiling = next(page for page in PAGES if page.kind == CEILING)
    pages = [page for page in PAGES if page is not ceiling]
    middle = len(pages) // 2
    ceiling_runs = []
    for page in [ceiling, *pages[:middle], ceiling, *pages[middle:], ceiling]:
        url = base + paths[page.path_key]
        before = answers_stored(env, survey["run"]) if page.kind == ANSWER else 0
        cpu_before = worker_cpu_ticks(server)
        measured = wrk(url, args, extra_env[id(page)], page.script)
        measured["cpu_ms"] = cpu_ms_per_request(
            cpu_before, worker_cpu_ticks(server), measured["requests"]
        )
        if page is ceiling:
            ceiling_runs.append(measured)
        else:
            page.result.update(measured)
        if page.kind == ANSWER:
            # Answers still in flight when wrk stops are stored but not counted by wrk.
            accepted = answers_stored(env, survey["run"]) - before
            completed = page.result["requests"] - page.result["non_2xx_3xx"]
            page.result["accepted"] = accepted
            page.result["accepted_per_s"] = accepted / args.duration
            page.result["lost"] = max(0, completed - accepted)
        print(
            f"    {page.name:<22} {page.user or 'anonymous':<10} {measured['rps']:>8.1f} req/s  "
            f"p50 {measured['p50_ms'] or 0:>6.1f} p99 {measured['p99_ms'] or 0:>7.1f} ms  "
            f"{page.result['queries']:>3} queries  {measured['cpu_ms']:>5.1f} ms CPU  "
            f"{measured['hit_rate']:>4.0%} hits",
            flush=True,
        )
    # The ceiling is the median of its three runs: load from other processes on the machine
    # moves all numbers, and hello world measured at the start, middle and end follows it.
    in_time_order = [measured["rps"] for measured in ceiling_runs]
    ceiling_runs.sort(key=lambda measured: measured["rps"])
    ceiling.result.update(ceiling_runs[1])
    ceiling.result["runs"] = in_time_order  # start, middle, end
    for key in ("non_2xx_3xx", "socket_errors"):
        ceiling.result[key] = sum(measured[key] for measured in ceiling_runs)
    if writer is None:
        return {}
    writer.stopping.set()
    writer.join(timeout=30)
    return {"writes_tried": writer.tried, "writes_saved": writer.saved}


# --- Report -------------------------------------------------------------------------------


def target_for(page: Page, *, uncached: bool, paced: bool) -> tuple[float, str] | None:
    """A page's least ratio to hello world and what it is judged by (``"cpu"``: the workers'
    CPU time per request; ``"rps"``: requests per second), or None for no ratio target.

    Signed-in pages are never kept by the page cache, so they are held to the render-path
    targets whatever the mode; uncached, every page is; the random mix has its own."""
    if page.kind not in MIN_RATIO:
        return None
    signed_in = page.kind in (SIGNED_IN, OVERVIEW)
    if page.script == "mix":
        if uncached:
            return UNCACHED_RATIO[page.kind], "cpu"
        return MIX_RATIO[page.kind], "cpu" if signed_in or paced else "rps"
    if uncached or signed_in:
        if page.name in HEAVY_PAGES:
            return HEAVY_UNCACHED_RATIO, "cpu"
        return UNCACHED_RATIO[page.kind], "cpu"
    return MIN_RATIO[page.kind], "cpu" if paced else "rps"


def evaluate(paced: bool = False, uncached: bool = False) -> list[dict]:
    """One row per page: the numbers, the ratio to hello world, the target and what missed it.
    Paced (``--rate``), every page gets about the same requests per second, so the targets are
    judged by the workers' CPU time per request instead (see :func:`target_for`)."""
    hello = next(p for p in PAGES if p.kind == CEILING).result["rps"]
    hello_cpu = next(p for p in PAGES if p.kind == CEILING).result.get("cpu_ms") or 0
    rows = []
    for page in PAGES:
        result = page.result
        ratio = result["rps"] / hello if hello else 0
        cpu_ratio = hello_cpu / result["cpu_ms"] if result.get("cpu_ms") else 0
        problems = []
        target = "ceiling"
        wanted = target_for(page, uncached=uncached, paced=paced)
        if wanted:
            least, basis = wanted
            target = f"≥ {least:g} × by {'CPU' if basis == 'cpu' else 'req/s'}"
            if (cpu_ratio if basis == "cpu" else ratio) < least:
                problems.append("ratio")
        if paced and page.script == "mix" and page.kind == PUBLIC:
            target += f", p99 ≤ {MAX_PACED_P99_MS} ms"
            if (result["p99_ms"] or 0) > MAX_PACED_P99_MS:
                problems.append("p99")
        if result["queries"] != "?" and int(result["queries"]) > MAX_QUERIES:
            problems.append("queries")
        if result["non_2xx_3xx"] or result["socket_errors"]:
            problems.append("errors")
        if page.kind == ANSWER:
            target = f"≥ {MIN_ANSWERS_PER_SECOND} stored/s, 0 lost"
            if result["accepted_per_s"] < MIN_ANSWERS_PER_SECOND:
                problems.append("answers/s")
            if result["lost"]:
                problems.append(f"{result['lost']} lost")
        rows.append(
            {
                "page": page.name,
                "who": page.user or "anonymous",
                "rps": result["rps"],
                "ratio": ratio,
                # Hello world's worker CPU per request / the page's: steadier on a busy machine.
                "cpu_ratio": cpu_ratio,
                "p99_ms": result["p99_ms"] or 0,
                "p50_ms": result.get("p50_ms") or 0,
                "hit_rate": result.get("hit_rate") or 0,
                "queries": result["queries"],
                "cpu_ms": result["cpu_ms"],
                "target": target,
                "ok": "yes" if not problems else "NO: " + ", ".join(problems),
            }
        )
    return rows


def summary_lines(args, rss: list[float], writes: dict | None = None) -> list[str]:
    ceiling = next(p for p in PAGES if p.kind == CEILING).result
    largest = max(rss) if rss else 0.0
    mode = (
        "Page cache off (`--page-cache off`: pages and the views' fragment caches; each page "
        "checked: a repeated request is no hit and has queries)."
        if args.page_cache == "off"
        else "Page cache on (as in production)."
    )
    if args.rate:
        mode += (
            f" Paced at about {args.rate:g} requests/s per page; a project leader saved a page "
            f"every {WRITE_EVERY} s: {(writes or {}).get('writes_saved', 0)} saves of "
            f"{(writes or {}).get('writes_tried', 0)} accepted."
        )
    if FILLED:
        mode += (
            f" Before the load, every page of the anonymous mix was requested once, which "
            f"filled the page cache ({FILLED['pages']} pages in {FILLED['seconds']:.0f} s, "
            f"{FILLED['pages'] / FILLED['seconds']:.0f} pages/s, each rendered): the random "
            f"mix rows are the steady state of a portal that has been up for a while."
        )
    lines = [
        mode,
        f"Hello world: {', '.join(f'{rps:.0f}' for rps in ceiling.get('runs', []))} req/s at "
        f"the start, middle and end; the ratios are to the median.",
        f"Worker memory (RSS after the run): largest {largest:.0f} MB of {len(rss)} workers "
        f"(target < {MAX_WORKER_MB} MB): {'yes' if 0 < largest < MAX_WORKER_MB else 'NO'}.",
    ]
    for page in PAGES:
        if page.kind == ANSWER:
            result = page.result
            lines.append(
                f"Survey answers: {result['accepted']} stored in {args.duration} s "
                f"({result['accepted_per_s']:.0f}/s), {result['lost']} lost of "
                f"{result['requests'] - result['non_2xx_3xx']} answered."
            )
    hello_cpu = ceiling.get("cpu_ms") or 0
    uncached, paced = args.page_cache == "off", bool(args.rate)
    short = []
    for page in PAGES:
        wanted = target_for(page, uncached=uncached, paced=paced)
        cpu = page.result.get("cpu_ms")
        if wanted and cpu and hello_cpu / cpu < wanted[0]:
            short.append(f"{page.name} ({page.user or 'anonymous'})")
    lines.append(
        "By the workers' CPU time per request (hello world's / the page's, each page's target "
        "taken by CPU): "
        + (f"below the target: {', '.join(short)}." if short else "every page meets its target.")
    )
    lines.append(
        f"Queries: of each page's first request, which is never cached (target ≤ {MAX_QUERIES}). "
        "CPU ms: the workers' CPU time per request under load (PostgreSQL's, Redis's and wrk's "
        "not included), which other load on the machine changes little."
    )
    return lines


def report(args, rss: list[float], writes: dict) -> tuple[bool, list[dict]]:
    rows = evaluate(paced=bool(args.rate), uncached=args.page_cache == "off")
    width = 124
    print()
    print("=" * width)
    print(
        f"Nettverksportalen benchmark — scale {args.scale:g}, {args.duration} s per page, "
        f"{args.connections} connections, {os.cpu_count()} cores"
    )
    print("=" * width)
    print(
        f"{'page':<22} {'who':<10} {'req/s':>8} {'× hello':>8} {'p50 ms':>7} {'p99 ms':>8} "
        f"{'queries':>8} {'CPU ms':>7} {'hits':>5}  {'target':<22} ok"
    )
    print("-" * width)
    for row in rows:
        print(
            f"{row['page']:<22} {row['who']:<10} {row['rps']:>8.1f} {row['ratio']:>8.2f} "
            f"{row['p50_ms']:>7.1f} {row['p99_ms']:>8.1f} {row['queries']:>8} "
            f"{row['cpu_ms']:>7.2f} {row['hit_rate']:>5.0%}  {row['target']:<22} {row['ok']}"
        )
    print("-" * width)
    largest = max(rss) if rss else 0.0
    all_met = all(row["ok"] == "yes" for row in rows) and 0 < largest < MAX_WORKER_MB
    for line in summary_lines(args, rss, writes):
        print(line)
    print("All targets met." if all_met else "NOT all targets are met.")
    return all_met, rows


def markdown_table(rows: list[dict]) -> list[str]:
    """The results as the table in docs/performance.md."""
    lines = [
        "| page | who | × hello world by CPU | CPU ms | req/s | × hello world by req/s | p50 ms "
        "| p99 ms | queries | cache hits | target | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['page']} | {row['who']} | {row['cpu_ratio']:.2f} | {row['cpu_ms']:.2f} | "
            f"{row['rps']:.0f} | {row['ratio']:.2f} | {row['p50_ms']:.1f} | {row['p99_ms']:.0f} | "
            f"{row['queries']} | {row['hit_rate']:.0%} | {row['target']} | {row['ok']} |"
        )
    return lines


def _output(*command: str) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT).stdout.strip()
    except OSError:
        return ""


def machine(args, env: dict) -> str:
    """The machine and the software the numbers were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    memory = next(
        int(line.split()[1]) // (1024 * 1024)
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    system = next(
        (
            line.split("=", 1)[1].strip('"')
            for line in Path("/etc/os-release").read_text().splitlines()
            if line.startswith("PRETTY_NAME=")
        ),
        "Linux",
    )
    versions = _output(
        str(PYTHON), "-c",
        "import platform, django, gunicorn; "
        "print(platform.python_version(), django.get_version(), gunicorn.__version__)",
    ).split()  # fmt: skip
    python, django, gunicorn = (versions + ["?"] * 3)[:3]
    postgres = _output(
        "psql", "-h", HOST, "-p", str(args.pg_port), "-U", "postgres", "-tAc", "SHOW server_version"
    ).split(" ")[0]  # fmt: skip
    redis = re.search(r"redis_version:(\S+)", _output("redis-cli", "info", "server"))
    wrk_version = re.search(r"wrk (\S+)", _output("wrk", "-v"))
    workers = env.get("GUNICORN_WORKERS") or f"{os.cpu_count() * 2 + 1}"
    worker_class = env.get("GUNICORN_WORKER_CLASS", "sync")
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GB, {system}; Python {python}, "
        f"Django {django}, PostgreSQL {postgres or '?'} and Redis "
        f"{redis.group(1) if redis else '?'} on the same machine; gunicorn {gunicorn}, "
        f"{workers} {worker_class} workers (`config/gunicorn.conf.py`), max_requests "
        f"{args.max_requests or 'off'}; wrk {wrk_version.group(1) if wrk_version else '?'}, "
        f"{args.threads_wrk} thread, {args.connections} connections, {args.duration} s per "
        f"page; national data set at scale {args.scale:g}."
    )


DOCS = ROOT / "docs" / "performance.md"
RESULTS_START = "<!-- bench/run.py --write-docs: from here -->"
RESULTS_END = "<!-- bench/run.py --write-docs: to here -->"


def write_docs(
    args, env: dict, rows: list[dict], rss: list[float], load: float, writes: dict
) -> None:
    """Replace the results in docs/performance.md (between the two markers, or the
    ``RESULTS_TABLE`` placeholder) with this run's table, the machine and the date."""
    arguments, skip = [], False
    for argument in sys.argv[1:]:  # the command to run it again, without the note
        if skip or argument == "--note" or argument.startswith("--note="):
            skip = argument == "--note"
            continue
        arguments.append(argument)
    command = shlex.join(["python3", "bench/run.py", *arguments])
    note = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`{command}`. Load average (1 min) before the run: {load:.1f}"
        + (
            " – other processes were using the machine, so the numbers are noisy."
            if load > 0.5
            else "."
        )
    ]
    if args.note:
        note.append(args.note)
    block = [
        RESULTS_START,
        "",
        *(f"> {line}" for line in " ".join(note).split("\n")),
        "",
        *markdown_table(rows),
        "",
        *summary_lines(args, rss, writes),
        "",
        f"Machine: {machine(args, env)}",
        "",
        RESULTS_END,
    ]
    text = DOCS.read_text(encoding="utf-8")
    if RESULTS_START in text and RESULTS_END in text:
        before, rest = text.split(RESULTS_START, 1)
        after = rest.split(RESULTS_END, 1)[1]
        text = before + "\n".join(block) + after
    elif "RESULTS_TABLE" in text:
        text = text.replace("RESULTS_TABLE", "\n".join(block), 1)
    else:
        fail(f"{DOCS} has neither the results markers nor RESULTS_TABLE")
    DOCS.write_text(text, encoding="utf-8")
    say(f"Wrote the results to {DOCS.relative_to(ROOT)}")


def add_server_arguments(parser: argparse.ArgumentParser, *, port: int, redis_url: str) -> None:
    """The options of the data set, the services and the server under load, shared with
    bench/faults.py (each run uses its own ``port`` and Redis database)."""
    parser.add_argument("--scale", type=float, default=1.0, help="national data set scale (1)")
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--redis-url", default=redis_url)
    parser.add_argument("--workers", type=int, help="gunicorn workers (config default)")
    parser.add_argument("--worker-class", help="gunicorn worker class (sync, gthread)")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker (gthread)")


def main() -> None:
    global DATABASE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument("--connections", type=int, default=8, help="open connections (8)")
    parser.add_argument("--threads-wrk", type=int, default=1, help="wrk threads (1)")
    add_server_arguments(parser, port=8765, redis_url="redis://127.0.0.1:6379/15")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="gunicorn max_requests (0: workers are never replaced during the run)",
    )
    parser.add_argument(
        "--page-cache",
        choices=("on", "off"),
        default="on",
        help="off: the render path – no page cache and no views' fragment caches (checked: a "
        "repeated request is no hit and has queries)",
    )
    parser.add_argument(
        "--mix",
        choices=("none", "random"),
        default="none",
        help="random: also «random mix» and «random mix, signed in» – a random page of every "
        "municipality, project, network, gathering and progress page (nb and nn) per request, "
        "signed in as one of up to 200 project leaders",
    )
    parser.add_argument(
        "--rate",
        type=float,
        help="paced: this many requests/s per page at random moments (bench/paced.py, not wrk), "
        "and a project leader "
        f"saves their page every {WRITE_EVERY} s during the run",
    )
    parser.add_argument("--database", default=DATABASE, help=f"PostgreSQL database ({DATABASE})")
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="measure the data of the last run in the database (no new national data set, "
        "unless it has none)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--markdown", action="store_true", help="also print the table for docs/performance.md"
    )
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="replace the results in docs/performance.md with this run's table, machine and date",
    )
    parser.add_argument("--note", help="with --write-docs: a remark printed above the table")
    parser.add_argument(
        "--only", help="measure only the pages whose name contains this (and hello world)"
    )
    args = parser.parse_args()
    if args.write_docs and args.only:
        parser.error("--write-docs records every page: leave out --only")

    DATABASE = args.database
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    ensure_tools()
    ensure_postgres(args.pg_port)
    ensure_redis(args.redis_url)
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        env = portal_environment(args, static_root)
        prepared = prepare_data(args, env)
        if args.only:
            PAGES[:] = [p for p in PAGES if p.kind == CEILING or args.only in p.name]
        server = start_server(args, env)
        try:
            writes = measure(args, prepared, env, server, static_root)
            rss = worker_rss_mb(server)
        finally:
            stop_server(server)
    all_met, rows = report(args, rss, writes)
    if args.markdown:
        print("\n" + "\n".join(markdown_table(rows)))
    if args.write_docs:
        write_docs(args, env, rows, rss, load_before, writes)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "pages": [
                        {"name": p.name, "user": p.user, "kind": p.kind, **p.result} for p in PAGES
                    ],
                    "worker_rss_mb": rss,
                    **writes,
                    **({"filled": FILLED} if FILLED else {}),
                    "arguments": {k: str(v) for k, v in vars(args).items()},
                },
                indent=2,
            )
        )
    print(f"(benchmark finished in {time.monotonic() - started:.0f} s)")
    sys.exit(0 if all_met else 1)


if __name__ == "__main__":
    main()
