"""Pages of the register of older persons: the list and its checks, a person's page, the
forms, Excel in and out, the celebration list of a year, care-fund support."""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import privacy, scoping
from accounts.confirm import confirm_or_do, is_confirmed
from accounts.http import AuthenticatedHttpRequest
from accounts.once import form_page, once
from clubs.history import history_entries
from clubs.models import Area
from config import ui
from config.collation import by_name
from config.ui import errors_to_form, paginate, search_term
from elders import excel, pdf, selectors, services
from elders.forms import (
    BeneficiaryForm,
    CelebrationForm,
    ImportUploadForm,
    LinkForm,
    MoveForm,
    PersonForm,
    PlanForm,
    ReceiptForm,
    RegisterFilterForm,
    SupportForm,
)
from elders.models import CareFundPlan, LongevityCelebration, OlderPerson, OlderPersonImport
from funds.models import Fund
from members.excel import ImportFileError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSON = "elders.OlderPerson"
PROBLEMS_SHOWN = 200
RECEIPTS_SHOWN = 50


def _today() -> datetime.date:
    return timezone.localdate()


def _filtered(
    request: AuthenticatedHttpRequest,
) -> tuple[RegisterFilterForm, QuerySet[OlderPerson]]:
    form = RegisterFilterForm(request.GET or None, user=request.user)
    qs = selectors.filter_register(
        selectors.register(viewer=request.user),
        viewer=request.user,
        term=search_term(request),
        filters=form.values(),
        day=_today(),
    )
    return form, qs


# --- The register ----------------------------------------------------------------------------


@login_required
@require_safe
def register_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    privacy.require_people(request.user)
    filter_form, qs = _filtered(request)
    page = paginate(request, selectors.list_rows(qs))
    privacy.note_access(request, PERSON, privacy.HIGH_RISK, count=page)
    return render(
        request,
        "elders/register_list.html",
        {
            "title": _("Older persons"),
            "page_obj": page,
            "filter_form": filter_form,
            "today": _today(),
            "can_edit": _can_edit(request),
        },
    )


def _can_edit(request: AuthenticatedHttpRequest) -> bool:
    return scoping.can_write(request.user) and scoping.is_staff_role(request.user)


@login_required
@require_safe
def register_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The register as .xlsx, with the list's search, filters and checks applied."""
    privacy.require_people(request.user)
    _form, qs = _filtered(request)
    rows = selectors.export_rows(qs)
    privacy.note_access(request, PERSON, privacy.HIGH_RISK, kind=privacy.DOWNLOAD, count=rows)
    buf = io.BytesIO()
    excel.export_workbook(
        rows.iterator(chunk_size=2000),
        hidden=privacy.hidden_fields(request.user, PERSON),
        out=buf,
    )
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="nguoi-cao-tuoi.xlsx"'
    return response


@login_required
def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    scoping.require_write(request.user)
    services.require_staff(request.user)
    form = PersonForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda: services.person_create(
            commune=form.cleaned_data["commune"],
            fields=form.person_fields(),
            consent=form.consent(),
            by=request.user,
        ),
        success=lambda p: _("%(name)s added to the register.") % {"name": p},
        next_url=lambda p: reverse("elders:person_detail", args=[p.pk]),
        template="elders/person_form.html",
        title=_("New older person"),
        cancel_url=reverse("elders:register_list"),
    )


@login_required
@require_safe
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = scoping.get_for_user(selectors.person_detail_qs(request.user), request.user, pk=pk)
    privacy.require_people(request.user)
    privacy.note_access(request, person, privacy.HIGH_RISK)
    hidden = set(privacy.hidden_fields(request.user, PERSON))
    staff = scoping.is_staff_role(request.user)
    return render(
        request,
        "elders/person_detail.html",
        {
            "title": person.full_name,
            "person": person,
            "today": _today(),
            "soon": _today() + datetime.timedelta(days=selectors.EXPIRING_DAYS),
            "supports": selectors.supports_of(person, request.user),
            "celebrations": selectors.celebrations_of(person, request.user),
            "moves": person.moves.select_related("from_commune", "to_commune"),
            "history": history_entries(person, hidden=hidden) if staff else None,
            "can_edit": _can_edit(request),
        },
    )


def _person_for_write(request: AuthenticatedHttpRequest, pk: int) -> OlderPerson:
    person = scoping.get_for_user(
        OlderPerson.objects.select_related("commune", "member"), request.user, pk=pk, write=True
    )
    services.require_staff(request.user)
    return person


