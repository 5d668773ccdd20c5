"""The summary report for the central association as an .xlsx workbook, one sheet per topic.

Built from the same ``reports.selectors.dashboard`` figures as the pages, so the file and the
screen never disagree. Text cells that a spreadsheet would run as a formula (= + - @, and the
tab / carriage-return variants) are neutralised with a leading apostrophe.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts import privacy
from config.excel import format_sheet
from reports.models import ExportJob
from reports.periods import Period
from reports.selectors import Dashboard, Figures, dashboard

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """A cell value that cannot be taken for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _pct(value: Any) -> Any:
    return float(value) if value is not None else None


def _value(value: Any) -> Any:
    """A figure as a cell: a count suppressed for the reader (accounts.privacy) as "< 5"."""
    return str(value) if isinstance(value, privacy.Suppressed) else value


def _topics() -> list[tuple[str, list[tuple[str, Callable[[Figures], Any]]]]]:
    """(sheet title, [(column header, figure getter)])."""
    return [
        (
            _("Clubs"),
            [
                (_("Active clubs"), lambda f: f["clubs"]),
                (_("Founded this year"), lambda f: f["founded"]),
                (_("Clubs that met"), lambda f: f["met"]),
            ],
        ),
        (
            _("Members"),
            [
                (_("Members"), lambda f: f["members"]),
                (_("Older people"), lambda f: f["older"]),
                (_("Older people (%)"), lambda f: _pct(f.share("older"))),
                (_("Women"), lambda f: f["women"]),
                (_("Women (%)"), lambda f: _pct(f.share("women"))),
                (_("Younger people"), lambda f: f["younger"]),
                (_("Younger people (%)"), lambda f: _pct(f.share("younger"))),
                (_("Poor or near-poor"), lambda f: f["poor"]),
                (_("Poor or near-poor (%)"), lambda f: _pct(f.share("poor"))),
                (_("Home-care volunteers"), lambda f: f["volunteers"]),
                (_("Joined"), lambda f: f["joined"]),
                (_("Left"), lambda f: f["left"]),
            ],
        ),
        (
            _("Monthly reports"),
            [
                (_("Expected"), lambda f: f["reports_expected"]),
                (_("Submitted"), lambda f: f["reports_submitted"]),
                (_("Reviewed"), lambda f: f["reports_reviewed"]),
                (_("Approved"), lambda f: f["reports_approved"]),
                (_("Late or missing"), lambda f: f["reports_late"]),
            ],
        ),
        (
            _("Activities"),
            [
                (_("Meetings held"), lambda f: f["meetings_held"]),
                (_("Attendance rate (%)"), lambda f: _pct(f.attendance_rate)),
                (_("Activities"), lambda f: f["activities"]),
                (pgettext("activity", "Participants"), lambda f: f["activity_participants"]),
            ],
        ),
        (
            _("Home care"),
            [
                (_("People needing care"), lambda f: f["needing_care"]),
                (_("With a volunteer"), lambda f: f["cared_for"]),
                (_("With a volunteer (%)"), lambda f: _pct(f.care_share)),
                (_("Visits"), lambda f: f["visits"]),
                (_("People visited"), lambda f: f["visited"]),
            ],
        ),
        (
            _("Health"),
            [
                (_("Members checked"), lambda f: f["health_checked"]),
                (_("Coverage (%)"), lambda f: _pct(f.health_share)),
                (_("High readings"), lambda f: f["health_high"]),
                (_("High readings (%)"), lambda f: _pct(f.high_share)),
            ],
        ),
        (
            _("Funds"),
            [
                (_("Revolving funds (VND)"), lambda f: f["fund_revolving"]),
                (_("Operating funds (VND)"), lambda f: f["fund_operating"]),
                (_("Care funds (VND)"), lambda f: f["fund_care"]),
                (_("Other funds (VND)"), lambda f: f["fund_other"]),
            ],
        ),
        (
            _("Loans"),
            [
                (_("Outstanding (VND)"), lambda f: f["loans_outstanding"]),
                (_("PAR30 (VND)"), lambda f: f["loans_at_risk"]),
                (_("PAR30 (%)"), lambda f: _pct(f.par30)),
                (_("Members with a loan"), lambda f: f["borrowers"]),
                (_("Members with a loan (%)"), lambda f: _pct(f.borrower_share)),
                (_("Loans disbursed"), lambda f: f["loans_disbursed"]),
                (_("Amount disbursed (VND)"), lambda f: f["loans_disbursed_amount"]),
            ],
        ),
        (
            _("Trainings"),
            [
                (_("Clubs whose chair was trained"), lambda f: f["chair_trained"]),
                (_("Members trained"), lambda f: f["members_trained"]),
            ],
        ),
    ]


def write_workbook(
    board: Dashboard, out: IO[bytes], progress: Callable[[int], None] | None = None
) -> None:
    """One sheet per topic: a row per commune (or club), then the total."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook opens on
    topics = _topics()
    area_name = str(board.area) if board.area else _("Whole country")
    child_header = {"province": _("Province"), "commune": _("Commune/ward"), "club": _("Club")}[
        board.child_kind
    ]
    bold = Font(bold=True)
    for n, (title, columns) in enumerate(topics, start=1):
        ws = wb.create_sheet(title=title[:31])
        ws.append([safe(f"{area_name} · {board.period.label}")])
        ws["A1"].font = bold
        ws.append([safe(child_header), *(safe(str(h)) for h, _get in columns)])
        for cell in ws[2]:
            cell.font = bold
        for child in board.children:
            figures = child["figures"]
            ws.append([safe(str(child["obj"])), *(_value(get(figures)) for _h, get in columns)])
        ws.append([safe(_("Total")), *(_value(get(board.totals)) for _h, get in columns)])
        for cell in ws[ws.max_row]:
            cell.font = bold
        format_sheet(ws, header_row=2, first_column_frozen=True)
        if title == _("Activities") and board.activities:
            ws.append([])
            ws.append(
                [
                    safe(_("Activity area")),
                    safe(_("Activities")),
                    safe(pgettext("activity", "Participants")),
                ]
            )
            for cell in ws[ws.max_row]:
                cell.font = bold
            for a in board.activities:
                ws.append([safe(a["activity_area__name"]), a["n"], _value(a["participants"])])
        if progress is not None:
            progress(round(100 * n / len(topics)))
    wb.save(out)


def export_build(*, job_id: int) -> bool:
    """Build a queued export. Claims it with a conditional UPDATE, so running it twice (a
    retried task) builds it once. Returns whether this call built it."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, progress=0
    )
    if not claimed:
        return False
    job = ExportJob.objects.select_related("area", "created_by").get(pk=job_id)
    try:
        period = Period(job.year, job.month, timezone.localdate())
        # The figures as the person who asked may see them (accounts.privacy).
        board = dashboard(area=job.area, period=period, viewer=job.created_by)

        def progress(percent: int) -> None:
            ExportJob.objects.filter(pk=job_id).update(progress=min(percent, 99))

        buf = io.BytesIO()
        write_workbook(board, buf, progress)
        name = f"{slugify(job.area.name) or 'area'}-{job.period_param}.xlsx"
        job.file.save(name, ContentFile(buf.getvalue()), save=False)
        job.status = ExportJob.Status.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "progress", "finished_at"])
    except Exception as exc:
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, message=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    return True
