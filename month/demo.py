"""Demo data for the club's month: six months of meetings, attendance, readings, activities,
home-care visits and monthly reports in every state, for each active demo club.

Idempotent (a club that already has a held meeting is left alone) and fast: rows are built in
memory and written with ``bulk_create``; only the report figures are compiled per report.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import TextIO

from django.utils import timezone

from accounts.models import Role, User
from clubs.models import Club
from config.months import add_months, day_in_month, month_bounds
from members.models import Member
from month import schedule
from month.models import (
    Activity,
    ActivityArea,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
    MonthlyReportEvent,
)
from month.readings import has_health_consent
from month.selectors import report_figures
from month.services import meetings_plan

MONTHS = 6
BATCH = 1000

AGENDAS = [
    "Báo cáo hoạt động tháng; truyền thông phòng chống tăng huyết áp; kế hoạch tháng tới",
    "Kiểm tra quỹ; bình xét cho vay; hướng dẫn chăn nuôi gà thả vườn",
    "Phổ biến chính sách bảo hiểm y tế; thăm hỏi thành viên ốm; văn nghệ",
    "Tổng kết vụ mùa; góp quỹ hoạt động; phân công tình nguyện viên chăm sóc tại nhà",
]
ACTIVITIES = [
    ("Đo huyết áp, cân nặng cho người cao tuổi trong bản", ["health"]),
    ("Tập huấn kỹ thuật nuôi lợn đen", ["livelihoods", "learning"]),
    ("Thăm hỏi, tặng quà thành viên ốm", ["culture", "self_help"]),
    ("Giao lưu văn nghệ với CLB bản bên", ["culture"]),
    ("Hướng dẫn làm thủ tục bảo hiểm y tế", ["rights"]),
    ("Vận động đóng góp quỹ hoạt động", ["resources"]),
    ("Giúp gặt lúa cho gia đình neo đơn", ["self_help", "home_care"]),
    ("Sinh hoạt chuyên đề dinh dưỡng cho người cao tuổi", ["health", "learning"]),
]
SERVICES = ["housework", "personal_care", "health_check", "medicine", "company", "farm_work"]
DIFFICULTIES = [
    "Một số thành viên ở xa, mùa mưa đi lại khó khăn.",
    "Kinh phí hoạt động còn ít; cần hỗ trợ máy đo huyết áp mới.",
    "Nhiều thành viên trẻ đi làm ăn xa, ít tham gia sinh hoạt.",
]
# Report state for each of the six months (oldest first), by club (cycled).
PATTERNS: list[list[str | None]] = [
    ["approved", "approved", "approved", "reviewed", "submitted", "draft"],
    ["approved", "approved", "reviewed", "returned", "submitted", None],
    ["approved", "approved", "approved", "approved", "returned", "draft"],
]


def _months(today: datetime.date) -> list[tuple[int, int]]:
    first = today.replace(day=1)
    return [(d.year, d.month) for d in (add_months(first, -i) for i in range(MONTHS, 0, -1))]


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed(out: TextIO) -> None:
    today = timezone.localdate()
    months = _months(today)
    clubs = list(Club.objects.filter(status=Club.Status.ACTIVE).order_by("code"))
    done = set(
        Meeting.objects.filter(club__in=clubs, status=Meeting.Status.HELD)
        .values_list("club_id", flat=True)
        .distinct()
    )
    todo = [c for c in clubs if c.pk not in done]
    if not todo:
        out.write("Demo month records: already there.\n")
        return
    users = {u.username: u for u in User.objects.filter(username__in=["commune", "province"])}
    leaders = {
        u.club_id: u
        for u in User.objects.filter(role=Role.CLUB_LEADER, club__in=todo).order_by("pk")
    }
    areas = {a.code: a for a in ActivityArea.objects.all()}
    roster: dict[int, list[Member]] = defaultdict(list)
    for m in Member.objects.filter(club__in=todo).only(
        "pk", "club_id", "joined_on", "left_on", "is_volunteer", "needs_care", "birth_year"
    ):
        roster[m.club_id].append(m)
    taken = set(
        Meeting.objects.filter(club__in=todo, planned_on__isnull=False).values_list(
            "club_id", "planned_on"
        )
    )

    # 1. Meetings, one per month on the club's rule day.
    meetings: list[Meeting] = []
    for club in todo:
        rng = random.Random(f"month-{club.code}")
        leader = leaders.get(club.pk)
        for year, month in months:
            first, last = month_bounds(year, month)
            days = schedule.club_meeting_dates(club, first, last) or [day_in_month(year, month, 21)]
            day = days[0]
            if (club.pk, day) in taken:
                continue
            meetings.append(
                Meeting(
                    club=club,
                    date=day,
                    planned_on=day,
                    starts_at=club.meeting_time,
                    place=club.meeting_place,
                    status=Meeting.Status.HELD,
                    agenda=rng.choice(AGENDAS),
                    minutes="Buổi sinh hoạt diễn ra đúng giờ, các thành viên sôi nổi thảo luận.",
                    decisions="Thống nhất kế hoạch tháng tới; phân công thăm hỏi thành viên ốm.",
                    guests=rng.randint(0, 4),
                    recorded_by=leader,
                    recorded_at=_aware(day, 11),
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)

    # 2. Attendance and readings at each meeting.
    attendance: list[Attendance] = []
    readings: list[HealthCheck] = []
    for meeting in meetings:
        rng = random.Random(f"{meeting.club_id}-{meeting.date}")
        for m in roster[meeting.club_id]:
            if not m.is_on_register(meeting.date):
                continue
            roll = rng.random()
            if roll < 0.03:
                continue  # not recorded
            status = "present" if roll < 0.83 else "absent" if roll < 0.93 else "excused"
            attendance.append(Attendance(meeting=meeting, member=m, status=status))
            # Readings only of members who agreed to their health data being kept.
            if status == "present" and rng.random() < 0.65 and has_health_consent(m):
                older = today.year - m.birth_year >= 60
                systolic = rng.randint(105, 150 if older else 135) + (
                    rng.randint(0, 35) if rng.random() < 0.1 else 0
                )
                diastolic = min(systolic - 25, rng.randint(62, 95))
                readings.append(
                    HealthCheck(
                        club_id=meeting.club_id,
                        member=m,
                        meeting=meeting,
                        date=meeting.date,
                        systolic=systolic,
                        diastolic=diastolic,
                        weight=round(rng.uniform(38, 72), 1) if rng.random() < 0.8 else None,
                        recorded_by=meeting.recorded_by,
                    )
                )
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    HealthCheck.objects.bulk_create(readings, batch_size=BATCH)

    # 3. Activities (with their areas and some participants) and home-care visits.
    activities: list[Activity] = []
    activity_areas: list[list[str]] = []
    activity_people: list[list[Member]] = []
    visits: list[HomeCareVisit] = []
    for club in todo:
        rng = random.Random(f"activities-{club.code}")
        people = [m for m in roster[club.pk] if m.left_on is None]
        if len(people) < 2:
            continue
        volunteers = [m for m in people if m.is_volunteer] or people[:5]
        cared = [m for m in people if m.needs_care] or people[-5:]
        for year, month in months:
            first, last = month_bounds(year, month)
            for title, codes in rng.sample(ACTIVITIES, rng.randint(2, 4)):
                chosen = rng.sample(people, min(len(people), rng.randint(5, 25)))
                activities.append(
                    Activity(
                        club=club,
                        date=day_in_month(year, month, rng.randint(1, 28)),
                        title=title,
                        participant_count=len(chosen) + rng.randint(0, 10),
                        beneficiaries=rng.randint(0, 40),
                        cost=rng.choice([0, 0, 200_000, 500_000, 1_500_000]),
                        created_by=leaders.get(club.pk),
                    )
                )
                activity_areas.append([c for c in codes if c in areas])
                activity_people.append(chosen)
            for _ in range(rng.randint(3, 8)):
                volunteer, recipient = rng.choice(volunteers), rng.choice(cared)
                if volunteer.pk == recipient.pk:
                    continue
                visits.append(
                    HomeCareVisit(
                        club=club,
                        volunteer=volunteer,
                        recipient=recipient,
                        date=day_in_month(year, month, rng.randint(1, 28)),
                        services=",".join(sorted(rng.sample(SERVICES, rng.randint(1, 3)))),
                        duration_minutes=rng.choice([30, 45, 60, 90, 120]),
                        created_by=leaders.get(club.pk),
                    )
                )
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    AreaLink = Activity.areas.through
    PersonLink = Activity.participants.through
    AreaLink.objects.bulk_create(
        [
            AreaLink(activity=a, activityarea=areas[code])
            for a, codes in zip(activities, activity_areas, strict=True)
            for code in codes
        ],
        batch_size=BATCH,
    )
    PersonLink.objects.bulk_create(
        [
            PersonLink(activity=a, member=m)
            for a, chosen in zip(activities, activity_people, strict=True)
            for m in chosen
        ],
        batch_size=BATCH,
    )
    HomeCareVisit.objects.bulk_create(visits, batch_size=BATCH)

    # 4. Monthly reports in every state, with their history.
    existing = set(
        MonthlyReport.objects.filter(club__in=todo).values_list("club_id", "year", "month")
    )
    reports: list[MonthlyReport] = []
    for index, club in enumerate(todo):
        rng = random.Random(f"reports-{club.code}")
        pattern = PATTERNS[index % len(PATTERNS)]
        leader = leaders.get(club.pk)
        for (year, month), state in zip(months, pattern, strict=True):
            if state is None or (club.pk, year, month) in existing:
                continue
            due = schedule.report_deadline(year, month)
            submitted = _aware(due - datetime.timedelta(days=rng.randint(-6, 2)))
            report = MonthlyReport(
                club=club,
                province_id=club.commune.province_id,  # bulk_create skips save()
                year=year,
                month=month,
                status=state,
                figures=report_figures(club, year, month),
                compiled_at=submitted,
                narrative=(
                    "CLB duy trì sinh hoạt định kỳ, đo huyết áp cho thành viên, "
                    "thăm hỏi người ốm và giúp nhau phát triển kinh tế."
                ),
                difficulties=rng.choice(DIFFICULTIES),
            )
            if state != "draft":
                report.submitted_by, report.submitted_at = leader, submitted
            if state in ("reviewed", "approved"):
                report.reviewed_by = users.get("commune")
                report.reviewed_at = submitted + datetime.timedelta(days=2)
            if state == "approved":
                report.approved_by = users.get("province")
                report.approved_at = submitted + datetime.timedelta(days=5)
            if state == "returned":
                report.returned_by = users.get("commune")
                report.returned_at = submitted + datetime.timedelta(days=1)
                report.return_comment = (
                    "Đề nghị bổ sung số thành viên được đo huyết áp và khó khăn cụ thể."
                )
            reports.append(report)
    MonthlyReport.objects.bulk_create(reports, batch_size=BATCH)
    events: list[MonthlyReportEvent] = []
    for r in reports:

        def log(action: str, before: str, after: str, by, at, comment: str = "", r=r) -> None:
            events.append(
                MonthlyReportEvent(
                    report=r,
                    action=action,
                    from_status=before,
                    to_status=after,
                    by=by,
                    at=at,
                    comment=comment,
                )
            )

        leader = leaders.get(r.club_id)
        log("created", "", "draft", leader, r.compiled_at)
        log("compiled", "draft", "draft", leader, r.compiled_at)
        if r.submitted_at:
            log("submitted", "draft", "submitted", r.submitted_by, r.submitted_at)
        if r.reviewed_at:
            log("reviewed", "submitted", "reviewed", r.reviewed_by, r.reviewed_at)
        if r.approved_at:
            log("approved", "reviewed", "approved", r.approved_by, r.approved_at)
        if r.returned_at:
            log("returned", "submitted", "returned", r.returned_by, r.returned_at, r.return_comment)
    MonthlyReportEvent.objects.bulk_create(events, batch_size=BATCH)

    planned = meetings_plan(clubs=Club.objects.filter(pk__in=[c.pk for c in todo]), today=today)
    out.write(
        f"Demo month records: {len(meetings)} meetings, {len(attendance)} attendance marks, "
        f"{len(readings)} readings, {len(activities)} activities, {len(visits)} visits, "
        f"{len(reports)} reports; {planned.created} meetings planned ahead.\n"
    )
