import pytest

from municipalities.models import LocalProject
from tests.measurements.factories import indicators_of, measure, set_round


@pytest.fixture
def baseline(programme):
    """Nullpunkt open now, Sluttmåling not open yet."""
    set_round("sluttmaling", "upcoming")
    return set_round("nullpunkt", "open")


@pytest.fixture
def baseline_closed(programme):
    """Nullpunkt closed yesterday, Sluttmåling open now."""
    set_round("sluttmaling", "open")
    return set_round("nullpunkt", "closed")


@pytest.fixture
def end_round(baseline_closed):
    from measurements.models import MeasurementRound

    return MeasurementRound.objects.get(slug="sluttmaling")


@pytest.fixture
def stavanger(programme) -> LocalProject:
    """A Sykefravær project: sick leave, where lower is better."""
    return LocalProject.objects.get(slug="stavanger-sykefravaer")


@pytest.fixture
def strand_improved_most(karmoy, strand, baseline_closed, end_round):
    """Strand's values improve, Karmøy's get worse: the order must not care."""
    for project, before, after in [(karmoy, "4.5", "3.0"), (strand, "2.0", "5.5")]:
        for item in indicators_of(project):
            measure(project, item, baseline_closed, before)
            measure(project, item, end_round, after)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The overview caches its tables; test databases reuse ids, so start each test empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
