"""Participants by role: add, edit (no lost work), remove, and import from CSV or XLSX."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from municipalities.models import LocalProject, Participant, ParticipantRole
from municipalities.participant_import import read_participant_file
from tests.core.bombs import MB, gigabyte_bomb, peak_memory
from tests.factories import ParticipantFactory
from tests.municipalities.factories import upload
from tests.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

BASE = "/en/prosjekter/karmoy-omdomme/deltakere"
IMPORT = f"{BASE}/importer/"


def _data(**values):
    data = {
        "name": "Kari Nordmann",
        "function": "Rådgiver",
        "role": ParticipantRole.HR,
        "email": "kari@karmoy.kommune.no",
        "phone": "52 00 00 00",
    }
    data.update(values)
    return data


def _participants(project) -> list[tuple]:
    """The project's participants without a user account (the personas have one)."""
    return list(
        project.participants.filter(user__isnull=True)
        .order_by("name")
        .values_list("name", "function", "role", "email", "phone", "municipality_id")
    )


# --- Add, edit, remove ------------------------------------------------------------------------


def test_leader_adds_a_participant_in_the_projects_municipality(login, leader_karmoy, karmoy):
    response = login(leader_karmoy).post(f"{BASE}/ny/", _data())
    assert response.status_code == 302
    added = karmoy.participants.get(name="Kari Nordmann")
    assert (added.role, added.municipality_id, added.is_project_leader) == ("hr", "1149", False)


def test_a_joint_project_asks_for_the_municipality(login, admin_user, programme):
    vesteralen = LocalProject.objects.get(slug="vesteralen-regionrad-kompetanse")
    url = f"/en/prosjekter/{vesteralen.slug}/deltakere/ny/"
    client = login(admin_user)
    assert "municipality" in client.get(url).context["form"].fields
    assert client.post(url, _data(municipality="1870")).status_code == 302
    assert vesteralen.participants.get().municipality.name == "Sortland"
    response = client.post(url, _data(name="Fra Karmøy", municipality="1149"))
    assert response.status_code == 200 and response.context["form"].errors["municipality"]


def test_only_facilitators_and_administrators_set_the_project_leader_flag(
    login, leader_karmoy, facilitator, karmoy
):
    leader_form = login(leader_karmoy).get(f"{BASE}/ny/").context["form"]
    assert "is_project_leader" not in leader_form.fields
    login(leader_karmoy).post(f"{BASE}/ny/", _data(name="Vil lede", is_project_leader="on"))
    assert not karmoy.participants.get(name="Vil lede").is_project_leader

    login(facilitator).post(f"{BASE}/ny/", _data(name="Ny leder", is_project_leader="on"))
    assert karmoy.participants.get(name="Ny leder").is_project_leader


def test_a_leader_cannot_remove_a_project_leader(login, leader_karmoy, facilitator, karmoy):
    other_leader = ParticipantFactory(local_project=karmoy, is_project_leader=True)
    url = f"{BASE}/{other_leader.pk}/fjern/"
    assert login(leader_karmoy).post(url).status_code == 403
    assert Participant.objects.filter(pk=other_leader.pk).exists()
    assert login(facilitator).post(url).status_code == 302
    assert not Participant.objects.filter(pk=other_leader.pk).exists()


def test_leader_edits_and_removes_a_participant(login, leader_karmoy, karmoy):
    member = ParticipantFactory(local_project=karmoy, name="Ola", role=ParticipantRole.OTHER)
    client = login(leader_karmoy)
    response = client.post(
        f"{BASE}/{member.pk}/rediger/", _data(name="Ola Nordmann", loaded_version=1)
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.role, member.version) == ("Ola Nordmann", "hr", 2)
    assert client.get(f"{BASE}/{member.pk}/fjern/").status_code == 200
    assert client.post(f"{BASE}/{member.pk}/fjern/").status_code == 302
    assert not Participant.objects.filter(pk=member.pk).exists()


def test_a_participant_of_another_project_is_not_found(login, leader_karmoy, strand):
    stranger = ParticipantFactory(local_project=strand)
    assert login(leader_karmoy).get(f"{BASE}/{stranger.pk}/rediger/").status_code == 404
    assert login(leader_karmoy).post(f"{BASE}/{stranger.pk}/fjern/").status_code == 404
    assert Participant.objects.filter(pk=stranger.pk).exists()


