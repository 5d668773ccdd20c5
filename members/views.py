"""Pages of the member register: list, add/edit, leave, transfer, care, Excel in and out."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import privacy, scoping
from accounts.confirm import confirm_or_do
from accounts.http import AuthenticatedHttpRequest
from accounts.once import once, repeat_answer
from clubs.history import history_entries
from clubs.models import Area, Club
from config.pickers import pick_response
from config.text import fold
from config.ui import errors_to_form, form_page, paginate, search_term
from members import export_jobs, selectors, services
from members.excel import ImportFileError, export_workbook, template_workbook
from members.forms import (
    CareAssignForm,
    CareEndForm,
    ImportUploadForm,
    LeaveForm,
    MemberFilterForm,
    MemberForm,
    TransferForm,
)
from members.imports import import_prepare, import_refresh, import_start, job_progress
from members.models import CareAssignment, ImportJob, Member, MemberExportJob

if TYPE_CHECKING:
    from accounts.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEMBER = "members.Member"  # the declaration's label (accounts.privacy.PERSONAL_FIELDS)
PROBLEMS_SHOWN = 200


# --- The register ----------------------------------------------------------------------------


@login_required
@require_safe
def member_list(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = scoping.get_for_user(Club, request.user, pk=club_id)
    privacy.require_people(request.user)
    filter_form = MemberFilterForm(request.GET or None, user=request.user)
    qs = selectors.member_list(
        club=club, viewer=request.user, term=search_term(request), filters=filter_form.values()
    )
    page = paginate(request, qs)
    privacy.note_access(request, club, privacy.HIGH_RISK, count=page)
    return render(
        request,
        "members/member_list.html",
        {
            "title": _("Members"),
            "subtitle": club.name,
            "club": club,
            "page_obj": page,
            "filter_form": filter_form,
            "today": timezone.localdate(),
        },
    )


@login_required
def member_create(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = scoping.get_for_user(Club, request.user, pk=club_id, write=True)
    form = MemberForm(request.POST or None, user=request.user, club=club)
    if request.method == "POST" and form.is_valid():
        add_another = "add_another" in request.POST
        try:
            return once(
                request,
                save=lambda: services.member_create(
                    club=club, fields=form.member_fields(), consent=form.consent(), by=request.user
                ),
                success=lambda member: _("%(name)s added to the register.") % {"name": member},
                next_url=lambda member: (
                    reverse("members:member_create", args=[club.pk])
                    if add_another
                    else reverse("members:member_detail", args=[member.pk])
                ),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    return render(
        request,
        "members/member_form.html",
        {
            "title": _("New member"),
            "subtitle": club.name,
            "form": form,
            "club": club,
            "cancel_url": reverse("members:member_list", args=[club.pk]),
            "add_another": True,
        },
    )


@login_required
@require_safe
def member_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = scoping.get_for_user(selectors.member_detail_qs(request.user), request.user, pk=pk)
    privacy.require_people(request.user)
    staff = scoping.is_staff_role(request.user)
    next_record = Member.objects.filter(previous_record=member).select_related("club").first()
    if next_record and not scoping.clubs_for(request.user).filter(pk=next_record.club_id).exists():
        next_record_visible = False
    else:
        next_record_visible = bool(next_record)
    hidden = set(privacy.hidden_fields(request.user, MEMBER))
    privacy.note_access(request, member, privacy.HIGH_RISK)
    return render(
        request,
        "members/member_detail.html",
        {
            "title": member.full_name,
            "member": member,
            "club": member.club,
            "care": selectors.care_assignments_for(member)
            if privacy.may_see(request.user, privacy.HIGH_RISK)
            else None,
            "board": member.board_positions.order_by("-start_on"),
            "history": history_entries(member, hidden=hidden) if staff else None,
            "next_record": next_record,
            "next_record_visible": next_record_visible,
        },
    )


@login_required
def member_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = scoping.get_for_user(
        Member.objects.select_related("club", "consent_recorded_by"),
        request.user,
        pk=pk,
        write=True,
    )
    form = MemberForm(request.POST or None, instance=member, user=request.user, club=member.club)
    privacy.note_access(request, member, privacy.HIGH_RISK)  # the form shows what it edits
    return form_page(
        request,
        form,
        save=lambda: services.member_update(
            member=member, fields=form.member_fields(), consent=form.consent(), by=request.user
        ),
        success=_("Member details saved."),
        next_url=reverse("members:member_detail", args=[member.pk]),
        template="members/member_form.html",
        title=_("Edit member"),
        subtitle=member.full_name,
        club=member.club,
        member=member,
        cancel_url=reverse("members:member_detail", args=[member.pk]),
    )


@login_required
def member_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A member leaves: the record stays, closed with the date and the reason."""
    member = scoping.get_for_user(Member, request.user, pk=pk, write=True)
    form = LeaveForm(request.POST or None)
    if member.left_on:
        messages.info(request, _("This member has already left the club."))
        return redirect("members:member_detail", pk=member.pk)
    return form_page(
        request,
        form,
        save=lambda: services.member_leave(
            member=member,
            left_on=form.cleaned_data["left_on"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        ),
        success=_("%(name)s has left the club.") % {"name": member},
        next_url=reverse("members:member_list", args=[member.club_id]),
        title=_("Member leaves the club"),
        subtitle=member.full_name,
        submit_label=_("Record leaving"),
        cancel_url=reverse("members:member_detail", args=[member.pk]),
    )


@login_required
def member_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Moves a member to another club in the user's area, keeping the old record."""
    member = scoping.get_for_user(Member, request.user, pk=pk, write=True)
    if member.left_on:
        messages.info(request, _("This member has already left the club."))
        return redirect("members:member_detail", pk=member.pk)
    form = TransferForm(request.POST or None, user=request.user, member=member)
    return form_page(
        request,
        form,
        save=lambda: services.member_transfer(
            member=member,
            to_club=form.cleaned_data["to_club"],
            on=form.cleaned_data["on"],
            by=request.user,
        ),
        success=lambda new: _("%(name)s moved to %(club)s.") % {"name": new, "club": new.club},
        next_url=lambda new: reverse("members:member_detail", args=[new.pk]),
        title=_("Move to another club"),
        subtitle=member.full_name,
        submit_label=_("Move"),
        cancel_url=reverse("members:member_detail", args=[member.pk]),
    )


@login_required
@require_safe
def transfer_clubs(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The transfer form's club picker: clubs of the user's area by name, village or code."""
    member = scoping.get_for_user(Member, request.user, pk=pk, write=True)
    return pick_response(
        request,
        selectors.transfer_clubs(member=member, viewer=request.user),
        describe=selectors.club_choice,
    )


@login_required
@require_safe
def member_pick(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    """A picker of the club's current members (care, loans, visits, the board): at most 20
    by name, each with year of birth and village; for those who may write only."""
    club = scoping.get_for_user(Club, request.user, pk=club_id, write=True)
    privacy.require_people(request.user)
    return pick_response(
        request,
        selectors.pick_members(club=club, viewer=request.user, only=request.GET.get("only", "")),
    )


# --- Home care -------------------------------------------------------------------------------


@login_required
def care_list(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    """Volunteers, who they care for, and who needs care but has no volunteer."""
    club = scoping.get_for_user(Club, request.user, pk=club_id)
    # Who needs care and who gives it: health and high-risk data of named people.
    privacy.require_people(request.user, privacy.SENSITIVE, privacy.HIGH_RISK)
    if request.method == "POST":
        scoping.require_write(request.user)
    form = CareAssignForm(request.POST or None, user=request.user, club=club)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_assign(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Volunteer assigned."))
            return redirect("members:care_list", club_id=club.pk)
    privacy.note_access(request, club, privacy.HIGH_RISK)
    return render(
        request,
        "members/care_list.html",
        {
            "title": _("Home care"),
            "subtitle": club.name,
            "club": club,
            "form": form,
            "without_volunteer": selectors.needing_care_without_volunteer(
                club=club, viewer=request.user
            ),
            "assignments": selectors.current_assignments(club=club, viewer=request.user),
            "volunteers": selectors.volunteers_with_load(club=club, viewer=request.user),
        },
    )


@login_required
def care_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = scoping.get_for_user(
        CareAssignment.objects.select_related("volunteer", "recipient"),
        request.user,
        pk=pk,
        write=True,
    )
    form = CareEndForm(request.POST or None)
    care_list = reverse("members:care_list", args=[assignment.volunteer.club_id])
    return form_page(
        request,
        form,
        save=lambda: services.care_end(
            assignment=assignment, end_on=form.cleaned_data["end_on"], by=request.user
        ),
        success=_("Care assignment ended."),
        next_url=care_list,
        title=_("End a care assignment"),
        subtitle=str(assignment),
        submit_label=_("End"),
        cancel_url=care_list,
    )


# --- Excel -----------------------------------------------------------------------------------


@login_required
@require_safe
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-thanh-vien.xlsx"'
    return response


@login_required
def import_upload(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = scoping.get_for_user(Club, request.user, pk=club_id, write=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_prepare(club=club, upload=form.cleaned_data["file"], by=request.user)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            if job.message:  # rows of the sheet that were not read
                messages.warning(request, job.message)
            return redirect("members:import_preview", pk=job.pk)
    return render(
        request,
        "members/import_upload.html",
        {
            "title": _("Import members from Excel"),
            "subtitle": club.name,
            "club": club,
            "form": form,
        },
    )


@login_required
def import_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The checked rows and their problems; POST adds them all (or none)."""
    job = scoping.get_for_user(
        ImportJob.objects.select_related("club"),
        request.user,
        pk=pk,
        write=request.method == "POST",
    )
    privacy.require_people(request.user)  # the rows name the people to be added
    if request.method == "POST":
        preview_url = reverse("members:import_preview", args=[job.pk])
        try:
            return once(
                request,
                save=lambda: import_start(job=job, by=request.user),
                success=lambda started: (
                    _("%(n)s members added to the register.") % {"n": started.created_count}
                    if started.status == ImportJob.Status.DONE
                    else ""
                ),
                next_url=lambda started: (
                    reverse("members:member_list", args=[started.club_id])
                    if started.status == ImportJob.Status.DONE
                    else preview_url
                ),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(preview_url)
    job = import_refresh(job)
    return render(
        request,
        "members/import_preview.html",
        {
            "title": _("Check the import"),
            "subtitle": f"{job.club.name} · {job.filename}",
            "job": job,
            "club": job.club,
            "problems": job.problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(job.problems) - PROBLEMS_SHOWN),
            "sample": job.rows[:10] if job.status == ImportJob.Status.PREVIEW else [],
            "progress": job_progress(job),
        },
    )


@login_required
@require_safe
def import_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by htmx every second while the import runs."""
    job = scoping.get_for_user(ImportJob.objects.select_related("club"), request.user, pk=pk)
    job = import_refresh(job)
    return render(
        request, "members/_import_progress.html", {"job": job, "progress": job_progress(job)}
    )


def _xlsx_response(members: Any, *, user: User, filename: str) -> HttpResponse:
    privacy.require_people(user)
    buf = io.BytesIO()
    export_workbook(
        members.iterator(chunk_size=2000), hidden=privacy.hidden_fields(user, MEMBER), out=buf
    )
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def club_export(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    """The club's register as .xlsx, with the list's search and filters applied."""
    club = scoping.get_for_user(Club, request.user, pk=club_id)
    filters = MemberFilterForm(request.GET or None, user=request.user).values()
    qs = selectors.member_list(
        club=club, viewer=request.user, term=search_term(request), filters=filters
    )
    privacy.note_access(request, club, privacy.HIGH_RISK, kind=privacy.DOWNLOAD, count=qs)
    return _xlsx_response(
        selectors.export_members(qs), user=request.user, filename=f"thanh-vien-{club.code}.xlsx"
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def area_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every current member of the viewer's clubs in a commune or province, as .xlsx, with
    the list's search and filters. Up to ``ISHC_MEMBER_EXPORT_INLINE_ROWS`` rows the file
    comes at once; above, a page offers to build it in the background (``members.exports``):
    the POST records the job and leads to its progress and download."""
    area = scoping.get_for_user(Area, request.user, pk=pk)
    privacy.require_people(request.user)
    # The search and filters, checked by the list's form (the POST carries them back from
    # the offer page as a query string: checked again, like anything a client sends).
    params = QueryDict(request.POST.get("query", "")) if request.method == "POST" else request.GET
    filters = MemberFilterForm(params or None, user=request.user).values()
    term = fold("".join(ch for ch in params.get("q", "") if ch.isprintable()))[:100]
    query = urlencode({**filters, "q": term} if term else filters)
    qs = selectors.area_export_members(area=area, viewer=request.user, query=query)
    if request.method == "POST":
        privacy.note_access(request, area, privacy.HIGH_RISK, kind=privacy.DOWNLOAD, count=qs)
        job = export_jobs.export_request(area=area, query=query, by=request.user)
        messages.success(request, _("The workbook is being prepared."))
        return redirect("members:export_detail", pk=job.pk)
    # Counted only up to the inline limit: a province's whole register is not counted on
    # every visit to this page; the job counts it when it writes the workbook.
    limit = settings.ISHC_MEMBER_EXPORT_INLINE_ROWS
    total = qs.order_by()[: limit + 1].count()
    if total > limit:
        return render(
            request,
            "members/export_start.html",
            {
                "title": _("Export members"),
                "subtitle": area.name,
                "area": area,
                "limit": limit,
                "query": query,
                "jobs": _my_exports(request.user).select_related("area")[:10],
            },
        )
    privacy.note_access(request, area, privacy.HIGH_RISK, kind=privacy.DOWNLOAD, count=total)
    return _xlsx_response(qs, user=request.user, filename=f"thanh-vien-{area.code}.xlsx")


def _my_exports(user: User) -> QuerySet[MemberExportJob]:
    return scoping.for_user(MemberExportJob, user).filter(created_by=user)


def _export_job(request: AuthenticatedHttpRequest, pk: int) -> MemberExportJob:
    """One of the user's own exports (another person's, even in scope: 404)."""
    privacy.require_people(request.user)
    return scoping.get_for_user(
        _my_exports(request.user).select_related("area"), request.user, pk=pk
    )


@login_required
@require_safe
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _export_job(request, pk)
    return render(
        request,
        "members/export_detail.html",
        {"job": job, "title": _("Export members"), "subtitle": job.area.name},
    )


@login_required
@require_safe
def export_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress box alone, polled by htmx until the file is ready."""
    return render(request, "members/_export_progress.html", {"job": _export_job(request, pk)})


@login_required
@require_safe
def export_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = _export_job(request, pk)
    if job.status != MemberExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=XLSX,
    )


@login_required
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The member withdraws consent: the sensitive fields are cleared, the record stays."""
    if (first := repeat_answer(request)) is not None:  # a double tap on the confirmation
        return first
    member = scoping.get_for_user(Member, request.user, pk=pk, write=True)
    detail = reverse("members:member_detail", args=[member.pk])
    return confirm_or_do(
        request,
        do=lambda: once(
            request,
            save=lambda: services.consent_withdraw(member=member, by=request.user),
            success=_(
                "Consent withdrawn: the sensitive information and the health readings were "
                "removed, from the change history too."
            ),
            next_url=detail,
        ),
        title=_("Record that %(name)s withdrew their consent?") % {"name": member.full_name},
        will=[
            _(
                "Their ethnicity, household status, disability and care needs are removed, "
                "from the change history too."
            ),
            _("Every blood pressure and weight reading of theirs is deleted."),
            _("The ethnicity on their training registrations is removed."),
            _("It cannot be brought back; the member record itself stays."),
        ],
        action=_("Withdraw the consent and remove"),
        cancel_url=detail,
    )
