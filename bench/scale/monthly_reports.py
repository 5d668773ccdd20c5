"""Monthly reports for every month that has begun: old ones mostly approved, the last ones at
every step of the chain, each with its figures and its events."""

from __future__ import annotations

import datetime
import json
from typing import Any

from bench.scale.common import Context
from bench.scale.funds import ClubFunds
from bench.scale.members import Club, Person
from bench.scale.words import RETURN_COMMENTS
from config.months import month_bounds
from month.schedule import report_deadline

NARRATIVE = "Câu lạc bộ duy trì sinh hoạt đều, thành viên tham gia tích cực."


def add_reports(
    ctx: Context,
    club: Club,
    people: list[Person],
    fig: dict[tuple[int, int], dict[str, Any]],
    loans: dict[tuple[int, int], dict[str, int]],
    funds: ClubFunds,
) -> None:
    rng, t, today = ctx.rng, ctx.t, ctx.today
    for idx, (year, month) in enumerate(ctx.yms):
        age = len(ctx.yms) - 1 - idx  # 0 = this month
        if age == 0 and rng.random() < 0.7:
            continue
        if age == 0:
            status = "draft"
        elif age == 1:
            status = rng.choices(
                ["draft", "submitted", "reviewed", "approved", "returned"],
                [20, 35, 20, 15, 10],
            )[0]
        else:
            status = rng.choices(
                ["approved", "reviewed", "submitted", "returned", "draft"], [86, 5, 4, 2, 3]
            )[0]
        figures = _figures(
            ctx, year, month, people, fig[(year, month)], loans.get((year, month), {}), funds
        )
        deadline = report_deadline(year, month)
        compiled = datetime.datetime.combine(
            min(today, deadline - datetime.timedelta(days=rng.randint(0, 4))),
            datetime.time(9, 30),
            tzinfo=ctx.tz,
        )
        steps = [("created", "", "draft"), ("compiled", "draft", "draft")]
        submitted: datetime.datetime | None = None
        reviewed: datetime.datetime | None = None
        approved: datetime.datetime | None = None
        returned: datetime.datetime | None = None
        comment = ""
        if status != "draft":
            late = rng.random() < 0.15
            submitted = compiled + datetime.timedelta(
                days=rng.randint(3, 20) if late else 0, hours=1
            )
            steps.append(("submitted", "draft", "submitted"))
            if status in ("reviewed", "approved"):
                reviewed = submitted + datetime.timedelta(days=rng.randint(1, 5))
                steps.append(("reviewed", "submitted", "reviewed"))
                if status == "approved":
                    approved = reviewed + datetime.timedelta(days=rng.randint(1, 7))
                    steps.append(("approved", "reviewed", "approved"))
            if status == "returned":
                returned = submitted + datetime.timedelta(days=rng.randint(1, 5))
                comment = rng.choice(RETURN_COMMENTS)
                steps.append(("returned", "submitted", "returned"))
        report_id = t["report"].new_id()
        t["report"].add(
            report_id,
            club.id,
            club.province_id,
            year,
            month,
            status,
            json.dumps(figures, ensure_ascii=False),
            compiled,
            NARRATIVE,
            submitted,
            reviewed,
            approved,
            returned,
            comment,
        )
        when = {
            "created": compiled - datetime.timedelta(hours=1),
            "compiled": compiled,
            "submitted": submitted,
            "reviewed": reviewed,
            "approved": approved,
            "returned": returned,
        }
        for action, src, dst in steps:
            t["report_event"].add(
                t["report_event"].new_id(),
                report_id,
                action,
                src,
                dst,
                comment if action == "returned" else "",
                when[action],
            )


def _figures(
    ctx: Context,
    year: int,
    month: int,
    people: list[Person],
    f: dict[str, Any],
    ls: dict[str, int],
    funds: ClubFunds,
) -> dict[str, Any]:
    """The report's figures, shaped as the month's report compiles them."""
    first, last = month_bounds(year, month)
    marks = sum(f["attendance"].values())
    fund_rows = []
    for fund_id, (fname, kind) in funds.names().items():
        income = expense = closing = 0
        for e in funds.entries:
            if e.fund != fund_id or e.date > last:
                continue
            signed = e.amount if e.direction == "in" else -e.amount
            closing += signed
            if e.date >= first:
                income += e.amount if e.direction == "in" else 0
                expense += e.amount if e.direction == "out" else 0
        fund_rows.append(
            {
                "fund_id": fund_id,
                "name": fname,
                "kind": kind,
                "income": income,
                "expense": expense,
                "closing_balance": closing,
            }
        )
    return {
        "period": f"{year:04d}-{month:02d}",
        "meetings": f["meetings"],
        "attendance": {
            **f["attendance"],
            "rate": round(100 * f["attendance"]["present"] / marks, 1) if marks else None,
        },
        "health": {
            "readings": f["health"]["readings"],
            "measured": f["health"]["readings"],
            "bp_measured": f["health"]["bp"],
            "weighed": f["health"]["weighed"],
            "high": f["health"]["high"],
        },
        "activities": {
            **f["activities"],
            "by_area": [
                {"code": str(a), "name": "", "count": f["areas"].get(a, 0)} for a in ctx.area_ids
            ],
        },
        "visits": {
            "count": f["visits"]["count"],
            "people": len(f["visits"]["people"]),
            "volunteers": len(f["visits"]["volunteers"]),
            "minutes": f["visits"]["minutes"],
        },
        "members": {
            "joined": sum(1 for p in people if first <= p.joined <= last),
            "left": sum(1 for p in people if p.left and first <= p.left <= last),
            "at_end": sum(1 for p in people if p.on_register(last)),
        },
        "funds": {
            "funds": fund_rows,
            "loans_disbursed_count": ls.get("disbursed", 0),
            "loans_disbursed_amount": ls.get("disbursed_amount", 0),
            "repaid_principal": ls.get("repaid_principal", 0),
            "repaid_interest": ls.get("repaid_interest", 0),
            "outstanding_principal": None,
            "par30": None,
        },
    }
