"""Which catalogue indicator the reputation survey writes is a field, not a name matched as
text; the 2012 catalogue's «Omdømmeindeks» gets it."""

from django.db import migrations, models


def mark_reputation_index(apps, schema_editor):
    Indicator = apps.get_model("measurements", "Indicator")
    Indicator.objects.filter(local_project=None, name="Omdømmeindeks").update(
        measured_by_survey=True
    )


class Migration(migrations.Migration):

    dependencies = [
        ('measurements', '0009_survey_moved_to_surveys_app'),
    ]

    operations = [
        migrations.AddField(
            model_name='indicator',
            name='measured_by_survey',
            field=models.BooleanField(default=False, help_text="The reputation survey's results are written to this indicator.", verbose_name='measured by the reputation survey'),
        ),
        migrations.RunPython(mark_reputation_index, migrations.RunPython.noop),
    ]
