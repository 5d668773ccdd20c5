"""Every seat gets its club's province and its member's name (``BoardPosition.province``,
``member_name``, ``search_name``): one UPDATE with a subquery per column, on SQLite and
PostgreSQL alike (a province's few thousand seats, ≈ 100,000 at 20,000 clubs)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    BoardPosition = apps.get_model("clubs", "BoardPosition")
    Club = apps.get_model("clubs", "Club")
    Member = apps.get_model("members", "Member")
    member = Member.objects.filter(pk=OuterRef("member_id"))
    BoardPosition.objects.update(
        province_id=Subquery(Club.objects.filter(pk=OuterRef("club_id")).values("province_id")),
        member_name=Subquery(member.values("full_name")),
        search_name=Subquery(member.values("search_name")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clubs", "0013_board_seat_copies"),
        ("members", "0008_club_composition"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]
