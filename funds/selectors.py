"""Reads: balances, entries, totals, loan positions, portfolio figures, plans, dues grid."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from accounts import privacy, scoping
from accounts.templatetags.ishc import thousands
from config.choices import readable
from config.collation import by_name
from config.months import add_months, day_in_month, month_bounds
from funds.models import (
    Contribution,
    Fund,
    FundPlan,
    Installment,
    LedgerEntry,
    Loan,
    Repayment,
    TransferRequest,
)
from month.locking import next_meeting_day

if TYPE_CHECKING:
    from accounts.models import User
    from clubs.models import Club
    from members.models import Member

Dir = LedgerEntry.Direction
Cat = LedgerEntry.Category

SIGNED = Case(When(direction=Dir.IN, then=F("amount")), default=-F("amount"))
PAR_DAYS = 30


def fund_balance_sum(fund: Fund, until: datetime.date | None = None) -> int:
    """SUM(in) − SUM(out) of a fund's entries, in SQL (optionally up to a date)."""
    qs = LedgerEntry.objects.filter(fund=fund)
    if until is not None:
        qs = qs.filter(date__lte=until)
    return qs.aggregate(s=Coalesce(Sum(SIGNED), 0))["s"]


def fund_list(*, viewer: User) -> QuerySet[Fund]:
    """The funds ``viewer`` may see, with their holders (clubs, communes, areas) joined. For
    association staff the door scopes funds on their copies of the holder's province and
    commune (``Fund.scope_area_copies``), the columns the fund list's indexes start with, so
    a province's page is one index range scan (docs/performance.md, "Keyset pages")."""
    qs = scoping.for_user(Fund, viewer)
    return qs.select_related("club__commune", "owner_area")


def club_funds(*, club: Club, viewer: User) -> QuerySet[Fund]:
    return fund_list(viewer=viewer).filter(club=club)


def fund_entries(
    *,
    fund: Fund,
    viewer: User,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    category: str = "",
    member: Member | None = None,
) -> QuerySet[LedgerEntry]:
    qs = scoping.for_user(LedgerEntry, viewer).filter(fund=fund)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if category:
        qs = qs.filter(category=category)
    if member is not None:
        qs = qs.filter(member=member)
    # Only the columns the page shows of the related rows (a member has some thirty); the
    # reversing entry's voucher as a plain value (``reversed_by_voucher``, "" when none).
    return (
        qs.select_related("member", "created_by", "reverses")
        .only(
            *[f.attname for f in LedgerEntry._meta.concrete_fields],
            "member__full_name",
            "created_by__username",
            "created_by__first_name",
            "created_by__last_name",
            "reverses__voucher_number",
        )
        .annotate(reversed_by_voucher=Coalesce(F("reversed_by__voucher_number"), Value("")))
    )


def category_totals(entries: QuerySet[LedgerEntry]) -> list[dict[str, Any]]:
    """Income and expense per category for the filtered entries (one grouped query)."""
    labels = dict(Cat.choices)
    rows = (
        entries.order_by()
        .values("category")
        .annotate(
            income=Coalesce(Sum("amount", filter=Q(direction=Dir.IN)), 0),
            expense=Coalesce(Sum("amount", filter=Q(direction=Dir.OUT)), 0),
        )
        .order_by("category")
    )
    return [
        {**r, "label": labels.get(r["category"], r["category"]), "net": r["income"] - r["expense"]}
        for r in rows
    ]


# --- loans ---------------------------------------------------------------------------------


