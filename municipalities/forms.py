from django import forms
from django.utils.translation import gettext_lazy as _

from .models import County


class CountyFilterForm(forms.Form):
    fylke = forms.ModelChoiceField(
        queryset=County.objects.none(),
        required=False,
        label=_("County"),
        empty_label=_("All counties"),
        to_field_name="number",
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fylke"].queryset = counties
