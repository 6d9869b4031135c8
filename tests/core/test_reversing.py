"""core.reversing.reverser gives what reverse gives, at the cost of one reverse per pattern."""

import pytest
from django.http import HttpResponse
from django.urls import NoReverseMatch, path, re_path, reverse

from core.reversing import reverser


def view(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("ting/<slug:slug>/", view, name="by_slug"),
    path("ting/<slug:slug>/deler/<int:pk>/rediger/", view, name="part"),
    path("tall/<int:pk>/", view, name="by_number"),
    re_path(r"^dato/(?P<day>\d{4}-\d{2}-\d{2})/$", view, name="by_day"),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.mark.parametrize("value", ["karmoy", "omdomme-2012", "a_b", "7"])
def test_a_slug_pattern_gives_what_reverse_gives(value):
    assert reverser("by_slug")(value) == reverse("by_slug", args=[value])


@pytest.mark.parametrize("pk", [1, 42, 90210902109, "17"])
def test_fixed_arguments_and_a_number_give_what_reverse_gives(pk):
    assert reverser("part", "karmoy")(pk) == reverse("part", args=["karmoy", pk])
    assert reverser("by_number")(pk) == reverse("by_number", args=[pk])


def test_a_pattern_that_takes_neither_placeholder_is_reversed_each_time():
    assert reverser("by_day")("2012-02-16") == reverse("by_day", args=["2012-02-16"])


@pytest.mark.parametrize(("name", "value"), [("by_slug", "a b"), ("by_number", "sju")])
def test_a_value_the_pattern_refuses_is_refused_as_reverse_refuses_it(name, value):
    with pytest.raises(NoReverseMatch):
        reverser(name)(value)
