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
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import privacy, scoping
from accounts.confirm import confirm_or_do
from accounts.http import AuthenticatedHttpRequest
from accounts.once import once, repeat_answer
from clubs.models import Club
from config.collation import by_name
from config.ui import errors_to_form, form_page, paginate, search_term
from members.models import Member
from month import offline, schedule
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
from month.locking import assert_month_open, is_month_locked
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
    qs = (
        scoping.clubs_for(request.user)
        .select_related("commune")
        .order_by(*by_name("commune__name", "name"), "pk")
    )
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


def _note_readings(
    request: AuthenticatedHttpRequest, form: MeetingRecordForm, result: svc.RecordResult
) -> None:
    """The warnings a saved sheet gives about its readings (very high, high)."""
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

        def record() -> svc.RecordResult:
            # A sheet drawn before the meeting changed (another board member recorded it, it
            # was moved or cancelled) is refused with the reason (month.offline).
            offline.assert_current(meeting, request.POST.get("version", ""))
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
            _note_readings(request, form, result)
            return result

        try:
            # Once per sheet key (accounts.once): a double tap or a resubmit of the same
            # sheet records nothing twice and is answered like the first post.
            return once(
                request,
                save=record,
                success=_("Meeting saved."),
                next_url=reverse("month:meeting_detail", args=[meeting.pk]),
            )
        except svc.NoConsentError as exc:  # consent withdrawn while the sheet was open
            form.refuse_readings(exc.member_ids)
        except ValidationError as exc:
            errors_to_form(form, exc)
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
    kept_offline = offline.is_offline_user(request.user)
    response = render(
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
            "version": offline.version(meeting),
            "offline": kept_offline,
            "sheet_texts": offline.sheet_texts(),
        },
    )
    if kept_offline:
        # Whose copy this is: the service worker keeps it in that leader's cache only.
        response["X-ISHC-User"] = str(request.user.pk)
    return response


