"""What a report upward looks like: the annex as rows to show, the narrative with its quoted
figures, the A4 page's heading, the Word file and the annex workbook.

Counts of people are shown as the reader may see them (``accounts.privacy``: a viewer reads
"< 5" for a small group), on the page and in the files alike.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import privacy
from accounts.templatetags.ishc import thousands
from clubs.models import Area
from reports import periodic
from reports.exports import safe
from reports.models import PeriodicReport, narrative_label

if TYPE_CHECKING:
    from accounts.scoping import Viewer

QUOTE = re.compile(r"\[\[([a-z_]+\.[a-z0-9_]+)\]\]")


def _shown(value: Any, kind: str, reader: Viewer) -> Any:
    if kind == periodic.PEOPLE and value is not None:
        return privacy.shown_count(reader, value)
    return value


def text_of(value: Any, kind: str) -> str:
    """A figure as Vietnamese writes it: 1.500.000 ₫, 65,2 %, 1.234; "–" when unknown."""
    if value is None:
        return "–"
    if isinstance(value, privacy.Suppressed):
        return str(value)
    if kind == periodic.PERCENT:
        return f"{float(value):.1f}".replace(".", ",") + " %"
    if kind == periodic.MONEY:
        return thousands(int(value)) + " ₫"
    return thousands(int(value))


@dataclass
class Line:
    section: str
    key: str
    label: str
    kind: str
    value: Any
    previous: Any
    change: Any
    sub: bool

    @property
    def value_text(self) -> str:
        return text_of(self.value, self.kind)

    @property
    def previous_text(self) -> str:
        return text_of(self.previous, self.kind)

    @property
    def change_text(self) -> str:
        if self.change is None:
            return "–"
        sign = "+" if self.change > 0 else ""
        return sign + text_of(self.change, self.kind)

    @property
    def quote(self) -> str:
        return f"[[{self.section}.{self.key}]]"


@dataclass
class Block:
    key: str
    title: str
    lines: list[Line]


def blocks(annex: dict[str, Any], reader: Viewer) -> list[Block]:
    """The annex's sections as the reader may see them."""
    out = []
    for s in annex.get("sections", []):
        layout = periodic.SECTIONS.get(s["key"])
        lines = []
        for r in s["rows"]:
            value = _shown(r.get("value"), r["kind"], reader)
            previous = _shown(r.get("previous"), r["kind"], reader)
            hidden = isinstance(value, privacy.Suppressed) or isinstance(
                previous, privacy.Suppressed
            )
            lines.append(
                Line(
                    section=s["key"],
                    key=r["key"],
                    label=periodic.label_of(s["key"], r),
                    kind=r["kind"],
                    value=value,
                    previous=previous,
                    change=None if hidden else periodic.change_of(r),
                    sub=bool(r.get("sub")),
                )
            )
        out.append(Block(s["key"], str(layout.title if layout else s["key"]), lines))
    return out


def quotes(annex: dict[str, Any], reader: Viewer) -> dict[str, str]:
    """``section.row`` -> the figure's text, for ``[[section.row]]`` in the narrative."""
    return {
        f"{b.key}.{line.key}": line.value_text for b in blocks(annex, reader) for line in b.lines
    }


def with_figures(text: str, figures: dict[str, str]) -> str:
    """The narrative with each ``[[section.row]]`` replaced by the figure (an unknown one
    stays as typed, so a typo shows)."""
    return QUOTE.sub(lambda m: figures.get(m.group(1), m.group(0)), text or "")


def narrative(report: PeriodicReport, reader: Viewer) -> list[tuple[str, str]]:
    """(heading, text with figures) of each section of the narrative, in order. Free text
    written by staff may name people: viewers (aggregates only) get none of it."""
    if not privacy.may_see_people(reader):
        return []
    figures = quotes(report.annex, reader)
    return [
        (narrative_label(name).capitalize(), with_figures(getattr(report, name), figures))
        for name in PeriodicReport.NARRATIVE_FIELDS
    ]


