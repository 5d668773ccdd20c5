"""The communes' registers of older persons: every older member of a generated club linked
(the member's own name, sex and year of birth, as the register keeps them in step), and the
older persons of the club's village who are in no club, ``PER_CLUB`` in all on average
(20,000 clubs give about 3 million older persons).

Written with the club, from the member rows just buffered for it (their ids, names and years
of birth), so nothing is read back from the database.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.apps import apps

from bench.scale.common import Context, fold
from bench.scale.copy import Table
from bench.scale.members import Club, Register
from bench.scale.words import ETHNIC_MIX, FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M

PER_CLUB = 150
OLDER_AGE = 60
COLUMNS = [
    "id",
    "commune_id",
    "full_name",
    "search_name",
    "sex",
    "birth_date",
    "birth_year",
    "ethnicity",
    "village",
    "phone",
    "is_association_member",
    "member_id",
    "living",
    "household_status",
    "has_disability",
    "insurance_number",
    "insurance_expiry",
    "support",
    "died_on",
    "legal_basis",
    "consent_on",
    "consent_method",
]


def older_tables(now: datetime.datetime) -> dict[str, Table]:
    """The table this part writes (after the members: its rows point at them)."""
    return {"older_person": Table(apps.get_model("elders", "OlderPerson"), COLUMNS, now)}


def _support(age: int, roll: float) -> str:
    if age >= 80:
        return "allowance" if roll < 0.55 else "pension" if roll < 0.75 else ""
    if age >= 75:
        return "social_pension" if roll < 0.5 else "pension" if roll < 0.7 else ""
    return "pension" if roll < 0.2 else ""


def add_older_persons(ctx: Context, club: Club, register: Register) -> int:
    """The club's older members linked, and people of its village in no club; returns how
    many rows were added."""
    # A stream of its own per club: the other parts draw the same numbers with or without it.
    rng, t, today = random.Random(club.id), ctx.t, ctx.today
    table = t["older_person"]
    members = t["member"]
    at = {column: i for i, column in enumerate(members.columns)}
    rows = members.rows[-len(register.people) :] if register.people else []
    latest_year = today.year - OLDER_AGE
    people: list[dict[str, Any]] = [
        {
            "member_id": r[at["id"]],
            "name": r[at["full_name"]],
            "sex": r[at["sex"]],
            "birth_date": r[at["birth_date"]],
            "year": r[at["birth_year"]],
            "ethnicity": r[at["ethnicity"]],
            "phone": r[at["phone"]],
            "household": r[at["household_status"]],
            "disability": r[at["has_disability"]],
            "alone": r[at["lives_alone"]],
            "consent_on": r[at["consent_on"]],
            "consent_method": r[at["consent_method"]],
        }
        for r in rows
        if r[at["left_on"]] is None and r[at["birth_year"]] <= latest_year
    ]
    for _ in range(max(0, rng.randint(PER_CLUB - 30, PER_CLUB + 30) - len(people))):
        sex = "F" if rng.random() < 0.58 else "M"
        middle, given = (MIDDLE_F, GIVEN_F) if sex == "F" else (MIDDLE_M, GIVEN_M)
        consent = rng.random() < 0.6
        people.append(
            {
                "member_id": None,
                "name": f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}",
                "sex": sex,
                "birth_date": None,
                "year": latest_year - min(int(rng.expovariate(1 / 11)), 45),
                "ethnicity": rng.choice(ETHNIC_MIX) if consent else "",
                "phone": "",
                "household": rng.choice(["", "", "not_poor", "not_poor", "near_poor", "poor"]),
                "disability": consent and rng.random() < 0.05,
                "alone": rng.random() < 0.12,
                "consent_on": today - datetime.timedelta(days=rng.randint(30, 900))
                if consent
                else None,
                "consent_method": rng.choice(["paper", "verbal"]) if consent else "",
            }
        )
    for p in people:
        consent = p["consent_on"] is not None
        number, expiry = "", None
        if consent and rng.random() < 0.85:
            number = f"{rng.randrange(10**9, 10**10)}"
            expiry = today + datetime.timedelta(days=rng.randint(-200, 700))
        died = None
        if p["member_id"] is None and rng.random() < 0.03:
            died = today - datetime.timedelta(days=rng.randint(1, 700))
        living = "alone" if p["alone"] else rng.choice(["family", "family", "spouse"])
        table.add(
            table.new_id(),
            club.commune_id,
            p["name"],
            fold(p["name"]),
            p["sex"],
            p["birth_date"],
            p["year"],
            p["ethnicity"],
            club.village,
            p["phone"],
            p["member_id"] is not None or rng.random() < 0.6,
            p["member_id"],
            living,
            p["household"],
            p["disability"],
            number,
            expiry,
            _support(today.year - p["year"], rng.random()),
            died,
            "consent" if consent else "",
            p["consent_on"],
            p["consent_method"],
        )
    return len(people)