@dataclass
class LoanPosition:
    """Where a loan stands on a date, computed from its schedule and its repayments."""

    loan: Loan
    as_of: datetime.date
    outstanding: int = 0  # principal not yet repaid
    paid: int = 0  # principal + interest repaid up to as_of
    paid_principal: int = 0
    paid_interest: int = 0
    fell_due: int = 0  # principal + interest of installments due on or before as_of
    arrears: int = 0  # what fell due and was not paid
    days_overdue: int = 0
    repayments: list[Repayment] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return self.days_overdue > PAR_DAYS

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def loan_position(loan: Loan, as_of: datetime.date) -> LoanPosition:
    """Uses ``loan.installments.all()`` and ``loan.repayments.all()`` (prefetch them).

    Repayments are applied to installments oldest first, so an installment counts as paid on
    a date once the repayments up to that date cover it and every installment before it.
    """
    pos = LoanPosition(loan=loan, as_of=as_of)
    if loan.disbursed_on is None or loan.disbursed_on > as_of:
        return pos
    reps = [r for r in loan.repayments.all() if r.date <= as_of]
    pos.repayments = reps
    pos.paid_principal = sum(r.principal for r in reps)
    pos.paid_interest = sum(r.interest for r in reps)
    pos.paid = pos.paid_principal + pos.paid_interest
    pos.outstanding = loan.principal - pos.paid_principal
    cumulative = 0
    for inst in sorted(loan.installments.all(), key=lambda i: i.seq):
        if inst.due_on > as_of:
            break
        cumulative += inst.due_total
        if cumulative > pos.paid and pos.days_overdue == 0 and inst.due_on < as_of:
            pos.days_overdue = (as_of - inst.due_on).days
    pos.fell_due = cumulative
    pos.arrears = max(cumulative - pos.paid, 0)
    if pos.outstanding == 0:
        pos.arrears = pos.days_overdue = 0
    return pos


def loans_with_schedule(qs: QuerySet[Loan]) -> QuerySet[Loan]:
    return qs.select_related("borrower", "fund").prefetch_related("installments", "repayments")


def club_loans(*, club: Club, viewer: User, status: str = "") -> QuerySet[Loan]:
    qs = scoping.for_user(Loan, viewer).filter(fund__club=club)
    if status:
        qs = qs.filter(status=status)
    return loans_with_schedule(qs)


@dataclass
class Portfolio:
    loans: int = 0
    active: int = 0
    outstanding: int = 0
    at_risk: int = 0  # outstanding principal of loans more than 30 days overdue
    arrears: int = 0
    overdue_loans: int = 0
    fell_due: int = 0
    collected_on_due: int = 0

    @property
    def par30(self) -> Decimal | None:
        if not self.outstanding:
            return None
        return (Decimal(self.at_risk) * 100 / Decimal(self.outstanding)).quantize(Decimal("0.1"))

    @property
    def repayment_rate(self) -> Decimal | None:
        if not self.fell_due:
            return None
        return (Decimal(self.collected_on_due) * 100 / Decimal(self.fell_due)).quantize(
            Decimal("0.1")
        )


def portfolio(loans: list[Loan] | QuerySet[Loan], as_of: datetime.date) -> Portfolio:
    """Outstanding, arrears, PAR30 and repayment rate of the loans on ``as_of``."""
    p = Portfolio()
    for loan in loans:
        if loan.disbursed_on is None or loan.disbursed_on > as_of or loan.written_off_by(as_of):
            continue
        pos = loan_position(loan, as_of)
        p.loans += 1
        if pos.outstanding > 0:
            p.active += 1
        p.outstanding += pos.outstanding
        p.arrears += pos.arrears
        p.fell_due += pos.fell_due
        p.collected_on_due += min(pos.paid, pos.fell_due)
        if pos.overdue:
            p.overdue_loans += 1
        if pos.at_risk:
            p.at_risk += pos.outstanding
    return p


def club_portfolio(*, club: Club, as_of: datetime.date | None = None) -> Portfolio:
    as_of = as_of or timezone.localdate()
    qs = Loan.objects.filter(
        fund__club=club, disbursed_on__isnull=False, disbursed_on__lte=as_of
    ).prefetch_related("installments", "repayments")
    return portfolio(qs, as_of)


def next_meeting_date(club: Club, after: datetime.date) -> datetime.date:
    """The club's next meeting day on or after ``after``: its next planned meeting as the
    meeting list shows it (moved meetings on their new day, cancelled ones left out), asked
    of ``month.locking.next_meeting_day``; for a club with no meeting planned ahead, the day
    its meeting rule gives (30 days ahead without a fixed day)."""
    planned = next_meeting_day(club, after)
    if planned is not None:
        return planned
    return rule_meeting_date(club, after)


def rule_meeting_date(club: Club, after: datetime.date) -> datetime.date:
    """The day the club's meeting rule gives on or after ``after`` (30 days ahead without a
    fixed day)."""
    day = club.meeting_day
    if club.meeting_rule == "day_of_month" and day:
        for ahead in range(2):
            month = add_months(after, ahead)
            candidate = day_in_month(month.year, month.month, day)
            if candidate >= after:
                return candidate
    return after + datetime.timedelta(days=30)


