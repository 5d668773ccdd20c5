"""Demo data of the association app (run by seed_demo after the clubs, users and trainings):
Lai Châu's provincial association and one commune association per commune, branches in the
demo communes, the 2021–2026 committees of the province and two communes, membership returns
for 2024 and 2025, the 2024 assessment round published and the 2025 round under way, and the
2024–2030 plan for founding clubs with its targets and clubs on their way.

Idempotent: each part looks for what it would make and leaves it alone when it is there.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TextIO

from django.db.models import Q

from accounts.models import Role, User
from association import services
from association.models import (
    AGE_BANDS,
    AssessmentCriterion,
    AssessmentRound,
    AssessmentScore,
    AssessmentStep,
    AssociationUnit,
    Branch,
    ClubFounding,
    CommitteeMember,
    CommitteeTerm,
    FoundingPlan,
    FoundingStep,
    FoundingTarget,
    MembershipReturn,
    UnitAssessment,
)
from clubs.demo import (
    DEMO_COMMUNE_CODE,
    DOAN_KET_CODE,
    LAI_CHAU_CODE,
    MUONG_TE_CODE,
    OTHER_COMMUNE_CODE,
    PHONG_THO_CODE,
    SIN_HO_CODE,
    TAN_PHONG_CODE,
)
from clubs.models import Area, Club
from trainings.models import Training

# What associations score each year, as demo criteria (editable by the province). Group,
# criterion, maximum points, guidance.
DEMO_CRITERIA = [
    ("Tổ chức", "[Mẫu] Tổ chức và ban chấp hành: kiện toàn, sinh hoạt đều, có quy chế", 15,
     "Ban chấp hành đủ số lượng; họp định kỳ; có quy chế làm việc."),
    ("Hội viên", "[Mẫu] Phát triển hội viên và thu hội phí", 20,
     "Tỷ lệ người cao tuổi vào hội; hội viên mới; thu hội phí đầy đủ."),
    ("Quỹ", "[Mẫu] Xây dựng Quỹ chăm sóc và phát huy vai trò người cao tuổi", 15,
     "Có quỹ; số dư tăng; chi đúng mục đích."),
    ("Câu lạc bộ", "[Mẫu] CLB liên thế hệ tự giúp nhau và các CLB khác", 20,
     "Số CLB hoạt động; CLB mới; sinh hoạt và báo cáo hằng tháng."),
    ("Phong trào", "[Mẫu] Hoạt động, phong trào “Tuổi cao – Gương sáng”", 15,
     "Tham gia phong trào thi đua; chúc thọ, mừng thọ; thăm hỏi."),
    ("Báo cáo", "[Mẫu] Báo cáo đúng hạn, đầy đủ", 15,
     "Gửi báo cáo 6 tháng và năm đúng hạn."),
]  # fmt: skip

# Planned clubs of the demo communes, one at each step of the founding (None: not started).
DEMO_PIPELINES = [
    (DEMO_COMMUNE_CODE, "CLB LTH Bản Thẳm", "Bản Thẳm", 2025, None),
    (DEMO_COMMUNE_CODE, "CLB LTH Bản Nà Khum", "Bản Nà Khum", 2025, 1),
    (OTHER_COMMUNE_CODE, "CLB LTH Bản Mường Than", "Bản Mường Than", 2025, 2),
    (PHONG_THO_CODE, "CLB LTH Bản Pa Tần", "Bản Pa Tần", 2026, 3),
    (SIN_HO_CODE, "CLB LTH Bản Tả Phìn", "Bản Tả Phìn", 2026, 4),
    (MUONG_TE_CODE, "CLB LTH Bản Nậm Khao", "Bản Nậm Khao", 2026, 5),
]
# The demo clubs founded since 2024 went through the plan's steps: their pipelines end in the
# launch and link the club.
LAUNCHED_CLUBS = ["LCU-BINHLU-03", "LCU-THANUYEN-04"]

PROVINCE_COMMITTEE = [
    ("chair", "Lò Văn Thắng", "M", 1956),
    ("vice_chair", "Nguyễn Thị Hoa", "F", 1959),
    ("vice_chair", "Tẩn Láo Sử", "M", 1957),
    ("standing", "Vàng Thị Mai", "F", 1960),
    ("member", "Hoàng Văn Sơn", "M", 1958),
    ("inspection", "Lường Thị Xuân", "F", 1961),
]
COMMUNE_COMMITTEES = {
    DEMO_COMMUNE_CODE: [
        ("chair", "Tao Văn Bình", "M", 1955),
        ("vice_chair", "Lò Thị Hương", "F", 1960),
        ("member", "Chẻo Láo Lở", "M", 1957),
    ],
    OTHER_COMMUNE_CODE: [
        ("chair", "Hà Văn Thành", "M", 1954),
        ("vice_chair", "Lò Thị Ún", "F", 1962),
        ("member", "Vì Văn Chăm", "M", 1959),
    ],
}


def seed(out: TextIO) -> None:
    province = Area.objects.filter(level=Area.Level.PROVINCE, code=LAI_CHAU_CODE).first()
    if province is None:
        out.write("Association demo: Lai Châu is not loaded; nothing to do.\n")
        return
    staff = User.objects.filter(role=Role.PROVINCE, area=province).first()
    made = services.units_create_missing(province=province)
    units = {
        u.area.code: u
        for u in AssociationUnit.objects.filter(
            Q(area=province) | Q(area__province=province)
        ).select_related("area")
    }
    _unit_details(units, province)
    _branches(units)
    _committees(units, province)
    _returns(units, staff)
    rounds = _assessments(province, staff)
    plan = _plan(province, units, staff)
    out.write(
        f"Association demo: {len(units)} units ({made} new), rounds {rounds}, plan “{plan}”.\n"
    )


def _unit_details(units: dict[str, AssociationUnit], province: Area) -> None:
    unit = units[province.code]
    if not unit.decision_number:
        unit.founded_on = datetime.date(1996, 4, 12)
        unit.decision_number = "57/QĐ-UBND"
        unit.decision_date = datetime.date(1996, 4, 2)
        unit.decision_issuer = "UBND tỉnh Lai Châu"
        unit.address = "Đường Trần Hưng Đạo, phường Tân Phong, Lai Châu"
        unit.phone = "0213 3876 123"
        unit.save()


def _branches(units: dict[str, AssociationUnit]) -> None:
    for code in (DEMO_COMMUNE_CODE, OTHER_COMMUNE_CODE, TAN_PHONG_CODE, DOAN_KET_CODE):
        unit = units.get(code)
        if unit is None or unit.branches.exists():
            continue
        clubs = list(Club.objects.filter(commune_id=unit.area_id).order_by("code"))
        villages = [c.village for c in clubs if c.village] or ["Trung tâm"]
        for i, village in enumerate([*villages, "Bản Thẳm"]):
            branch = Branch.objects.create(
                unit=unit,
                name=f"Chi hội {village}",
                village=village,
                leader_name=["Lò Văn Pọm", "Tòng Thị Sương", "Vàng A Chư", "Điêu Văn Ơn"][i % 4],
            )
            branch.clubs.set([c for c in clubs if c.village == village])
            if i == 0:
                for n in (1, 2):
                    Branch.objects.create(
                        unit=unit, parent=branch, name=f"Tổ hội {n}", village=village
                    )


def _committee(unit: AssociationUnit, seats: list[tuple[str, str, str, int]]) -> None:
    if unit.terms.exists():
        return
    term = CommitteeTerm.objects.create(
        unit=unit,
        name="Nhiệm kỳ 2021–2026",
        starts_on=datetime.date(2021, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        congress_on=datetime.date(2021, 6, 25),
    )
    for i, (position, name, sex, born) in enumerate(seats):
        CommitteeMember.objects.create(
            term=term,
            position=position,
            full_name=name,
            sex=sex,
            birth_year=born,
            phone=f"09{12 + i:02d}{abs(hash(name)) % 1_000_000:06d}"[:10],
            starts_on=term.starts_on,
        )
    CommitteeTerm.objects.create(
        unit=unit,
        name="Nhiệm kỳ 2016–2021",
        starts_on=datetime.date(2016, 7, 1),
        ends_on=datetime.date(2021, 6, 30),
        congress_on=datetime.date(2016, 6, 20),
    )


def _committees(units: dict[str, AssociationUnit], province: Area) -> None:
    _committee(units[province.code], PROVINCE_COMMITTEE)
    for code, seats in COMMUNE_COMMITTEES.items():
        if code in units:
            _committee(units[code], seats)


def _returns(units: dict[str, AssociationUnit], staff: User | None) -> None:
    communes = sorted(
        (u for u in units.values() if u.area.level == Area.Level.COMMUNE), key=lambda u: u.pk
    )
    done = set(MembershipReturn.objects.filter(unit__in=communes).values_list("unit_id", "year"))
    rng = random.Random(2024)
    rows = []
    for i, unit in enumerate(communes):
        base = rng.randint(450, 1400)
        members = int(base * rng.uniform(0.72, 0.92))
        for year, grow in ((2024, 0), (2025, 1)):
            if (unit.pk, year) in done or (year == 2025 and i % 9 == 8):
                continue  # every ninth commune has not returned 2025 yet
            older = base + grow * rng.randint(5, 40)
            figures = _split(older, rng)
            m = members + grow * rng.randint(10, 45)
            status = MembershipReturn.Status.REVIEWED
            if year == 2025:
                status = [
                    MembershipReturn.Status.REVIEWED,
                    MembershipReturn.Status.SUBMITTED,
                    MembershipReturn.Status.DRAFT,
                ][i % 3]
            rows.append(
                MembershipReturn(
                    unit=unit,
                    year=year,
                    **figures,
                    members=min(m, older),
                    new_members=rng.randint(15, 60),
                    left_members=rng.randint(5, 30),
                    dues_vnd=min(m, older) * 12_000,
                    branches_count=rng.randint(6, 18),
                    status=status,
                    filled_by=staff,
                )
            )
    MembershipReturn.objects.bulk_create(rows)


def _split(total: int, rng: random.Random) -> dict[str, int]:
    shares = (0.52, 0.30, 0.14, 0.035, 0.005)
    figures = {}
    left = total
    for (band, _label), share in zip(AGE_BANDS, shares, strict=True):
        n = int(total * share) if band != "100" else left
        n = min(n, left)
        men = int(n * rng.uniform(0.40, 0.46))
        figures[f"men_{band}"], figures[f"women_{band}"] = men, n - men
        left -= n
    return figures


def _round(province: Area, year: int, staff: User | None) -> AssessmentRound:
    rnd = AssessmentRound.objects.filter(province=province, year=year).first()
    if rnd is None:
        rnd = AssessmentRound.objects.create(
            province=province,
            year=year,
            title=f"Xếp loại Hội NCT cơ sở năm {year} — tỉnh Lai Châu",
            deadline=datetime.date(year, 12, 15),
        )
        AssessmentCriterion.objects.bulk_create(
            [
                AssessmentCriterion(
                    round=rnd,
                    group=g,
                    name=n,
                    max_points=Decimal(m),
                    guidance=h,
                    order=i,
                )
                for i, (g, n, m, h) in enumerate(DEMO_CRITERIA, start=1)
            ]
        )
        services.assessments_open(rnd=rnd)
    return rnd


def _assessments(province: Area, staff: User | None) -> str:
    done = []
    for year in (2024, 2025):
        rnd = _round(province, year, staff)
        if rnd.assessments.exclude(status=UnitAssessment.Status.DRAFT).exists() or rnd.locked:
            continue
        _score_round(rnd, staff, publish=year == 2024)
        done.append(str(year))
    return ", ".join(done) or "already there"


def _score_round(rnd: AssessmentRound, staff: User | None, *, publish: bool) -> None:
    rng = random.Random(rnd.year)
    criteria = list(rnd.criteria.all())
    assessments = list(rnd.assessments.select_related("unit").order_by("unit__name", "pk"))
    scores, steps = [], []
    at = datetime.datetime(rnd.year, 12, 10, 9, 0, tzinfo=datetime.UTC)
    for i, a in enumerate(assessments):
        # 2025: a third still drafting, a third sent, a third reviewed.
        stage = 3 if publish else i % 3
        level = rng.uniform(0.45, 1.0)
        own_total = final_total = Decimal(0)
        for c in criteria:
            own = min(
                c.max_points, Decimal(round(float(c.max_points) * level * rng.uniform(0.85, 1.1)))
            )
            final = max(Decimal(0), own - Decimal(rng.choice([0, 0, 1, 2])))
            scored = stage >= 1 or rng.random() < 0.5
            scores.append(
                AssessmentScore(
                    assessment=a,
                    criterion=c,
                    self_score=own if scored else None,
                    final_score=final if stage >= 2 else None,
                    note="Có biên bản, sổ sách kèm theo" if scored and rng.random() < 0.3 else "",
                )
            )
            own_total += own if scored else 0
            final_total += final
        a.self_total = own_total
        if stage >= 1:
            a.status = UnitAssessment.Status.SUBMITTED
            steps.append(AssessmentStep(assessment=a, action="submitted", by=staff, at=at))
        if stage >= 2:
            a.status = UnitAssessment.Status.REVIEWED
            a.final_total = final_total
            a.result = rnd.classify(final_total)
            a.comment = (
                "Hoàn thành tốt các chỉ tiêu chính."
                if a.result in ("strong", "good")
                else ("Cần củng cố tổ chức và phát triển hội viên.")
            )
            steps.append(AssessmentStep(assessment=a, action="reviewed", by=staff, at=at))
        if stage >= 3:
            a.status = UnitAssessment.Status.PUBLISHED
            steps.append(AssessmentStep(assessment=a, action="published", by=staff, at=at))
    AssessmentScore.objects.bulk_create(scores, ignore_conflicts=True)
    UnitAssessment.objects.bulk_update(
        assessments, ["self_total", "final_total", "result", "comment", "status"]
    )
    AssessmentStep.objects.bulk_create(steps)
    if publish:
        rnd.status = AssessmentRound.Status.PUBLISHED
        rnd.published_at, rnd.published_by = at, staff
        rnd.save(update_fields=["status", "published_at", "published_by"])


def _plan(province: Area, units: dict[str, AssociationUnit], staff: User | None) -> str:
    plan = FoundingPlan.objects.filter(province=province, start_year=2024).first()
    if plan is None:
        plan = FoundingPlan.objects.create(
            province=province,
            title="Kế hoạch thành lập CLB liên thế hệ tự giúp nhau giai đoạn 2024–2030",
            start_year=2024,
            end_year=2030,
            decision="Kế hoạch triển khai tại hội nghị tập huấn ngày 28/5/2024",
            note="Thực hiện Quyết định 1648/QĐ-TTg; chỉ tiêu mỗi xã 1–2 CLB mỗi năm.",
        )
    if not plan.targets.exists():
        rng = random.Random(1648)
        communes = Area.objects.filter(level=Area.Level.COMMUNE, province=province, active=True)
        FoundingTarget.objects.bulk_create(
            [
                FoundingTarget(
                    plan=plan,
                    commune=c,
                    year=year,
                    planned=rng.choice([0, 1, 1, 1, 2]),
                    supporter=rng.choice(["Ngân sách tỉnh", "HelpAge", "Xã hội hóa"]),
                )
                for c in communes
                for year in plan.years
            ]
        )
    if not plan.foundings.exists():
        _pipelines(plan, staff)
    return plan.title


def _pipelines(plan: FoundingPlan, staff: User | None) -> None:
    communes = {
        a.code: a for a in Area.objects.filter(level=Area.Level.COMMUNE, province=plan.province)
    }
    training = Training.objects.filter(organiser=plan.province).order_by("starts_on").first()
    today = datetime.date.today()  # noqa: DTZ011
    step_days = 40
    for code, name, village, year, step in DEMO_PIPELINES:
        if code not in communes:
            continue
        f = ClubFounding.objects.create(
            plan=plan, commune=communes[code], name=name, village=village, year=year
        )
        if step is None:
            continue
        # The last pipeline has stalled: its last step is long past.
        start = today - datetime.timedelta(days=step_days * step + (150 if step == 2 else 10))
        _steps(f, step, start, step_days, training, staff)
    for code in LAUNCHED_CLUBS:
        club = Club.objects.filter(code=code).select_related("commune").first()
        if club is None or club.founded_on is None:
            continue
        f = ClubFounding.objects.create(
            plan=plan,
            commune=club.commune,
            name=club.name,
            village=club.village,
            year=club.founded_on.year,
            club=club,
            decision_number=club.decision_number,
            decision_issuer=club.decision_issuer,
        )
        start = (club.decision_date or club.founded_on) - datetime.timedelta(days=120)
        _steps(f, 6, start, 24, training, staff, launch_on=club.founded_on)


def _steps(
    f: ClubFounding,
    last: int,
    start: datetime.date,
    every: int,
    training: Training | None,
    staff: User | None,
    launch_on: datetime.date | None = None,
) -> None:
    people = ["Tao Văn Bình", "Lò Thị Hương", "Hà Văn Thành", "Lò Thị Ún"]
    day = start
    for step in range(1, last + 1):
        if step == 6 and launch_on:
            day = max(day, launch_on)
        FoundingStep.objects.create(
            founding=f,
            step=step,
            done_on=day,
            responsible=people[step % len(people)],
            note="Biên bản họp dân" if step == 1 else "",
            by=staff,
        )
        f.step, f.step_on = step, day
        day += datetime.timedelta(days=every)
    if last >= 3 and training is not None:
        f.training = training
    if last >= 5 and not f.decision_number:
        f.decision_number = "215/QĐ-UBND"
        f.decision_issuer = f"UBND {f.commune.name}"
    f.save()
