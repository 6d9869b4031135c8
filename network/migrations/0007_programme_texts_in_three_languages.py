"""The texts of the programme in three languages: a column per language for each text
(django-modeltranslation, ``network/translation.py``). The Bokmål column starts as the text
stored so far; Nynorsk and English start empty (the pages show Bokmål until they are given:
``manage.py load_programme_2012`` fills them for the 2012 programme's own texts)."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce

import core.text

TEXTS = {
    "programme": ("name", "owners", "description"),
    "theme": ("name", "description"),
    "network": ("name", "region", "description"),
}


def copy_into_bokmal(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("network", model_name)
        model.objects.update(**{f"{name}_nb": F(name) for name in fields})


def copy_back_from_bokmal(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("network", model_name)
        model.objects.update(**{name: Coalesce(F(f"{name}_nb"), F(name)) for name in fields})



class Migration(migrations.Migration):

    dependencies = [
        ('network', '0006_outbox_moved_to_core'),
    ]

    operations = [
        # A network without a name in the page's language sorts by its slug among its like.
        migrations.AlterModelOptions(
            name='network',
            options={'ordering': ['programme', 'theme__position', 'name', 'slug'], 'verbose_name': 'network', 'verbose_name_plural': 'networks'},
        ),
        migrations.AddField(
            model_name='network',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='network',
            name='description_nb',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='network',
            name='description_nn',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='network',
            name='name_en',
            field=models.CharField(max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='name'),
        ),
        migrations.AddField(
            model_name='network',
            name='name_nb',
            field=models.CharField(max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='name'),
        ),
        migrations.AddField(
            model_name='network',
            name='name_nn',
            field=models.CharField(max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='name'),
        ),
        migrations.AddField(
            model_name='network',
            name='region_en',
            field=models.CharField(blank=True, help_text='Empty for a national network.', max_length=100, null=True, validators=[core.text.validate_single_line], verbose_name='region'),
        ),
        migrations.AddField(
            model_name='network',
            name='region_nb',
            field=models.CharField(blank=True, help_text='Empty for a national network.', max_length=100, null=True, validators=[core.text.validate_single_line], verbose_name='region'),
        ),
        migrations.AddField(
            model_name='network',
            name='region_nn',
            field=models.CharField(blank=True, help_text='Empty for a national network.', max_length=100, null=True, validators=[core.text.validate_single_line], verbose_name='region'),
        ),
        migrations.AddField(
            model_name='programme',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='programme',
            name='description_nb',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='programme',
            name='description_nn',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='programme',
            name='name_en',
            field=models.CharField(max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='name'),
        ),
        migrations.AddField(
            model_name='programme',
            name='name_nb',
            field=models.CharField(max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='name'),
        ),
        migrations.AddField(
            model_name='programme',
            name='name_nn',
            field=models.CharField(max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='name'),
        ),
        migrations.AddField(
            model_name='programme',
            name='owners_en',
            field=models.CharField(blank=True, help_text='E.g. KRD, KS and the unions.', max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='owners'),
        ),
        migrations.AddField(
            model_name='programme',
            name='owners_nb',
            field=models.CharField(blank=True, help_text='E.g. KRD, KS and the unions.', max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='owners'),
        ),
        migrations.AddField(
            model_name='programme',
            name='owners_nn',
            field=models.CharField(blank=True, help_text='E.g. KRD, KS and the unions.', max_length=200, null=True, validators=[core.text.validate_single_line], verbose_name='owners'),
        ),
        migrations.AddField(
            model_name='theme',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='theme',
            name='description_nb',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='theme',
            name='description_nn',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='theme',
            name='name_en',
            field=models.CharField(max_length=100, null=True, validators=[core.text.validate_single_line], verbose_name='name'),
        ),
        migrations.AddField(
            model_name='theme',
            name='name_nb',
            field=models.CharField(max_length=100, null=True, validators=[core.text.validate_single_line], verbose_name='name'),
        ),
        migrations.AddField(
            model_name='theme',
            name='name_nn',
            field=models.CharField(max_length=100, null=True, validators=[core.text.validate_single_line], verbose_name='name'),
        ),
        migrations.AddConstraint(
            model_name='network',
            constraint=models.UniqueConstraint(fields=('programme', 'theme', 'region_nb'), name='network_network_unique_theme_region-nb', violation_error_message='This theme already has a network in this region.'),
        ),
        migrations.AddConstraint(
            model_name='network',
            constraint=models.UniqueConstraint(fields=('programme', 'theme', 'region_nn'), name='network_network_unique_theme_region-nn', violation_error_message='This theme already has a network in this region.'),
        ),
        migrations.AddConstraint(
            model_name='network',
            constraint=models.UniqueConstraint(fields=('programme', 'theme', 'region_en'), name='network_network_unique_theme_region-en', violation_error_message='This theme already has a network in this region.'),
        ),
        migrations.AddConstraint(
            model_name='theme',
            constraint=models.UniqueConstraint(fields=('programme', 'name_nb'), name='network_theme_unique_name_per_programme-nb'),
        ),
        migrations.AddConstraint(
            model_name='theme',
            constraint=models.UniqueConstraint(fields=('programme', 'name_nn'), name='network_theme_unique_name_per_programme-nn'),
        ),
        migrations.AddConstraint(
            model_name='theme',
            constraint=models.UniqueConstraint(fields=('programme', 'name_en'), name='network_theme_unique_name_per_programme-en'),
        ),
        migrations.RunPython(copy_into_bokmal, copy_back_from_bokmal),
    ]
