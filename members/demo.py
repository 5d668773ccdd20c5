"""Demo members: names typical of Lai Châu's peoples, 45–75 per club, deterministic."""

import datetime
import random
from typing import TextIO

from clubs.models import Club
from members.models import Member

# Family names and given names by ethnic group (as commonly written in Lai Châu).
NAMES = {
    "Thái": (["Lò", "Lường", "Tòng", "Cầm", "Quàng", "Điêu", "Hoàng"],
             ["Văn Ơn", "Văn Piềng", "Văn Xôm", "Văn Ả"],
             ["Thị Xuân", "Thị Ón", "Thị Pánh", "Thị Xiêng", "Thị Bun", "Thị Ngoan"]),
    "Mông": (["Giàng", "Thào", "Sùng", "Vàng", "Lý", "Hầu", "Mùa"],
             ["A Chứ", "A Páo", "A Dế", "A Sính", "A Lử"],
             ["Thị Mỷ", "Thị Dợ", "Thị Sua", "Thị Già", "Thị Pằng"]),
    "Dao": (["Tẩn", "Chảo", "Lý", "Phàn", "Đặng"],
            ["Láo Lở", "Seo Chiêu", "Văn Phú", "Ông Quẩy"],
            ["Thị Mai", "Mỹ Chài", "Thị Dín", "Thị Chiêm"]),
    "Giáy": (["Lò", "Hoàng", "Vàng", "Lù"],
             ["Văn Sinh", "Văn Thào", "Văn Chỉn"],
             ["Thị Hoa", "Thị Sen", "Thị Pắn"]),
    "Kinh": (["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ"],
             ["Văn Hùng", "Văn Bình", "Đức Minh", "Văn Thắng", "Quang Huy"],
             ["Thị Tư", "Thị Hoa", "Thị Lan", "Thị Hằng", "Thị Thu", "Thị Nga"]),
    "Hà Nhì": (["Lỳ", "Chu", "Pờ", "Sừ", "Lò"],
               ["Gạ Xá", "Hừ Chừ", "Mò Sừ", "A Pó"],
               ["Mé Xá", "Pà Xá", "Xé Chừ", "Lé Mơ"]),
}  # fmt: skip
ETHNIC_MIX = ["Thái"] * 4 + ["Mông"] * 3 + ["Dao"] * 2 + ["Giáy", "Kinh", "Kinh", "Hà Nhì"]


def member_rows(club: Club, rng: random.Random, today: datetime.date) -> list[Member]:
    size = rng.randint(45, 75)
    women_share = rng.uniform(0.5, 0.8)
    older_share = rng.uniform(0.45, 0.8)
    poor_share = rng.uniform(0.2, 0.75)
    rows = []
    for i in range(size):
        ethnicity = rng.choice(ETHNIC_MIX)
        families, men, women = NAMES[ethnicity]
        female = rng.random() < women_share
        name = f"{rng.choice(families)} {rng.choice(women if female else men)}"
        older = rng.random() < older_share
        age = rng.randint(60, 88) if older else rng.randint(22, 59)
        year = today.year - age
        birth_date = None
        if rng.random() < 0.6:
            birth_date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        household = (
            rng.choice([Member.Household.POOR, Member.Household.NEAR_POOR])
            if rng.random() < poor_share
            else Member.Household.NOT_POOR
        )
        joined = club.founded_on or datetime.date(2020, 1, 1)
        left_on = None
        if i % 23 == 7:
            left_on = joined + datetime.timedelta(days=rng.randint(200, 900))
            left_on = min(left_on, today)
        rows.append(
            Member(
                club=club,
                full_name=name,
                sex=Member.Sex.FEMALE if female else Member.Sex.MALE,
                birth_date=birth_date,
                birth_year=year,
                ethnicity=ethnicity,
                phone=f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.7 else "",
                village=club.village,
                household_status=household,
                has_disability=rng.random() < 0.06,
                lives_alone=older and rng.random() < 0.12,
                has_health_insurance=rng.random() < 0.92,
                needs_care=older and age > 75 and rng.random() < 0.5,
                is_volunteer=age < 70 and i % 9 == 0,
                joined_on=joined,
                left_on=left_on,
                leave_reason="Chuyển nơi ở" if left_on else "",
                consent_on=joined,
                consent_method=Member.ConsentMethod.PAPER,
            )
        )
    return rows


def seed(out: TextIO) -> None:
    today = datetime.date.today()  # noqa: DTZ011 - demo data relative to the local date
    created = 0
    for club in Club.objects.order_by("code"):
        if club.members.exists():
            continue
        rng = random.Random(club.code)
        rows = member_rows(club, rng, today)
        Member.objects.bulk_create(_with_keys(rows))
        created += len(rows)
    out.write(f"Demo members: {created} created.\n")


def _with_keys(rows: list[Member]) -> list[Member]:
    """bulk_create skips save(), which fills the accent-free search key."""
    from config.text import fold

    for row in rows:
        row.search_name = fold(row.full_name)
    return rows
