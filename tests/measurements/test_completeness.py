"""Who has not reported in an open round, and reminders to their project leaders."""

import pytest
from django.core import mail

from measurements.models import Reminder
from municipalities.models import LocalProject
from network.models import Network
from tests.factories import LocalProjectFactory, MunicipalityFactory
from tests.measurements.factories import indicator, leader_of, measure, report_everything, url

pytestmark = pytest.mark.django_db


def completeness(query="", lang="en"):
    return url("measurements:completeness", lang=lang, query=query)


def listed(response) -> dict[str, list[str]]:
    return {g.network.slug: [r.project.name for r in g.rows] for g in response.context["groups"]}


def test_lists_who_has_not_reported_in_the_open_round_by_network(login, ministry, karmoy, baseline):
    report_everything(karmoy, baseline)
    strand = LocalProject.objects.get(slug="strand-omdomme")
    measure(strand, indicator(strand, "Omdømmeindeks"), baseline, "4")
    response = login(ministry).get(completeness())
    assert response.context["round"] == baseline
    assert (response.context["complete"], response.context["total"]) == (1, 49)
    assert listed(response)["omdomme"] == ["Gamvik", "Meland", "Strand", "Ørland"]
    content = response.content.decode()
    assert "1 of 49 local projects have reported fully for Nullpunkt." in content
    assert "1 of 3 indicators, no anchoring stage" in content


def test_another_round_can_be_chosen(login, ministry, end_round):
    response = login(ministry).get(completeness("?maling=nullpunkt"))
    assert response.context["round"].slug == "nullpunkt"


def test_facilitator_sees_only_their_networks(login, facilitator_other, baseline):
    response = login(facilitator_other).get(completeness())
    assert set(listed(response)) == {"sykefravaer-sor"}


@pytest.mark.parametrize("persona", ["participant", "leader_karmoy"])
def test_completeness_is_not_for_project_people(login, request, persona, baseline):
    assert login(request.getfixturevalue(persona)).get(completeness()).status_code == 403


def test_reminder_is_confirmed_then_sent_once(
    login, ministry, leader_karmoy, leader_strand, karmoy, baseline
):
    client = login(ministry)
    strand = LocalProject.objects.get(slug="strand-omdomme")
    chosen = {"maling": "nullpunkt", "prosjekt": [karmoy.pk, strand.pk], "melding": "Frist fredag!"}
    confirm = client.post(url("measurements:remind", lang="en"), chosen)
    assert confirm.status_code == 200
    assert mail.outbox == [] and not Reminder.objects.exists()
    content = confirm.content.decode()
    assert "leder.karmoy@example.org" in content and "Send 2 reminders" in content
    nonce = confirm.context["nonce"]
    sent = client.post(url("measurements:remind"), {**chosen, "send": "1", "nonce": nonce})
    assert sent.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "leder.karmoy@example.org",
        "leder.strand@example.org",
    ]
    karmoy_mail = next(m for m in mail.outbox if m.to == ["leder.karmoy@example.org"])
    assert "Karmøy" in karmoy_mail.subject and "Nullpunkt" in karmoy_mail.subject
    assert "Frist fredag!" in karmoy_mail.body
    assert "/prosjekter/karmoy-omdomme/framgang/rapport/nullpunkt/" in karmoy_mail.body
    reminder = Reminder.objects.get(local_project=karmoy)
    assert (reminder.round, reminder.sent_by, reminder.recipients) == (
        baseline,
        ministry,
        "leder.karmoy@example.org",
    )
    again = client.post(url("measurements:remind"), {**chosen, "send": "1", "nonce": nonce})
    assert again.status_code == 302
    assert len(mail.outbox) == 2 and Reminder.objects.count() == 2
    listing = client.get(completeness())
    row = next(r for g in listing.context["groups"] for r in g.rows if r.project == karmoy)
    assert row.last_reminder == reminder.sent_at


