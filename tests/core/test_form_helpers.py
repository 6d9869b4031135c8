"""The shared form helpers of ``core.forms`` and the bounded memo of ``core.content_memo``."""

from dataclasses import dataclass

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from core.content_memo import BoundedMemo
from core.forms import CheckedUploadMixin, cleaned_as, cleaned_values, labelled_choice_fields


def test_labelled_choice_fields_label_their_choices_with_the_function():
    single, multiple = labelled_choice_fields(lambda obj: f"«{obj}»")
    assert issubclass(single, forms.ModelChoiceField)
    assert issubclass(multiple, forms.ModelMultipleChoiceField)
    assert single(queryset=None).label_from_instance("Bodø") == "«Bodø»"
    assert multiple(queryset=None).label_from_instance("Bodø") == "«Bodø»"


class _PersonForm(forms.Form):
    name = forms.CharField()
    password1 = forms.CharField()
    age = forms.IntegerField()


@dataclass
class _Person:
    name: str
    age: int


def test_cleaned_values_names_and_renames_the_cleaned_values():
    form = _PersonForm({"name": "Kari", "password1": "hemmelig", "age": "40"})
    assert form.is_valid()
    assert cleaned_values(form, "name", password="password1") == {
        "name": "Kari",
        "password": "hemmelig",
    }


def test_cleaned_as_fills_a_dataclass_from_the_form_and_the_given_values():
    form = _PersonForm({"name": "Kari", "password1": "hemmelig", "age": "40"})
    assert form.is_valid()
    assert cleaned_as(form, _Person) == _Person(name="Kari", age=40)
    assert cleaned_as(form, _Person, age=41) == _Person(name="Kari", age=41)


class _UploadForm(CheckedUploadMixin, forms.Form):
    file = forms.FileField(required=False)

    def clean_file(self):
        return self.checked_upload("file", lambda upload: f"checked {upload.name}")


def test_checked_upload_keeps_what_the_check_found_and_none_without_a_file():
    with_file = _UploadForm({}, {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert with_file.is_valid()
    assert with_file.checked == "checked a.pdf"
    without = _UploadForm({}, {})
    assert without.is_valid()
    assert without.checked is None


def test_bounded_memo_makes_each_value_once_and_forgets_the_least_recently_used():
    memo = BoundedMemo(size=2)
    made = []

    def make(value):
        made.append(value)
        return value

    assert memo.get_or_make("a", lambda: make(1)) == 1
    assert memo.get_or_make("a", lambda: make(2)) == 1
    memo.get_or_make("b", lambda: make(3))
    memo.get_or_make("a", lambda: make(4))  # «a» is now the most recently used
    memo.get_or_make("c", lambda: make(5))  # «b» makes room
    assert len(memo) == 2
    assert memo.get_or_make("b", lambda: make(6)) == 6
    assert made == [1, 3, 5, 6]
