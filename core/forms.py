"""Form fields every app shares."""

from django import forms

from .text import strip_bidi_controls, validate_single_line


class SingleLineCharField(forms.CharField):
    """A text field whose value must fit on one line (a name, a title): line breaks and
    control characters are refused with a form error (see :mod:`core.text`)."""

    default_validators = [validate_single_line]


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
