"""Hostile input against every form and every import: no 500, no stored script, no partial write.

Generic, so that forms added later are covered too: every page of the permission matrix
(``tests/<app>/url_matrix.py``) that some persona may open is fetched as that persona, its forms
are read from the HTML (field names, types, options, current values), and each is sent back with
one field at a time replaced by hostile values, then with all of them at once. Each request runs
in a savepoint that is rolled back, so every one starts from the same data.

- No answer is a 500; a refused form is a 4xx or the form again with its errors.
- A refused form wrote nothing: every table it wrote to during the request holds the same rows
  afterwards (snapshot taken just before the first write, compared after the answer).
- No answer carries the hostile markup unescaped, and after every form was saved with markup in
  each text field, no page of the matrix, for any persona, carries it or a ``javascript:`` link.

The imports get hostile files of their own below (wrong encodings, binary, formulas, too large).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from measurements.models import ImportBatch, Measurement
from municipalities.models import Participant
from tests.core import bombs
from tests.matrix import PERSONAS, Case
from tests.spreadsheets import xlsx_bytes
from tests.test_permission_matrix import CASES

pytestmark = pytest.mark.django_db

# --- Hostile values ---------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
#: Null byte, escape, right-to-left override, invalid UTF-8, SQL and markup in one value.
NASTY = b"\x00\x1b[31m\xe2\x80\xae\xff\xfe\xc3\x28' OR 1=1 -- <script>alert(1)</script>"
TEXTS = [
    "x" * 100_000,
    "",
    "   ",
    "\x00nul \x1b[31mesc \u202eevil.exe\u202c \x7f",
    SCRIPT,
    IMG,
    "javascript:alert(1)",
    "[lenke](javascript:alert(1)) <a href='javascript:alert(1)'>a</a>",
    "' OR 1=1 --",
    "{{ request }}{% debug %}${7*7}",
    b"invalid utf-8: \xff\xfe\xc3\x28",
    "\ufeffÆØÅ 🙂 \r\n\r\n\t",
    NASTY,
    "Linje 1\r\nBcc: x@example.org\u2028X-INJECTED:1",  # a header or calendar line of its own
]
NUMBERS = [
    "-1",
    "0",
    "99999999999999999999999999999",
    "-99999999999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "-Infinity",
    "1,5e3",
    "0x1F",
    "",
    SCRIPT,
]
DATES = ["2012-02-30", "99999-01-01", "0000-00-00", "2012-13-01", "-0001-01-01", "9999-12-31", ""]
TIMES = ["24:00", "25:61", "-1:00", "12:60:60", "99999", ""]
CHOICES = ["not-a-choice", "-1", "99999999999999999999", "", SCRIPT]
URLS = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "http://", "x" * 5000]
EMAILS = ["x" * 100_000 + "@example.org", "a@b", SCRIPT + "@example.org", "\x00@example.org", ""]
HIDDEN = ["-1", "99999999999999999999", "NaN", "", "x" * 10_000, SCRIPT, "\x00"]


#: Cells a real workbook may hold that no import expects: markup, formulas, SQL, numbers out
#: of range and written out, dates where text belongs and text where dates belong.
XLSX_CELLS = [
    SCRIPT,
    '=HYPERLINK("javascript:alert(1)","x")',
    "' OR 1=1 --",
    "x" * 32_000,
    1e308,
    -1e308,
    "NaN",
    "-Infinity",
    datetime(1900, 1, 1),
    "2012-02-30",
]


def _files():
    """Files that are not what they claim, in encodings nobody expected, or hostile inside."""
    participants = (
        "Navn;Funksjon;Rolle;E-post;Telefon;Kommunenummer\r\nÆse Øvre;Rådgiver;HR;;;1149\r\n"
    )
    participant_heading = ["Navn", "Funksjon", "Rolle", "E-post", "Telefon", "Kommunenummer"]
    measurement_heading = ["kommunenummer", "prosjekt", "indikator", "måling", "verdi", "merknad"]
    return [
        ("liste.csv", b"\xff\xfe\x00\xd8broken utf-16 \xc3\x28 \xff", "text/csv"),
        ("liste.csv", participants.encode("utf-16-be"), "text/csv"),
        ("liste.csv", participants.encode("cp1252"), "text/csv"),
        ("liste.csv", b"\x00\x01\x02\x03" * 1000, "text/csv"),
        ("liste.csv", b"", "text/csv"),
        ("liste.csv", b'=cmd|" /C calc"!A0;+1;-1;@SUM(1)\r\n"unterminated;\r\n', "text/csv"),
        ("liste.csv", b"Navn\r\n" + b"x" * 1_000_000 + b"\r\n", "text/csv"),
        ("liste.csv", ("a;" * 10_000 + "\r\n").encode() * 50, "text/csv"),
        ("liste.xlsx", b"PK\x03\x04 this is not a zip file at all", "application/vnd.ms-excel"),
        ("liste.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "application/vnd.ms-excel"),
        ("bilde.png", SCRIPT.encode(), "image/png"),
        ("bilde.jpg", b"\x89PNG\r\n\x1a\n truncated", "image/jpeg"),
        ("dokument.pdf", b"MZ\x90\x00\x03 a windows program", "application/pdf"),
        ("../../../etc/passwd", b"root:x:0:0::/root:/bin/sh\n", "text/plain"),
        (f"{SCRIPT}.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        ("x" * 300 + ".pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        (
            "liste.xlsx",
            xlsx_bytes([participant_heading, *(XLSX_CELLS[n:] + XLSX_CELLS[:n] for n in range(6))]),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "verdier.xlsx",
            xlsx_bytes(
                [
                    measurement_heading,
                    *(
                        [1149, "karmoy-omdomme", "Sykefravær", "Nullpunkt", value, SCRIPT]
                        for value in XLSX_CELLS
                    ),
                    *(XLSX_CELLS[n:] + XLSX_CELLS[:n] for n in range(6)),
                ]
            ),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("liste.csv", ("\ufeff" + participants).encode("utf-16-le"), "text/csv"),
        ("liste.xlsx", bombs.billion_laughs(), "application/vnd.ms-excel"),
        ("liste.xlsx", bombs.claimed_size_sheet(), "application/vnd.ms-excel"),
        ("liste.xlsx", bombs.many_parts(1000), "application/vnd.ms-excel"),
    ]


# --- Forms read from the HTML -----------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str
    value: str = ""
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False
    invalid: bool = False  # shown with an error (aria-invalid)


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    @property
    def inputs(self) -> list[Field]:
        """The fields a user fills in (not the CSRF token, not the buttons)."""
        return [f for f in self.fields if f.kind != "submit" and f.name != "csrfmiddlewaretoken"]

    def signature(self) -> tuple:
        """The same form wherever it appears: the same view and the same kinds of field (the
        move buttons of every agenda item, the survey behind every link)."""
        path = self.action.partition("?")[0]
        try:
            view = resolve(path).view_name
        except Resolver404:
            view = path
        return (self.method, view, tuple(sorted({_kind_of_field(f) for f in self.inputs})))

    def baseline(self) -> dict[str, list]:
        """What a browser sends when the form is submitted as it is (first submit button)."""
        data: dict[str, list] = {}
        submitted = False
        for f in self.fields:
            if f.kind == "submit":
                if not submitted and f.name:
                    data.setdefault(f.name, []).append(f.value)
                submitted = True
            elif f.kind in {"checkbox", "radio"}:
                data.setdefault(f.name, []).extend(f.selected)
            elif f.kind == "select":
                chosen = f.selected or (f.options[:1] if not f.multiple else [])
                data.setdefault(f.name, []).extend(chosen)
            elif f.kind != "file":
                data.setdefault(f.name, []).append(f.value)
        return data


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: dict | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"button", "reset", "image"}:
                return
            if kind in {"checkbox", "radio"} and name:
                self._choice(name, kind, a.get("value", "on"), checked="checked" in a)
            elif name or kind == "submit":
                invalid = a.get("aria-invalid") == "true"
                self._form.fields.append(Field(name, kind, a.get("value", ""), invalid=invalid))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._form.fields.append(Field(name, "submit", a.get("value", "")))
        elif tag == "select" and name:
            self._select = Field(
                name, "select", multiple="multiple" in a, invalid=a.get("aria-invalid") == "true"
            )
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea", invalid=a.get("aria-invalid") == "true")
            self._form.fields.append(self._textarea)

    def _choice(self, name, kind, value, *, checked):
        """Checkboxes and radio buttons of one name are one field with options."""
        found = next((f for f in self._form.fields if (f.name, f.kind) == (name, kind)), None)
        if found is None:
            found = Field(name, kind, multiple=kind == "checkbox")
            self._form.fields.append(found)
        found.options.append(value)
        if checked:
            found.selected.append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "option":
            self._close_option()
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None

    def _close_option(self):
        if self._option is not None and self._select is not None:
            value = self._option["value"]
            value = self._option["text"].strip() if value is None else value
            self._select.options.append(value)
            if self._option["selected"]:
                self._select.selected.append(value)
        self._option = None


def forms_on(html: str, page_url: str) -> list[Form]:
    """The page's forms that send something a user fills in, to this site."""
    parser = FormParser()
    parser.feed(html)
    found = []
    for form in parser.forms:
        target = urljoin(page_url, form.action or page_url)
        parts = urlsplit(target)
        if parts.netloc not in {"", "testserver"} or not form.inputs:
            continue
        form.action = parts.path + (f"?{parts.query}" if parts.query else "")
        found.append(form)
    return found


