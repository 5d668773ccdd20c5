"""Certificates of attendance as PDF (reportlab), in a font that has Vietnamese letters."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from trainings.models import Participant, Training, TrainingSession

# Debian's fonts-dejavu-core covers every Vietnamese letter. reportlab's own Vera does not
# (it has no ơ, ư, ạ …), so it is only a last resort that keeps the page readable.
FONT_CANDIDATES = [
    (
        "DejaVuSans",
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
]


def _fonts() -> tuple[str, str]:
    for name, regular, bold in FONT_CANDIDATES:
        if regular.exists():
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(regular)))
                bold_name = f"{name}-Bold"
                pdfmetrics.registerFont(TTFont(bold_name, str(bold if bold.exists() else regular)))
            return name, f"{name}-Bold"
    import reportlab

    fonts = Path(reportlab.__file__).parent / "fonts"
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", str(fonts / "VeraBd.ttf")))
    return "Vera", "VeraBd"


def font_in_use() -> str:
    return _fonts()[0]


def _page(
    canvas: Canvas,
    *,
    training: Training,
    participant: Participant,
    days: list[TrainingSession],
    regular: str,
    bold: str,
) -> None:
    width, height = landscape(A4)
    canvas.setLineWidth(3)
    canvas.rect(30, 30, width - 60, height - 60)
    canvas.setLineWidth(1)
    canvas.rect(38, 38, width - 76, height - 76)
    y = height - 90
    canvas.setFont(bold, 13)
    canvas.drawCentredString(width / 2, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    canvas.setFont(regular, 12)
    canvas.drawCentredString(width / 2, y - 18, "Độc lập - Tự do - Hạnh phúc")
    canvas.setFont(bold, 30)
    canvas.drawCentredString(width / 2, y - 80, _("CERTIFICATE OF ATTENDANCE"))
    canvas.setFont(regular, 14)
    canvas.drawCentredString(
        width / 2,
        y - 115,
        _("%(organiser)s certifies that")
        % {"organiser": f"Hội Người cao tuổi {training.organiser}"},
    )
    canvas.setFont(bold, 24)
    canvas.drawCentredString(width / 2, y - 155, participant.full_name)
    canvas.setFont(regular, 13)
    role = participant.title or participant.get_position_display()
    if participant.unit:
        role = f"{role} · {participant.unit}"
    canvas.drawCentredString(width / 2, y - 180, role[:120])
    canvas.setFont(regular, 14)
    canvas.drawCentredString(width / 2, y - 215, _("attended the training"))
    canvas.setFont(bold, 15)
    title = training.title
    lines = _wrap(title, bold, 15, width - 160)
    for i, line in enumerate(lines[:3]):
        canvas.drawCentredString(width / 2, y - 240 - i * 20, line)
    canvas.setFont(regular, 13)
    attended = ", ".join(f"{s.day:%d/%m/%Y}" for s in days)
    canvas.drawCentredString(
        width / 2,
        y - 250 - len(lines[:3]) * 20,
        _("Days attended: %(days)s") % {"days": attended},
    )
    if training.venue:
        canvas.drawCentredString(width / 2, y - 270 - len(lines[:3]) * 20, training.venue[:120])
    canvas.setFont(regular, 12)
    canvas.drawString(width - 300, 110, f"{training.ends_on:%d/%m/%Y}")
    canvas.drawString(width - 300, 92, _("On behalf of the organisers"))


def _wrap(text: str, font: str, size: int, max_width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= max_width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def certificates_pdf(
    *, training: Training, entries: Iterable[tuple[Participant, list[TrainingSession]]]
) -> bytes:
    """One landscape A4 page per participant who attended at least one day."""
    regular, bold = _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    canvas.setTitle(training.title)
    canvas.setAuthor(f"Hội Người cao tuổi {training.organiser}")
    for participant, days in entries:
        _page(
            canvas,
            training=training,
            participant=participant,
            days=days,
            regular=regular,
            bold=bold,
        )
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
