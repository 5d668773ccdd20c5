"""The club's month moved to its own app (``month``): clubs forgets the models, keeps no row.

State only: the tables (``clubs_meeting`` …) stay where they are and now belong to ``month``
(see ``month.0001_move_from_clubs``), so an existing database migrates without copying a row.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clubs", "0009_club_province"),
        ("month", "0001_move_from_clubs"),
        ("reports", "0003_activity_area_in_month"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='activity',
                    name='areas',
                ),
                migrations.RemoveField(
                    model_name='activity',
                    name='club',
                ),
                migrations.RemoveField(
                    model_name='activity',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='activity',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='activity',
                    name='participants',
                ),
                migrations.RemoveField(
                    model_name='attendance',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='attendance',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='healthcheck',
                    name='club',
                ),
                migrations.RemoveField(
                    model_name='healthcheck',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='healthcheck',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='healthcheck',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='homecarevisit',
                    name='club',
                ),
                migrations.RemoveField(
                    model_name='homecarevisit',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='homecarevisit',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='homecarevisit',
                    name='volunteer',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='changed_by',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='club',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='approved_by',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='club',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='province',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='reopened_by',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='returned_by',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='reviewed_by',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='submitted_by',
                ),
                migrations.RemoveField(
                    model_name='monthlyreportevent',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='monthlyreportevent',
                    name='by',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='member',
                ),
    
                migrations.DeleteModel(
                    name='ActivityArea',
                ),
                migrations.DeleteModel(
                    name='Activity',
                ),
                migrations.DeleteModel(
                    name='Attendance',
                ),
                migrations.DeleteModel(
                    name='HealthCheck',
                ),
                migrations.DeleteModel(
                    name='HomeCareVisit',
                ),
                migrations.DeleteModel(
                    name='Meeting',
                ),
                migrations.DeleteModel(
                    name='MonthlyReport',
                ),
                migrations.DeleteModel(
                    name='MonthlyReportEvent',
                ),
                migrations.DeleteModel(
                    name='Reminder',
                ),
    
            ],
        ),
    ]
