"""Pages for the club's month: meetings and their record sheet, activities, home-care visits,
monthly reports with their approval steps, the late-report list and the member's month panel.

Every object comes through ``accounts.scoping`` (404 outside the scope, 403 for a read-only
role writing); every write is one service call.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import scoping
from clubs import schedule
from clubs import selectors_month as sel
from clubs import services_month as svc
from clubs.forms_month import (
    ActivityForm,
    CommentForm,
    MeetingCancelForm,
    MeetingForm,
    MeetingMoveForm,
    MeetingRecordForm,
    ReportStartForm,
    ReportTextForm,
    VisitForm,
    sheet_rows,
)
from clubs.locking import is_month_locked
from clubs.models import Club
from clubs.models_month import Activity, Attendance, HomeCareVisit, Meeting, MonthlyReport
from clubs.record_sheet import render_rows
from clubs.reminders.services import reminders_for_meeting
from config.ui import paginate, search_term
from members.models import Member


def _apply_errors(form: Form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the right fields (or on top of the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error.messages)
    else:
        form.add_error(None, exc.messages)


def _error_message(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _club(request: HttpRequest, club_id: int, *, write: bool = False) -> Club:
    return scoping.get_for_user(
        Club.objects.select_related("commune"), request.user, pk=club_id, write=write
    )


def _form_page(request: HttpRequest, form: Form, title: str, cancel_url: str, **extra: Any):
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
    )


# --- Start ----------------------------------------------------------------------------------


@login_required
def month_home(request: HttpRequest) -> HttpResponse:
    """Leaders go straight to their club's meetings; staff pick a club."""
    if request.user.club_id:
        return redirect("month:meeting_list", club_id=request.user.club_id)
    qs = scoping.clubs_for(request.user).select_related("commune").order_by("commune__name", "name")
    if term := search_term(request):
        qs = qs.filter(search_name__contains=term)
    return render(
        request,
        "clubs/month/home.html",
        {"page_obj": paginate(request, qs), "title": _("Club meetings and reports")},
    )


# --- Meetings -------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id)
    today = timezone.localdate()
    return render(
        request,
        "clubs/month/meeting_list.html",
        {
            "club": club,
            "tab": "meetings",
            "page_obj": paginate(request, sel.meeting_list(club=club, viewer=request.user)),
            "next_meeting": sel.next_meeting(club=club, today=today),
            "today": today,
            "title": _("Meetings"),
        },
    )