#: The values each field gets on its own (with the form otherwise as it was): the ones most
#: likely to pass a field's validation and reach deeper. Every value of its kind it gets in
#: the rounds with all fields hostile at once.
FIRST = {
    "text": ["x" * 100_000, "", NASTY, SCRIPT, "' OR 1=1 --"],
    "number": ["-1", "99999999999999999999999999999", "NaN", "Infinity", "1e309"],
    "date": ["2012-02-30", "99999-01-01", "0000-00-00", "-0001-01-01"],
    "hidden": ["-1", "99999999999999999999", "NaN", "", SCRIPT],
    "select": CHOICES,
    "time": TIMES,
    "email": EMAILS,
}


def first_values(f: Field) -> list:
    if f.kind == "file":
        return [upload for n, upload in enumerate(_files()) if n in {0, 3, 4, 8, 10, 12}]
    if f.kind in {"radio", "checkbox"}:
        return CHOICES
    if f.kind in FIRST:
        return FIRST[f.kind]
    if f.kind in {"textarea", "search", "tel", "password"}:
        return FIRST["text"]
    return hostile_values(f)  # e-mail, URL, month …: short lists already


def hostile_values(f: Field) -> list:
    if f.kind == "file":
        return _files()
    return {
        "number": [*NUMBERS, SCRIPT],
        "range": NUMBERS,
        "date": [*DATES, SCRIPT],
        "datetime-local": [f"{d}T12:00" for d in DATES] + ["2012-02-16T25:00"],
        "month": ["2012-13", "0000-00", "99999-01", ""],
        "time": [*TIMES, SCRIPT],
        "email": EMAILS,
        "url": [*URLS, "", SCRIPT],
        "hidden": HIDDEN,
        "select": CHOICES,
        "radio": CHOICES,
        "checkbox": CHOICES,
    }.get(f.kind, TEXTS)


