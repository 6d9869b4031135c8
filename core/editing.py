"""No lost work: optimistic locking for edit forms where two people may meet.

A model that two people may edit at once inherits :class:`VersionedModel`. Its edit form mixes
in :class:`VersionedFormMixin`, which carries the version the editor loaded in a hidden field.
The service saves with :func:`save_if_unchanged`; when someone else saved in between, nothing is
written and the view answers with :func:`conflict_page`: :func:`field_conflicts` side by side
(``includes/edit_conflict.html``) above the form re-bound to the editor's text and the current
version (:func:`rebind_for_merge`), with status 409, so they can merge and save again. Neither
text is lost.

When the view knows what the editor loaded (``base``: the values as they were when the form
was filled, e.g. from a version history), the merge is three-way: a field only the other person
changed is taken into the form (:func:`changed_by_others`), a field only the editor changed is
kept, and only a field both changed is a conflict. Without ``base``, every field whose stored
value differs from the editor's is shown as a conflict.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.forms.models import BaseModelForm, model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .translated_fields import written_values


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Raised by services when the object changed after the editor loaded it.

    ``current`` is the stored object as it is now, or None when someone deleted it meanwhile.
    """

    def __init__(self, current: models.Model | None):
        super().__init__("The object was changed by someone else.")
        self.current = current

    @property
    def deleted(self) -> bool:
        return self.current is None


class VersionedFormMixin(forms.Form):
    """Adds the hidden ``loaded_version``; initialised from the instance or ``version=``."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk:
            version = instance.version
        self.fields["loaded_version"].initial = version or 1


def save_if_unchanged(
    instance: VersionedModel, *, loaded_version: int, fields: list[str]
) -> VersionedModel:
    """Write ``fields`` of ``instance`` only if its stored version is still ``loaded_version``.

    Raises :class:`EditConflict` with the current stored object otherwise (``current`` is None
    when the object was deleted). Call it inside the service's ``transaction.atomic`` so that
    whatever else the service wrote is rolled back with it.
    """
    model = type(instance)
    # A translated text is written in the active language only (core/translated_fields.py).
    values = written_values(instance, fields)
    updated = model.objects.filter(pk=instance.pk, version=loaded_version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise EditConflict(model.objects.filter(pk=instance.pk).first())
    instance.version = loaded_version + 1
    return instance


# --- Comparing texts ------------------------------------------------------------------------

_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def _lines(text: str) -> list[str]:
    return normalise_newlines(text).split("\n") if text else []


def normalise_newlines(text: str) -> str:
    """Browsers send ``\\r\\n``; store and compare ``\\n`` only."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class DiffLine:
    """One line of a :func:`line_diff`: ``kind`` is ``same``, ``removed`` or ``added``;
    ``segments`` are ``(changed, text)`` pairs, so changed words inside a line can be marked."""

    kind: str
    segments: tuple[tuple[bool, str], ...]

    @property
    def text(self) -> str:
        return "".join(text for _changed, text in self.segments)


#: The most comparisons one diff may make (the product of the two lengths, in lines or words,
#: summed over the whole diff). Beyond it the rest is shown as whole lines removed and added:
#: ``difflib`` takes cubic time on repetitive text, and a few kilobytes of «a b a b …» in a
#: page version would otherwise hold a worker for minutes.
DIFF_BUDGET = 200_000


class _Budget:
    def __init__(self, total: int):
        self.left = total

    def take(self, a: list[str], b: list[str]) -> bool:
        cost = len(a) * len(b)
        if cost > self.left:
            return False
        self.left -= cost
        return True


def _opcodes(a: list[str], b: list[str], budget: _Budget) -> list[tuple[str, int, int, int, int]]:
    """``SequenceMatcher.get_opcodes`` within ``budget``. Beyond it, the common start and end
    are found in linear time; the middle is compared only if the budget allows, else replaced
    whole."""
    if budget.take(a, b):
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    shortest = min(len(a), len(b))
    start = 0
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    opcodes = [("equal", 0, start, 0, start)] if start else []
    if budget.take(middle_a, middle_b):
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        opcodes += [
            (tag, i1 + start, i2 + start, j1 + start, j2 + start)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    elif middle_a or middle_b:
        tag = "replace" if middle_a and middle_b else "delete" if middle_a else "insert"
        opcodes.append((tag, start, len(a) - end, start, len(b) - end))
    if end:
        opcodes.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return opcodes


def _word_diff(old: str, new: str, budget: _Budget) -> tuple[DiffLine, DiffLine]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    removed: list[tuple[bool, str]] = []
    added: list[tuple[bool, str]] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b, budget):
        if tag == "equal":
            removed.append((False, "".join(a[i1:i2])))
            added.append((False, "".join(b[j1:j2])))
        else:
            if i2 > i1:
                removed.append((True, "".join(a[i1:i2])))
            if j2 > j1:
                added.append((True, "".join(b[j1:j2])))
    return DiffLine("removed", tuple(removed)), DiffLine("added", tuple(added))


