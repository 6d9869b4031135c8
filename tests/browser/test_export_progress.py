"""A large export of the overview's raw data in the browser: the ministry asks for it, the
export's page follows the background worker by itself (static/js/file-job-status.js) until the
download link shows, and both pages have no axe-core violations."""

import pytest
from playwright.sync_api import expect

from measurements.models import MeasurementRound
from tests.browser.conftest import assert_accessible, sign_in, submit_and_wait
from tests.factories import PASSWORD
from tests.measurements.factories import report_everything
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = pytest.mark.django_db


def test_the_export_page_follows_the_worker_until_the_file_is_ready(
    page, live_server, settings, ministry, karmoy, strand
):
    use_database_queue(settings)
    settings.EXPORT_BACKGROUND_ROWS = 2
    baseline = MeasurementRound.objects.get(
        slug="nullpunkt", programme__slug="saman-om-ein-betre-kommune"
    )
    report_everything(karmoy, baseline)
    report_everything(strand, baseline)
    sign_in(page, live_server, ministry.username, PASSWORD)
    page.goto(f"{live_server.url}/framgang/eksport.xlsx")
    expect(page.locator("main form[method=post]")).to_be_visible()
    assert_accessible(page)

    submit_and_wait(page)
    region = page.locator("#file-job")
    expect(region).to_have_attribute("data-refresh-seconds", "3")
    download = page.locator("#file-job a[href$='/fil']")
    expect(download).to_have_count(0)
    assert_accessible(page)
    title = page.locator("#file-job h1").inner_text()

    assert run_queued_tasks() == 1
    expect(download).to_be_visible(timeout=15_000)
    expect(region).not_to_have_attribute("data-refresh-seconds", "3")
    announced = page.locator("#file-job-announce")
    expect(announced).not_to_have_text("")
    assert announced.inner_text() != title
    assert_accessible(page)