# --- Sending and checking ---------------------------------------------------------------------

_WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"([^"]+)"', re.IGNORECASE)
#: Tables a refused request may write to: the session, and django-axes' record of a failed
#: sign-in (which is the point of it).
MAY_WRITE_WHEN_REFUSED = {"django_session", "axes_accessattempt", "axes_accessfailurelog"}
REFUSED_MARKERS = ("ds-error-summary", "ds-validation-message", 'role="alert"')
JAVASCRIPT_URL = re.compile(
    r"""\b(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*javascript:""", re.IGNORECASE
)
UNESCAPED = (SCRIPT, "<img src=x onerror=alert(1)>", "onerror=alert(1)>")


class WriteRecorder:
    """Records the tables a request writes to, with a snapshot of each taken just before the
    request's first write to it, to tell afterwards whether anything stayed written."""

    def __init__(self):
        self.snapshots: dict[str, list] = {}

    def __call__(self, execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match and match.group(1) not in self.snapshots:
            self.snapshots[match.group(1)] = self.rows(match.group(1))
        return execute(sql, params, many, context)

    @staticmethod
    def rows(table: str) -> list:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            return sorted(map(repr, cursor.fetchall()))

    def changed_tables(self) -> list[str]:
        return [
            table
            for table, before in self.snapshots.items()
            if table not in MAY_WRITE_WHEN_REFUSED and self.rows(table) != before
        ]


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend="network.backends.ModelBackend")
    return client


