"""The surveys' tests run on the measurement rounds and projects of the measurements' tests."""

from tests.measurements.conftest import *  # noqa: F403
