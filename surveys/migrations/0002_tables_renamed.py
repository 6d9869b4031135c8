"""The moved tables get the names and constraint names of the app that now owns them."""


from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measurements', '0009_survey_moved_to_surveys_app'),
        ('measurements', '0009_survey_moved_to_surveys_app'),
        ('municipalities', '0006_participant_listed_publicly'),
        ('network', '0006_outbox_moved_to_core'),
        ('surveys', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='questionnaire',
            name='measurements_questionnaire_unique_version',
        ),
        migrations.RemoveConstraint(
            model_name='statement',
            name='measurements_statement_unique_code',
        ),
        migrations.RemoveConstraint(
            model_name='surveyanswer',
            name='measurements_surveyanswer_one_per_statement',
        ),
        migrations.RemoveConstraint(
            model_name='surveyanswer',
            name='measurements_surveyanswer_value_on_scale',
        ),
        migrations.RemoveConstraint(
            model_name='surveyrun',
            name='measurements_surveyrun_one_per_round_and_group',
        ),
        migrations.RemoveConstraint(
            model_name='surveyrun',
            name='measurements_surveyrun_dates_ordered',
        ),
        migrations.AddConstraint(
            model_name='questionnaire',
            constraint=models.UniqueConstraint(fields=('programme', 'version'), name='surveys_questionnaire_unique_version', violation_error_message='The programme already has this questionnaire version.'),
        ),
        migrations.AddConstraint(
            model_name='statement',
            constraint=models.UniqueConstraint(fields=('questionnaire', 'code'), name='surveys_statement_unique_code', violation_error_message='The questionnaire already has a statement with this code.'),
        ),
        migrations.AddConstraint(
            model_name='surveyanswer',
            constraint=models.UniqueConstraint(fields=('response', 'statement'), name='surveys_surveyanswer_one_per_statement'),
        ),
        migrations.AddConstraint(
            model_name='surveyanswer',
            constraint=models.CheckConstraint(condition=models.Q(('value__isnull', True), models.Q(('value__gte', 1), ('value__lte', 6)), _connector='OR'), name='surveys_surveyanswer_value_on_scale', violation_error_message="A rating is from 1 to 6, or «don't know»."),
        ),
        migrations.AddConstraint(
            model_name='surveyrun',
            constraint=models.UniqueConstraint(fields=('local_project', 'round', 'target_group'), name='surveys_surveyrun_one_per_round_and_group', violation_error_message='The project already has a survey of this target group in this round.'),
        ),
        migrations.AddConstraint(
            model_name='surveyrun',
            constraint=models.CheckConstraint(condition=models.Q(('closes_on__gte', models.F('opens_on'))), name='surveys_surveyrun_dates_ordered', violation_error_message='A survey cannot close before it opens.'),
        ),
        migrations.AlterModelTable(
            name='questionnaire',
            table=None,
        ),
        migrations.AlterModelTable(
            name='statement',
            table=None,
        ),
        migrations.AlterModelTable(
            name='surveyanswer',
            table=None,
        ),
        migrations.AlterModelTable(
            name='surveyinvitation',
            table=None,
        ),
        migrations.AlterModelTable(
            name='surveyresponse',
            table=None,
        ),
        migrations.AlterModelTable(
            name='surveyrun',
            table=None,
        ),
    ]
