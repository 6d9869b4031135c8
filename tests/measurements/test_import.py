"""Import from CSV and XLSX: a dry run that names each bad row, and nothing written unless
every row is right."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from measurements.models import ImportBatch, Measurement, MeasurementSource
from measurements.value_import import MAX_ROWS, check_file
from tests.factories import OwnIndicatorFactory
from tests.measurements.factories import indicator, leader_of, measure, url

pytestmark = pytest.mark.django_db

HEADER = "kommunenummer;indikator;måling;verdi;merknad"


def csv_file(*lines: str, header: str = HEADER, encoding="utf-8-sig") -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


def upload(client, content: bytes, name="verdier.csv"):
    data = io.BytesIO(content)
    data.name = name
    response = client.post(url("measurements:import_upload", lang="en"), {"file": data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("created_at"), client.get(url_of(response))


def upload_rows(client, *lines: str, **csv):
    """Upload a CSV file of ``lines`` (``csv``: the options of ``csv_file``)."""
    return upload(client, csv_file(*lines, **csv))


def import_rows(client, *lines: str, **csv):
    """Upload a CSV file of ``lines``, find no problem in the preview and confirm the import."""
    batch, preview = upload_rows(client, *lines, **csv)
    assert problems(preview) == []
    return confirm(client, batch)


def url_of(response) -> str:
    return response.url.replace("/en/", "/en/", 1)


def confirm(client, batch, **data):
    return client.post(url("measurements:import_preview", batch.token, lang="en"), data)


def problems(preview) -> list[tuple[int, str]]:
    return [(p.row, p.message) for p in preview.context["problems"]]


def test_semicolon_csv_with_bom_and_decimal_commas_is_previewed_then_imported(
    login, leader_karmoy, karmoy, baseline
):
    client = login(leader_karmoy)
    batch, preview = upload_rows(
        client,
        "1149;Omdømmeindeks;Nullpunkt;4,2;Spørreundersøkelse 2012",
        "1149;Kvalifiserte søkere per utlyst stilling;nullpunkt;3,5;",
        "1149;Medarbeiderundersøkelse;Nullpunkt;;",
    )
    assert preview.status_code == 200
    assert problems(preview) == []
    summary = preview.context["summary"]
    assert (summary["read"], summary["valid"], summary["skipped"], summary["new"]) == (3, 2, 1, 2)
    assert [r.value for r in preview.context["rows"]] == ["4.2", "3.5"]
    assert not Measurement.objects.exists()  # a dry run
    assert confirm(client, batch).status_code == 302
    values = dict(Measurement.objects.values_list("indicator__name", "value"))
    assert values == {
        "Omdømmeindeks": Decimal("4.2"),
        "Kvalifiserte søkere per utlyst stilling": Decimal("3.5"),
    }
    saved = Measurement.objects.get(indicator__name="Omdømmeindeks")
    assert (saved.source, saved.reported_by, saved.note) == (
        MeasurementSource.IMPORT,
        leader_karmoy,
        "Spørreundersøkelse 2012",
    )


def test_comma_separated_csv_with_quoted_decimals(login, leader_karmoy, karmoy, baseline):
    client = login(leader_karmoy)
    import_rows(client, '1149,Omdømmeindeks,Nullpunkt,"4,2",', header=HEADER.replace(";", ","))
    assert Measurement.objects.get().value == Decimal("4.2")


def test_windows_1252_csv_from_old_excel(login, leader_karmoy, karmoy, baseline):
    client = login(leader_karmoy)
    import_rows(client, "1149;Omdømmeindeks;Nullpunkt;4,2;Målt blant ansatte", encoding="cp1252")
    assert Measurement.objects.get().note == "Målt blant ansatte"


def test_xlsx_with_numbers_and_a_percentage_cell(login, stavanger, baseline):
    leader = leader_of(stavanger, "leder.stavanger")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kommunenummer", "Indikator", "Måling", "Verdi"])
    sheet.append([1103, "Sykefravær", "Nullpunkt", 0.075])
    sheet["D2"].number_format = "0.0%"
    sheet.append([1103, "Medarbeiderundersøkelse", "Nullpunkt", 4.333333333])
    content = io.BytesIO()
    workbook.save(content)
    client = login(leader)
    batch, preview = upload(client, content.getvalue(), "verdier.xlsx")
    assert problems(preview) == []
    assert preview.context["summary"]["has_notes"] is False
    confirm(client, batch)
    assert dict(Measurement.objects.values_list("indicator__name", "value")) == {
        "Sykefravær": Decimal("7.5"),
        "Medarbeiderundersøkelse": Decimal("4.333"),
    }


@pytest.mark.parametrize(
    ("lines", "row", "message"),
    [
        (["1149;Omdømmeindeks;Nullpunkt;fire;"], 2, "Omdømmeindeks: «fire» is not a number."),
        (
            ["1149;Omdømmeindeks;Nullpunkt;4;", "9999;Omdømmeindeks;Nullpunkt;4;"],
            3,
            "No local project has the kommunenummer 9999.",
        ),
        (
            ["1149;Sykefravær;Nullpunkt;4;"],
            2,
            "«Sykefravær» is not an indicator of Karmøy (karmoy-omdomme). Its indicators are: "
            "Kvalifiserte søkere per utlyst stilling, Medarbeiderundersøkelse, Omdømmeindeks.",
        ),
        (
            ["1149;Omdømmeindeks;Nullpunkt;4;", "1149;omdømmeindeks;nullpunkt;4,5;"],
            3,
            "Row 2 already has a value for Karmøy, Omdømmeindeks, Nullpunkt.",
        ),
        (
            ["1149;Omdømmeindeks;Midtveis;4;"],
            2,
            "There is no measurement round «Midtveis». The rounds are: Nullpunkt, Sluttmåling.",
        ),
        (["11a9;Omdømmeindeks;Nullpunkt;4;"], 2, "«11a9» is not a kommunenummer"),
        ([";Omdømmeindeks;Nullpunkt;4;"], 2, "The row has neither a kommunenummer nor a prosjekt."),
        (["1149;;Nullpunkt;4;"], 2, "The indicator is missing."),
        (["1149;Omdømmeindeks;Sluttmåling;4;"], 2, "The round Sluttmåling opens on"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(
    login, leader_karmoy, karmoy, baseline, lines, row, message
):
    client = login(leader_karmoy)
    batch, preview = upload_rows(client, *lines)
    found = problems(preview)
    assert any(r == row and message in text for r, text in found), found
    content = preview.content.decode()
    assert "Nothing has been imported" in content
    assert f'<th scope="row" class="np-num">{row}</th>' in content
    assert preview.context["form"] is None
    response = confirm(client, batch)
    assert response.status_code == 200
    assert not Measurement.objects.exists()
    batch.refresh_from_db()
    assert batch.committed_at is None


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "tom.csv", "The file is empty."),
        (b"\r\n;;\r\n", "tom.csv", "The file is empty."),
        (
            HEADER.encode() + b"\r\n",
            "bare-overskrift.csv",
            "The file has column headings but no rows of values.",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "bilde.csv", "The file is neither CSV nor XLSX."),
        (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
            "rapport.pdf",
            "The file is neither CSV nor XLSX.",
        ),
        (b"PK\x03\x04" + b"\x00" * 100, "skadet.xlsx", "The XLSX file could not be read"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "gammel.xls",
            "old Excel workbook (.xls)",
        ),
        (b"kommune;verdi\r\n1149;4\r\n", "feil.csv", "the column indikator, måling is missing"),
        (
            "indikator;maling;verdi\r\nOmdømmeindeks;Nullpunkt;4\r\n".encode(),
            "feil.csv",
            "needs the column kommunenummer or the column prosjekt",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(
    login, leader_karmoy, baseline, content, name, message
):
    client = login(leader_karmoy)
    batch, preview = upload(client, content, name)
    assert preview.context["file_problem"] is not None
    assert message in preview.context["file_problem"].message
    assert message in preview.content.decode()
    confirm(client, batch)
    assert not Measurement.objects.exists()


def test_sortland_is_told_apart_by_the_indicator(login, ministry, programme, baseline):
    client = login(ministry)
    import_rows(
        client,
        "1870;Andel ansatte i heltidsstilling;Nullpunkt;38;",
        "1870;Andel ansatte med formell kompetanse;Nullpunkt;61,5;",
    )
    assert dict(Measurement.objects.values_list("indicator__name", "local_project__slug")) == {
        "Andel ansatte i heltidsstilling": "sortland-heltid-deltid",
        "Andel ansatte med formell kompetanse": "vesteralen-regionrad-kompetanse",
    }


def test_a_municipality_in_two_projects_with_the_same_indicator_is_ambiguous(
    login, ministry, programme, baseline
):
    client = login(ministry)
    line = "1621;Kvalifiserte søkere per utlyst stilling;Nullpunkt;2,5;"
    _batch, preview = upload_rows(client, line)
    [(row, message)] = problems(preview)
    assert row == 2
    assert "Kommunenummer 1621 is in several local projects" in message
    assert "orland-kompetanse" in message and "orland-omdomme" in message
    assert "column prosjekt" in message
    import_rows(
        client,
        "1621;orland-omdomme;Kvalifiserte søkere per utlyst stilling;Nullpunkt;2,5;",
        header="kommunenummer;prosjekt;indikator;måling;verdi;merknad",
    )
    assert Measurement.objects.get().local_project.slug == "orland-omdomme"


def test_a_leader_imports_only_for_their_own_project(login, leader_karmoy, karmoy, baseline):
    client = login(leader_karmoy)
    batch, preview = upload_rows(
        client, "1149;Omdømmeindeks;Nullpunkt;4;", "1130;Omdømmeindeks;Nullpunkt;4;"
    )
    assert problems(preview) == [
        (3, "You can import values only for your own local project (Karmøy), not for Strand.")
    ]
    confirm(client, batch)
    assert not Measurement.objects.exists()


def test_ministry_imports_for_every_project(login, ministry, karmoy, baseline):
    client = login(ministry)
    import_rows(client, "1149;Omdømmeindeks;Nullpunkt;4;", "1130;Omdømmeindeks;Nullpunkt;3;")
    assert Measurement.objects.count() == 2


@pytest.mark.parametrize("persona", ["participant", "facilitator"])
def test_import_is_not_for_participants_or_facilitators(login, request, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(url("measurements:import_upload")).status_code == 403


def test_closed_round_import_needs_a_reason_kept_in_the_history(
    login, leader_karmoy, karmoy, baseline_closed
):
    measure(karmoy, indicator(karmoy, "Omdømmeindeks"), baseline_closed, "4")
    client = login(leader_karmoy)
    batch, preview = upload_rows(client, "1149;Omdømmeindeks;Nullpunkt;4,4;")
    assert preview.context["summary"]["corrections"] == 1
    refused = confirm(client, batch, reason="  ")
    assert refused.status_code == 200
    assert "Give a reason for the corrections." in refused.content.decode()
    assert Measurement.objects.get().value == Decimal("4")
    assert confirm(client, batch, reason="Tall fra ny rapport").status_code == 302
    saved = Measurement.objects.get()
    assert saved.value == Decimal("4.4")
    assert saved.history.latest().history_change_reason == "Tall fra ny rapport"


def test_confirming_twice_writes_once(login, leader_karmoy, karmoy, baseline):
    client = login(leader_karmoy)
    batch, _preview = upload_rows(client, "1149;Omdømmeindeks;Nullpunkt;4;")
    confirm(client, batch)
    again = confirm(client, batch)
    assert again.status_code in (200, 302)
    assert Measurement.history.count() == 1


def test_another_user_s_import_is_not_found(login, leader_karmoy, leader_strand, baseline):
    batch, _preview = upload_rows(login(leader_karmoy), "1149;Omdømmeindeks;Nullpunkt;4;")
    other = login(leader_strand)
    assert other.get(url("measurements:import_preview", batch.token)).status_code == 404
    assert confirm(other, batch).status_code == 404
    assert not Measurement.objects.exists()


def test_without_a_note_column_the_saved_notes_are_kept(login, leader_karmoy, karmoy, baseline):
    measure(karmoy, indicator(karmoy, "Omdømmeindeks"), baseline, "4", note="Fra mars")
    client = login(leader_karmoy)
    import_rows(
        client, "1149;Omdømmeindeks;Nullpunkt;4,5", header="kommunenummer;indikator;måling;verdi"
    )
    saved = Measurement.objects.get()
    assert (saved.value, saved.note) == (Decimal("4.5"), "Fra mars")


def test_unchanged_rows_are_not_written_again(login, leader_karmoy, karmoy, baseline):
    measure(karmoy, indicator(karmoy, "Omdømmeindeks"), baseline, "4")
    client = login(leader_karmoy)
    batch, preview = upload_rows(client, "1149;Omdømmeindeks;Nullpunkt;4,0;")
    assert preview.context["summary"]["unchanged"] == 1
    confirm(client, batch)
    assert Measurement.history.count() == 1


def test_leading_zero_lost_by_excel_is_restored(login, ministry, programme, baseline):
    client = login(ministry)
    import_rows(client, "104;Andel ansatte i heltidsstilling;Nullpunkt;40;")
    assert Measurement.objects.get().local_project.slug == "moss-heltid-deltid"


def test_problems_are_worded_in_the_reader_s_language(login, leader_karmoy, baseline):
    client = login(leader_karmoy)
    batch, _preview = upload_rows(client, "1149;Omdømmeindeks;Midtveis;4;")
    nynorsk = client.get(url("measurements:import_preview", batch.token, lang="nn"))
    english = client.get(url("measurements:import_preview", batch.token, lang="en"))
    assert "There is no measurement round «Midtveis»" in english.content.decode()
    assert "Midtveis" in nynorsk.content.decode()
    assert nynorsk.context["problems"][0].code == "unknown_round"


@pytest.mark.parametrize("rows", [10, 300])
def test_checking_a_file_costs_the_same_queries_whatever_its_size(
    ministry, programme, baseline, django_assert_num_queries, rows
):
    lines = [f"1149;Omdømmeindeks;Nullpunkt;{n % 6},5;" for n in range(rows)]
    content = csv_file(*lines)
    with django_assert_num_queries(4):
        result = check_file(content, "mange.csv", ministry)
    assert result.read == rows
    assert len(result.problems) == rows - 1  # every row after the first repeats it


@pytest.mark.parametrize("rows", [5, 120])
def test_uploading_a_file_costs_the_same_queries_whatever_its_size(
    login, leader_karmoy, karmoy, baseline, django_assert_num_queries, rows
):
    own = OwnIndicatorFactory.create_batch(rows, local_project=karmoy)
    for item in own[::2]:
        measure(karmoy, item, baseline, "1")
    content = csv_file(*[f"1149;{item.name};Nullpunkt;{n};" for n, item in enumerate(own)])
    client = login(leader_karmoy)
    client.get(url("measurements:import_upload"))
    data = io.BytesIO(content)
    data.name = "mange.csv"
    with django_assert_num_queries(11):
        response = client.post(url("measurements:import_upload"), {"file": data})
    assert response.status_code == 302
    assert len(ImportBatch.objects.get().rows) == rows


def test_a_file_with_too_many_rows_is_refused(ministry, programme, baseline, monkeypatch):
    monkeypatch.setattr("measurements.value_import.MAX_ROWS", 3)
    lines = [f"1149;Omdømmeindeks;Nullpunkt;{n};" for n in range(5)]
    result = check_file(csv_file(*lines), "mange.csv", ministry)
    assert [p.code for p in result.problems] == ["too_many_rows"]
    assert MAX_ROWS == 50_000


@pytest.mark.parametrize("long_line", [1, 2])
def test_a_csv_line_longer_than_the_bound_is_refused(ministry, programme, baseline, long_line):
    lines = ["1149;Omdømmeindeks;Nullpunkt;4;"] * 2
    lines[long_line - 1] = "1149;Omdømmeindeks;Nullpunkt;4;" + "x" * 40_000
    data = "\r\n".join([HEADER, *lines]).encode() if long_line == 2 else lines[0].encode()
    result = check_file(data, "lang.csv", ministry)
    assert [p.code for p in result.problems] == ["line_too_long"]
    with translation.override("en"):
        assert "is longer than 32768 characters" in result.problems[0].message


def test_import_template_lists_the_leader_s_indicators_and_values(
    login, leader_karmoy, karmoy, baseline
):
    measure(karmoy, indicator(karmoy, "Omdømmeindeks"), baseline, "4.2")
    response = login(leader_karmoy).get(url("measurements:import_template"))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "kommunenummer;prosjekt;indikator;måling;verdi;merknad"
    assert "1149;karmoy-omdomme;Omdømmeindeks;Nullpunkt;4,2;" in lines
    assert len(lines) == 1 + 3


def test_after_the_import_the_page_says_it_is_done(login, leader_karmoy, karmoy, baseline):
    client = login(leader_karmoy)
    batch, preview = upload_rows(
        client,
        "1149;Omdømmeindeks;Nullpunkt;4,2;",
        "1149;Kvalifiserte søkere per utlyst stilling;nullpunkt;3,5;",
    )
    assert "Check the import" in preview.content.decode()
    done = client.get(url_of(confirm(client, batch)))
    content = done.content.decode()
    assert "<h1>Imported</h1>" in content
    assert "2 values were saved." in content
    assert "What was imported" in content
    assert "Check the import" not in content and "will be imported" not in content
    assert "Imported. New values: 2, changed: 0, unchanged: 0." in content


def test_confirming_again_says_already_imported(login, leader_karmoy, karmoy, baseline):
    client = login(leader_karmoy)
    batch, _preview = upload_rows(client, "1149;Omdømmeindeks;Nullpunkt;4;")
    confirm(client, batch)
    again = confirm(client, batch)
    assert again.status_code == 302
    content = client.get(url_of(again)).content.decode()
    assert "This file was imported already; nothing was written again." in content
    assert "cannot be imported" not in content
    assert Measurement.history.count() == 1
