"""The club's books for a period: the cash book (sổ thu chi) and the loan ledger (sổ cho vay).

Each is built once as plain rows, then shown as a printable page or written to .xlsx.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from accounts import scoping
from config.excel import format_sheet
from funds.models import Fund, LedgerEntry, Loan
from funds.selectors import fund_balance_sum, loan_position

if TYPE_CHECKING:
    from accounts.models import User

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass
class CashBook:
    fund: Fund
    start: datetime.date
    end: datetime.date
    opening: int = 0
    closing: int = 0
    income: int = 0
    expense: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)


def cash_book(
    *, fund: Fund, start: datetime.date, end: datetime.date, show_names: bool
) -> CashBook:
    book = CashBook(fund=fund, start=start, end=end)
    book.opening = fund_balance_sum(fund, until=start - datetime.timedelta(days=1))
    running = book.opening
    entries = (
        LedgerEntry.objects.filter(fund=fund, date__range=(start, end))
        .select_related("member", "reverses")
        .order_by("date", "pk")
    )
    for e in entries:
        income = e.amount if e.direction == LedgerEntry.Direction.IN else 0
        expense = e.amount - income
        running += income - expense
        book.income += income
        book.expense += expense
        who = (e.member.full_name if e.member else e.payer) if show_names else ""
        book.rows.append(
            {
                "date": e.date,
                "receipt": e.voucher_number if income else "",
                "payment": e.voucher_number if expense else "",
                "category": e.get_category_display(),
                "who": who,
                "note": e.note,
                "income": income,
                "expense": expense,
                "balance": running,
                "reverses": e.reverses.voucher_number if e.reverses else "",
            }
        )
    book.closing = running
    return book


@dataclass
class LoanBook:
    club: Any
    start: datetime.date
    end: datetime.date
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)


def loan_book(*, club: Any, viewer: User, start: datetime.date, end: datetime.date) -> LoanBook:
    book = LoanBook(club=club, start=start, end=end)
    loans = (
        scoping.for_user(Loan, viewer)
        .filter(fund__club=club, disbursed_on__isnull=False, disbursed_on__lte=end)
        .select_related("borrower")
        .prefetch_related("installments", "repayments")
        .order_by("disbursed_on", "pk")
    )
    keys = ("principal", "repaid_principal", "repaid_interest", "outstanding", "arrears")
    book.totals = dict.fromkeys(keys, 0)
    for n, loan in enumerate(loans, start=1):
        pos = loan_position(loan, end)
        if pos.outstanding == 0 and loan.closed_on and loan.closed_on < start:
            continue  # settled before the period
        in_period = [r for r in loan.repayments.all() if start <= r.date <= end]
        row: dict[str, Any] = {
            "no": n,
            "loan": loan,
            "borrower": loan.borrower.full_name,
            "purpose": loan.in_kind or loan.purpose,
            "disbursed_on": loan.disbursed_on,
            "principal": loan.principal,
            "term": loan.term_months,
            "rate": loan.monthly_rate,
            "repaid_principal": sum(r.principal for r in in_period),
            "repaid_interest": sum(r.interest for r in in_period),
            "outstanding": pos.outstanding,
            "arrears": pos.arrears,
            "days_overdue": pos.days_overdue,
        }
        book.rows.append(row)
        for key in keys:
            book.totals[key] += row[key]
    return book


def _sheet(title: str, subtitle: str, header: list[str], rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):  # a new workbook opens on one worksheet
        raise TypeError(ws)
    ws.title = title[:31]
    ws.append([safe_cell(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([safe_cell(subtitle)])
    ws.append([])
    ws.append([safe_cell(h) for h in header])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    format_sheet(ws, header_row=4)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cash_book_xlsx(book: CashBook) -> bytes:
    rows: list[list[Any]] = [
        ["", "", "", _("Opening balance"), "", "", "", "", book.opening],
    ]
    for r in book.rows:
        rows.append(
            [
                r["date"],
                r["receipt"],
                r["payment"],
                r["category"],
                r["who"],
                r["note"],
                r["income"],
                r["expense"],
                r["balance"],
            ]
        )
    rows.append(["", "", "", _("Total"), "", "", book.income, book.expense, book.closing])
    return _sheet(
        _("Cash book"),
        f"{book.fund.name} – {book.fund.owner} – {book.start:%d/%m/%Y}–{book.end:%d/%m/%Y}",
        [
            _("Date"),
            _("Receipt no."),
            _("Payment no."),
            _("Category"),
            _("Payer / payee"),
            _("Note"),
            _("Income"),
            _("Expense"),
            _("Balance"),
        ],
        rows,
    )


def loan_book_xlsx(book: LoanBook) -> bytes:
    rows = [
        [
            r["no"], r["borrower"], r["purpose"], r["disbursed_on"], r["principal"], r["term"],
            float(r["rate"]), r["repaid_principal"], r["repaid_interest"], r["outstanding"],
            r["arrears"], r["days_overdue"],
        ]
        for r in book.rows
    ]  # fmt: skip
    t = book.totals
    rows.append(
        [
            "",
            _("Total"),
            "",
            "",
            t["principal"],
            "",
            "",
            t["repaid_principal"],
            t["repaid_interest"],
            t["outstanding"],
            t["arrears"],
            "",
        ]
    )
    return _sheet(
        _("Loan ledger"),
        f"{book.club} – {book.start:%d/%m/%Y}–{book.end:%d/%m/%Y}",
        [
            _("No."),
            _("Borrower"),
            _("Purpose"),
            _("Disbursed on"),
            _("Amount"),
            _("Term (months)"),
            _("Rate (%/month)"),
            _("Principal repaid"),
            _("Interest paid"),
            _("Outstanding"),
            _("Arrears"),
            _("Days overdue"),
        ],
        rows,
    )


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
