"""Fund, ledger, dues, loan, plan and book pages. Thin: door → form → one service → redirect."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import privacy, scoping
from accounts.confirm import confirm_or_do, is_confirmed
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role
from accounts.once import form_page as form_page_once
from accounts.once import offline_state_texts, once, repeat_answer
from accounts.templatetags.ishc import thousands
from clubs.models import Club
from config.collation import by_name
from config.months import month_bounds
from config.pagination import SortKey, keyset_page
from config.ui import errors_to_form, paginate, search_term
from funds import books, selectors, services
from funds.forms import (
    DateOnlyForm,
    DuesForm,
    EntryFilterForm,
    EntryForm,
    FundForm,
    LoanDecisionForm,
    LoanRequestForm,
    LoanTermsForm,
    PeriodForm,
    PlanForm,
    RepaymentForm,
    ReverseForm,
    TransferDecisionForm,
    TransferForm,
    WriteOffForm,
)
from funds.models import (
    Contribution,
    Fund,
    FundsError,
    LedgerEntry,
    Loan,
    Repayment,
    TransferRequest,
)
from funds.services import owners, transfers

FORM = "funds/form.html"


def _form_page(
    request: AuthenticatedHttpRequest, form: Any, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        extra.pop("template", FORM),
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
    )


def _club(request: AuthenticatedHttpRequest, club_id: int, *, write: bool = False) -> Club:
    return scoping.get_for_user(Club, request.user, pk=club_id, write=write)


def _require_sensitive(request: AuthenticatedHttpRequest) -> None:
    # Who borrowed what is high-risk data (accounts.privacy): viewers see the portfolio only.
    privacy.require_people(request.user, privacy.HIGH_RISK)


def _today() -> datetime.date:
    return timezone.localdate()


def _dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _confirm_then_save(
    request: AuthenticatedHttpRequest,
    form: Any,
    *,
    page: Callable[[], HttpResponse],
    check: Callable[[], object] | None = None,
    will: Callable[[], list[str]],
    title: str,
    action: str,
    cancel_url: str,
    save: Callable[[], Any],
    success: str | Callable[[Any], str],
    next_url: str | Callable[[Any], str],
) -> HttpResponse:
    """What cannot be undone, on a valid POST of ``form``: first the confirmation page
    (``accounts.confirm``: ``will`` says what will happen), and only its button (posted with
    ``confirmed=1``) runs ``save``, once per form key. A refusal, from ``check`` before the
    page is drawn or from the service after it, goes back on the form (``page()``)."""

    def refused(exc: ValidationError) -> HttpResponse:
        errors_to_form(form, exc)
        return page()

    def do() -> HttpResponse:
        try:
            return once(request, save=save, success=success, next_url=next_url)
        except ValidationError as exc:
            return refused(exc)

    if not is_confirmed(request) and check is not None:
        try:
            check()
        except ValidationError as exc:
            return refused(exc)
    return confirm_or_do(
        request,
        do=do,
        title=title,
        will=[] if is_confirmed(request) else will(),
        action=action,
        cancel_url=cancel_url,
    )


# --- funds and the ledger ------------------------------------------------------------------


# The fund list's order, which its keyset pages follow: the associations' own funds first,
# then the clubs', each by the holder's name in Vietnamese order, then kind and id. All four
# are the fund's own columns (copies of the holder, ``Fund.copy_holder``), and the indexes
# ``fund_province_holder_keyset`` and ``fund_commune_holder_keyset`` hold them in this order
# after the scope's column, so a page reads its 26 index entries whatever the page and the
# size of the province (docs/performance.md, "Keyset pages").
FUND_LIST_KEYS = (
    SortKey("club_owned"),
    SortKey("holder_name", collated=True),
    SortKey("kind"),
    SortKey("id"),
)


@login_required
def fund_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every fund in the user's scope with its balance."""
    qs = selectors.fund_list(viewer=request.user)
    if term := search_term(request):
        qs = qs.filter(club__search_name__contains=term) | qs.filter(
            owner_area__search_name__contains=term
        )
    if kind := request.GET.get("kind"):
        qs = qs.filter(kind=kind)
    page = keyset_page(request, qs, keys=FUND_LIST_KEYS, name="funds:fund_list")
    return render(
        request,
        "funds/fund_list.html",
        {"page_obj": page, "title": _("Funds"), "kinds": Fund.Kind.choices},
    )


@login_required
def fund_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Association staff open a care fund (or another fund) for their commune or province."""
    scoping.require_write(request.user)
    if not scoping.is_staff_role(request.user):
        raise PermissionDenied
    form = FundForm(request.POST or None, areas=scoping.areas_for(request.user).filter(active=True))
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.fund_create(
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                owner_area=form.cleaned_data["owner_area"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The fund was created."))
            return redirect("funds:fund_detail", pk=fund.pk)
    return _form_page(request, form, _("New association fund"), reverse("funds:fund_list"))


@login_required
def club_funds(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    """A club's two funds, its loan portfolio and the ways into its books."""
    club = _club(request, club_id)
    funds = list(selectors.club_funds(club=club, viewer=request.user))
    book = selectors.club_portfolio(club=club)
    return render(
        request,
        "funds/club_funds.html",
        {
            "club": club,
            "funds": funds,
            "book": book,
            "title": _("Funds of %(club)s") % {"club": club},
        },
    )


