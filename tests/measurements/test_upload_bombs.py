"""The measurement import and the survey invitations refuse a workbook bomb with a message, and
the worker stays small.

The bomb is the one that was found: a workbook of about 1 MB whose one cell holds an inline
string of 1 GB. Memory is measured with ``tracemalloc`` while the page handles the upload.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measurements.models import ImportBatch, Measurement
from tests.core.bombs import MB, gigabyte_bomb, peak_memory
from tests.measurements.factories import url
from tests.surveys.factories import open_run

pytestmark = pytest.mark.django_db

REFUSED = "once unpacked, more than an import can take"


def bomb(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, gigabyte_bomb(), content_type="application/octet-stream")


def test_measurement_import_refuses_a_workbook_bomb_in_bounded_memory(login, ministry):
    client = login(ministry)
    upload = bomb("verdier.xlsx")
    with peak_memory() as memory:
        response = client.post(url("measurements:import_upload", lang="en"), {"file": upload})
    assert memory["peak"] < 100 * MB
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert REFUSED in preview.content.decode()
    assert ImportBatch.objects.get().rows == []
    assert not Measurement.objects.exists()


def test_survey_invitations_refuse_a_workbook_bomb_in_bounded_memory(
    login, leader_karmoy, karmoy, baseline
):
    run = open_run(karmoy, baseline)
    client = login(leader_karmoy)
    invite = url("surveys:invite", karmoy.slug, run.pk, lang="en")
    nonce = re.search(r'name="nonce" value="([^"]+)"', client.get(invite).content.decode()).group(1)
    upload = bomb("adresser.xlsx")
    with peak_memory() as memory:
        response = client.post(invite, {"file": upload, "nonce": nonce, "addresses": ""})
    assert memory["peak"] < 100 * MB
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    run.refresh_from_db()
    assert run.invitations_sent == 0
