"""The associations of the elderly at national scale: a unit for every province and commune,
branches, the membership returns of the last two years, each province's assessment of its
commune associations (last year's published, this year's under way) and a plan for founding
clubs with targets per commune and year, and some clubs on their way.

Written after the clubs and trainings, from the area tree alone; it draws from its own random
stream so the other parts' output does not change.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.apps import apps

from bench.scale.common import Context, fold
from bench.scale.copy import Table

BRANCHES = (3, 9)  # per commune
CRITERIA = [
    ("Tổ chức", "[Mẫu] Tổ chức và ban chấp hành", 15),
    ("Hội viên", "[Mẫu] Phát triển hội viên và thu hội phí", 20),
    ("Quỹ", "[Mẫu] Quỹ chăm sóc và phát huy vai trò người cao tuổi", 15),
    ("Câu lạc bộ", "[Mẫu] CLB liên thế hệ tự giúp nhau và các CLB khác", 20),
    ("Phong trào", "[Mẫu] Phong trào “Tuổi cao – Gương sáng”", 15),
    ("Báo cáo", "[Mẫu] Báo cáo đúng hạn", 15),
]
THRESHOLDS = (Decimal(90), Decimal(75), Decimal(50))
STEP_NAMES = ["Bản Mới", "Bản Trung Tâm", "Khu Phố Mới", "Thôn Đông", "Thôn Tây"]


def association_tables(now: datetime.datetime) -> dict[str, Table]:
    m = apps.get_model
    return {
        "assoc_unit": Table(
            m("association", "AssociationUnit"), ["id", "area_id", "name", "search_name"], now
        ),
        "assoc_branch": Table(
            m("association", "Branch"), ["id", "unit_id", "name", "village", "search_name"], now
        ),
        "assoc_return": Table(
            m("association", "MembershipReturn"),
            [
                "id",
                "unit_id",
                "year",
                "men_60_69",
                "women_60_69",
                "men_70_79",
                "women_70_79",
                "men_80_89",
                "women_80_89",
                "men_90_99",
                "women_90_99",
                "men_100",
                "women_100",
                "members",
                "new_members",
                "left_members",
                "dues_vnd",
                "branches_count",
                "status",
            ],
            now,
        ),
        "assoc_round": Table(
            m("association", "AssessmentRound"),
            ["id", "province_id", "year", "title", "status", "published_at"],
            now,
        ),
        "assoc_assessment": Table(
            m("association", "UnitAssessment"),
            ["id", "round_id", "unit_id", "status", "self_total", "final_total", "result"],
            now,
        ),
        "assoc_score": Table(
            m("association", "AssessmentScore"),
            ["id", "assessment_id", "criterion_id", "self_score", "final_score"],
            now,
        ),
        "assoc_plan": Table(
            m("association", "FoundingPlan"),
            ["id", "province_id", "title", "start_year", "end_year"],
            now,
        ),
        "assoc_target": Table(
            m("association", "FoundingTarget"),
            ["id", "plan_id", "commune_id", "year", "planned", "supporter"],
            now,
        ),
        "assoc_founding": Table(
            m("association", "ClubFounding"),
            ["id", "plan_id", "commune_id", "name", "village", "year", "step", "step_on"],
            now,
        ),
        "assoc_step": Table(
            m("association", "FoundingStep"),
            ["id", "founding_id", "step", "done_on", "responsible"],
            now,
        ),
    }


def _classify(total: Decimal) -> str:
    strong, good, average = THRESHOLDS
    if total >= strong:
        return "strong"
    if total >= good:
        return "good"
    return "average" if total >= average else "weak"


def add_association(ctx: Context) -> None:
    rng, t, today = random.Random(1995), ctx.t, ctx.today
    Area = apps.get_model("clubs", "Area")
    provinces = list(Area.objects.filter(level="province").order_by("pk").values_list("pk", "name"))
    by_province: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, province_id in (
        Area.objects.filter(level="commune", active=True)
        .order_by("pk")
        .values_list("pk", "name", "province_id")
    ):
        by_province[province_id].append((pk, name))
    this_year = today.year
    # What a database loaded with the demo (or an earlier run) already has is left alone.
    m = apps.get_model
    has_unit = set(m("association", "AssociationUnit").objects.values_list("area_id", flat=True))
    has_round = set(m("association", "AssessmentRound").objects.values_list("province_id", "year"))
    has_plan = set(m("association", "FoundingPlan").objects.values_list("province_id", flat=True))
    for province_id, province_name in provinces:
        communes = by_province.get(province_id, [])
        name = f"Hội Người cao tuổi {province_name}"
        if province_id not in has_unit:
            t["assoc_unit"].add(t["assoc_unit"].new_id(), province_id, name, fold(name))
        units: list[int] = []
        for commune_id, commune_name in communes:
            if commune_id in has_unit:
                continue
            unit_id = t["assoc_unit"].new_id()
            name = f"Hội Người cao tuổi {commune_name}"
            t["assoc_unit"].add(unit_id, commune_id, name, fold(name))
            units.append(unit_id)
            branches = rng.randint(*BRANCHES)
            for b in range(branches):
                village = f"Thôn {b + 1}"
                t["assoc_branch"].add(
                    t["assoc_branch"].new_id(),
                    unit_id,
                    f"Chi hội {village}",
                    village,
                    fold(f"Chi hội {village} {village}"),
                )
            _returns(ctx, rng, unit_id, branches, this_year)
        rounds = [
            (this_year - 1, "published"),
            (this_year, "open"),
        ]
        for year, status in rounds:
            if (province_id, year) not in has_round:
                _round(ctx, rng, province_id, province_name, units, year, status)
        if province_id not in has_plan:
            _plan(ctx, rng, province_id, province_name, communes, this_year)


def _returns(ctx: Context, rng: random.Random, unit_id: int, branches: int, year: int) -> None:
    older = rng.randint(600, 6000)
    members = int(older * rng.uniform(0.6, 0.9))
    for y in (year - 2, year - 1):
        shares = (0.52, 0.30, 0.14, 0.035)
        bands = [int(older * s) for s in shares]
        bands.append(max(0, older - sum(bands)))
        row: list[int] = []
        for n in bands:
            men = int(n * 0.43)
            row += [men, n - men]
        m = min(members, older)
        status = "reviewed" if y < year - 1 or rng.random() < 0.6 else "submitted"
        ctx.t["assoc_return"].add(
            ctx.t["assoc_return"].new_id(),
            unit_id,
            y,
            *row,
            m,
            rng.randint(10, 120),
            rng.randint(5, 60),
            m * 12_000,
            branches,
            status,
        )
        members += rng.randint(-20, 80)
        older += rng.randint(0, 60)


def _round(
    ctx: Context,
    rng: random.Random,
    province_id: int,
    province_name: str,
    units: list[int],
    year: int,
    status: str,
) -> None:
    t = ctx.t
    round_id = t["assoc_round"].new_id()
    published_at = (
        datetime.datetime(year, 12, 20, 9, 0, tzinfo=datetime.UTC)
        if status == "published"
        else None
    )
    t["assoc_round"].add(
        round_id,
        province_id,
        year,
        f"Xếp loại Hội NCT cơ sở năm {year} — {province_name}",
        status,
        published_at,
    )
    # Criteria through the ORM (a few hundred rows): COPY's column list is not quoted, and
    # "group" and "order" are SQL words. The round's row follows with the flush, in the same
    # transaction (foreign keys are checked at the commit).
    made = apps.get_model("association", "AssessmentCriterion").objects.bulk_create(
        [
            apps.get_model("association", "AssessmentCriterion")(
                round_id=round_id, group=group, name=name, max_points=Decimal(top), order=order
            )
            for order, (group, name, top) in enumerate(CRITERIA, start=1)
        ]
    )
    criteria = [(c.pk, top) for c, (_g, _n, top) in zip(made, CRITERIA, strict=True)]
    for unit_id in units:
        level = rng.uniform(0.45, 1.0)
        stage = 3 if status == "published" else rng.choice([0, 1, 1, 2])
        aid = t["assoc_assessment"].new_id()
        own_total = final_total = Decimal(0)
        scores: list[tuple[int, Decimal | None, Decimal | None]] = []
        for cid, top in criteria:
            own = Decimal(min(top, round(top * level * rng.uniform(0.85, 1.1))))
            final = max(Decimal(0), own - rng.choice([0, 0, 1])) if stage >= 2 else None
            scores.append((cid, own if stage >= 1 else None, final))
            own_total += own if stage >= 1 else 0
            final_total += final or 0
        state = ["draft", "submitted", "reviewed", "published"][stage]
        t["assoc_assessment"].add(
            aid,
            round_id,
            unit_id,
            state,
            own_total,
            final_total if stage >= 2 else None,
            _classify(final_total) if stage >= 2 else "",
        )
        if stage >= 1:
            for cid, own_score, final_score in scores:
                t["assoc_score"].add(t["assoc_score"].new_id(), aid, cid, own_score, final_score)


def _plan(
    ctx: Context,
    rng: random.Random,
    province_id: int,
    province_name: str,
    communes: list[tuple[int, str]],
    this_year: int,
) -> None:
    t = ctx.t
    plan_id = t["assoc_plan"].new_id()
    t["assoc_plan"].add(
        plan_id,
        province_id,
        f"Kế hoạch thành lập CLB liên thế hệ tự giúp nhau giai đoạn 2024–2030 — {province_name}",
        2024,
        2030,
    )
    for commune_id, _name in communes:
        for year in range(2024, 2031):
            planned = rng.choice([0, 0, 1, 1, 2])
            if planned:
                t["assoc_target"].add(
                    t["assoc_target"].new_id(),
                    plan_id,
                    commune_id,
                    year,
                    planned,
                    rng.choice(["Ngân sách tỉnh", "HelpAge", "Xã hội hóa"]),
                )
    for commune_id, _name in communes[::8]:
        steps = rng.randint(0, 5)
        start = ctx.today - datetime.timedelta(days=rng.randint(60, 400))
        fid = t["assoc_founding"].new_id()
        last_on = start + datetime.timedelta(days=30 * (steps - 1)) if steps else None
        village = rng.choice(STEP_NAMES)
        t["assoc_founding"].add(
            fid,
            plan_id,
            commune_id,
            f"CLB LTH {village}",
            village,
            min(this_year, 2030),
            steps or None,
            last_on,
        )
        for s in range(1, steps + 1):
            t["assoc_step"].add(
                t["assoc_step"].new_id(),
                fid,
                s,
                start + datetime.timedelta(days=30 * (s - 1)),
                "Cán bộ Hội xã",
            )
