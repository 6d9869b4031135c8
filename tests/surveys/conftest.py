"""The surveys' tests run on the measurement rounds and projects of the measurements' tests."""

import pytest

from tests.measurements.conftest import *  # noqa: F403
from tests.surveys.factories import open_run


@pytest.fixture
def run(karmoy, baseline):
    """Karmøy's survey, open in the baseline round."""
    return open_run(karmoy, baseline)
