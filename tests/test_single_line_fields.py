"""Every single-line text field of the portal's models refuses line breaks and control
characters, at the model (and so in the admin) as well as in the forms."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory

from core.text import validate_single_line
from gatherings.models import Gathering
from measurements.models import MeasurementRound

APPS = ["core", "network", "municipalities", "gatherings", "measurements", "surveys"]
#: Text the portal writes itself (hashes, tokens, file details, built subjects, error texts,
#: copies of names kept as they were) or checked by validators of its own.
NOT_HUMAN_TEXT = {
    ("user", "password"),
    ("user", "username"),
    ("county", "number"),
    ("municipality", "number"),
    ("invitation", "token_hash"),
    ("story", "image_extension"),
    ("attachment", "original_name"),
    ("attachment", "content_type"),
    ("outboxmessage", "subject"),
    ("outboxmessage", "idempotency_key"),
    ("outboxrecipient", "name"),
    ("outboxrecipient", "ref"),
    ("outboxrecipient", "error"),
    ("scheduledjob", "name"),
    ("reportarchive", "language"),
    ("material", "original_name"),
    ("material", "content_type"),
    ("resource", "original_name"),
    ("resource", "content_type"),
    ("reminder", "subject"),
    ("importbatch", "filename"),
    ("surveyrun", "token"),
    ("surveyinvitation", "token_hash"),
}


def single_line_text_fields():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.model_name.startswith("historical"):
                continue
            for field in model._meta.get_fields():
                if (
                    type(field) is models.CharField
                    and not field.choices
                    and (model._meta.model_name, field.name) not in NOT_HUMAN_TEXT
                ):
                    yield model, field


def test_every_single_line_text_field_refuses_line_breaks():
    fields = list(single_line_text_fields())
    missing = [
        f"{model._meta.label}.{field.name}"
        for model, field in fields
        if validate_single_line not in field.validators
    ]
    assert not missing
    assert len(fields) > 40


@pytest.mark.django_db
def test_the_model_refuses_a_line_break_in_a_gathering_title(programme):
    gathering = Gathering.objects.get(network__slug="omdomme", kind="samling_1")
    gathering.title = "Første\nsamling"
    with pytest.raises(ValidationError) as error:
        gathering.full_clean()
    assert [e.code for e in error.value.error_dict["title"]] == ["line_break"]


@pytest.mark.django_db
def test_the_admin_refuses_a_line_break_in_a_round_name(programme, admin_user):
    round = MeasurementRound.objects.get(slug="nullpunkt")
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = admin.site._registry[MeasurementRound]
    form_class = model_admin.get_form(request, round)
    data = {
        name: getattr(round, name)
        for name in form_class.base_fields
        if not isinstance(getattr(round, name, None), models.Model)
    }
    data |= {"programme": round.programme_id, "name": "Null\npunkt"}
    form = form_class(data, instance=round)
    assert not form.is_valid()
    assert form.has_error("name", code="line_break")
