"""Writes for the club's month: planning and recording meetings, activities, home-care visits
and the monthly report's approval chain.

Every function is keyword-only, runs in one transaction, refuses locked (approved) months via
``month.locking`` and raises ``MonthError`` (a ValidationError) that views turn into form
errors. Role checks that are about *who may take a step* (review, approve) raise
``PermissionDenied`` (403); scope was already settled by ``accounts.scoping`` in the view.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scoping
from clubs.models import Club
from config.months import add_months
from members.models import Member
from month import schedule
from month.locking import assert_month_open
from month.models import (
    CARE_SERVICE_LABELS,
    Activity,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
    MonthlyReportEvent,
    Reminder,
    reading_errors,
)
from month.notices import report_step_notify
from month.readings import consent_refusal, has_health_consent
from month.selectors import meeting_roster, readings_without_consent

if TYPE_CHECKING:
    from accounts.models import User

PLAN_MONTHS = 3


class MonthError(ValidationError):
    """A month record could not be written; the message says why, in the user's language."""


class NoConsentError(MonthError):
    """Readings were given for members who have not agreed to their health data being kept;
    ``member_ids`` says whose, so a form can show the reason beside their fields."""

    def __init__(self, members: Sequence[Member]) -> None:
        self.member_ids = [m.pk for m in members]
        super().__init__({"readings": [f"{m}: {consent_refusal()}" for m in members]})


@dataclass(frozen=True)
class Reading:
    """A member's blood pressure and/or weight taken at a meeting."""

    systolic: int | None = None
    diastolic: int | None = None
    weight: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        return self.systolic is None and self.diastolic is None and self.weight is None


@dataclass
class RecordResult:
    meeting: Meeting
    high_readings: list[HealthCheck] = field(default_factory=list)


@dataclass
class PlanResult:
    created: int = 0
    updated: int = 0
    removed: int = 0


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# --- The schedule ---------------------------------------------------------------------------


def _chunks(qs: QuerySet[Club], size: int) -> Iterable[list[Club]]:
    batch: list[Club] = []
    for club in qs.iterator(chunk_size=size):
        batch.append(club)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def meetings_plan(
    *,
    clubs: QuerySet[Club] | None = None,
    today: datetime.date | None = None,
    months: int = PLAN_MONTHS,
) -> PlanResult:
    """Create the planned meetings each club's rule gives for the next ``months`` months.

    Idempotent: a rule day that already has a meeting (planned, held, cancelled or moved away)
    is not planned again. Keeps the plan up to date when a rule changes: still-planned,
    never-moved future meetings that the rule no longer gives are removed, and their time and
    place follow the rule. Works in batches of clubs, a few queries per batch.
    """
    today = _today(today)
    end = add_months(today, months)
    if clubs is None:
        clubs = Club.objects.filter(status=Club.Status.ACTIVE)
    clubs = clubs.exclude(meeting_rule=Club.MeetingRule.NONE).order_by("pk")
    result = PlanResult()
    for batch in _chunks(clubs, 500):
        ids = [c.pk for c in batch]
        with transaction.atomic():
            existing: dict[int, list[Meeting]] = {}
            for meeting in Meeting.objects.filter(
                club_id__in=ids, planned_on__gte=today, planned_on__lte=end
            ):
                existing.setdefault(meeting.club_id, []).append(meeting)
            locked = {
                (club_id, year, month)
                for club_id, year, month in MonthlyReport.objects.filter(
                    club_id__in=ids, status=MonthlyReport.Status.APPROVED
                )
                .filter(Q(year__gt=today.year) | Q(year=today.year, month__gte=today.month))
                .values_list("club_id", "year", "month")
            }
            new, changed, stale = [], [], []
            for club in batch:
                wanted = set(schedule.club_meeting_dates(club, today, end))
                # Every one has a planned_on (the query filters on it).
                have = {m.planned_on: m for m in existing.get(club.pk, []) if m.planned_on}
                for day in sorted(wanted - set(have)):
                    if (club.pk, day.year, day.month) in locked:
                        continue
                    new.append(
                        Meeting(
                            club=club,
                            date=day,
                            planned_on=day,
                            starts_at=club.meeting_time,
                            place=club.meeting_place,
                        )
                    )
                for day, meeting in have.items():
                    untouched = meeting.status == Meeting.Status.PLANNED and not meeting.moved_from
                    if not untouched or (club.pk, day.year, day.month) in locked:
                        continue
                    if day not in wanted:
                        stale.append(meeting.pk)
                    elif (meeting.starts_at, meeting.place) != (
                        club.meeting_time,
                        club.meeting_place,
                    ):
                        meeting.starts_at, meeting.place = club.meeting_time, club.meeting_place
                        changed.append(meeting)
            Meeting.objects.bulk_create(new)
            Meeting.objects.bulk_update(changed, ["starts_at", "place"])
            if stale:
                # A planned meeting never has attendance or readings: nothing is lost.
                Meeting.objects.filter(pk__in=stale, status=Meeting.Status.PLANNED).delete()
            result.created += len(new)
            result.updated += len(changed)
            result.removed += len(stale)
    return result


