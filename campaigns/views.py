"""Pages of campaigns and emulation drives. Every object comes through ``accounts.scoping``
(404 outside the scope, 403 for a read-only role writing); association staff manage
campaigns; clubs' leaders read them and register their club for drives."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import privacy, scoping
from accounts.confirm import confirm_or_do, is_confirmed
from accounts.http import AuthenticatedHttpRequest
from accounts.once import form_page, once, repeat_answer
from accounts.templatetags.ishc import thousands
from campaigns import selectors, services
from campaigns.forms import (
    CampaignForm,
    CommendationForm,
    CriterionForm,
    DriveForm,
    GiftForm,
    ReceiptForm,
    RegistrationForm,
    ReportForm,
    ResultForm,
    ReturnForm,
    ScoreForm,
    TagForm,
    TargetForm,
    organiser_choices,
    parse_unit,
)
from campaigns.models import (
    Campaign,
    CampaignActivity,
    CampaignGift,
    CampaignReceipt,
    CampaignReport,
    CampaignsError,
    CampaignVisit,
    Commendation,
    EmulationCriterion,
    EmulationDrive,
    EmulationEvidence,
    EmulationRegistration,
    EmulationResult,
)
from clubs.history import history_entries
from clubs.models import Area
from config.months import month_bounds
from config.ui import errors_to_form, paginate

if TYPE_CHECKING:
    from accounts.models import User


def is_manager(user: User) -> bool:
    """Association staff (and admins) manage campaigns and drives; others read them."""
    return scoping.is_staff_role(user) and scoping.can_write(user)


def _campaign(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Campaign:
    campaign = scoping.get_for_user(
        Campaign.objects.select_related("organiser"), request.user, pk=pk, write=write
    )
    if write and not is_manager(request.user):
        raise PermissionDenied
    return campaign


def may_edit(user: User, organiser_id: int) -> bool:
    """Who may change a campaign or a drive: whoever could have created it, i.e. association
    staff (or an admin) whose areas include its organiser."""
    return is_manager(user) and organiser_choices(user).filter(pk=organiser_id).exists()


def _area_of(
    request: AuthenticatedHttpRequest, campaign: Campaign, pk: Any, *, default: bool = True
) -> Area:
    """An association of the campaign that the user looks after (404 otherwise)."""
    areas = selectors.campaign_areas(campaign, request.user)
    if pk in (None, "") and default:
        own = [a for a in areas if a.pk == request.user.area_id]
        if own or areas:
            return (own or areas)[0]
    for area in areas:
        if str(area.pk) == str(pk):
            return area
    raise Http404


def _year(request: AuthenticatedHttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year


# --- Campaigns -----------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The year's campaigns beside the days they hang on (a calendar of the year)."""
    year = _year(request)
    campaigns = selectors.campaign_year(request.user, year)
    days = selectors.days_of(year)
    months: list[dict[str, Any]] = []
    for month in range(1, 13):
        first, last = month_bounds(year, month)
        months.append(
            {
                "month": month,
                "days": [d for d in days if d.date.month == month],
                "campaigns": [c for c in campaigns if c.starts_on <= last and c.ends_on >= first],
            }
        )
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "title": _("Campaigns of %(year)s") % {"year": year},
            "year": year,
            "campaigns": campaigns,
            "months": months,
            "years": [year - 1, year + 1],
            "can_manage": is_manager(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, request.FILES or None, user=request.user)

    def save() -> Campaign:
        data = form.cleaned_data
        upload = data.get("plan_file")
        return services.campaign_create(
            title=data["title"],
            kind=data["kind"],
            organiser=data["organiser"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            theme=data["theme"],
            deployed_to=data["deployed_to"],
            plan=(upload.name, upload, upload.size) if upload else None,
            by=request.user,
        )

    return form_page(
        request,
        form,
        save=save,
        success=_("The campaign was created."),
        next_url=lambda c: reverse("campaigns:detail", args=[c.pk]),
        title=_("New campaign"),
        cancel_url=reverse("campaigns:list"),
    )


@login_required
@require_GET
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Targets against results per commune (counted from the records), and the reports."""
    campaign = _campaign(request, pk)
    board = selectors.board(campaign, request.user)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "title": campaign.title,
            "campaign": campaign,
            "board": board,
            "tags": selectors.tag_counts(campaign, request.user),
            "by_source": selectors.raised_by_source(selectors.receipts(campaign, request.user)),
            "can_manage": is_manager(request.user),
            "is_organiser": services.is_organiser_staff(request.user, campaign),
            "may_edit": may_edit(request.user, campaign.organiser_id),
            "history": history_entries(campaign, limit=20)
            if scoping.is_staff_role(request.user)
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The campaign's own page changed by those who may create it (``services.campaign_update``
    says what can no longer change)."""
    campaign = _campaign(request, pk, write=request.method == "POST")
    if not may_edit(request.user, campaign.organiser_id):
        raise PermissionDenied
    form = CampaignForm(
        request.POST or None, request.FILES or None, user=request.user, campaign=campaign
    )
    detail = reverse("campaigns:detail", args=[campaign.pk])

    def save() -> Campaign:
        data = form.cleaned_data
        upload = data.get("plan_file")
        return services.campaign_update(
            campaign=campaign,
            title=data["title"],
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            theme=data["theme"],
            deployed_to=data.get("deployed_to") or [],
            plan=(upload.name, upload, upload.size) if upload else None,
            by=request.user,
        )

    return form_page(
        request,
        form,
        save=save,
        success=_("The campaign was saved."),
        next_url=detail,
        title=_("Edit the campaign"),
        subtitle=campaign.title,
        cancel_url=detail,
    )


def _file_response(field: Any, name: str, kind: str) -> FileResponse:
    from trainings.files import CONTENT_TYPES

    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=kind not in ("pdf", "jpg", "png"),
        filename=name,
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def plan_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    campaign = _campaign(request, pk)
    if not campaign.plan_file:
        raise Http404
    return _file_response(campaign.plan_file, campaign.plan_name, campaign.plan_kind)


@login_required
@require_http_methods(["GET", "POST"])
def target_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, write=request.method == "POST")
    if not is_manager(request.user):
        raise PermissionDenied
    whole = services.is_organiser_staff(request.user, campaign)
    areas = [
        a for a in selectors.campaign_areas(campaign, request.user) if a.pk != campaign.organiser_id
    ] or selectors.campaign_areas(campaign, request.user)
    form = TargetForm(request.POST or None, areas=areas, whole=whole)
    detail = reverse("campaigns:detail", args=[campaign.pk])
    return form_page(
        request,
        form,
        save=lambda: services.target_set(
            campaign=campaign,
            indicator=form.cleaned_data["indicator"],
            commune=form.cleaned_data["commune"],
            number=form.cleaned_data["number"],
            by=request.user,
        ),
        success=_("The target was saved."),
        next_url=detail,
        title=_("Set a target"),
        subtitle=campaign.title,
        cancel_url=detail,
    )


