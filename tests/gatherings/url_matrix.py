from django.core.files.base import ContentFile

from core.models import OutboxMessage
from gatherings.models import (
    Gathering,
    Material,
    PreparationTask,
    Registration,
    Resource,
)
from municipalities.models import LocalProject, Participant, ParticipantRole
from network.models import MailKind, Network
from tests.matrix import LOGIN, Case, expect, page_and_form

PDF = b"%PDF-1.4\n%%EOF\n"


def omdomme_first():
    return {"pk": Gathering.objects.get(network__slug="omdomme", kind="samling_1").pk}


def omdomme_second_draft():
    return {"pk": Gathering.objects.get(network__slug="omdomme", kind="samling_2").pk}


def _first():
    return Gathering.objects.get(**{"network__slug": "omdomme", "kind": "samling_1"})


def _rivenes():
    return _first().agenda_items.get(title_nb__startswith="Saman om ein betre kommune")


def first_item():
    return {"pk": _first().pk, "item_pk": _rivenes().pk}


def item_form():
    item = _rivenes()
    return {
        "loaded_version": item.version,
        "date": item.date.isoformat(),
        "start": "10:25",
        "end": "",
        "title": item.title,
        "kind": item.kind,
        "description": "",
    }


def new_item_form():
    return {**item_form(), "title": "Ny programpost", "loaded_version": 1}


def new_gathering_form():
    return {"loaded_version": 1, "kind": "temadag", "title": "Temadag"}


def _karmoy_politician():
    project = LocalProject.objects.get(slug="karmoy-omdomme")
    return Participant.objects.get_or_create(
        local_project=project,
        name="Ola Ordfører",
        defaults={"role": ParticipantRole.POLITICIAN, "municipality_id": "1149"},
    )[0]


def karmoy_politician():
    return {"pk": _first().pk, "participant_pk": _karmoy_politician().pk}


def registered_politician():
    participant = _karmoy_politician()
    Registration.objects.get_or_create(
        gathering=_first(),
        participant=participant,
        defaults={"days": ["2012-02-16"], "municipality_id": "1149"},
    )
    return {"pk": _first().pk, "participant_pk": participant.pk}


def registration_form():
    return {"days": ["2012-02-16", "2012-02-17"], "dinner_days": ["2012-02-16"]}


def registered_users():
    """The first gathering, with every persona that is a plain participant registered."""
    gathering = _first()
    for participant in Participant.objects.filter(user__isnull=False, is_project_leader=False):
        Registration.objects.get_or_create(
            gathering=gathering, participant=participant, defaults={"days": ["2012-02-16"]}
        )
    return {"pk": gathering.pk}


def outgoing_message():
    message = OutboxMessage.objects.create(
        about=_first(), kind=MailKind.CHANGED, subject="Endring", body="Tekst"
    )
    return {"pk": message.about_id, "message_pk": message.pk}


def task():
    created = PreparationTask.objects.create(gathering=_first(), title="Presentasjon i plenum")
    return {"pk": created.gathering_id, "task_pk": created.pk}


def task_for_karmoy():
    created = PreparationTask.objects.create(gathering=_first(), title="Presentasjon i plenum")
    return {"task_pk": created.pk, "slug": "karmoy-omdomme"}