def due_at_next_meeting(
    *, club: Club, viewer: User, today: datetime.date | None = None
) -> tuple[datetime.date, list[dict[str, Any]]]:
    """(meeting date, rows of loans with money due by then: arrears and the next installment)."""
    today = today or timezone.localdate()
    meeting = next_meeting_date(club, today)
    rows = []
    for loan in club_loans(club=club, viewer=viewer, status=Loan.Status.ACTIVE).order_by(
        "borrower__search_name", "pk"
    ):
        pos = loan_position(loan, meeting)
        if pos.arrears > 0:
            # Days overdue are counted to today, as on the loan list and the loan page: the
            # meeting's date only decides what will be due by then.
            pos.days_overdue = loan_position(loan, today).days_overdue
            rows.append({"loan": loan, "position": pos, "due": pos.arrears})
    return meeting, rows


def loan_term_changes(loan: Loan) -> list[dict[str, Any]]:
    """The corrections of a loan's terms, oldest first: when, by whom and each term's old and
    new value (from the loan's history, so whatever wrote the change, it shows)."""
    records = list(loan.history.select_related("history_user").order_by("history_date", "pk"))
    out = []
    for before, after in itertools.pairwise(records):
        changed = [
            {
                "label": term_label(name),
                "old": _term_shown(name, getattr(before, name)),
                "new": _term_shown(name, getattr(after, name)),
            }
            for name in Loan.TERMS
            if getattr(before, name) != getattr(after, name)
        ]
        if changed:
            out.append({"when": after.history_date, "who": after.history_user, "changes": changed})
    return out


def term_label(name: str) -> str:
    """The name of a loan term as its field is labelled."""
    return str(getattr(Loan._meta.get_field(name), "verbose_name", name))


