"""Demo users (password Demo@12345), one per role, scoped to Lai Châu."""

from typing import TextIO

from accounts.models import Role, User

DEMO_PASSWORD = "Demo@12345"  # noqa: S105 - the documented demo password


def seed(out: TextIO) -> None:
    from clubs.demo import DEMO_COMMUNE_CODE, LAI_CHAU_CODE, LEADER2_CLUB_CODE, LEADER_CLUB_CODE
    from clubs.models import Area, Club

    province = Area.objects.get(level=Area.Level.PROVINCE, code=LAI_CHAU_CODE)
    commune = Area.objects.get(level=Area.Level.COMMUNE, code=DEMO_COMMUNE_CODE)
    club = Club.objects.get(code=LEADER_CLUB_CODE)
    club2 = Club.objects.get(code=LEADER2_CLUB_CODE)
    users = [
        ("admin", "Quản trị", "Hệ thống", Role.ADMIN, None, None, True),
        ("province", "Lò Văn", "Thanh", Role.PROVINCE, province, None, False),
        ("commune", "Tẩn Thị", "Mai", Role.COMMUNE, commune, None, False),
        ("leader", "Lường Thị", "Xuân", Role.CLUB_LEADER, None, club, False),
        ("leader2", "Giàng A", "Chứ", Role.CLUB_LEADER, None, club2, False),
        ("viewer", "Nguyễn Văn", "Bình", Role.VIEWER, province, None, False),
    ]
    created = 0
    for username, first, last, role, area, club_, is_super in users:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "area": area,
                "club": club_,
                "is_superuser": is_super,
                "is_staff": is_super,
                "email": f"{username}@example.org",
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
    out.write(f"Demo users: {created} created, {len(users) - created} already there.\n")
