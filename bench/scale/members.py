"""A club, its register of members, its board and who cares for whom."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import NamedTuple

from bench.scale.common import CODE_PREFIX, Context, fold
from bench.scale.words import (
    ETHNIC_MIX,
    FAMILY,
    GIVEN_F,
    GIVEN_M,
    LEAVE_REASONS,
    MIDDLE_F,
    MIDDLE_M,
    PHONE_PREFIXES,
    VILLAGE,
    VILLAGE_NAMES,
)
from config.months import day_in_month
from month.schedule import nth_weekday

BOARD = ["chair", "vice_chair", "secretary", "accountant", "treasurer"]


@dataclass
class Club:
    """What the rest of a club's simulation needs to know about the club."""

    id: int
    name: str
    village: str
    commune_id: int
    province_id: int
    founded: datetime.date
    rule: str
    day: int
    week: int
    weekday: int
    meeting_time: datetime.time
    place: str
    status: str
    changed_on: datetime.date | None
    reason: str

    def meeting_day(self, year: int, month: int) -> datetime.date:
        if self.rule == "nth_weekday":
            return nth_weekday(year, month, self.week, self.weekday)
        return day_in_month(year, month, self.day)


class Person(NamedTuple):
    """A member as the simulation sees them."""

    id: int
    name: str
    sex: str
    older: bool
    joined: datetime.date
    left: datetime.date | None
    household_status: str
    volunteer: bool
    needs_care: bool
    phone: str

    def on_register(self, day: datetime.date) -> bool:
        return self.joined <= day and (self.left is None or self.left > day)


@dataclass
class Register:
    people: list[Person]
    # Members who have not left.
    staying: list[Person]
    # (volunteer, recipient) pairs.
    care: list[tuple[Person, Person]] = field(default_factory=list)


def add_club(ctx: Context, i: int, commune: tuple[int, int, str]) -> Club:
    rng, t, today = ctx.rng, ctx.t, ctx.today
    commune_id, province_id, commune_name = commune
    club_id = t["club"].new_id()
    code = f"{CODE_PREFIX}{i + 1:06d}"
    village = f"{rng.choice(VILLAGE)} {rng.choice(VILLAGE_NAMES)}"
    name = f"CLB LTHTGN {village} {i + 1}"
    founded = ctx.window_start - datetime.timedelta(days=rng.randint(60, 11 * 365))
    decision = founded - datetime.timedelta(days=rng.randint(5, 30))
    rule = "nth_weekday" if rng.random() < 0.12 else "day_of_month"
    day = rng.randint(1, 28)
    week = rng.choice([1, 2, 3, -1])
    weekday = rng.randint(0, 6)
    meeting_time = datetime.time(8, 0) if rng.random() < 0.7 else datetime.time(14, 0)
    place = f"Nhà văn hóa {village}"
    roll = rng.random()
    status, changed_on, reason = "active", None, ""
    if roll < 0.02:
        status, reason = "paused", "Ban chủ nhiệm đang kiện toàn"
        changed_on = today - datetime.timedelta(days=rng.randint(5, 60))
    t["club"].add(
        club_id,
        code,
        name,
        commune_id,
        province_id,
        village,
        founded,
        f"{rng.randint(1, 250)}/QĐ-UBND",
        decision,
        f"UBND {commune_name}",
        founded,
        status,
        changed_on,
        reason,
        rule,
        day if rule == "day_of_month" else None,
        week if rule == "nth_weekday" else None,
        weekday if rule == "nth_weekday" else None,
        meeting_time,
        place,
        rng.choice(["helpage", "vae", "vae", "local_budget", "other"]),
        fold(f"{name} {village} {code}"),
    )
    return Club(
        id=club_id,
        name=name,
        village=village,
        commune_id=commune_id,
        province_id=province_id,
        founded=founded,
        rule=rule,
        day=day,
        week=week,
        weekday=weekday,
        meeting_time=meeting_time,
        place=place,
        status=status,
        changed_on=changed_on,
        reason=reason,
    )