def issuer(area: Area) -> tuple[str, str]:
    """The issuing unit's two heading lines, as associations head their documents."""
    if area.level == Area.Level.PROVINCE:
        return (
            _("VIETNAM ASSOCIATION OF THE ELDERLY"),
            _("ASSOCIATION OF THE ELDERLY OF %(name)s") % {"name": area.name.upper()},
        )
    parent = area.province
    return (
        _("ASSOCIATION OF THE ELDERLY OF %(name)s") % {"name": parent.name.upper()}
        if parent
        else _("VIETNAM ASSOCIATION OF THE ELDERLY"),
        _("ASSOCIATION OF THE ELDERLY OF %(name)s") % {"name": area.name.upper()},
    )


def title(report: PeriodicReport) -> str:
    if report.kind == PeriodicReport.Kind.SIX_MONTH:
        what = (
            _("Review of the work of the first six months of %(year)s")
            if report.half == 1
            else _("Review of the work of the last six months of %(year)s")
        )
    elif report.kind == PeriodicReport.Kind.ANNUAL:
        what = _("Review of the work of the year %(year)s")
    else:
        what = _("Progress of the intergenerational self-help club programme in %(year)s")
    return what % {"year": report.year}


def workbook(report: PeriodicReport, reader: Viewer) -> bytes:
    """The annex as .xlsx: one sheet, a row per figure, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    ws = wb.create_sheet(index=0)
    for other in wb.worksheets[1:]:
        wb.remove(other)
    ws.title = _("Annex")[:31]
    ws.append([safe(title(report))])
    ws.append([safe(str(report.area)), safe(report.period_label)])
    ws.append([])
    ws.append(
        [_("Figure"), _("This period"), _("Same period a year before"), pgettext("annex", "Change")]
    )
    head = ws.max_row
    for cell in ws[head]:
        cell.font = Font(bold=True)
    formats = {periodic.MONEY: "#,##0", periodic.PERCENT: "0.0", periodic.COUNT: "#,##0"}
    formats[periodic.PEOPLE] = "#,##0"
    for block in blocks(report.annex, reader):
        ws.append([safe(block.title)])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for line in block.lines:
            values = [
                v if not isinstance(v, privacy.Suppressed) else str(v)
                for v in (line.value, line.previous, line.change)
            ]
            ws.append([safe(("    " if line.sub else "  ") + line.label), *values])
            for cell in ws[ws.max_row][1:]:
                cell.number_format = formats.get(line.kind, "General")
    ws.freeze_panes = ws.cell(head + 1, 2)
    ws.column_dimensions["A"].width = 60
    for col in "BCD":
        ws.column_dimensions[col].width = 22
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def document(report: PeriodicReport, reader: Viewer) -> bytes:
    """The report as a Word file in the administrative layout, for staff to finish and sign."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    upper, unit = issuer(report.area)
    left.text = f"{upper}\n{unit}\n{pgettext('document', 'No.')} {report.number or '…'}"
    right.text = _("SOCIALIST REPUBLIC OF VIETNAM") + "\n" + _("Independence – Freedom – Happiness")
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in p.runs:
                run.bold = True
    when = doc.add_paragraph(
        _("%(place)s, day %(d)s month %(m)s year %(y)s")
        % {
            "place": (report.area.province or report.area).name,
            "d": "…",
            "m": "…",
            "y": "…",
        }
    )
    when.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(_("REPORT") + "\n" + title(report))
    run.bold = True
    for number, (name, text) in enumerate(narrative(report, reader), start=1):
        doc.add_paragraph().add_run(f"{number}. {name}").bold = True
        for para in (text or "").splitlines() or [""]:
            doc.add_paragraph(para)
    doc.add_page_break()
    doc.add_paragraph().add_run(_("Statistical annex")).bold = True
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [
            _("Figure"),
            _("This period"),
            _("Same period a year before"),
            pgettext("annex", "Change"),
        ],
        strict=True,
    ):
        cell.text = text
    for block in blocks(report.annex, reader):
        row = table.add_row().cells
        row[0].text = block.title
        for line in block.lines:
            cells = table.add_row().cells
            cells[0].text = ("    " if line.sub else "  ") + line.label
            cells[1].text = line.value_text
            cells[2].text = line.previous_text
            cells[3].text = line.change_text
    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.add_run(
        "\n" + (report.signer_position or _("ON BEHALF OF THE STANDING COMMITTEE")).upper()
    ).bold = True
    sign.add_run("\n\n\n" + (report.signer_name or ""))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
