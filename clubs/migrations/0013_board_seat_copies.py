"""The seat's copies of its club's province and its member's name (``BoardPosition``), for
the index of current board members in name order; not in the seat's history."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clubs", "0012_club_list_keyset_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="boardposition",
            name="member_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="boardposition",
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
        migrations.AddField(
            model_name="boardposition",
            name="search_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=120),
        ),
    ]
