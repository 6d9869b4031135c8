"""Invitation pages: the list, a new invitation, send again, withdraw, and the link itself."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import outbox
from network.models import User

from ..rules import invitations_managed_by
from . import selectors, services
from .forms import AcceptInvitationForm, InvitationForm

PAGE_SIZE = 50


@login_required
def invitation_list(request):
    if not request.user.has_perm("municipalities.send_invitations"):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in selectors.STATUSES:
        status = ""
    invitations = selectors.invitation_list(user=request.user, status=status)
    page_obj = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "municipalities/invitations/invitation_list.html",
        {
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
            issued = services.create_invitation(created_by=request.user, **form.invitation_data())
            _send(request, issued)
            return redirect("municipalities:invitation_list")
    return render(
        request,
        "municipalities/invitations/invitation_form.html",
        {"form": form, "nav_section": "my_pages"},
    )


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = _managed_invitation(request, pk)
    try:
        issued = services.renew_invitation(invitation=invitation, renewed_by=request.user)
    except services.InvitationUsed:
        messages.error(request, _("The invitation has been accepted and cannot be sent again."))
    else:
        _send(request, issued)
    return redirect("municipalities:invitation_list")


@login_required
@require_POST
def invitation_withdraw(request, pk):
    invitation = _managed_invitation(request, pk)
    try:
        services.withdraw_invitation(invitation=invitation, withdrawn_by=request.user)
    except services.InvitationUsed:
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
        invitation = services.find_invitation(token=token)
        signed_in = request.user if request.user.is_authenticated else None
        services.check_acceptable(invitation=invitation, user=signed_in)
    except services.InvitationWrongAccount:
        return _wrong_account(request, invitation)
    except services.InvitationError as error:
        return _unusable(request, error)

    if signed_in is not None:
        if request.method == "POST":
            try:
                services.accept_invitation(invitation=invitation, user=request.user)
            except services.InvitationWrongAccount:
                return _wrong_account(request, invitation)
            except services.InvitationError as error:
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
            user = services.accept_invitation_with_new_account(
                invitation=invitation, **form.account_data()
            )
        except services.UsernameTaken:
            form.add_error("username", _("This username was just taken. Choose another."))
        except services.InvitationError as error:
            return _unusable(request, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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


def _managed_invitation(request, pk):
    """An invitation the user manages; others are 404 (see ``rules.invitations_managed_by``)."""
    invitation = get_object_or_404(
        invitations_managed_by(request.user).select_related("local_project", "network"), pk=pk
    )
    if not request.user.has_perm("municipalities.manage_invitation", invitation):
        raise PermissionDenied
    return invitation


def _send(request, issued: services.IssuedInvitation) -> None:
    invitation = issued.invitation
    accept_url = request.build_absolute_uri(
        reverse("municipalities:invitation_accept", args=[issued.token])
    )
    message = services.queue_invitation_email(invitation=invitation, accept_url=accept_url)
    counts = outbox.counts([message.pk]).get(message.pk, outbox.DeliveryCounts())
    days = services.INVITATION_VALIDITY.days
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


def _unusable(request, error: services.InvitationError):
    if isinstance(error, services.InvitationNotFound):
        reason, status = "unknown", 404
    elif isinstance(error, services.InvitationUsed):
        reason, status = "used", 410
    elif isinstance(error, services.InvitationNotGrantable):
        reason, status = "not_grantable", 403
    elif isinstance(error, services.FacilitatorTaken):
        reason, status = "facilitator_taken", 409
    else:
        reason, status = "expired", 410
    return render(
        request,
        "municipalities/invitations/invitation_unusable.html",
        {"reason": reason, "invitation": error.invitation, "nav_section": ""},
        status=status,
    )
