"""Demo members: names typical of Lai Châu's peoples, 38–80 per club, deterministic.

Each club follows a profile, so that most meet the composition targets and some miss one.
"""

import datetime
import random
import zlib
from typing import TextIO

from django.db.models import Exists, OuterRef

from clubs.models import BoardPosition, Club
from members.models import CareAssignment, Member

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


# How a demo club is made up: some meet every target, others miss one (the flags show it).
# (size range, share of women, older people, poor/near-poor, home-care volunteers)
PROFILES = {
    "on_target": ((55, 68), 0.65, 0.65, 0.65, 6),
    "small": ((38, 47), 0.66, 0.66, 0.62, 5),
    "few_women": ((52, 66), 0.45, 0.64, 0.64, 6),
    "few_poor": ((50, 64), 0.64, 0.66, 0.30, 7),
    "young": ((56, 70), 0.62, 0.45, 0.66, 8),
    "few_volunteers": ((50, 62), 0.68, 0.70, 0.68, 3),
    "large": ((74, 80), 0.61, 0.62, 0.70, 9),
}
PROFILE_CYCLE = ["on_target", "few_volunteers", "on_target", "small", "few_women", "on_target",
                 "few_poor", "young", "on_target", "large"]  # fmt: skip
LEFT_PER_CLUB = 3  # former members kept on the register (they do not count)
# Mobile prefixes in use in Vietnam (Viettel, VinaPhone, MobiFone), so demo numbers are valid.
PHONE_PREFIXES = ["086", "096", "097", "098", "032", "035", "088", "091", "094", "090"]


def profile_for(club: Club) -> tuple:
    return PROFILES[PROFILE_CYCLE[zlib.crc32(club.code.encode()) % len(PROFILE_CYCLE)]]


def _flags(n: int, share: float, rng: random.Random) -> list[bool]:
    k = round(n * share)
    flags = [True] * k + [False] * (n - k)
    rng.shuffle(flags)
    return flags


def member_rows(club: Club, rng: random.Random, today: datetime.date) -> list[Member]:
    """The club's members: exact shares from its profile, plus a few who left."""
    (low, high), women, older, poor, volunteers = profile_for(club)
    size = rng.randint(low, high)
    total = size + LEFT_PER_CLUB
    is_woman, is_older, is_poor = (_flags(total, x, rng) for x in (women, older, poor))
    joined = club.founded_on or datetime.date(2020, 1, 1)
    rows = []
    for i in range(total):
        ethnicity = rng.choice(ETHNIC_MIX)
        families, men, women_names = NAMES[ethnicity]
        female = is_woman[i]
        name = f"{rng.choice(families)} {rng.choice(women_names if female else men)}"
        # Ages away from the cut-off, so year-only birthdays never blur older/younger.
        age = rng.randint(61, 88) if is_older[i] else rng.randint(22, 57)
        year = today.year - age
        birth_date = None
        if rng.random() < 0.6:
            birth_date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        household = (
            rng.choice([Member.Household.POOR, Member.Household.NEAR_POOR])
            if is_poor[i]
            else Member.Household.NOT_POOR
        )
        left_on = None
        if i >= size:  # the last few have left
            left_on = min(joined + datetime.timedelta(days=rng.randint(200, 900)), today)
        rows.append(
            Member(
                club=club,
                full_name=name,
                sex=Member.Sex.FEMALE if female else Member.Sex.MALE,
                birth_date=birth_date,
                birth_year=year,
                ethnicity=ethnicity,
                phone=f"{rng.choice(PHONE_PREFIXES)}{rng.randint(1_000_000, 9_999_999)}"
                if rng.random() < 0.7
                else "",
                village=club.village,
                household_status=household,
                has_disability=rng.random() < 0.06,
                lives_alone=is_older[i] and rng.random() < 0.12,
                has_health_insurance=rng.random() < 0.92,
                needs_care=is_older[i] and age > 75 and rng.random() < 0.35,
                joined_on=joined,
                left_on=left_on,
                leave_reason="Chuyển nơi ở" if left_on else "",
                # Every demo member has agreed on paper: their sensitive fields and the health
                # readings the month's demo takes at meetings need it.
                consent_on=joined,
                consent_method=Member.ConsentMethod.PAPER,
            )
        )
    # Home-care volunteers: current members under 70, as many as the profile says.
    able = [m for m in rows if m.left_on is None and today.year - m.birth_year < 70]
    for m in rng.sample(able, min(volunteers, len(able))):
        m.is_volunteer = True
    return rows


BOARD = [
    BoardPosition.Position.CHAIR,
    BoardPosition.Position.VICE_CHAIR,
    BoardPosition.Position.SECRETARY,
    BoardPosition.Position.TREASURER,
]


def board_rows(club: Club, members: list[Member]) -> list[BoardPosition]:
    """A chair (an older woman if there is one), a vice-chair, a secretary and a treasurer."""
    active = [m for m in members if m.left_on is None]
    chair = next((m for m in active if m.sex == Member.Sex.FEMALE and m.birth_year < 1966), None)
    others = [m for m in active if m is not chair]
    people = ([chair] if chair else []) + others
    start = club.founded_on or datetime.date(2020, 1, 1)
    # Written with bulk_create: the seat's copies (BoardPosition.save) are set here.
    return [
        BoardPosition(
            club=club,
            member=m,
            position=pos,
            start_on=start,
            province_id=club.province_id,
            member_name=m.full_name,
            search_name=m.search_name,
        )
        for pos, m in zip(BOARD, people, strict=False)
    ]


def care_rows(members: list[Member], rng: random.Random) -> list[CareAssignment]:
    """Volunteers care for those who need it, round-robin; the last one waits for a volunteer."""
    active = [m for m in members if m.left_on is None]
    volunteers = [m for m in active if m.is_volunteer]
    needing = [m for m in active if m.needs_care]
    if not volunteers:
        return []
    rows = []
    for i, recipient in enumerate(needing[:-1]):
        volunteer = volunteers[i % len(volunteers)]
        start = recipient.joined_on + datetime.timedelta(days=rng.randint(30, 300))
        rows.append(CareAssignment(volunteer=volunteer, recipient=recipient, start_on=start))
    return rows


def seed(out: TextIO) -> None:
    today = datetime.date.today()  # noqa: DTZ011 - demo data relative to the local date
    created = boards = assignments = 0
    clubs = Club.objects.order_by("code").annotate(
        has_members=Exists(Member.objects.filter(club=OuterRef("pk"))),
        has_board=Exists(BoardPosition.objects.filter(club=OuterRef("pk"))),
        has_care=Exists(CareAssignment.objects.filter(volunteer__club=OuterRef("pk"))),
    )
    for club in clubs:
        rng = random.Random(club.code)
        if not club.has_members:
            rows = member_rows(club, rng, today)
            Member.objects.bulk_create(_with_keys(rows))
            created += len(rows)
        if club.has_board and club.has_care:
            continue
        members = list(Member.objects.filter(club=club).order_by("pk"))
        if not club.has_board:
            seats = board_rows(club, members)
            BoardPosition.objects.bulk_create(seats)
            boards += len(seats)
        if not club.has_care:
            care = care_rows(members, rng)
            CareAssignment.objects.bulk_create(care)
            assignments += len(care)
    out.write(
        f"Demo members: {created} created; {boards} board seats, {assignments} care assignments.\n"
    )


def _with_keys(rows: list[Member]) -> list[Member]:
    """bulk_create skips save(), which fills the accent-free search key."""
    from config.text import fold

    for row in rows:
        row.search_name = fold(row.full_name)
    return rows
