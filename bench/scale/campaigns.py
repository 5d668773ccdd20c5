"""Campaigns and emulation at national scale: every province runs the October Action Month
(deployed to its communes with clubs, with targets, money raised into the commune care funds,
gifts paid from them, a share of the clubs' October activities and visits tagged, and commune
reports in every state) and a special emulation drive (communes and a sample of clubs
registered, scored, the best commended).

Runs once the clubs, the care funds and the month records are in the database (after the last
COPY round, before the fund balances are recomputed from the entries).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.db import connection, transaction

from bench.scale.common import Context
from bench.scale.copy import Table

INDICATORS = ["visited", "gifts", "gift_value", "money_raised", "health_checks", "people_reached"]
SOURCES = ["members", "businesses", "individuals", "budget"]
REPORT_STATES = ["approved", "submitted", "returned", "draft", None]
CRITERIA = [
    ("Phát triển hội viên, thành lập CLB liên thế hệ tự giúp nhau", 30),
    ("Xây dựng Quỹ chăm sóc và phát huy vai trò NCT", 25),
    ("Chăm sóc sức khỏe, thăm hỏi người cao tuổi", 25),
    ("Tuyên truyền kỷ niệm các ngày lễ lớn", 20),
]


def _m(label: str) -> Any:
    app, name = label.split(".")
    return apps.get_model(app, name)


def campaign_tables(now: datetime.datetime) -> dict[str, Table]:
    Campaign = _m("campaigns.Campaign")
    return {
        "campaign": Table(
            Campaign, ["id", "title", "kind", "organiser_id", "starts_on", "ends_on", "theme"], now
        ),
        "deployed": Table(Campaign.deployed_to.through, ["id", "campaign_id", "area_id"], now),
        "target": Table(
            _m("campaigns.CampaignTarget"),
            ["id", "campaign_id", "indicator", "commune_id", "number"],
            now,
        ),
        "c_entry": Table(
            _m("funds.LedgerEntry"),
            [
                "id",
                "fund_id",
                "date",
                "amount",
                "direction",
                "category",
                "voucher_year",
                "voucher_seq",
                "voucher_number",
                "payer",
                "note",
            ],
            now,
        ),
        "receipt": Table(
            _m("campaigns.CampaignReceipt"),
            ["id", "campaign_id", "entry_id", "area_id", "source", "donor"],
            now,
        ),
        "gift": Table(
            _m("campaigns.CampaignGift"),
            [
                "id",
                "campaign_id",
                "area_id",
                "person_name",
                "date",
                "kind",
                "value",
                "given_by",
                "fund_id",
                "entry_id",
            ],
            now,
        ),
        "c_report": Table(
            _m("campaigns.CampaignReport"),
            ["id", "campaign_id", "commune_id", "status", "narrative"],
            now,
        ),
        "drive": Table(
            _m("campaigns.EmulationDrive"),
            ["id", "title", "organiser_id", "starts_on", "ends_on", "occasion"],
            now,
        ),
        "criterion": Table(
            _m("campaigns.EmulationCriterion"),
            ["id", "drive_id", "seq", "name", "max_points"],
            now,
        ),
        "registration": Table(
            _m("campaigns.EmulationRegistration"),
            ["id", "drive_id", "area_id", "club_id", "pledges", "stage"],
            now,
        ),
        "e_result": Table(
            _m("campaigns.EmulationResult"),
            [
                "id",
                "registration_id",
                "criterion_id",
                "achievement",
                "self_points",
                "review_points",
                "final_points",
            ],
            now,
        ),
        "commendation": Table(
            _m("campaigns.Commendation"),
            [
                "id",
                "drive_id",
                "recipient_kind",
                "registration_id",
                "person_name",
                "area_id",
                "club_id",
                "level",
                "decision_number",
                "decision_date",
                "reason",
            ],
            now,
        ),
    }


def _october(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    year = today.year if today >= datetime.date(today.year, 10, 31) else today.year - 1
    return datetime.date(year, 10, 1), datetime.date(year, 10, 31)


def add_campaigns(ctx: Context, places: list[tuple[int, int, str]]) -> dict[str, int]:
    """Write the campaigns and drives of every province with clubs; returns rows written."""
    t = campaign_tables(ctx.now)
    rng = ctx.rng
    start, end = _october(ctx.today)
    used = set(ctx.board_people)
    by_province: dict[int, list[int]] = defaultdict(list)
    for commune_id, province_id, _name in places:
        if commune_id in used and commune_id not in by_province[province_id]:
            by_province[province_id].append(commune_id)
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        for table in t.values():
            table.start_ids_after(cursor)
        care = _care_funds(cursor)
        club_of = _clubs_of(ctx, [c for cs in by_province.values() for c in cs[::3]])
        seqs = _voucher_seqs(cursor, list(care.values()), start.year)
        for province_id in sorted(by_province):
            communes = by_province[province_id]
            campaign_id = t["campaign"].new_id()
            t["campaign"].add(
                campaign_id,
                f"Tháng hành động vì người cao tuổi Việt Nam năm {start.year}",
                "action_month",
                province_id,
                start,
                end,
                "Chăm sóc và phát huy vai trò người cao tuổi",
            )
            for indicator in INDICATORS:
                t["target"].add(
                    t["target"].new_id(), campaign_id, indicator, None, 50 * len(communes)
                )
            for n, commune_id in enumerate(communes):
                t["deployed"].add(t["deployed"].new_id(), campaign_id, commune_id)
                t["target"].add(t["target"].new_id(), campaign_id, "gifts", commune_id, 10)
                fund_id = care.get(commune_id)
                if fund_id is not None:
                    _money(t, rng, seqs, campaign_id, commune_id, fund_id, start)
                state = REPORT_STATES[n % len(REPORT_STATES)]
                if state is not None:
                    t["c_report"].add(
                        t["c_report"].new_id(),
                        campaign_id,
                        commune_id,
                        state,
                        "Đã tổ chức tuyên truyền, thăm hỏi, tặng quà người cao tuổi.",
                    )
            _drive(t, rng, ctx, province_id, communes, club_of)
        for table in t.values():
            table.flush(cursor)
        tagged = _tag_records(cursor, start, end)
    written = {table.name: table.written for table in t.values()}
    written["campaigns_tags"] = tagged
    return written


def _care_funds(cursor: Any) -> dict[int, int]:
    """Area id → its care fund's id."""
    Fund = _m("funds.Fund")
    cursor.execute(
        f"SELECT owner_area_id, MIN(id) FROM {Fund._meta.db_table} "  # noqa: S608
        "WHERE kind = 'care' AND owner_area_id IS NOT NULL GROUP BY owner_area_id"
    )
    return dict(cursor.fetchall())