def meeting_create(
    *,
    club: Club,
    date: datetime.date,
    starts_at: datetime.time | None,
    place: str,
    agenda: str = "",
    by: User,
) -> Meeting:
    """An extra meeting outside the rule (planned_on stays empty)."""
    with transaction.atomic():
        assert_month_open(club.pk, date, field="date")
        meeting = Meeting(
            club=club, date=date, starts_at=starts_at, place=place, agenda=agenda, changed_by=by
        )
        meeting.full_clean()
        meeting.save()
    return meeting


def meeting_move(
    *,
    meeting: Meeting,
    date: datetime.date,
    starts_at: datetime.time | None,
    place: str,
    reason: str,
    by: User,
    today: datetime.date | None = None,
) -> Meeting:
    """Move a planned meeting to another day (and time/place), with a reason."""
    today = _today(today)
    errors: dict[str, str] = {}
    if meeting.status != Meeting.Status.PLANNED:
        raise MonthError(_("Only a planned meeting can be moved."))
    if not reason.strip():
        errors["reason"] = _("Give a reason for moving the meeting.")
    if date < today:
        errors["date"] = _("A meeting cannot be moved into the past.")
    if errors:
        raise MonthError(errors)
    with transaction.atomic():
        assert_month_open(meeting.club_id, meeting.date)
        assert_month_open(meeting.club_id, date, field="date")
        old = meeting.date
        meeting.date, meeting.starts_at, meeting.place = date, starts_at, place
        if date != old:
            meeting.moved_from = old
        meeting.change_reason = reason.strip()
        meeting.changed_by = by
        meeting.full_clean()
        meeting.save()
    return meeting


def meeting_cancel(*, meeting: Meeting, reason: str, by: User) -> Meeting:
    """Cancel a planned meeting, with a reason (no reminders will be sent for it)."""
    if meeting.status != Meeting.Status.PLANNED:
        raise MonthError(_("Only a planned meeting can be cancelled."))
    if not reason.strip():
        raise MonthError({"reason": _("Give a reason for cancelling the meeting.")})
    with transaction.atomic():
        assert_month_open(meeting.club_id, meeting.date)
        meeting.status = Meeting.Status.CANCELLED
        meeting.change_reason = reason.strip()
        meeting.changed_by = by
        meeting.save(update_fields=["status", "change_reason", "changed_by", "updated_at"])
    return meeting