@login_required
def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person_for_write(request, pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    privacy.note_access(request, person, privacy.HIGH_RISK)
    url = reverse("elders:person_detail", args=[person.pk])
    return form_page(
        request,
        form,
        save=lambda: services.person_update(
            person=person, fields=form.person_fields(), consent=form.consent(), by=request.user
        ),
        success=_("Details saved."),
        next_url=url,
        template="elders/person_form.html",
        title=_("Edit older person"),
        subtitle=person.full_name,
        person=person,
        cancel_url=url,
    )


@login_required
def person_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person_for_write(request, pk)
    form = MoveForm(request.POST or None, user=request.user, person=person)
    return form_page(
        request,
        form,
        save=lambda: services.person_move(
            person=person,
            to_commune=form.cleaned_data["to_commune"],
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        ),
        success=lambda move: (
            _("%(name)s moved to %(commune)s.")
            % {"name": person.full_name, "commune": move.to_commune.name}
        ),
        next_url=reverse("elders:person_detail", args=[person.pk]),
        title=_("Move to another commune"),
        subtitle=person.full_name,
        submit_label=_("Move"),
        cancel_url=reverse("elders:person_detail", args=[person.pk]),
    )


@login_required
def person_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person_for_write(request, pk)
    form = LinkForm(request.POST or None, user=request.user, person=person)
    url = reverse("elders:person_detail", args=[person.pk])
    return form_page(
        request,
        form,
        save=lambda: services.person_link(
            person=person, member=form.cleaned_data["member"], by=request.user
        ),
        success=_("Linked to the club member: the shared details now come from one record."),
        next_url=url,
        title=_("Link to a club member"),
        subtitle=person.full_name,
        submit_label=_("Link"),
        cancel_url=url,
    )


@login_required
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person_for_write(request, pk)
    url = reverse("elders:person_detail", args=[person.pk])
    return confirm_or_do(
        request,
        title=_("Withdraw consent?"),
        will=[
            _(
                "Ethnicity, disability and the health-insurance card of %(name)s are erased, "
                "from the change history too (and from the club member record when linked)."
            )
            % {"name": person.full_name}
        ],
        action=_("Withdraw consent"),
        cancel_url=url,
        do=lambda: once(
            request,
            save=lambda: services.consent_withdraw(person=person, by=request.user),
            success=_("Consent withdrawn: the sensitive information was erased."),
            next_url=url,
        ),
    )


# --- Celebrations and support -----------------------------------------------------------------


@login_required
def celebration_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person_for_write(request, pk)
    year = request.GET.get("year", "")
    form = CelebrationForm(
        request.POST or None,
        user=request.user,
        person=person,
        year=int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None,
    )
    url = reverse("elders:person_detail", args=[person.pk])
    return form_page(
        request,
        form,
        save=lambda: services.celebration_record(
            person=person,
            year=form.cleaned_data["year"],
            occasion=form.cleaned_data["occasion"],
            held_on=form.cleaned_data["held_on"],
            given_by=form.cleaned_data["given_by"],
            gift=form.cleaned_data["gift"],
            gift_value=form.cleaned_data["gift_value"] or 0,
            fund=form.cleaned_data["fund"],
            by=request.user,
        ),
        success=_("Longevity celebration recorded."),
        next_url=url,
        title=_("Record a longevity celebration"),
        subtitle=person.full_name,
        cancel_url=url,
    )


@login_required
def support_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person_for_write(request, pk)
    form = SupportForm(request.POST or None, user=request.user, person=person)
    url = reverse("elders:person_detail", args=[person.pk])
    return form_page(
        request,
        form,
        save=lambda: services.support_pay(
            person=person,
            fund=form.cleaned_data["fund"],
            amount=form.cleaned_data["amount"],
            date=form.cleaned_data["date"],
            purpose=form.cleaned_data["purpose"],
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        success=_("Support paid and written in the fund's cash book."),
        next_url=url,
        title=_("Pay support from a care fund"),
        subtitle=person.full_name,
        submit_label=_("Pay"),
        cancel_url=url,
    )


@login_required
@require_safe
def celebration_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who reaches a milestone in a year, by commune and village, and whether it was held."""
    privacy.require_people(request.user)
    try:
        year = int(request.GET.get("year") or _today().year)
    except ValueError:
        year = _today().year
    year = min(max(year, 2000), _today().year + 1)
    qs = selectors.celebration_list(viewer=request.user, year=year)
    page = paginate(request, qs, per_page=100)
    privacy.note_access(request, PERSON, privacy.IDENTITY, count=page)
    return render(
        request,
        "elders/celebration_list.html",
        {
            "title": _("Longevity celebrations %(year)s") % {"year": year},
            "year": year,
            "years": range(_today().year + 1, _today().year - 4, -1),
            "page_obj": page,
            "can_edit": _can_edit(request),
        },
    )


@login_required
@require_safe
def fund_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    privacy.require_people(request.user)
    return render(
        request,
        "elders/fund_list.html",
        {
            "title": _("Care funds: support to named people"),
            "funds": selectors.care_funds(request.user),
            "can_edit": _can_edit(request),
        },
    )


@login_required
@require_safe
def fund_supports(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    fund = scoping.get_for_user(
        Fund.objects.filter(kind=Fund.Kind.CARE).select_related("owner_area"), request.user, pk=pk
    )
    privacy.require_people(request.user, privacy.HIGH_RISK)
    page = paginate(request, selectors.fund_supports(fund, request.user))
    privacy.note_access(request, PERSON, privacy.HIGH_RISK, count=page)
    receipts = list(selectors.fund_receipts(fund)[:RECEIPTS_SHOWN])
    return render(
        request,
        "elders/fund_supports.html",
        {
            "title": fund.name,
            "subtitle": str(fund.owner),
            "fund": fund,
            "page_obj": page,
            "receipts": receipts,
            "can_edit": _can_edit(request) and fund.owner_area_id is not None,
        },
    )


@login_required
def receipt_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Money received into a care fund, with its source and donor."""
    fund = scoping.get_for_user(
        Fund.objects.filter(kind=Fund.Kind.CARE, owner_area__isnull=False).select_related(
            "owner_area"
        ),
        request.user,
        pk=pk,
        write=True,
    )
    services.require_staff(request.user)
    form = ReceiptForm(request.POST or None)
    url = reverse("elders:fund_supports", args=[fund.pk])
    return form_page(
        request,
        form,
        save=lambda: services.receipt_record(
            fund=fund,
            date=form.cleaned_data["date"],
            amount=form.cleaned_data["amount"],
            source=form.cleaned_data["source"],
            donor=form.cleaned_data["donor"],
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        success=_("Receipt written in the fund's cash book."),
        next_url=url,
        title=_("Record money received"),
        subtitle=fund.name,
        submit_label=_("Save"),
        cancel_url=url,
    )


# --- Excel -----------------------------------------------------------------------------------


@login_required
@require_safe
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(excel.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-nguoi-cao-tuoi.xlsx"'
    return response


@login_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    scoping.require_write(request.user)
    services.require_staff(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = excel.import_prepare(
                commune=form.cleaned_data["commune"],
                upload=form.cleaned_data["file"],
                by=request.user,
                today=_today(),
            )
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("elders:import_preview", pk=job.pk)
    return render(
        request,
        "elders/import_upload.html",
        {"title": _("Import older persons from Excel"), "form": form},
    )


@login_required
def import_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The checked rows and their problems; POST adds them all, or none."""
    job = scoping.get_for_user(
        OlderPersonImport.objects.select_related("commune"),
        request.user,
        pk=pk,
        write=request.method == "POST",
    )
    privacy.require_people(request.user)
    if request.method == "POST":
        services.require_staff(request.user)
        url = reverse("elders:import_preview", args=[job.pk])
        try:
            return once(
                request,
                save=lambda: excel.import_commit(job=job, by=request.user),
                success=lambda done: (
                    _("%(n)s people added to the register.") % {"n": done.created_count}
                ),
                next_url=reverse("elders:register_list"),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(url)
    return render(
        request,
        "elders/import_preview.html",
        {
            "title": _("Check the import"),
            "subtitle": f"{job.commune.name} · {job.filename}",
            "job": job,
            "problems": job.problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(job.problems) - PROBLEMS_SHOWN),
            "sample": job.rows[:10],
        },
    )


PREVIEW_SHOWN = 500


@login_required
def support_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A beneficiary list: the criteria and the payment; then the list to check, with its
    total; then, confirmed, one payment a person in one transaction (or none)."""
    scoping.require_write(request.user)
    services.require_staff(request.user)
    form = BeneficiaryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = selectors.beneficiaries(
            viewer=request.user,
            commune=data["commune"],
            day=data["date"],
            purpose=data["purpose"],
            **form.criteria(),
        )
        if is_confirmed(request):
            ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()]
            chosen = list(people.filter(pk__in=ids))
            if len(chosen) != len(set(ids)):
                # Someone left the list since the preview (paid meanwhile, died, moved).
                form.add_error(None, _("The list changed since it was checked: check it again."))
            else:
                by_pk = {p.pk: p for p in chosen}
                try:
                    return once(
                        request,
                        save=lambda: services.support_pay_list(
                            persons=[by_pk[pk] for pk in ids],
                            fund=data["fund"],
                            amount=data["amount"],
                            date=data["date"],
                            purpose=data["purpose"],
                            note=data["note"],
                            by=request.user,
                        ),
                        success=lambda paid: _("Support paid to %(n)s people.") % {"n": len(paid)},
                        next_url=reverse("elders:fund_supports", args=[data["fund"].pk]),
                    )
                except ValidationError as exc:
                    errors_to_form(form, exc)
        else:
            shown = list(people.select_related("commune")[: PREVIEW_SHOWN + 1])
            privacy.note_access(request, data["commune"], privacy.HIGH_RISK, count=len(shown))
            carried = [
                (k, v)
                for k in request.POST
                if k not in ("csrfmiddlewaretoken", "once_key", "confirmed", "person")
                for v in request.POST.getlist(k)
            ]
            return render(
                request,
                "elders/support_list_preview.html",
                {
                    "title": _("Check the list"),
                    "form": form,
                    "people": shown[:PREVIEW_SHOWN],
                    "too_many": len(shown) > PREVIEW_SHOWN,
                    "count": len(shown),
                    "total": len(shown) * data["amount"],
                    "carried": carried,
                },
            )
    return render(
        request,
        "elders/support_list.html",
        {"title": _("Pay support to a list of people"), "form": form},
    )


@login_required
@require_safe
def celebration_cards(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Greeting cards (PDF) of the year's celebrations, by commune and village; ``?person=``
    for one person's card."""
    privacy.require_people(request.user)
    try:
        year = int(request.GET.get("year") or _today().year)
    except ValueError:
        year = _today().year
    qs = (
        scoping.for_user(LongevityCelebration, request.user)
        .filter(year=year)
        .select_related("person", "person__commune")
        .order_by(*by_name("person__commune__name", "person__village", "person__full_name"), "pk")
    )
    if "person" in request.GET:
        person = scoping.get_for_user(OlderPerson, request.user, pk=request.GET["person"])
        qs = qs.filter(person=person)
    privacy.note_access(request, PERSON, privacy.IDENTITY, kind=privacy.DOWNLOAD, count=qs)
    response = HttpResponse(pdf.cards_pdf(qs.iterator()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thiep-mung-tho-{year}.pdf"'
    return response


# --- Care-fund plans -------------------------------------------------------------------------


def _plan_year(request: AuthenticatedHttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or _today().year)
    except ValueError:
        year = _today().year
    return min(max(year, 2000), _today().year + 1)


@login_required
@require_safe
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The province plan of a year: each commune's plan, the sum and the progress counted from
    the care funds' ledger. Figures only, no names: every role may read it."""
    year = _plan_year(request)
    province = None
    if request.GET.get("province"):
        try:
            pk = int(request.GET["province"])
        except ValueError:
            pk = 0
        province = scoping.get_for_user(
            Area.objects.filter(level=Area.Level.PROVINCE), request.user, pk=pk
        )
    plan = selectors.province_plan(request.user, year=year, province=province)
    return render(
        request,
        "elders/plan_list.html",
        {
            "title": _("Care-fund plans %(year)s") % {"year": year},
            "subtitle": province.name if province else "",
            "year": year,
            "years": range(_today().year + 1, _today().year - 4, -1),
            "plan": plan,
            "can_edit": _can_edit(request),
        },
    )


@login_required
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    scoping.require_write(request.user)
    services.require_staff(request.user)
    form = PlanForm(request.POST or None, user=request.user, initial={"year": _plan_year(request)})
    url = reverse("elders:plan_list")
    return form_page(
        request,
        form,
        save=lambda: services.plan_save(plan=form.instance, by=request.user),
        success=_("Care-fund plan saved."),
        next_url=lambda p: f"{url}?year={p.year}",
        title=_("New care-fund plan"),
        cancel_url=url,
    )


@login_required
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = scoping.get_for_user(
        CareFundPlan.objects.select_related("area"), request.user, pk=pk, write=True
    )
    services.require_staff(request.user)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    url = f"{reverse('elders:plan_list')}?year={plan.year}"
    return ui.form_page(
        request,
        form,
        save=lambda: services.plan_save(plan=form.instance, by=request.user),
        success=_("Care-fund plan saved."),
        next_url=url,
        title=_("Care-fund plan"),
        subtitle=f"{plan.area.name} – {plan.year}",
        cancel_url=url,
    )