@login_required
@require_GET
def gift_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The gifts given under the campaign, by name: for those who see named people."""
    campaign = _campaign(request, pk)
    privacy.require_people(request.user)
    page = paginate(request, selectors.gifts(campaign, request.user))
    return render(
        request,
        "campaigns/gift_list.html",
        {
            "title": _("Gifts and visits"),
            "campaign": campaign,
            "page_obj": page,
            "can_manage": is_manager(request.user),
            "areas": selectors.campaign_areas(campaign, request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def gift_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, write=True)
    area = _area_of(request, campaign, request.GET.get("area"))
    form = GiftForm(request.POST or None, area=area, user=request.user)

    def save() -> Any:
        data = form.cleaned_data
        return services.gift_record(
            campaign=campaign,
            area=area,
            member=data.get("member"),
            older_person=data.get("older_person"),
            person_name=data.get("person_name") or "",
            village=data.get("village") or "",
            date=data["date"],
            kind=data["kind"],
            value=data["value"],
            given_by=data.get("given_by") or "",
            fund=data.get("fund"),
            by=request.user,
        )

    return form_page(
        request,
        form,
        save=save,
        success=_("The gift was recorded."),
        next_url=reverse("campaigns:gifts", args=[campaign.pk]),
        title=_("Record a gift or visit"),
        subtitle=f"{campaign.title} · {area}",
        cancel_url=reverse("campaigns:gifts", args=[campaign.pk]),
    )


@login_required
@require_GET
def receipt_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    receipts = selectors.receipts(campaign, request.user)
    return render(
        request,
        "campaigns/receipt_list.html",
        {
            "title": _("Money raised"),
            "campaign": campaign,
            "page_obj": paginate(request, receipts),
            "by_source": selectors.raised_by_source(receipts),
            "can_manage": is_manager(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def receipt_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, write=True)
    form = ReceiptForm(request.POST or None, areas=selectors.campaign_areas(campaign, request.user))
    back = reverse("campaigns:receipts", args=[campaign.pk])
    return form_page(
        request,
        form,
        save=lambda: services.receipt_record(
            campaign=campaign,
            fund=form.cleaned_data["fund"],
            date=form.cleaned_data["date"],
            amount=form.cleaned_data["amount"],
            source=form.cleaned_data["source"],
            donor=form.cleaned_data["donor"],
            by=request.user,
        ),
        success=_("The money raised was recorded in the care fund."),
        next_url=back,
        title=_("Record money raised"),
        subtitle=campaign.title,
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def records_tag(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Tick the clubs' activities and home-care visits done under the campaign."""
    campaign = _campaign(request, pk, write=request.method == "POST")
    if not is_manager(request.user):
        raise PermissionDenied
    area = _area_of(request, campaign, request.GET.get("area"))
    form = TagForm(request.POST or None, campaign=campaign, area=area, user=request.user)
    detail = reverse("campaigns:detail", args=[campaign.pk])
    here = f"{reverse('campaigns:tag', args=[campaign.pk])}?area={area.pk}"
    tagged = "visits" if request.GET.get("tagged") == "visits" else "activities"
    return form_page(
        request,
        form,
        save=lambda: services.records_tag(
            campaign=campaign,
            activities=form.cleaned_data["activities"],
            visits=form.cleaned_data["visits"],
            by=request.user,
        ),
        success=lambda n: _("%(n)s records were tagged with the campaign.") % {"n": n},
        next_url=here,
        template="campaigns/tag_form.html",
        title=_("Activities and visits of the campaign"),
        subtitle=f"{campaign.title} · {area}",
        campaign=campaign,
        area=area,
        areas=selectors.campaign_areas(campaign, request.user),
        tagged=tagged,
        page_obj=paginate(request, selectors.tagged_records(campaign, area, request.user, tagged)),
        cancel_url=detail,
    )


