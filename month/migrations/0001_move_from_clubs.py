"""The club's month gets its own app: the models move here from ``clubs``, the tables stay.

State only (``SeparateDatabaseAndState``): every table keeps its name (``clubs_meeting``,
``clubs_attendance`` …, set by ``Meta.db_table``), so an existing database migrates without
copying a row. ``clubs.0010_month_models_moved_out`` removes the models from ``clubs``' state.
"""

import config.choices
import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('clubs', '0009_club_province'),
        ('members', '0003_seed_composition_target'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ActivityArea',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('name_en', models.CharField(blank=True, max_length=200, verbose_name='English name')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('active', models.BooleanField(default=True, verbose_name='in use')),
                    ],
                    options={
                        'verbose_name': 'activity area',
                        'verbose_name_plural': 'activity areas',
                        'db_table': 'clubs_activityarea',
                        'ordering': ['order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Meeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('starts_at', models.TimeField(blank=True, null=True, verbose_name='time')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('status', models.CharField(choices=[('planned', 'Planned'), ('held', 'Held'), ('cancelled', 'Cancelled')], default='planned', max_length=10, verbose_name='status')),
                        ('agenda', models.TextField(blank=True, verbose_name='agenda')),
                        ('minutes', models.TextField(blank=True, verbose_name='minutes')),
                        ('decisions', models.TextField(blank=True, verbose_name='decisions')),
                        ('guests', models.PositiveSmallIntegerField(default=0, verbose_name='guests')),
                        ('planned_on', models.DateField(blank=True, null=True, verbose_name='planned by the rule for')),
                        ('moved_from', models.DateField(blank=True, null=True, verbose_name='moved from')),
                        ('change_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for the change')),
                        ('recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='recorded at')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='clubs.club', verbose_name='club')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'meeting',
                        'verbose_name_plural': 'meetings',
                        'db_table': 'clubs_meeting',
                        'ordering': ['-date', '-pk'],
                    },
                    bases=(config.choices.ChoiceLabels, models.Model),
                ),
                migrations.CreateModel(
                    name='HealthCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('systolic', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='systolic (mmHg)')),
                        ('diastolic', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='diastolic (mmHg)')),
                        ('weight', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True, verbose_name='weight (kg)')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='health_checks', to='clubs.club', verbose_name='club')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='health_checks', to='members.member', verbose_name='member')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='health_checks', to='month.meeting', verbose_name='meeting')),
                    ],
                    options={
                        'verbose_name': 'health check',
                        'verbose_name_plural': 'health checks',
                        'db_table': 'clubs_healthcheck',
                        'ordering': ['-date', '-pk'],
                    },
                    bases=(config.choices.ChoiceLabels, models.Model),
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('present', 'Present'), ('absent', 'Absent'), ('excused', 'Excused')], max_length=8, verbose_name='attendance')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='members.member', verbose_name='member')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='month.meeting', verbose_name='meeting')),
                    ],
                    options={
                        'verbose_name': 'attendance',
                        'verbose_name_plural': 'attendance',
                        'db_table': 'clubs_attendance',
                    },
                    bases=(config.choices.ChoiceLabels, models.Model),
                ),
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('title', models.CharField(max_length=200, verbose_name='name of the activity')),
                        ('participant_count', models.PositiveIntegerField(default=0, help_text='Leave at 0 to count the members ticked above.', verbose_name='number of participants')),
                        ('beneficiaries', models.PositiveIntegerField(default=0, verbose_name='beneficiaries')),
                        ('cost', models.BigIntegerField(default=0, verbose_name='cost (VND)')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='clubs.club', verbose_name='club')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('participants', models.ManyToManyField(blank=True, db_table='clubs_activity_participants', related_name='activities', to='members.member', verbose_name='participating members')),
                        ('areas', models.ManyToManyField(db_table='clubs_activity_areas', related_name='activities', to='month.activityarea', verbose_name='activity areas')),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='activities', to='month.meeting', verbose_name='meeting')),
                    ],
                    options={
                        'verbose_name': 'activity',
                        'verbose_name_plural': 'activities',
                        'db_table': 'clubs_activity',
                        'ordering': ['-date', '-pk'],
                    },
                    bases=(config.choices.ChoiceLabels, models.Model),
                ),
                migrations.CreateModel(
                    name='MonthlyReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('month', models.PositiveSmallIntegerField(verbose_name='month')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('reviewed', 'Reviewed by the commune'), ('approved', 'Approved by the province'), ('returned', 'Returned')], default='draft', max_length=10, verbose_name='status')),
                        ('figures', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='figures')),
                        ('compiled_at', models.DateTimeField(blank=True, null=True, verbose_name='compiled at')),
                        ('narrative', models.TextField(blank=True, verbose_name='activities and results')),
                        ('difficulties', models.TextField(blank=True, verbose_name='difficulties and proposals')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                        ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='approved at')),
                        ('returned_at', models.DateTimeField(blank=True, null=True, verbose_name='returned at')),
                        ('return_comment', models.TextField(blank=True, verbose_name='comment')),
                        ('reopened_at', models.DateTimeField(blank=True, null=True, verbose_name='reopened at')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='monthly_reports', to='clubs.club', verbose_name='club')),
                        ('province', models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clubs.area', verbose_name='province')),
                        ('reopened_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('returned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'monthly report',
                        'verbose_name_plural': 'monthly reports',
                        'db_table': 'clubs_monthlyreport',
                        'ordering': ['-year', '-month', 'club__name'],
                    },
                    bases=(config.choices.ChoiceLabels, models.Model),
                ),
                migrations.CreateModel(
                    name='MonthlyReportEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('created', 'Created'), ('compiled', 'Figures compiled'), ('submitted', 'Submitted'), ('reviewed', 'Reviewed'), ('approved', 'Approved by the province'), ('returned', 'Returned'), ('reopened', 'Reopened')], max_length=10, verbose_name='action')),
                        ('from_status', models.CharField(blank=True, choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('reviewed', 'Reviewed by the commune'), ('approved', 'Approved by the province'), ('returned', 'Returned')], max_length=10)),
                        ('to_status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('reviewed', 'Reviewed by the commune'), ('approved', 'Approved by the province'), ('returned', 'Returned')], max_length=10)),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='month.monthlyreport', verbose_name='monthly report')),
                    ],
                    options={
                        'verbose_name': 'monthly report event',
                        'verbose_name_plural': 'monthly report events',
                        'db_table': 'clubs_monthlyreportevent',
                        'ordering': ['at', 'pk'],
                    },
                    bases=(config.choices.ChoiceLabels, models.Model),
                ),
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('member', 'Member reminder'), ('digest', 'Leader digest')], default='member', max_length=6, verbose_name='kind')),
                        ('channel', models.CharField(choices=[('sms', 'SMS'), ('email', 'Email')], max_length=5, verbose_name='channel')),
                        ('lead_days', models.PositiveSmallIntegerField(verbose_name='days before')),
                        ('meeting_date', models.DateField(verbose_name='meeting date')),
                        ('address', models.CharField(blank=True, max_length=254, verbose_name='sent to')),
                        ('due_at', models.DateTimeField(db_index=True, verbose_name='due at')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt at')),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Skipped')], default='pending', max_length=8, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.CharField(blank=True, max_length=500, verbose_name='last error')),
                        ('provider_id', models.CharField(blank=True, max_length=100, verbose_name='provider message id')),
                        ('text', models.CharField(blank=True, max_length=500, verbose_name='text')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('sending_started_at', models.DateTimeField(blank=True, null=True, verbose_name='sending started at')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='month.meeting', verbose_name='meeting')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='members.member', verbose_name='recipient')),
                    ],
                    options={
                        'verbose_name': 'meeting reminder',
                        'verbose_name_plural': 'meeting reminders',
                        'db_table': 'clubs_reminder',
                        'ordering': ['-due_at', 'pk'],
                    },
                    bases=(config.choices.ChoiceLabels, models.Model),
                ),
                migrations.CreateModel(
                    name='HomeCareVisit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('services', models.CharField(max_length=200, verbose_name='services given')),
                        ('duration_minutes', models.PositiveSmallIntegerField(verbose_name='duration (minutes)')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='home_care_visits', to='clubs.club', verbose_name='club')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits_received', to='members.member', verbose_name='care recipient')),
                        ('volunteer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits_given', to='members.member', verbose_name='volunteer')),
                    ],
                    options={
                        'verbose_name': 'home-care visit',
                        'verbose_name_plural': 'home-care visits',
                        'db_table': 'clubs_homecarevisit',
                        'ordering': ['-date', '-pk'],
                        'indexes': [models.Index(fields=['club', 'date'], name='visit_club_date')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('volunteer', models.F('recipient')), _negated=True), name='visit_not_to_oneself'), models.CheckConstraint(condition=models.Q(('duration_minutes__gte', 1), ('duration_minutes__lte', 1440)), name='visit_duration_range')],
                    },
                    bases=(config.choices.ChoiceLabels, models.Model),
                ),
                migrations.AddIndex(
                    model_name='meeting',
                    index=models.Index(fields=['club', 'date'], name='meeting_club_date'),
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.UniqueConstraint(condition=models.Q(('planned_on__isnull', False)), fields=('club', 'planned_on'), name='meeting_unique_rule_day'),
                ),
                migrations.AddIndex(
                    model_name='healthcheck',
                    index=models.Index(fields=['club', 'date'], name='healthcheck_club_date'),
                ),
                migrations.AddIndex(
                    model_name='healthcheck',
                    index=models.Index(fields=['member', 'date'], name='healthcheck_member_date'),
                ),
                migrations.AddConstraint(
                    model_name='healthcheck',
                    constraint=models.UniqueConstraint(condition=models.Q(('meeting__isnull', False)), fields=('meeting', 'member'), name='healthcheck_one_per_meeting'),
                ),
                migrations.AddConstraint(
                    model_name='healthcheck',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('diastolic__isnull', True), ('systolic__isnull', True)), models.Q(('diastolic__isnull', False), ('systolic__isnull', False)), _connector='OR'), name='healthcheck_bp_pair'),
                ),
                migrations.AddConstraint(
                    model_name='healthcheck',
                    constraint=models.CheckConstraint(condition=models.Q(('systolic__isnull', False), ('weight__isnull', False), _connector='OR'), name='healthcheck_not_empty'),
                ),
                migrations.AddConstraint(
                    model_name='healthcheck',
                    constraint=models.CheckConstraint(condition=models.Q(('systolic__isnull', True), models.Q(('diastolic__gte', 30), ('diastolic__lt', models.F('systolic')), ('diastolic__lte', 160), ('systolic__gte', 60), ('systolic__lte', 260)), _connector='OR'), name='healthcheck_bp_plausible'),
                ),
                migrations.AddConstraint(
                    model_name='healthcheck',
                    constraint=models.CheckConstraint(condition=models.Q(('weight__isnull', True), models.Q(('weight__gte', 20), ('weight__lte', 200)), _connector='OR'), name='healthcheck_weight_plausible'),
                ),
                migrations.AddConstraint(
                    model_name='attendance',
                    constraint=models.UniqueConstraint(fields=('meeting', 'member'), name='attendance_unique'),
                ),
                migrations.AddIndex(
                    model_name='activity',
                    index=models.Index(fields=['club', 'date'], name='activity_club_date'),
                ),
                migrations.AddConstraint(
                    model_name='activity',
                    constraint=models.CheckConstraint(condition=models.Q(('cost__gte', 0)), name='activity_cost_not_negative'),
                ),
                migrations.AddIndex(
                    model_name='monthlyreport',
                    index=models.Index(fields=['year', 'month', 'status'], name='report_month_status'),
                ),
                migrations.AddIndex(
                    model_name='monthlyreport',
                    index=models.Index(fields=['province', 'status', '-year', '-month'], name='report_province_inbox'),
                ),
                migrations.AddConstraint(
                    model_name='monthlyreport',
                    constraint=models.UniqueConstraint(fields=('club', 'year', 'month'), name='report_unique_month'),
                ),
                migrations.AddConstraint(
                    model_name='monthlyreport',
                    constraint=models.CheckConstraint(condition=models.Q(('month__gte', 1), ('month__lte', 12)), name='report_month_range'),
                ),
                migrations.AddIndex(
                    model_name='reminder',
                    index=models.Index(condition=models.Q(('status', 'pending')), fields=['due_at'], name='reminder_pending_due'),
                ),
                migrations.AddIndex(
                    model_name='reminder',
                    index=models.Index(fields=['status', 'sending_started_at'], name='reminder_status_started'),
                ),
                migrations.AddConstraint(
                    model_name='reminder',
                    constraint=models.UniqueConstraint(fields=('meeting', 'member', 'channel', 'lead_days', 'meeting_date', 'kind'), name='reminder_unique_per_recipient_lead'),
                ),
            ],
        ),
    ]
