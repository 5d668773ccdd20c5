"""Longevity greeting cards (thiếp mừng thọ) as PDF (reportlab), one page a celebration, in a
font that has every Vietnamese letter (Debian's DejaVu, as the training certificates use)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from elders.models import LongevityCelebration

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    regular, bold = DEJAVU / "DejaVuSerif.ttf", DEJAVU / "DejaVuSerif-Bold.ttf"
    if not regular.exists():
        regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists():
        if "EldersCard" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("EldersCard", str(regular)))
            pdfmetrics.registerFont(
                TTFont("EldersCard-Bold", str(bold if bold.exists() else regular))
            )
        return "EldersCard", "EldersCard-Bold"
    import reportlab

    fonts = Path(reportlab.__file__).parent / "fonts"
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", str(fonts / "VeraBd.ttf")))
    return "Vera", "VeraBd"


def _page(canvas: Canvas, c: LongevityCelebration, regular: str, bold: str) -> None:
    width, height = landscape(A5)
    canvas.setStrokeColorRGB(0.7, 0.1, 0.1)
    canvas.setLineWidth(3)
    canvas.rect(20, 20, width - 40, height - 40)
    canvas.setLineWidth(1)
    canvas.rect(27, 27, width - 54, height - 54)
    canvas.setFillColorRGB(0.6, 0.05, 0.05)
    y = height - 70
    canvas.setFont(bold, 11)
    canvas.drawCentredString(width / 2, y, f"{c.get_given_by_display()}".upper())
    canvas.setFont(bold, 30)
    canvas.drawCentredString(width / 2, y - 50, _("LONGEVITY GREETINGS"))
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(regular, 14)
    canvas.drawCentredString(width / 2, y - 85, _("With respect and best wishes to"))
    canvas.setFont(bold, 22)
    canvas.drawCentredString(width / 2, y - 120, c.person.full_name)
    canvas.setFont(regular, 14)
    age = _("aged 100 and over") if c.milestone == 100 else _("aged %(age)s") % {"age": c.milestone}
    canvas.drawCentredString(
        width / 2,
        y - 148,
        _("on reaching the longevity of %(age)s, %(year)s") % {"age": age, "year": c.year},
    )
    canvas.setFont(regular, 11)
    canvas.drawCentredString(
        width / 2, y - 172, f"{c.person.village}, {c.person.commune.name}".strip(", ")
    )
    canvas.drawRightString(
        width - 60,
        50,
        _("%(occasion)s, %(day)s")
        % {"occasion": c.get_occasion_display(), "day": c.held_on.strftime("%d/%m/%Y")},
    )


def cards_pdf(celebrations: Iterable[LongevityCelebration]) -> bytes:
    """One greeting card a page, in the order given."""
    regular, bold = _fonts()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=landscape(A5))
    canvas.setTitle(_("Longevity greetings"))
    pages = 0
    for celebration in celebrations:
        _page(canvas, celebration, regular, bold)
        canvas.showPage()
        pages += 1
    if not pages:
        canvas.setFont(regular, 14)
        canvas.drawString(60, 300, _("No celebration recorded."))
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
