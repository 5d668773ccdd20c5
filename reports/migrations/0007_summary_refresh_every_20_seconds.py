"""Refresh the dashboard figures every 20 seconds instead of every minute: a refresh with
nothing to do costs about 0.1 s at 20,000 clubs, and a minute between refreshes plus the
recompute itself put a leader's write on the province dashboard after up to 60 s
(docs/performance.md, freshness). An administrator who changed the schedule in the admin
keeps theirs."""

from django.db import migrations

OLD_NAME = "Refresh dashboard figures (every minute)"
NEW_NAME = "Refresh dashboard figures (every 20 seconds)"
TASK = "reports.tasks.refresh_summaries"


def forwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    task = PeriodicTask.objects.filter(name=OLD_NAME, task=TASK).select_related("interval").first()
    if task is None or task.interval is None:
        return
    if (task.interval.every, task.interval.period) != (1, "minutes"):
        return  # changed by an administrator: theirs stands
    every_20s, _ = IntervalSchedule.objects.get_or_create(every=20, period="seconds")
    task.interval = every_20s
    task.name = NEW_NAME
    task.save(update_fields=["interval", "name"])


def backwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.filter(name=NEW_NAME, task=TASK).update(
        interval=every_minute, name=OLD_NAME
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_club_year_summaries"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