def _voucher_seqs(cursor: Any, fund_ids: list[int], year: int) -> dict[tuple[int, str], int]:
    """The last voucher number of each care fund and direction in ``year``."""
    if not fund_ids:
        return {}
    Entry = _m("funds.LedgerEntry")
    cursor.execute(
        f"SELECT fund_id, direction, MAX(voucher_seq) FROM {Entry._meta.db_table} "  # noqa: S608
        "WHERE fund_id = ANY(%s) AND voucher_year = %s GROUP BY fund_id, direction",
        [fund_ids, year],
    )
    return {(fund, direction): seq for fund, direction, seq in cursor.fetchall()}


def _entry(
    t: dict[str, Table],
    seqs: dict[tuple[int, str], int],
    fund_id: int,
    day: datetime.date,
    amount: int,
    direction: str,
    category: str,
    payer: str,
    note: str,
) -> int:
    seqs[(fund_id, direction)] = seq = seqs.get((fund_id, direction), 0) + 1
    prefix = "PT" if direction == "in" else "PC"
    entry_id = t["c_entry"].new_id()
    t["c_entry"].add(
        entry_id, fund_id, day, amount, direction, category, day.year, seq,
        f"{prefix}-{day.year}-{seq:04d}", payer, note,
    )  # fmt: skip
    return entry_id


def _money(
    t: dict[str, Table],
    rng: Any,
    seqs: dict[tuple[int, str], int],
    campaign_id: int,
    commune_id: int,
    fund_id: int,
    start: datetime.date,
) -> None:
    """Money raised by source into the commune's care fund, then gifts paid from it."""
    raised = 0
    for k, source in enumerate(SOURCES):
        amount = rng.choice([1, 2, 3, 5]) * 1_000_000
        raised += amount
        day = start + datetime.timedelta(days=k)
        category = "government" if source == "budget" else "donation"
        entry_id = _entry(
            t, seqs, fund_id, day, amount, "in", category, "Nhà hảo tâm", "Tháng hành động"
        )
        t["receipt"].add(
            t["receipt"].new_id(), campaign_id, entry_id, commune_id, source, "Nhà hảo tâm"
        )
    for k in range(rng.randint(2, 5)):
        value = rng.choice([300_000, 500_000])
        if value > raised:
            break
        raised -= value
        day = start + datetime.timedelta(days=10 + k)
        entry_id = _entry(
            t, seqs, fund_id, day, value, "out", "hardship", "Người cao tuổi", "Quà Tháng hành động"
        )
        t["gift"].add(
            t["gift"].new_id(), campaign_id, commune_id, "Người cao tuổi", day, "cash", value,
            "Hội NCT xã", fund_id, entry_id,
        )  # fmt: skip


