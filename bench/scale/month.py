"""A club's months: the meeting with attendance, health checks and dues, the activities, help
and gifts paid through the operating fund, and home-care visits. Each month's figures are kept
for its monthly report."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from bench.scale.common import Context, ym_list
from bench.scale.funds import ClubFunds, Entry
from bench.scale.members import Club, Register
from bench.scale.words import ACTIVITY_TITLES, CANCEL_REASONS, CARE_SERVICES
from config.months import add_months, month_bounds

AGENDA = "1. Điểm danh, đo huyết áp\n2. Thu hội phí, thu nợ\n3. Sinh hoạt chuyên đề"
MINUTES = "Sinh hoạt đầy đủ nội dung; thành viên đóng góp ý kiến."

Figures = dict[tuple[int, int], dict[str, Any]]


def _empty_figures() -> dict[str, Any]:
    return {
        "meetings": {"held": 0, "planned": 0, "cancelled": 0, "guests": 0},
        "attendance": {"present": 0, "absent": 0, "excused": 0},
        "health": {"readings": 0, "high": 0, "bp": 0, "weighed": 0},
        "activities": {"count": 0, "participants": 0, "beneficiaries": 0, "cost": 0},
        "areas": defaultdict(int),
        "visits": {"count": 0, "people": set(), "volunteers": set(), "minutes": 0},
    }


def simulate_months(ctx: Context, club: Club, register: Register, funds: ClubFunds) -> Figures:
    """Every generated month and the next one (whose meeting is only planned). Returns the
    figures by (year, month)."""
    fig: Figures = defaultdict(_empty_figures)
    op_balance = funds.opening_balance
    month_list = [*ctx.yms, ym_list(add_months(ctx.today, 1), 1)[0]]
    for year, month in month_list:
        f = fig[(year, month)]
        meeting_id, day, held, running = _meeting(ctx, club, register, funds, f, year, month)
        first, last = month_bounds(year, month)
        if first > ctx.today or not running:
            continue
        op_balance = _activities(
            ctx, club, register, funds, f, first, last, (meeting_id, day, held), op_balance
        )
        _visits(ctx, club, register, f, first, last)
    return fig


def _meeting(
    ctx: Context,
    club: Club,
    register: Register,
    funds: ClubFunds,
    f: dict[str, Any],
    year: int,
    month: int,
) -> tuple[int, datetime.date, bool, bool]:
    """The month's meeting; when held, everyone on the register gets a mark, some present
    members a reading, and some pay their dues."""
    rng, t, today = ctx.rng, ctx.t, ctx.today
    day = club.meeting_day(year, month)
    meeting_id = t["meeting"].new_id()
    running = club.status == "active" or (club.changed_on is not None and day < club.changed_on)
    cancelled = day < today and (rng.random() < 0.05 or not running)
    held = day < today and not cancelled
    m_status = "held" if held else "cancelled" if cancelled else "planned"
    guests = rng.randint(0, 3) if held else 0
    at = datetime.datetime.combine(day, club.meeting_time, tzinfo=ctx.tz)
    t["meeting"].add(
        meeting_id,
        club.id,
        day,
        club.meeting_time,
        club.place,
        m_status,
        AGENDA,
        MINUTES if held else "",
        guests,
        day,
        (rng.choice(CANCEL_REASONS) if running else club.reason) if cancelled else "",
        at + datetime.timedelta(hours=3) if held else None,
    )
    f["meetings"][m_status] += 1
    f["meetings"]["guests"] += guests
    if not held:
        return meeting_id, day, held, running
    for p in register.people:
        if not p.on_register(day):
            continue
        r = rng.random()
        mark = "present" if r < 0.82 else "excused" if r < 0.9 else "absent"
        t["attendance"].add(t["attendance"].new_id(), meeting_id, p.id, mark)
        f["attendance"][mark] += 1
        if mark == "present" and rng.random() < (0.55 if p.older else 0.12):
            systolic = diastolic = weight = None
            if rng.random() < 0.92:
                systolic = int(rng.gauss(132 if p.older else 118, 16))
                systolic = min(220, max(90, systolic))
                diastolic = min(systolic - 20, max(50, int(rng.gauss(82, 9))))
            if systolic is None or rng.random() < 0.7:
                weight = f"{rng.uniform(38, 75):.1f}"
            t["health"].add(
                t["health"].new_id(), club.id, p.id, meeting_id, day, systolic, diastolic, weight
            )
            f["health"]["readings"] += 1
            if systolic and diastolic:  # set together
                f["health"]["bp"] += 1
                f["health"]["high"] += systolic >= 140 or diastolic >= 90
            if weight:
                f["health"]["weighed"] += 1
        if mark == "present" and rng.random() < 0.45:
            funds.entries.append(
                Entry(
                    funds.operating,
                    day,
                    funds.dues_amount,
                    "in",
                    "dues",
                    p.id,
                    p.name,
                    f"Hội phí {month:02d}/{year}",
                    contribution=(p.id, year, month),
                )
            )
    return meeting_id, day, held, running


def _activities(
    ctx: Context,
    club: Club,
    register: Register,
    funds: ClubFunds,
    f: dict[str, Any],
    first: datetime.date,
    last: datetime.date,
    meeting: tuple[int, datetime.date, bool],
    op_balance: int,
) -> int:
    """Activities (some at the meeting), with a cost taken from the operating fund only when
    the money at the start of the month covers it; now and then help for a member in
    hardship, or a gift. Returns what the next month may spend."""
    rng, t, today = ctx.rng, ctx.t, ctx.today
    meeting_id, day, held = meeting
    operating, entries = funds.operating, funds.entries
    spendable = op_balance
    for _ in range(rng.randint(2, 4)):
        a_day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        at_meeting = held and rng.random() < 0.4
        if at_meeting:
            a_day = day
        if a_day > today:
            continue
        areas = rng.sample(range(len(ctx.area_ids)), rng.choice([1, 1, 2]))
        title = rng.choice(ACTIVITY_TITLES[areas[0] % len(ACTIVITY_TITLES)])
        cost = rng.choice([0, 0, 100_000, 200_000, 300_000, 500_000])
        if cost > spendable:
            cost = 0
        spendable -= cost
        activity_id = t["activity"].new_id()
        participants = rng.randint(10, 60)
        beneficiaries = rng.choice([0, 0, 2, 5, 10, 20])
        t["activity"].add(
            activity_id,
            club.id,
            a_day,
            title,
            participants,
            beneficiaries,
            cost,
            meeting_id if at_meeting else None,
        )
        for a in areas:
            t["activity_area"].add(t["activity_area"].new_id(), activity_id, ctx.area_ids[a])
            f["areas"][ctx.area_ids[a]] += 1
        f["activities"]["count"] += 1
        f["activities"]["participants"] += participants
        f["activities"]["beneficiaries"] += beneficiaries
        f["activities"]["cost"] += cost
        if cost:
            entries.append(
                Entry(operating, a_day, cost, "out", "activity", note=title, payer=title)
            )
    if held and spendable > 1_000_000 and rng.random() < 0.1:
        helped = rng.choice(register.staying)
        amount = rng.choice([200_000, 500_000, 1_000_000])
        spendable -= amount
        entries.append(Entry(operating, day, amount, "out", "hardship", helped.id, helped.name))
    if held and rng.random() < 0.08:
        entries.append(
            Entry(
                operating,
                day,
                rng.choice([500_000, 1_000_000, 2_000_000]),
                "in",
                "donation",
                payer="Nhà hảo tâm địa phương",
            )
        )
    # The next month may spend what came in this month.
    return spendable + sum(
        e.amount
        for e in entries
        if e.fund == operating and e.direction == "in" and first <= e.date <= last
    )


def _visits(
    ctx: Context,
    club: Club,
    register: Register,
    f: dict[str, Any],
    first: datetime.date,
    last: datetime.date,
) -> None:
    """Home-care visits of each volunteer to the member they care for."""
    rng, t, today = ctx.rng, ctx.t, ctx.today
    fv = f["visits"]
    for v, p in register.care:
        for _ in range(rng.choice([1, 1, 2, 3])):
            v_day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
            if v_day > today or not p.on_register(v_day):
                continue
            minutes = rng.choice([30, 45, 60, 90, 120])
            services = ",".join(sorted(rng.sample(CARE_SERVICES, rng.randint(1, 3))))
            t["visit"].add(t["visit"].new_id(), club.id, v.id, p.id, v_day, services, minutes)
            fv["count"] += 1
            fv["people"].add(p.id)
            fv["volunteers"].add(v.id)
            fv["minutes"] += minutes
