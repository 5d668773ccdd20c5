"""Carry what pointed at the models' old home in ``clubs`` over to ``month``.

- Content types: permissions granted on meetings, reports … and the admin's log keep working.
- The nightly meeting-planning task is now registered as ``month.tasks.plan_meetings``.
"""

from django.db import migrations

MODELS = (
    "activityarea",
    "meeting",
    "attendance",
    "healthcheck",
    "activity",
    "homecarevisit",
    "monthlyreport",
    "monthlyreportevent",
    "reminder",
)
TASKS = (("clubs.tasks.plan_meetings", "month.tasks.plan_meetings"),)


def forward(apps, schema_editor):
    _move(apps, "clubs", "month", reverse_tasks=False)


def backward(apps, schema_editor):
    _move(apps, "month", "clubs", reverse_tasks=True)


def _move(apps, old, new, *, reverse_tasks):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # A row already made for the new label (by an earlier run) wins; the old one goes.
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for before, after in TASKS:
        if reverse_tasks:
            before, after = after, before
        PeriodicTask.objects.filter(task=before).update(task=after)


class Migration(migrations.Migration):
    dependencies = [
        ("month", "0001_move_from_clubs"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forward, backward)]