UNTAG_MODELS: dict[str, Any] = {
    "activity": CampaignActivity.objects.select_related("activity", "activity__club"),
    "visit": CampaignVisit.objects.select_related("visit", "visit__club", "visit__recipient"),
    "gift": CampaignGift.objects.select_related("area", "entry", "entry__fund", "member"),
    "receipt": CampaignReceipt.objects.select_related("area", "entry", "entry__fund"),
}


def _untag_texts(kind: str, record: Any) -> tuple[str, list[str], str]:
    """The confirmation's title, what will happen, and the success message."""
    if kind in ("activity", "visit"):
        if kind == "activity":
            what = f"{record.activity.date:%d/%m/%Y} · {record.activity.club} · "
            what += record.activity.title
        else:
            what = f"{record.visit.date:%d/%m/%Y} · {record.visit.club} · {record.visit.recipient}"
        return (
            _("Untag this record from the campaign?"),
            [
                _("%(record)s will no longer count in the campaign's results.") % {"record": what},
                _("The record itself stays in the club's month, unchanged."),
            ],
            _("The record was untagged from the campaign."),
        )
    if kind == "gift":
        return (
            _("Remove this gift from the campaign?"),
            [
                _(
                    "The gift of %(value)s to %(name)s on %(date)s is removed from the "
                    "campaign and its results."
                )
                % {
                    "value": f"{thousands(record.value)} ₫",
                    "name": record.person_name,
                    "date": f"{record.date:%d/%m/%Y}",
                },
                _("No money moves: a payment from a care fund stays in its cash book."),
            ],
            _("The gift was removed from the campaign."),
        )
    return (
        _("Untag this money from the campaign?"),
        [
            _(
                "Receipt %(voucher)s of %(amount)s stays in the care fund's cash book, "
                "unchanged; it no longer counts as money raised for the campaign."
            )
            % {
                "voucher": record.entry.voucher_number,
                "amount": f"{thousands(record.entry.amount)} ₫",
            },
        ],
        _("The money was untagged from the campaign."),
    )