def test_contact_data_is_shown_to_members_of_the_network_only(login, participant, karmoy):
    ParticipantFactory(local_project=karmoy, email="synlig@karmoy.kommune.no")
    assert "synlig@karmoy" not in login(None).get(karmoy.get_absolute_url()).content.decode()
    assert "synlig@karmoy" in login(participant).get(karmoy.get_absolute_url()).content.decode()


def test_two_editors_of_a_participant_lose_nothing(login, leader_karmoy, facilitator, karmoy):
    member = ParticipantFactory(local_project=karmoy, name="Ola", phone="1", email="")
    url = f"{BASE}/{member.pk}/rediger/"
    first, second = login(leader_karmoy), login(facilitator)
    assert first.get(url).status_code == second.get(url).status_code == 200
    first.post(url, _data(name="Ola", phone="52 11 11 11", email="", loaded_version=1))
    response = second.post(url, _data(name="Ola", phone="1", email="ola@x.no", loaded_version=1))
    assert response.status_code == 409
    member.refresh_from_db()
    assert member.phone == "52 11 11 11" and member.email == ""
    conflicts = {
        c.name: (c.yours_display, c.current_display) for c in response.context["conflicts"]
    }
    assert conflicts["phone"] == ("1", "52 11 11 11")
    assert conflicts["email"] == ("ola@x.no", "")
    form = response.context["form"]
    assert form.data["email"] == "ola@x.no" and form.data["loaded_version"] == "2"
    merged = dict(form.data.items()) | {"phone": "52 11 11 11"}
    assert second.post(url, merged).status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.email, member.version) == ("52 11 11 11", "ola@x.no", 3)


def test_editing_a_participant_removed_meanwhile_offers_to_add_them_again(
    login, leader_karmoy, facilitator, karmoy
):
    member = ParticipantFactory(local_project=karmoy, name="Ola")
    url = f"{BASE}/{member.pk}/rediger/"
    login(facilitator).post(f"{BASE}/{member.pk}/fjern/")
    response = login(leader_karmoy).post(url, _data(name="Ola Nordmann", loaded_version=1))
    assert response.status_code == 409
    assert response.context["deleted"]
    assert response.context["form"].data["name"] == "Ola Nordmann"
    assert response.context["action"] == "/en/prosjekter/karmoy-omdomme/deltakere/ny/"


# --- Import -----------------------------------------------------------------------------------


def _csv(text: str, encoding: str = "utf-8-sig") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


GOOD_CSV = (
    "Navn;Funksjon;Rolle;E-post;Telefon;Kommunenummer\n"
    "Kari Nordmann;Rådgiver;HR;kari@karmoy.kommune.no;52 00 00 00;1149\n"
    "Ola Nordmann;Ordfører;politiker;;;\n"
    "Åse Ødegård;Hovedtillitsvalgt;TILLITSVALGT;ase@fagforbundet.no;;1149\n"
)


def _preview(client, name, content):
    return client.post(IMPORT, {"file": upload(name, content)})


def test_import_from_norwegian_excel_csv_previews_then_writes_every_row(
    login, leader_karmoy, karmoy
):
    client = login(leader_karmoy)
    response = _preview(client, "deltakere.csv", _csv(GOOD_CSV))
    preview = response.context["preview"]
    assert not preview.errors
    assert [(row.row, row.name, row.role) for row in preview.rows] == [
        (2, "Kari Nordmann", "hr"),
        (3, "Ola Nordmann", "politiker"),
        (4, "Åse Ødegård", "tillitsvalgt"),
    ]
    assert not _participants(karmoy)  # nothing written before the confirmation

    token = response.context["confirm_form"].initial["token"]
    response = client.post(IMPORT, {"token": token})
    assert response.status_code == 302
    assert _participants(karmoy) == [
        ("Kari Nordmann", "Rådgiver", "hr", "kari@karmoy.kommune.no", "52 00 00 00", "1149"),
        ("Ola Nordmann", "Ordfører", "politiker", "", "", "1149"),
        ("Åse Ødegård", "Hovedtillitsvalgt", "tillitsvalgt", "ase@fagforbundet.no", "", "1149"),
    ]
    # The token is used up: sending it again writes nothing more.
    client.post(IMPORT, {"token": token})
    assert len(_participants(karmoy)) == 3