@login_required
@require_POST
def meeting_sync(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The record sheet sent from a phone (``static/js/offline.js``), perhaps long after it was
    filled with no signal: the same form, checks and write as ``meeting_record``, once per
    key made on the phone, answered in JSON: ``sent``, ``refused`` (the errors beside their
    fields) or ``conflict`` (the reason and what the server holds, member by member)."""
    meeting = _meeting(request, pk, write=True)
    sheet = sel.meeting_sheet(meeting)
    form = MeetingRecordForm(
        request.POST, members=sheet["members"], marks=sheet["marks"], readings=sheet["readings"]
    )
    if form.is_valid():

        def record() -> svc.RecordResult:
            offline.assert_current(meeting, request.POST.get("version", ""))
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
            _note_readings(request, form, result)
            return result

        try:
            answer = once(
                request,
                save=record,
                success=_("Meeting saved."),
                next_url=reverse("month:meeting_detail", args=[meeting.pk]),
            )
        except offline.MeetingConflict as exc:
            current = Meeting.objects.get(pk=meeting.pk)
            now = sel.meeting_sheet(current)
            privacy.note_access(request, meeting, privacy.SENSITIVE, count=now["members"])
            return JsonResponse(
                {
                    "state": "conflict",
                    "reason": " ".join(exc.messages),
                    "version": offline.version(current),
                    "server": offline.server_values(now),
                    "meeting": {
                        "guests": str(current.guests),
                        "agenda": current.agenda,
                        "minutes": current.minutes,
                        "decisions": current.decisions,
                    },
                },
                status=409,
            )
        except svc.NoConsentError as exc:
            form.refuse_readings(exc.member_ids)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            current = Meeting.objects.get(pk=meeting.pk)
            return JsonResponse(
                {"state": "sent", "url": answer["Location"], "version": offline.version(current)}
            )
    errors = {name: list(messages_) for name, messages_ in form.errors.items() if name != "__all__"}
    return JsonResponse(
        {"state": "refused", "errors": errors, "general": list(form.non_field_errors())},
        status=422,
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
    # The confirmation page of a delete: its title and what will be lost, in words.
    delete_title: StrOrPromise
    delete_will: Callable[[Any], list[str]]
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
    delete_title=gettext_lazy("Delete this activity?"),
    delete_will=lambda a: [
        _(
            "The activity “%(title)s” of %(date)s is deleted from the records of %(club)s, "
            "with its list of participants."
        )
        % {"title": a.title, "date": a.date.strftime("%d/%m/%Y"), "club": a.club.name},
        _("It leaves the month's figures the next time the report is compiled."),
        _("It cannot be brought back: log it again if it was deleted by mistake."),
    ],
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
    delete_title=gettext_lazy("Delete this home-care visit?"),
    delete_will=lambda v: [
        _(
            "The visit of %(date)s by %(volunteer)s to %(recipient)s is deleted from the "
            "records of %(club)s."
        )
        % {
            "date": v.date.strftime("%d/%m/%Y"),
            "volunteer": v.volunteer.full_name,
            "recipient": v.recipient.full_name,
            "club": v.club.name,
        },
        _("It leaves the month's figures the next time the report is compiled."),
        _("It cannot be brought back: log it again if it was deleted by mistake."),
    ],
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
    if (first := repeat_answer(request)) is not None:  # a double tap on "Delete"
        return first
    record = scoping.get_for_user(
        kind.related(kind.model.objects.select_related("club")), request.user, pk=pk, write=True
    )
    list_url = reverse(f"month:{kind.name}_list", args=[record.club_id])
    try:  # a record of a locked month: say so at once, not after a confirmation
        for club_id, day in record.lock_points():
            assert_month_open(club_id, day)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect(list_url)

    def do() -> HttpResponse:
        try:
            return once(
                request,
                save=lambda: kind.delete(record, request.user),
                success=str(kind.deleted),
                next_url=list_url,
            )
        except ValidationError as exc:
            _error_message(request, exc)
        return redirect(list_url)

    return confirm_or_do(
        request,
        do=do,
        title=kind.delete_title,
        will=kind.delete_will(record),
        action=_("Delete"),
        cancel_url=list_url,
    )


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
    detail = reverse("month:report_detail", args=[report.pk])

    def do() -> HttpResponse:
        try:
            return once(request, save=action, success=success, next_url=detail)
        except ValidationError as exc:
            _error_message(request, exc)
        return redirect(detail)

    if step not in _CONFIRMED_STEPS:
        return do()
    if (first := repeat_answer(request)) is not None:  # a double tap on the confirmation
        return first
    try:
        # Who may take the step, and whether it can be taken now, before any page asks.
        svc.report_step_check(report=report, step=step, by=by, comment=text)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect(detail)
    return confirm_or_do(
        request,
        do=do,
        cancel_url=detail,
        **_step_confirmation(report, step, text),
    )


# The steps that cannot be taken back by the one who takes them: each asks first.
_CONFIRMED_STEPS = ("submit", "review", "approve", "reopen")


def _step_confirmation(report: MonthlyReport, step: str, comment: str) -> dict[str, Any]:
    """What the confirmation page of a report step says (docs/month.md)."""
    names = {"club": report.club.name, "period": report.period}
    said = [_("Your comment: %(comment)s") % {"comment": comment}] if comment.strip() else []
    if step == "submit":
        return {
            "title": _("Submit the report of %(club)s for %(period)s?") % names,
            "will": [
                _(
                    "The figures are compiled again from the month's records and sent with "
                    "your text to the commune association for review."
                ),
                _(
                    "The club can no longer change the report unless the commune returns it "
                    "with a comment."
                ),
            ],
            "warnings": sel.report_gaps(report),
            "action": _("Submit the report"),
            "danger": False,
        }
    if step == "review":
        return {
            "title": _("Accept the report of %(club)s for %(period)s?") % names,
            "will": [
                _("The report is passed on to the provincial association for approval."),
                _("The club can no longer change it unless it is returned."),
                *said,
            ],
            "action": _("Accept and pass on"),
            "danger": False,
        }
    if step == "approve":
        return {
            "title": _("Approve the report of %(club)s for %(period)s?") % names,
            "will": [
                _(
                    "The month %(period)s of %(club)s is locked: its meetings, attendance, "
                    "readings, activities and home-care visits can no longer be changed."
                )
                % names,
                _("The ledger entries of the club's funds dated in %(period)s are locked too.")
                % names,
                _(
                    "Only provincial association staff can reopen the month, and their "
                    "reason is recorded."
                ),
                *said,
            ],
            "action": _("Approve and lock the month"),
        }
    return {  # reopen
        "title": _("Reopen the month %(period)s of %(club)s?") % names,
        "will": [
            _("The month's records and the ledger entries dated in it can be changed again."),
            _("The report goes back to the club as returned, with your reason: %(reason)s")
            % {"reason": comment.strip()},
            _(
                "The month is locked again only when its report is submitted, reviewed and "
                "approved again."
            ),
        ],
        "action": _("Reopen the month"),
    }


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