def _drive(
    t: dict[str, Table],
    rng: Any,
    ctx: Context,
    province_id: int,
    communes: list[int],
    club_of: dict[int, int],
) -> None:
    start = ctx.window_start
    drive_id = t["drive"].new_id()
    t["drive"].add(
        drive_id,
        "Đợt thi đua đặc biệt",
        province_id,
        start,
        start + datetime.timedelta(days=450),
        "Kỷ niệm ngày thành lập Hội NCT Việt Nam",
    )
    criteria = []
    for order, (name, top) in enumerate(CRITERIA, start=1):
        criterion_id = t["criterion"].new_id()
        t["criterion"].add(criterion_id, drive_id, order, name, top)
        criteria.append((criterion_id, top))
    units: list[tuple[int | None, int | None, int]] = [(c, None, c) for c in communes]
    for commune_id in communes[::3]:
        club_id = club_of.get(commune_id)
        if club_id is not None:
            units.append((None, club_id, commune_id))
    best: tuple[int, int, int | None, int] | None = None
    for n, (area_id, club_id, commune_id) in enumerate(units):
        registration_id = t["registration"].new_id()
        stage = ["final", "reviewed", "self_scored"][n % 3]
        t["registration"].add(registration_id, drive_id, area_id, club_id, "Đăng ký thi đua", stage)
        total = 0
        for criterion_id, top in criteria:
            own = top - rng.randint(0, 3)
            review = max(0, own - rng.randint(0, 3)) if stage != "self_scored" else None
            final = review if stage == "final" else None
            total += final or 0
            t["e_result"].add(
                t["e_result"].new_id(), registration_id, criterion_id, "Đạt", own, review, final
            )
        if stage == "final" and (best is None or total > best[0]):
            best = (total, registration_id, club_id, commune_id)
    if best is not None:
        t["commendation"].add(
            t["commendation"].new_id(), drive_id, "unit", best[1], "", best[3], best[2],
            "gk_province", "45/QĐ-HNCT", ctx.today, "Thành tích xuất sắc",
        )  # fmt: skip


def _clubs_of(ctx: Context, communes: list[int]) -> dict[int, int]:
    """For each commune, the club of its first board member kept for the trainings."""
    firsts = {c: ctx.board_people[c][0][0][0] for c in communes if ctx.board_people.get(c)}
    Member = _m("members.Member")
    clubs = dict(Member.objects.filter(pk__in=firsts.values()).values_list("pk", "club_id"))
    return {c: clubs[m] for c, m in firsts.items() if m in clubs}


def _tag_records(cursor: Any, start: datetime.date, end: datetime.date) -> int:
    """Tag one in three of the October activities and visits of the deployed communes."""
    Activity, Visit = _m("month.Activity"), _m("month.HomeCareVisit")
    Campaign, Club = _m("campaigns.Campaign"), _m("clubs.Club")
    tagged = 0
    for model, tag_table, column in (
        (Activity, _m("campaigns.CampaignActivity")._meta.db_table, "activity_id"),
        (Visit, _m("campaigns.CampaignVisit")._meta.db_table, "visit_id"),
    ):
        cursor.execute(
            f"""
            INSERT INTO {tag_table} (campaign_id, {column}, tagged_at)
            SELECT c.id, r.id, now()
            FROM {model._meta.db_table} r
            JOIN {Club._meta.db_table} cl ON cl.id = r.club_id
            JOIN {Campaign._meta.db_table} c
              ON c.organiser_id = cl.province_id AND c.kind = 'action_month'
             AND c.starts_on = %s
            WHERE r.date BETWEEN %s AND %s AND r.id %% 3 = 0
            ON CONFLICT DO NOTHING
            """,  # noqa: S608
            [start, start, end],
        )
        tagged += cursor.rowcount
    return tagged
