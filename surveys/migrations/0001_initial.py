"""The reputation survey moves from the measurements app to its own app; its tables stay
(renamed in the next migration)."""

import core.text
import django.db.models.deletion
import surveys.models
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """The moved models keep their content types (and with them permissions and admin log)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ['questionnaire', 'statement', 'surveyrun', 'surveyinvitation', 'surveyresponse', 'surveyanswer']:
        if not ContentType.objects.filter(app_label="surveys", model=model).exists():
            ContentType.objects.filter(app_label="measurements", model=model).update(app_label="surveys")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('measurements', '0008_round_reminder_opt_in'),
        ('municipalities', '0006_participant_listed_publicly'),
        ('network', '0005_scheduled_job'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SurveyResponse',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('through_open_link', models.BooleanField(default=False, verbose_name='through the open link')),
                        ('word_1', models.CharField(blank=True, max_length=40, validators=[core.text.validate_single_line], verbose_name='word 1')),
                        ('word_2', models.CharField(blank=True, max_length=40, validators=[core.text.validate_single_line], verbose_name='word 2')),
                        ('word_3', models.CharField(blank=True, max_length=40, validators=[core.text.validate_single_line], verbose_name='word 3')),
                    ],
                    options={
                        'verbose_name': 'survey response',
                        'verbose_name_plural': 'survey responses',
                        'db_table': 'measurements_surveyresponse',
                    },
                ),
                migrations.CreateModel(
                    name='Questionnaire',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveSmallIntegerField(verbose_name='version')),
                        ('intro_nb', models.TextField(blank=True, verbose_name='introduction (Bokmål)')),
                        ('intro_nn', models.TextField(blank=True, verbose_name='introduction (Nynorsk)')),
                        ('intro_en', models.TextField(blank=True, verbose_name='introduction (English)')),
                        ('words_question_nb', models.CharField(max_length=200, validators=[core.text.validate_single_line], verbose_name='three-words question (Bokmål)')),
                        ('words_question_nn', models.CharField(max_length=200, validators=[core.text.validate_single_line], verbose_name='three-words question (Nynorsk)')),
                        ('words_question_en', models.CharField(max_length=200, validators=[core.text.validate_single_line], verbose_name='three-words question (English)')),
                        ('revision', models.PositiveIntegerField(default=1, editable=False, verbose_name='revision')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='questionnaires', to='network.programme', verbose_name='programme')),
                    ],
                    options={
                        'verbose_name': 'reputation questionnaire',
                        'verbose_name_plural': 'reputation questionnaires',
                        'db_table': 'measurements_questionnaire',
                        'ordering': ['programme', 'version'],
                    },
                ),
                migrations.CreateModel(
                    name='Statement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('code', models.SlugField(help_text='A short name for exports, e.g. attraktiv-arbeidsgiver.', max_length=40, verbose_name='code')),
                        ('group', models.CharField(choices=[('employer', 'The municipality as an employer'), ('community', 'The municipality as a community')], max_length=20, verbose_name='about')),
                        ('text_nb', models.CharField(max_length=180, validators=[core.text.validate_single_line], verbose_name='statement (Bokmål)')),
                        ('text_nn', models.CharField(max_length=180, validators=[core.text.validate_single_line], verbose_name='statement (Nynorsk)')),
                        ('text_en', models.CharField(max_length=180, validators=[core.text.validate_single_line], verbose_name='statement (English)')),
                        ('questionnaire', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='statements', to='surveys.questionnaire', verbose_name='questionnaire')),
                    ],
                    options={
                        'verbose_name': 'statement',
                        'verbose_name_plural': 'statements',
                        'db_table': 'measurements_statement',
                        'ordering': ['questionnaire', 'position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SurveyAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('value', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='value')),
                        ('statement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='surveys.statement', verbose_name='statement')),
                        ('response', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='surveys.surveyresponse', verbose_name='response')),
                    ],
                    options={
                        'verbose_name': 'survey answer',
                        'verbose_name_plural': 'survey answers',
                        'db_table': 'measurements_surveyanswer',
                    },
                ),
                migrations.CreateModel(
                    name='SurveyRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('target_group', models.CharField(choices=[('employees', 'Employees'), ('residents', 'Residents'), ('applicants', 'Applicants'), ('politicians', 'Politicians')], max_length=20, verbose_name='target group')),
                        ('token', models.CharField(default=surveys.models.new_token, editable=False, max_length=43, unique=True, verbose_name='link token')),
                        ('opens_on', models.DateField(verbose_name='open from')),
                        ('closes_on', models.DateField(verbose_name='open until')),
                        ('accepts_open_link', models.BooleanField(default=True, help_text='Turn off to take answers only through one-time invitation links: only such a survey gives the official reputation index.', verbose_name='anyone with the open link can answer')),
                        ('invitations_sent', models.PositiveIntegerField(default=0, verbose_name='invitations sent')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='opened')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                        ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='closed by')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='opened by')),
                        ('local_project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_runs', to='municipalities.localproject', verbose_name='local project')),
                        ('questionnaire', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='runs', to='surveys.questionnaire', verbose_name='questionnaire')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='survey_runs', to='measurements.measurementround', verbose_name='measurement round')),
                    ],
                    options={
                        'verbose_name': 'survey run',
                        'verbose_name_plural': 'survey runs',
                        'db_table': 'measurements_surveyrun',
                        'ordering': ['local_project', 'round__position', 'target_group'],
                    },
                ),
                migrations.AddField(
                    model_name='surveyresponse',
                    name='run',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='surveys.surveyrun', verbose_name='survey run'),
                ),
                migrations.CreateModel(
                    name='SurveyInvitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token_hash', models.CharField(max_length=64, unique=True, verbose_name='token hash')),
                        ('used', models.BooleanField(default=False, verbose_name='used')),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='surveys.surveyrun', verbose_name='survey run')),
                    ],
                    options={
                        'verbose_name': 'survey invitation',
                        'verbose_name_plural': 'survey invitations',
                        'db_table': 'measurements_surveyinvitation',
                    },
                ),
                migrations.AddConstraint(
                    model_name='questionnaire',
                    constraint=models.UniqueConstraint(fields=('programme', 'version'), name='measurements_questionnaire_unique_version', violation_error_message='The programme already has this questionnaire version.'),
                ),
                migrations.AddConstraint(
                    model_name='statement',
                    constraint=models.UniqueConstraint(fields=('questionnaire', 'code'), name='measurements_statement_unique_code', violation_error_message='The questionnaire already has a statement with this code.'),
                ),
                migrations.AddConstraint(
                    model_name='surveyanswer',
                    constraint=models.UniqueConstraint(fields=('response', 'statement'), name='measurements_surveyanswer_one_per_statement'),
                ),
                migrations.AddConstraint(
                    model_name='surveyanswer',
                    constraint=models.CheckConstraint(condition=models.Q(('value__isnull', True), models.Q(('value__gte', 1), ('value__lte', 6)), _connector='OR'), name='measurements_surveyanswer_value_on_scale', violation_error_message="A rating is from 1 to 6, or «don't know»."),
                ),
                migrations.AddConstraint(
                    model_name='surveyrun',
                    constraint=models.UniqueConstraint(fields=('local_project', 'round', 'target_group'), name='measurements_surveyrun_one_per_round_and_group', violation_error_message='The project already has a survey of this target group in this round.'),
                ),
                migrations.AddConstraint(
                    model_name='surveyrun',
                    constraint=models.CheckConstraint(condition=models.Q(('closes_on__gte', models.F('opens_on'))), name='measurements_surveyrun_dates_ordered', violation_error_message='A survey cannot close before it opens.'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
