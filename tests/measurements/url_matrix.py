from measurements.models import ImportBatch, Indicator, MeasurementRound, ProgressPage, Unit
from municipalities.models import LocalProject
from tests.factories import UserFactory
from tests.matrix import LOGIN, Case, expect, page_and_form

#: Ministry staff, administrators and facilitators follow the projects (facilitators: their
#: networks' projects).
FOLLOWERS = expect(
    403, anonymous=LOGIN, facilitator=200, facilitator_other=200, ministry=200, admin_user=200
)
#: Ministry staff and administrators change the rounds.
ROUND_MANAGERS = expect(403, anonymous=LOGIN, ministry=200, admin_user=200)
#: Karmøy's results are not published: outsiders do not find its progress pages (404); of
#: those who do, only its leader and administrators report, set goals and add indicators.
KARMOY_LEADER = expect(
    403,
    anonymous=LOGIN,
    leader_karmoy=200,
    admin_user=200,
    leader_strand=404,
    facilitator_other=404,
)
#: What Karmøy's leader and administrators send there (a form that is saved).
KARMOY_LEADER_SAVE = {**KARMOY_LEADER, "leader_karmoy": 302, "admin_user": 302}
#: Those who follow the projects, asking for a programme round that does not exist.
FOLLOWERS_UNKNOWN_PROGRAMME = expect(
    403, anonymous=LOGIN, facilitator=404, facilitator_other=404, ministry=404, admin_user=404
)
#: The 2012 programme asked for by slug (``?program=``), as the programme selector sends it.
PROGRAMME_2012 = "?program=saman-om-ein-betre-kommune"
IMPORTERS = expect(
    403, anonymous=LOGIN, leader_karmoy=200, leader_strand=200, ministry=200, admin_user=200
)
#: An import is its uploader's (the ministry persona's) alone: other importers do not find it.
OWN_IMPORT = {**IMPORTERS, "leader_karmoy": 404, "leader_strand": 404, "admin_user": 404}


def this_and_2012(name, expected, *, query="", label=""):
    """``name`` (with ``query``, its parameters without the ``?``) for the current programme and
    again for the 2012 programme asked for by slug."""
    return [
        Case(name, expected, query=f"?{query}" if query else "", label=label),
        Case(
            name,
            expected,
            query=f"{PROGRAMME_2012}&{query}" if query else PROGRAMME_2012,
            label=f"programme-{label}" if label else "programme",
        ),
    ]


def unknown_programme(name):
    """``name`` for a programme slug that names none."""
    return Case(
        name, FOLLOWERS_UNKNOWN_PROGRAMME, query="?program=finst-ikkje", label="unknown-programme"
    )


def karmoy():
    return {"slug": "karmoy-omdomme"}


def karmoy_baseline():
    return {"slug": "karmoy-omdomme", "round_slug": "nullpunkt"}


def published_strand():
    project = LocalProject.objects.get(slug="strand-omdomme")
    ProgressPage.objects.create(local_project=project, published_at="2013-06-01T12:00:00Z")
    return {"slug": project.slug}


def karmoy_own_indicator():
    project = LocalProject.objects.get(slug="karmoy-omdomme")
    own = Indicator.objects.create(
        local_project=project, name="Søkere til lærlingplasser", unit=Unit.COUNT, direction="higher"
    )
    return {"slug": project.slug, "pk": own.pk}


def nullpunkt():
    return {"pk": MeasurementRound.objects.get(slug="nullpunkt").pk}


def ministry_import():
    """An import uploaded by the ministry persona («krd»): only its uploader sees it."""
    owner = UserFactory(username="krd")
    return {"token": ImportBatch.objects.create(uploaded_by=owner, filename="verdier.csv").token}


#: Ministry and KS staff and administrators have a large export written in the background.
EXPORTERS_IN_BACKGROUND = expect(403, anonymous=LOGIN, ministry=302, admin_user=302)
#: An export asked for by the ministry persona: only the one who asked finds it.
OWN_EXPORT = expect(403, anonymous=LOGIN, ministry=200, admin_user=404)


