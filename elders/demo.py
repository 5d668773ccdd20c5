"""Demo register of older persons (run by seed_demo after the month): for each demo commune,
the club members aged 60 and over linked (not typed again), other older persons of the
commune, entitlements with gaps to find, the 2024 and 2025 longevity celebrations, and support
paid from the commune's care fund. Idempotent: a commune that has a register is left alone."""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.conf import settings
from django.utils import timezone

from accounts.models import Role, User
from clubs.models import Area, Club
from elders import services
from elders.models import (
    PLAN_SPENDING,
    PLAN_TARGETS,
    CareFundPlan,
    CareReceipt,
    CareSupport,
    OlderPerson,
    milestone_for,
)
from elders.selectors import beneficiaries
from funds import services as funds_services
from funds.models import Fund, FundPlan, LedgerEntry
from members.demo import ETHNIC_MIX, NAMES
from members.models import Member

OTHERS_PER_COMMUNE = 40
VILLAGES_FALLBACK = ["Bản Mới", "Bản Hon", "Bản Lở"]


def _staff(commune: Area) -> User | None:
    """Who records the demo data: the commune's staff, else an admin."""
    return (
        User.objects.filter(role=Role.COMMUNE, area=commune, is_active=True).first()
        or User.objects.filter(is_superuser=True, is_active=True).first()
    )


def _care_fund(commune: Area, today: datetime.date) -> Fund:
    fund = Fund.objects.filter(owner_area=commune, kind=Fund.Kind.CARE).first()
    if fund is None:
        fund = funds_services.fund_create(
            kind=Fund.Kind.CARE, name="Quỹ chăm sóc NCT xã", owner_area=commune
        )
    for year, amount in ((2024, 40_000_000), (2025, 45_000_000)):
        day = min(datetime.date(year, 1, 15), today)
        funds_services.entry_record(
            fund=fund,
            date=day,
            amount=amount,
            direction=LedgerEntry.Direction.IN,
            category=LedgerEntry.Category.DONATION,
            by=None,
            payer="Vận động hội viên, nhà hảo tâm",
        )
    fund.refresh_from_db()
    return fund


def _card(rng: random.Random, today: datetime.date) -> tuple[str, datetime.date | None]:
    """A card number and expiry: most valid, some expiring soon, some expired, some missing."""
    roll = rng.random()
    if roll < 0.15:
        return "", None
    number = "".join(rng.choice("0123456789") for _ in range(10))
    if roll < 0.25:
        return f"HT3{rng.choice(['12', '11'])}{number}", today - datetime.timedelta(
            days=rng.randint(10, 200)
        )
    if roll < 0.35:
        return number, today + datetime.timedelta(days=rng.randint(5, 55))
    return number, datetime.date(today.year + 1, 12, 31)


def _other(commune: Area, rng: random.Random, villages: list[str], today: datetime.date) -> dict:
    ethnicity = rng.choice(ETHNIC_MIX)
    families, men, women = NAMES[ethnicity]
    female = rng.random() < 0.58
    name = f"{rng.choice(families)} {rng.choice(women if female else men)}"
    year = rng.choice(range(today.year - 100, today.year - settings.ISHC_OLDER_AGE + 1))
    age = today.year - year
    if rng.random() < 0.04:
        year = today.year - 100 - rng.randint(0, 3)  # a few centenarians
        age = today.year - year
    support = ""
    if age >= 80:
        support = rng.choice(["allowance", "allowance", "pension", "", "social_pension"])
    elif age >= 75:
        support = rng.choice(["social_pension", "pension", "", "none"])
    elif rng.random() < 0.2:
        support = "pension"
    number, expiry = _card(rng, today)
    return {
        "full_name": name,
        "sex": "F" if female else "M",
        "birth_year": year,
        "village": rng.choice(villages),
        "address": "",
        "phone": "",
        "is_association_member": rng.random() < 0.7,
        "living": rng.choice(["family"] * 6 + ["spouse"] * 3 + ["alone"] * 2),
        "household_status": rng.choice(["", "not_poor", "not_poor", "near_poor", "poor"]),
        "support": support,
        "ethnicity": ethnicity,
        "insurance_number": number,
        "insurance_expiry": expiry,
    }


