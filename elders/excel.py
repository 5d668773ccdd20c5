"""The register in Excel: the blank template, reading and checking an upload, the export.

Headers are Vietnamese and matched without accents. The upload is read through
``config.spreadsheets`` (the same guards as the member import: size, parts, rows); every row
is checked with the register's own rules (``services.check_person``) and the whole file is
added or nothing (``services``-level transaction in ``import_commit``). Exported cells cannot
run as formulas (``members.excel.safe_cell``).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from accounts.templatetags.ishc import thousands
from clubs.models import Area
from config.excel import write_only_header, write_only_row
from config.spreadsheets import SpreadsheetRefused, read_first_sheet
from config.text import fold
from elders import services
from elders.models import OlderPerson, OlderPersonImport
from members.ethnicities import ETHNIC_GROUPS, match_ethnicity
from members.excel import ImportFileError, check_upload, safe_cell
from members.phones import PhoneError, normalise_phone

YES, NO = "Có", "Không"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14
    required: bool = False


COLUMNS = [
    Column("full_name", "Họ và tên", 26, required=True),
    Column("sex", "Giới tính (Nam/Nữ)", 10, required=True),
    Column("birth_date", "Ngày sinh (dd/mm/yyyy)", 14),
    Column("birth_year", "Năm sinh", 9),
    Column("village", "Thôn/chi hội", 16),
    Column("address", "Địa chỉ", 24),
    Column("phone", "Số điện thoại", 14),
    Column("is_association_member", "Hội viên (Có/Không)", 10),
    Column("living", "Hoàn cảnh sống (Một mình/Với vợ chồng/Với gia đình)", 16),
    Column("household_status", "Hoàn cảnh hộ (Nghèo/Cận nghèo/Không nghèo)", 16),
    Column("support", "Trợ cấp (Không/Trợ cấp xã hội/Hưu trí xã hội/Lương hưu)", 18),
    Column("ethnicity", "Dân tộc", 12),
    Column("has_disability", "Khuyết tật (Có/Không)", 10),
    Column("insurance_number", "Số thẻ BHYT", 18),
    Column("insurance_expiry", "Hạn thẻ BHYT (dd/mm/yyyy)", 14),
    Column("consent_on", "Ngày đồng ý cung cấp thông tin (dd/mm/yyyy)", 14),
    Column("consent_method", "Hình thức đồng ý (Phiếu giấy/Bằng lời)", 14),
]
MAX_COLUMNS = len(COLUMNS) + 8
EXPORT_EXTRA = [Column("commune", "Xã/phường", 20), Column("died_on", "Ngày mất", 12)]

SEX_WORDS = {"nam": "M", "m": "M", "nu": "F", "f": "F"}
SEX_LABELS = {"M": "Nam", "F": "Nữ"}
LIVING_WORDS = {
    "mot minh": OlderPerson.Living.ALONE,
    "song mot minh": OlderPerson.Living.ALONE,
    "voi vo chong": OlderPerson.Living.SPOUSE,
    "vo chong": OlderPerson.Living.SPOUSE,
    "voi gia dinh": OlderPerson.Living.FAMILY,
    "gia dinh": OlderPerson.Living.FAMILY,
}
LIVING_LABELS: dict[str, str] = {
    OlderPerson.Living.ALONE: "Một mình",
    OlderPerson.Living.SPOUSE: "Với vợ chồng",
    OlderPerson.Living.FAMILY: "Với gia đình",
}
HOUSEHOLD_WORDS = {
    "ngheo": OlderPerson.Household.POOR,
    "ho ngheo": OlderPerson.Household.POOR,
    "can ngheo": OlderPerson.Household.NEAR_POOR,
    "ho can ngheo": OlderPerson.Household.NEAR_POOR,
    "khong ngheo": OlderPerson.Household.NOT_POOR,
}
HOUSEHOLD_LABELS: dict[str, str] = {
    OlderPerson.Household.POOR: "Nghèo",
    OlderPerson.Household.NEAR_POOR: "Cận nghèo",
    OlderPerson.Household.NOT_POOR: "Không nghèo",
}
SUPPORT_WORDS = {
    "khong": OlderPerson.Support.NONE,
    "tro cap xa hoi": OlderPerson.Support.SOCIAL_ALLOWANCE,
    "huu tri xa hoi": OlderPerson.Support.SOCIAL_PENSION,
    "tro cap huu tri xa hoi": OlderPerson.Support.SOCIAL_PENSION,
    "luong huu": OlderPerson.Support.PENSION,
}
SUPPORT_LABELS: dict[str, str] = {
    OlderPerson.Support.NONE: "Không",
    OlderPerson.Support.SOCIAL_ALLOWANCE: "Trợ cấp xã hội",
    OlderPerson.Support.SOCIAL_PENSION: "Hưu trí xã hội",
    OlderPerson.Support.PENSION: "Lương hưu",
}
CONSENT_WORDS = {
    "phieu giay": OlderPerson.ConsentMethod.PAPER,
    "phieu": OlderPerson.ConsentMethod.PAPER,
    "bang loi": OlderPerson.ConsentMethod.VERBAL,
}
CONSENT_LABELS: dict[str, str] = {
    OlderPerson.ConsentMethod.PAPER: "Phiếu giấy",
    OlderPerson.ConsentMethod.VERBAL: "Bằng lời",
}
YES_WORDS = {"co": True, "x": True, "1": True, "khong": False, "0": False}
_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def _header_key(text: Any) -> str:
    return fold(str(text or "")).split("(")[0].strip()


HEADER_KEYS = {_header_key(c.header): c.key for c in COLUMNS}
HEADER_KEYS.update({"ho ten": "full_name", "thon": "village", "thon/ban": "village"})


# --- Writing ---------------------------------------------------------------------------------


def _dmy(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def template_workbook() -> bytes:
    """The blank template: headers, drop-down lists and a help sheet."""
    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):
        raise TypeError(ws)
    ws.title = "Người cao tuổi"
    ws.append([c.header for c in COLUMNS])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9EAD3")
    for i, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    lists = wb.create_sheet("Danh mục")
    lists.append(["Dân tộc (54 dân tộc)"])
    for name in ETHNIC_GROUPS:
        lists.append([name])

    def validation(key: str, formula: str) -> None:
        letter = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.add(f"{letter}2:{letter}2000")
        ws.add_data_validation(dv)

    validation("sex", '"Nam,Nữ"')
    validation("living", '"Một mình,Với vợ chồng,Với gia đình"')
    validation("household_status", '"Nghèo,Cận nghèo,Không nghèo"')
    validation("support", '"Không,Trợ cấp xã hội,Hưu trí xã hội,Lương hưu"')
    validation("ethnicity", f"'Danh mục'!$A$2:$A${len(ETHNIC_GROUPS) + 1}")
    validation("is_association_member", f'"{YES},{NO}"')
    validation("has_disability", f'"{YES},{NO}"')
    validation("consent_method", '"Phiếu giấy,Bằng lời"')
    help_sheet = wb.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng là một người cao tuổi. Bắt buộc: Họ và tên, Giới tính, Ngày sinh hoặc Năm sinh.",
        f"Danh sách gồm người từ {settings.ISHC_OLDER_AGE} tuổi trở lên.",
        "Ngày ghi theo dạng ngày/tháng/năm, ví dụ 21/03/1946.",
        "Số thẻ BHYT: mã số BHXH 10 chữ số in trên thẻ, hoặc mã thẻ cũ 15 ký tự (ví dụ HT3010123456789).",
        "Dân tộc, khuyết tật và thẻ BHYT là thông tin nhạy cảm: chỉ ghi khi người đó đã đồng ý, "
        "và ghi ngày đồng ý cùng hình thức đồng ý.",
        "Cả tệp được nhập hoặc không dòng nào: sửa hết các lỗi được báo rồi tải lên lại.",
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_rows(persons: Iterable[OlderPerson], *, hidden: frozenset[str]) -> Iterator[list[Any]]:
    """The header and one row per person, without the fields the user may not see."""
    columns = [c for c in COLUMNS if c.key not in hidden]
    if hidden & set(services.SENSITIVE_FIELDS):
        columns = [c for c in columns if c.key not in ("consent_on", "consent_method")]
    yield [c.header for c in columns + EXPORT_EXTRA]
    for p in persons:
        values = {
            "full_name": p.full_name,
            "sex": SEX_LABELS.get(p.sex, ""),
            "birth_date": _dmy(p.birth_date),
            "birth_year": p.birth_year,
            "village": p.village,
            "address": p.address,
            "phone": p.phone,
            "is_association_member": YES if p.is_association_member else NO,
            "living": LIVING_LABELS.get(p.living, ""),
            "household_status": HOUSEHOLD_LABELS.get(p.household_status, ""),
            "support": SUPPORT_LABELS.get(p.support, ""),
            "ethnicity": p.ethnicity,
            "has_disability": YES if p.has_disability else NO,
            "insurance_number": p.insurance_number,
            "insurance_expiry": _dmy(p.insurance_expiry),
            "consent_on": _dmy(p.consent_on),
            "consent_method": CONSENT_LABELS.get(p.consent_method, ""),
            "commune": p.commune.name,
            "died_on": _dmy(p.died_on),
        }
        yield [safe_cell(values[c.key]) for c in columns + EXPORT_EXTRA]


def export_workbook(
    persons: Iterable[OlderPerson], *, hidden: frozenset[str], out: IO[bytes]
) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Người cao tuổi")
    rows = export_rows(persons, hidden=hidden)
    header = next(rows)
    by_header = {c.header: c for c in COLUMNS + EXPORT_EXTRA}
    write_only_header(ws, header, widths=[max(by_header[h].width, 12) for h in header])
    # A birth year is shown as 1945, not 1.945.
    plain = {i for i, h in enumerate(header) if by_header[h].key == "birth_year"}
    for row in rows:
        write_only_row(ws, row, plain=plain)
    wb.save(out)


# --- Reading ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if m := _DMY.match(text):
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    if m := _ISO.match(text):
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


def read_rows(upload: Any) -> list[dict[str, Any]]:
    """The sheet's filled rows as {column key: value, "row": number}; ImportFileError for a
    file refused whole."""
    check_upload(upload)
    max_rows = settings.ISHC_IMPORT_MAX_ROWS
    try:
        sheet = read_first_sheet(upload, max_columns=MAX_COLUMNS, max_filled_rows=max_rows + 1)
    except SpreadsheetRefused as exc:
        raise ImportFileError(exc.message) from exc
    if sheet.too_many:
        raise ImportFileError(
            _("The file has more than %(max)s people. Split it into smaller files.")
            % {"max": thousands(max_rows)}
        )
    header = sheet.rows[0] if sheet.rows else None
    if header is None or not any(v not in (None, "") for v in header):
        raise ImportFileError(_("The sheet is empty: it has no header row and no people."))
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
        raise ImportFileError(_("The sheet has no people: only the header row is filled in."))
    return out


def _word(
    raw: dict[str, Any], key: str, words: dict[str, Any], problems: list[str], label: str
) -> Any:
    text = _text(raw.get(key))
    if not text:
        return ""
    value = words.get(fold(text))
    if value is None:
        problems.append(
            _("%(column)s: “%(value)s” is not one of the listed values.")
            % {"column": label, "value": text}
        )
        return ""
    return value


def clean_row(raw: dict[str, Any], *, today: datetime.date) -> tuple[dict[str, Any], list[str]]:
    """One row: (JSON-ready values for an older person, problems in the user's language)."""
    problems: list[str] = []
    out: dict[str, Any] = {"row": raw["row"]}
    name = " ".join(_text(raw.get("full_name")).split())
    if not name:
        problems.append(_("Missing full name."))
    elif len(name) > 120:
        problems.append(_("The name is longer than 120 characters."))
    out["full_name"] = name[:120]
    sex_text = _text(raw.get("sex"))
    out["sex"] = SEX_WORDS.get(fold(sex_text), "")
    if not out["sex"]:
        problems.append(_("Sex must be “Nam” or “Nữ” (found “%(value)s”).") % {"value": sex_text})
    dates: dict[str, datetime.date | None] = {}
    for key, label in (
        ("birth_date", _("date of birth")),
        ("insurance_expiry", _("card expiry")),
        ("consent_on", _("date of consent")),
    ):
        try:
            dates[key] = _date(raw.get(key))
        except ValueError:
            dates[key] = None
            problems.append(
                _("Bad %(what)s “%(value)s”: write it as dd/mm/yyyy.")
                % {"what": label, "value": _text(raw.get(key))}
            )
    year_text = _text(raw.get("birth_year"))
    birth_year = int(year_text) if year_text.isdigit() else None
    if year_text and birth_year is None:
        problems.append(_("Bad year of birth “%(value)s”.") % {"value": year_text})
    if dates["birth_date"] and not birth_year:
        birth_year = dates["birth_date"].year
    out["village"] = _text(raw.get("village"))[:200]
    out["address"] = _text(raw.get("address"))[:300]
    try:
        out["phone"] = normalise_phone(_text(raw.get("phone")))
    except PhoneError:
        out["phone"] = ""
        problems.append(_("Bad phone number “%(value)s”.") % {"value": _text(raw.get("phone"))})
    member_flag = YES_WORDS.get(fold(_text(raw.get("is_association_member"))), False)
    out["is_association_member"] = bool(member_flag)
    out["living"] = _word(raw, "living", LIVING_WORDS, problems, _("Living situation"))
    out["household_status"] = _word(
        raw, "household_status", HOUSEHOLD_WORDS, problems, _("Household")
    )
    out["support"] = _word(raw, "support", SUPPORT_WORDS, problems, _("Allowance or pension"))
    ethnicity_text = _text(raw.get("ethnicity"))
    out["ethnicity"] = match_ethnicity(ethnicity_text) or "" if ethnicity_text else ""
    if ethnicity_text and not out["ethnicity"]:
        problems.append(_("Unknown ethnic group “%(value)s”.") % {"value": ethnicity_text})
    out["has_disability"] = bool(YES_WORDS.get(fold(_text(raw.get("has_disability"))), False))
    out["insurance_number"] = services.normalise_card(_text(raw.get("insurance_number")))
    values = {
        "birth_date": dates["birth_date"],
        "birth_year": birth_year,
        "insurance_number": out["insurance_number"],
        "insurance_expiry": dates["insurance_expiry"],
    }
    problems.extend(services.check_person(values, day=today).values())
    consent_method = _word(raw, "consent_method", CONSENT_WORDS, problems, _("Consent"))
    sensitive = out["ethnicity"] or out["has_disability"] or out["insurance_number"]
    if sensitive and not (dates["consent_on"] and consent_method):
        problems.append(
            _(
                "Ethnicity, disability or a health-insurance card without the date and the way "
                "the person agreed: fill in both consent columns or leave those cells empty."
            )
        )
    if dates["consent_on"] and dates["consent_on"] > today:
        problems.append(_("The date of consent cannot be in the future."))
    out["birth_date"] = dates["birth_date"].isoformat() if dates["birth_date"] else None
    out["birth_year"] = birth_year
    out["insurance_expiry"] = (
        dates["insurance_expiry"].isoformat() if dates["insurance_expiry"] else None
    )
    out["consent_on"] = dates["consent_on"].isoformat() if dates["consent_on"] else None
    out["consent_method"] = consent_method
    return out, problems


def import_prepare(
    *, commune: Area, upload: Any, by: Any, today: datetime.date
) -> OlderPersonImport:
    """Reads and checks every row; the checked rows and their problems wait in an import."""
    raw_rows = read_rows(upload)
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[tuple[str, int | None], int] = {}
    existing = set(
        OlderPerson.objects.filter(commune=commune).values_list("search_name", "birth_year")
    )
    for raw in raw_rows:
        row, row_problems = clean_row(raw, today=today)
        key = (fold(row["full_name"]), row["birth_year"])
        if key in seen:
            row_problems.append(
                _("The same person as row %(row)s (name and year of birth).") % {"row": seen[key]}
            )
        elif key in existing:
            row_problems.append(_("Already on the commune's register (name and year of birth)."))
        seen.setdefault(key, row["row"])
        problems.extend(
            _("Row %(row)s: %(problem)s") % {"row": row["row"], "problem": p} for p in row_problems
        )
        rows.append(row)
    return OlderPersonImport.objects.create(
        commune=commune,
        filename=str(getattr(upload, "name", ""))[:200],
        rows=rows,
        problems=problems,
        created_by=by,
    )


@transaction.atomic
def import_commit(*, job: OlderPersonImport, by: Any) -> OlderPersonImport:
    """Adds every row of a checked import, or none (a row refused rolls the whole file back)."""
    job = OlderPersonImport.objects.select_for_update().get(pk=job.pk)
    if job.done:
        raise services.EldersError(_("This file has already been imported."))
    if job.problems:
        raise services.EldersError(_("Correct the problems in the file and upload it again."))
    for row in job.rows:
        fields = {
            k: row[k]
            for k in (
                "full_name",
                "sex",
                "birth_year",
                "village",
                "address",
                "phone",
                "is_association_member",
                "living",
                "household_status",
                "support",
                "ethnicity",
                "has_disability",
                "insurance_number",
            )
        }
        for key in ("birth_date", "insurance_expiry"):
            fields[key] = datetime.date.fromisoformat(row[key]) if row.get(key) else None
        consent = None
        if row.get("consent_on") and row.get("consent_method"):
            consent = services.Consent(
                on=datetime.date.fromisoformat(row["consent_on"]), method=row["consent_method"]
            )
        try:
            services.person_create(commune=job.commune, fields=fields, consent=consent, by=by)
        except services.EldersError as exc:
            raise services.EldersError(
                _("Row %(row)s: %(problem)s")
                % {"row": row["row"], "problem": " ".join(exc.messages)}
            ) from exc
    job.done = True
    job.created_count = len(job.rows)
    job.rows = []
    job.save(update_fields=["done", "created_count", "rows"])
    return job
