"""The member register in Excel: the blank template, reading an upload, writing an export.

Headers are Vietnamese (the file is for people, whatever the UI language) and are matched
without accents, so "Ho va ten" is read as "Họ và tên". Cells are written so that no value
can run as a formula when the file is opened (CSV/formula injection).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from accounts import privacy
from accounts.templatetags.ishc import thousands
from config.excel import write_only_header, write_only_row
from config.spreadsheets import SpreadsheetRefused, read_first_sheet
from config.text import fold
from members.ethnicities import ETHNIC_GROUPS
from members.models import Member

MEMBER = "members.Member"  # the declaration's label (accounts.privacy.PERSONAL_FIELDS)
MAX_BYTES = 5 * 1024 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"
YES, NO = "Có", "Không"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14
    required: bool = False

    @property
    def category(self) -> privacy.Category | None:
        """The column's category of personal data, from the declaration (None: not personal)."""
        return privacy.PERSONAL_FIELDS[MEMBER].get(self.key)

    @property
    def sensitive(self) -> bool:
        """Sensitive or high-risk: kept only with the member's consent (the template's help
        sheet says so), shown only to the roles the declaration allows."""
        return self.category in (privacy.SENSITIVE, privacy.HIGH_RISK)


COLUMNS = [
    Column("full_name", "Họ và tên", 26, required=True),
    Column("sex", "Giới tính (Nam/Nữ)", 10, required=True),
    Column("birth_date", "Ngày sinh (dd/mm/yyyy)", 14),
    Column("birth_year", "Năm sinh", 9),
    Column("ethnicity", "Dân tộc", 12),
    Column("phone", "Số điện thoại", 14),
    Column("village", "Thôn/bản", 16),
    Column("household_status", "Hoàn cảnh hộ (Nghèo/Cận nghèo/Không nghèo)", 16),
    Column("has_disability", "Khuyết tật (Có/Không)", 10),
    Column("needs_care", "Cần chăm sóc tại nhà (Có/Không)", 12),
    Column("lives_alone", "Sống một mình (Có/Không)", 10),
    Column("has_health_insurance", "Có thẻ BHYT (Có/Không)", 10),
    Column("is_volunteer", "Tình nguyện viên chăm sóc (Có/Không)", 12),
    Column("joined_on", "Ngày vào CLB (dd/mm/yyyy)", 14),
    Column("consent_on", "Ngày đồng ý cung cấp thông tin (dd/mm/yyyy)", 14),
    Column("consent_method", "Hình thức đồng ý (Phiếu giấy/Bằng lời)", 14),
]
# Columns read from an upload: the template's and a few of the person's own (ignored). A sheet
# claiming 16,384 columns costs no more than these.
MAX_COLUMNS = len(COLUMNS) + 8
EXPORT_EXTRA = [
    Column("club", "Câu lạc bộ", 26),
    Column("left_on", "Ngày ra khỏi CLB", 12),
    Column("leave_reason", "Lý do ra", 18),
]

HOUSEHOLD_WORDS = {
    "ngheo": Member.Household.POOR,
    "ho ngheo": Member.Household.POOR,
    "can ngheo": Member.Household.NEAR_POOR,
    "ho can ngheo": Member.Household.NEAR_POOR,
    "khong ngheo": Member.Household.NOT_POOR,
    "khong": Member.Household.NOT_POOR,
}
HOUSEHOLD_LABELS: dict[str, str] = {
    Member.Household.POOR: "Nghèo",
    Member.Household.NEAR_POOR: "Cận nghèo",
    Member.Household.NOT_POOR: "Không nghèo",
}
SEX_WORDS = {"nam": "M", "m": "M", "male": "M", "nu": "F", "f": "F", "female": "F"}
SEX_LABELS = {"M": "Nam", "F": "Nữ"}
CONSENT_WORDS = {
    "phieu giay": Member.ConsentMethod.PAPER,
    "phieu": Member.ConsentMethod.PAPER,
    "giay": Member.ConsentMethod.PAPER,
    "bang loi": Member.ConsentMethod.VERBAL,
    "loi": Member.ConsentMethod.VERBAL,
}
CONSENT_LABELS: dict[str, str] = {
    Member.ConsentMethod.PAPER: "Phiếu giấy",
    Member.ConsentMethod.VERBAL: "Bằng lời",
}
YES_WORDS = {"co": True, "x": True, "1": True, "yes": True, "khong": False, "0": False, "no": False}


