from datetime import timedelta

from tests.matrix import LOGIN, Case, expect, page_and_form

CASES = [
    Case("municipalities:list", expect(200)),
    Case("municipalities:list", expect(200), query="?fylke=11", label="county"),
    Case("municipalities:detail", expect(200), kwargs={"number": "1870"}),
    Case("municipalities:detail", expect(404), kwargs={"number": "9999"}, label="unknown"),
    Case(
        "municipalities:detail", expect(200), kwargs=lambda: _with_history("1621"), label="former"
    ),
    Case("municipalities:project_detail", expect(200), kwargs={"slug": "karmoy-omdomme"}),
]


def _with_history(number):
    """The municipalities' history loaded (SSB 2012–2024), and a number that left use in 2018."""
    from municipalities.seed import municipality_history

    municipality_history.load()
    return {"number": number}


# --- Invitations ------------------------------------------------------------------------------


def _invitation_to_karmoy(**fields):
    """A pending participant invitation to Karmøy's local project, sent by an administrator
    (the sender must be allowed to grant the role), and its token."""
    from municipalities.invitations import create_invitation
    from municipalities.models import InvitationRole, LocalProject
    from network.models import User

    sender, _created = User.objects.get_or_create(
        username="matrix.admin",
        defaults={"email": "matrix.admin@example.org", "is_superuser": True, "is_staff": True},
    )
    return create_invitation(
        created_by=sender,
        email="matrix@example.org",
        role=InvitationRole.PARTICIPANT,
        local_project=LocalProject.objects.get(slug="karmoy-omdomme"),
        **fields,
    )


def _new_invitation_data():
    from municipalities.models import LocalProject

    return {
        "email": "ny@example.org",
        "role": "participant",
        "local_project": LocalProject.objects.get(slug="karmoy-omdomme").pk,
        "participant_role": "annen",
    }


#: Ministry staff read everything but grant nothing, so they send no invitations.
_INVITERS = {"participant": 403, "ministry": 403, "anonymous": LOGIN}
#: Who manages an invitation to Karmøy's local project; everyone else gets 404.
_KARMOY_MANAGERS = expect(
    302, participant=404, leader_strand=404, facilitator_other=404, ministry=404
)

CASES += [
    Case("municipalities:invitation_list", expect(200, **_INVITERS)),
    Case(
        "municipalities:invitation_list",
        expect(200, **_INVITERS),
        query="?status=pending",
        label="pending",
    ),
    Case("municipalities:invitation_create", expect(200, **_INVITERS)),
    Case(
        "municipalities:invitation_create",
        expect(302, **_INVITERS, leader_strand=403, facilitator_other=403),
        method="post",
        data=_new_invitation_data,
        label="to Karmøy",
    ),
    *(
        Case(
            name,
            _KARMOY_MANAGERS,
            kwargs=lambda: {"pk": _invitation_to_karmoy().invitation.pk},
            method="post",
            data={},
        )
        for name in ("municipalities:invitation_resend", "municipalities:invitation_withdraw")
    ),
    Case(
        "municipalities:invitation_accept",
        expect(200),
        kwargs=lambda: {"token": _invitation_to_karmoy().token},
    ),
    # The invitation is for matrix@example.org: every signed-in persona has another address,
    # is asked to sign out first (200), and is refused when accepting anyway (403).
    Case(
        "municipalities:invitation_accept",
        expect(403, anonymous=200),
        kwargs=lambda: {"token": _invitation_to_karmoy().token},
        method="post",
        data={},
        label="accept",
    ),
    Case("municipalities:invitation_accept", expect(404), kwargs={"token": "x"}, label="wrong"),
]


# --- Project page, participants, stories, documents ----------------------------------------
# Karmøy's page is edited by its project leader, the Omdømme facilitator and administrators;
# drafts (history, versions) are also read by ministry staff. Projects are public, so anyone
# else signed in gets 403, and an anonymous visitor is sent to the login page.


def _unknown(name, *, label):
    """``name`` for a slug that names nothing: 404 to everyone signed in."""
    return Case(name, expect(404, anonymous=LOGIN), kwargs={"slug": "finnes-ikke"}, label=label)


def _karmoy(**kwargs):
    return lambda: {"slug": "karmoy-omdomme", **kwargs}


