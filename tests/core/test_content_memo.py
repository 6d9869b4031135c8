"""Content-keyed memoisation: built once for the same data and language, again for other
data, never for what is not plain data; what one process built is taken by the others from
the shared cache, and a page does not depend on finding it there."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.content_memo import ContentMemo, digest


def test_the_same_data_is_built_once_and_other_data_again():
    memo = ContentMemo("test", size=10)
    built = []

    def build(key):
        return memo.get(key, lambda: built.append(key) or f"drawn {key}")

    assert build(("a", Decimal("1.5"), date(2013, 5, 1))) == build(
        ("a", Decimal("1.5"), date(2013, 5, 1))
    )
    build(("a", Decimal("1.50"), date(2013, 5, 1)))
    assert len(built) == 2


def test_each_language_has_its_own_entry():
    memo = ContentMemo("test", size=10)
    for language in ("nb", "nn", "nb"):
        with translation.override(language):
            memo.get(("x",), lambda: translation.get_language())
    assert len(memo) == 2


def test_the_least_recently_used_entry_goes_first():
    memo = ContentMemo("test", size=2, shared=False)
    for key in ("a", "b", "a", "c"):
        memo.get((key,), lambda k=key: k)
    built = []
    memo.get(("a",), lambda: built.append("a") or "a")  # used after b: kept
    memo.get(("b",), lambda: built.append("b") or "b")
    assert built == ["b"]


def test_equal_values_of_other_types_have_other_digests():
    """1, 1.0, True and Decimal("1") are equal in Python, yet drawn differently."""
    values = [1, 1.0, "1", Decimal("1"), Decimal("1.0"), True, None, ("1",), ["1"]]
    assert len({digest(value) for value in values}) == len(values)
    assert digest(date(2013, 1, 1)) != digest("2013-01-01")


@pytest.mark.parametrize("value", [mark_safe("<b>"), gettext_lazy("Goal"), object()])
def test_only_plain_values_make_a_key_in_development_and_the_tests(settings, value):
    settings.CONTENT_KEY_CHECKS = True
    with pytest.raises(TypeError):
        digest(("title", value))


def test_production_leaves_the_check_of_the_code_out(settings):
    settings.CONTENT_KEY_CHECKS = False
    assert digest(("title", mark_safe("<b>"))) == digest(("title", "<b>"))


def test_what_one_process_built_another_takes_from_the_shared_cache():
    built = []
    first, second = ContentMemo("drawings", size=10), ContentMemo("drawings", size=10)
    assert first.get(("a", 1), lambda: built.append(1) or "drawn a") == "drawn a"
    assert second.get(("a", 1), lambda: built.append(2) or "drawn again") == "drawn a"
    assert built == [1]


def test_many_are_asked_of_the_shared_cache_at_once_and_only_the_missing_built(monkeypatch):
    ContentMemo("drawings", size=10).get(("b",), lambda: "drawn b")
    asked = []
    monkeypatch.setattr(cache, "get_many", lambda keys: asked.append(keys) or {})
    memo = ContentMemo("drawings", size=10)
    built = []
    drawn = memo.get_many(
        [((key,), lambda key=key: built.append(key) or f"drawn {key}") for key in "abca"]
    )
    assert drawn == ["drawn a", "drawn b", "drawn c", "drawn a"]
    assert len(asked) == 1 and len(asked[0]) == 3  # a, b and c, once each
    assert built == ["a", "b", "c"]


def test_without_the_shared_cache_it_builds_for_itself(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set_many", down)
    memo = ContentMemo("drawings", size=10)
    assert memo.get(("d",), lambda: "drawn d") == "drawn d"
    assert memo.get(("d",), lambda: "drawn again") == "drawn d"