class ImportFileError(Exception):
    """The whole file is refused (not .xlsx, too big, wrong columns, empty)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _header_key(text: Any) -> str:
    """A header's folded form without its hint in brackets: "Ngày sinh (dd/mm/yyyy)" -> "ngay sinh"."""
    folded = fold(str(text or ""))
    return folded.split("(")[0].strip()


HEADER_KEYS = {_header_key(c.header): c.key for c in COLUMNS}
HEADER_KEYS.update(
    {"ho ten": "full_name", "ten": "full_name", "dien thoai": "phone", "sdt": "phone"}
)


# --- Writing ---------------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """A value that cannot run as a formula: text starting with = + - @ tab or CR gets a '."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _dmy(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def template_workbook() -> bytes:
    """The blank import template: headers, an example row and drop-down lists."""
    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):  # a new workbook opens on one worksheet
        raise TypeError(ws)
    ws.title = "Thành viên"
    ws.append([c.header for c in COLUMNS])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="D9EAD3")
    for i, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    lists = wb.create_sheet("Danh mục")
    lists.append(["Dân tộc (54 dân tộc)"])
    for name in ETHNIC_GROUPS:
        lists.append([name])
    rows = 1000

    def validation(key: str, formula: str) -> None:
        letter = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.add(f"{letter}2:{letter}{rows}")
        ws.add_data_validation(dv)

    validation("sex", '"Nam,Nữ"')
    validation("ethnicity", f"'Danh mục'!$A$2:$A${len(ETHNIC_GROUPS) + 1}")
    validation("household_status", '"Nghèo,Cận nghèo,Không nghèo"')
    for key in (
        "has_disability",
        "needs_care",
        "lives_alone",
        "has_health_insurance",
        "is_volunteer",
    ):
        validation(key, f'"{YES},{NO}"')
    validation("consent_method", '"Phiếu giấy,Bằng lời"')
    help_sheet = wb.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng là một thành viên. Bắt buộc: Họ và tên, Giới tính, Ngày sinh hoặc Năm sinh.",
        "Ngày ghi theo dạng ngày/tháng/năm, ví dụ 21/03/1956. Nếu chỉ biết năm sinh, ghi vào cột Năm sinh.",
        "Dân tộc theo danh mục 54 dân tộc (trang Danh mục).",
        "Dân tộc, khuyết tật, cần chăm sóc, hoàn cảnh hộ là thông tin nhạy cảm: chỉ ghi khi thành viên đã đồng ý, "
        "và ghi ngày đồng ý cùng hình thức đồng ý.",
        "Số điện thoại: 0912 345 678 hoặc +84 912 345 678.",
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_rows(members: Iterable[Member], *, hidden: frozenset[str]) -> Iterator[list[Any]]:
    """The header and one row per member, without the ``hidden`` fields (what the
    declaration hides from the user: ``accounts.privacy.hidden_fields``). The consent
    columns go with the sensitive ones: they say that such data is kept."""
    columns = [c for c in COLUMNS if c.key not in hidden]
    if any(c.sensitive and c.key in hidden for c in COLUMNS):
        columns = [c for c in columns if c.key not in ("consent_on", "consent_method")]
    yield [c.header for c in columns + EXPORT_EXTRA]
    for m in members:
        values = {
            "full_name": m.full_name,
            "sex": SEX_LABELS.get(m.sex, ""),
            "birth_date": _dmy(m.birth_date),
            "birth_year": m.birth_year,
            "ethnicity": m.ethnicity,
            "phone": m.phone,
            "village": m.village,
            "household_status": HOUSEHOLD_LABELS.get(m.household_status, ""),
            "has_disability": YES if m.has_disability else NO,
            "needs_care": YES if m.needs_care else NO,
            "lives_alone": YES if m.lives_alone else NO,
            "has_health_insurance": YES if m.has_health_insurance else NO,
            "is_volunteer": YES if m.is_volunteer else NO,
            "joined_on": _dmy(m.joined_on),
            "consent_on": _dmy(m.consent_on),
            "consent_method": CONSENT_LABELS.get(m.consent_method, ""),
            "club": m.club.name,
            "left_on": _dmy(m.left_on),
            "leave_reason": m.leave_reason,
        }
        yield [safe_cell(values[c.key]) for c in columns + EXPORT_EXTRA]