def seed(out: TextIO) -> None:
    today = timezone.localdate()
    communes = Area.objects.filter(
        level=Area.Level.COMMUNE, clubs__isnull=False, older_persons__isnull=True
    ).distinct()
    made = 0
    for commune in communes.order_by("code"):
        by = _staff(commune)
        if by is None:
            continue
        made += _seed_commune(commune, by, today)
    out.write(f"Older persons: {made} added to the demo communes' registers.\n")
    plans = _plans()
    receipts = _receipts()
    out.write(f"Care funds: {plans} plans for {PLAN_YEAR}, {receipts} receipts with their donor.\n")


def _seed_commune(commune: Area, by: User, today: datetime.date) -> int:
    rng = random.Random(f"elders-{commune.code}")
    clubs = list(Club.objects.filter(commune=commune))
    villages = [c.village for c in clubs if c.village] or VILLAGES_FALLBACK
    people: list[OlderPerson] = []
    older = Member.objects.filter(
        club__in=clubs,
        left_on__isnull=True,
        birth_year__lte=today.year - settings.ISHC_OLDER_AGE,
        birth_year__gte=today.year - services.MAX_AGE,
    ).select_related("club")
    for member in older.order_by("pk"):
        people.append(
            services.person_create(
                commune=commune,
                fields={
                    "full_name": member.full_name,
                    "sex": member.sex,
                    "birth_year": member.birth_year,
                    "is_association_member": True,
                    "support": "pension" if rng.random() < 0.15 else "",
                },
                member=member,
                by=by,
            )
        )
    consent = services.Consent(on=datetime.date(2024, 3, 6), method="paper")
    for _ in range(OTHERS_PER_COMMUNE):
        values = _other(commune, rng, villages, today)
        people.append(
            services.person_create(commune=commune, fields=values, consent=consent, by=by)
        )
    # A few died in the last two years (drop out of the celebration lists, with the reason).
    not_members = [p for p in people if not p.member_id]
    for person in rng.sample(not_members, k=min(3, len(not_members))):
        died = today - datetime.timedelta(days=rng.randint(30, 600))
        services.person_update(person=person, fields={"died_on": died}, by=by)
        person.refresh_from_db()
    fund = _care_fund(commune, today)
    _celebrations(people, fund, rng, by, today)
    _support(people, fund, rng, by, today)
    return len(people)


def _celebrations(
    people: list[OlderPerson], fund: Fund, rng: random.Random, by: User, today: datetime.date
) -> None:
    # 2024 and 2025 held for most; this year's list half done (the rest still to present).
    years = sorted({2024, 2025, today.year})
    for year in years:
        held_on = min(datetime.date(year, 6, 6), today)
        skip = 0.5 if year == today.year and year > 2025 else 0.2
        for person in people:
            if milestone_for(person.age_in(year)) is None or rng.random() < skip:
                continue
            if person.died_on and person.died_on < held_on:
                continue
            age = person.age_in(year)
            given_by = "president" if age >= 100 else "province" if age == 90 else "association"
            value = 0 if given_by != "association" else rng.choice([200_000, 300_000, 500_000])
            services.celebration_record(
                person=person,
                year=year,
                occasion="jun6",
                held_on=held_on,
                given_by=given_by,
                gift="Thiếp mừng, khăn" if value else "Thiếp mừng, quà",
                gift_value=value,
                fund=fund if value and fund.balance > value + 2_000_000 else None,
                by=by,
            )
            fund.refresh_from_db()


