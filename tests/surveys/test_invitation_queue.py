"""Survey invitations are accepted at once and sent by the worker: 3,000 in one request, never
twice for one form, and the count of invitations sent stays true when some fail."""

import re
import time

import pytest
from django.core import mail

from core.models import DeliveryStatus, OutboxMessage, OutboxRecipient
from network.models import MailKind
from surveys.models import SurveyInvitation
from surveys.views.runs import INVITATION_NONCE
from tests.measurements.factories import url
from tests.surveys.factories import open_run
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = pytest.mark.django_db


def invite_url(run):
    return url("surveys:invite", run.local_project.slug, run.pk, lang="en")


def run_url(run):
    return url("surveys:run", run.local_project.slug, run.pk, lang="en")


def nonce_of(client, run) -> str:
    page = client.get(invite_url(run)).content.decode()
    return re.search(r'name="nonce" value="([^"]+)"', page).group(1)


def test_three_thousand_invitations_are_accepted_in_one_request_in_under_two_seconds(
    login, leader_karmoy, karmoy, baseline, settings
):
    use_database_queue(settings)
    run = open_run(karmoy, baseline)
    client = login(leader_karmoy)
    addresses = "\n".join(f"ansatt{i}@karmoy.kommune.example" for i in range(3000))
    nonce = nonce_of(client, run)
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.post(invite_url(run), {"addresses": addresses, "nonce": nonce})
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"\n3,000 survey invitations accepted in {seconds:.2f} s ({cpu:.2f} s of CPU)")
    assert response.status_code == 302
    # The portal's own CPU is what a busy test machine cannot inflate; the wall time (about
    # 1.5 s on a quiet machine) gets room for a machine shared with other test processes.
    assert cpu < 2
    assert seconds < 10
    assert mail.outbox == []  # sent by the worker, not the request
    message = OutboxMessage.objects.get(kind=MailKind.SURVEY_INVITATION)
    assert message.recipients.filter(status=DeliveryStatus.PENDING).count() == 3000
    assert SurveyInvitation.objects.filter(run=run).count() == 3000
    page = client.get(response["Location"]).content.decode()
    assert "3000 invitations accepted for sending. 0 sent, 0 failed, 3000 queued." in page

    run_queued_tasks()
    assert len(mail.outbox) == 3000
    assert len({m.to[0] for m in mail.outbox}) == 3000
    run.refresh_from_db()
    assert run.invitations_sent == 3000
    page = client.get(run_url(run)).content.decode()
    assert "e-mails: 3000 sent, 0 failed, 0 queued" in page


def test_a_retried_post_of_the_same_form_sends_once(
    login, leader_karmoy, karmoy, baseline, settings
):
    use_database_queue(settings)
    run = open_run(karmoy, baseline)
    client = login(leader_karmoy)
    nonce = nonce_of(client, run)
    data = {"addresses": "a@kommune.example\nb@kommune.example", "nonce": nonce}
    client.post(invite_url(run), data)
    # The retry arrives as if the first request's session had not been saved yet.
    session = client.session
    session[INVITATION_NONCE] = nonce
    session.save()
    client.post(invite_url(run), data)
    assert OutboxMessage.objects.filter(kind=MailKind.SURVEY_INVITATION).count() == 1
    assert OutboxRecipient.objects.count() == 2
    assert SurveyInvitation.objects.filter(run=run).count() == 2
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@kommune.example", "b@kommune.example"]


def test_the_count_of_invitations_sent_stays_true_when_some_fail(
    login, leader_karmoy, karmoy, baseline, settings
):
    settings.EMAIL_BACKEND = "tests.gatherings.mail_backends.FailingForSomeBackend"
    run = open_run(karmoy, baseline)
    client = login(leader_karmoy)
    addresses = ["ok1@kommune.example", "fail1@kommune.example", "ok2@kommune.example"]
    response = client.post(
        invite_url(run), {"addresses": "\n".join(addresses), "nonce": nonce_of(client, run)}
    )
    page = client.get(response["Location"]).content.decode()
    assert "2 sent, 1 failed, 0 queued." in page
    run.refresh_from_db()
    assert run.invitations_sent == 2
    # The failed link never went out, so it does not work either.
    assert SurveyInvitation.objects.filter(run=run).count() == 2
    # Counted once: a later delivery run of the same message counts nothing more.
    from core import outbox

    outbox.deliver(OutboxMessage.objects.get().pk)
    run.refresh_from_db()
    assert run.invitations_sent == 2
