"""The texts of the programme in three languages: a column per language for each text
(django-modeltranslation, ``gatherings/translation.py``). The Bokmål column starts as the text
stored so far; Nynorsk and English start empty (the pages show Bokmål until they are given:
``manage.py load_programme_2012`` fills them for the 2012 programme's own texts)."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce

import core.text

TEXTS = {
    "gathering": ("title", "schedule_note", "description", "practical_info"),
    "agendaitem": ("title", "description"),
}


def copy_into_bokmal(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("gatherings", model_name)
        model.objects.update(**{f"{name}_nb": F(name) for name in fields})


def copy_back_from_bokmal(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("gatherings", model_name)
        model.objects.update(**{name: Coalesce(F(f"{name}_nb"), F(name)) for name in fields})



class Migration(migrations.Migration):

    dependencies = [
        ('gatherings', '0007_evaluation_answers_in_groups'),
    ]

    operations = [
        migrations.AddField(
            model_name='agendaitem',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='description_nb',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='description_nn',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='title_en',
            field=models.CharField(max_length=300, null=True, validators=[core.text.validate_single_line], verbose_name='title'),
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='title_nb',
            field=models.CharField(max_length=300, null=True, validators=[core.text.validate_single_line], verbose_name='title'),
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='title_nn',
            field=models.CharField(max_length=300, null=True, validators=[core.text.validate_single_line], verbose_name='title'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='description_nb',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='description_nn',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='practical_info_en',
            field=models.TextField(blank=True, null=True, verbose_name='practical information'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='practical_info_nb',
            field=models.TextField(blank=True, null=True, verbose_name='practical information'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='practical_info_nn',
            field=models.TextField(blank=True, null=True, verbose_name='practical information'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='schedule_note_en',
            field=models.CharField(blank=True, help_text='When neither month nor dates are known, e.g. «Before the 2nd gathering».', max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='timing note'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='schedule_note_nb',
            field=models.CharField(blank=True, help_text='When neither month nor dates are known, e.g. «Before the 2nd gathering».', max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='timing note'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='schedule_note_nn',
            field=models.CharField(blank=True, help_text='When neither month nor dates are known, e.g. «Before the 2nd gathering».', max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='timing note'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='title_en',
            field=models.CharField(blank=True, help_text='Leave empty to use the kind.', max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='title'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='title_nb',
            field=models.CharField(blank=True, help_text='Leave empty to use the kind.', max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='title'),
        ),
        migrations.AddField(
            model_name='gathering',
            name='title_nn',
            field=models.CharField(blank=True, help_text='Leave empty to use the kind.', max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='title'),
        ),
        migrations.RunPython(copy_into_bokmal, copy_back_from_bokmal),
    ]
