"""Pages for the club's month: meetings and their record sheet, activities, home-care visits,
monthly reports with their approval steps, the late-report list and the member's month panel.

Every object comes through ``accounts.scoping`` (404 outside the scope, 403 for a read-only
role writing); every write is one service call.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import privacy, scoping
from accounts.http import AuthenticatedHttpRequest
from accounts.once import once
from clubs.models import Club
from config.ui import errors_to_form, form_page, paginate, search_term
from members.models import Member
from month import schedule
from month import selectors as sel
from month import services as svc
from month.forms import (
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
from month.locking import is_month_locked
from month.models import Activity, Attendance, HomeCareVisit, Meeting, MonthlyReport
from month.record_sheet import render_rows
from month.reminders.services import reminders_for_meeting

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _error_message(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _club(request: AuthenticatedHttpRequest, club_id: int, *, write: bool = False) -> Club:
    return scoping.get_for_user(
        Club.objects.select_related("commune"), request.user, pk=club_id, write=write
    )


def _form_page(
    request: AuthenticatedHttpRequest, form: BaseForm, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
    )


# --- Start ----------------------------------------------------------------------------------


@login_required
def month_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Leaders go straight to their club's meetings; staff pick a club."""
    if request.user.club_id:
        return redirect("month:meeting_list", club_id=request.user.club_id)
    qs = scoping.clubs_for(request.user).select_related("commune").order_by("commune__name", "name")
    if term := search_term(request):
        qs = qs.filter(search_name__contains=term)
    return render(
        request,
        "month/home.html",
        {"page_obj": paginate(request, qs), "title": _("Club meetings and reports")},
    )


# --- Meetings -------------------------------------------------------------------------------