def _term_shown(name: str, value: Any) -> str:
    """A loan term as the loan page writes it (1.500.000, 0,5, 21/01/2025, the method's name)."""
    if value is None or value == "":
        return "—"
    if name == "method":
        return str(dict(Loan.Method.choices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    if isinstance(value, int):
        return thousands(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --- transfers -------------------------------------------------------------------------------


def transfer_targets(*, source: Fund, viewer: User) -> QuerySet[Fund]:
    """Where the owner of ``source`` may send money: the funds the viewer sees, and the
    association funds above the owner (a club's commune and province, a commune's province)."""
    above: list[int | None] = []
    if source.club is not None:
        above = [source.club.commune_id, source.club.province_id]
    elif source.owner_area is not None and source.owner_area.province_id is not None:
        above = [source.owner_area.province_id]
    visible = fund_list(viewer=viewer).values("pk")
    return (
        Fund.objects.filter(Q(pk__in=visible) | Q(owner_area_id__in=above))
        .exclude(pk=source.pk)
        .select_related("club", "owner_area")
        .order_by(*by_name("owner_area__name", "club__name"), "kind", "pk")
    )


def transfer_requests(*, viewer: User, state: str = "") -> QuerySet[TransferRequest]:
    """Transfer requests out of the funds the viewer may see, newest first."""
    qs = scoping.for_user(TransferRequest, viewer).select_related(
        "source__club__commune",
        "source__owner_area",
        "target__club",
        "target__owner_area",
        "requested_by",
        "decided_by",
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-requested_at", "-pk")


def member_loans(member: Member, viewer: User) -> list[LoanPosition]:
    """A member's loans with their repayments, for the member page (empty for a role the
    declaration hides loans from)."""
    if privacy.hidden_fields(viewer, "funds.Loan"):
        return []
    today = timezone.localdate()
    qs = loans_with_schedule(scoping.for_user(Loan, viewer).filter(borrower=member))
    positions = []
    for loan in qs:
        pos = loan_position(loan, today)
        pos.repayments = list(loan.repayments.all())
        positions.append(pos)
    return positions


def person_data(*, member: Member) -> dict[str, list[dict[str, Any]]]:
    """What the funds hold about one member record, by topic: loans, their repayments, dues
    and the ledger lines that name them. Four queries."""
    loans = Loan.objects.filter(borrower=member).order_by("requested_on", "pk")
    repayments = Repayment.objects.filter(loan__borrower=member).order_by("date", "pk")
    dues = Contribution.objects.filter(member=member).order_by("year", "month")
    entries = (
        LedgerEntry.objects.filter(Q(member=member) | Q(loan__borrower=member))
        .select_related("fund")
        .order_by("date", "pk")
    )
    loan_fields = (
        "requested_on",
        "principal",
        "in_kind",
        "purpose",
        "monthly_rate",
        "term_months",
        "method",
        "status",
        "approved_on",
        "disbursed_on",
        "closed_on",
    )
    return {
        "loans": [{"loan": loan.pk, **readable(loan, loan_fields)} for loan in loans],
        "repayments": [
            readable(r, ("loan", "date", "amount", "principal", "interest", "early"))
            for r in repayments
        ],
        "dues": [readable(c, ("year", "month", "amount")) for c in dues],
        "ledger_entries": [
            {
                "fund": e.fund.name,
                **readable(
                    e,
                    ("date", "voucher_number", "direction", "category", "amount", "payer", "note"),
                ),
            }
            for e in entries
        ],
    }


# --- monthly report hook -----------------------------------------------------------------


def month_figures(club: Club, year: int, month: int) -> dict[str, Any]:
    """Fund movements and loan figures of a club for one month (for the monthly report).

    {"funds": [{"fund_id", "name", "kind", "income", "expense", "closing_balance"}],
     "loans_disbursed_count", "loans_disbursed_amount", "repaid_principal", "repaid_interest",
     "outstanding_principal" (at month end), "par30" (percent, Decimal or None)}
    """
    first, last = month_bounds(year, month)
    funds = list(
        Fund.objects.filter(club=club)
        .annotate(
            income=Coalesce(
                Sum(
                    "entries__amount",
                    filter=Q(entries__direction=Dir.IN, entries__date__range=(first, last)),
                ),
                0,
            ),
            expense=Coalesce(
                Sum(
                    "entries__amount",
                    filter=Q(entries__direction=Dir.OUT, entries__date__range=(first, last)),
                ),
                0,
            ),
            closing=Coalesce(
                Sum(
                    Case(
                        When(entries__direction=Dir.IN, then=F("entries__amount")),
                        default=-F("entries__amount"),
                    ),
                    filter=Q(entries__date__lte=last),
                ),
                0,
            ),
        )
        .order_by("kind", "pk")
    )
    disbursed = Loan.objects.filter(fund__club=club, disbursed_on__range=(first, last)).aggregate(
        n=Count("pk"), amount=Coalesce(Sum("principal"), 0)
    )
    repaid = Repayment.objects.filter(loan__fund__club=club, date__range=(first, last)).aggregate(
        principal=Coalesce(Sum("principal"), 0), interest=Coalesce(Sum("interest"), 0)
    )
    book = club_portfolio(club=club, as_of=last)
    return {
        "funds": [
            {
                "fund_id": f.pk,
                "name": f.name,
                "kind": f.kind,
                "income": f.income,
                "expense": f.expense,
                "closing_balance": f.closing,
            }
            for f in funds
        ],
        "loans_disbursed_count": disbursed["n"],
        "loans_disbursed_amount": disbursed["amount"],
        "repaid_principal": repaid["principal"],
        "repaid_interest": repaid["interest"],
        "outstanding_principal": book.outstanding,
        "par30": book.par30,
    }


# --- plans -----------------------------------------------------------------------------------

# What counts as money raised towards a plan: new money, not transfers or recycled principal.
RAISED = [Cat.DUES, Cat.DONATION, Cat.GRANT, Cat.GOVERNMENT, Cat.LOAN_INTEREST, Cat.OTHER]
RAISED_SIGNED = Case(
    When(direction=Dir.IN, reverses__isnull=True, then=F("amount")),
    When(direction=Dir.OUT, reverses__direction=Dir.IN, then=-F("amount")),
    default=0,
)


def plans_with_progress(*, viewer: User) -> list[dict[str, Any]]:
    """Every plan in scope with what has been raised in its year (three queries)."""
    plans = list(
        scoping.for_user(FundPlan, viewer)
        .select_related("fund__club", "fund__owner_area", "area")
        .order_by("-year", "pk")
    )
    years = {p.year for p in plans}
    base = LedgerEntry.objects.filter(category__in=RAISED, date__year__in=years).annotate(
        year=ExtractYear("date")
    )
    by_fund: dict[tuple[int, int], int] = {}
    fund_ids = [p.fund_id for p in plans if p.fund_id]
    if fund_ids:
        for r in (
            base.filter(fund_id__in=fund_ids)
            .order_by()
            .values("fund_id", "year")
            .annotate(s=Sum(RAISED_SIGNED))
        ):
            by_fund[(r["fund_id"], r["year"])] = r["s"] or 0
    # A province's own row has no province: its None key is never asked for.
    by_area: dict[tuple[int | None, str, int], int] = {}
    area_ids = [p.area_id for p in plans if p.area_id]
    if area_ids:
        for r in (
            base.filter(
                Q(fund__owner_area_id__in=area_ids) | Q(fund__owner_area__province_id__in=area_ids)
            )
            .order_by()
            .values("fund__owner_area_id", "fund__owner_area__province_id", "fund__kind", "year")
            .annotate(s=Sum(RAISED_SIGNED))
        ):
            for area_id in (r["fund__owner_area_id"], r["fund__owner_area__province_id"]):
                key = (area_id, r["fund__kind"], r["year"])
                by_area[key] = by_area.get(key, 0) + (r["s"] or 0)
    out = []
    for p in plans:
        raised = (
            by_fund.get((p.fund_id, p.year), 0)
            if p.fund_id
            else by_area.get((p.area_id, p.kind, p.year), 0)
        )
        pct = (Decimal(raised) * 100 / Decimal(p.target)).quantize(Decimal("0.1"))
        out.append({"plan": p, "raised": raised, "percent": pct, "bar": min(max(int(pct), 0), 100)})
    return out


# --- dues ------------------------------------------------------------------------------------


def dues_grid(*, club: Club, year: int, members: list[Member]) -> list[dict[str, Any]]:
    """One row per member: the amount paid for each month of ``year`` (None if unpaid)."""
    paid: dict[tuple[int, int], int] = {}
    for c in Contribution.objects.filter(club=club, year=year).values(
        "member_id", "month", "amount"
    ):
        paid[(c["member_id"], c["month"])] = c["amount"]
    return [
        {
            "member": m,
            "months": [paid.get((m.pk, month)) for month in range(1, 13)],
            "total": sum(paid.get((m.pk, month)) or 0 for month in range(1, 13)),
        }
        for m in members
    ]


def unpaid_members(*, club: Club, year: int, month: int) -> QuerySet[Member]:
    """Current members with no dues recorded for the month."""
    from members.models import Member

    return (
        Member.objects.filter(club=club)
        .on_register(month_bounds(year, month)[1])
        .exclude(contributions__year=year, contributions__month=month)
        .order_by(*by_name("full_name"), "pk")
    )


def installments_of(loan: Loan) -> list[Installment]:
    return sorted(loan.installments.all(), key=lambda i: i.seq)


def loans_waiting(*, viewer: User, limit: int = 10) -> dict[str, Any]:
    """Loans in the viewer's scope waiting for the board: requested (a decision is due) or
    approved (the money is still to be paid out). The counts, and the clubs with the most
    waiting first. Two queries; loans are high-risk data, so a role the declaration hides
    loans from gets nothing."""
    if privacy.hidden_fields(viewer, "funds.Loan"):
        return {"requested": 0, "approved": 0, "clubs": []}
    counts = {
        "requested": Count("pk", filter=Q(status=Loan.Status.REQUESTED)),
        "approved": Count("pk", filter=Q(status=Loan.Status.APPROVED)),
    }
    qs = scoping.for_user(Loan, viewer).filter(
        status__in=(Loan.Status.REQUESTED, Loan.Status.APPROVED)
    )
    totals = qs.aggregate(**counts)
    rows = (
        qs.values("fund__club_id", "fund__club__name")
        .annotate(**counts, total=Count("pk"))
        .order_by("-total", *by_name("fund__club__name"))[:limit]
    )
    clubs = [
        {
            "club_id": r["fund__club_id"],
            "club": r["fund__club__name"],
            "requested": r["requested"],
            "approved": r["approved"],
        }
        for r in rows
    ]
    return {**totals, "clubs": clubs}
