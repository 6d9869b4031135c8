"""Deltakeroversikt: the participant list, its counts and exports, and who sees health data."""

import io

import openpyxl
import pytest
from django.urls import reverse

from gatherings.models import Registration
from municipalities.models import Participant, ParticipantRole
from tests.gatherings.conftest import add_participant, en_url
from tests.gatherings.factories import RegistrationFactory
from tests.spreadsheets import csv_rows

pytestmark = pytest.mark.django_db

#: Dietary data that must never leak: an allergy as free text, and a diet.
SECRET_NOTE = "Alvorlig peanøttallergi"


@pytest.fixture
def registered(coming_gathering, karmoy, strand, participant):
    """Registrations in Karmøy and Strand: with health data, and a name made to look like a
    spreadsheet formula."""
    politician = add_participant(karmoy, "Ola Ordfører", ParticipantRole.POLITICIAN)
    rogue = add_participant(karmoy, '=HYPERLINK("http://evil.example","x")', ParticipantRole.HR)
    leader = add_participant(strand, "Sigrid Strand", ParticipantRole.LEADER, leader=True)
    me = Participant.objects.get(user=participant)
    return [
        RegistrationFactory(
            gathering=coming_gathering,
            participant=politician,
            diets=["gluten_free"],
            dietary_notes=SECRET_NOTE,
            drinks="alcohol_free",
            settles_bill=True,
        ),
        RegistrationFactory(gathering=coming_gathering, participant=rogue, dinner_days=[]),
        RegistrationFactory(gathering=coming_gathering, participant=leader, diets=["vegan"]),
        RegistrationFactory(
            gathering=coming_gathering, participant=me, dietary_notes="Laktoseintolerant"
        ),
    ]


EXPORTS = ["csv", "xlsx"]


def _all_text(client, gathering) -> list[str]:
    """Every page and export of the gathering the client can open, as text."""
    texts = []
    for name in ["gatherings:detail", "gatherings:participants", "gatherings:registration"]:
        response = client.get(reverse(name, args=[gathering.pk]))
        if response.status_code == 200:
            texts.append(response.content.decode())
    for fmt in EXPORTS:
        response = client.get(reverse("gatherings:participants_export", args=[gathering.pk, fmt]))
        if response.status_code == 200:
            texts.append(_export_text(response, fmt))
    for registration in Registration.objects.filter(gathering=gathering):
        response = client.get(
            reverse("gatherings:register", args=[gathering.pk, registration.participant_id])
        )
        if response.status_code == 200:
            texts.append(response.content.decode())
    return texts


def _export_text(response, fmt) -> str:
    if fmt == "csv":
        return response.content.decode("utf-8-sig")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
    )


@pytest.mark.parametrize(
    "persona",
    [
        "anonymous",
        "participant",  # sees their own needs, never someone else's
        "leader_strand",  # sees their own project's, not Karmøy's
        "facilitator_other",
        "ministry",
        "admin_user",
    ],
)
def test_dietary_data_of_others_is_hidden_on_every_page_and_export(
    request, login, persona, coming_gathering, registered
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    texts = _all_text(login(user), coming_gathering)
    assert texts if persona != "anonymous" else True
    for text in texts:
        assert SECRET_NOTE not in text


def test_the_facilitator_sees_dietary_data_on_the_list_and_in_exports(
    login, facilitator, coming_gathering, registered
):
    client = login(facilitator)
    page = client.get(en_url("gatherings:participants", coming_gathering.pk)).content.decode()
    assert SECRET_NOTE in page
    assert "Gluten-free" in page
    for fmt in EXPORTS:
        response = client.get(en_url("gatherings:participants_export", coming_gathering.pk, fmt))
        assert SECRET_NOTE in _export_text(response, fmt)


def test_the_person_and_their_leader_see_what_they_entered(
    login, participant, leader_karmoy, coming_gathering, registered
):
    politician = registered[0].participant
    leader_page = login(leader_karmoy).get(
        reverse("gatherings:register", args=[coming_gathering.pk, politician.pk])
    )
    assert SECRET_NOTE in leader_page.content.decode()
    me = Participant.objects.get(user=participant)
    own_page = login(participant).get(
        reverse("gatherings:register", args=[coming_gathering.pk, me.pk])
    )
    assert "Laktoseintolerant" in own_page.content.decode()


def test_ministry_sees_the_list_without_health_data(login, ministry, coming_gathering, registered):
    page = login(ministry).get(en_url("gatherings:participants", coming_gathering.pk))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Ola Ordfører" in content and "Sigrid Strand" in content
    assert "Dietary needs and drinks" not in content
    assert SECRET_NOTE not in content


@pytest.mark.parametrize("persona", ["participant", "leader_karmoy", "facilitator_other"])
def test_the_list_is_closed_to_others(request, login, persona, coming_gathering):
    client = login(request.getfixturevalue(persona))
    assert (
        client.get(reverse("gatherings:participants", args=[coming_gathering.pk])).status_code
        == 403
    )
    response = client.get(
        reverse("gatherings:participants_export", args=[coming_gathering.pk, "csv"])
    )
    assert response.status_code == 403


def test_the_list_counts_roles_meals_and_needs(login, facilitator, coming_gathering, registered):
    page = login(facilitator).get(en_url("gatherings:participants", coming_gathering.pk))
    overview = page.context["overview"]
    assert overview.total == 4
    assert dict(overview.role_counts)["Politician"] == 1
    first, second = overview.meals
    assert (first.lunch, first.dinner) == (4, 3)
    assert (second.lunch, second.dinner) == (4, 0)
    assert dict(overview.diets) == {"Vegan": 1, "Gluten-free": 1}
    assert overview.dietary_notes == 2
    assert dict(overview.drinks)["Alcohol-free"] == 1
    assert [name for name, _regs in overview.by_municipality] == ["Karmøy", "Strand"]


def test_csv_is_for_norwegian_excel(login, facilitator, coming_gathering, registered):
    response = login(facilitator).get(
        en_url("gatherings:participants_export", coming_gathering.pk, "csv")
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="deltakere-samling-{coming_gathering.pk}.csv"'
    )
    raw = response.content
    rows = csv_rows(raw)
    assert rows[0] == [
        "Municipality",
        "Municipality number",
        "Local project",
        "Name",
        "Role",
        "Function",
        "E-mail",
        "Phone",
        "Days attending",
        "Dinner",
        "Overnight stay",
        "Settles the bill",
        "Drinks",
        "Dietary needs",
        "Other dietary needs or allergies",
    ]
    assert b"\r\n" in raw
    names = [row[3] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    karmoy_row = next(row for row in rows if row[3] == "Ola Ordfører")
    assert karmoy_row[0:2] == ["Karmøy", "1149"]
    assert karmoy_row[11] == "Yes"


def test_csv_for_ministry_has_no_health_columns(login, ministry, coming_gathering, registered):
    response = login(ministry).get(
        en_url("gatherings:participants_export", coming_gathering.pk, "csv")
    )
    header = response.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[-1] == "Settles the bill"
    assert SECRET_NOTE not in response.content.decode("utf-8-sig")


def test_xlsx_opens_with_text_kept_as_text(login, facilitator, coming_gathering, registered):
    response = login(facilitator).get(
        reverse("gatherings:participants_export", args=[coming_gathering.pk, "xlsx"])
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    rogue = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert rogue.data_type == "s"
    assert sheet.max_row == 5


def test_unknown_export_format_is_not_found(login, facilitator, coming_gathering):
    response = login(facilitator).get(
        reverse("gatherings:participants_export", args=[coming_gathering.pk, "pdf"])
    )
    assert response.status_code == 404