def ministry_export(*, ready: bool = False):
    """An export asked for by the ministry persona («krd»); ``ready``: with its file."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from measurements.models import OverviewExport
    from network.models import Programme

    export = OverviewExport.objects.create(
        requested_by=UserFactory(username="krd"),
        programme=Programme.objects.current(),
        format="csv",
        filename="framgang.csv",
        total=1,
        expires_at=timezone.now() + timedelta(hours=24),
    )
    if ready:
        export.file.save("framgang.csv", ContentFile(b"\xef\xbb\xbfnettverk\r\n"), save=False)
        export.finished_at = timezone.now()
        export.save()
    return {"token": export.token}


def remind_karmoy():
    return {
        "maling": "nullpunkt",
        "prosjekt": [LocalProject.objects.get(slug="karmoy-omdomme").pk],
    }


NEW_ROUND = {
    "name": "Midtveismåling",
    "kind": "other",
    "opens_on": "2012-09-01",
    "closes_on": "2012-10-31",
    "position": "3",
}

CASES = [
    *this_and_2012("measurements:overview", FOLLOWERS),
    *this_and_2012(
        "measurements:overview", FOLLOWERS, query="tema=omdomme&fylke=11", label="filtered"
    ),
    unknown_programme("measurements:overview"),
    *(
        case
        for name in ("measurements:export_csv", "measurements:export_xlsx")
        for case in [
            *this_and_2012(name, FOLLOWERS),
            Case(name, EXPORTERS_IN_BACKGROUND, method="post", data={}),
        ]
    ),
    Case("measurements:export_status", OWN_EXPORT, kwargs=ministry_export),
    Case(
        "measurements:export_status",
        OWN_EXPORT,
        kwargs=lambda: ministry_export(ready=True),
        label="ready",
    ),
    Case(
        "measurements:export_download",
        OWN_EXPORT,
        kwargs=lambda: ministry_export(ready=True),
    ),
    Case("measurements:completeness", FOLLOWERS),
    *this_and_2012(
        "measurements:completeness", FOLLOWERS, query="maling=sluttmaling", label="round"
    ),
    Case("measurements:remind", FOLLOWERS, method="post", data=remind_karmoy),
    Case(
        "measurements:remind",
        FOLLOWERS,
        method="post",
        data=lambda: remind_karmoy() | {"program": "saman-om-ein-betre-kommune"},
        label="programme",
    ),
    *this_and_2012("measurements:rounds", FOLLOWERS),
    unknown_programme("measurements:rounds"),
    Case("measurements:round_create", ROUND_MANAGERS),
    Case(
        "measurements:round_create",
        expect(403, anonymous=LOGIN, ministry=302, admin_user=302),
        method="post",
        data=NEW_ROUND,
    ),
    Case("measurements:round_update", ROUND_MANAGERS, kwargs=nullpunkt),
    *this_and_2012("measurements:import_upload", IMPORTERS),
    *this_and_2012("measurements:import_template", IMPORTERS),
    Case(
        "measurements:import_preview",
        OWN_IMPORT,
        kwargs=ministry_import,
    ),
    Case(
        "measurements:project_progress",
        expect(
            404, participant=200, leader_karmoy=200, facilitator=200, ministry=200, admin_user=200
        ),
        kwargs=karmoy,
    ),
    Case("measurements:project_progress", expect(200), kwargs=published_strand, label="published"),
    # Karmøy's progress: ministry and KS staff, administrators, the facilitator of its network
    # and its project's leader – not a mere participant, nor another network's facilitator.
    Case(
        "measurements:municipality_progress",
        expect(
            403, anonymous=LOGIN, leader_karmoy=200, facilitator=200, ministry=200, admin_user=200
        ),
        kwargs={"number": "1149"},
    ),
    *page_and_form("measurements:report", KARMOY_LEADER, KARMOY_LEADER, kwargs=karmoy_baseline),
    *page_and_form("measurements:goals", KARMOY_LEADER, KARMOY_LEADER, kwargs=karmoy),
    Case("measurements:indicator_create", KARMOY_LEADER, kwargs=karmoy),
    Case("measurements:indicator_update", KARMOY_LEADER, kwargs=karmoy_own_indicator),
    Case(
        "measurements:publish",
        KARMOY_LEADER_SAVE,
        kwargs=karmoy,
        method="post",
        data={"publiser": "1"},
    ),
]


# --- Reputation survey ----------------------------------------------------------------------------
# Karmøy's results are not published: outsiders do not find its surveys (404); its participants,
# its facilitator, ministry staff and administrators see them; its leader (and administrators)
# open, change and close runs; its leader and the ministry export the anonymous answers. The
# answer pages are public: 200 for an open run, 404 for an unknown link.

SEES_KARMOY = expect(
    404, participant=200, leader_karmoy=200, facilitator=200, ministry=200, admin_user=200
)
EXPORTS_KARMOY = {**KARMOY_LEADER, "ministry": 200}


def _karmoy_run(*, closed: bool, answers: int = 0):
    import datetime

    from django.utils import timezone

    from surveys.models import Questionnaire, SurveyRun
    from surveys.services import submit_response

    today = timezone.localdate()
    round = MeasurementRound.objects.get(slug="nullpunkt")
    round.opens_on, round.closes_on = today - datetime.timedelta(30), today + datetime.timedelta(30)
    round.save()
    questionnaire = Questionnaire.objects.get(version=1)
    run = SurveyRun.objects.create(
        local_project=LocalProject.objects.get(slug="karmoy-omdomme"),
        round=round,
        target_group="employees",
        questionnaire=questionnaire,
        opens_on=today - datetime.timedelta(1),
        closes_on=today + datetime.timedelta(10),
    )
    statements = list(questionnaire.statements.values_list("pk", flat=True))
    for number in range(answers):
        submit_response(
            run=run,
            answers=dict.fromkeys(statements, 1 + number % 6),
            words=("", "", ""),
        )
    if closed:
        SurveyRun.objects.filter(pk=run.pk).update(closed_at=timezone.now())
    return run


def karmoy_run():
    return {"slug": "karmoy-omdomme", "pk": _karmoy_run(closed=False).pk}


def karmoy_closed_run():
    return {"slug": "karmoy-omdomme", "pk": _karmoy_run(closed=True, answers=5).pk}


def karmoy_employees():
    _karmoy_run(closed=True, answers=5)
    return {"slug": "karmoy-omdomme", "group": "employees"}


def open_run_link():
    return {"token": _karmoy_run(closed=False).token}


def survey_answer():
    from surveys.models import SurveyRun

    run = SurveyRun.objects.get(local_project__slug="karmoy-omdomme")
    data = {"revision": str(run.questionnaire.revision), "invitation": ""}
    data.update({f"s{pk}": "5" for pk in run.questionnaire.statements.values_list("pk", flat=True)})
    return data


def new_survey():
    import datetime

    from django.utils import timezone

    round = MeasurementRound.objects.get(slug="nullpunkt")
    today = timezone.localdate()
    round.opens_on, round.closes_on = today - datetime.timedelta(30), today + datetime.timedelta(30)
    round.save()
    return {
        "round": round.pk,
        "target_group": "residents",
        "opens_on": str(today),
        "closes_on": str(today + datetime.timedelta(7)),
    }


CASES += [
    Case("surveys:runs", SEES_KARMOY, kwargs=karmoy),
    *page_and_form(
        "surveys:run_create", KARMOY_LEADER, KARMOY_LEADER_SAVE, kwargs=karmoy, data=new_survey
    ),
    Case("surveys:run", SEES_KARMOY, kwargs=karmoy_run),
    Case("surveys:run", SEES_KARMOY, kwargs=karmoy_closed_run, label="closed"),
    Case("surveys:run_update", KARMOY_LEADER, kwargs=karmoy_run),
    Case("surveys:invite", KARMOY_LEADER, kwargs=karmoy_run),
    *page_and_form("surveys:close", KARMOY_LEADER, KARMOY_LEADER_SAVE, kwargs=karmoy_run),
    Case("surveys:run_export_csv", EXPORTS_KARMOY, kwargs=karmoy_closed_run),
    Case("surveys:run_export_xlsx", EXPORTS_KARMOY, kwargs=karmoy_closed_run),
    Case("surveys:compare", SEES_KARMOY, kwargs=karmoy_employees),
    Case("surveys:export_csv", ROUND_MANAGERS),
    Case("surveys:export_xlsx", ROUND_MANAGERS),
    *page_and_form(
        "surveys:answer", expect(200), expect(302), kwargs=open_run_link, data=survey_answer
    ),
    Case("surveys:answer", expect(404), kwargs={"token": "ukjent"}, label="unknown"),
    Case("surveys:thanks", expect(200), kwargs=open_run_link),
    Case("surveys:thanks", expect(404), kwargs={"token": "ukjent"}, label="unknown"),
]