@login_required
@require_POST
def meeting_plan(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    result = svc.meetings_plan(clubs=Club.objects.filter(pk=club.pk))
    messages.success(
        request,
        _("Schedule updated: %(created)s meetings planned, %(removed)s removed.")
        % {"created": result.created, "removed": result.removed},
    )
    return redirect("month:meeting_list", club_id=club.pk)


@login_required
def meeting_add(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    form = MeetingForm(
        request.POST or None,
        initial={"starts_at": club.meeting_time, "place": club.meeting_place},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = svc.meeting_create(club=club, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Meeting added."))
            return redirect("month:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        _("Add a meeting"),
        reverse("month:meeting_list", args=[club.pk]),
        subtitle=club.name,
    )


def _meeting(request: HttpRequest, pk: int, *, write: bool = False) -> Meeting:
    return scoping.get_for_user(
        Meeting.objects.select_related("club", "club__commune"),
        request.user,
        pk=pk,
        write=write,
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    summary = sel.meeting_summary(meeting, sensitive=scoping.can_see_sensitive(request.user))
    return render(
        request,
        "clubs/month/meeting_detail.html",
        {
            "meeting": meeting,
            "club": meeting.club,
            "tab": "meetings",
            "locked": is_month_locked(meeting.club_id, meeting.date),
            "today": timezone.localdate(),
            **summary,
            **reminders_for_meeting(meeting),
        },
    )


@login_required
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The record sheet: one plain form POST saves the whole sitting."""
    meeting = _meeting(request, pk, write=True)
    sheet = sel.meeting_sheet(meeting)
    posted = request.method == "POST"
    # Unposted, the form holds only the meeting's own fields: the members' rows come from
    # the saved marks and readings (sheet_rows), not from four fields per member.
    form = MeetingRecordForm(
        request.POST if posted else None,
        members=sheet["members"] if posted else [],
        marks=sheet["marks"],
        readings=sheet["readings"],
        initial={
            "guests": meeting.guests,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
        },
    )
    locked = is_month_locked(meeting.club_id, meeting.date)
    if posted and form.is_valid():
        try:
            result = svc.meeting_record(
                meeting=meeting,
                attendance=form.attendance(),
                readings=form.readings(),
                guests=form.cleaned_data["guests"],
                minutes=form.cleaned_data["minutes"],
                decisions=form.cleaned_data["decisions"],
                agenda=form.cleaned_data["agenda"],
                by=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Meeting saved."))
            unusual = form.unusual_readings()
            if unusual:
                messages.warning(
                    request,
                    _(
                        "Very high readings (%(threshold)s or more) for: %(names)s. Measure "
                        "again after a rest and advise a visit to the health station."
                    )
                    % {
                        "threshold": "180/110",
                        "names": ", ".join(m.full_name for m, _r in unusual),
                    },
                )
            if result.high_readings:
                messages.info(
                    request,
                    _("%(count)s members had a high blood pressure (140/90 or more).")
                    % {"count": len(result.high_readings)},
                )
            return redirect("month:meeting_detail", pk=meeting.pk)
    buttons = [
        (Attendance.Status.PRESENT, Attendance.Status.PRESENT.label, "success"),
        (Attendance.Status.ABSENT, Attendance.Status.ABSENT.label, "danger"),
        (Attendance.Status.EXCUSED, Attendance.Status.EXCUSED.label, "warning"),
        ("", "–", "secondary"),
    ]
    if posted:
        rows = form.rows(buttons)
    else:
        rows = sheet_rows(sheet["members"], sheet["marks"], sheet["readings"], buttons)
    return render(
        request,
        "clubs/month/meeting_record.html",
        {
            "meeting": meeting,
            "club": meeting.club,
            "form": form,
            "rows": rows,
            "sheet_rows": render_rows(rows),
            "locked": locked,
            "tab": "meetings",
        },
    )


@login_required
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, write=True)
    form = MeetingMoveForm(
        request.POST or None,
        initial={"date": meeting.date, "starts_at": meeting.starts_at, "place": meeting.place},
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.meeting_move(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Meeting moved."))
            return redirect("month:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        _("Move the meeting"),
        reverse("month:meeting_detail", args=[meeting.pk]),
        subtitle=f"{meeting.club} · {meeting.date:%d/%m/%Y}",
        submit_label=_("Reschedule"),
    )


@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, write=True)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.meeting_cancel(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Meeting cancelled."))
            return redirect("month:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        _("Cancel the meeting"),
        reverse("month:meeting_detail", args=[meeting.pk]),
        subtitle=f"{meeting.club} · {meeting.date:%d/%m/%Y}",
        submit_label=_("Cancel the meeting"),
    )


# --- Activities -----------------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id)
    qs = (
        scoping.for_user(Activity, request.user)
        .filter(club=club)
        .prefetch_related("areas")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "clubs/month/activity_list.html",
        {"club": club, "tab": "activities", "page_obj": paginate(request, qs)},
    )


def _activity_form(request: HttpRequest, club: Club, activity: Activity) -> HttpResponse:
    form = ActivityForm(request.POST or None, instance=activity, club=club)
    if request.method == "POST" and form.is_valid():
        try:
            svc.activity_save(
                activity=form.instance,
                areas=list(form.cleaned_data["areas"]),
                participants=list(form.cleaned_data["participants"]),
                by=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("month:activity_list", club_id=club.pk)
    title = _("Edit activity") if activity.pk else _("Log an activity")
    return _form_page(
        request, form, title, reverse("month:activity_list", args=[club.pk]), subtitle=club.name
    )


@login_required
def activity_add(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    return _activity_form(request, club, Activity(club=club, date=timezone.localdate()))


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = scoping.get_for_user(
        Activity.objects.select_related("club"), request.user, pk=pk, write=True
    )
    return _activity_form(request, activity.club, activity)


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = scoping.get_for_user(Activity, request.user, pk=pk, write=True)
    try:
        svc.activity_delete(activity=activity, by=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Activity deleted."))
    return redirect("month:activity_list", club_id=activity.club_id)


# --- Home-care visits -----------------------------------------------------------------------


@login_required
def visit_list(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id)
    qs = (
        scoping.for_user(HomeCareVisit, request.user)
        .filter(club=club)
        .select_related("volunteer", "recipient")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "clubs/month/visit_list.html",
        {"club": club, "tab": "visits", "page_obj": paginate(request, qs)},
    )


def _visit_form(request: HttpRequest, club: Club, visit: HomeCareVisit) -> HttpResponse:
    form = VisitForm(request.POST or None, instance=visit, club=club)
    if request.method == "POST" and form.is_valid():
        try:
            svc.visit_save(visit=form.instance, services=visit.service_list, by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Home-care visit saved."))
            return redirect("month:visit_list", club_id=club.pk)
    title = _("Edit home-care visit") if visit.pk else _("Log a home-care visit")
    return _form_page(
        request, form, title, reverse("month:visit_list", args=[club.pk]), subtitle=club.name
    )


@login_required
def visit_add(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    return _visit_form(
        request, club, HomeCareVisit(club=club, date=timezone.localdate(), duration_minutes=60)
    )


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = scoping.get_for_user(
        HomeCareVisit.objects.select_related("club"), request.user, pk=pk, write=True
    )
    return _visit_form(request, visit.club, visit)


@login_required
@require_POST
def visit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    visit = scoping.get_for_user(HomeCareVisit, request.user, pk=pk, write=True)
    try:
        svc.visit_delete(visit=visit, by=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Home-care visit deleted."))
    return redirect("month:visit_list", club_id=visit.club_id)


# --- Monthly reports ------------------------------------------------------------------------


@login_required
def club_reports(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id)
    return render(
        request,
        "clubs/month/club_reports.html",
        {"club": club, "tab": "reports", "months": sel.club_month_overview(club=club)},
    )


@login_required
@require_POST
def report_start(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    form = ReportStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a month."))
        return redirect("month:club_reports", club_id=club.pk)
    try:
        report = svc.report_start(club=club, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("month:club_reports", club_id=club.pk)
    return redirect("month:report_detail", pk=report.pk)


@login_required
def report_inbox(request: HttpRequest) -> HttpResponse:
    """Reports in the user's scope; by default those waiting for the user's step."""
    waiting = sel.waiting_status_for(request.user)
    status = request.GET.get("status", waiting or "")
    if status not in MonthlyReport.Status.values:
        status = ""
    return render(
        request,
        "clubs/month/report_list.html",
        {
            "page_obj": paginate(request, sel.report_list(viewer=request.user, status=status)),
            "status": status,
            "statuses": MonthlyReport.Status.choices,
            "title": _("Monthly reports"),
        },
    )


def _report(request: HttpRequest, pk: int, *, write: bool = False) -> MonthlyReport:
    return scoping.get_for_user(
        MonthlyReport.objects.select_related(
            "club",
            "club__commune",
            "submitted_by",
            "reviewed_by",
            "approved_by",
            "returned_by",
        ),
        request.user,
        pk=pk,
        write=write,
    )


def _report_context(report: MonthlyReport) -> dict[str, Any]:
    return {
        "report": report,
        "club": report.club,
        "figures": report.figures or {},
        "events": list(report.events.select_related("by").order_by("at", "pk")),
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, write=request.method == "POST")
    form = ReportTextForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            svc.report_update_text(
                report=report,
                narrative=form.cleaned_data["narrative"],
                difficulties=form.cleaned_data["difficulties"],
                by=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Report saved."))
            return redirect("month:report_detail", pk=report.pk)
    user = request.user
    return render(
        request,
        "clubs/month/report_detail.html",
        {
            **_report_context(report),
            "tab": "reports",
            "form": form,
            "comment_form": CommentForm(),
            "may_edit": scoping.can_write(user) and report.is_editable,
            "may_review": scoping.is_staff_role(user)
            and report.status == MonthlyReport.Status.SUBMITTED,
            "may_approve": scoping.is_province_role(user)
            and report.status == MonthlyReport.Status.REVIEWED,
            "may_return": (
                scoping.is_staff_role(user) and report.status == MonthlyReport.Status.SUBMITTED
            )
            or (scoping.is_province_role(user) and report.status == MonthlyReport.Status.REVIEWED),
            "may_reopen": scoping.is_province_role(user)
            and report.status == MonthlyReport.Status.APPROVED,
        },
    )


def _report_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    report = _report(request, pk, write=True)
    comment = CommentForm(request.POST)
    text = comment.cleaned_data["comment"] if comment.is_valid() else ""
    by = request.user
    done = {
        "compile": (lambda: svc.report_compile(report=report, by=by), _("Figures compiled.")),
        "submit": (lambda: svc.report_submit(report=report, by=by), _("Report submitted.")),
        "review": (
            lambda: svc.report_review(report=report, by=by, comment=text),
            _("Report reviewed and passed on to the province."),
        ),
        "approve": (
            lambda: svc.report_approve(report=report, by=by, comment=text),
            _("Report approved; the month is now locked."),
        ),
        "return": (
            lambda: svc.report_return(report=report, by=by, comment=text),
            _("Report returned to the club."),
        ),
        "reopen": (
            lambda: svc.report_reopen(report=report, by=by, reason=text),
            _("Month reopened; the report went back to the club."),
        ),
    }
    action, success = done[step]
    try:
        action()
    except PermissionDenied:
        raise
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, success)
    return redirect("month:report_detail", pk=report.pk)


def _step_view(step: str):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _report_step(request, pk, step)

    view.__name__ = f"report_{step}"
    return view


report_compile = _step_view("compile")
report_submit = _step_view("submit")
report_review = _step_view("review")
report_approve = _step_view("approve")
report_return = _step_view("return")
report_reopen = _step_view("reopen")


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """An A4 page to print, sign and stamp."""
    report = _report(request, pk)
    return render(
        request,
        "clubs/month/report_print.html",
        {**_report_context(report), "printed_on": timezone.localdate()},
    )


@login_required
def late_list(request: HttpRequest) -> HttpResponse:
    """Clubs in the user's scope that had not submitted a month's report by the deadline."""
    year, month = sel.last_due_month()
    period = request.GET.get("period", "")
    try:
        day = datetime.datetime.strptime(period, "%Y-%m").date()  # noqa: DTZ007 - a month
    except ValueError:
        pass
    else:
        if (day.year, day.month) <= (year, month):
            year, month = day.year, day.month
    qs = sel.late_reports(viewer=request.user, year=year, month=month)
    return render(
        request,
        "clubs/month/late_list.html",
        {
            "page_obj": paginate(request, qs),
            "year": year,
            "month": month,
            "period": f"{year:04d}-{month:02d}",
            "deadline": schedule.report_deadline(year, month, settings.ISHC_REPORT_DEADLINE_DAY),
            "title": _("Late or missing monthly reports"),
        },
    )


# --- The member's month ---------------------------------------------------------------------


@login_required
def member_health(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's month panel as a page of its own (attendance, readings, visits)."""
    member = scoping.get_for_user(Member.objects.select_related("club"), request.user, pk=pk)
    return render(
        request,
        "clubs/month/member_health.html",
        {"member": member, "panel": sel.member_month_panel(member, request.user)},
    )
