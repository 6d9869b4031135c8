"""Uploads on S3-compatible object storage (``S3_BUCKET``): private objects, served only
through the portal's permission-checking views.

The S3 server here is an emulator: moto in server mode (``ThreadedMotoServer``), a real HTTP
server on 127.0.0.1 that speaks the S3 protocol, so django-storages and boto3 run exactly as
against AWS S3, MinIO or Ceph. It is not AWS: it proves the portal's use of the protocol
(writes, reads, deletes, private objects), not a provider's behaviour.
"""

import datetime
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from config.settings import object_storage
from gatherings.models import AgendaItem, Gathering, Material
from municipalities.models import Attachment
from tests.gatherings.factories import PDF_BYTES as MATERIAL_BYTES
from tests.gatherings.factories import upload as material_upload
from tests.municipalities.factories import (
    PDF_BYTES,
    attachment,
    karmoy,
    pdf_upload,
    save_page,
    upload,
)

REGION = "eu-north-1"
UPLOAD = "/en/prosjekter/karmoy-omdomme/vedlegg/ny/"


@pytest.fixture(scope="session")
def s3_endpoint():
    """One emulated S3 server per test process, on a free port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A new private bucket, and the portal's uploads going to it (as with S3_BUCKET set)."""
    name = f"portal-{uuid.uuid4().hex[:12]}"
    environ = {
        "S3_BUCKET": name,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_ACCESS_KEY_ID": "portal",
        "S3_SECRET_ACCESS_KEY": "portal-secret",
        "S3_REGION": REGION,
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
        region_name=REGION,
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {**django_settings.STORAGES, "default": object_storage(environ)}
    client.bucket_name = name
    return client


def _keys(bucket) -> list[str]:
    listing = bucket.list_objects_v2(Bucket=bucket.bucket_name)
    return [item["Key"] for item in listing.get("Contents", [])]


def _object(bucket, key: str) -> bytes:
    return bucket.get_object(Bucket=bucket.bucket_name, Key=key)["Body"].read()


def _anonymous_get_status(bucket, key: str) -> int:
    """A plain GET of the object's address at the S3 server, without credentials."""
    url = f"{bucket.meta.endpoint_url}/{bucket.bucket_name}/{key}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def _no_local_files() -> bool:
    media = Path(django_settings.MEDIA_ROOT)
    return not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_uploads_stay_on_the_local_disk_without_a_bucket():
    assert object_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    storage = object_storage({"S3_BUCKET": "uploads", "S3_ENDPOINT_URL": "https://s3.example"})
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["default_acl"] is None
    assert storage["OPTIONS"]["file_overwrite"] is False
    assert storage["OPTIONS"]["addressing_style"] == "path"


@pytest.mark.django_db
def test_a_project_document_is_a_private_object_served_only_through_the_portal(
    bucket, login, leader_karmoy, participant, ministry, programme
):
    save_page(karmoy(), background="Utkast.")
    response = login(leader_karmoy).post(
        UPLOAD, {"file": pdf_upload("Prosjektplan 2012.pdf"), "title": "", "story": ""}
    )
    assert response.status_code == 302
    document = Attachment.objects.get()
    assert _keys(bucket) == [document.file.name]
    assert document.file.name.startswith("vedlegg/") and "Prosjektplan" not in document.file.name
    assert _object(bucket, document.file.name) == PDF_BYTES
    assert _no_local_files()

    assert _anonymous_get_status(bucket, document.file.name) == 403

    url = document.get_absolute_url()
    download = login(leader_karmoy).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="Prosjektplan 2012')
    assert "Location" not in download
    page = login(leader_karmoy).get(karmoy().get_absolute_url()).content.decode()
    assert url in page and bucket.meta.endpoint_url not in page
    assert login(ministry).get(url).status_code == 200
    assert login(participant).get(url).status_code == 404
    assert login(None).get(url).status_code == 404


@pytest.mark.django_db
def test_a_speakers_material_on_object_storage_follows_the_programme(
    bucket, login, facilitator, facilitator_other, programme
):
    day = datetime.date(2012, 9, 20)
    Gathering.objects.filter(network__slug="omdomme", kind="samling_2").update(start_date=day)
    draft = Gathering.objects.get(network__slug="omdomme", kind="samling_2")
    item = AgendaItem.objects.create(gathering=draft, date=day, title="Utkast")
    response = login(facilitator).post(
        reverse("gatherings:item_materials", args=[draft.pk, item.pk]),
        {"title": "Lysark", "file": material_upload("lysark.pdf", MATERIAL_BYTES)},
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert _keys(bucket) == [material.file.name]
    assert _anonymous_get_status(bucket, material.file.name) == 403

    url = reverse("gatherings:material_download", args=[draft.pk, material.pk])
    download = login(facilitator).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MATERIAL_BYTES
    assert login(None).get(url).status_code == 404
    assert login(facilitator_other).get(url).status_code == 404


@pytest.mark.django_db
def test_a_document_missing_from_the_bucket_is_not_found(bucket, login, leader_karmoy, programme):
    document = attachment()
    bucket.delete_object(Bucket=bucket.bucket_name, Key=document.file.name)
    assert login(leader_karmoy).get(document.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_deleting_a_document_deletes_its_object(
    bucket, login, leader_karmoy, programme, django_capture_on_commit_callbacks
):
    document = attachment()
    assert _keys(bucket) == [document.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(leader_karmoy).post(
            f"/prosjekter/karmoy-omdomme/vedlegg/{document.pk}/slett/"
        )
    assert response.status_code == 302
    assert _keys(bucket) == []


@pytest.mark.django_db
def test_a_document_larger_than_the_memory_buffer_is_served_whole(
    bucket, login, leader_karmoy, programme
):
    content = PDF_BYTES + b"%" + bytes(range(256)) * (12 * 1024)  # 3 MB
    response = login(leader_karmoy).post(
        UPLOAD, {"file": upload("Stor rapport.pdf", content), "title": "", "story": ""}
    )
    assert response.status_code == 302
    document = Attachment.objects.get()
    download = login(leader_karmoy).get(document.get_absolute_url())
    assert int(download["Content-Length"]) == len(content)
    assert b"".join(download.streaming_content) == content
