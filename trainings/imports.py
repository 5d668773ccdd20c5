"""Reading a participant list from an .xlsx file into rows and row problems (in the UI
language), before anything is saved. Saving is ``services.participants_import``: all or none."""

from __future__ import annotations

from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from clubs.models import Area
from config.spreadsheets import SpreadsheetRefused, read_first_sheet
from config.text import fold
from members.ethnicities import match_ethnicity
from trainings.models import Participant, Training
from trainings.services import duplicate_of, normalize_phone

MAX_ROWS = 1000
MAX_FILE_BYTES = 5 * 1024 * 1024
# Columns read from an upload: the list's own rarely pass a dozen (STT, name, position, unit,
# area, sex, ethnicity, phone, notes …). A sheet claiming 16,384 columns costs no more.
MAX_COLUMNS = 30

# Column headers as people write them (folded), for each field.
HEADERS = {
    "full_name": ("ho va ten", "ho ten", "full name", "name", "ten"),
    "title": ("chuc vu", "position", "chuc danh"),
    "unit": ("don vi", "unit", "co quan"),
    "area": ("dia ban", "area", "xa/phuong", "xa", "ma dia ban"),
    "sex": ("gioi tinh", "sex"),
    "ethnicity": ("dan toc", "ethnicity"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "phone"),
}
REQUIRED = ("full_name", "title", "sex")


def area_choices(training: Training) -> QuerySet[Area]:
    """Where participants may come from: the organiser's province and every unit in it."""
    organiser = training.organiser
    province_id = organiser.pk if organiser.level == Area.Level.PROVINCE else organiser.province_id
    return Area.objects.filter(Q(pk=province_id) | Q(province_id=province_id))


def classify_position(text: str) -> str:
    """A written title ("Phó Chủ tịch Hội NCT huyện Tam Đường") -> a Participant.Position."""
    t = fold(text)
    P = Participant.Position
    for value, label in P.choices:
        if t in (value, fold(str(label))):
            return value
    if "clb" in t or "cau lac bo" in t or "chu nhiem" in t:
        return P.CLUB_CHAIR if ("chu nhiem" in t and "pho" not in t) else P.CLUB_BOARD
    vice = "pho chu tich" in t
    if "chu tich" in t:
        if "huyen" in t or "thanh pho" in t or "thi xa" in t:
            return P.DISTRICT_VICE if vice else P.DISTRICT_CHAIR
        if "xa" in t or "phuong" in t or "thi tran" in t:
            return P.COMMUNE_VICE if vice else P.COMMUNE_CHAIR
        if "tinh" in t:
            return P.PROVINCE_LEADER
    if "can bo" in t or "van phong" in t or "chuyen vien" in t:
        return P.STAFF
    return P.OTHER


def parse_sex(text: str) -> str | None:
    t = fold(text)
    if t in ("nam", "m", "male", "trai"):
        return Participant.Sex.MALE
    if t in ("nu", "f", "female", "gai"):
        return Participant.Sex.FEMALE
    return None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_workbook(fileobj: IO[bytes]) -> tuple[list[list[str]], str]:
    """The first sheet's rows as text, and a notice about rows that were not read ("" if
    none); raises ValueError with a message for a bad, too large or too long file.

    Read through ``config.spreadsheets``: the archive is checked before parsing, only the
    first ``MAX_COLUMNS`` columns are read, and a run of empty rows ends the list.
    """
    try:
        # The participants, their header and up to 9 title rows above it.
        sheet = read_first_sheet(fileobj, max_columns=MAX_COLUMNS, max_filled_rows=MAX_ROWS + 10)
    except SpreadsheetRefused as exc:
        raise ValueError(exc.message) from exc
    if sheet.too_many:
        raise ValueError(_("The list has more than %(n)s rows.") % {"n": MAX_ROWS})
    return [[_cell(v) for v in row] for row in sheet.rows], sheet.notice