@login_required
@require_POST
def untag(request: AuthenticatedHttpRequest, pk: int, kind: str, record_pk: int) -> HttpResponse:
    """Take one tagged record out of the campaign, after a confirmation (its results change).
    Refused once the commune's campaign report is approved; the ledger is never touched."""
    queryset = UNTAG_MODELS.get(kind)
    if queryset is None:
        raise Http404
    campaign = _campaign(request, pk, write=True)
    # The record is gone after the first post: a repeat of the confirmed form is answered
    # like the first one, not with a 404.
    repeated = repeat_answer(request)
    if repeated is not None:
        return repeated
    record = scoping.get_for_user(
        queryset.filter(campaign=campaign), request.user, pk=record_pk, write=True
    )
    if kind in ("activity", "visit"):
        back = reverse("campaigns:tag", args=[campaign.pk])
        back += f"?area={services.tagged_commune_id(record)}&tagged={kind}s"
    else:
        back = reverse("campaigns:gifts" if kind == "gift" else "campaigns:receipts", args=[pk])
    if not is_confirmed(request):
        try:
            services.untag_check(record=record)
        except ValidationError as exc:
            return _refused(request, exc, back)
    title, will, success = _untag_texts(kind, record)

    def do() -> HttpResponse:
        try:
            return once(
                request,
                save=lambda: services.untag(record=record, by=request.user),
                success=success,
                next_url=back,
            )
        except ValidationError as exc:
            return _refused(request, exc, back)

    return confirm_or_do(
        request,
        do=do,
        title=title,
        will=will,
        action=pgettext("campaign", "Untag"),
        cancel_url=back,
    )


# --- The campaign report -------------------------------------------------------------------


def _report(
    request: AuthenticatedHttpRequest, pk: int, area_pk: int, *, write: bool = False
) -> CampaignReport:
    campaign = _campaign(request, pk)
    area = _area_of(request, campaign, area_pk, default=False)
    if write:
        scoping.require_write(request.user)
        if not is_manager(request.user):
            raise PermissionDenied
    existing = CampaignReport.objects.filter(campaign=campaign, commune=area).first()
    if existing is not None:
        existing.campaign, existing.commune = campaign, area
        return existing
    if not write:
        return CampaignReport(campaign=campaign, commune=area)
    return services.report_for(campaign=campaign, commune=area)


