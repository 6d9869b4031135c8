"""What the views of local projects share."""

from django.urls import reverse


def project_breadcrumbs(project, *trail) -> list[dict]:
    return [
        {"label": project.network.programme.name, "url": reverse("network:home")},
        {"label": project.network.name, "url": project.network.get_absolute_url()},
        {"label": project.name, "url": project.get_absolute_url()},
        *trail,
    ]
