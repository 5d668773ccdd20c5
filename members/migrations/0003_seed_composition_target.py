"""The one row of composition targets, with the national (Decision 1336) and Lai Châu figures."""

from django.db import migrations


def seed(apps, schema_editor):
    CompositionTarget = apps.get_model("members", "CompositionTarget")
    if not CompositionTarget.objects.exists():
        CompositionTarget.objects.create(
            min_members=50,
            max_members=70,
            women_min=60,
            women_max=70,
            older_min=60,
            older_max=70,
            younger_min=30,
            younger_max=40,
            poor_min=60,
            poor_max=70,
            min_volunteers=5,
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_targets_care_imports")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
