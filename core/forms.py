"""Form fields every app shares."""

from django import forms

from .text import validate_single_line


class SingleLineCharField(forms.CharField):
    """A text field whose value must fit on one line (a name, a title): line breaks and
    control characters are refused with a form error (see :mod:`core.text`)."""

    default_validators = [validate_single_line]