@login_required
def fund_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Balance, entries (filtered by period, category, member) and totals by category."""
    fund = scoping.get_for_user(
        Fund.objects.select_related("club", "owner_area"), request.user, pk=pk
    )
    filters = EntryFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    member = None
    if (member_id := request.GET.get("member", "")).isdigit() and "member" not in (
        privacy.hidden_fields(request.user, "funds.LedgerEntry")
    ):
        from members.models import Member

        # An association's own fund has no club, and so no member's entries to pick.
        if fund.club_id is not None:
            member = Member.objects.filter(pk=member_id, club_id=fund.club_id).first()
    entries = selectors.fund_entries(
        fund=fund,
        viewer=request.user,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        category=data.get("category") or "",
        member=member,
    )
    return render(
        request,
        "funds/fund_detail.html",
        {
            "fund": fund,
            "title": fund.name,
            "filter_form": filters,
            "filter_member": member,
            "page_obj": paginate(request, entries),
            "totals": selectors.category_totals(entries),
            "can_request_transfer": owners.is_owner(request.user, fund),
            "pending_transfers": selectors.transfer_requests(
                viewer=request.user, state=TransferRequest.State.REQUESTED
            ).filter(source=fund),
        },
    )


@login_required
def entry_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    fund = scoping.get_for_user(
        Fund.objects.select_related("club"), request.user, pk=pk, write=True
    )
    form = EntryForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            return once(
                request,
                save=lambda: services.entry_record(
                    fund=fund,
                    date=d["date"],
                    amount=d["amount"],
                    direction=d["direction"],
                    category=d["category"],
                    member=d.get("member"),
                    payer=d["payer"],
                    note=d["note"],
                    by=request.user,
                ),
                success=lambda entry: (
                    _("Recorded as %(voucher)s.") % {"voucher": entry.voucher_number}
                ),
                next_url=reverse("funds:fund_detail", args=[fund.pk]),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    return _form_page(
        request,
        form,
        _("New entry – %(fund)s") % {"fund": fund.name},
        reverse("funds:fund_detail", args=[fund.pk]),
    )


@login_required
def entry_reverse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a mistake: a reversing entry linked to the original, after a page that says
    which entries will be written and the balance after."""
    entry = scoping.get_for_user(
        LedgerEntry.objects.select_related("fund", "member"), request.user, pk=pk, write=True
    )
    form = ReverseForm(request.POST or None)
    back = reverse("funds:fund_detail", args=[entry.fund_id])

    def page() -> HttpResponse:
        return _form_page(
            request,
            form,
            _("Reverse %(voucher)s") % {"voucher": entry.voucher_number},
            back,
            entry=entry,
            submit_label=_("Record the reversing entry"),
        )

    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        return _confirm_then_save(
            request,
            form,
            page=page,
            check=lambda: services.entry_reverse_legs(entry, by=request.user),
            will=lambda: _reverse_will(entry),
            title=_("Reverse %(voucher)s?") % {"voucher": entry.voucher_number},
            action=_("Record the reversing entry"),
            cancel_url=back,
            save=lambda: services.entry_reverse(entry=entry, by=request.user, note=note),
            success=_("The entry was reversed."),
            next_url=back,
        )
    return page()


def _opposite(direction: str) -> str:
    return str(
        LedgerEntry.Direction.IN.label
        if direction == LedgerEntry.Direction.OUT
        else LedgerEntry.Direction.OUT.label
    )


def _reverse_will(entry: LedgerEntry) -> list[str]:
    """What reversing ``entry`` will write (both legs of a transfer), with the balances after."""
    legs = services.entry_reverse_legs(entry)
    day = _today()
    balances = {f.pk: f.balance for f in Fund.objects.filter(pk__in={x.fund_id for x in legs})}
    lines = []
    for leg in legs:
        balances[leg.fund_id] -= leg.signed_amount
    for leg in legs:
        lines.append(
            _(
                "%(kind)s of %(amount)s ₫ will be written in %(fund)s, dated %(date)s, "
                "cancelling %(voucher)s; the fund's balance after: %(balance)s ₫."
            )
            % {
                "kind": _opposite(leg.direction),
                "amount": thousands(leg.amount),
                "fund": leg.fund.name,
                "date": _dmy(day),
                "voucher": leg.voucher_number,
                "balance": thousands(balances[leg.fund_id]),
            }
        )
    if entry.category == LedgerEntry.Category.DUES:
        lines.append(_("The member's dues for that month will show as unpaid again."))
    lines.append(_("A reversing entry cannot itself be reversed."))
    return lines