def _multipart(data: dict) -> dict:
    return {key: values if len(values) != 1 else values[0] for key, values in data.items()}


def send(client: Client, form: Form, data: dict[str, list], files: dict | None = None):
    if form.method == "get":
        path, _sep, query = form.action.partition("?")
        encoded = [(k, v) for k, values in data.items() for v in values if isinstance(v, str)]
        return client.get(path + "?" + "&".join(filter(None, [query, urlencode(encoded)])))
    return client.post(form.action, _multipart(data) | (files or {}))


def is_html(response) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


def check_answer(response, label: str, recorder: WriteRecorder) -> list[str]:
    problems = []
    body = response.content.decode(errors="replace") if is_html(response) else ""
    if response.status_code >= 500:
        problems.append(f"{label}: {response.status_code}")
    for marker in UNESCAPED:
        if marker in body:
            problems.append(f"{label}: unescaped {marker!r} in the answer")
    if JAVASCRIPT_URL.search(body):
        problems.append(f"{label}: a javascript: link in the answer")
    refused = response.status_code >= 400 or (
        response.status_code == 200 and any(m in body for m in REFUSED_MARKERS)
    )
    if refused:
        changed = recorder.changed_tables()
        if changed:
            problems.append(f"{label}: refused ({response.status_code}) but wrote {changed}")
    return problems


def _kind_of_field(f: Field) -> tuple:
    """Fields that differ only by a number in their name (the rows of a formset, the questions
    of an evaluation) and have the same options are checked the same way by the server."""
    return (re.sub(r"\d+", "#", f.name), f.kind, tuple(f.options))


def fuzz_form(client: Client, form: Form, page: str) -> list[str]:
    """Each field in turn with each of its hostile values (one field of each kind), then all
    fields at once."""
    problems = []
    baseline = form.baseline()
    attempts: list[tuple[str, dict, dict]] = []
    kinds = set()
    for f in form.inputs:
        if _kind_of_field(f) in kinds:
            continue
        kinds.add(_kind_of_field(f))
        for n, value in enumerate(first_values(f)):
            if f.kind == "file":
                name, content, content_type = value
                files = {f.name: SimpleUploadedFile(name, content, content_type)}
                attempts.append((f"{f.name}=file#{n}", baseline, files))
            else:
                attempts.append((f"{f.name}=#{n}", baseline | {f.name: [value]}, {}))
    longest = max(len(hostile_values(f)) for f in form.inputs)
    for n in range(longest):
        data, files = dict(baseline), {}
        for f in form.inputs:
            values = hostile_values(f)
            value = values[n % len(values)]
            if f.kind == "file":
                files[f.name] = SimpleUploadedFile(value[0], value[1], value[2])
            else:
                data[f.name] = [value]
        attempts.append((f"all#{n}", data, files))
    for label, data, files in attempts:
        if form.method == "get" and files:
            continue
        savepoint = transaction.savepoint()
        recorder = WriteRecorder()
        try:
            cache.clear()
            with connection.execute_wrapper(recorder):
                response = send(client, form, data, files)
            problems += check_answer(response, f"{page} → {form.action} [{label}]", recorder)
        finally:
            transaction.savepoint_rollback(savepoint)
    return problems


