from django.urls import path

from . import participant_views, privacy_views, story_views, views
from .invitations import views as invitation_views

app_name = "municipalities"

urlpatterns = [
    # Personal data: «Mine data» and requests to be deleted
    path(
        "mine-sider/mine-data/synlighet/<int:pk>/",
        privacy_views.participant_listing,
        name="participant_listing",
    ),
    path("mine-sider/sletting/", privacy_views.deletion_requests, name="deletion_requests"),
    path(
        "mine-sider/sletting/<int:pk>/bekreft/",
        privacy_views.deletion_confirm,
        name="deletion_confirm",
    ),
    path("kommuner/", views.municipality_list, name="list"),
    path("kommuner/<str:number>/", views.municipality_detail, name="detail"),
    path("prosjekter/<slug:slug>/", views.project_detail, name="project_detail"),
    # The project page: editor, history, versions
    path("prosjekter/<slug:slug>/rediger/", views.page_edit, name="page_edit"),
    path("prosjekter/<slug:slug>/historikk/", views.page_history, name="page_history"),
    path("prosjekter/<slug:slug>/historikk/sammenlign/", views.page_compare, name="page_compare"),
    path("prosjekter/<slug:slug>/historikk/<int:number>/", views.page_version, name="page_version"),
    path(
        "prosjekter/<slug:slug>/historikk/<int:number>/gjenopprett/",
        views.page_restore,
        name="page_restore",
    ),
    # Participants
    path(
        "prosjekter/<slug:slug>/deltakere/ny/",
        participant_views.participant_create,
        name="participant_create",
    ),
    path(
        "prosjekter/<slug:slug>/deltakere/<int:pk>/rediger/",
        participant_views.participant_update,
        name="participant_update",
    ),
    path(
        "prosjekter/<slug:slug>/deltakere/<int:pk>/fjern/",
        participant_views.participant_delete,
        name="participant_delete",
    ),
    path(
        "prosjekter/<slug:slug>/deltakere/importer/",
        participant_views.participant_import,
        name="participant_import",
    ),
    path(
        "prosjekter/<slug:slug>/deltakere/importmal.<str:fmt>",
        participant_views.participant_import_template,
        name="participant_import_template",
    ),
    # De gode historiene and documents
    path("prosjekter/<slug:slug>/historier/ny/", story_views.story_create, name="story_create"),
    path(
        "prosjekter/<slug:slug>/historier/<int:pk>/rediger/",
        story_views.story_update,
        name="story_update",
    ),
    path(
        "prosjekter/<slug:slug>/historier/<int:pk>/slett/",
        story_views.story_delete,
        name="story_delete",
    ),
    path(
        "prosjekter/<slug:slug>/historier/<int:pk>/bilde/",
        story_views.story_image,
        name="story_image",
    ),
    path(
        "prosjekter/<slug:slug>/vedlegg/ny/",
        story_views.attachment_create,
        name="attachment_create",
    ),
    path(
        "prosjekter/<slug:slug>/vedlegg/<int:pk>/",
        story_views.attachment_download,
        name="attachment_download",
    ),
    path(
        "prosjekter/<slug:slug>/vedlegg/<int:pk>/slett/",
        story_views.attachment_delete,
        name="attachment_delete",
    ),
    path("nettverk/<slug:slug>/historier/", story_views.network_stories, name="network_stories"),
    path("historier/", story_views.stories, name="stories"),
    path("invitasjoner/", invitation_views.invitation_list, name="invitation_list"),
    path("invitasjoner/ny/", invitation_views.invitation_create, name="invitation_create"),
    path(
        "invitasjoner/<int:pk>/send-igjen/",
        invitation_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitasjoner/<int:pk>/trekk-tilbake/",
        invitation_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitasjon/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
]