def meeting_record(
    *,
    meeting: Meeting,
    attendance: Mapping[int, str],
    readings: Mapping[int, Reading],
    guests: int = 0,
    minutes: str = "",
    decisions: str = "",
    agenda: str | None = None,
    by: User,
    today: datetime.date | None = None,
) -> RecordResult:
    """Record one sitting: attendance, readings, guests, minutes and decisions, all at once.

    ``attendance`` and ``readings`` are the whole sitting (member id -> mark / reading): a member
    left out has no mark (*not recorded*) and no reading at this meeting, and any earlier entry
    for them is removed. One transaction, a fixed number of queries whatever the club's size.
    """
    today = _today(today)
    if meeting.status == Meeting.Status.CANCELLED:
        raise MonthError(_("This meeting was cancelled; it cannot be recorded."))
    if meeting.date > today:
        raise MonthError(_("A meeting can be recorded on its day or later, not before."))
    if guests is None or guests < 0:
        raise MonthError({"guests": _("The number of guests cannot be negative.")})
    valid = set(Attendance.Status.values)
    if any(status not in valid for status in attendance.values()):
        raise MonthError({"attendance": _("Unknown attendance mark.")})
    with transaction.atomic():
        # Two board members may save the same sitting from two phones: the row lock makes the
        # second wait and then replace the whole sitting instead of interleaving rows.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        assert_month_open(meeting.club_id, meeting.date)
        roster = {m.pk: m for m in meeting_roster(meeting)}
        outsiders = (set(attendance) | set(readings)) - set(roster)
        if outsiders:
            raise MonthError(
                {
                    "attendance": _(
                        "Some of the people marked are not members of this club on the "
                        "meeting's day; nothing was saved."
                    )
                },
                code="not_member",
            )
        problems = []
        for member_id, reading in readings.items():
            for message in reading_errors(
                reading.systolic, reading.diastolic, reading.weight
            ).values():
                problems.append(f"{roster[member_id]}: {message}")
        if problems:
            raise MonthError({"readings": problems})
        # Health data need the member's consent: a reading of anyone else is refused whole
        # (nothing of the sitting is saved), not dropped in silence.
        refused = [
            roster[member_id]
            for member_id, reading in readings.items()
            if not reading.is_empty and not has_health_consent(roster[member_id])
        ]
        if refused:
            raise NoConsentError(refused)

        # Attendance: create, change or remove marks.
        current = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
        create, update = [], []
        for member_id, status in attendance.items():
            row = current.get(member_id)
            if row is None:
                create.append(Attendance(meeting=meeting, member_id=member_id, status=status))
            elif row.status != status:
                row.status = status
                update.append(row)
        drop = [row.pk for member_id, row in current.items() if member_id not in attendance]
        Attendance.objects.bulk_create(create)
        Attendance.objects.bulk_update(update, ["status"])
        if drop:
            Attendance.objects.filter(pk__in=drop).delete()

        # Readings: one per member per meeting.
        current_hc = {h.member_id: h for h in HealthCheck.objects.filter(meeting=meeting)}
        hc_create: list[HealthCheck] = []
        hc_update: list[HealthCheck] = []
        kept: list[HealthCheck] = []
        for member_id, reading in readings.items():
            if reading.is_empty:
                continue
            check = current_hc.get(member_id)
            values = (reading.systolic, reading.diastolic, reading.weight)
            if check is None:
                check = HealthCheck(
                    club_id=meeting.club_id,
                    member_id=member_id,
                    meeting=meeting,
                    date=meeting.date,
                    systolic=values[0],
                    diastolic=values[1],
                    weight=values[2],
                    recorded_by=by,
                )
                hc_create.append(check)
            else:
                if (check.systolic, check.diastolic, check.weight, check.date) != (
                    *values,
                    meeting.date,
                ):
                    check.systolic, check.diastolic, check.weight = values
                    check.date = meeting.date
                    hc_update.append(check)
            kept.append(check)
        hc_drop = [
            stale.pk
            for member_id, stale in current_hc.items()
            if member_id not in readings or readings[member_id].is_empty
        ]
        HealthCheck.objects.bulk_create(hc_create)
        HealthCheck.objects.bulk_update(hc_update, ["systolic", "diastolic", "weight", "date"])
        if hc_drop:
            HealthCheck.objects.filter(pk__in=hc_drop).delete()

        meeting.status = Meeting.Status.HELD
        meeting.guests = guests
        meeting.minutes = minutes
        meeting.decisions = decisions
        if agenda is not None:
            meeting.agenda = agenda
        meeting.recorded_by = by
        meeting.recorded_at = timezone.now()
        meeting.save(
            update_fields=[
                "status",
                "guests",
                "minutes",
                "decisions",
                "agenda",
                "recorded_by",
                "recorded_at",
                "updated_at",
            ]
        )
    for check in kept:
        check.member = roster[check.member_id]
    high = sorted((r for r in kept if r.is_high), key=lambda r: r.member.search_name)
    return RecordResult(meeting=meeting, high_readings=high)


# --- Activities and home-care visits --------------------------------------------------------


def activity_save(
    *,
    activity: Activity,
    areas: Sequence[Any],
    participants: Sequence[Member],
    by: User,
) -> Activity:
    """Create or change an activity; the month(s) it was and will be in must be open."""
    errors: dict[str, str] = {}
    if not areas:
        errors["areas"] = _("Choose at least one activity area.")
    if any(p.club_id != activity.club_id for p in participants):
        errors["participants"] = _("Some participants are not members of this club.")
    if activity.cost is None or activity.cost < 0:
        errors["cost"] = _("The cost cannot be negative.")
    if errors:
        raise MonthError(errors)
    with transaction.atomic():
        for club_id, day in activity.lock_points():
            assert_month_open(club_id, day, field="date")
        if not activity.participant_count and participants:
            activity.participant_count = len(participants)
        if activity.pk is None:
            activity.created_by = by
        activity.full_clean()
        activity.save()
        activity.areas.set(areas)
        activity.participants.set(participants)
    return activity


