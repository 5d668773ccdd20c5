"""Every Excel export has number formats (1.500.000 in a Vietnamese Excel), dd/mm/yyyy dates,
a frozen bold header and column widths — through the one helper, config/excel.py."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from config import excel
from members.excel import export_workbook
from members.models import Member
from reports import periods, selectors
from reports.exports import write_workbook
from tests.factories import MemberFactory
from tests.factories_funds import DAY, deposit, operating

pytestmark = pytest.mark.django_db


def _reload(wb: Workbook):
    buf = io.BytesIO()
    wb.save(buf)
    return load_workbook(io.BytesIO(buf.getvalue()))


def test_format_sheet_gives_numbers_dates_header_and_widths():
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Số tiền", "Ngày", "Năm sinh", "Lãi suất"])
    ws.append(["Lò Thị Xuân Nguyễn Thị Hoa Ban", 1_500_000, datetime.date(2024, 5, 21), 1955, 0.5])
    excel.format_sheet(ws, plain_columns={4})
    ws = _reload(wb).active
    assert ws["B2"].number_format == "#,##0"  # 1.500.000 in a Vietnamese Excel
    assert ws["C2"].number_format.upper() == "DD/MM/YYYY"
    assert ws["D2"].number_format == "General"  # a year: 1955, not 1.955
    assert ws["E2"].number_format == excel.DECIMAL
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws.column_dimensions["A"].width > ws.column_dimensions["D"].width >= excel.MIN_WIDTH


def test_safe_cell_quotes_what_looks_like_a_formula():
    assert excel.safe_cell("=1+1") == "'=1+1"
    assert excel.safe_cell("Lò Thị Xuân") == "Lò Thị Xuân"
    assert excel.safe_cell(5) == 5


def test_write_only_rows_are_formatted_and_the_header_frozen():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    excel.write_only_header(ws, ["Tên", "Tiền", "Ngày", "Năm"])
    excel.write_only_row(ws, ["=cmd", 2_000_000, datetime.date(2025, 1, 2), 1950], plain={3})
    ws = _reload(wb)["x"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws["A2"].value == "'=cmd"
    assert ws["B2"].number_format == "#,##0"
    assert ws["C2"].number_format.upper() == "DD/MM/YYYY"
    assert ws["D2"].number_format == "General"


def test_the_cash_book_export_has_formats_and_a_frozen_header(cast, login):
    fund = operating(cast.club_a)
    deposit(fund, 1_500_000, day=DAY)
    response = login(cast.leader).get(
        reverse("funds:cash_book_xlsx", args=[fund.pk]) + "?date_from=01/01/2000&date_to=31/12/2099"
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.freeze_panes == "A5"
    money = [c for row in ws.iter_rows(min_row=5) for c in row if c.value == 1_500_000]
    assert money and all(c.number_format == "#,##0" for c in money)
    dates = [
        c for row in ws.iter_rows(min_row=5) for c in row if isinstance(c.value, datetime.datetime)
    ]
    assert dates and all(c.number_format.upper() == "DD/MM/YYYY" for c in dates)


def test_the_cash_book_export_of_another_club_is_404(cast, login):
    fund = operating(cast.club_a)
    response = login(cast.leader2).get(reverse("funds:cash_book_xlsx", args=[fund.pk]))
    assert response.status_code == 404


def test_the_member_export_keeps_years_plain_and_freezes_the_header(cast):
    MemberFactory(club=cast.club_a, full_name="Lò Thị Xuân", birth_year=1956)
    out = io.BytesIO()
    export_workbook(Member.objects.filter(club=cast.club_a), hidden=frozenset(), out=out)
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    years = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == 1956]
    assert years and years[0].number_format == "General"


def test_the_summary_workbook_freezes_the_header_and_the_names(cast):
    board = selectors.dashboard(
        area=cast.province_a, period=periods.Period.last_complete(), viewer=cast.province
    )
    out = io.BytesIO()
    write_workbook(board, out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    for ws in book.worksheets:
        assert ws.freeze_panes == "B3"
        assert ws["A2"].font.bold
        numbers = [
            c
            for row in ws.iter_rows(min_row=3)
            for c in row
            if isinstance(c.value, int) and not isinstance(c.value, bool)
        ]
        assert all(c.number_format == "#,##0" for c in numbers)