def test_project_without_a_leader_address_is_not_sent_to(
    login, ministry, leader_karmoy, karmoy, baseline
):
    gamvik = LocalProject.objects.get(slug="gamvik-omdomme")
    client = login(ministry)
    chosen = {"maling": "nullpunkt", "prosjekt": [karmoy.pk, gamvik.pk]}
    confirm = client.post(url("measurements:remind", lang="en"), chosen)
    assert confirm.context["sendable"] == 1
    client.post(
        url("measurements:remind"), {**chosen, "send": "1", "nonce": confirm.context["nonce"]}
    )
    assert [m.to for m in mail.outbox] == [["leder.karmoy@example.org"]]
    assert not Reminder.objects.filter(local_project=gamvik).exists()


def test_nothing_chosen_is_said(login, ministry, baseline):
    response = login(ministry).post(url("measurements:remind", lang="en"), {"maling": "nullpunkt"})
    assert response.status_code == 200
    assert "Choose at least one local project to remind." in response.content.decode()
    assert mail.outbox == []


def test_facilitator_cannot_remind_projects_outside_their_networks(
    login, facilitator_other, leader_karmoy, karmoy, baseline
):
    client = login(facilitator_other)
    chosen = {"maling": "nullpunkt", "prosjekt": [karmoy.pk], "send": "1", "nonce": "x"}
    response = client.post(url("measurements:remind", lang="en"), chosen)
    assert response.status_code == 200 and response.context["reminder_form"].errors
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_leaders_cannot_send_reminders(login, leader_karmoy, karmoy, baseline):
    response = login(leader_karmoy).post(
        url("measurements:remind"), {"maling": "nullpunkt", "prosjekt": [karmoy.pk]}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("extra", [0, 10])
def test_completeness_query_count_is_constant(
    login, ministry, baseline, django_assert_num_queries, extra
):
    network = Network.objects.get(slug="sykefravaer-sor")
    for n in range(extra):
        project = LocalProjectFactory(
            network=network, municipalities=[MunicipalityFactory(number=f"11{70 + n}")]
        )
        leader_of(project, f"leder.{n}")
        if n % 2:
            report_everything(project, baseline)
        else:
            measure(project, indicator(project, "Sykefravær"), baseline, "6")
    client = login(ministry)
    client.get(completeness())
    with django_assert_num_queries(6):
        assert client.get(completeness()).status_code == 200


def test_reminder_for_a_round_with_a_line_break_in_its_name_is_sent_on_one_line(
    login, ministry, leader_karmoy, karmoy, baseline
):
    """A name stored before names were checked must not break the subject header."""
    type(baseline).objects.filter(pk=baseline.pk).update(name="Null\npunkt\r\nBcc: x@example.org")
    LocalProject.objects.filter(pk=karmoy.pk).update(name="Karmøy\u2028omdømme")
    client = login(ministry)
    chosen = {"maling": "nullpunkt", "prosjekt": [karmoy.pk]}
    confirm = client.post(url("measurements:remind", lang="en"), chosen)
    assert confirm.status_code == 200
    sent = client.post(
        url("measurements:remind"), {**chosen, "send": "1", "nonce": confirm.context["nonce"]}
    )
    assert sent.status_code == 302
    (message,) = mail.outbox
    assert message.subject == (
        "Påminnelse: rapporter for Null punkt Bcc: x@example.org – Karmøy omdømme"
    )
    assert message.recipients() == ["leder.karmoy@example.org"]
    assert "\nBcc:" not in message.message().as_string().partition("\n\n")[0]
    assert Reminder.objects.get(local_project=karmoy).subject == message.subject


def test_a_reminder_carries_no_bidirectional_control_characters(
    login, ministry, leader_karmoy, karmoy, baseline
):
    client = login(ministry)
    chosen = {"maling": "nullpunkt", "prosjekt": [karmoy.pk], "melding": "Frist \u202efredag!"}
    nonce = client.post(url("measurements:remind", lang="en"), chosen).context["nonce"]
    client.post(url("measurements:remind"), {**chosen, "send": "1", "nonce": nonce})
    (sent,) = mail.outbox
    assert "Frist fredag!" in sent.body
    assert not set(sent.body) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