def _with_versions(**extra):
    def kwargs():
        from tests.municipalities.factories import page_with_versions

        page_with_versions(count=2)
        return {"slug": "karmoy-omdomme", **extra}

    return kwargs


def _participant_pk():
    from tests.factories import ParticipantFactory
    from tests.municipalities.factories import karmoy

    return {"slug": "karmoy-omdomme", "pk": ParticipantFactory(local_project=karmoy()).pk}


def _story_pk(**options):
    def kwargs():
        from tests.municipalities.factories import story

        return {"slug": "karmoy-omdomme", "pk": story(**options).pk}

    return kwargs


def _attachment_pk(*, published_page: bool):
    def kwargs():
        from tests.municipalities.factories import attachment, karmoy, save_page

        save_page(karmoy(), background="Bakgrunn.", publish=published_page)
        return {"slug": "karmoy-omdomme", "pk": attachment().pk}

    return kwargs


def _page_data():
    return {
        "loaded_version": 1,
        "background": "Karmøy vil bli en attraktiv arbeidsgiver.",
        "summary": "",
        "action": "save",
    }


def _participant_data():
    return {
        "name": "Kari Nordmann",
        "function": "Rådgiver",
        "role": "hr",
        "email": "kari@karmoy.kommune.no",
        "phone": "52 00 00 00",
        "loaded_version": 1,
    }


def _story_data():
    return {
        "title": "Heltid på sjukeheimen",
        "date": "2012-09-01",
        "text": "Vi har fått flere hele stillinger.",
        "image_alt": "",
        "is_published": "on",
        "loaded_version": 1,
        "action": "save",
    }


def _import_data():
    from tests.municipalities.factories import upload

    csv = "Navn;Funksjon;Rolle;E-post;Telefon;Kommunenummer\r\nKari Nordmann;Rådgiver;HR;;;1149\r\n"
    return {"file": upload("deltakere.csv", ("\ufeff" + csv).encode())}


def _attachment_data():
    from tests.municipalities.factories import pdf_upload

    return {"file": pdf_upload(), "title": "Prosjektplan", "story": ""}


#: Editors of Karmøy's page answer ``ok``; everyone else signed in 403, anonymous LOGIN.
EDITORS = expect(403, anonymous=LOGIN, leader_karmoy=200, facilitator=200, admin_user=200)
EDITORS_SAVE = expect(403, anonymous=LOGIN, leader_karmoy=302, facilitator=302, admin_user=302)
DRAFT_READERS = expect(
    403, anonymous=LOGIN, leader_karmoy=200, facilitator=200, ministry=200, admin_user=200
)
#: A file that only the project's editors and those who read everything may see.
DRAFT_FILE = expect(404, leader_karmoy=200, facilitator=200, ministry=200, admin_user=200)


def _edited(name, kwargs, data=None):
    """A page of Karmøy's editors with its form: shown to them (GET), saved by them (POST)."""
    return page_and_form(name, EDITORS, EDITORS_SAVE, kwargs=kwargs, data=data)


