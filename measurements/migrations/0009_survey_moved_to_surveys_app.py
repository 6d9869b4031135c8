"""The reputation survey's models now belong to the surveys app; the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('measurements', '0008_round_reminder_opt_in'),
        ('surveys', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='statement',
                    name='questionnaire',
                ),
                migrations.RemoveField(
                    model_name='surveyrun',
                    name='questionnaire',
                ),
                migrations.RemoveField(
                    model_name='surveyanswer',
                    name='statement',
                ),
                migrations.RemoveField(
                    model_name='surveyanswer',
                    name='response',
                ),
                migrations.RemoveField(
                    model_name='surveyinvitation',
                    name='run',
                ),
                migrations.RemoveField(
                    model_name='surveyresponse',
                    name='run',
                ),
                migrations.RemoveField(
                    model_name='surveyrun',
                    name='closed_by',
                ),
                migrations.RemoveField(
                    model_name='surveyrun',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='surveyrun',
                    name='local_project',
                ),
                migrations.RemoveField(
                    model_name='surveyrun',
                    name='round',
                ),
                migrations.DeleteModel(
                    name='Questionnaire',
                ),
                migrations.DeleteModel(
                    name='Statement',
                ),
                migrations.DeleteModel(
                    name='SurveyAnswer',
                ),
                migrations.DeleteModel(
                    name='SurveyInvitation',
                ),
                migrations.DeleteModel(
                    name='SurveyResponse',
                ),
                migrations.DeleteModel(
                    name='SurveyRun',
                ),
            ],
        ),
    ]
