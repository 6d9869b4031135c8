"""core.editing, as the project page, participants and stories use it."""

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import translation

from core import editing
from core.editing import (
    DIFF_BUDGET,
    EditConflict,
    FieldConflict,
    changed_by_others,
    conflict_page,
    field_conflicts,
    line_diff,
    rebind_for_merge,
    save_if_unchanged,
)
from municipalities.forms import ParticipantEditForm
from municipalities.models import Participant, ParticipantRole
from tests.factories import ParticipantFactory
from tests.municipalities.factories import save_page


def _kinds(old, new):
    return [(line.kind, line.text) for line in line_diff(old, new)]


def test_line_diff_marks_removed_added_and_unchanged_lines():
    assert _kinds("a\nb\nc", "a\nB\nc\nd") == [
        ("same", "a"),
        ("removed", "b"),
        ("added", "B"),
        ("same", "c"),
        ("added", "d"),
    ]
    assert _kinds("", "ny") == [("added", "ny")]
    assert _kinds("gammel", "") == [("removed", "gammel")]
    assert _kinds("x\r\ny", "x\ny") == [("same", "x"), ("same", "y")]


def test_line_diff_marks_the_changed_words_in_a_changed_line():
    removed, added = line_diff("Vi vil bli bedre.", "Vi skal bli mye bedre.")
    assert [text for changed, text in removed.segments if changed] == ["vil"]
    assert [text for changed, text in added.segments if changed] == ["skal", "mye "]
    assert added.text == "Vi skal bli mye bedre."


def _repetitive(words: int, pattern) -> str:
    """«a b a b …»: text on which an unbounded ``difflib`` takes cubic time."""
    return " ".join(pattern(i) for i in range(words))


def test_a_diff_of_repetitive_text_stays_within_its_budget(monkeypatch):
    compared = []
    real = editing.difflib.SequenceMatcher

    def counting(junk, a, b, **kwargs):
        compared.append(len(a) * len(b))
        return real(junk, a, b, **kwargs)

    monkeypatch.setattr(editing.difflib, "SequenceMatcher", counting)
    old = _repetitive(3000, lambda i: "ab"[i % 2])
    new = _repetitive(3000, lambda i: "ba"[(i // 3) % 2])
    lines_old = "\n".join([old, *["a", "b"] * 400])
    lines_new = "\n".join([new, *["b", "a", "a"] * 300])

    diff = line_diff(lines_old, lines_new)

    assert sum(compared) <= DIFF_BUDGET
    assert "".join(line.text for line in diff if line.kind != "added") == lines_old.replace(
        "\n", ""
    )
    assert "".join(line.text for line in diff if line.kind != "removed") == lines_new.replace(
        "\n", ""
    )


@pytest.mark.django_db
def test_comparing_page_versions_of_repetitive_text_does_not_hold_a_worker(
    login, leader_karmoy, karmoy
):
    save_page(karmoy, background=_repetitive(4000, lambda i: "ab"[i % 2]))
    save_page(karmoy, background=_repetitive(4000, lambda i: "ba"[(i // 3) % 2]))
    response = login(leader_karmoy).get(
        "/en/prosjekter/karmoy-omdomme/historikk/sammenlign/?fra=1&til=2"
    )
    assert response.status_code == 200
    assert "b a b a" in response.content.decode()


def _bound(participant, **changes):
    data = QueryDict(mutable=True)
    data.update(
        {
            "name": participant.name,
            "function": participant.function,
            "role": participant.role,
            "email": participant.email,
            "phone": participant.phone,
            "loaded_version": "1",
        }
    )
    data.update(changes)
    form = ParticipantEditForm(
        data, instance=participant, project=participant.local_project, can_set_leader=False
    )
    assert form.is_valid(), form.errors
    return form


@pytest.mark.django_db
def test_save_if_unchanged_refuses_a_stale_version_and_reports_a_deletion(karmoy):
    member = ParticipantFactory(local_project=karmoy)
    member.name = "Ny"
    save_if_unchanged(member, loaded_version=1, fields=["name"])
    assert Participant.objects.get(pk=member.pk).version == 2
    with pytest.raises(EditConflict) as conflict:
        save_if_unchanged(member, loaded_version=1, fields=["name"])
    assert conflict.value.current.name == "Ny" and not conflict.value.deleted
    Participant.objects.filter(pk=member.pk).delete()
    with pytest.raises(EditConflict) as conflict:
        save_if_unchanged(member, loaded_version=2, fields=["name"])
    assert conflict.value.deleted and conflict.value.current is None


@pytest.mark.django_db
def test_conflicts_show_choices_by_their_labels(karmoy):
    member = ParticipantFactory(local_project=karmoy, role=ParticipantRole.HR)
    form = _bound(member, role=ParticipantRole.LEADER)
    current = Participant.objects.get(pk=member.pk)
    (conflict,) = field_conflicts(form, current)
    assert (conflict.name, conflict.yours_display, conflict.current_display) == (
        "role",
        str(ParticipantRole.LEADER.label),
        str(ParticipantRole.HR.label),
    )


@pytest.mark.django_db
def test_with_a_base_only_fields_both_changed_are_conflicts(karmoy):
    member = ParticipantFactory(local_project=karmoy, name="Ola", phone="1", function="A")
    base = {"name": "Ola", "phone": "1", "function": "A", "email": member.email, "role": "annen"}
    # Someone else changed phone and function; this editor changed function and e-mail.
    Participant.objects.filter(pk=member.pk).update(phone="2", function="B", version=2)
    current = Participant.objects.get(pk=member.pk)
    form = _bound(member, function="C", email="ny@x.no")
    assert [c.name for c in field_conflicts(form, current, base=base)] == ["function"]
    taken = changed_by_others(form, current, base=base)
    assert [c.name for c in taken] == ["phone"]
    merged = rebind_for_merge(
        ParticipantEditForm,
        data=form.data,
        current=current,
        take=[c.name for c in taken],
        project=karmoy,
        can_set_leader=False,
    )
    assert merged.instance == current
    assert (merged.data["phone"], merged.data["function"], merged.data["email"]) == (
        "2",
        "C",
        "ny@x.no",
    )
    assert merged.data["loaded_version"] == "2"


@pytest.mark.django_db
def test_conflict_page_answers_409_with_the_merge_view():
    conflict = FieldConflict("title", "Title", "Mine", "Theirs", "Mine", "Theirs")
    with translation.override("en"):
        response = conflict_page(
            RequestFactory().post("/"),
            template="includes/edit_conflict.html",
            context={"conflicts": None, "deleted": True},
            conflicts=[conflict],
        )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else saved while you were editing" in content
    assert "Mine" in content and "Theirs" in content
    assert 'href="#id_title"' in content


@pytest.mark.django_db
def test_conflict_page_offers_to_create_what_was_deleted():
    with translation.override("en"):
        response = conflict_page(
            RequestFactory().post("/"),
            template="includes/edit_conflict.html",
            context={},
            deleted=True,
        )
    assert response.status_code == 409
    assert "Someone else deleted this while you were editing" in response.content.decode()
