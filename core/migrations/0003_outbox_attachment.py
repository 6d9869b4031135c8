"""An outgoing message may carry one text file (e.g. a gathering's calendar)."""


import core.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_tables_renamed'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='attachment',
            field=models.TextField(blank=True, verbose_name='attachment'),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='attachment_name',
            field=models.CharField(blank=True, max_length=100, validators=[core.text.validate_single_line], verbose_name='attachment name'),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='attachment_type',
            field=models.CharField(blank=True, max_length=100, validators=[core.text.validate_single_line], verbose_name='attachment type'),
        ),
    ]