def parse_rows(
    raw: list[list[str]], *, training: Training
) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """(rows ready to save, [(row number, problem)]). Row numbers are the sheet's."""
    problems: list[tuple[int, str]] = []
    # The header is the first row that names a full-name column (titles may sit above it).
    header_at, columns = None, {}
    for i, row in enumerate(raw[:10]):
        keys = [fold(c).rstrip(":* ") for c in row]
        found = {
            field: keys.index(alias)
            for field, aliases in HEADERS.items()
            for alias in aliases
            if alias in keys
        }
        if "full_name" in found:
            header_at, columns = i, found
            break
    if header_at is None:
        return [], [(1, _("No header row with a “Họ và tên” (full name) column was found."))]
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        names = {"full_name": "Họ và tên", "title": "Chức vụ", "sex": "Giới tính"}
        return [], [
            (
                header_at + 1,
                _("Missing column(s): %(cols)s.") % {"cols": ", ".join(names[m] for m in missing)},
            )
        ]
    areas = list(area_choices(training))
    by_code = {a.code: a for a in areas}
    by_name: dict[str, Area] = {}
    for a in areas:
        by_name.setdefault(a.search_name, a)
    rows: list[dict[str, Any]] = []
    seen_phone: dict[str, int] = {}
    seen_name: dict[tuple[str, str], int] = {}
    for i, row in enumerate(raw[header_at + 1 :], start=header_at + 2):
        values = {f: (row[c] if c < len(row) else "") for f, c in columns.items()}
        if not any(values.values()):
            continue
        errs = []
        name = " ".join(values.get("full_name", "").split())
        if not name:
            errs.append(_("the full name is missing"))
        elif len(name) > 120:
            errs.append(_("the full name is too long"))
        title = values.get("title", "")[:200]
        if not title:
            errs.append(_("the position is missing"))
        sex = parse_sex(values.get("sex", ""))
        if sex is None:
            errs.append(_("sex must be “Nam” or “Nữ”"))
        ethnicity = ""
        if values.get("ethnicity"):
            ethnicity = match_ethnicity(values["ethnicity"]) or ""
            if not ethnicity:
                errs.append(_("unknown ethnic group “%(v)s”") % {"v": values["ethnicity"][:40]})
        area = None
        if values.get("area"):
            area = by_code.get(values["area"]) or by_name.get(fold(values["area"]))
            if area is None:
                errs.append(
                    _("unknown area “%(v)s” (give a code or name in the province)")
                    % {"v": values["area"][:60]}
                )
        phone = normalize_phone(values.get("phone", ""))
        if values.get("phone") and not (9 <= len(phone) <= 11):
            errs.append(_("the phone number “%(v)s” is not valid") % {"v": values["phone"][:20]})
        unit = values.get("unit", "")[:200]
        data = {
            "row": i,
            "full_name": name,
            "title": title,
            "position": classify_position(title),
            "unit": unit,
            "area": area,
            "sex": sex,
            "ethnicity": ethnicity,
            "phone": phone,
        }
        if name:
            key = (fold(name), fold(unit))
            if key in seen_name:
                errs.append(_("same name and unit as row %(row)s") % {"row": seen_name[key]})
            seen_name.setdefault(key, i)
        if phone:
            if phone in seen_phone:
                errs.append(_("same phone number as row %(row)s") % {"row": seen_phone[phone]})
            seen_phone.setdefault(phone, i)
        if not errs and (dup := duplicate_of(training, data)):
            errs.append(dup[1])
        for err in errs:
            problems.append((i, err))
        rows.append(data)
    if not rows and not problems:
        problems.append((header_at + 2, _("The list has no participants.")))
    count = training.participants.count()
    if training.capacity is not None and count + len(rows) > training.capacity:
        problems.append(
            (
                0,
                _(
                    "The training is full: capacity %(capacity)s, %(count)s registered, "
                    "%(adding)s in the file."
                )
                % {"capacity": training.capacity, "count": count, "adding": len(rows)},
            )
        )
    return rows, problems


def rows_to_session(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "area": r["area"].pk if r["area"] else None} for r in rows]


def rows_from_session(stored: list[dict[str, Any]], *, training: Training) -> list[dict[str, Any]]:
    areas = area_choices(training).in_bulk([r["area"] for r in stored if r.get("area")])
    return [{**r, "area": areas.get(r["area"]) if r.get("area") else None} for r in stored]
