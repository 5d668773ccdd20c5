"""The fund's copies of its holder: whether a club holds it, the holder's name, province and
commune (``Fund.copy_holder``), which the fund list filters and sorts on."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clubs", "0012_club_list_keyset_indexes"),
        ("funds", "0004_transfer_requests_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="fund",
            name="club_owned",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="fund",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clubs.area",
                verbose_name="commune/ward",
            ),
        ),
        migrations.AddField(
            model_name="fund",
            name="holder_name",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="held by"
            ),
        ),
        migrations.AddField(
            model_name="fund",
            name="province",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clubs.area",
                verbose_name="province",
            ),
        ),
    ]
