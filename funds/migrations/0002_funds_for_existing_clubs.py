"""Clubs created before the funds app get their two funds (new clubs get them on creation)."""

from django.db import migrations

NAMES = {"revolving": "Quỹ tăng thu nhập (quay vòng)", "operating": "Quỹ hoạt động"}


def forwards(apps, schema_editor):
    Club = apps.get_model("clubs", "Club")
    Fund = apps.get_model("funds", "Fund")
    have = set(Fund.objects.filter(club__isnull=False).values_list("club_id", "kind"))
    Fund.objects.bulk_create(
        [
            Fund(club_id=club_id, kind=kind, name=name)
            for club_id in Club.objects.values_list("pk", flat=True).iterator()
            for kind, name in NAMES.items()
            if (club_id, kind) not in have
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_funds_ledger_loans")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
