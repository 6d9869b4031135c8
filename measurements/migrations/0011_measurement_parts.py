"""A value may be broken down into parts (the reputation index per target group): one value per
project, indicator, round and part; the part-less value is the indicator's own."""

import core.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measurements', '0010_indicator_measured_by_survey'),
        ('municipalities', '0006_participant_listed_publicly'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='measurement',
            name='measurements_measurement_one_value_per_round',
        ),
        migrations.AddField(
            model_name='historicalmeasurement',
            name='part',
            field=models.CharField(blank=True, default='', help_text='Empty for the value itself; the part of it, e.g. a target group.', max_length=30, validators=[core.text.validate_single_line], verbose_name='part'),
        ),
        migrations.AddField(
            model_name='measurement',
            name='part',
            field=models.CharField(blank=True, default='', help_text='Empty for the value itself; the part of it, e.g. a target group.', max_length=30, validators=[core.text.validate_single_line], verbose_name='part'),
        ),
        migrations.AddConstraint(
            model_name='measurement',
            constraint=models.UniqueConstraint(fields=('local_project', 'indicator', 'round', 'part'), name='measurements_measurement_one_value_per_round_and_part', violation_error_message='This indicator already has a value in this round.'),
        ),
    ]