def export_workbook(members: Iterable[Member], *, hidden: frozenset[str], out: IO[bytes]) -> None:
    """Writes the register to ``out`` in streaming (write-only) mode: memory stays flat."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Thành viên")
    rows = export_rows(members, hidden=hidden)
    header = next(rows)
    widths = [max(column.width, 12) for column in _export_columns(header)]
    write_only_header(ws, header, widths=widths)
    # A birth year is shown as 1955, not 1.955.
    plain = {i for i, h in enumerate(header) if h == _column("birth_year").header}
    for row in rows:
        write_only_row(ws, row, plain=plain)
    wb.save(out)


def _column(key: str) -> Any:
    return next(c for c in COLUMNS + EXPORT_EXTRA if c.key == key)


def _export_columns(header: list[Any]) -> list[Any]:
    by_header = {c.header: c for c in COLUMNS + EXPORT_EXTRA}
    return [by_header[h] for h in header]


# --- Reading ---------------------------------------------------------------------------------


def check_upload(upload: Any) -> None:
    """Refuses a file that is too big or is not an .xlsx (by its bytes, not its name)."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MAX_BYTES // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != ZIP_SIGNATURE:
        raise ImportFileError(
            _("This is not an Excel .xlsx file. Save it as .xlsx (Excel Workbook) and try again.")
        )


def read_sheet(upload: Any) -> tuple[list[dict[str, Any]], str]:
    """Rows of the first sheet as {column key: cell value, "row": row number}, and a notice
    about rows that were not read ("" if none).

    Raises ImportFileError for a file that cannot be read, is too large unpacked, has wrong
    columns, no data or too many rows. Only the first ``MAX_COLUMNS`` columns are read and
    reading stops after a run of empty rows (``config.spreadsheets``).
    """
    check_upload(upload)
    max_rows = settings.ISHC_IMPORT_MAX_ROWS
    try:
        # The header row and one more than allowed: enough to say "too many".
        sheet = read_first_sheet(upload, max_columns=MAX_COLUMNS, max_filled_rows=max_rows + 1)
    except SpreadsheetRefused as exc:
        raise ImportFileError(exc.message) from exc
    if sheet.too_many:
        raise ImportFileError(
            _("The file has more than %(max)s members. Split it into smaller files.")
            % {"max": thousands(max_rows)}
        )
    header = sheet.rows[0] if sheet.rows else None
    if header is None or not any(v not in (None, "") for v in header):
        raise ImportFileError(_("The sheet is empty: it has no header row and no members."))
    keys = [HEADER_KEYS.get(_header_key(h)) for h in header]
    present = {k for k in keys if k}
    missing = [c.header for c in COLUMNS if c.required and c.key not in present]
    if missing or not present & {"birth_date", "birth_year"}:
        if not present & {"birth_date", "birth_year"}:
            missing.append("Ngày sinh / Năm sinh")
        raise ImportFileError(
            _("Wrong columns: missing %(columns)s. Use the template.")
            % {"columns": ", ".join(f"“{m}”" for m in missing)}
        )
    out: list[dict[str, Any]] = []
    for number, values in enumerate(sheet.rows[1:], start=2):
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        row: dict[str, Any] = {"row": number}
        for key, value in zip(keys, values, strict=False):
            if key and key not in row:
                row[key] = value
        out.append(row)
    if not out:
        raise ImportFileError(_("The sheet has no members: only the header row is filled in."))
    return out, sheet.notice
