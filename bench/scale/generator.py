"""The run: clubs simulated one at a time and written every ``BATCH`` clubs, then the
associations' funds and the trainings, then what only SQL can do once everything is in."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from bench.scale.areas import activity_area_ids, communes
from bench.scale.association import add_association, association_tables
from bench.scale.campaigns import add_campaigns
from bench.scale.common import BATCH, Context, ym_list
from bench.scale.elders import add_older_persons, older_tables
from bench.scale.funds import add_area_funds, add_loans, open_club_funds, write_ledger
from bench.scale.members import add_club, add_members
from bench.scale.month import simulate_months
from bench.scale.monthly_reports import add_reports
from bench.scale.tables import make_tables
from bench.scale.trainings import add_trainings
from bench.scale.users import add_users


@dataclass
class ScaleResult:
    clubs: int = 0
    members: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    users: list[str] = field(default_factory=list)


def generate(
    *,
    clubs: int,
    months: int,
    seed: int = 2035,
    today: datetime.date | None = None,
    log: Callable[[str], None] = print,
) -> ScaleResult:
    started = time.perf_counter()
    today = today or timezone.localdate()
    yms = ym_list(today, months)
    now = timezone.now()
    ctx = Context(
        rng=random.Random(seed),
        t={**make_tables(now), **older_tables(now), **association_tables(now)},
        today=today,
        now=now,
        tz=timezone.get_current_timezone(),
        yms=yms,
        window_start=datetime.date(*yms[0], 1),
    )
    places = communes(ctx.rng)
    if not places:
        raise RuntimeError("No communes: run load_areas first.")
    ctx.area_ids = activity_area_ids()
    if not ctx.area_ids:
        raise RuntimeError("No activity areas: run migrate (it seeds the 8 areas).")
    with connection.cursor() as wrapper:
        for table in ctx.t.values():
            table.start_ids_after(wrapper.cursor)
    members = 0
    for first in range(0, clubs, BATCH):
        with transaction.atomic(), connection.cursor() as wrapper:
            for i in range(first, min(first + BATCH, clubs)):
                members += _club(ctx, i, places[i % len(places)])
            _flush(ctx, wrapper.cursor)
        done = min(first + BATCH, clubs)
        if done % 2000 == 0 or done == clubs:
            log(
                f"  {done} clubs, {members} members, "
                f"{ctx.t['attendance'].written} attendance marks "
                f"({time.perf_counter() - started:.0f} s)"
            )
    with transaction.atomic(), connection.cursor() as wrapper:
        add_area_funds(ctx, places)
        add_trainings(ctx)
        add_association(ctx)
        _flush(ctx, wrapper.cursor)
    campaign_rows = add_campaigns(ctx, places)
    _finish(ctx)
    users = add_users()
    return ScaleResult(
        clubs=clubs,
        members=members,
        rows={**{t.name: t.written for t in ctx.t.values()}, **campaign_rows},
        seconds=time.perf_counter() - started,
        users=users,
    )


def _club(ctx: Context, i: int, commune: tuple[int, int, str]) -> int:
    """One club's whole life in the window; returns how many members it has had."""
    club = add_club(ctx, i, commune)
    register = add_members(ctx, club)
    add_older_persons(ctx, club, register)
    funds = open_club_funds(ctx, club)
    fig = simulate_months(ctx, club, register, funds)
    loans = add_loans(ctx, funds, register.staying)
    write_ledger(ctx, club.id, funds.entries)
    add_reports(ctx, club, register.people, fig, loans, funds)
    return len(register.people)


def _flush(ctx: Context, cursor: Any) -> None:
    # Parents first (the tables are listed in that order; FK checks are deferred anyway).
    for table in ctx.t.values():
        table.flush(cursor)


def _finish(ctx: Context) -> None:
    """Fund balances from the entries, the funds' copies of their holders (written by COPY,
    not ``Fund.save``), sequences past the ids used, fresh statistics."""
    from funds.services.holders import fund_holders_refill

    Fund = apps.get_model("funds", "Fund")
    fund_holders_refill()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {Fund._meta.db_table} f SET balance = s.total
            FROM (
                SELECT fund_id, SUM(CASE WHEN direction = 'in' THEN amount ELSE -amount END)
                    AS total
                FROM funds_ledgerentry GROUP BY fund_id
            ) s
            WHERE s.fund_id = f.id AND f.balance <> s.total
            """  # noqa: S608
        )
        for table in ctx.t.values():
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 - our names
                f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))",
                [table.name],
            )
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
        else:
            # As autovacuum would have, on a database that grew over the years: planner
            # statistics, and the visibility map that lets counts use index-only scans.
            cursor.execute("VACUUM (ANALYZE)")
