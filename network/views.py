import math
from itertools import groupby

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import queue

from .forms import OwnPasswordChangeForm, SignInForm, ThrottledPasswordResetForm
from .models import Network, Programme
from .page_blocks import home_blocks, my_pages_blocks, network_blocks
from .selectors import current_programme, note_programme, programme_networks


def home(request):
    programme = current_programme(request)
    if programme is None:
        return render(request, "network/empty.html")
    return _programme_page(request, programme)


def programme_detail(request, slug):
    return _programme_page(request, get_object_or_404(Programme, slug=slug))


def _programme_page(request, programme):
    networks = programme_networks(programme)
    themes = [
        (theme, list(items))
        for theme, items in groupby(
            sorted(networks, key=lambda n: (n.theme.position, n.theme.name, n.name)),
            key=lambda n: n.theme,
        )
    ]
    return render(
        request,
        "network/home.html",
        {
            "programme": programme,
            "themes": themes,
            "network_count": len(networks),
            "blocks": home_blocks.render(programme=programme, networks=networks, request=request),
        },
    )


def network_detail(request, slug):
    network = get_object_or_404(
        Network.objects.select_related(
            "programme", "theme", "facilitator", "facilitator__organisation"
        ),
        slug=slug,
    )
    note_programme(request, network.programme)
    return render(
        request,
        "network/network_detail.html",
        {"network": network, "blocks": network_blocks.render(network=network, request=request)},
    )


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
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("network:my_pages")
    success_message = _("Your password has been changed.")
    extra_context = {"nav_section": "my_pages"}


def accessibility(request):
    return render(request, "network/accessibility.html")


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers and the task queue moves; 503 when the database does
    not answer, or when the oldest waiting task has waited longer than
    ``HEALTHZ_MAX_QUEUE_AGE`` seconds (no worker runs, or too few)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        age = queue.oldest_waiting_age()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    if age > settings.HEALTHZ_MAX_QUEUE_AGE:
        return HttpResponse(
            f"task queue stalled: the oldest waiting task has waited {age:.0f} s\n",
            status=503,
            content_type="text/plain",
        )
    return HttpResponse("ok\n", content_type="text/plain")
