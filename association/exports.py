"""The assessment results and the founding plan's progress as .xlsx: the same figures as the
pages. Text cells go through ``members.excel.safe_cell``: nothing typed by a user can run as
a formula when the file is opened."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from association.models import AssessmentClass, AssessmentRound, FoundingPlan, UnitAssessment
from config.excel import format_sheet
from funds.books import xlsx_response
from members.excel import safe_cell

__all__ = ["assessment_workbook", "plan_workbook", "xlsx_response"]


def _sheet(wb: Workbook, title: str) -> Worksheet:
    ws = wb.active
    if not isinstance(ws, Worksheet):  # a new workbook opens on one worksheet
        ws = wb.create_sheet()
    ws.title = title[:31]
    return ws


def _write(ws: Worksheet, heading: str, header: list[str], rows: Iterable[list[Any]]) -> None:
    ws.append([safe_cell(heading)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([safe_cell(h) for h in header])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    format_sheet(ws, header_row=3)


def _bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def assessment_workbook(rnd: AssessmentRound, rows: list[UnitAssessment]) -> bytes:
    labels = dict(AssessmentClass.choices)
    wb = Workbook()
    ws = _sheet(wb, _("Results"))
    _write(
        ws,
        rnd.title,
        [
            _("Rank"),
            _("Association unit"),
            _("Status"),
            _("Self-assessed points"),
            _("Final points"),
            _("Class"),
            _("Lowest criteria"),
            _("Province's comment"),
        ],
        (
            [
                i,
                a.unit.name,
                a.get_status_display(),
                float(a.self_total),
                float(a.final_total) if a.final_total is not None else None,
                str(labels.get(a.result, "")),
                "; ".join(s.criterion.name for s in getattr(a, "reasons", [])),
                a.comment,
            ]
            for i, a in enumerate(rows, start=1)
        ),
    )
    crit = wb.create_sheet(_("Criteria"))
    _write(
        crit,
        rnd.title,
        [_("Group"), _("Criterion"), _("Maximum points"), _("How to score")],
        ([c.group, c.name, float(c.max_points), c.guidance] for c in rnd.criteria.all()),
    )
    return _bytes(wb)


def plan_workbook(plan: FoundingPlan, grid: list[dict[str, Any]]) -> bytes:
    wb = Workbook()
    ws = _sheet(wb, _("Plan and actual"))
    header = [_("Commune/ward")]
    for y in plan.years:
        header += [_("%(year)s planned") % {"year": y}, _("%(year)s founded") % {"year": y}]
    header += [_("Total planned"), _("Total founded")]
    _write(
        ws,
        plan.title,
        header,
        (
            [row["commune"].name]
            + [v for cell in row["cells"] for v in (cell["planned"], cell["actual"])]
            + [row["planned"], row["actual"]]
            for row in grid
        ),
    )
    return _bytes(wb)
