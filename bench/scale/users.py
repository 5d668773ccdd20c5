"""Accounts to log in with on the generated data."""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection

from bench.scale.common import CODE_PREFIX, PASSWORD, USER_PREFIX


def add_users() -> list[str]:
    """Staff to log in with (password Demo@12345): for the five provinces with the most
    clubs, provincial staff, staff of the commune with the most clubs there and the
    leader of that commune's first club. The largest province's are also
    scale_province, scale_commune, scale_leader; scale_admin is a superuser.

    Provinces with as many clubs rank by their number of communes: at 2,000 clubs many
    provinces tie, and the one with most communes is also the largest at 20,000, so the
    benchmarks compare the same province's pages (its dashboard lists every commune) at
    both sizes."""
    User = apps.get_model("accounts", "User")
    password = make_password(PASSWORD)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.province_id, c.commune_id, MIN(c.id), COUNT(*) AS n
            FROM clubs_club c JOIN clubs_area a ON a.id = c.commune_id
            WHERE c.code LIKE %s
            GROUP BY a.province_id, c.commune_id
            """,
            [CODE_PREFIX + "%"],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT province_id, COUNT(*) FROM clubs_area WHERE level = 'commune' "
            "GROUP BY province_id"
        )
        communes = dict(cursor.fetchall())
    per_province: dict[int, int] = defaultdict(int)
    best: dict[int, tuple[int, int, int]] = {}
    for province_id, commune_id, club_id, n in rows:
        per_province[province_id] += n
        if province_id not in best or n > best[province_id][2]:
            best[province_id] = (commune_id, club_id, n)
    top = sorted(per_province, key=lambda p: (-per_province[p], -communes.get(p, 0), p))[:5]
    users = [
        User(
            username=f"{USER_PREFIX}admin",
            password=password,
            role="admin",
            is_superuser=True,
            is_staff=True,
        )
    ]
    for rank, province_id in enumerate(top):
        commune_id, club_id, _n = best[province_id]
        suffix = "" if rank == 0 else f"_{rank + 1}"
        users += [
            User(
                username=f"{USER_PREFIX}province{suffix}",
                password=password,
                role="province",
                area_id=province_id,
                first_name="Cán bộ tỉnh",
            ),
            User(
                username=f"{USER_PREFIX}commune{suffix}",
                password=password,
                role="commune",
                area_id=commune_id,
                first_name="Cán bộ xã",
            ),
            User(
                username=f"{USER_PREFIX}leader{suffix}",
                password=password,
                role="club_leader",
                club_id=club_id,
                first_name="Chủ nhiệm CLB",
            ),
        ]
    User.objects.bulk_create(users)
    return [u.username for u in users]
