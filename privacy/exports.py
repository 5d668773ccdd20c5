"""A person's copy of their data as files: an Excel workbook (one sheet per topic) and JSON.

Both carry the same rows (``privacy.selectors.person_data``). In the workbook every text cell
goes through ``members.excel.safe_cell`` (nothing can run as a formula) and the headings are
in the user's language; the JSON keeps the column keys, for a machine to read.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook

from config.excel import write_only_header, write_only_row
from members.excel import safe_cell
from privacy.selectors import TOPICS, PersonData, column_label

# Characters Excel refuses in a sheet's name, and its length limit.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31


def _sheet_title(title: str) -> str:
    return _SHEET_FORBIDDEN.sub(" ", title)[:_SHEET_MAX]


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    """The keys of the rows, in the order they first appear."""
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return list(keys)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float | Decimal):
        return value
    return safe_cell(force_str(value))


def workbook(data: PersonData) -> bytes:
    """The .xlsx: one sheet per topic (a topic with nothing held keeps its sheet, with its
    heading only, so the person sees that nothing is held)."""
    wb = Workbook(write_only=True)
    for key, title, model in TOPICS:
        rows = data.topics.get(key, [])
        sheet = wb.create_sheet(_sheet_title(str(title)))
        columns = _columns(rows) or ["record"]
        write_only_header(sheet, [column_label(model, c) for c in columns])
        for row in rows:
            write_only_row(sheet, [_cell(row.get(c)) for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Promise):
        return force_str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def json_document(data: PersonData) -> bytes:
    """The JSON: the records and, by topic key, the rows (dates in ISO 8601)."""
    document = {
        "generated_at": timezone.now(),
        "records": [m.pk for m in data.records],
        "topics": {key: data.topics.get(key, []) for key, _t, _m in TOPICS},
    }
    return json.dumps(document, default=_json_value, ensure_ascii=False, indent=2).encode()
