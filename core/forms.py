"""Form fields every app shares."""

import dataclasses
from collections.abc import Callable

from django import forms
from django.db.models import Model

from .text import strip_bidi_controls, validate_single_line


class SingleLineCharField(forms.CharField):
    """A text field whose value must fit on one line (a name, a title): line breaks and
    control characters are refused with a form error (see :mod:`core.text`)."""

    default_validators = [validate_single_line]


def optional_line(label, help_text="", *, max_length: int = 200) -> SingleLineCharField:
    """An optional :class:`SingleLineCharField` of up to ``max_length`` characters (a title,
    a name, a summary)."""
    return SingleLineCharField(
        label=label, max_length=max_length, required=False, help_text=help_text
    )


def labelled_choice_fields(
    label: Callable[[Model], str],
) -> tuple[type[forms.ModelChoiceField], type[forms.ModelMultipleChoiceField]]:
    """A model choice field and a model multiple-choice field whose choices read
    ``label(obj)`` instead of ``str(obj)`` (for lists where names may repeat)."""

    class LabelledChoiceField(forms.ModelChoiceField):
        def label_from_instance(self, obj: Model) -> str:
            return label(obj)

    class LabelledMultipleChoiceField(forms.ModelMultipleChoiceField):
        def label_from_instance(self, obj: Model) -> str:
            return label(obj)

    return LabelledChoiceField, LabelledMultipleChoiceField


def cleaned_values(form: forms.Form, *names: str, **renamed: str) -> dict:
    """The cleaned values of the fields ``names``, and of the fields ``renamed`` names under
    other keys (``password="password1"``): keyword arguments for a service."""
    data = form.cleaned_data
    return {name: data[name] for name in names} | {key: data[name] for key, name in renamed.items()}


def cleaned_as(form: forms.Form, cls: type, **values):
    """The dataclass ``cls`` with each field from the form's cleaned value of the same name,
    or from ``values`` where given."""
    known = {**form.cleaned_data, **values}
    return cls(**{field.name: known[field.name] for field in dataclasses.fields(cls)})


class CheckedUploadMixin:
    """A form with a file checked by its content: ``checked`` is what the check found
    (``None`` without a file). A ``clean_<field>`` method returns
    ``self.checked_upload("<field>", check)``, ``check`` being e.g.
    :func:`core.files.check_document`."""

    checked = None

    def checked_upload(self, name: str, check: Callable):
        upload = self.cleaned_data.get(name)
        if upload:
            self.checked = check(upload)
        return upload


class BidiSafeFormMixin:
    """Removes bidirectional control characters (see :func:`core.text.strip_bidi_controls`)
    from every multi-line text (a field with a ``Textarea``) a form cleans, so it cannot
    reorder what readers see. Single-line fields refuse them instead (model fields with
    ``validate_single_line``, :class:`SingleLineCharField`), and keep refusing them."""

    def clean(self):
        cleaned = super().clean()
        if cleaned is None:
            cleaned = self.cleaned_data
        for key, value in cleaned.items():
            field = self.fields.get(key)
            if isinstance(value, str) and field and isinstance(field.widget, forms.Textarea):
                cleaned[key] = strip_bidi_controls(value)
        return cleaned