def activity_delete(*, activity: Activity, by: User) -> None:
    with transaction.atomic():
        for club_id, day in activity.lock_points():
            assert_month_open(club_id, day)
        activity.delete()


def visit_save(*, visit: HomeCareVisit, services: Sequence[str], by: User) -> HomeCareVisit:
    """Create or change a home-care visit."""
    unknown = [s for s in services if s not in CARE_SERVICE_LABELS]
    if unknown or not services:
        raise MonthError({"services": _("Choose at least one service from the list.")})
    visit.services = ",".join(code for code in CARE_SERVICE_LABELS if code in services)
    with transaction.atomic():
        for club_id, day in visit.lock_points():
            assert_month_open(club_id, day, field="date")
        if visit.pk is None:
            visit.created_by = by
        visit.full_clean()
        visit.save()
    return visit


def visit_delete(*, visit: HomeCareVisit, by: User) -> None:
    with transaction.atomic():
        for club_id, day in visit.lock_points():
            assert_month_open(club_id, day)
        visit.delete()


# --- Personal data: consent withdrawn, anonymisation ------------------------------------------


def readings_erase(*, member: Member) -> int:
    """Delete every health reading of ``member``; returns how many.

    Health data without consent must not remain (``month.signals`` calls this when consent is
    withdrawn), nor readings of an anonymised person. Approved months included: the law comes
    before the month lock, and a monthly report already compiled keeps its figures as numbers.
    """
    with transaction.atomic():
        _total, per_model = HealthCheck.objects.filter(member=member).delete()
    return per_model.get(HealthCheck._meta.label, 0)


def readings_without_consent_erase() -> int:
    """Delete every reading kept of a member without recorded consent (taken before readings
    needed it); ``manage.py readings_without_consent --delete``. Returns how many."""
    with transaction.atomic():
        _total, per_model = readings_without_consent().delete()
    return per_model.get(HealthCheck._meta.label, 0)


def member_month_anonymise(*, member: Member) -> dict[str, int]:
    """Erase what the month holds that could point to an anonymised person: the readings are
    deleted, the notes of the home-care visits they received (free text about their care) and
    the addresses and texts of their reminders are emptied, reminders not yet sent are skipped.
    Attendance and visits stay, so the counts built on them do not change."""
    with transaction.atomic():
        readings = readings_erase(member=member)
        notes = HomeCareVisit.objects.filter(recipient=member).exclude(note="").update(note="")
        Reminder.objects.filter(
            member=member, status__in=[Reminder.Status.PENDING, Reminder.Status.FAILED]
        ).update(status=Reminder.Status.SKIPPED)
        reminders = (
            Reminder.objects.filter(member=member)
            .exclude(address="", text="")
            .update(address="", text="")
        )
    return {"readings": readings, "visit_notes": notes, "reminders": reminders}


# --- The monthly report and its approval chain ------------------------------------------------


def _log(
    report: MonthlyReport, action: str, from_status: str, by: User, comment: str = ""
) -> MonthlyReportEvent:
    return MonthlyReportEvent.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=report.status,
        comment=comment,
        by=by,
    )


def _locked_report(report: MonthlyReport) -> MonthlyReport:
    # Two reviewers may press at the same time: the row lock serialises the steps, and the
    # status check after it refuses the second one.
    return MonthlyReport.objects.select_for_update().get(pk=report.pk)


def report_start(
    *, club: Club, year: int, month: int, by: User, today: datetime.date | None = None
) -> MonthlyReport:
    """The club's report for a month (created as a draft with compiled figures if new)."""
    today = _today(today)
    if not 1 <= month <= 12 or (year, month) > (today.year, today.month):
        raise MonthError(_("A report can be started for the current month or an earlier one."))
    with transaction.atomic():
        report, created = MonthlyReport.objects.get_or_create(club=club, year=year, month=month)
        if created:
            _log(report, MonthlyReportEvent.Action.CREATED, "", by)
            _compile(report, by)
    return report


def _compile(report: MonthlyReport, by: User) -> None:
    from month.selectors import report_figures

    report.figures = report_figures(report.club, report.year, report.month)
    report.compiled_at = timezone.now()
    report.save(update_fields=["figures", "compiled_at", "updated_at"])
    _log(report, MonthlyReportEvent.Action.COMPILED, report.status, by)


