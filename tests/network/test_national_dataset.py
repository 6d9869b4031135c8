"""``manage.py generate_national_dataset``: counts, determinism, the 2012 programme untouched."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from gatherings.models import AgendaItem, AgendaItemSpeaker, Gathering, GatheringStatus
from measurements.models import (
    AnchoringAssessment,
    Goal,
    Indicator,
    Measurement,
    MeasurementRound,
)
from municipalities.models import (
    County,
    LocalProject,
    Municipality,
    MunicipalityVersion,
    Participant,
    ProjectPageVersion,
    Story,
)
from municipalities.seed.national_dataset import ALL_COUNTIES, read_municipalities
from municipalities.selectors import MunicipalityTimeline
from network.models import Network, Programme, User
from network.seed.national_dataset import PROGRAMMES, synthetic_programmes

pytestmark = pytest.mark.django_db

SCALE = "0.1"


def generate(*args):
    call_command("generate_national_dataset", "--scale", SCALE, *args, stdout=io.StringIO())


def synthetic_projects():
    return LocalProject.objects.filter(network__programme__slug__startswith="nasjonalt-")


def fingerprint() -> str:
    """A digest of the generated content, without primary keys (they differ between runs)."""
    programmes = synthetic_programmes()
    projects = synthetic_projects()
    gatherings = Gathering.objects.filter(network__programme__in=programmes)
    parts = [
        Network.objects.filter(programme__in=programmes)
        .order_by("slug")
        .values_list("slug", "name", "region", "facilitator__name", "facilitator__user__username"),
        projects.order_by("slug").values_list("slug", "name", "network__slug"),
        LocalProject.municipalities.through.objects.filter(localproject__in=projects)
        .order_by("localproject__slug", "municipality_id")
        .values_list("localproject__slug", "municipality_id"),
        Participant.objects.filter(local_project__in=projects)
        .order_by("email")
        .values_list(
            "local_project__slug",
            "name",
            "email",
            "role",
            "function",
            "phone",
            "is_project_leader",
            "user__username",
            "municipality_id",
        ),
        gatherings.order_by("network__slug", "kind").values_list(
            "network__slug", "kind", "start_date", "end_date", "venue", "published_at"
        ),
        AgendaItem.objects.filter(gathering__in=gatherings)
        .order_by("gathering__network__slug", "gathering__kind", "date", "position")
        .values_list("gathering__network__slug", "gathering__kind", "date", "start", "title"),
        AgendaItemSpeaker.objects.filter(agenda_item__gathering__in=gatherings)
        .order_by(
            "agenda_item__gathering__network__slug",
            "agenda_item__gathering__kind",
            "agenda_item__date",
            "agenda_item__position",
            "position",
        )
        .values_list("agenda_item__title", "person__name", "person__title"),
        Measurement.objects.filter(local_project__in=projects)
        .order_by("local_project__slug", "indicator__name", "round__slug")
        .values_list("local_project__slug", "indicator__name", "round__slug", "value"),
        Goal.objects.filter(local_project__in=projects)
        .order_by("local_project__slug", "indicator__name")
        .values_list("target_value", "target_date"),
        AnchoringAssessment.objects.filter(local_project__in=projects)
        .order_by("local_project__slug", "round__slug")
        .values_list("stage"),
        Story.objects.filter(local_project__in=projects)
        .order_by("local_project__slug", "date", "title")
        .values_list("title", "date", "is_published", "text"),
        ProjectPageVersion.objects.filter(page__local_project__in=projects)
        .order_by("page__local_project__slug", "number")
        .values_list("number", "created_at", "published_at", "background_html"),
    ]
    return hashlib.sha256(repr([list(part) for part in parts]).encode()).hexdigest()


def programme_2012_state():
    programme = Programme.objects.get(slug="saman-om-ein-betre-kommune")
    return [
        Programme.objects.filter(pk=programme.pk).values_list("name", "description").get(),
        list(programme.networks.order_by("slug").values_list("slug", "name", "facilitator_id")),
        list(
            LocalProject.objects.filter(network__programme=programme)
            .order_by("slug")
            .values_list("slug", "name", "municipalities__number")
        ),
        list(
            Gathering.objects.filter(network__programme=programme)
            .order_by("pk")
            .values_list("pk", "status", "start_date", "version")
        ),
        AgendaItem.objects.filter(gathering__network__programme=programme).count(),
        list(MeasurementRound.objects.filter(programme=programme).values_list("slug", "opens_on")),
        Indicator.objects.filter(theme__programme=programme).count(),
        list(
            Municipality.objects.filter(local_projects__network__programme=programme)
            .order_by("number")
            .values_list("number", "name", "county_id")
        ),
    ]


def test_counts_at_a_tenth_of_the_national_scale(programme):
    generate()
    assert [p.slug for p in synthetic_programmes()] == [slug for slug, *_rest in PROGRAMMES]
    assert Programme.objects.current().slug == PROGRAMMES[-1][0]
    assert Municipality.objects.filter(number__in=read_municipalities()).count() == 429
    assert Municipality.objects.filter(number__in=["1723", "1901", "5057"]).count() == 3
    assert MunicipalityVersion.objects.filter(number="1621").exists()  # the history is loaded
    assert County.objects.filter(number__in=ALL_COUNTIES).count() == 19
    projects = synthetic_projects()
    assert projects.count() == 30
    assert projects.filter(municipalities__isnull=False).distinct().count() == 30
    assert (
        LocalProject.municipalities.through.objects.filter(localproject__in=projects).count() > 30
    )  # some are joint
    participants = Participant.objects.filter(local_project__in=projects)
    assert participants.count() == 300
    assert participants.filter(is_project_leader=True, user__isnull=False).count() == 30
    gatherings = Gathering.objects.filter(network__programme__slug__startswith="nasjonalt-")
    assert gatherings.count() == 10
    assert set(gatherings.values_list("status", flat=True)) == {GatheringStatus.PUBLISHED}
    assert AgendaItem.objects.filter(gathering__in=gatherings).count() == 200
    assert AgendaItemSpeaker.objects.filter(agenda_item__gathering__in=gatherings).exists()
    project = projects.order_by("slug").first()
    assert Indicator.objects.for_project(project).count() == 12
    assert Measurement.objects.filter(local_project__in=projects).count() == 30 * 12 * 4
    assert Goal.objects.filter(local_project__in=projects).count() == 30 * 12
    assert AnchoringAssessment.objects.filter(local_project__in=projects).count() == 30 * 4
    assert Measurement.history.filter(local_project_id__in=projects.values("pk")).count() == (
        30 * 12 * 4
    )
    assert Story.objects.filter(local_project__in=projects, is_published=True).count() >= 50
    versions = ProjectPageVersion.objects.filter(page__local_project__in=projects)
    assert versions.count() == 30 * 3
    assert projects.filter(page__published_version__isnull=False).count() == 30
    assert User.objects.filter(username="nasjonal.krd", is_programme_staff=True).exists()
    assert not User.objects.get(username="nasjonal.krd").has_usable_password()


def test_the_synthetic_rounds_use_the_numbers_valid_on_their_dates(programme):
    generate()
    used = set(
        LocalProject.municipalities.through.objects.filter(
            localproject__in=synthetic_projects()
        ).values_list("municipality_id", flat=True)
    ) | set(
        Participant.objects.filter(local_project__in=synthetic_projects()).values_list(
            "municipality_id", flat=True
        )
    )
    assert "1915" in read_municipalities()
    assert "1915" not in used  # Bjarkøy is part of 1903 Harstad from 2013
    history = MunicipalityTimeline()
    for programme in synthetic_programmes():
        projects = synthetic_projects().filter(network__programme=programme)
        numbers = LocalProject.municipalities.through.objects.filter(
            localproject__in=projects
        ).values_list("municipality_id", flat=True)
        assert all(history.in_use(number, programme.starts_on) for number in numbers)


def test_the_same_scale_gives_the_same_data(programme):
    generate()
    first = fingerprint()
    generate("--reset")
    assert fingerprint() == first
    assert synthetic_projects().count() == 30


def test_refuses_to_generate_twice_without_reset(programme):
    generate()
    with pytest.raises(CommandError, match="--reset"):
        generate()


def test_the_2012_programme_is_left_as_it_was(programme):
    before = programme_2012_state()
    generate()
    generate("--reset")
    assert programme_2012_state() == before


def test_needs_the_2012_programme(db):
    Programme.objects.filter(slug="saman-om-ein-betre-kommune").update(slug="annet")
    with pytest.raises(CommandError, match="load_programme_2012"):
        generate()


def test_the_benchmark_s_municipality_with_history_is_there(programme, login):
    generate()
    response = login(None).get("/en/kommuner/1621/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Names and numbers over time" in content
    assert 'href="/en/kommuner/5057/"' in content