CASES += [
    *_edited("municipalities:page_edit", _karmoy(), _page_data),
    _unknown("municipalities:page_edit", label="unknown project"),
    Case("municipalities:page_history", DRAFT_READERS, kwargs=_with_versions()),
    Case("municipalities:page_history", DRAFT_READERS, kwargs=_karmoy(), label="empty"),
    Case("municipalities:page_version", DRAFT_READERS, kwargs=_with_versions(number=1)),
    Case(
        "municipalities:page_version",
        expect(404, anonymous=LOGIN, participant=403, leader_strand=403, facilitator_other=403),
        kwargs=_with_versions(number=9),
        label="unknown version",
    ),
    Case(
        "municipalities:page_compare", DRAFT_READERS, kwargs=_with_versions(), query="?fra=1&til=2"
    ),
    Case(
        "municipalities:page_compare",
        DRAFT_READERS,
        kwargs=_with_versions(),
        query="?fra=1&til=7",
        label="invalid",
    ),
    Case(
        "municipalities:page_restore",
        EDITORS_SAVE,
        kwargs=_with_versions(number=1),
        method="post",
        data={},
    ),
    *_edited("municipalities:participant_create", _karmoy(), _participant_data),
    *_edited("municipalities:participant_update", _participant_pk, _participant_data),
    *_edited("municipalities:participant_delete", _participant_pk),
    Case("municipalities:participant_import", EDITORS, kwargs=_karmoy()),
    Case(
        "municipalities:participant_import",
        EDITORS,
        kwargs=_karmoy(),
        method="post",
        data=_import_data,
        label="preview",
    ),
    Case(
        "municipalities:participant_import_template",
        EDITORS,
        kwargs=_karmoy(fmt="xlsx"),
        label="xlsx",
    ),
    Case(
        "municipalities:participant_import_template",
        EDITORS,
        kwargs=_karmoy(fmt="csv"),
        label="csv",
    ),
    *_edited("municipalities:story_create", _karmoy(), _story_data),
    *_edited("municipalities:story_update", _story_pk(), _story_data),
    *_edited("municipalities:story_delete", _story_pk()),
    Case("municipalities:story_image", expect(200), kwargs=_story_pk(image=True)),
    Case(
        "municipalities:story_image",
        DRAFT_FILE,
        kwargs=_story_pk(image=True, published=False),
        label="draft",
    ),
    *_edited("municipalities:attachment_create", _karmoy(), _attachment_data),
    Case(
        "municipalities:attachment_download",
        expect(200),
        kwargs=_attachment_pk(published_page=True),
    ),
    Case(
        "municipalities:attachment_download",
        DRAFT_FILE,
        kwargs=_attachment_pk(published_page=False),
        label="unpublished page",
    ),
    *_edited("municipalities:attachment_delete", _attachment_pk(published_page=True)),
    Case("municipalities:network_stories", expect(200), kwargs={"slug": "omdomme"}),
    Case("municipalities:network_stories", expect(404), kwargs={"slug": "x"}, label="unknown"),
    Case("municipalities:stories", expect(200)),
]


# --- Personal data: the public listing and requests to be deleted ------------------------------


def _own_participation():
    """The participation of the participant persona (deltaker.karmoy)."""
    from municipalities.models import Participant

    return {"pk": Participant.objects.get(user__username="deltaker.karmoy").pk}


def _pending_deletion_request():
    """A participant of Karmøy's project (not a persona) has asked to be deleted."""
    from municipalities.models import LocalProject, Participant, ParticipantRole
    from network.models import DeletionRequest, User

    user, created = User.objects.get_or_create(
        username="sletting.karmoy", defaults={"first_name": "Siri", "last_name": "Sletting"}
    )
    if created:
        Participant.objects.create(
            local_project=LocalProject.objects.get(slug="karmoy-omdomme"),
            user=user,
            name="Siri Sletting",
            role=ParticipantRole.OTHER,
        )
    return DeletionRequest.objects.pending().filter(user=user).first() or (
        DeletionRequest.objects.create(user=user)
    )


CASES += [
    Case(
        "municipalities:participant_listing",
        expect(404, anonymous=LOGIN, participant=302),
        kwargs=_own_participation,
        method="post",
        data={"listed_publicly": "on"},
    ),
    Case(
        "municipalities:participant_listing",
        expect(405, anonymous=LOGIN),
        kwargs=_own_participation,
    ),
    Case(
        "municipalities:deletion_requests",
        expect(200, anonymous=LOGIN, participant=403, ministry=403),
    ),
    Case(
        "municipalities:deletion_requests",
        expect(200, anonymous=LOGIN, participant=403, ministry=403),
        kwargs=lambda: _pending_deletion_request() and {},
        label="a request waits",
    ),
    Case(
        "municipalities:deletion_confirm",
        expect(404, anonymous=LOGIN, leader_karmoy=302, facilitator=302, admin_user=302),
        kwargs=lambda: {"pk": _pending_deletion_request().pk},
        method="post",
    ),
]


# --- The final report -------------------------------------------------------------------------

#: The project's participants, its network's facilitator and those who read everything.
FINAL_REPORT_READERS = expect(
    403,
    anonymous=LOGIN,
    participant=200,
    leader_karmoy=200,
    facilitator=200,
    ministry=200,
    admin_user=200,
)
#: Those who follow the network: its facilitator and those who read everything.
NETWORK_FOLLOWERS = expect(403, anonymous=LOGIN, facilitator=200, ministry=200, admin_user=200)

