from django.urls import path

from . import views

app_name = "measurements"

urlpatterns = [
    path("framgang/", views.overview, name="overview"),
    path("framgang/eksport.csv", views.export_csv, name="export_csv"),
    path("framgang/eksport.xlsx", views.export_xlsx, name="export_xlsx"),
    path("framgang/rapportering/", views.completeness, name="completeness"),
    path("framgang/rapportering/paminnelse/", views.remind, name="remind"),
    path("framgang/malinger/", views.rounds, name="rounds"),
    path("framgang/malinger/ny/", views.round_create, name="round_create"),
    path("framgang/malinger/<int:pk>/endre/", views.round_update, name="round_update"),
    path("framgang/import/", views.import_upload, name="import_upload"),
    path("framgang/import/mal.csv", views.import_template, name="import_template"),
    path("framgang/import/<uuid:token>/", views.import_preview, name="import_preview"),
    path("prosjekter/<slug:slug>/framgang/", views.project_progress, name="project_progress"),
    path(
        "prosjekter/<slug:slug>/framgang/rapport/<slug:round_slug>/",
        views.report,
        name="report",
    ),
    path("prosjekter/<slug:slug>/framgang/mal/", views.goals, name="goals"),
    path(
        "prosjekter/<slug:slug>/framgang/indikatorer/ny/",
        views.indicator_create,
        name="indicator_create",
    ),
    path(
        "prosjekter/<slug:slug>/framgang/indikatorer/<int:pk>/endre/",
        views.indicator_update,
        name="indicator_update",
    ),
    path("prosjekter/<slug:slug>/framgang/publisering/", views.publish, name="publish"),
]
