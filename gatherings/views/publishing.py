"""Publishing a programme, sending its changes, and the outbox of what was sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import outbox as mail_outbox
from network.models import MailKind as MessageKind

from .. import publishing
from ..selectors import agenda_items, outbox
from .common import base_url, gathering_or_404


def _report(request, result: publishing.SendResult) -> None:
    """Tell the sender what happened to the e-mail: sent, failed, or waiting for the worker."""
    if result.message is None:
        return
    if not result.recipients:
        messages.warning(
            request,
            _("No participant in the network has an e-mail address, so no e-mail was sent."),
        )
        return
    counts = result.counts
    status = _("%(sent)s sent, %(failed)s failed, %(pending)s queued.") % {
        "sent": counts.sent,
        "failed": counts.failed,
        "pending": counts.pending,
    }
    if counts.failed:
        messages.error(
            request,
            ngettext(
                "The e-mail could not be sent to %(failed)s of %(total)s recipient. See the "
                "outbox, and send again from there.",
                "The e-mail could not be sent to %(failed)s of %(total)s recipients. See the "
                "outbox, and send again from there.",
                counts.total,
            )
            % {"failed": counts.failed, "total": counts.total}
            + " "
            + status,
        )
    elif counts.pending:
        messages.success(
            request,
            ngettext(
                "The e-mail to %(total)s participant is queued and sent in the background. "
                "The outbox shows when it has gone out.",
                "The e-mail to %(total)s participants is queued and sent in the background. "
                "The outbox shows when it has gone out.",
                counts.total,
            )
            % {"total": counts.total}
            + " "
            + status,
        )
    else:
        messages.success(
            request,
            ngettext(
                "The e-mail is sent to %(total)s participant.",
                "The e-mail is sent to %(total)s participants.",
                counts.total,
            )
            % {"total": counts.total},
        )


def _preview(gathering, kind, request, *, changes=None):
    items = list(agenda_items(gathering))
    snapshot = publishing.programme_snapshot(gathering, items)
    return publishing.compose(
        gathering, kind, snapshot=snapshot, changes=changes, base_url=base_url(request)
    )


@login_required
def publish(request, pk):
    """Confirm (GET) and publish (POST): the programme becomes public and is e-mailed to the
    network's participants."""
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    if gathering.is_published:
        messages.info(request, _("The programme is already published."))
        return redirect("gatherings:agenda", gathering.pk)
    if request.method == "POST":
        try:
            result = publishing.publish(
                gathering=gathering, user=request.user, base_url=base_url(request)
            )
        except publishing.NotPublishable as error:
            messages.error(request, str(error))
            return redirect("gatherings:edit", gathering.pk)
        messages.success(request, _("The programme is published."))
        _report(request, result)
        return redirect("gatherings:agenda", gathering.pk)
    subject, body = _preview(gathering, MessageKind.PUBLISHED, request)
    return render(
        request,
        "gatherings/publish_confirm.html",
        {
            "gathering": gathering,
            "subject": subject,
            "body": body,
            "recipient_count": len(publishing.network_recipients(gathering)),
            "item_count": gathering.agenda_items.count(),
        },
    )


@login_required
def send_changes(request, pk):
    """Show the changes not yet sent and the e-mail (GET); send it (POST)."""
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    if request.method == "POST":
        result = publishing.send_changes(
            gathering=gathering, user=request.user, base_url=base_url(request)
        )
        if result.message is None:
            messages.info(request, _("There are no changes to send."))
        _report(request, result)
        return redirect("gatherings:agenda", gathering.pk)
    items = list(agenda_items(gathering))
    changes = publishing.pending_changes(gathering, items)
    if not changes:
        messages.info(request, _("There are no changes to send."))
        return redirect("gatherings:agenda", gathering.pk)
    snapshot = publishing.programme_snapshot(gathering, items)
    subject, body = publishing.compose(
        gathering,
        MessageKind.CHANGED,
        snapshot=snapshot,
        changes=changes,
        base_url=base_url(request),
    )
    return render(
        request,
        "gatherings/send_changes.html",
        {
            "gathering": gathering,
            "title": _("Send changes to participants"),
            "changes": changes,
            "subject": subject,
            "body": body,
            "recipient_count": len(publishing.network_recipients(gathering)),
        },
    )


@login_required
def unpublish(request, pk):
    """Take the programme back to draft (confirm with GET); those who were sent it are told."""
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    if not gathering.is_published:
        messages.info(request, _("The programme is not published."))
        return redirect("gatherings:agenda", gathering.pk)
    if request.method == "POST":
        result = publishing.withdraw(
            gathering=gathering, user=request.user, base_url=base_url(request)
        )
        messages.success(request, _("The programme is back to draft and no longer public."))
        _report(request, result)
        return redirect("gatherings:agenda", gathering.pk)
    return render(
        request,
        "gatherings/unpublish_confirm.html",
        {
            "gathering": gathering,
            "recipient_count": len(publishing.network_recipients(gathering)),
            "registration_count": gathering.registrations.active().count(),
        },
    )


@login_required
def outbox_view(request, pk):
    gathering = gathering_or_404(request, pk, "gatherings.view_outbox")
    sent = outbox(gathering)
    for message in sent:  # recipients are prefetched
        message.counts = mail_outbox.counted(message.recipients.all())
    return render(
        request,
        "gatherings/outbox.html",
        {
            "gathering": gathering,
            "title": _("Outbox"),
            "outgoing": sent,
            "can_send": request.user.has_perm("gatherings.change_gathering", gathering),
        },
    )


@login_required
@require_POST
def resend(request, pk, message_pk):
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    message = get_object_or_404(gathering.outgoing_messages, pk=message_pk)
    result = publishing.resend_failed(message=message)
    if not result.recipients:
        messages.info(request, _("Every copy of this e-mail has been sent."))
    else:
        _report(request, result)
    return redirect(f"{reverse('gatherings:outbox', args=[gathering.pk])}#utsending-{message.pk}")