CASES += [
    Case("municipalities:final_report", FINAL_REPORT_READERS, kwargs=_karmoy()),
    _unknown("municipalities:final_report", label="unknown project"),
    Case("municipalities:final_report_pdf", FINAL_REPORT_READERS, kwargs=_karmoy()),
    # The old address of a network's ZIP file leads to the page that asks for it.
    Case(
        "municipalities:network_final_reports",
        expect(403, anonymous=LOGIN, facilitator=302, ministry=302, admin_user=302),
        kwargs={"slug": "omdomme"},
    ),
    _unknown("municipalities:network_final_reports", label="unknown network"),
]


# --- Every final report of a network or a programme in one ZIP file ---------------------------

#: Those who read everything.
PROGRAMME_FOLLOWERS = expect(403, anonymous=LOGIN, ministry=200, admin_user=200)


def _archive(*, network: str | None = "omdomme", ready: bool = True, everyone: bool = False):
    """A ZIP file of Omdømme's reports (or, ``network=None``, of the programme's) asked for by
    the ministry persona, ready with a small file or being made (2 of 5 reports); with
    ``everyone``, one being made for every user, so that asking again makes nothing (the
    worker would otherwise render every report at once in the test). Its token, as kwargs."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from municipalities.models import ReportArchive
    from network.models import Network, Programme, User

    programme = Programme.objects.get(is_current=True)
    scope = Network.objects.get(slug=network) if network else None
    now = timezone.now()
    users = User.objects.all() if everyone else User.objects.filter(username="krd")
    archive = None
    for user in users:
        archive = ReportArchive.objects.create(
            requested_by=user,
            programme=programme,
            network=scope,
            language="nb",
            created_at=now,
            started_at=now,
            progressed_at=now,
            finished_at=now if ready else None,
            expires_at=now + timedelta(hours=24),
            total=5,
            done=5 if ready else 2,
        )
        if ready:
            archive.file.save("x.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
            archive.size = archive.file.size
            archive.save()
    return archive


def _ask_again(**scope):
    def kwargs():
        _archive(ready=False, everyone=True, **scope)
        return {"slug": scope.get("network", "omdomme") or _programme_slug()}

    return kwargs


def _programme_slug() -> str:
    from network.models import Programme

    return Programme.objects.get(is_current=True).slug


def _token(**options):
    return lambda: {"token": _archive(**options).token}


CASES += [
    Case("municipalities:network_report_archive", NETWORK_FOLLOWERS, kwargs={"slug": "omdomme"}),
    Case(
        "municipalities:network_report_archive",
        expect(403, anonymous=LOGIN, facilitator=302, ministry=302, admin_user=302),
        kwargs=_ask_again(),
        method="post",
        label="one is being made",
    ),
    Case(
        "municipalities:network_report_archive",
        NETWORK_FOLLOWERS,
        kwargs=lambda: (_archive(), {"slug": "omdomme"})[1],
        label="one was made",
    ),
    _unknown("municipalities:network_report_archive", label="unknown network"),
    # Only those who read everything ask for a whole programme's reports.
    Case(
        "municipalities:programme_report_archive",
        PROGRAMME_FOLLOWERS,
        kwargs=lambda: {"slug": _programme_slug()},
    ),
    Case(
        "municipalities:programme_report_archive",
        expect(403, anonymous=LOGIN, ministry=302, admin_user=302),
        kwargs=_ask_again(network=None),
        method="post",
        label="one is being made",
    ),
    _unknown("municipalities:programme_report_archive", label="unknown programme"),
    # A ZIP file is its asker's alone: everyone else is told there is none.
    Case("municipalities:report_archive", expect(404, anonymous=LOGIN, ministry=200), _token()),
    Case(
        "municipalities:report_archive",
        expect(404, anonymous=LOGIN, ministry=200),
        _token(ready=False),
        label="being made",
    ),
    Case(
        "municipalities:report_archive",
        expect(404, anonymous=LOGIN, ministry=200),
        _token(network=None),
        label="programme",
    ),
    Case(
        "municipalities:report_archive_download",
        expect(404, anonymous=LOGIN, ministry=200),
        _token(),
    ),
    Case(
        "municipalities:report_archive_download",
        expect(404, anonymous=LOGIN),
        _token(ready=False),
        label="being made",
    ),
]