def test_an_import_with_one_bad_row_writes_nothing_and_names_the_row(login, leader_karmoy, karmoy):
    text = GOOD_CSV + "Per Hansen;Verneombud;Verneombud;per@karmoy;;1149\n"
    client = login(leader_karmoy)
    response = _preview(client, "deltakere.csv", _csv(text))
    errors = [(e.row, e.column, e.message) for e in response.context["errors"]]
    assert errors == [
        (
            5,
            "Rolle",
            "Unknown role «Verneombud». Use one of: Politiker, HR, Leder, Tillitsvalgt, Annen.",
        ),
        (5, "E-post", "«per@karmoy» is not an e-mail address."),
    ]
    content = response.content.decode()
    assert "Row 5" in content and "Nothing was imported" in content
    assert "confirm_form" not in response.context or response.context.get("confirm_form") is None
    # No token was kept for a list with errors: a guessed confirmation writes nothing.
    assert client.post(IMPORT, {"token": "x" * 32}).status_code == 302
    assert not _participants(karmoy)


def test_an_import_with_a_control_character_in_a_function_writes_nothing(
    login, leader_karmoy, karmoy
):
    """A quoted cell of several lines is read as one line; a right-to-left override is
    refused."""
    text = (
        "Navn;Funksjon;Rolle;E-post;Telefon;Kommunenummer\n"
        '"Kari\nNordmann";Råd\u202egiver;HR;;;1149\n'
    )
    client = login(leader_karmoy)
    response = _preview(client, "deltakere.csv", _csv(text))
    errors = [(e.row, e.column, e.message) for e in response.context["errors"]]
    assert errors == [(2, "Funksjon", "Remove the invisible or control characters.")]
    assert not _participants(karmoy)


def test_import_confirms_only_the_rows_kept_on_the_server(login, leader_karmoy, karmoy):
    """The confirmation carries a token only; rows sent along are ignored."""
    client = login(leader_karmoy)
    token = _preview(client, "d.csv", _csv(GOOD_CSV)).context["confirm_form"].initial["token"]
    client.post(IMPORT, {"token": token, "rows": "Inntrenger;HR", "name": "Inntrenger"})
    assert "Inntrenger" not in [name for name, *_rest in _participants(karmoy)]
    assert len(_participants(karmoy)) == 3


def test_import_of_another_project_cannot_use_this_token(
    login, leader_karmoy, facilitator, karmoy, strand
):
    client = login(facilitator)
    token = _preview(client, "d.csv", _csv(GOOD_CSV)).context["confirm_form"].initial["token"]
    client.post("/en/prosjekter/strand-omdomme/deltakere/importer/", {"token": token})
    assert not _participants(strand) and not _participants(karmoy)


def test_import_accepts_commas_and_windows_1252_with_a_notice(login, leader_karmoy, karmoy):
    text = "Name,Function,Role,Email,Phone,Municipality number\nÅse Ødegård,Leder,Leder,,,1149\n"
    response = _preview(login(leader_karmoy), "d.csv", _csv(text, "cp1252"))
    preview = response.context["preview"]
    assert not preview.errors
    assert [(row.name, row.role) for row in preview.rows] == [("Åse Ødegård", "leder")]
    assert "Windows-1252" in preview.notices[0]


def test_import_reads_xlsx_with_numbers_as_excel_stores_them(login, leader_karmoy, programme):
    lom = LocalProject.objects.get(slug="lom-kompetanse")
    content = xlsx_bytes(
        [
            ["Navn", "Funksjon", "Rolle", "E-post", "Telefon", "Kommunenummer"],
            ["Kari Lom", "Rådgiver", "Hr", None, 61211000, 514],
            [None, None, None, None, None, None],
            ["Per Lom", None, "Annen", None, 61211001.0, "0514"],
        ]
    )
    preview = read_participant_file(upload("liste.xlsx", content), project=lom)
    assert not preview.errors
    assert [(r.row, r.name, r.phone, r.municipality) for r in preview.rows] == [
        (2, "Kari Lom", "61211000", "0514"),
        (4, "Per Lom", "61211001", "0514"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("liste.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Old Excel files"),
        ("liste.xlsx", b"PK\x03\x04ikke en arbeidsbok", "could not be read"),
        ("liste.csv", _csv("Fornavn;Etternavn\nKari;Nordmann\n"), "is missing"),
        ("liste.csv", b"", "empty"),
        ("bilde.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text"),
        # A UTF-16 byte order mark on what is not UTF-16 (a lone surrogate): no crash.
        ("liste.csv", b"\xff\xfe\x00\xd8Navn", "not a text"),
    ],
)
def test_unreadable_files_get_a_clear_message(login, leader_karmoy, karmoy, name, content, message):
    response = _preview(login(leader_karmoy), name, content)
    form_errors = (
        response.context["form"].errors.get("file", []) if response.context["form"] else []
    )
    messages = [error.message for error in response.context.get("errors", [])] + form_errors
    assert any(message in text for text in messages), messages
    assert not _participants(karmoy)


