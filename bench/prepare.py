"""Run by bench/run.py inside the portal's environment (the benchmark database): pick the
pages to load from the national data set, create the sessions of the signed-in users, open a
reputation survey, and print all of it as JSON. ``prepare.py count-answers RUN`` prints the
number of answers the survey run has."""

import json
import os
import sys
from datetime import timedelta
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from gatherings.models import Gathering, GatheringKind  # noqa: E402
from municipalities.models import LocalProject, Municipality, Participant  # noqa: E402
from network.models import Network, Programme, User  # noqa: E402
from network.seed.national_dataset import MINISTRY_USERNAME  # noqa: E402
from network.seed.programme_2012 import PROGRAMME  # noqa: E402


def session_for(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "network.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def survey() -> dict | None:
    """An open reputation survey (open link) of Karmøy's project, for the answer page: the
    2012 programme's questionnaire, in its baseline round moved to today."""
    try:
        from measurements.models import MeasurementRound
        from surveys.models import Questionnaire, SurveyRun
    except ImportError:  # before the reputation survey
        return None
    today = timezone.localdate()
    round_ = MeasurementRound.objects.get(programme__slug=PROGRAMME["slug"], slug="nullpunkt")
    MeasurementRound.objects.filter(pk=round_.pk).update(
        opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=30)
    )
    questionnaire = Questionnaire.objects.current_for(round_.programme_id)
    run, _created = SurveyRun.objects.update_or_create(
        local_project=LocalProject.objects.get(slug="karmoy-omdomme"),
        round=round_,
        target_group="residents",
        defaults={
            "questionnaire": questionnaire,
            "opens_on": today - timedelta(days=1),
            "closes_on": today + timedelta(days=10),
            "accepts_open_link": True,
            "closed_at": None,
        },
    )
    return {
        "path": reverse("surveys:answer", args=[run.token]),
        "run": run.pk,
        "revision": questionnaire.revision,
        "statements": list(questionnaire.statements.values_list("pk", flat=True)),
    }


#: The most project leaders the signed-in random mix spreads its requests over.
MIX_LEADERS = 200


def mix_paths() -> list[str]:
    """Every public municipality, project, network, gathering and progress page, in nb and
    nn: the random mix picks one of them per request."""
    objects = [
        *Municipality.objects.order_by("pk"),
        *LocalProject.objects.order_by("pk"),
        *Network.objects.order_by("pk"),
        *Gathering.objects.published().order_by("pk"),
    ]
    published = LocalProject.objects.filter(progress_page__published_at__isnull=False)
    paths = []
    for language in ("nb", "nn"):
        with translation.override(language):
            paths += [item.get_absolute_url() for item in objects]
            paths += [
                reverse("measurements:project_progress", args=[slug])
                for slug in published.order_by("pk").values_list("slug", flat=True)
            ]
    return paths


def mix_sessions(programme) -> list[str]:
    """Sessions of up to MIX_LEADERS project leaders of the current round, one each."""
    leaders = (
        User.objects.filter(
            participations__is_project_leader=True,
            participations__local_project__network__programme=programme,
        )
        .distinct()
        .order_by("pk")[:MIX_LEADERS]
    )
    return [session_for(user) for user in leaders]


def count_answers(run: int) -> int:
    from surveys.models import SurveyResponse

    return SurveyResponse.objects.filter(run_id=run).count()


def main() -> None:
    if sys.argv[1:2] == ["count-answers"]:
        print(count_answers(int(sys.argv[2])))
        return
    programme = Programme.objects.current()
    # A joint project of the current round, with published results and a gathering.
    project = (
        LocalProject.objects.filter(
            network__programme=programme,
            progress_page__published_at__isnull=False,
            network__gatherings__kind=GatheringKind.FIRST,
        )
        .order_by("-name", "slug")
        .filter(name__contains="samarbeidet")
        .first()
    )
    leader = Participant.objects.filter(local_project=project, is_project_leader=True).first().user
    gathering = Gathering.objects.get(network=project.network, kind=GatheringKind.FIRST)
    municipality = project.municipalities.order_by("number").first()
    ministry = User.objects.get(username=MINISTRY_USERNAME)
    print(
        json.dumps(
            {
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "sessions": {"leader": session_for(leader), "ministry": session_for(ministry)},
                "survey": survey(),
                "mix": {"paths": mix_paths(), "sessions": mix_sessions(programme)},
                "paths": {
                    "home": reverse("network:home"),
                    "network": project.network.get_absolute_url(),
                    "municipality": municipality.get_absolute_url(),
                    # Ørland: 1621 became 5015 (2018) and 5057 (2020); its page follows the
                    # number through the history and lists the projects of every round.
                    "municipality_history": reverse("municipalities:detail", args=["1621"]),
                    "project": project.get_absolute_url(),
                    "gathering": gathering.get_absolute_url(),
                    "ical": reverse("gatherings:ical", args=[gathering.pk]),
                    "progress": reverse("measurements:project_progress", args=[project.slug]),
                    "overview": reverse("measurements:overview"),
                    "edit": reverse("municipalities:page_edit", args=[project.slug]),
                    "my_pages": reverse("network:my_pages"),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
