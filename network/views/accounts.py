"""Accounts: «Mine sider», signing in and out, the lock-out page, and passwords."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ..forms import OwnPasswordChangeForm, SignInForm, ThrottledPasswordResetForm
from ..page_blocks import my_pages_blocks


@login_required
def my_pages(request):
    return render(
        request, "network/my_pages.html", {"blocks": my_pages_blocks.render(request=request)}
    )


# --- Signing in and out ---------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Sign-in; django-axes counts the failures (see ``lockout``). Django rotates the session
    key when the user signs in."""

    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"nav_section": ""}
    #: Signing in changes no page anyone else sees: it leaves the page cache as it is.
    changes_public_pages = False


class LogoutView(auth_views.LogoutView):
    """Sign-out by POST ends the session on the server; GET asks to confirm instead of 405."""

    http_method_names = ["get", "post", "options"]
    template_name = "registration/logout_confirm.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"nav_section": ""})

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, _("You are signed out."))
        return response


def lockout(request, original_response=None, credentials=None):
    """What django-axes answers while a username is locked from this address, or the address
    itself after failures across many usernames (HTTP 429)."""
    cool_off = get_cool_off(request)
    return render(
        request,
        "registration/lockout.html",
        {
            "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "address_locked": getattr(request, "axes_address_locked_out", False),
            "nav_section": "",
        },
        status=429,
    )


# --- Passwords ------------------------------------------------------------------------------

# The header marks no section of the main menu as current on these pages.
_no_section = {"nav_section": ""}
_reset_days = {"password_reset_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))}
_reset_email_context = {"portal_name": settings.PORTAL_NAME, **_reset_days}

password_reset = auth_views.PasswordResetView.as_view(
    form_class=ThrottledPasswordResetForm,
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    extra_email_context=_reset_email_context,
    extra_context=_no_section,
    success_url=reverse_lazy("network:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html",
    extra_context={**_no_section, **_reset_days},
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html",
    extra_context=_no_section,
    success_url=reverse_lazy("network:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html", extra_context=_no_section
)


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Change one's own password; the user stays signed in here, other sessions end."""

    template_name = "registration/password_change_form.html"
    title = _("Change password")
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("network:my_pages")
    success_message = _("Your password has been changed.")
    extra_context = {"nav_section": "my_pages"}
