"""The reputation survey: runs, invitations, answers, results and exports."""

from django.urls import path

from .views import answering, results, runs

app_name = "surveys"

urlpatterns = [
    path("prosjekter/<slug:slug>/undersokelser/", runs.runs, name="runs"),
    path(
        "prosjekter/<slug:slug>/undersokelser/ny/",
        runs.run_create,
        name="run_create",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/",
        runs.run_detail,
        name="run",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/endre/",
        runs.run_update,
        name="run_update",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/invitasjoner/",
        runs.invite,
        name="invite",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/lukk/",
        runs.close,
        name="close",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/svar.csv",
        results.run_export_csv,
        name="run_export_csv",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/svar.xlsx",
        results.run_export_xlsx,
        name="run_export_xlsx",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/sammenligning/<slug:group>/",
        results.compare,
        name="compare",
    ),
    path("framgang/undersokelser/svar.csv", results.export_csv, name="export_csv"),
    path("framgang/undersokelser/svar.xlsx", results.export_xlsx, name="export_xlsx"),
    path("undersokelse/<slug:token>/", answering.answer, name="answer"),
    path("undersokelse/<slug:token>/takk/", answering.thanks, name="thanks"),
]