def _pages(case: Case) -> list[str]:
    return [p for p in PERSONAS if case.expected[p] == 200]


GET_CASES = [c for c in CASES if c.method == "get" and _pages(c) and c.name != "healthz"]


def _url(case: Case) -> str:
    with translation.override("nb"):
        return reverse(case.name, kwargs=case.resolve_kwargs()) + case.query


@pytest.mark.parametrize("case", GET_CASES, ids=lambda c: c.id)
def test_hostile_input_in_every_form(case, request, programme):
    problems, seen = [], set()
    for persona in _pages(case):
        user = None if persona == "anonymous" else request.getfixturevalue(persona)
        savepoint = transaction.savepoint()
        try:
            client = client_for(user)
            url = _url(case)
            response = client.get(url)
            if response.status_code != 200 or not is_html(response):
                continue
            for form in forms_on(response.content.decode(), url):
                if form.signature() in seen:
                    continue
                seen.add(form.signature())
                problems += fuzz_form(client, form, f"{persona} {url}")
        finally:
            transaction.savepoint_rollback(savepoint)
    assert not problems, "\n".join(problems[:40])


# --- Stored markup --------------------------------------------------------------------------

STORED = [SCRIPT, IMG, "[lenke](javascript:alert(1))", "<a href='javascript:alert(1)'>a</a>"]
#: Plausible values for empty fields, so that a new object's form can be saved.
PLAUSIBLE = {
    "date": "2012-09-01",
    "time": "10:00",
    "datetime-local": "2012-09-01T10:00",
    "month": "2012-09",
    "number": "1",
    "email": "test@example.org",
    "url": "https://example.org/",
    "tel": "+47 900 00 000",
    "text": "Tekst",
    "textarea": "Tekst.",
}


def plausible(form: Form) -> dict[str, list]:
    """The form as it is, with a choice made and plausible values in the empty fields."""
    data = form.baseline()
    for f in form.inputs:
        if any(data.get(f.name, [])):
            continue
        if f.kind in {"select", "radio"}:
            data[f.name] = [next((option for option in f.options if option), "")]
        elif f.kind in PLAUSIBLE:
            data[f.name] = [PLAUSIBLE[f.kind]]
    return data


def save_with_markup(client: Client, form: Form, page_url: str) -> int:
    """Send the form with markup in every text field; fields refused with it get their
    plausible value back and the form is sent again. The answer's status."""
    data = plausible(form)
    fallback = dict(data)
    for n, f in enumerate(f for f in form.inputs if f.kind in {"text", "textarea"}):
        data[f.name] = [STORED[n % len(STORED)]]
    for _attempt in range(3):
        response = client.post(form.action, _multipart(data))
        if response.status_code != 200 or not is_html(response):
            return response.status_code
        again = [
            f
            for f in forms_on(response.content.decode(), page_url)
            if f.signature() == form.signature()
        ]
        invalid = [f.name for f in again[0].inputs if f.invalid] if again else []
        if not invalid:
            return response.status_code
        data |= {name: fallback.get(name, [PLAUSIBLE["text"]]) for name in invalid}
    return response.status_code


