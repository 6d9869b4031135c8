"""No lost work: optimistic locking for edit forms where two people may meet.

A model that two people may edit at once inherits :class:`VersionedModel`. Its edit form mixes
in :class:`VersionedFormMixin`, which carries the version the editor loaded in a hidden field.
The service saves with :func:`save_if_unchanged`; when someone else saved in between, nothing is
written and the view shows :func:`field_conflicts` side by side (``includes/edit_conflict.html``)
with the form re-bound to the editor's text and the current version, so they can merge and save
again. Neither text is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Raised by services when the object changed after the editor loaded it."""

    def __init__(self, current: models.Model):
        super().__init__("The object was changed by someone else.")
        self.current = current


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

    Raises :class:`EditConflict` with the current stored object otherwise.
    """
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    updated = model.objects.filter(pk=instance.pk, version=loaded_version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise EditConflict(model.objects.get(pk=instance.pk))
    instance.version = loaded_version + 1
    return instance


@dataclass(frozen=True)
class FieldConflict:
    name: str
    label: str
    yours: Any
    current: Any


def field_conflicts(form: forms.BaseForm, current: models.Model) -> list[FieldConflict]:
    """The form's fields whose submitted value differs from the current stored value."""
    conflicts = []
    for name, field in form.fields.items():
        if name == "loaded_version" or not hasattr(current, name):
            continue
        cleaned = getattr(form, "cleaned_data", None)
        yours = cleaned.get(name) if cleaned is not None else form.data.get(name)
        theirs = getattr(current, name)
        if yours != theirs:
            conflicts.append(FieldConflict(name, str(field.label or name), yours, theirs))
    return conflicts


def rebind_for_merge(form_class, *, data, current: VersionedModel, **kwargs):
    """A form holding the editor's text, set to save over ``current`` once they have merged."""
    data = data.copy()
    data["loaded_version"] = str(current.version)
    return form_class(data=data, instance=current, **kwargs)
