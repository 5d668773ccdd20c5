"""Activity areas now belong to the month app (same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('month', '0001_move_from_clubs'),
        ('reports', '0002_summary_refresh_schedule'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='clubmonthactivity',
                    name='activity_area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='month.activityarea'),
                ),
            ],
        ),
    ]
