"""A facilitator takes the 2. samling from an empty draft to a published programme: dates,
the 1. samling's programme copied and adjusted, a new item with a new speaker, published and
e-mailed, and readable and printable for everyone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from gatherings.models import AgendaItem, Gathering, GatheringStatus
from municipalities.models import LocalProject, Participant, ParticipantRole
from network.models import Person
from tests.browser.conftest import assert_accessible, sign_in, submit_and_wait
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SAVE = "form[method=post] button[type=submit][data-variant=primary]"


def url(name, *args) -> str:
    with translation.override("nb"):
        return reverse(name, args=args)


def test_facilitator_builds_and_publishes_a_programme(page, live_server, facilitator, mailoutbox):
    second = Gathering.objects.get(network__slug="omdomme", kind="samling_2")
    first = Gathering.objects.get(network__slug="omdomme", kind="samling_1")
    Participant.objects.create(
        local_project=LocalProject.objects.get(slug="karmoy-omdomme"),
        name="Ola Ordfører",
        role=ParticipantRole.POLITICIAN,
        email="ola@example.org",
    )
    start = timezone.localdate() + datetime.timedelta(days=60)
    base = live_server.url

    # Signed in through the form, the facilitator finds the draft on «Mine sider».
    sign_in(page, live_server, "veileder.omdomme", PASSWORD)
    page.wait_for_url(f"{base}/mine-sider/")
    submit_and_wait(page, f"a[href='{url('gatherings:agenda', second.pk)}']")
    page.wait_for_url(f"{base}{url('gatherings:agenda', second.pk)}")
    assert_accessible(page)

    # An empty gathering needs its dates first.
    submit_and_wait(page, f"main a[href='{url('gatherings:edit', second.pk)}']")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", (start + datetime.timedelta(days=1)).isoformat())
    page.fill("input[name=venue]", "Sola strand hotell")
    submit_and_wait(page, SAVE)
    page.wait_for_url(f"{base}{url('gatherings:agenda', second.pk)}")
    second.refresh_from_db()
    assert second.start_date == start

    # Copy the 1. samling's programme as a starting point.
    submit_and_wait(page, f"a[href='{url('gatherings:copy', second.pk)}']")
    assert_accessible(page)
    page.check(f"input[name=source][value='{first.pk}']")
    submit_and_wait(page, SAVE)
    page.wait_for_url(f"{base}{url('gatherings:agenda', second.pk)}")
    assert second.agenda_items.count() == 16
    assert page.locator("tr[id^=post-]").count() == 16
    assert page.locator(".np-agenda-table .ds-validation-message").count() == 2  # the overlap
    assert_accessible(page)

    # Adjust an item.
    talk = second.agenda_items.get(title_nb__startswith="Saman om ein betre kommune")
    submit_and_wait(page, f"a[href='{url('gatherings:item_edit', second.pk, talk.pk)}']")
    page.fill("input[name=start]", "10:30")
    submit_and_wait(page, SAVE)
    page.wait_for_url(f"**{url('gatherings:agenda', second.pk)}#post-{talk.pk}")
    talk.refresh_from_db()
    assert talk.start == datetime.time(10, 30)

    # Add an item with a new speaker; a wrong end time is refused first.
    submit_and_wait(
        page, f"a[href='{url('gatherings:item_create', second.pk)}?dag={start.isoformat()}']"
    )
    page.fill("input[name=title]", "Erfaringer fra Karmøy")
    page.fill("input[name=start]", "17:40")
    page.fill("input[name=end]", "17:35")
    page.fill("input[name=new_speaker_name]", "Kari Nordmann")
    page.fill("input[name=new_speaker_title]", "Prosjektleder")
    page.fill("input[name=new_speaker_organisation]", "Karmøy kommune")
    submit_and_wait(page, SAVE)
    assert page.locator(".ds-error-summary").count() == 1
    assert page.locator("#id_end").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.fill("input[name=end]", "18:15")
    submit_and_wait(page, SAVE)
    page.wait_for_url(f"**{url('gatherings:agenda', second.pk)}#post-*")
    new = AgendaItem.objects.get(gathering=second, title="Erfaringer fra Karmøy")
    assert [link.person for link in new.speaker_links.all()] == [
        Person.objects.get(name="Kari Nordmann")
    ]

    # Publish: the confirmation shows the e-mail, and publishing sends it.
    submit_and_wait(page, f"a[href='{url('gatherings:publish', second.pk)}']")
    assert page.locator(".np-email-preview").is_visible()
    assert_accessible(page)
    submit_and_wait(page, SAVE)
    page.wait_for_url(f"{base}{url('gatherings:agenda', second.pk)}")
    second.refresh_from_db()
    assert second.status == GatheringStatus.PUBLISHED
    assert [m.to for m in mailoutbox] == [["ola@example.org"]]
    assert "Erfaringer fra Karmøy" in mailoutbox[0].body
    assert_accessible(page)

    # Everyone can read it, print it and put it in a calendar.
    reader = page.context.browser.new_context(locale="nn-NO").new_page()
    reader.goto(f"{base}/nn{url('gatherings:detail', second.pk)}")
    assert reader.locator(".np-agenda__item").count() == 17
    assert reader.get_by_text("Kari Nordmann, Prosjektleder, Karmøy kommune").is_visible()
    assert reader.locator(f"a[href$='/poster/{talk.pk}/kalender.ics']").count() == 1
    assert_accessible(reader)
    reader.emulate_media(media="print")
    assert_accessible(reader)
    feed = reader.request.get(f"{base}{url('gatherings:network_ical', 'omdomme')}")
    assert f"samling-{second.pk}@" in feed.text()
    reader.context.close()
