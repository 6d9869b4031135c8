"""The reputation survey: runs, invitations, answers, results and exports."""

from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("prosjekter/<slug:slug>/undersokelser/", views.runs, name="runs"),
    path(
        "prosjekter/<slug:slug>/undersokelser/ny/",
        views.run_create,
        name="run_create",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/",
        views.run_detail,
        name="run",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/endre/",
        views.run_update,
        name="run_update",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/invitasjoner/",
        views.invite,
        name="invite",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/lukk/",
        views.close,
        name="close",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/svar.csv",
        views.run_export_csv,
        name="run_export_csv",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/<int:pk>/svar.xlsx",
        views.run_export_xlsx,
        name="run_export_xlsx",
    ),
    path(
        "prosjekter/<slug:slug>/undersokelser/sammenligning/<slug:group>/",
        views.compare,
        name="compare",
    ),
    path("framgang/undersokelser/svar.csv", views.export_csv, name="export_csv"),
    path("framgang/undersokelser/svar.xlsx", views.export_xlsx, name="export_xlsx"),
    path("undersokelse/<slug:token>/", views.answer, name="answer"),
    path("undersokelse/<slug:token>/takk/", views.thanks, name="thanks"),
]