def _support(
    people: list[OlderPerson], fund: Fund, rng: random.Random, by: User, today: datetime.date
) -> None:
    alive = [p for p in people if not p.died_on]
    poor = [p for p in alive if p.household_status in ("poor", "near_poor")]
    for person in poor[:12]:
        day = min(datetime.date(2025, 1, 20), today)
        services.support_pay(
            person=person,
            fund=fund,
            amount=300_000,
            date=day,
            purpose=CareSupport.Purpose.TET_GIFT,
            note="Tết Ất Tỵ",
            by=by,
        )
    # Tết gifts of this year from a beneficiary list: poor or near-poor, living alone, or
    # 80+ without an allowance, in one payment run.
    tet = min(datetime.date(today.year, 2, 10), today)
    listed = list(
        beneficiaries(
            viewer=by,
            commune=fund.owner_area or people[0].commune,
            day=tet,
            purpose=CareSupport.Purpose.TET_GIFT,
            poor=True,
            alone=True,
            no_allowance_80=True,
        )
    )
    fund.refresh_from_db()
    if listed and fund.balance > 200_000 * len(listed) + 5_000_000:
        services.support_pay_list(
            persons=listed,
            fund=fund,
            amount=200_000,
            date=tet,
            purpose=CareSupport.Purpose.TET_GIFT,
            note=f"Tết {today.year}",
            by=by,
        )
    for person in rng.sample(alive, k=min(6, len(alive))):
        services.support_pay(
            person=person,
            fund=fund,
            amount=rng.choice([200_000, 300_000, 500_000]),
            date=today - datetime.timedelta(days=rng.randint(5, 300)),
            purpose=CareSupport.Purpose.SICK_VISIT,
            by=by,
        )
    for person in [p for p in people if p.died_on]:
        services.support_pay(
            person=person,
            fund=fund,
            amount=1_000_000,
            date=person.died_on or today,
            purpose=CareSupport.Purpose.FUNERAL,
            by=by,
        )


# --- Care-fund plans and receipts ------------------------------------------------------------

PLAN_YEAR = 2024
# How a plan's target splits by source, and its spending by purpose (percent, in the order of
# ``PLAN_TARGETS`` and ``PLAN_SPENDING``).
TARGET_SPLIT = (40, 25, 20, 10, 5)
SPEND_SPLIT = (20, 15, 25, 25, 10, 5)
RECEIPTS = (
    (datetime.date(2024, 3, 15), 3_000_000, "members", "Chi hội NCT bản Mới"),
    (datetime.date(2024, 6, 1), 5_000_000, "businesses", "Công ty TNHH Chè Tam Đường"),
    (datetime.date(2024, 9, 20), 1_500_000, "individuals", "Ông Lò Văn Hặc"),
    (datetime.date(2024, 10, 1), 4_000_000, "budget", "UBND xã"),
)


def _split(total: int, shares: tuple[int, ...]) -> list[int]:
    parts = [total * s // 100 for s in shares]
    parts[0] += total - sum(parts)
    return parts


def _plan_values(total: int) -> dict[str, int]:
    values = dict(zip((f for f, _s in PLAN_TARGETS), _split(total, TARGET_SPLIT), strict=True))
    values.update(zip((f for f, _p in PLAN_SPENDING), _split(total, SPEND_SPLIT), strict=True))
    return values


def _plans() -> int:
    """Each demo province's 2024 care-fund target (the funds demo's 250.000.000 ₫) split into
    the plans of its demo communes and the province association's own share."""
    made = 0
    targets = FundPlan.objects.filter(
        year=PLAN_YEAR, fund__kind=Fund.Kind.CARE, fund__owner_area__level=Area.Level.PROVINCE
    ).select_related("fund__owner_area")
    for target in targets:
        province = target.fund.owner_area if target.fund else None
        if province is None or CareFundPlan.objects.filter(year=PLAN_YEAR, area=province).exists():
            continue
        communes = list(
            Area.objects.filter(level=Area.Level.COMMUNE, province=province, clubs__isnull=False)
            .distinct()
            .order_by("code")
        )
        each = target.target // (len(communes) + 1) // 1_000_000 * 1_000_000
        shares = [(c, each) for c in communes]
        shares.append((province, target.target - each * len(communes)))
        for area, total in shares:
            CareFundPlan.objects.get_or_create(
                area=area,
                year=PLAN_YEAR,
                defaults={**_plan_values(total), "note": "Kế hoạch 2024"},
            )
            made += 1
    return made


def _receipts() -> int:
    """A few receipts with their source and donor in each demo commune's care fund."""
    made = 0
    funds = Fund.objects.filter(
        kind=Fund.Kind.CARE,
        owner_area__level=Area.Level.COMMUNE,
        owner_area__older_persons__isnull=False,
    ).distinct()
    for fund in funds.select_related("owner_area").order_by("pk"):
        area = fund.owner_area
        if area is None or CareReceipt.objects.filter(area=area).exists():
            continue
        by = _staff(area)
        if by is None:
            continue
        for day, amount, source, donor in RECEIPTS:
            services.receipt_record(
                fund=fund, date=day, amount=amount, source=source, donor=donor, note="", by=by
            )
            made += 1
    return made
