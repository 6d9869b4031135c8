"""Gatherings pages in states the sweep over every URL (``test_axe_everywhere.py``) does not
reach, in Bokmål and Nynorsk: the printed programme, edit conflicts, registration and
evaluation flows — no axe violations."""

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from gatherings.models import AgendaItem, Gathering, GatheringStatus
from tests.browser.conftest import assert_accessible, send_and_see, signed_in, submit_and_wait
from tests.gatherings import world

pytestmark = pytest.mark.django_db

LANGUAGES = ["", "/nn"]
#: The main button of a form.
SAVE = "form[method=post] button[type=submit][data-variant=primary]"


def url(name, *args) -> str:
    with translation.override("nb"):
        return reverse(name, args=args)


def check(page, live_server, prefix, path, *, submit: str | None = None) -> None:
    """Open the page (and submit its form as it is, to show the errors) and run axe."""
    page.goto(f"{live_server.url}{prefix}{path}")
    assert page.locator("h1").count() == 1, path
    if submit:
        submit_and_wait(page, submit)
        assert page.locator(".ds-error-summary").count() == 1, f"no errors shown on {path}"
    assert_accessible(page)


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_public_programme_pages(page, live_server, programme, prefix):
    data = world.build()
    for path in [
        url("gatherings:list"),
        url("gatherings:detail", data.first.pk),
        url("gatherings:network_resources", "omdomme"),
        url("gatherings:programme_resources", programme.slug),
        url("network:network_detail", "omdomme"),
        url("network:home"),
    ]:
        check(page, live_server, prefix, path)


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_printed_programme(page, live_server, programme, prefix):
    data = world.build()
    page.emulate_media(media="print")
    check(page, live_server, prefix, url("gatherings:detail", data.first.pk))
    # The print stylesheet leaves out buttons and site furniture, keeps the programme.
    assert not page.locator(".np-actions").first.is_visible()
    assert not page.locator(".np-mainnav").is_visible()
    assert page.locator(".np-agenda__item").first.is_visible()
    assert page.locator(".np-print-only").is_visible()


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_gathering_form_with_errors(page, live_server, facilitator, prefix):
    data = world.build()
    signed_in(page, live_server, "veileder.omdomme")
    page.goto(f"{live_server.url}{prefix}{url('gatherings:edit', data.second.pk)}")
    page.fill("input[name=end_date]", "2012-09-01")
    send_and_see(page, SAVE, ".ds-error-summary")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_edit_conflict_on_an_item(page, live_server, facilitator, prefix):
    data = world.build()
    signed_in(page, live_server, "veileder.omdomme")
    page.goto(
        f"{live_server.url}{prefix}{url('gatherings:item_edit', data.first.pk, data.talk.pk)}"
    )
    page.fill("textarea[name=description]", "Min tekst")
    # Someone else saves first.
    AgendaItem.objects.filter(pk=data.talk.pk).update(
        description="Den andres tekst", version=F("version") + 1
    )
    send_and_see(page, SAVE, "#edit-conflict")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_project_leader_registration_pages(page, live_server, leader_karmoy, prefix):
    data = world.build()
    signed_in(page, live_server, "leder.karmoy")
    first = data.first.pk
    # The 1. samling is over: registration is for the coming 2. samling, published now.
    Gathering.objects.filter(pk=data.second.pk).update(
        status=GatheringStatus.PUBLISHED, published_at=timezone.now()
    )
    coming = data.second.pk
    politician = data.karmoy_politician.pk
    # The registration form, then with its errors (no day chosen).
    page.goto(f"{live_server.url}{prefix}{url('gatherings:register', coming, politician)}")
    assert_accessible(page)
    for checkbox in page.locator("input[name=days]").all():
        checkbox.uncheck()
    send_and_see(page, SAVE, ".ds-error-summary")
    for path in [
        url("gatherings:registration", coming),
        url("gatherings:cancel", first, politician),
        url("network:my_pages"),
        url("municipalities:project_detail", "karmoy-omdomme"),
        url("gatherings:evaluate", first),  # not registered: told why
    ]:
        check(page, live_server, prefix, path)


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_participant_evaluation_pages(page, live_server, participant, prefix):
    data = world.build(participant_user=participant)
    signed_in(page, live_server, "deltaker.karmoy")
    evaluate = f"{live_server.url}{prefix}{url('gatherings:evaluate', data.first.pk)}"
    page.goto(evaluate)
    assert_accessible(page)
    # Sending nothing shows the error summary.
    send_and_see(page, SAVE, ".ds-error-summary")
    page.locator("input[name=rating_all][value='4']").check()
    submit_and_wait(page, SAVE)
    page.wait_for_url(f"**{url('gatherings:detail', data.first.pk)}")
    page.goto(evaluate)  # «you have already evaluated»
    assert_accessible(page)
    check(page, live_server, prefix, url("gatherings:registration", data.first.pk))


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_ministry_follow_up_pages(page, live_server, ministry, prefix):
    data = world.build()
    signed_in(page, live_server, "krd")
    for path in [
        url("gatherings:participants", data.first.pk),
        url("gatherings:attendance", "omdomme"),
        url("gatherings:outbox", data.first.pk),
        url("gatherings:evaluation_results", data.first.pk),
    ]:
        check(page, live_server, prefix, path)