def add_members(ctx: Context, club: Club) -> Register:
    """45–75 members, a board of five, and a volunteer for each member in need of care."""
    rng, t, today, window_start = ctx.rng, ctx.t, ctx.today, ctx.window_start
    founded = club.founded
    people = []
    n = rng.randint(45, 75)
    volunteers_wanted = rng.randint(5, 10)
    for k in range(n):
        member_id = t["member"].new_id()
        sex = "F" if rng.random() < 0.64 else "M"
        older = rng.random() < 0.64
        year = rng.randint(1936, today.year - 61) if older else rng.randint(1967, 2001)
        birth_date = (
            datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.6
            else None
        )
        full = _name(rng, sex)
        if rng.random() < 0.9:
            joined = founded + datetime.timedelta(
                days=rng.randint(0, max(1, (window_start - founded).days - 1))
            )
        else:
            joined = window_start + datetime.timedelta(
                days=rng.randint(0, max(1, (today - window_start).days))
            )
        left = None
        if rng.random() < 0.04:
            left = joined + datetime.timedelta(days=rng.randint(1, 400))
            if left > today or left < window_start:
                left = None
        consent = rng.random() < 0.93
        poor = ""
        if consent:
            r = rng.random()
            poor = "poor" if r < 0.3 else "near_poor" if r < 0.58 else "not_poor"
        volunteer = (not older and k % 3 == 0 and volunteers_wanted > 0) or (
            k >= n - volunteers_wanted and volunteers_wanted > 0 and rng.random() < 0.5
        )
        needs_care = consent and older and left is None and rng.random() < 0.09
        volunteer = volunteer and not needs_care
        phone = _phone(rng) if rng.random() < 0.82 else ""
        t["member"].add(
            member_id,
            club.id,
            full,
            fold(full),
            sex,
            birth_date,
            year,
            rng.choice(ETHNIC_MIX) if consent else "",
            phone,
            club.village,
            poor,
            consent and rng.random() < 0.06,
            older and rng.random() < 0.1,
            rng.random() < 0.88,
            needs_care,
            volunteer,
            joined,
            left,
            rng.choice(LEAVE_REASONS) if left else "",
            max(joined, datetime.date(2026, 1, 1)) if consent else None,
            rng.choice(["paper", "verbal"]) if consent else "",
            rng.random() < 0.03,
        )
        people.append(
            Person(member_id, full, sex, older, joined, left, poor, volunteer, needs_care, phone)
        )

    staying = [p for p in people if p.left is None]
    # Board: chair (an older member), vice-chair, secretary, accountant, treasurer.
    seats = rng.sample(staying, 5)
    for position, p in zip(BOARD, seats, strict=True):
        t["board"].add(
            t["board"].new_id(),
            club.id,
            p.id,
            position,
            max(founded, p.joined),
            club.province_id,
            p.name,
            fold(p.name),
        )
        person = (p.id, p.name, p.sex, p.phone)
        ctx.board_people[club.commune_id].append((person, position, club.name, club.province_id))
    # Care: each member in need gets a volunteer.
    volunteers = [p for p in staying if p.volunteer]
    if len(volunteers) < 2:
        volunteers = [p for p in staying if not p.needs_care][:5]
    recipients = [p for p in staying if p.needs_care]
    register = Register(people=people, staying=staying)
    for k, p in enumerate(recipients):
        v = volunteers[k % len(volunteers)]
        if v.id == p.id:
            continue
        t["care"].add(t["care"].new_id(), v.id, p.id, max(p.joined, v.joined))
        register.care.append((v, p))
    return register


def _name(rng: random.Random, sex: str) -> str:
    if sex == "F":
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def _phone(rng: random.Random) -> str:
    return f"0{rng.choice(PHONE_PREFIXES)}{rng.randint(1_000_000, 9_999_999)}"
