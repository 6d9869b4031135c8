"""A ZIP file of final reports in a browser: the ministry asks for a network's reports, and the
status page follows the worker's progress in place (static/js/file-job-status.js) until the
download is there and says so, checked with axe-core at each step."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from municipalities.models import ReportArchive
from tests.browser.conftest import assert_accessible, sign_in, submit_and_wait
from tests.factories import PASSWORD
from tests.tasks_helpers import use_database_queue

pytestmark = pytest.mark.django_db


def test_the_status_page_follows_the_progress_without_reloading(
    page, live_server, settings, ministry, omdomme
):
    use_database_queue(settings)
    sign_in(page, live_server, "krd", PASSWORD)
    page.wait_for_url(f"{live_server.url}/mine-sider/")
    page.goto(f"{live_server.url}/nettverk/omdomme/sluttrapporter/")
    assert_accessible(page)
    submit_and_wait(page, "main form button[type=submit]")
    archive = ReportArchive.objects.get()
    page.wait_for_url(f"{live_server.url}{archive.get_absolute_url()}")
    assert page.locator("#file-job[data-refresh-seconds]").count() == 1
    assert page.locator("#file-job-progress").count() == 0
    assert_accessible(page)
    # Something to tell the reloads apart: the page itself is not loaded again.
    page.evaluate("window.sameDocument = true")

    now = timezone.now()
    ReportArchive.objects.filter(pk=archive.pk).update(
        started_at=now, progressed_at=now, total=5, done=2
    )
    page.wait_for_selector("#file-job-progress", timeout=12_000)
    assert page.locator("#file-job-progress").get_attribute("value") == "40"  # 2 of 5
    assert_accessible(page)

    archive.file.save("x.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    ReportArchive.objects.filter(pk=archive.pk).update(
        done=5, finished_at=timezone.now(), file=archive.file.name, size=22
    )
    download = page.locator(f"a[href='{archive.get_absolute_url()}last-ned/']")
    download.wait_for(timeout=12_000)
    assert page.evaluate("window.sameDocument") is True
    assert page.locator("#file-job[data-refresh-seconds]").count() == 0
    # The new state is announced (the page is in Bokmål).
    announced = page.locator("#file-job-announce").inner_text()
    assert announced == "ZIP-filen med 5 sluttrapporter er klar."
    assert_accessible(page)
