from django.urls import path

from .views import editor, evaluation, materials, public, publishing, registration, tasks

app_name = "gatherings"

G = "samlinger/<int:pk>/"
EDIT = G + "rediger/"
ITEM = EDIT + "program/<int:item_pk>/"

urlpatterns = [
    # The programme for readers and its calendars.
    path("samlinger/", public.gathering_list, name="list"),
    path(G, public.gathering_detail, name="detail"),
    path(G + "kalender.ics", public.gathering_ical, name="ical"),
    path(G + "poster/<int:item_pk>/kalender.ics", public.item_ical, name="item_ical"),
    path("nettverk/<slug:slug>/kalender.ics", public.network_ical, name="network_ical"),
    # The facilitator's editor.
    path("nettverk/<slug:slug>/samlinger/ny/", editor.gathering_create, name="create"),
    path(EDIT, editor.gathering_edit, name="edit"),
    path(EDIT + "program/", editor.agenda, name="agenda"),
    path(EDIT + "program/ny/", editor.item_create, name="item_create"),
    path(ITEM, editor.item_edit, name="item_edit"),
    path(ITEM + "slett/", editor.item_delete, name="item_delete"),
    path(ITEM + "flytt/", editor.item_move, name="item_move"),
    path(ITEM + "materiell/", materials.item_materials, name="item_materials"),
    path(EDIT + "kopier/", editor.copy_programme, name="copy"),
    # Publishing and the outbox.
    path(EDIT + "publiser/", publishing.publish, name="publish"),
    path(EDIT + "send-endringer/", publishing.send_changes, name="send_changes"),
    path(EDIT + "avpubliser/", publishing.unpublish, name="unpublish"),
    path(G + "utsendinger/", publishing.outbox_view, name="outbox"),
    path(G + "utsendinger/<int:message_pk>/send-igjen/", publishing.resend, name="resend"),
    # Registration and the participant list.
    path(G + "pamelding/", registration.registration_overview, name="registration"),
    path(G + "pamelding/<int:participant_pk>/", registration.register, name="register"),
    path(G + "pamelding/<int:participant_pk>/avmeld/", registration.cancel, name="cancel"),
    path(G + "deltakere/", registration.participant_list, name="participants"),
    path(G + "deltakere.<str:fmt>", registration.participant_export, name="participants_export"),
    path("nettverk/<slug:slug>/oppmote/", registration.attendance, name="attendance"),
    # Evaluation.
    path(G + "evaluering/", evaluation.evaluate, name="evaluate"),
    path(G + "evaluering/resultater/", evaluation.results, name="evaluation_results"),
    path(
        G + "evaluering/resultater.<str:fmt>",
        evaluation.results_export,
        name="evaluation_export",
    ),
    # Materials and the resource library.
    path(G + "materiell/<int:material_pk>/", materials.material_download, name="material_download"),
    path(
        EDIT + "materiell/<int:material_pk>/slett/",
        materials.material_delete,
        name="material_delete",
    ),
    path(
        "program/<slug:slug>/ressurser/", materials.programme_resources, name="programme_resources"
    ),
    path(
        "program/<slug:slug>/ressurser/ny/",
        materials.programme_resource_create,
        name="programme_resource_create",
    ),
    path("nettverk/<slug:slug>/ressurser/", materials.network_resources, name="network_resources"),
    path(
        "nettverk/<slug:slug>/ressurser/ny/",
        materials.network_resource_create,
        name="network_resource_create",
    ),
    path("ressurser/<int:pk>/rediger/", materials.resource_edit, name="resource_edit"),
    path("ressurser/<int:pk>/slett/", materials.resource_delete, name="resource_delete"),
    path("ressurser/<int:pk>/fil/", materials.resource_download, name="resource_download"),
    # Before the next gathering.
    path(EDIT + "oppgaver/", tasks.tasks, name="tasks"),
    path(EDIT + "oppgaver/<int:task_pk>/slett/", tasks.task_delete, name="task_delete"),
    path(
        "samlinger/oppgaver/<int:task_pk>/prosjekt/<slug:slug>/",
        tasks.task_done,
        name="task_done",
    ),
]
