"""What the views of local projects share."""

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Deletion:
    """Deleting one kind of thing of a local project: the question (``title``, ``message``,
    ``button``) and the message once it is done. Each text may name the thing (its ``str``) as
    ``%(name)s`` or ``%(title)s`` and its project as ``%(project)s``."""

    title: str
    message: str
    button: str
    done: str

    def confirm(
        self, request, thing, *, delete: Callable[[], object], after: str, cancel_url: str = ""
    ):
        """Deleting ``thing`` (it has a ``local_project``): a GET asks («Cancel» goes to
        ``cancel_url``, else to ``after``), a POST calls ``delete()`` and goes to ``after``
        with the message ``done``."""
        project = thing.local_project
        label = str(thing)
        names = {"name": label, "title": label, "project": project.name}
        if request.method == "POST":
            delete()
            messages.success(request, self.done % names)
            return redirect(after)
        return render(
            request,
            "municipalities/confirm_delete.html",
            {
                "project": project,
                "title": self.title % names,
                "message": self.message % names,
                "button": self.button,
                "cancel_url": cancel_url or after,
                "breadcrumbs": project_breadcrumbs(project, {"label": label}),
            },
        )
