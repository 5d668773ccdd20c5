"""Demo data for the dashboards (the summaries of everything the other apps seeded) and the
reports upward of Lai Châu: the annual review 2024 and the six-month review 2025, with commune
reports in every state."""

from __future__ import annotations

import datetime
from typing import Any, TextIO

from django.utils import timezone

from accounts.models import User
from clubs.demo import DEMO_COMMUNE_CODE, LAI_CHAU_CODE, OTHER_COMMUNE_CODE
from clubs.models import Area
from reports import periodic, summary
from reports.models import PeriodicReport, PeriodicReportStep

Step = PeriodicReportStep.Action

NARRATIVE = {
    "results": (
        "Toàn địa bàn có [[clubs.active]] CLB liên thế hệ tự giúp nhau đang hoạt động với "
        "[[clubs.members]] thành viên; tỷ lệ nữ đạt [[clubs.women_pct]]. Các CLB duy trì sinh "
        "hoạt định kỳ ([[meetings.held]] buổi), tổ chức [[activities.total]] hoạt động trong 8 "
        "lĩnh vực và [[care.visits]] lượt chăm sóc tại nhà. Quỹ quay vòng của các CLB đạt "
        "[[funds.club_revolving]]."
    ),
    "shortcomings": (
        "Một số CLB ở bản vùng cao sinh hoạt chưa đều do đường sá đi lại khó khăn mùa mưa; "
        "tỷ lệ thành viên trẻ còn thấp; sổ sách ở vài CLB còn ghi chép thủ công."
    ),
    "lessons": "Cấp ủy, chính quyền quan tâm; Ban chủ nhiệm CLB được tập huấn đầy đủ.",
    "tasks": (
        "Tiếp tục thành lập CLB mới theo kế hoạch; nâng cao chất lượng sinh hoạt; "
        "vận động xây dựng Quỹ chăm sóc và phát huy vai trò người cao tuổi."
    ),
    "proposals": "Đề nghị Trung ương Hội hỗ trợ tập huấn cho Ban chủ nhiệm các CLB mới.",
}

# (kind, year, half, state of the province's report, the communes' states in order)
PLAN: list[tuple[str, int, int | None, str, list[str | None]]] = [
    ("annual", 2024, None, "accepted", ["accepted", "accepted", "accepted", None]),
    ("six_month", 2025, 1, "draft", ["submitted", "returned", "draft", "accepted"]),
]


def seed(out: TextIO) -> None:
    if meeting_today():
        out.write("A meeting today for the demo leader's club, to record from the start page.\n")
    written = summary.rebuild()
    out.write(f"Dashboard figures: {written} club-month rows rebuilt.")
    made = _seed_periodic()
    out.write(f"Reports upward: {made} new.")


def meeting_today(today: datetime.date | None = None) -> bool:
    """A planned meeting today for the demo leader's club, whatever day the demo is loaded:
    a meeting is recorded from its day on, so a newcomer can try the leader's main job at
    once (an extra meeting, outside the club's rule; none is added when the club already has
    one today). Returns whether one was added."""
    from month.models import Meeting

    today = today or timezone.localdate()
    leader = User.objects.filter(username="leader").select_related("club").first()
    if leader is None or leader.club is None:
        return False
    club = leader.club
    if Meeting.objects.filter(club=club, date=today).exists():
        return False
    Meeting.objects.create(
        club=club,
        date=today,
        starts_at=club.meeting_time or datetime.time(8, 0),
        place=club.meeting_place,
        status=Meeting.Status.PLANNED,
        agenda="Sinh hoạt định kỳ: điểm danh, đo huyết áp, thu quỹ, trao đổi kế hoạch tháng.",
    )
    return True


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _seed_periodic() -> int:
    province = Area.objects.filter(level=Area.Level.PROVINCE, code=LAI_CHAU_CODE).first()
    if province is None:
        return 0
    first = [DEMO_COMMUNE_CODE, OTHER_COMMUNE_CODE]
    named = {a.code: a for a in Area.objects.filter(code__in=first)}
    others = list(
        Area.objects.filter(level=Area.Level.COMMUNE, active=True, province=province)
        .exclude(code__in=first)
        .order_by("code")[:2]
    )
    communes = [named[c] for c in first if c in named] + others
    users = {
        u.username: u for u in User.objects.filter(username__in=["admin", "province", "commune"])
    }
    made = 0
    for kind, year, half, province_state, states in PLAN:
        for commune, state in zip(communes, states, strict=False):
            if state is not None:
                writer = users.get("commune") if commune.code == DEMO_COMMUNE_CODE else None
                made += _report(commune, kind, year, half, state, writer, users.get("province"))
        made += _report(
            province, kind, year, half, province_state, users.get("province"), users.get("admin")
        )
    return made


def _report(
    area: Area,
    kind: str,
    year: int,
    half: int | None,
    state: str,
    writer: User | None,
    reviewer: User | None,
) -> int:
    if PeriodicReport.objects.filter(area=area, kind=kind, year=year, half=half).exists():
        return 0
    span = periodic.span_of(kind, year, half)
    annex = periodic.compile_annex(area=area, kind=kind, year=year, half=half)
    number = f"{12 + year % 100}/BC-HNCT" if area.level == Area.Level.PROVINCE else ""
    report = PeriodicReport.objects.create(
        area=area,
        kind=kind,
        year=year,
        half=half,
        state=state,
        annex=annex,
        compile_status=PeriodicReport.Compile.DONE,
        compile_progress=100,
        compiled_at=_aware(span.last_day, 16),
        number=number,
        signer_name="Lò Văn Thanh" if area.level == Area.Level.PROVINCE else "",
        signer_position="TM. Ban Thường vụ — Chủ tịch",
        created_by=writer,
        **NARRATIVE,
    )
    steps: list[tuple[str, User | None, str, int]] = [
        (Step.CREATED, writer, "", 1),
        (Step.COMPILED, None, "", 1),
    ]
    if state != "draft":
        steps.append((Step.SUBMITTED, writer, "", 8))
    if state == "returned":
        comment = (
            "Đề nghị bổ sung số liệu hội viên mới và nguyên nhân CLB Bản Lở sinh hoạt chưa đều."
        )
        steps.append((Step.RETURNED, reviewer, comment, 12))
        report.review_comment = comment
    if state == "accepted":
        steps.append((Step.ACCEPTED, reviewer, "", 14))
    if state in ("submitted", "returned", "accepted"):
        report.submitted_at = _aware(span.last_day + datetime.timedelta(days=8))
        report.submitted_by = writer
    report.save()
    rows: list[Any] = [
        PeriodicReportStep(report=report, action=action, by=by, comment=comment)
        for action, by, comment, _days in steps
    ]
    PeriodicReportStep.objects.bulk_create(rows)
    for row, (_a, _b, _c, days) in zip(rows, steps, strict=True):
        PeriodicReportStep.objects.filter(pk=row.pk).update(
            at=_aware(span.last_day + datetime.timedelta(days=days))
        )
    return 1
