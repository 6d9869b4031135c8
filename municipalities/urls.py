from django.urls import path

from .views import (
    final_report,
    invitations,
    page_editor,
    participants,
    privacy,
    projects,
    stories,
)

app_name = "municipalities"

urlpatterns = [
    # Personal data: «Mine data» and requests to be deleted
    path(
        "mine-sider/mine-data/synlighet/<int:pk>/",
        privacy.participant_listing,
        name="participant_listing",
    ),
    path("mine-sider/sletting/", privacy.deletion_requests, name="deletion_requests"),
    path(
        "mine-sider/sletting/<int:pk>/bekreft/",
        privacy.deletion_confirm,
        name="deletion_confirm",
    ),
    path("kommuner/", projects.municipality_list, name="list"),
    path("kommuner/<str:number>/", projects.municipality_detail, name="detail"),
    path("prosjekter/<slug:slug>/", projects.project_detail, name="project_detail"),
    # The project page: editor, history, versions
    path("prosjekter/<slug:slug>/rediger/", page_editor.page_edit, name="page_edit"),
    path("prosjekter/<slug:slug>/historikk/", page_editor.page_history, name="page_history"),
    path(
        "prosjekter/<slug:slug>/historikk/sammenlign/",
        page_editor.page_compare,
        name="page_compare",
    ),
    path(
        "prosjekter/<slug:slug>/historikk/<int:number>/",
        page_editor.page_version,
        name="page_version",
    ),
    path(
        "prosjekter/<slug:slug>/historikk/<int:number>/gjenopprett/",
        page_editor.page_restore,
        name="page_restore",
    ),
    # Participants
    path(
        "prosjekter/<slug:slug>/deltakere/ny/",
        participants.participant_create,
        name="participant_create",
    ),
    path(
        "prosjekter/<slug:slug>/deltakere/<int:pk>/rediger/",
        participants.participant_update,
        name="participant_update",
    ),
    path(
        "prosjekter/<slug:slug>/deltakere/<int:pk>/fjern/",
        participants.participant_delete,
        name="participant_delete",
    ),
    path(
        "prosjekter/<slug:slug>/deltakere/importer/",
        participants.participant_import,
        name="participant_import",
    ),
    path(
        "prosjekter/<slug:slug>/deltakere/importmal.<str:fmt>",
        participants.participant_import_template,
        name="participant_import_template",
    ),
    # De gode historiene and documents
    path("prosjekter/<slug:slug>/historier/ny/", stories.story_create, name="story_create"),
    path(
        "prosjekter/<slug:slug>/historier/<int:pk>/rediger/",
        stories.story_update,
        name="story_update",
    ),
    path(
        "prosjekter/<slug:slug>/historier/<int:pk>/slett/",
        stories.story_delete,
        name="story_delete",
    ),
    path(
        "prosjekter/<slug:slug>/historier/<int:pk>/bilde/",
        stories.story_image,
        name="story_image",
    ),
    path(
        "prosjekter/<slug:slug>/vedlegg/ny/",
        stories.attachment_create,
        name="attachment_create",
    ),
    path(
        "prosjekter/<slug:slug>/vedlegg/<int:pk>/",
        stories.attachment_download,
        name="attachment_download",
    ),
    path(
        "prosjekter/<slug:slug>/vedlegg/<int:pk>/slett/",
        stories.attachment_delete,
        name="attachment_delete",
    ),
    path("nettverk/<slug:slug>/historier/", stories.network_stories, name="network_stories"),
    # The final report at the end of the programme
    path(
        "prosjekter/<slug:slug>/sluttrapport/",
        final_report.final_report_page,
        name="final_report",
    ),
    path(
        "prosjekter/<slug:slug>/sluttrapport.pdf",
        final_report.final_report_pdf,
        name="final_report_pdf",
    ),
    path(
        "nettverk/<slug:slug>/sluttrapporter.zip",
        final_report.network_final_reports,
        name="network_final_reports",
    ),
    # Every report of a network or a programme in one ZIP file, made in the background
    path(
        "nettverk/<slug:slug>/sluttrapporter/",
        final_report.network_report_archive,
        name="network_report_archive",
    ),
    path(
        "program/<slug:slug>/sluttrapporter/",
        final_report.programme_report_archive,
        name="programme_report_archive",
    ),
    path(
        "sluttrapporter/<uuid:token>/",
        final_report.report_archive,
        name="report_archive",
    ),
    path(
        "sluttrapporter/<uuid:token>/last-ned/",
        final_report.report_archive_download,
        name="report_archive_download",
    ),
    path("historier/", stories.stories, name="stories"),
    path("invitasjoner/", invitations.invitation_list, name="invitation_list"),
    path("invitasjoner/ny/", invitations.invitation_create, name="invitation_create"),
    path(
        "invitasjoner/<int:pk>/send-igjen/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitasjoner/<int:pk>/trekk-tilbake/",
        invitations.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitasjon/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
]
