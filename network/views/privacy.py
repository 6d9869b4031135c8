"""«Mine data» (what the portal holds about the signed-in person, as a page and as JSON, and
their request to be deleted) and the privacy statement."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.personal_data import as_json

from .. import services
from ..models import DeletionRequest

NO_STORE = "no-store, private"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = NO_STORE
    return response


@login_required
def my_data(request):
    return _no_store(
        render(
            request,
            "network/my_data.html",
            {
                "title": _("My data"),
                "parts": services.personal_data_of(request.user),
                "deletion_request": DeletionRequest.objects.pending()
                .filter(user=request.user)
                .first(),
            },
        )
    )


@login_required
def my_data_download(request):
    data = {
        "generated_at": timezone.now().isoformat(),
        **as_json(services.personal_data_of(request.user)),
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mine-data.json"'
    return _no_store(response)


@login_required
@require_http_methods(["GET", "POST"])
def my_data_delete(request):
    pending = DeletionRequest.objects.pending().filter(user=request.user).first()
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            services.withdraw_deletion_request(user=request.user)
            messages.success(request, _("Your request to be deleted is withdrawn."))
        else:
            services.request_deletion(user=request.user)
            messages.success(
                request,
                _(
                    "Your request to be deleted is recorded. Your project leader, your "
                    "facilitator or an administrator confirms it."
                ),
            )
        return redirect("network:my_data")
    return _no_store(
        render(
            request,
            "network/my_data_delete.html",
            {"title": _("Ask to be deleted"), "deletion_request": pending},
        )
    )


PRIVACY_LANGUAGES = ("nb", "nn", "en")


def privacy(request):
    language = get_language() if get_language() in PRIVACY_LANGUAGES else "nb"
    return render(
        request,
        f"network/privacy/{language}.html",
        {
            "health_days": settings.HEALTH_DATA_RETENTION_DAYS,
            "invitation_days": settings.EXPIRED_INVITATION_RETENTION_DAYS,
            "log_days": settings.SIGN_IN_LOG_RETENTION_DAYS,
        },
    )