@login_required
def meeting_list(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id)
    today = timezone.localdate()
    return render(
        request,
        "month/meeting_list.html",
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
def meeting_plan(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    result = svc.meetings_plan(clubs=Club.objects.filter(pk=club.pk))
    messages.success(
        request,
        _("Schedule updated: %(created)s meetings planned, %(removed)s removed.")
        % {"created": result.created, "removed": result.removed},
    )
    return redirect("month:meeting_list", club_id=club.pk)


@login_required
def meeting_add(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    form = MeetingForm(
        request.POST or None,
        initial={"starts_at": club.meeting_time, "place": club.meeting_place},
    )
    if request.method == "POST" and form.is_valid():
        try:
            return once(
                request,
                save=lambda: svc.meeting_create(club=club, by=request.user, **form.cleaned_data),
                success=_("Meeting added."),
                next_url=lambda meeting: reverse("month:meeting_detail", args=[meeting.pk]),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    return _form_page(
        request,
        form,
        _("Add a meeting"),
        reverse("month:meeting_list", args=[club.pk]),
        subtitle=club.name,
    )


def _meeting(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Meeting:
    return scoping.get_for_user(
        Meeting.objects.select_related("club", "club__commune"),
        request.user,
        pk=pk,
        write=write,
    )


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    summary = sel.meeting_summary(
        meeting, sensitive=privacy.may_see(request.user, privacy.SENSITIVE)
    )
    privacy.note_access(request, meeting, privacy.SENSITIVE, count=summary["high_readings"])
    return render(
        request,
        "month/meeting_detail.html",
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
def meeting_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
        except svc.NoConsentError as exc:  # consent withdrawn while the sheet was open
            form.refuse_readings(exc.member_ids)
        except ValidationError as exc:
            errors_to_form(form, exc)
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
    privacy.note_access(request, meeting, privacy.SENSITIVE, count=rows)  # the readings
    return render(
        request,
        "month/meeting_record.html",
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


def _meeting_change(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    form: BaseForm,
    *,
    save: Callable[[], Any],
    success: str,
    title: str,
    submit_label: str,
) -> HttpResponse:
    """Moving or cancelling a meeting: the form, then back to the meeting."""
    detail = reverse("month:meeting_detail", args=[meeting.pk])
    return form_page(
        request,
        form,
        save=save,
        success=success,
        next_url=detail,
        title=title,
        cancel_url=detail,
        subtitle=f"{meeting.club} · {meeting.date:%d/%m/%Y}",
        submit_label=submit_label,
    )


@login_required
def meeting_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, write=True)
    form = MeetingMoveForm(
        request.POST or None,
        initial={"date": meeting.date, "starts_at": meeting.starts_at, "place": meeting.place},
    )
    return _meeting_change(
        request,
        meeting,
        form,
        save=lambda: svc.meeting_move(meeting=meeting, by=request.user, **form.cleaned_data),
        success=_("Meeting moved."),
        title=_("Move the meeting"),
        submit_label=_("Reschedule"),
    )


@login_required
def meeting_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, write=True)
    form = MeetingCancelForm(request.POST or None)
    return _meeting_change(
        request,
        meeting,
        form,
        save=lambda: svc.meeting_cancel(meeting=meeting, by=request.user, **form.cleaned_data),
        success=_("Meeting cancelled."),
        title=_("Cancel the meeting"),
        submit_label=_("Cancel the meeting"),
    )


# --- Activities and home-care visits -------------------------------------------------------
# Both are a club's records kept the same way: a list, one form to log or edit, a delete
# button. ``_ClubRecord`` says what differs; the views below only name which one.


# Checked once for each kind of record: both hang off a club the same way.
_Record = TypeVar("_Record", Activity, HomeCareVisit)


@dataclass(frozen=True)
class _ClubRecord(Generic[_Record]):
    model: type[_Record]
    name: str  # URL names month:<name>_list, template month/<name>_list.html
    tab: str
    related: Callable[[QuerySet[Any]], QuerySet[Any]]
    form: type[ActivityForm] | type[VisitForm]
    save: Callable[[Any, Any], Any]  # (the form, the user) -> the saved record
    delete: Callable[[Any, Any], Any]  # (the record, the user)
    add_title: StrOrPromise
    edit_title: StrOrPromise
    saved: StrOrPromise
    deleted: StrOrPromise
    # The personal data the list shows, noted in the access log (accounts.privacy).
    access: privacy.Category | None = None


ACTIVITIES = _ClubRecord(
    model=Activity,
    name="activity",
    tab="activities",
    related=lambda qs: qs.prefetch_related("areas"),
    form=ActivityForm,
    save=lambda form, by: svc.activity_save(
        activity=form.instance,
        areas=list(form.cleaned_data["areas"]),
        participants=list(form.cleaned_data["participants"]),
        by=by,
    ),
    delete=lambda activity, by: svc.activity_delete(activity=activity, by=by),
    add_title=gettext_lazy("Log an activity"),
    edit_title=gettext_lazy("Edit activity"),
    saved=gettext_lazy("Activity saved."),
    deleted=gettext_lazy("Activity deleted."),
)
VISITS = _ClubRecord(
    model=HomeCareVisit,
    name="visit",
    tab="visits",
    related=lambda qs: qs.select_related("volunteer", "recipient"),
    form=VisitForm,
    save=lambda form, by: svc.visit_save(
        visit=form.instance, services=form.instance.service_list, by=by
    ),
    delete=lambda visit, by: svc.visit_delete(visit=visit, by=by),
    add_title=gettext_lazy("Log a home-care visit"),
    edit_title=gettext_lazy("Edit home-care visit"),
    saved=gettext_lazy("Home-care visit saved."),
    deleted=gettext_lazy("Home-care visit deleted."),
    access=privacy.HIGH_RISK,  # who receives care, and what care
)


def _record_list(
    request: AuthenticatedHttpRequest, club_id: int, kind: _ClubRecord[_Record]
) -> HttpResponse:
    club = _club(request, club_id)
    if kind.access:  # a list of named people with their personal data: not for viewers
        privacy.require_people(request.user, kind.access)
    qs = kind.related(scoping.for_user(kind.model, request.user).filter(club=club))
    page = paginate(request, qs.order_by("-date", "-pk"))
    if kind.access:
        privacy.note_access(request, club, kind.access, count=page)
    return render(
        request,
        f"month/{kind.name}_list.html",
        {"club": club, "tab": kind.tab, "page_obj": page},
    )


def _record_form(
    request: AuthenticatedHttpRequest, club: Club, record: Any, kind: _ClubRecord[_Record]
) -> HttpResponse:
    form = kind.form(request.POST or None, instance=record, club=club)
    list_url = reverse(f"month:{kind.name}_list", args=[club.pk])
    if request.method == "POST" and form.is_valid():
        try:
            return once(
                request,
                save=lambda: kind.save(form, request.user),
                success=str(kind.saved),
                next_url=list_url,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    title = kind.edit_title if record.pk else kind.add_title
    return _form_page(request, form, str(title), list_url, subtitle=club.name)


def _record_edit(
    request: AuthenticatedHttpRequest, pk: int, kind: _ClubRecord[_Record]
) -> HttpResponse:
    record = scoping.get_for_user(
        kind.model.objects.select_related("club"), request.user, pk=pk, write=True
    )
    return _record_form(request, record.club, record, kind)


def _record_delete(
    request: AuthenticatedHttpRequest, pk: int, kind: _ClubRecord[_Record]
) -> HttpResponse:
    record = scoping.get_for_user(kind.model, request.user, pk=pk, write=True)
    try:
        kind.delete(record, request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, kind.deleted)
    return redirect(f"month:{kind.name}_list", club_id=record.club_id)


@login_required
def activity_list(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    return _record_list(request, club_id, ACTIVITIES)


@login_required
def activity_add(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    return _record_form(request, club, Activity(club=club, date=timezone.localdate()), ACTIVITIES)


@login_required
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _record_edit(request, pk, ACTIVITIES)


@login_required
@require_POST
def activity_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, pk, ACTIVITIES)


@login_required
def visit_list(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    return _record_list(request, club_id, VISITS)


@login_required
def visit_add(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    visit = HomeCareVisit(club=club, date=timezone.localdate(), duration_minutes=60)
    return _record_form(request, club, visit, VISITS)


@login_required
def visit_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _record_edit(request, pk, VISITS)


@login_required
@require_POST
def visit_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, pk, VISITS)


# --- Monthly reports ------------------------------------------------------------------------


@login_required
def club_reports(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id)
    return render(
        request,
        "month/club_reports.html",
        {"club": club, "tab": "reports", "months": sel.club_month_overview(club=club)},
    )


@login_required
@require_POST
def report_start(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
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
def report_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reports in the user's scope; by default those waiting for the user's step."""
    waiting = sel.waiting_status_for(request.user)
    status = request.GET.get("status", waiting or "")
    if status not in MonthlyReport.Status.values:
        status = ""
    return render(
        request,
        "month/report_list.html",
        {
            "page_obj": paginate(request, sel.report_list(viewer=request.user, status=status)),
            "status": status,
            "statuses": MonthlyReport.Status.choices,
            "title": _("Monthly reports"),
        },
    )


def _report(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> MonthlyReport:
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
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Report saved."))
            return redirect("month:report_detail", pk=report.pk)
    user = request.user
    return render(
        request,
        "month/report_detail.html",
        {
            **_report_context(report),
            "tab": "reports",
            "form": form,
            "comment_form": CommentForm(),
            # The club writes its report; the association only reviews it (docs/month.md).
            "may_edit": scoping.can_write(user)
            and not scoping.is_staff_role(user)
            and report.is_editable,
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


def _report_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
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
        return once(
            request,
            save=action,
            success=success,
            next_url=reverse("month:report_detail", args=[report.pk]),
        )
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect("month:report_detail", pk=report.pk)


def _step_view(step: str):
    @login_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def report_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An A4 page to print, sign and stamp."""
    report = _report(request, pk)
    return render(
        request,
        "month/report_print.html",
        {**_report_context(report), "printed_on": timezone.localdate()},
    )


@login_required
def late_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Clubs in the user's scope that had not submitted a month's report by the deadline."""
    year, month = sel.last_due_month()
    period = request.GET.get("period", "")
    try:
        day = datetime.datetime.strptime(period, "%Y-%m").date()  # noqa: DTZ007 - a month
    except ValueError:
        pass
    else:
        # A year outside 1900–2100 ("0001-01") would overflow the deadline arithmetic.
        if day.year >= 1900 and (day.year, day.month) <= (year, month):
            year, month = day.year, day.month
    qs = sel.late_reports(viewer=request.user, year=year, month=month)
    return render(
        request,
        "month/late_list.html",
        {
            "page_obj": paginate(request, qs),
            "year": year,
            "month": month,
            "period": f"{year:04d}-{month:02d}",
            "deadline": schedule.report_deadline(year, month),
            "title": _("Late or missing monthly reports"),
        },
    )


# --- The member's month ---------------------------------------------------------------------


@login_required
def member_health(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The member's month panel as a page of its own (attendance, readings, visits)."""
    member = scoping.get_for_user(Member.objects.select_related("club"), request.user, pk=pk)
    privacy.require_people(request.user)
    privacy.note_access(request, member, privacy.HIGH_RISK)  # readings, care received
    return render(
        request,
        "month/member_health.html",
        {"member": member, "panel": sel.member_month_panel(member, request.user)},
    )