def _require_club_side(by: User) -> None:
    """A club writes and submits its own report; the association reviews it, returns it with
    a comment and approves it, and never writes or submits it for the club (docs/month.md):
    the one who accepts a report is never the one who wrote it."""
    scoping.require_write(by)
    if scoping.is_staff_role(by):
        raise PermissionDenied


def report_compile(*, report: MonthlyReport, by: User) -> MonthlyReport:
    """Recompile the figures from the month's records (draft or returned reports only)."""
    _require_club_side(by)
    with transaction.atomic():
        report = _locked_report(report)
        if not report.is_editable:
            raise MonthError(_("Only a draft or returned report can be recompiled."))
        _compile(report, by)
    return report


def report_update_text(
    *, report: MonthlyReport, narrative: str, difficulties: str, by: User
) -> MonthlyReport:
    _require_club_side(by)
    with transaction.atomic():
        report = _locked_report(report)
        if not report.is_editable:
            raise MonthError(_("Only a draft or returned report can be changed."))
        report.narrative, report.difficulties = narrative, difficulties
        report.save(update_fields=["narrative", "difficulties", "updated_at"])
    return report


def report_month_over(report: MonthlyReport, today: datetime.date | None = None) -> bool:
    """Whether the report's month may be reported as done: it has ended, or (with
    ``settings.ISHC_REPORT_FROM_LAST_MEETING``) its last meeting not cancelled has been held
    or its day has come."""
    today = _today(today)
    first = datetime.date(report.year, report.month, 1)
    if today >= add_months(first, 1):
        return True
    if not settings.ISHC_REPORT_FROM_LAST_MEETING:
        return False
    last = (
        Meeting.objects.filter(
            club_id=report.club_id, date__gte=first, date__lt=add_months(first, 1)
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return last is not None and today >= last


def _month_not_over(report: MonthlyReport) -> MonthError:
    return MonthError(
        _("The month has not ended yet; the report can be submitted from %(day)s.")
        % {"day": add_months(report.first_day, 1).strftime("%d/%m/%Y")}
    )


def report_step_check(
    *,
    report: MonthlyReport,
    step: str,
    by: User,
    comment: str = "",
    today: datetime.date | None = None,
) -> None:
    """Raise what taking ``step`` (submit, review, approve, reopen) on ``report`` would raise
    now, without writing: ``PermissionDenied`` for who, ``MonthError`` for when. The step's
    service asks the same under the report's row lock; the view asks first so that a
    confirmation page is drawn only for a step that can be taken."""
    Status = MonthlyReport.Status
    if step == "submit":
        _require_club_side(by)
        if not report.is_editable:
            raise MonthError(_("This report has already been submitted."))
        if not report_month_over(report, today):
            raise _month_not_over(report)
    elif step == "review":
        if not scoping.is_staff_role(by):
            raise PermissionDenied
        if report.status != Status.SUBMITTED:
            raise MonthError(_("Only a submitted report can be reviewed."))
    elif step == "approve":
        if not scoping.is_province_role(by):
            raise PermissionDenied
        if report.status != Status.REVIEWED:
            raise MonthError(_("Only a report reviewed by the commune can be approved."))
    elif step == "reopen":
        if not scoping.is_province_role(by):
            raise PermissionDenied
        if not comment.strip():
            raise MonthError({"comment": _("Give a reason for reopening the month.")})
        if report.status != Status.APPROVED:
            raise MonthError(_("Only an approved report can be reopened."))
    else:
        raise ValueError(step)


def report_submit(
    *, report: MonthlyReport, by: User, today: datetime.date | None = None
) -> MonthlyReport:
    """The leader sends the report to the commune; the figures are compiled afresh first.
    A month that has not ended cannot be reported (``report_month_over``)."""
    _require_club_side(by)
    with transaction.atomic():
        report = _locked_report(report)
        report_step_check(report=report, step="submit", by=by, today=today)
        _compile(report, by)
        before = report.status
        report.status = MonthlyReport.Status.SUBMITTED
        report.submitted_by, report.submitted_at = by, timezone.now()
        report.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
        event = _log(report, MonthlyReportEvent.Action.SUBMITTED, before, by)
        report_step_notify(report=report, event=event, by=by)
    return report


def _sign_off(
    report: MonthlyReport,
    by: User,
    comment: str,
    *,
    needs: str,
    to: str,
    step: str,
    refusal: str,
) -> MonthlyReport:
    """Move a report one step up (``needs`` -> ``to``), stamping ``<step>_by``/``<step>_at``
    and logging the event ``step``, under the report's row lock."""
    with transaction.atomic():
        report = _locked_report(report)
        if report.status != needs:
            raise MonthError(refusal)
        before = report.status
        report.status = to
        setattr(report, f"{step}_by", by)
        setattr(report, f"{step}_at", timezone.now())
        report.save(update_fields=["status", f"{step}_by", f"{step}_at", "updated_at"])
        event = _log(report, step, before, by, comment)
        report_step_notify(report=report, event=event, by=by, comment=comment)
    return report


def report_review(*, report: MonthlyReport, by: User, comment: str = "") -> MonthlyReport:
    """Commune staff accept a submitted report and pass it on to the province."""
    if not scoping.is_staff_role(by):
        raise PermissionDenied
    return _sign_off(
        report, by, comment,
        needs=MonthlyReport.Status.SUBMITTED, to=MonthlyReport.Status.REVIEWED,
        step=MonthlyReportEvent.Action.REVIEWED.value,
        refusal=_("Only a submitted report can be reviewed."),
    )  # fmt: skip


def report_approve(*, report: MonthlyReport, by: User, comment: str = "") -> MonthlyReport:
    """Provincial staff approve a reviewed report: the month is locked from now on."""
    if not scoping.is_province_role(by):
        raise PermissionDenied
    return _sign_off(
        report, by, comment,
        needs=MonthlyReport.Status.REVIEWED, to=MonthlyReport.Status.APPROVED,
        step=MonthlyReportEvent.Action.APPROVED.value,
        refusal=_("Only a report reviewed by the commune can be approved."),
    )  # fmt: skip


def report_return(*, report: MonthlyReport, by: User, comment: str) -> MonthlyReport:
    """Send the report back to the leader with a comment (commune: a submitted report;
    province: a submitted or reviewed one)."""
    if not scoping.is_staff_role(by):
        raise PermissionDenied
    if not comment.strip():
        raise MonthError({"comment": _("Say what needs to change before returning the report.")})
    with transaction.atomic():
        report = _locked_report(report)
        if report.status == MonthlyReport.Status.REVIEWED and not scoping.is_province_role(by):
            raise PermissionDenied
        if report.status not in (MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.REVIEWED):
            raise MonthError(_("Only a submitted or reviewed report can be returned."))
        before = report.status
        report.status = MonthlyReport.Status.RETURNED
        report.returned_by, report.returned_at = by, timezone.now()
        report.return_comment = comment.strip()
        report.save(
            update_fields=["status", "returned_by", "returned_at", "return_comment", "updated_at"]
        )
        event = _log(report, MonthlyReportEvent.Action.RETURNED, before, by, report.return_comment)
        report_step_notify(report=report, event=event, by=by, comment=report.return_comment)
    return report


def report_reopen(*, report: MonthlyReport, by: User, reason: str) -> MonthlyReport:
    """Provincial staff unlock an approved month; the report goes back to the leader."""
    if not scoping.is_province_role(by):
        raise PermissionDenied
    if not reason.strip():
        raise MonthError({"comment": _("Give a reason for reopening the month.")})
    with transaction.atomic():
        report = _locked_report(report)
        if report.status != MonthlyReport.Status.APPROVED:
            raise MonthError(_("Only an approved report can be reopened."))
        before = report.status
        report.status = MonthlyReport.Status.RETURNED
        report.reopened_by, report.reopened_at = by, timezone.now()
        report.returned_by, report.returned_at = by, report.reopened_at
        report.return_comment = reason.strip()
        report.save(
            update_fields=[
                "status",
                "reopened_by",
                "reopened_at",
                "returned_by",
                "returned_at",
                "return_comment",
                "updated_at",
            ]
        )
        event = _log(report, MonthlyReportEvent.Action.REOPENED, before, by, report.return_comment)
        report_step_notify(report=report, event=event, by=by, comment=report.return_comment)
    return report


__all__ = [
    "MonthError",
    "NoConsentError",
    "PlanResult",
    "Reading",
    "RecordResult",
    "activity_delete",
    "activity_save",
    "meeting_cancel",
    "meeting_create",
    "meeting_move",
    "meeting_record",
    "meetings_plan",
    "member_month_anonymise",
    "readings_erase",
    "readings_without_consent_erase",
    "report_approve",
    "report_compile",
    "report_return",
    "report_review",
    "report_start",
    "report_step_check",
    "report_submit",
    "report_update_text",
    "visit_delete",
    "visit_save",
]