def test_import_skips_people_already_registered_and_flags_repeats(login, leader_karmoy, karmoy):
    ParticipantFactory(local_project=karmoy, name="Kari Nordmann", email="kari@karmoy.kommune.no")
    text = GOOD_CSV + "kari nordmann;;HR;KARI@karmoy.kommune.no;;\n"
    preview = _preview(login(leader_karmoy), "d.csv", _csv(text)).context["preview"]
    assert [(e.row, e.message) for e in preview.errors] == [(5, "The same person as in row 2.")]

    preview = _preview(login(leader_karmoy), "d.csv", _csv(GOOD_CSV)).context["preview"]
    assert [row.existing for row in preview.rows] == [True, False, False]
    assert [row.name for row in preview.new_rows] == ["Ola Nordmann", "Åse Ødegård"]


def test_formulas_are_refused(login, leader_karmoy, karmoy):
    text = "Navn;Rolle;Telefon\n=1+1;HR;@SUM(A1)\n"
    preview = _preview(login(leader_karmoy), "d.csv", _csv(text)).context["preview"]
    assert [(e.row, e.column) for e in preview.errors] == [
        (2, "Navn"),
        (2, "Telefon"),
        (2, "Navn"),
    ]


def test_import_templates_have_the_norwegian_headers(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    response = client.get(f"{BASE}/importmal.csv")
    assert response.content == "\ufeffNavn;Funksjon;Rolle;E-post;Telefon;Kommunenummer\r\n".encode()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    response = client.get(f"{BASE}/importmal.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header == ["Navn", "Funksjon", "Rolle", "E-post", "Telefon", "Kommunenummer"]
    assert client.get(f"{BASE}/importmal.exe").status_code == 404


def test_the_xlsx_template_reads_back_without_errors(login, leader_karmoy, karmoy):
    content = login(leader_karmoy).get(f"{BASE}/importmal.xlsx").content
    workbook = load_workbook(io.BytesIO(content))
    workbook.worksheets[0].append(["Kari", "Rådgiver", "Leder", "", "", "1149"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = read_participant_file(upload("mal.xlsx", buffer.getvalue()), project=karmoy)
    assert not preview.errors and [row.name for row in preview.rows] == ["Kari"]


def test_participant_import_refuses_a_workbook_bomb_in_bounded_memory(login, leader_karmoy, karmoy):
    """A workbook of about 1 MB whose one cell holds an inline string of 1 GB."""
    client = login(leader_karmoy)
    data = gigabyte_bomb()
    before = Participant.objects.count()
    with peak_memory() as memory:
        response = client.post(IMPORT, {"file": SimpleUploadedFile("deltakere.xlsx", data)})
    assert memory["peak"] < 100 * MB
    assert response.status_code == 200
    assert "once unpacked, more than an import can take" in response.content.decode()
    assert b'name="token"' not in response.content
    assert Participant.objects.count() == before


# --- The form checks what the import checks ---------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", '=HYPERLINK("https://evil.example")'),
        ("name", "+1+2"),
        ("function", "-2+3"),
        ("function", "@SUM(A1:A3)"),
        ("phone", "=1+1"),
        ("phone", "-52000000"),
        ("email", "=x@karmoy.kommune.no"),
    ],
)
def test_the_participant_form_refuses_formulas_like_the_import(
    login, leader_karmoy, karmoy, field, value
):
    response = login(leader_karmoy).post(f"{BASE}/ny/", _data(**{field: value}))
    assert response.status_code == 200
    assert (
        "Formulas are not allowed; write the value itself."
        in response.context["form"].errors[field]
    )
    assert not _participants(karmoy)


@pytest.mark.parametrize("phone", ["ring meg", "52 00 00 00 (jobb)", "tlf: 52000000"])
def test_the_participant_form_refuses_what_is_not_a_phone_number(
    login, leader_karmoy, karmoy, phone
):
    response = login(leader_karmoy).post(f"{BASE}/ny/", _data(phone=phone))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "A phone number has digits, spaces and + only."
    ]


@pytest.mark.parametrize("phone", ["+47 52 00 00 00", "52 00 00 00", "(+47) 520-00.000"])
def test_the_participant_form_accepts_phone_numbers_as_people_write_them(
    login, leader_karmoy, karmoy, phone
):
    assert login(leader_karmoy).post(f"{BASE}/ny/", _data(phone=phone)).status_code == 302
    assert karmoy.participants.get(name="Kari Nordmann").phone == phone


def test_the_import_and_the_form_share_one_check():
    from municipalities import forms, participant_import

    assert forms.participant_value_errors is participant_import.participant_value_errors
    assert (
        participant_import.participant_value_errors({"phone": "+47 52 00 00 00", "name": "Kari"})
        == []
    )
    assert [
        key for key, _message in participant_import.participant_value_errors({"phone": "+SUM(1)"})
    ] == ["phone"]


def test_adding_the_same_person_twice_asks_first(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    assert client.post(f"{BASE}/ny/", _data()).status_code == 302
    response = client.post(
        f"{BASE}/ny/", _data(name="kari nordmann", email="KARI@karmoy.kommune.no")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "is already a participant of this project" in content
    assert 'type="checkbox" name="add_anyway"' in content and "Add anyway" in content
    assert len(_participants(karmoy)) == 1

    response = client.post(
        f"{BASE}/ny/", _data(name="kari nordmann", email="KARI@karmoy.kommune.no", add_anyway="on")
    )
    assert response.status_code == 302
    assert len(_participants(karmoy)) == 2


def test_the_duplicate_checkbox_is_not_offered_for_a_new_person(login, leader_karmoy, karmoy):
    content = login(leader_karmoy).get(f"{BASE}/ny/").content.decode()
    assert 'type="checkbox" name="add_anyway"' not in content
    assert "Add anyway" not in content


def test_the_same_name_with_another_address_is_not_a_duplicate(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    client.post(f"{BASE}/ny/", _data())
    assert client.post(f"{BASE}/ny/", _data(email="kari@ks.no")).status_code == 302
    assert len(_participants(karmoy)) == 2


def test_renaming_a_participant_into_a_duplicate_asks_first(login, leader_karmoy, karmoy):
    ParticipantFactory(local_project=karmoy, name="Kari Nordmann", email="kari@karmoy.kommune.no")
    other = ParticipantFactory(local_project=karmoy, name="Ola", email="kari@karmoy.kommune.no")
    client = login(leader_karmoy)
    url = f"{BASE}/{other.pk}/rediger/"
    form = client.get(url).context["form"]
    data = _data(loaded_version=form["loaded_version"].value())
    response = client.post(url, data)
    assert response.status_code == 200
    assert "add_anyway" in response.context["form"].errors
    other.refresh_from_db()
    assert other.name == "Ola"
    # Saving the person again without changing name or e-mail asks nothing.
    data = _data(name="Ola", loaded_version=form["loaded_version"].value())
    assert client.post(url, data).status_code == 302


# --- After the import -------------------------------------------------------------------------


def test_after_the_import_the_page_says_it_is_done_with_counts(login, leader_karmoy, karmoy):
    ParticipantFactory(local_project=karmoy, name="Kari Nordmann", email="kari@karmoy.kommune.no")
    client = login(leader_karmoy)
    token = _preview(client, "d.csv", _csv(GOOD_CSV)).context["confirm_form"].initial["token"]
    response = client.post(IMPORT, {"token": token}, follow=True)
    content = response.content.decode()
    assert "Imported: 2 participants are added from d.csv." in content
    assert "1 was registered already and is skipped." in content
    assert "will be added" not in content


def test_confirming_an_import_again_says_it_was_imported_already(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    token = _preview(client, "d.csv", _csv(GOOD_CSV)).context["confirm_form"].initial["token"]
    client.post(IMPORT, {"token": token})
    response = client.post(IMPORT, {"token": token}, follow=True)
    content = response.content.decode()
    assert "This list was imported already; nothing was written again." in content
    assert "no longer available" not in content
    assert len(_participants(karmoy)) == 3