def _may_submit(user: User, report: CampaignReport) -> bool:
    """The commune's own staff submit (an admin may too)."""
    return scoping.is_admin(user) or (is_manager(user) and user.area_id == report.commune_id)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: AuthenticatedHttpRequest, pk: int, area_pk: int) -> HttpResponse:
    report = _report(request, pk, area_pk, write=request.method == "POST")
    if request.method == "POST" and not _may_submit(request.user, report):
        raise PermissionDenied
    form = ReportForm(request.POST or None, initial={"narrative": report.narrative})
    here = reverse("campaigns:report", args=[pk, area_pk])
    if request.method == "POST" and form.is_valid():
        try:
            return once(
                request,
                save=lambda: services.report_save(
                    report=report, narrative=form.cleaned_data["narrative"], by=request.user
                ),
                success=_("The report was saved."),
                next_url=here,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    events = list(report.events.select_related("by")) if report.pk else []
    return render(
        request,
        "campaigns/report_detail.html",
        {
            "title": _("Campaign report"),
            "report": report,
            "campaign": report.campaign,
            "cells": selectors.report_cells(report),
            "form": form,
            "return_form": ReturnForm(),
            "events": events,
            "may_submit": _may_submit(request.user, report)
            and report.status in (CampaignReport.Status.DRAFT, CampaignReport.Status.RETURNED),
            "may_review": services.is_organiser_staff(request.user, report.campaign)
            and report.status == CampaignReport.Status.SUBMITTED,
        },
    )


@login_required
@require_POST
def report_submit(request: AuthenticatedHttpRequest, pk: int, area_pk: int) -> HttpResponse:
    report = _report(request, pk, area_pk, write=True)
    if not _may_submit(request.user, report):
        raise PermissionDenied
    here = reverse("campaigns:report", args=[pk, area_pk])
    narrative = request.POST.get("narrative")

    def do() -> HttpResponse:
        try:
            return once(
                request,
                save=lambda: services.report_submit(
                    report=report, by=request.user, narrative=narrative
                ),
                success=_("The report was sent to the province."),
                next_url=here,
            )
        except CampaignsError as exc:
            return _refused(request, exc, here)

    return confirm_or_do(
        request,
        do=do,
        title=_("Submit the campaign report?"),
        will=[
            _("The figures as they stand today are sent with the report."),
            _("The narrative can no longer be changed unless the report is returned."),
        ],
        action=_("Submit"),
        cancel_url=here,
        danger=False,
    )


def _refused(request: AuthenticatedHttpRequest, exc: ValidationError, url: str) -> HttpResponse:
    from django.contrib import messages
    from django.shortcuts import redirect

    for message in exc.messages:
        messages.error(request, message)
    return redirect(url)


@login_required
@require_POST
def report_return(request: AuthenticatedHttpRequest, pk: int, area_pk: int) -> HttpResponse:
    report = _report(request, pk, area_pk, write=True)
    form = ReturnForm(request.POST)
    here = reverse("campaigns:report", args=[pk, area_pk])
    if not form.is_valid():
        return _refused(
            request, CampaignsError(_("Say what needs to change before returning it.")), here
        )
    try:
        return once(
            request,
            save=lambda: services.report_return(
                report=report, by=request.user, comment=form.cleaned_data["comment"]
            ),
            success=_("The report was returned to the commune."),
            next_url=here,
        )
    except CampaignsError as exc:
        return _refused(request, exc, here)


@login_required
@require_POST
def report_approve(request: AuthenticatedHttpRequest, pk: int, area_pk: int) -> HttpResponse:
    report = _report(request, pk, area_pk, write=True)
    if not services.is_organiser_staff(request.user, report.campaign):
        raise PermissionDenied
    here = reverse("campaigns:report", args=[pk, area_pk])

    def do() -> HttpResponse:
        try:
            return once(
                request,
                save=lambda: services.report_approve(report=report, by=request.user),
                success=_("The report was approved."),
                next_url=here,
            )
        except CampaignsError as exc:
            return _refused(request, exc, here)

    return confirm_or_do(
        request,
        do=do,
        title=_("Approve the campaign report of %(area)s?") % {"area": report.commune},
        will=[
            _("The figures are frozen as they stand today."),
            _(
                "The commune's gifts, money raised and tagged records of this campaign are "
                "locked: they can no longer be added or removed."
            ),
        ],
        action=_("Approve"),
        cancel_url=here,
    )


@login_required
@require_GET
def rollup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The organiser's roll-up of the communes, who has not reported; .xlsx or printable."""
    campaign = _campaign(request, pk)
    board = selectors.board(campaign, request.user)
    if request.GET.get("format") == "xlsx":
        from funds.books import xlsx_response

        return xlsx_response(_rollup_xlsx(board), f"chien-dich-{campaign.pk}.xlsx")
    template = (
        "campaigns/rollup_print.html" if request.GET.get("print") else "campaigns/rollup.html"
    )
    return render(
        request,
        template,
        {
            "title": _("Roll-up of the campaign"),
            "campaign": campaign,
            "board": board,
            "today": timezone.localdate(),
        },
    )


def _rollup_xlsx(board: selectors.Board) -> bytes:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from config.excel import format_sheet
    from funds.books import safe_cell

    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):  # a new workbook opens on one worksheet
        raise TypeError(ws)
    ws.title = "Tong hop"
    campaign = board.campaign

    def line(*cells: Any) -> None:
        ws.append([safe_cell(c) for c in cells])

    line(campaign.title)
    line(f"{campaign.starts_on:%d/%m/%Y} – {campaign.ends_on:%d/%m/%Y}")
    line()
    header: list[Any] = [_("Commune"), _("Report")]
    for _key, label in board.indicators:
        header += [label, _("Target")]
    line(*header)
    for row in board.rows:
        status = row.report.get_status_display() if row.report else _("Not started")
        cells: list[Any] = [str(row.area), str(status)]
        for cell in row.cells:
            cells += [cell.result, cell.target]
        line(*cells)
    total: list[Any] = [_("Total"), ""]
    for cell in board.total:
        total += [cell.result, cell.target]
    line(*total)
    format_sheet(ws, header_row=4, first_column_frozen=True)
    line()
    line(_("Not yet reported"), ", ".join(str(a) for a in board.not_reported))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Emulation -----------------------------------------------------------------------------


