"""What the views of local projects share."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse


def project_breadcrumbs(project, *trail) -> list[dict]:
    return [
        {"label": project.network.programme.name, "url": reverse("network:home")},
        {"label": project.network.name, "url": project.network.get_absolute_url()},
        {"label": project.name, "url": project.get_absolute_url()},
        *trail,
    ]


def confirm_delete(
    request,
    project,
    *,
    delete: Callable[[], object],
    done: str,
    after: str,
    label: str,
    title: str,
    message: str,
    button: str,
    cancel_url: str = "",
):
    """Deleting ``label`` (a thing of ``project``): a GET asks (``title``, ``message``,
    ``button``; «Cancel» goes to ``cancel_url``, else to ``after``), a POST calls ``delete()``
    and goes to ``after`` with the message ``done``."""
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return redirect(after)
    return render(
        request,
        "municipalities/confirm_delete.html",
        {
            "project": project,
            "title": title,
            "message": message,
            "button": button,
            "cancel_url": cancel_url or after,
            "breadcrumbs": project_breadcrumbs(project, {"label": label}),
        },
    )
