import pytest

from core.page_blocks import BlockRegistry, PageBlock
from core.personal_data import (
    Declarations,
    RetentionStep,
    SubjectPart,
    retention_steps,
    subject_parts,
)
from core.registrations import register


def test_register_fills_each_kind_of_registry():
    blocks = BlockRegistry("test")
    first = PageBlock(key="first", template="first.html", get_context=lambda **kw: {})
    second = PageBlock(key="second", template="second.html", get_context=lambda **kw: {})
    annotators = {"old": len}
    calls = []

    register(
        [
            (blocks, first, second),
            (annotators, {"new": str}),
            (lambda *args: calls.append(args), ("job", 1), ("other", 2)),
        ]
    )

    assert blocks._blocks == {"first": first, "second": second}
    assert annotators == {"old": len, "new": str}
    assert calls == [("job", 1), ("other", 2)]


def test_declarations_register_the_decorated_functions_only_when_asked():
    declared = Declarations()

    @declared.retention_step("old_things", "Old things", order=5)
    def purge(*, now, dry_run):
        return 0

    @declared.collects("things", "Things", order=7)
    def collect(*, user):
        return []

    @declared.erases("things")
    def erase(*, user):
        return 0

    assert purge(now=None, dry_run=True) == 0  # the decorators hand back the function
    assert declared.registrations() == [
        (retention_steps, RetentionStep(key="old_things", label="Old things", run=purge, order=5)),
        (
            subject_parts,
            SubjectPart(key="things", label="Things", collect=collect, erase=erase, order=7),
        ),
    ]
    assert "old_things" not in {step.key for step in retention_steps.all()}


def test_declarations_without_steps_register_only_their_parts():
    declared = Declarations()
    declared.erases("things", "Things")(len)
    assert declared.registrations() == [
        (subject_parts, SubjectPart(key="things", label="Things", erase=len))
    ]
    assert Declarations().registrations() == []


def test_the_first_declaration_of_a_part_needs_a_label():
    with pytest.raises(TypeError, match="needs a label"):
        Declarations().collects("things")(len)