def test_stored_markup_is_never_served_unescaped(request, programme):
    """Every form, as the first persona who may use it, saved with markup in its text fields;
    then every page of the matrix, as every persona. The pages are looked up first: the matrix
    finds some objects by the titles this changes."""
    users = {p: None if p == "anonymous" else request.getfixturevalue(p) for p in PERSONAS}
    clients = {p: client_for(u) for p, u in users.items()}
    pages = []
    for case in GET_CASES:
        try:  # once per case: some create what they look up, once only (a unique row)
            with transaction.atomic():
                url = _url(case)
        except (IntegrityError, ObjectDoesNotExist):
            continue
        pages += [(persona, url) for persona in _pages(case)]
    seen, saved = set(), 0
    for persona, url in pages:
        response = clients[persona].get(url)
        if response.status_code != 200 or not is_html(response):
            continue
        for form in forms_on(response.content.decode(), url):
            texts = [f for f in form.inputs if f.kind in {"text", "textarea"}]
            if form.method != "post" or not texts or form.signature() in seen:
                continue
            seen.add(form.signature())
            saved += save_with_markup(clients[persona], form, url) in (301, 302, 303)
    cache.clear()
    problems = []
    for persona, url in pages:
        response = clients[persona].get(url)
        if not is_html(response):
            continue
        body = response.content.decode(errors="replace")
        problems += [f"{persona} {url}: {m!r}" for m in UNESCAPED if m in body]
        if JAVASCRIPT_URL.search(body):
            problems.append(f"{persona} {url}: a javascript: link")
    assert len(pages) > 0.9 * len(GET_CASES) and saved > 15, (len(pages), len(seen), saved)
    assert not problems, "\n".join(problems)


# --- Imports ---------------------------------------------------------------------------------

FILES = _files()
#: By position and name: an XLSX file's length changes with the time it was written, and the
#: ids must be the same in every xdist worker.
FILE_IDS = [f"{n}:{name[:20]}" for n, (name, *_) in enumerate(FILES)]


@pytest.mark.parametrize("upload", FILES, ids=FILE_IDS)
def test_participant_import_refuses_hostile_files(login, leader_karmoy, karmoy, upload):
    client = login(leader_karmoy)
    url = reverse("municipalities:participant_import", kwargs={"slug": karmoy.slug})
    before = Participant.objects.count()
    response = client.post(url, {"file": SimpleUploadedFile(*upload)})
    assert response.status_code == 200
    assert SCRIPT.encode() not in response.content
    token = re.search(rb'name="token" value="([^"]+)"', response.content)
    if token:  # a readable file: the preview; confirming it may add its one valid row
        response = client.post(url, {"token": token.group(1).decode()})
        assert response.status_code in (200, 302)
        assert Participant.objects.count() <= before + 1
    else:
        assert Participant.objects.count() == before


def test_participant_import_with_one_bad_row_adds_nobody(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    url = reverse("municipalities:participant_import", kwargs={"slug": karmoy.slug})
    rows = [
        "Navn;Funksjon;Rolle;E-post;Telefon;Kommunenummer",
        "Kari Nordmann;Rådgiver;HR;kari@example.org;;1149",
        f"{SCRIPT};Rådgiver;Ukjent rolle;ikke-en-epost;{'9' * 300};9999",
    ]
    before = Participant.objects.count()
    response = client.post(
        url, {"file": SimpleUploadedFile("liste.csv", "\r\n".join(rows).encode())}
    )
    assert response.status_code == 200
    assert b'name="token"' not in response.content  # no confirmation for a list with errors
    assert Participant.objects.count() == before


@pytest.mark.parametrize("upload", FILES, ids=FILE_IDS)
def test_measurement_import_refuses_hostile_files(login, ministry, upload):
    client = login(ministry)
    before = Measurement.objects.count()
    response = client.post(
        reverse("measurements:import_upload"), {"file": SimpleUploadedFile(*upload)}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        assert SCRIPT.encode() not in preview.content
        response = client.post(response["Location"], {"confirm": "1", "reason": SCRIPT})
        assert response.status_code < 500
    assert Measurement.objects.count() == before


def test_measurement_import_with_one_bad_row_writes_nothing(login, ministry):
    client = login(ministry)
    header = "kommunenummer;prosjekt;indikator;maling;verdi"
    rows = [header, "1149;karmoy-omdomme;Sykefravær;Nullpunkt;7,5", "1149;;;Nullpunkt;NaN"]
    before = (Measurement.objects.count(), ImportBatch.objects.filter(committed_at=None).count())
    response = client.post(
        reverse("measurements:import_upload"),
        {"file": SimpleUploadedFile("verdier.csv", "\r\n".join(rows).encode())},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.post(response["Location"], {"confirm": "1"})
        assert response.status_code == 200
    assert Measurement.objects.count() == before[0]
