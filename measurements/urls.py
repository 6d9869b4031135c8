from django.urls import path

from . import views
from .surveys import views as survey_views

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
    # The reputation survey (measurements/surveys/)
    path("prosjekter/<slug:slug>/undersokelser/", survey_views.runs, name="survey_runs"),
    path(
        "prosjekter/<slug:slug>/undersokelser/ny/",
        survey_views.run_create,
        name="survey_run_create",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/",
        survey_views.run_detail,
        name="survey_run",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/endre/",
        survey_views.run_update,
        name="survey_run_update",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/invitasjoner/",
        survey_views.invite,
        name="survey_invite",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/lukk/",
        survey_views.close,
        name="survey_close",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/svar.csv",
        survey_views.run_export_csv,
        name="survey_run_export_csv",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/svar.xlsx",
        survey_views.run_export_xlsx,
        name="survey_run_export_xlsx",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/sammenligning/<slug:group>/",
        survey_views.compare,
        name="survey_compare",
    ),
    path("framgang/undersokelser/svar.csv", survey_views.export_csv, name="survey_export_csv"),
    path("framgang/undersokelser/svar.xlsx", survey_views.export_xlsx, name="survey_export_xlsx"),
    path("undersokelse/<slug:token>/", survey_views.answer, name="survey_answer"),
    path("undersokelse/<slug:token>/takk/", survey_views.thanks, name="survey_thanks"),
]
