"""«Hva skal være gjort til neste samling?»: the facilitator's tasks per gathering, and the
local projects ticking them off on their project pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipalities.models import LocalProject

from .. import services
from ..forms import TaskForm
from ..models import PreparationTask
from ..selectors import task_matrix
from .common import gathering_or_404


@login_required
def tasks(request, pk):
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        task = services.add_task(gathering=gathering, **form.cleaned_data)
        messages.success(request, _("«%(title)s» is added.") % {"title": task.title})
        return redirect("gatherings:tasks", gathering.pk)
    return render(
        request,
        "gatherings/tasks.html",
        {
            "gathering": gathering,
            "title": _("Tasks before the gathering"),
            "form": form,
            "matrix": task_matrix(gathering),
        },
    )


@login_required
@require_POST
def task_delete(request, pk, task_pk):
    gathering = gathering_or_404(request, pk, "gatherings.change_gathering")
    task = get_object_or_404(PreparationTask, gathering=gathering, pk=task_pk)
    task.delete()
    messages.success(request, _("«%(title)s» is deleted.") % {"title": task.title})
    return redirect("gatherings:tasks", gathering.pk)


@login_required
@require_POST
def task_done(request, task_pk, slug):
    """Tick a task off (``done=1``) or back (``done=0``) for a local project: its leaders."""
    project = get_object_or_404(LocalProject, slug=slug)
    if not request.user.has_perm("gatherings.complete_task", project):
        raise PermissionDenied
    task = get_object_or_404(
        PreparationTask.objects.select_related("gathering"),
        pk=task_pk,
        gathering__network=project.network_id,
    )
    done = request.POST.get("done") == "1"
    services.set_task_done(task=task, project=project, done=done, user=request.user)
    messages.success(
        request,
        (_("«%(title)s» is marked done.") if done else _("«%(title)s» is marked not done."))
        % {"title": task.title},
    )
    return redirect(f"{project.get_absolute_url()}#oppgaver")