@login_required
def fund_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The source fund's owner asks to move money; it moves when the supervisor approves."""
    source = scoping.get_for_user(
        Fund.objects.select_related("club", "owner_area"), request.user, pk=pk, write=True
    )
    if not owners.is_owner(request.user, source):
        raise PermissionDenied
    targets = selectors.transfer_targets(source=source, viewer=request.user)
    form = TransferForm(request.POST or None, targets=targets)
    promised = services.reserved(source)
    summary = [
        _("Balance: %(balance)s ₫; promised to approved loans not yet paid out: %(promised)s ₫;"
          " can be moved: %(available)s ₫.")
        % {
            "balance": thousands(source.balance),
            "promised": thousands(promised),
            "available": thousands(max(source.balance - promised, 0)),
        },
        _("Nothing moves until %(who)s approves the request.")
        % {"who": _supervisor_label(source)},
    ]  # fmt: skip
    return form_page_once(
        request,
        form,
        save=lambda: services.transfer_request(source=source, by=request.user, **form.cleaned_data),
        success=_("The transfer was requested: the money moves when it is approved."),
        next_url=lambda req: reverse("funds:transfer_detail", args=[req.pk]),
        template=FORM,
        title=_("Request a transfer from %(fund)s") % {"fund": source.name},
        cancel_url=reverse("funds:fund_detail", args=[source.pk]),
        summary=summary,
        submit_label=_("Send the request"),
    )


def _supervisor_label(fund: Fund) -> str:
    if fund.club_id is not None:
        return _("the commune association (or the province)")
    if fund.owner_area is not None and fund.owner_area.province_id is not None:
        return _("the provincial association")
    return _("an administrator")