def material():
    created = Material.objects.create(
        agenda_item=_rivenes(),
        title="Lysark",
        file=ContentFile(PDF, name="lysark.pdf"),
        original_name="lysark.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    return {"pk": _first().pk, "material_pk": created.pk}


def resource(**extra):
    network = Network.objects.get(slug="omdomme")
    fields = {"url": "https://www.ks.no/"} | extra
    created = Resource.objects.create(
        programme=network.programme, network=network, kind="report", title="Rapport", **fields
    )
    return {"pk": created.pk}


def resource_with_file():
    return resource(url="", file=ContentFile(PDF, name="rapport.pdf"), original_name="rapport.pdf")


def programme_slug():
    return {"slug": Network.objects.get(slug="omdomme").programme.slug}


# A draft is visible to programme staff, administrators and the network's facilitator only.
DRAFT = expect(404, facilitator=200, ministry=200, admin_user=200)
# The editor of a published gathering: its facilitator and administrators.
EDITOR = expect(403, anonymous=LOGIN, facilitator=200, admin_user=200)
EDITOR_POST = expect(403, anonymous=LOGIN, facilitator=302, admin_user=302)
# The editor of a draft: outsiders do not learn that it exists.
DRAFT_EDITOR = expect(404, anonymous=LOGIN, facilitator=200, ministry=403, admin_user=200)
# Read-only follow-up pages: the facilitator and programme staff.
FOLLOW_UP = expect(403, anonymous=LOGIN, facilitator=200, ministry=200, admin_user=200)
# Whom a user may register: themselves, their project's participants, the whole network.
REGISTRATION = expect(
    403, anonymous=LOGIN, participant=200, leader_karmoy=200, leader_strand=200, facilitator=200
)
KARMOY_PARTICIPANT = expect(404, anonymous=LOGIN, leader_karmoy=200, facilitator=200)


def published_and_draft(name, published, draft):
    """``name`` for the published first gathering and for the second, a draft."""
    return [
        Case(name, published, kwargs=omdomme_first),
        Case(name, draft, kwargs=omdomme_second_draft, label="draft"),
    ]


def editor(name, kwargs, data=None):
    """A page of the gathering's editor with its form: shown to them, sent by them."""
    return page_and_form(name, EDITOR, EDITOR_POST, kwargs=kwargs, data=data)


CASES = [
    # The programme for readers and its calendars.
    Case("gatherings:list", expect(200)),
    *published_and_draft("gatherings:detail", expect(200), DRAFT),
    *published_and_draft("gatherings:ical", expect(200), DRAFT),
    Case("gatherings:item_ical", expect(200), kwargs=first_item),
    Case("gatherings:network_ical", expect(200), kwargs={"slug": "omdomme"}),
    Case("gatherings:material_download", expect(200), kwargs=material),
    # The editor.
    *editor("gatherings:create", {"slug": "omdomme"}, new_gathering_form),
    *published_and_draft("gatherings:edit", EDITOR, DRAFT_EDITOR),
    *published_and_draft("gatherings:agenda", EDITOR, DRAFT_EDITOR),
    *editor("gatherings:item_create", omdomme_first, new_item_form),
    *editor("gatherings:item_edit", first_item, item_form),
    *editor("gatherings:item_delete", first_item),
    Case(
        "gatherings:item_move",
        EDITOR_POST,
        kwargs=first_item,
        method="post",
        data={"direction": "up"},
    ),
    Case("gatherings:item_materials", EDITOR, kwargs=first_item),
    Case("gatherings:material_delete", EDITOR_POST, kwargs=material, method="post", data={}),
    Case("gatherings:copy", EDITOR, kwargs=omdomme_first),
    # Publishing and the outbox.
    *page_and_form(
        "gatherings:publish",
        DRAFT_EDITOR,
        expect(404, anonymous=LOGIN, facilitator=302, ministry=403, admin_user=302),
        kwargs=omdomme_second_draft,
    ),
    # Without changes, the page sends the facilitator back to the editor.
    *page_and_form("gatherings:send_changes", EDITOR_POST, EDITOR_POST, kwargs=omdomme_first),
    *editor("gatherings:unpublish", omdomme_first),
    Case("gatherings:outbox", FOLLOW_UP, kwargs=omdomme_first),
    Case("gatherings:resend", EDITOR_POST, kwargs=outgoing_message, method="post", data={}),
    # Registration and the participant list.
    Case("gatherings:registration", REGISTRATION, kwargs=omdomme_first),
    # The 1. samling is over: the leader's registration is refused on the form (200), the
    # facilitator records who came (302).
    *page_and_form(
        "gatherings:register",
        KARMOY_PARTICIPANT,
        expect(404, anonymous=LOGIN, leader_karmoy=200, facilitator=302),
        kwargs=karmoy_politician,
        data=registration_form,
    ),
    *page_and_form(
        "gatherings:cancel",
        KARMOY_PARTICIPANT,
        expect(404, anonymous=LOGIN, leader_karmoy=302, facilitator=302),
        kwargs=registered_politician,
    ),
    Case("gatherings:participants", FOLLOW_UP, kwargs=omdomme_first),
    *(
        Case(
            "gatherings:participants_export",
            FOLLOW_UP,
            kwargs=lambda fmt=fmt: {**omdomme_first(), "fmt": fmt},
            label=fmt,
        )
        for fmt in ("csv", "xlsx")
    ),
    Case("gatherings:attendance", FOLLOW_UP, kwargs={"slug": "omdomme"}),
    # Evaluation: the registered participant answers; the results are for follow-up.
    Case(
        "gatherings:evaluate",
        expect(403, anonymous=LOGIN, participant=200),
        kwargs=registered_users,
    ),
    # The results are for the network's facilitator and programme staff.
    Case("gatherings:evaluation_results", FOLLOW_UP, kwargs=omdomme_first),
    # Fewer than three answers: the export sends back to the results page.
    Case(
        "gatherings:evaluation_export",
        expect(403, anonymous=LOGIN, facilitator=302, ministry=302, admin_user=302),
        kwargs=lambda: {**omdomme_first(), "fmt": "csv"},
    ),
    # The library «Litteratur, verktøy og rapporter»: every facilitator adds to the programme's.
    Case("gatherings:programme_resources", expect(200), kwargs=programme_slug),
    Case(
        "gatherings:programme_resource_create",
        {**FOLLOW_UP, "facilitator_other": 200},
        kwargs=programme_slug,
    ),
    Case("gatherings:network_resources", expect(200), kwargs={"slug": "omdomme"}),
    Case("gatherings:network_resource_create", EDITOR, kwargs={"slug": "omdomme"}),
    Case("gatherings:resource_edit", EDITOR, kwargs=resource),
    *editor("gatherings:resource_delete", resource),
    Case("gatherings:resource_download", expect(200), kwargs=resource_with_file),
    # Before the next gathering.
    *editor("gatherings:tasks", omdomme_first, {"title": "Presentasjon i plenum"}),
    Case("gatherings:task_delete", EDITOR_POST, kwargs=task, method="post", data={}),
    Case(
        "gatherings:task_done",
        expect(403, anonymous=LOGIN, leader_karmoy=302, admin_user=302),
        kwargs=task_for_karmoy,
        method="post",
        data={"done": "1"},
    ),
]
