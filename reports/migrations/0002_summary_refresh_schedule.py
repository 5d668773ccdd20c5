"""Refresh the dashboard figures every minute, and rebuild the last months every night as a
safety net for writes that skip signals (both editable in the admin)."""

from django.db import migrations

REFRESH_NAME = "Refresh dashboard figures (every minute)"
REFRESH_TASK = "reports.tasks.refresh_summaries"
REBUILD_NAME = "Rebuild dashboard figures of the last 3 months (nightly)"
REBUILD_TASK = "reports.tasks.rebuild_recent_summaries"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=REFRESH_NAME,
        defaults={"task": REFRESH_TASK, "interval": every_minute, "enabled": True},
    )
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.get_or_create(
        name=REBUILD_NAME,
        defaults={"task": REBUILD_TASK, "crontab": nightly, "enabled": True},
    )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[REFRESH_NAME, REBUILD_NAME]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_summaries_and_exports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