@login_required
def transfer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Transfer requests out of the funds in scope: those waiting first (what this user may
    decide marked), then the decided ones."""
    state = request.GET.get("state", TransferRequest.State.REQUESTED)
    if state not in TransferRequest.State.values:
        state = ""
    page = paginate(request, selectors.transfer_requests(viewer=request.user, state=state))
    rows = [
        {
            "request": r,
            "can_decide": r.is_pending
            and r.requested_by_id != request.user.pk
            and owners.is_supervisor(request.user, r.source),
        }
        for r in page.object_list
    ]
    return render(
        request,
        "funds/transfer_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "state": state,
            "states": TransferRequest.State.choices,
            "title": _("Transfer requests"),
        },
    )


def _transfer(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> TransferRequest:
    return scoping.get_for_user(
        TransferRequest.objects.select_related(
            "source__club", "source__owner_area", "target__club", "target__owner_area",
            "requested_by", "decided_by",
        ),
        request.user,
        pk=pk,
        write=write,
    )  # fmt: skip


@login_required
def transfer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A transfer request; for its supervisor, the decision (approving asks for confirmation
    and says what will move)."""
    transfer = _transfer(request, pk, write=request.method == "POST")
    # The association above the owner decides; the service (and the database) refuses the
    # one who asked, with a message beside the decision.
    may_decide = owners.is_supervisor(request.user, transfer.source)
    if request.method == "POST" and not may_decide:
        raise PermissionDenied
    # A decided request shows no form; a post to it is a repeat (answered like the first by
    # its form key) or refused by the service.
    post = request.method == "POST"
    form = (
        TransferDecisionForm(request.POST or None)
        if may_decide and (post or transfer.is_pending)
        else None
    )
    here = reverse("funds:transfer_detail", args=[transfer.pk])

    def page() -> HttpResponse:
        return render(
            request,
            "funds/transfer_detail.html",
            {
                "transfer": transfer,
                "form": form,
                "can_withdraw": transfer.is_pending
                and owners.is_owner(request.user, transfer.source),
                "available": transfers.available(transfer.source),
                "title": _("Transfer request"),
            },
        )

    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if d["decision"] == "reject":
            try:
                return once(
                    request,
                    save=lambda: services.transfer_reject(
                        request=transfer, by=request.user, note=d["note"]
                    ),
                    success=_("The transfer was rejected."),
                    next_url=here,
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
                return page()
        return _confirm_then_save(
            request,
            form,
            page=page,
            check=lambda: transfers.check_approval(transfer, request.user),
            will=lambda: _transfer_will(transfer, d["date"]),
            title=_("Approve this transfer?"),
            action=_("Approve and move the money"),
            cancel_url=here,
            save=lambda: services.transfer_approve(
                request=transfer, by=request.user, on=d["date"], note=d["note"]
            ),
            success=_("The transfer was approved and recorded in both cash books."),
            next_url=here,
        )
    return page()


def _transfer_will(transfer: TransferRequest, day: datetime.date) -> list[str]:
    source, target = transfer.source, transfer.target
    return [
        _("%(amount)s ₫ will leave %(source)s (balance after: %(source_after)s ₫) and enter "
          "%(target)s (balance after: %(target_after)s ₫).")
        % {
            "amount": thousands(transfer.amount),
            "source": f"{source.name} – {source.owner}",
            "source_after": thousands(source.balance - transfer.amount),
            "target": f"{target.name} – {target.owner}",
            "target_after": thousands(target.balance + transfer.amount),
        },
        _("Two entries will be written, dated %(date)s: a payment in the first fund's cash book"
          " and a receipt in the second's, each noting: %(reason)s")
        % {"date": _dmy(day), "reason": transfer.reason},
        _("Requested by %(who)s. To undo it later, reverse the transfer from either cash book.")
        % {"who": transfer.requested_by},
    ]  # fmt: skip


@login_required
def transfer_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The owner withdraws a request not yet decided (POST only)."""
    transfer = _transfer(request, pk, write=True)
    here = reverse("funds:transfer_detail", args=[transfer.pk])
    if request.method != "POST":
        return redirect(here)
    try:
        services.transfer_cancel(request=transfer, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request was withdrawn."))
    return redirect(here)


# --- books ---------------------------------------------------------------------------------


def _period(request: AuthenticatedHttpRequest) -> tuple[PeriodForm, datetime.date, datetime.date]:
    today = _today()
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, today.replace(month=1, day=1), today


@login_required
def cash_book(request: AuthenticatedHttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    """Sổ thu chi: opening balance, every entry with the running balance, closing balance."""
    fund = scoping.get_for_user(
        Fund.objects.select_related("club", "owner_area"), request.user, pk=pk
    )
    form, start, end = _period(request)
    book = books.cash_book(
        fund=fund,
        start=start,
        end=end,
        show_names="member" not in privacy.hidden_fields(request.user, "funds.LedgerEntry"),
    )
    if fmt == "xlsx":
        return books.xlsx_response(
            books.cash_book_xlsx(book), f"so-thu-chi-{fund.pk}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        )
    return render(
        request,
        "funds/cash_book.html",
        {"book": book, "fund": fund, "period_form": form, "title": _("Cash book")},
    )


@login_required
def loan_book(request: AuthenticatedHttpRequest, club_id: int, fmt: str = "html") -> HttpResponse:
    """Sổ theo dõi cho vay – thu nợ of a club for a period."""
    club = _club(request, club_id)
    _require_sensitive(request)
    form, start, end = _period(request)
    book = books.loan_book(club=club, viewer=request.user, start=start, end=end)
    kind = privacy.DOWNLOAD if fmt == "xlsx" else privacy.PAGE
    privacy.note_access(request, club, privacy.HIGH_RISK, kind=kind, count=book.rows)
    if fmt == "xlsx":
        return books.xlsx_response(
            books.loan_book_xlsx(book), f"so-cho-vay-{club.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        )
    return render(
        request,
        "funds/loan_book.html",
        {"book": book, "club": club, "period_form": form, "title": _("Loan ledger")},
    )


# --- dues ----------------------------------------------------------------------------------


def _year_month(request: AuthenticatedHttpRequest) -> tuple[int, int]:
    today = _today()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
    except ValueError:
        return today.year, today.month
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return today.year, today.month
    return year, month


# The boxes of the quick entry: ``m<member id>``.
_DUES_BOX = re.compile(r"m(\d{1,12})")


def _kept_offline(request: AuthenticatedHttpRequest, club: Club) -> bool:
    """The leader's own club's dues pages are kept on the leader's phone (docs/offline.md);
    staff, viewers and other clubs' pages never are."""
    user = request.user
    return user.role == Role.CLUB_LEADER and user.club_id == club.pk


def _offline_page(
    request: AuthenticatedHttpRequest, response: HttpResponse, kept: bool
) -> HttpResponse:
    if kept:
        # Whose copy this is: the service worker keeps it in that leader's cache only.
        response["X-ISHC-User"] = str(request.user.pk)
    return response


@login_required
def dues(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    """Members × months of one year, and who has not paid for the chosen month."""
    club = _club(request, club_id)
    year, month = _year_month(request)
    from members.models import Member

    unpaid = selectors.unpaid_members(club=club, year=year, month=month)
    kept = _kept_offline(request, club)
    ctx: dict[str, Any] = {
        "club": club,
        "year": year,
        "month": month,
        "months": range(1, 13),
        "title": _("Monthly dues %(year)s") % {"year": year},
    }
    if "member" in privacy.hidden_fields(request.user, "funds.Contribution"):
        # Viewers: how many have not paid, never who.
        ctx["unpaid_count"] = privacy.shown_count(request.user, unpaid.count())
        return render(request, "funds/dues.html", ctx)
    members = list(
        Member.objects.filter(club=club, left_on__isnull=True).order_by(*by_name("full_name"), "pk")
    )
    page = paginate(request, members, per_page=50)
    ctx["page_obj"] = page
    ctx["rows"] = selectors.dues_grid(club=club, year=year, members=list(page.object_list))
    ctx["unpaid"] = list(unpaid)
    ctx["unpaid_count"] = len(ctx["unpaid"])
    return _offline_page(request, render(request, "funds/dues.html", ctx), kept)


def _dues_form(
    request: AuthenticatedHttpRequest, club: Club, year: int, month: int
) -> tuple[DuesForm, int | None]:
    """The quick entry's form, and the usual amount (the last one recorded).

    Drawn: a box per member who has not paid. Posted (from the page or, perhaps long after,
    from a phone): the same boxes, plus the boxes sent for members of the club who have paid
    meanwhile or left, so that each of those is refused beside its row."""
    from members.models import Member

    members = list(selectors.unpaid_members(club=club, year=year, month=month))
    last = Contribution.objects.filter(club=club).order_by("-year", "-month", "-pk").first()
    usual = last.amount if last else None
    if request.method != "POST":
        # The boxes start empty: a member is recorded as paid only when the leader says so,
        # box by box, or for everyone at once with the "everyone has paid" button.
        return DuesForm(None, members=members, default=None), usual
    sent = {
        int(found.group(1))
        for name in request.POST
        if (found := _DUES_BOX.fullmatch(name)) and request.POST.get(name, "").strip()
    }
    others = list(
        Member.objects.filter(club=club, pk__in=sent - {m.pk for m in members}).order_by(
            *by_name("full_name"), "pk"
        )
    )
    paid = Contribution.objects.filter(
        club=club, year=year, month=month, member__in=others
    ).select_related("entry__created_by")
    try:
        month_end: datetime.date | None = month_bounds(year, month)[1]
    except ValueError:  # not a month: the service (and the database) refuse it
        month_end = None
    form = DuesForm(
        request.POST,
        members=members + others,
        default=None,
        paid={c.member_id: c for c in paid},
        on_register=month_end,
    )
    return form, usual


def _dues_save(
    request: AuthenticatedHttpRequest,
    club: Club,
    year: int,
    month: int,
    form: DuesForm,
    usual: int | None,
) -> HttpResponse:
    """Record a valid quick entry once per form key (a repeat answers like the first post);
    a refusal of the service raises ``ValidationError``."""
    amounts = form.amounts()
    if "all_paid" in request.POST and usual:
        amounts = {m: amounts.get(m, usual) for m in form.members if m.pk not in form.paid}

    def save() -> list[Contribution]:
        # Checked inside ``once``: a repeat finds every member paid and no box to fill.
        if not amounts:
            raise FundsError(_("Enter at least one amount."))
        return services.dues_record(
            club=club,
            year=year,
            month=month,
            amounts=amounts,
            on=form.cleaned_data["date"],
            by=request.user,
        )

    return once(
        request,
        save=save,
        success=lambda rows: _("Dues recorded for %(n)s members.") % {"n": len(rows)},
        next_url=f"{reverse('funds:dues', args=[club.pk])}?year={year}&month={month}",
    )


@login_required
def dues_record(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    """Quick entry at the meeting: one box per member who has not paid this month. On the
    leader's phone it works with no signal too (``static/js/offline.js``, ``dues_sync``)."""
    club = _club(request, club_id, write=True)
    year, month = _year_month(request)
    # A repeat of a quick entry already recorded (a double tap, a resend) is answered like
    # the first post before its boxes are checked: they would all be "already recorded" now.
    if (first := repeat_answer(request)) is not None:
        return first
    form, usual = _dues_form(request, club, year, month)
    if request.method == "POST" and form.is_valid():
        try:
            return _dues_save(request, club, year, month, form, usual)
        except ValidationError as exc:
            errors_to_form(form, exc)
    kept = _kept_offline(request, club)
    response = render(
        request,
        "funds/dues_record.html",
        {
            "club": club,
            "form": form,
            "year": year,
            "month": month,
            "usual": usual,
            "offline": kept,
            "offline_texts": _dues_texts() if kept else None,
            "title": _("Dues for %(month)s") % {"month": f"{month:02d}/{year}"},
        },
    )
    return _offline_page(request, response, kept)


@login_required
@require_POST
def dues_sync(request: AuthenticatedHttpRequest, club_id: int) -> JsonResponse:
    """The quick entry sent from a phone (``static/js/offline.js``), perhaps long after it
    was filled with no signal: the same form, checks and write as ``dues_record``, once per
    key made on the phone, answered in JSON: ``sent``, or ``refused`` with the errors beside
    their rows and, for a member whose dues were recorded meanwhile, what the server holds."""
    club = _club(request, club_id, write=True)
    year, month = _year_month(request)
    if (first := repeat_answer(request)) is not None:  # sent before: the first answer
        return JsonResponse({"state": "sent", "url": first["Location"]})
    form, usual = _dues_form(request, club, year, month)
    if form.is_valid():
        try:
            answer = _dues_save(request, club, year, month, form, usual)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return JsonResponse({"state": "sent", "url": answer["Location"]})
    server = {
        f"m{c.member_id}": {
            "amount": thousands(c.amount) + " ₫",
            "day": _dmy(c.entry.date),
            "who": c.entry.created_by.get_full_name() if c.entry.created_by else "",
        }
        for c in form.paid.values()
    }
    errors = {name: list(texts) for name, texts in form.errors.items() if name != "__all__"}
    return JsonResponse(
        {
            "state": "refused",
            "errors": errors,
            "general": list(form.non_field_errors()),
            "server": server,
        },
        status=422,
    )


def _dues_texts() -> dict[str, str]:
    """What ``offline.js`` says on the quick entry, in the user's language (the states are
    every kept form's: ``accounts.once.offline_state_texts``)."""
    return {
        **offline_state_texts(),
        "queued": _("No signal: the dues are kept on this phone and sent as soon as there is one."),
        "login": _(
            "You are signed out: sign in again, then press “Send again”. The dues stay on "
            "this phone."
        ),
        "failed": _(
            "The server could not take the dues (%(status)s). They stay on this phone: "
            "try again later."
        ),
        "refused": _("Please correct the rows marked in red; nothing was saved."),
    }


# --- loans ---------------------------------------------------------------------------------


@login_required
def loan_list(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    """The club's loans with where each stands; viewers see the portfolio figures only."""
    club = _club(request, club_id)
    today = _today()
    status = request.GET.get("status", "")
    if status not in Loan.Status.values:
        status = ""
    ctx: dict[str, Any] = {
        "club": club,
        "status": status,
        "title": _("Loans of %(club)s") % {"club": club},
    }
    if not privacy.hidden_fields(request.user, "funds.Loan"):
        # The club's loans with their schedules, loaded once: the portfolio figures, the
        # count per status and the page all come from them (a club has tens of loans).
        loans = list(selectors.club_loans(club=club, viewer=request.user))
        book = selectors.portfolio(loans, today)
        counts = Counter(loan.status for loan in loans)
        page = paginate(request, [loan for loan in loans if not status or loan.status == status])
        ctx["page_obj"] = page
        ctx["rows"] = [selectors.loan_position(loan, today) for loan in page.object_list]
        privacy.note_access(request, club, privacy.HIGH_RISK, count=page)
    else:
        book = selectors.club_portfolio(club=club, as_of=today)
        counts = Counter(
            dict(
                scoping.for_user(Loan, request.user)
                .filter(fund__club=club)
                .order_by()
                .values_list("status")
                .annotate(n=Count("pk"))
            )
        )
    ctx["book"] = book
    ctx["statuses"] = [(value, label, counts[value]) for value, label in Loan.Status.choices]
    return render(request, "funds/loan_list.html", ctx)


@login_required
def loans_due(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    """For the board: who owes what at the next meeting."""
    club = _club(request, club_id)
    _require_sensitive(request)
    meeting, rows = selectors.due_at_next_meeting(club=club, viewer=request.user)
    privacy.note_access(request, club, privacy.HIGH_RISK, count=rows)
    return render(
        request,
        "funds/loans_due.html",
        {
            "club": club,
            "meeting": meeting,
            "rows": rows,
            "total": sum(r["due"] for r in rows),
            "title": _("Due at the next meeting"),
        },
    )


@login_required
def loan_create(request: AuthenticatedHttpRequest, club_id: int) -> HttpResponse:
    club = _club(request, club_id, write=True)
    form = LoanRequestForm(request.POST or None, club=club)

    def save() -> Loan:
        fund = Fund.objects.filter(club=club, kind=Fund.Kind.REVOLVING).first()
        if fund is None:
            raise FundsError(_("This club has no revolving fund."))
        return services.loan_request(fund=fund, by=request.user, **form.cleaned_data)

    return form_page_once(
        request,
        form,
        save=save,
        success=_("The loan request was recorded."),
        next_url=lambda loan: reverse("funds:loan_detail", args=[loan.pk]),
        template=FORM,
        title=_("New loan request"),
        cancel_url=reverse("funds:loan_list", args=[club.pk]),
    )


def _loan(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Loan:
    loan = scoping.get_for_user(
        Loan.objects.select_related("fund__club", "borrower", "approved_by"),
        request.user,
        pk=pk,
        write=write,
    )
    _require_sensitive(request)
    return loan


@login_required
def repayment_reverse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a repayment recorded by mistake: its receipts are reversed, the loan's
    installments go back to what the earlier repayments paid (after a confirmation)."""
    repayment = scoping.get_for_user(
        Repayment.objects.select_related(
            "loan__fund__club", "loan__borrower", "principal_entry", "interest_entry"
        ),
        request.user,
        pk=pk,
        write=True,
    )
    _require_sensitive(request)
    loan = repayment.loan
    form = ReverseForm(request.POST or None)
    back = reverse("funds:loan_detail", args=[loan.pk])
    what = {"date": _dmy(repayment.date), "amount": thousands(repayment.amount)}

    def page() -> HttpResponse:
        return _form_page(
            request,
            form,
            _("Reverse the repayment of %(date)s (%(amount)s ₫)") % what,
            back,
            loan=loan,
            submit_label=_("Reverse the repayment"),
        )

    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        return _confirm_then_save(
            request,
            form,
            page=page,
            check=lambda: services.repayment_reverse_check(repayment),
            will=lambda: _repayment_reverse_will(repayment),
            title=_("Reverse the repayment of %(date)s (%(amount)s ₫)?") % what,
            action=_("Reverse the repayment"),
            cancel_url=back,
            save=lambda: services.repayment_reverse(
                repayment=repayment, by=request.user, note=note
            ),
            success=_("The repayment was reversed."),
            next_url=back,
        )
    return page()


def _repayment_reverse_will(repayment: Repayment) -> list[str]:
    loan = repayment.loan
    fund = Fund.objects.get(pk=loan.fund_id)
    receipts = [e for e in (repayment.principal_entry, repayment.interest_entry) if e is not None]
    day = _today()
    lines = [
        _("A payment of %(amount)s ₫ will be written in %(fund)s, dated %(date)s, cancelling "
          "receipt %(voucher)s (%(category)s).")
        % {
            "amount": thousands(e.amount),
            "fund": fund.name,
            "date": _dmy(day),
            "voucher": e.voucher_number,
            "category": e.get_category_display(),
        }
        for e in receipts
    ]  # fmt: skip
    lines.append(
        _("The fund's balance after: %(balance)s ₫.")
        % {"balance": thousands(fund.balance - sum(e.amount for e in receipts))}
    )
    lines.append(
        _("The repayment leaves the loan of %(borrower)s; its installments go back to what the "
          "earlier repayments paid%(reopen)s.")
        % {
            "borrower": loan.borrower.full_name,
            "reopen": _(", and the loan is open again")
            if loan.status == Loan.Status.REPAID
            else "",
        }
    )  # fmt: skip
    return lines


@login_required
def loan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk)
    loan = (
        selectors.loans_with_schedule(Loan.objects.filter(pk=loan.pk))
        .select_related("approved_by", "fund__club")
        .get()
    )
    today = _today()
    repayments = list(loan.repayments.all())
    ctx: dict[str, Any] = {
        "loan": loan,
        "club": loan.fund.club,
        "position": selectors.loan_position(loan, today),
        "installments": selectors.installments_of(loan),
        "repayments": repayments,
        # the one a mistake can be corrected on (the last recorded)
        "latest_repayment_id": max((r.pk for r in repayments), default=None),
        "title": _("Loan of %(name)s") % {"name": loan.borrower.full_name},
        "today": today,
        "term_changes": selectors.loan_term_changes(loan),
        "can_correct_terms": loan.status == Loan.Status.REQUESTED
        and services.is_board_member(request.user, loan),
    }
    if loan.status == Loan.Status.ACTIVE:
        ctx["payoff"] = services.payoff_amount(loan, today)
    if scoping.is_staff_role(request.user):
        ctx["history"] = list(
            loan.history.select_related("history_user").order_by("-history_date")[:50]
        )
        ctx["entries"] = list(loan.entries.select_related("created_by").order_by("pk"))
    privacy.note_access(request, loan.borrower, privacy.HIGH_RISK)  # whose loan it is
    return render(request, "funds/loan_detail.html", ctx)


@login_required
def loan_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The board's decision; the page shows the terms (and their corrections) and offers to
    correct them first."""
    loan = _loan(request, pk, write=True)
    form = LoanDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["decision"] == "approve":
                services.loan_approve(loan=loan, by=request.user, on=d["date"], note=d["note"])
            else:
                services.loan_reject(loan=loan, by=request.user, on=d["date"], note=d["note"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The board's decision was recorded."))
            return redirect("funds:loan_detail", pk=loan.pk)
    correctable = loan.status == Loan.Status.REQUESTED and services.is_board_member(
        request.user, loan
    )
    return _form_page(
        request, form, _("Board decision"), reverse("funds:loan_detail", args=[loan.pk]), loan=loan,
        terms_url=reverse("funds:loan_terms", args=[loan.pk]) if correctable else None,
        term_changes=selectors.loan_term_changes(loan),
    )  # fmt: skip


@login_required
def loan_terms(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A board member corrects a requested loan's terms before the board decides."""
    loan = _loan(request, pk, write=True)
    back = reverse("funds:loan_detail", args=[loan.pk])
    if not services.is_board_member(request.user, loan):
        raise PermissionDenied
    if loan.status != Loan.Status.REQUESTED:
        messages.error(
            request,
            _("The board has decided on this loan: its terms can no longer be corrected."),
        )
        return redirect(back)
    form = LoanTermsForm(
        request.POST or None,
        club=loan.fund.club,
        loan=loan,
        initial={name: getattr(loan, name) for name in Loan.TERMS},
    )
    return form_page_once(
        request,
        form,
        save=lambda: services.loan_terms_correct(loan=loan, by=request.user, **form.cleaned_data),
        success=_("The loan's terms were corrected; the old ones stay in its history."),
        next_url=reverse("funds:loan_decide", args=[loan.pk]),
        template=FORM,
        title=_("Correct the terms of the loan"),
        cancel_url=back,
        loan=loan,
        submit_label=_("Save the corrected terms"),
    )


@login_required
def loan_disburse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, write=True)
    form = DateOnlyForm(request.POST or None)
    back = reverse("funds:loan_detail", args=[loan.pk])

    def page() -> HttpResponse:
        return _form_page(
            request, form, _("Disburse the loan"), back, loan=loan, submit_label=_("Disburse")
        )

    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["date"]
        return _confirm_then_save(
            request,
            form,
            page=page,
            check=lambda: _disburse_check(loan),
            will=lambda: _disburse_will(loan, on),
            title=_("Disburse this loan?"),
            action=_("Disburse"),
            cancel_url=back,
            save=lambda: services.loan_disburse(loan=loan, by=request.user, on=on),
            success=lambda entry: (
                _("Disbursed; payment voucher %(voucher)s.") % {"voucher": entry.voucher_number}
            ),
            next_url=back,
        )
    return page()


def _disburse_check(loan: Loan) -> None:
    if loan.status != Loan.Status.APPROVED:
        raise FundsError(_("Only an approved loan can be disbursed."))


def _disburse_will(loan: Loan, on: datetime.date) -> list[str]:
    fund = Fund.objects.get(pk=loan.fund_id)
    schedule = services.build_schedule(
        principal=loan.principal,
        monthly_rate=loan.monthly_rate,
        term_months=loan.term_months,
        method=loan.method,
        start=on,
    )
    first = schedule[0]
    return [
        _("%(amount)s ₫ will be paid out of %(fund)s to %(borrower)s on %(date)s (a payment "
          "voucher in the cash book).")
        % {
            "amount": thousands(loan.principal),
            "fund": fund.name,
            "borrower": loan.borrower.full_name,
            "date": _dmy(on),
        },
        _("The fund's balance after: %(balance)s ₫.")
        % {"balance": thousands(fund.balance - loan.principal)},
        _("The first installment, %(total)s ₫ (principal %(principal)s ₫, interest %(interest)s"
          " ₫), falls due on %(date)s; %(n)s installments in all.")
        % {
            "total": thousands(first["principal"] + first["interest"]),
            "principal": thousands(first["principal"]),
            "interest": thousands(first["interest"]),
            "date": _dmy(first["due_on"]),
            "n": len(schedule),
        },
        _("A disbursement cannot be undone: once paid out, the loan is repaid or written off."),
    ]  # fmt: skip


@login_required
def loan_repay(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, write=True)
    form = RepaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            return once(
                request,
                save=lambda: services.loan_repay(
                    loan=loan, amount=d["amount"], on=d["date"], note=d["note"], by=request.user
                ),
                success=lambda rep: (
                    _("Repayment recorded: %(interest)s ₫ interest, %(principal)s ₫ principal.")
                    % {
                        "interest": thousands(rep.interest),
                        "principal": thousands(rep.principal),
                    }
                ),
                next_url=reverse("funds:loan_detail", args=[loan.pk]),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    return _form_page(
        request,
        form,
        _("Record a repayment"),
        reverse("funds:loan_detail", args=[loan.pk]),
        loan=loan,
    )


@login_required
def loan_payoff(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, write=True)
    form = DateOnlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return once(
                request,
                save=lambda: services.loan_payoff(
                    loan=loan, on=form.cleaned_data["date"], by=request.user
                ),
                success=_("The loan was repaid early."),
                next_url=reverse("funds:loan_detail", args=[loan.pk]),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    amount = services.payoff_amount(loan, _today()) if loan.status == Loan.Status.ACTIVE else None
    return _form_page(
        request, form, _("Early repayment"), reverse("funds:loan_detail", args=[loan.pk]), loan=loan,
        payoff=amount, submit_label=_("Settle the loan"),
    )  # fmt: skip


@login_required
def loan_write_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The board gives up on what is still owed: the loan leaves the portfolio (after a page
    that says how much is given up, and that it cannot be undone)."""
    loan = _loan(request, pk, write=True)
    form = WriteOffForm(request.POST or None)
    back = reverse("funds:loan_detail", args=[loan.pk])

    def page() -> HttpResponse:
        return _form_page(
            request, form, _("Write the loan off"), back, loan=loan,
            submit_label=_("Write the loan off"),
        )  # fmt: skip

    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        return _confirm_then_save(
            request,
            form,
            page=page,
            check=lambda: _write_off_check(loan),
            will=lambda: _write_off_will(loan, d["date"]),
            title=_("Write this loan off?"),
            action=_("Write the loan off"),
            cancel_url=back,
            save=lambda: services.loan_write_off(
                loan=loan, on=d["date"], reason=d["reason"], by=request.user
            ),
            success=_("The loan was written off."),
            next_url=back,
        )
    return page()


def _write_off_check(loan: Loan) -> None:
    if loan.status != Loan.Status.ACTIVE:
        raise FundsError(_("Only a disbursed loan that is not repaid can be written off."))


def _write_off_will(loan: Loan, on: datetime.date) -> list[str]:
    installments = list(loan.installments.all())
    principal = sum(i.principal - i.paid_principal for i in installments)
    interest = sum(i.interest - i.waived_interest - i.paid_interest for i in installments)
    return [
        _("%(owed)s ₫ that %(borrower)s still owes (principal %(principal)s ₫, scheduled "
          "interest %(interest)s ₫) will be written off as of %(date)s and no longer collected.")
        % {
            "owed": thousands(principal + interest),
            "borrower": loan.borrower.full_name,
            "principal": thousands(principal),
            "interest": thousands(interest),
            "date": _dmy(on),
        },
        _("No money moves; the loan leaves the portfolio (outstanding, PAR30) and takes no "
          "more repayments."),
        _("This cannot be undone."),
    ]  # fmt: skip


# --- plans ---------------------------------------------------------------------------------


@login_required
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "funds/plan_list.html",
        {"rows": selectors.plans_with_progress(viewer=request.user), "title": _("Fund plans")},
    )


@login_required
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    scoping.require_write(request.user)
    form = PlanForm(
        request.POST or None,
        funds=selectors.fund_list(viewer=request.user),
        areas=scoping.areas_for(request.user).filter(active=True)
        if scoping.is_staff_role(request.user)
        else scoping.areas_for(request.user).none(),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            return once(
                request,
                save=lambda: services.plan_create(
                    fund=d["fund"],
                    area=d["area"],
                    kind=d["kind"],
                    year=d["year"],
                    target=d["target"],
                    note=d["note"],
                    by=request.user,
                ),
                success=_("The plan was saved."),
                next_url=reverse("funds:plan_list"),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    return _form_page(request, form, _("New fund plan"), reverse("funds:plan_list"))
