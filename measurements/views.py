from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


@login_required
def overview(request):
    if not request.user.has_perm("measurements.view_overview"):
        raise PermissionDenied
    return render(request, "measurements/overview.html")
