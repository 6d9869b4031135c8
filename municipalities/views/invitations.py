"""Invitation pages: the list, a new invitation, send again, withdraw, and the link itself."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import outbox
from network.models import User

from .. import invitations, selectors
from ..forms import AcceptInvitationForm, InvitationForm
from ..lookups import invitation_for

PAGE_SIZE = 50


@login_required
def invitation_list(request):
    if not request.user.has_perm("municipalities.send_invitations"):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in selectors.STATUSES:
        status = ""
    listed = selectors.invitation_list(user=request.user, status=status)
    page_obj = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "municipalities/invitations/invitation_list.html",
        {
            "title": _("Invitations"),
            "page_obj": page_obj,
            "invitations": page_obj.object_list,
            "status": status,
            "status_label": selectors.STATUSES.get(status, ""),
            "statuses": selectors.STATUSES,
            "filter_query": urlencode({"status": status}) if status else "",
            "nav_section": "my_pages",
        },
    )


@login_required
def invitation_create(request):
    if not request.user.has_perm("municipalities.send_invitations"):
        raise PermissionDenied
    form = InvitationForm(
        request.POST or None,
        user=request.user,
        project_slug=request.GET.get("prosjekt", ""),
        initial={"role": request.GET.get("rolle")} if request.GET.get("rolle") else None,
    )
    if request.method == "POST":
        if form.names_forbidden_target():
            raise PermissionDenied
        if form.is_valid():
            issued = invitations.create_invitation(
                created_by=request.user, **form.invitation_data()
            )
            _send(request, issued)
            return redirect("municipalities:invitation_list")
    return render(
        request,
        "municipalities/invitations/invitation_form.html",
        {"title": _("Invite someone"), "form": form, "nav_section": "my_pages"},
    )


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = invitation_for(request, pk)
    try:
        issued = invitations.renew_invitation(invitation=invitation, renewed_by=request.user)
    except invitations.InvitationUsed:
        messages.error(request, _("The invitation has been accepted and cannot be sent again."))
    else:
        _send(request, issued)
    return redirect("municipalities:invitation_list")


@login_required
@require_POST
def invitation_withdraw(request, pk):
    invitation = invitation_for(request, pk)
    try:
        invitations.withdraw_invitation(invitation=invitation, withdrawn_by=request.user)
    except invitations.InvitationUsed:
        messages.error(request, _("The invitation has been accepted and cannot be withdrawn."))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("municipalities:invitation_list")


@never_cache
def invitation_accept(request, token):
    """The link in the e-mail: shows the invitation; the signed-in account with the invited
    address accepts it, anyone else signed in is asked to sign out first; a visitor chooses a
    username and password (or signs in, if the address already has an account)."""
    try:
        invitation = invitations.find_invitation(token=token)
        signed_in = request.user if request.user.is_authenticated else None
        invitations.check_acceptable(invitation=invitation, user=signed_in)
    except invitations.InvitationWrongAccount:
        return _wrong_account(request, invitation)
    except invitations.InvitationError as error:
        return _unusable(request, error)

    if signed_in is not None:
        if request.method == "POST":
            try:
                invitations.accept_invitation(invitation=invitation, user=request.user)
            except invitations.InvitationWrongAccount:
                return _wrong_account(request, invitation)
            except invitations.InvitationError as error:
                return _unusable(request, error)
            return _accepted(request, invitation)
        return render(
            request,
            "municipalities/invitations/invitation_accept.html",
            {"invitation": invitation, "nav_section": ""},
        )

    if User.objects.filter(email__iexact=invitation.email.strip()).exists():
        login_url = reverse("network:login") + "?" + urlencode({"next": request.path})
        return render(
            request,
            "municipalities/invitations/invitation_accept.html",
            {"invitation": invitation, "login_url": login_url, "nav_section": ""},
        )

    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept_invitation_with_new_account(
                invitation=invitation, **form.account_data()
            )
        except invitations.UsernameTaken:
            form.add_error("username", _("This username was just taken. Choose another."))
        except invitations.InvitationError as error:
            return _unusable(request, error)
        else:
            login(request, user, backend="network.backends.ModelBackend")
            return _accepted(request, invitation)
    return render(
        request,
        "municipalities/invitations/invitation_accept.html",
        {"invitation": invitation, "form": form, "nav_section": ""},
    )


def _wrong_account(request, invitation):
    """The signed-in account does not have the invited address: nothing is granted; the page
    explains, and offers to sign out and come back to the link. 403 when they tried."""
    return render(
        request,
        "municipalities/invitations/invitation_wrong_account.html",
        {"invitation": invitation, "nav_section": ""},
        status=403 if request.method == "POST" else 200,
    )


def _send(request, issued: invitations.IssuedInvitation) -> None:
    invitation = issued.invitation
    accept_url = request.build_absolute_uri(
        reverse("municipalities:invitation_accept", args=[issued.token])
    )
    message = invitations.queue_invitation_email(invitation=invitation, accept_url=accept_url)
    counts = outbox.counts([message.pk]).get(message.pk, outbox.DeliveryCounts())
    days = invitations.INVITATION_VALIDITY.days
    if counts.failed:
        messages.warning(
            request,
            _(
                "The invitation to %(email)s is saved, but the e-mail could not be sent. "
                "Try «Send again» in a while."
            )
            % {"email": invitation.email},
        )
    elif counts.pending:
        messages.success(
            request,
            ngettext(
                "The invitation to %(email)s is saved and queued for sending. The link works "
                "for %(days)s day.",
                "The invitation to %(email)s is saved and queued for sending. The link works "
                "for %(days)s days.",
                days,
            )
            % {"email": invitation.email, "days": days},
        )
    else:
        messages.success(
            request,
            ngettext(
                "The invitation has been sent to %(email)s. The link works for %(days)s day.",
                "The invitation has been sent to %(email)s. The link works for %(days)s days.",
                days,
            )
            % {"email": invitation.email, "days": days},
        )


def _accepted(request, invitation):
    messages.success(request, _("Welcome! You have accepted the invitation."))
    return redirect("network:my_pages")


def _unusable(request, error: invitations.InvitationError):
    if isinstance(error, invitations.InvitationNotFound):
        reason, status = "unknown", 404
    elif isinstance(error, invitations.InvitationUsed):
        reason, status = "used", 410
    elif isinstance(error, invitations.InvitationNotGrantable):
        reason, status = "not_grantable", 403
    elif isinstance(error, invitations.FacilitatorTaken):
        reason, status = "facilitator_taken", 409
    else:
        reason, status = "expired", 410
    return render(
        request,
        "municipalities/invitations/invitation_unusable.html",
        {"reason": reason, "invitation": error.invitation, "nav_section": ""},
        status=status,
    )
