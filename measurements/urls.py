from django.urls import path

from .views import exports, imports, municipality, overview, reporting, rounds

app_name = "measurements"

urlpatterns = [
    path("framgang/", overview.overview, name="overview"),
    path("framgang/eksport.csv", exports.export_csv, name="export_csv"),
    path("framgang/eksport.xlsx", exports.export_xlsx, name="export_xlsx"),
    path("framgang/eksport/<uuid:token>/", exports.export_status, name="export_status"),
    path("framgang/eksport/<uuid:token>/fil", exports.export_download, name="export_download"),
    path("framgang/rapportering/", overview.completeness, name="completeness"),
    path("framgang/rapportering/paminnelse/", overview.remind, name="remind"),
    path("framgang/malinger/", rounds.rounds, name="rounds"),
    path("framgang/malinger/ny/", rounds.round_create, name="round_create"),
    path("framgang/malinger/<int:pk>/endre/", rounds.round_update, name="round_update"),
    path("framgang/import/", imports.import_upload, name="import_upload"),
    path("framgang/import/mal.csv", imports.import_template, name="import_template"),
    path("framgang/import/<uuid:token>/", imports.import_preview, name="import_preview"),
    path(
        "kommuner/<str:number>/framgang/",
        municipality.municipality_progress,
        name="municipality_progress",
    ),
    path("prosjekter/<slug:slug>/framgang/", reporting.project_progress, name="project_progress"),
    path(
        "prosjekter/<slug:slug>/framgang/rapport/<slug:round_slug>/",
        reporting.report,
        name="report",
    ),
    path("prosjekter/<slug:slug>/framgang/mal/", reporting.goals, name="goals"),
    path(
        "prosjekter/<slug:slug>/framgang/indikatorer/ny/",
        reporting.indicator_create,
        name="indicator_create",
    ),
    path(
        "prosjekter/<slug:slug>/framgang/indikatorer/<int:pk>/endre/",
        reporting.indicator_update,
        name="indicator_update",
    ),
    path("prosjekter/<slug:slug>/framgang/publisering/", reporting.publish, name="publish"),
]