def line_diff(old: str, new: str) -> list[DiffLine]:
    """A readable line diff from ``old`` to ``new``; in a changed line, the changed words are
    marked. Every line of both texts appears once (unchanged lines as ``same``)."""
    a, b = _lines(old or ""), _lines(new or "")
    budget = _Budget(DIFF_BUDGET)
    result: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b, budget):
        if tag == "equal":
            result.extend(DiffLine("same", ((False, line),)) for line in a[i1:i2])
        elif tag == "delete":
            result.extend(DiffLine("removed", ((True, line),)) for line in a[i1:i2])
        elif tag == "insert":
            result.extend(DiffLine("added", ((True, line),)) for line in b[j1:j2])
        else:
            pairs = [_word_diff(x, y, budget) for x, y in zip(a[i1:i2], b[j1:j2], strict=False)]
            result.extend(removed for removed, _added in pairs)
            result.extend(DiffLine("removed", ((True, x),)) for x in a[i1 + len(pairs) : i2])
            result.extend(added for _removed, added in pairs)
            result.extend(DiffLine("added", ((True, y),)) for y in b[j1 + len(pairs) : j2])
    return result


# --- Conflicts and merging ------------------------------------------------------------------


@dataclass(frozen=True)
class FieldConflict:
    name: str
    label: str
    yours: Any
    current: Any
    #: The two values as a person reads them (choice labels, «Yes»/«No»); see ``_display``.
    yours_display: str = ""
    current_display: str = ""

    @property
    def is_text(self) -> bool:
        return isinstance(self.yours or "", str) and isinstance(self.current or "", str)

    @property
    def diff(self) -> list[DiffLine]:
        """For text: the line diff from the saved text to the editor's («removed» = only in the
        saved text, «added» = only in the editor's)."""
        if not self.is_text:
            return []
        return line_diff(self.current or "", self.yours or "")


def _value(source: Any, name: str) -> Any:
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def _has(source: Any, name: str) -> bool:
    return name in source if isinstance(source, Mapping) else hasattr(source, name)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str | None) and isinstance(b, str | None):
        return normalise_newlines(a or "").strip() == normalise_newlines(b or "").strip()
    return a == b


def _display(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in choices if not isinstance(label, list | tuple)}
        return str(labels.get(str(value), value))
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _conflict(name: str, field: forms.Field, yours: Any, theirs: Any) -> FieldConflict:
    return FieldConflict(
        name,
        str(field.label or name),
        yours,
        theirs,
        _display(field, yours),
        _display(field, theirs),
    )


def _compared_fields(form: forms.BaseForm, current: Any) -> Iterable[tuple[str, Any, Any, Any]]:
    cleaned = getattr(form, "cleaned_data", None)
    for name, field in form.fields.items():
        if name == "loaded_version" or not _has(current, name):
            continue
        yours = cleaned.get(name) if cleaned is not None else form.data.get(name)
        yield name, field, yours, _value(current, name)


def field_conflicts(form: forms.BaseForm, current: Any, *, base: Any = None) -> list[FieldConflict]:
    """The form's fields whose submitted value differs from the current stored value.

    ``current`` (and ``base``) may be a model instance or a mapping of field values. With
    ``base`` (what the editor loaded), a field that only one side changed is not a conflict.
    """
    conflicts = []
    for name, field, yours, theirs in _compared_fields(form, current):
        if _same(yours, theirs):
            continue
        if base is not None and (
            _same(yours, _value(base, name)) or _same(theirs, _value(base, name))
        ):
            continue
        conflicts.append(_conflict(name, field, yours, theirs))
    return conflicts


def changed_by_others(form: forms.BaseForm, current: Any, *, base: Any) -> list[FieldConflict]:
    """Fields the editor left as loaded (``base``) but someone else changed meanwhile: their
    value is to be taken into the merge form (``rebind_for_merge(take=...)``)."""
    return [
        _conflict(name, field, yours, theirs)
        for name, field, yours, theirs in _compared_fields(form, current)
        if not _same(yours, theirs) and _same(yours, _value(base, name))
    ]


def _as_data(value: Any) -> str | list[str]:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(getattr(item, "pk", item)) for item in value]
    return str(getattr(value, "pk", value))


def rebind_for_merge(
    form_class, *, data, current: VersionedModel, take: Iterable[str] = (), **kwargs
):
    """A form holding the editor's text, set to save over ``current`` once they have merged.

    ``take`` names fields whose current stored value replaces the editor's (fields only the
    other person changed, see :func:`changed_by_others`). A model form is bound to ``current``.
    """
    data = data.copy()
    data["loaded_version"] = str(current.version)
    take = list(take)
    if take:
        stored = model_to_dict(current, fields=take)
        for name in take:
            value = _as_data(stored.get(name, _value(current, name)))
            if isinstance(value, list) and hasattr(data, "setlist"):
                data.setlist(name, value)
            else:
                data[name] = value
    if issubclass(form_class, BaseModelForm):
        kwargs["instance"] = current
    return form_class(data=data, **kwargs)


def conflict_page(
    request: HttpRequest,
    *,
    template: str,
    context: Mapping[str, Any],
    conflicts: Iterable[FieldConflict] = (),
    taken: Iterable[FieldConflict] = (),
    deleted: bool = False,
) -> HttpResponse:
    """The one answer to an :class:`EditConflict`: ``template`` with the merge view, status 409.

    ``context`` is the editor page's own, holding the re-bound form (:func:`rebind_for_merge`);
    the template shows ``includes/edit_conflict.html`` above it when ``conflict`` is set.
    ``conflicts`` are the fields both people changed (:func:`field_conflicts`), ``taken`` those
    only the other person changed (:func:`changed_by_others`); ``deleted`` says the object is
    gone, and the form offers to create it again.
    """
    return render(
        request,
        template,
        {
            **context,
            "conflict": True,
            "conflicts": list(conflicts),
            "taken": list(taken),
            "deleted": deleted,
        },
        status=409,
    )