def _drive(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> EmulationDrive:
    drive = scoping.get_for_user(
        EmulationDrive.objects.select_related("organiser"), request.user, pk=pk, write=write
    )
    if write and not services.is_organiser_staff(request.user, drive):
        raise PermissionDenied
    return drive


def _registration(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> EmulationRegistration:
    return scoping.get_for_user(
        EmulationRegistration.objects.select_related("drive", "drive__organiser", "area", "club"),
        request.user,
        pk=pk,
        write=write,
    )


@login_required
@require_GET
def drive_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    drives = selectors.drives_for(request.user).order_by("-starts_on", "-pk")
    return render(
        request,
        "campaigns/drive_list.html",
        {
            "title": _("Emulation drives"),
            "page_obj": paginate(request, drives),
            "can_manage": is_manager(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def drive_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied
    form = DriveForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda: services.drive_create(by=request.user, **form.cleaned_data),
        success=_("The emulation drive was created; add its criteria."),
        next_url=lambda d: reverse("campaigns:drive", args=[d.pk]),
        title=_("New emulation drive"),
        cancel_url=reverse("campaigns:drives"),
    )


@login_required
@require_GET
def drive_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk)
    ranked = selectors.ranking(drive, request.user)
    return render(
        request,
        "campaigns/drive_detail.html",
        {
            "title": drive.title,
            "drive": drive,
            "criteria": list(drive.criteria.all()),
            "ranked": ranked,
            "is_organiser": services.is_organiser_staff(request.user, drive),
            "may_register": scoping.can_write(request.user)
            and timezone.localdate() <= drive.ends_on,
            "max_total": sum(c.max_points for c in drive.criteria.all()),
            "may_edit": may_edit(request.user, drive.organiser_id),
            "history": history_entries(drive, limit=20)
            if scoping.is_staff_role(request.user)
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def drive_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The drive's own page changed by those who may create it (``services.drive_update``
    says what can no longer change)."""
    drive = scoping.get_for_user(
        EmulationDrive.objects.select_related("organiser"),
        request.user,
        pk=pk,
        write=request.method == "POST",
    )
    if not may_edit(request.user, drive.organiser_id):
        raise PermissionDenied
    form = DriveForm(request.POST or None, user=request.user, drive=drive)
    back = reverse("campaigns:drive", args=[drive.pk])

    def save() -> EmulationDrive:
        data = form.cleaned_data
        return services.drive_update(
            drive=drive,
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            occasion=data["occasion"],
            description=data["description"],
            by=request.user,
        )

    return form_page(
        request,
        form,
        save=save,
        success=_("The emulation drive was saved."),
        next_url=back,
        title=_("Edit the emulation drive"),
        subtitle=drive.title,
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk, write=True)
    form = CriterionForm(request.POST or None)
    back = reverse("campaigns:drive", args=[drive.pk])
    return form_page(
        request,
        form,
        save=lambda: services.criterion_add(drive=drive, **form.cleaned_data),
        success=_("The criterion was added."),
        next_url=back,
        title=_("Add a criterion"),
        subtitle=drive.title,
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk)
    scoping.require_write(request.user)
    form = RegistrationForm(request.POST or None, drive=drive, user=request.user)

    def save() -> EmulationRegistration:
        area, club = parse_unit(form.cleaned_data["unit"])
        return services.registration_create(
            drive=drive,
            area=area,
            club=club,
            pledges=form.cleaned_data["pledges"],
            by=request.user,
        )

    return form_page(
        request,
        form,
        save=save,
        success=_("The unit was registered for the drive."),
        next_url=lambda r: reverse("campaigns:registration", args=[r.pk]),
        title=_("Register for the drive"),
        subtitle=drive.title,
        cancel_url=reverse("campaigns:drive", args=[drive.pk]),
    )


@login_required
@require_GET
def registration_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    results = selectors.results_of(registration)
    return render(
        request,
        "campaigns/registration_detail.html",
        {
            "title": str(registration.unit),
            "registration": registration,
            "drive": registration.drive,
            "results": results,
            "totals": {
                "self": sum(r.self_points or 0 for r in results),
                "review": sum(r.review_points or 0 for r in results),
                "final": sum(r.final_points or 0 for r in results),
                "max": sum(r.criterion.max_points for r in results),
            },
            "may_record": scoping.can_write(request.user)
            and registration.stage
            in (EmulationRegistration.Stage.REGISTERED, EmulationRegistration.Stage.SELF_SCORED),
            "is_organiser": services.is_organiser_staff(request.user, registration.drive),
            "history": registration.history.select_related("history_user").order_by(
                "-history_date"
            )[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def result_edit(request: AuthenticatedHttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    registration = _registration(request, pk, write=request.method == "POST")
    criterion = scoping.get_for_user(
        EmulationCriterion.objects.filter(drive_id=registration.drive_id),
        request.user,
        pk=criterion_pk,
    )
    current = EmulationResult.objects.filter(registration=registration, criterion=criterion).first()
    form = ResultForm(
        request.POST or None,
        request.FILES or None,
        criterion=criterion,
        initial={
            "achievement": current.achievement if current else "",
            "self_points": current.self_points if current else None,
        },
    )

    def save() -> EmulationResult:
        upload = form.cleaned_data.get("evidence")
        return services.result_record(
            registration=registration,
            criterion=criterion,
            achievement=form.cleaned_data["achievement"],
            self_points=form.cleaned_data["self_points"],
            evidence=(upload.name, upload, upload.size) if upload else None,
            by=request.user,
        )

    back = reverse("campaigns:registration", args=[registration.pk])
    return form_page(
        request,
        form,
        save=save,
        success=_("The result was saved."),
        next_url=back,
        title=f"{criterion.seq}. {criterion.name}",
        subtitle=_("Evidence asked for: %(evidence)s") % {"evidence": criterion.evidence or "—"},
        cancel_url=back,
    )


@login_required
@require_GET
def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    evidence = scoping.get_for_user(EmulationEvidence, request.user, pk=pk)
    return _file_response(evidence.file, evidence.original_name, evidence.kind)


@login_required
@require_http_methods(["GET", "POST"])
def score(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The organiser's review and final score of a registration, criterion by criterion."""
    registration = _registration(request, pk, write=request.method == "POST")
    if not services.is_organiser_staff(request.user, registration.drive):
        raise PermissionDenied
    criteria = list(registration.drive.criteria.all())
    results = {r.criterion_id: r for r in registration.results.all()}
    initial = {
        f"c{c.pk}": (
            results[c.pk].review_points
            if c.pk in results and results[c.pk].review_points is not None
            else results[c.pk].self_points
            if c.pk in results
            else None
        )
        for c in criteria
    }
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    back = reverse("campaigns:registration", args=[registration.pk])
    return form_page(
        request,
        form,
        save=lambda: services.scores_set(
            registration=registration,
            stage=form.cleaned_data["stage"],
            points=form.points(),
            reason=form.cleaned_data["reason"],
            by=request.user,
        ),
        success=_("The scores were saved."),
        next_url=back,
        title=_("Score %(unit)s") % {"unit": registration.unit},
        subtitle=registration.drive.title,
        cancel_url=back,
    )


@login_required
@require_GET
def commendation_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The drive's commendations; printable. Viewers see the units, never named people."""
    drive = _drive(request, pk)
    qs = selectors.commendations_for(request.user).filter(drive=drive)
    if not privacy.may_see_people(request.user):
        qs = qs.filter(recipient_kind=Commendation.RecipientKind.UNIT)
    rows = list(qs.order_by("level", "decision_date", "pk"))
    return render(
        request,
        "campaigns/commendation_list.html",
        {
            "title": _("Commendations"),
            "drive": drive,
            "commendations": rows,
            "is_organiser": services.is_organiser_staff(request.user, drive),
            "print": bool(request.GET.get("print")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commendation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    drive = _drive(request, pk, write=True)
    form = CommendationForm(request.POST or None, drive=drive, user=request.user)

    def save() -> Commendation:
        data = form.cleaned_data
        area, club = parse_unit(data.get("unit") or "")
        return services.commendation_record(
            drive=drive,
            recipient_kind=data["recipient_kind"],
            unit_area=area,
            unit_club=club,
            member=data.get("member"),
            person_name=data.get("person_name") or "",
            person_area=data.get("person_area"),
            level=data["level"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            reason=data.get("reason") or "",
            by=request.user,
        )

    back = reverse("campaigns:commendations", args=[drive.pk])
    return form_page(
        request,
        form,
        save=save,
        success=_("The commendation was recorded."),
        next_url=back,
        title=_("Record a commendation"),
        subtitle=drive.title,
        cancel_url=back,
    )


@login_required
@require_GET
def certificate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A commendation's certificate as a PDF (A4 landscape)."""
    commendation = scoping.get_for_user(
        Commendation.objects.select_related(
            "drive", "drive__organiser", "registration__area", "registration__club", "area"
        ),
        request.user,
        pk=pk,
    )
    if not commendation.is_unit:
        privacy.require_people(request.user)
    from campaigns.pdf import certificate_pdf

    response = HttpResponse(certificate_pdf(commendation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="khen-thuong-{commendation.pk}.pdf"'
    return response
