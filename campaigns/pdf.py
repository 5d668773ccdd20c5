"""A commendation's certificate as PDF, with the trainings' reportlab set-up (DejaVu fonts
for the Vietnamese letters)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from campaigns.models import Commendation
from trainings.pdf import _fonts, _wrap


def certificate_pdf(commendation: Commendation) -> bytes:
    """One landscape A4 page: the level, who is commended, for what, the decision."""
    regular, bold = _fonts()
    width, height = landscape(A4)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    drive = commendation.drive
    canvas.setTitle(f"{commendation.get_level_display()} – {commendation.recipient_name}")
    canvas.setAuthor(f"Hội Người cao tuổi {drive.organiser}")
    canvas.setLineWidth(3)
    canvas.rect(30, 30, width - 60, height - 60)
    canvas.setLineWidth(1)
    canvas.rect(38, 38, width - 76, height - 76)
    y = height - 90
    canvas.setFont(bold, 13)
    canvas.drawCentredString(width / 2, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    canvas.setFont(regular, 12)
    canvas.drawCentredString(width / 2, y - 18, "Độc lập - Tự do - Hạnh phúc")
    canvas.setFont(bold, 26)
    level = str(commendation.get_level_display()).upper()
    for i, line in enumerate(_wrap(level, bold, 26, width - 140)[:2]):
        canvas.drawCentredString(width / 2, y - 75 - i * 30, line)
    canvas.setFont(regular, 14)
    canvas.drawCentredString(width / 2, y - 150, "Tặng")
    canvas.setFont(bold, 24)
    canvas.drawCentredString(width / 2, y - 190, commendation.recipient_name[:80])
    canvas.setFont(regular, 13)
    where = (
        f"{commendation.club} · {commendation.area}"
        if commendation.club_id
        else str(commendation.area)
    )
    canvas.drawCentredString(width / 2, y - 214, where[:120])
    canvas.setFont(regular, 14)
    text = commendation.reason or "Đã có thành tích xuất sắc trong"
    lines = _wrap(f"{text} – {drive.title}", regular, 14, width - 160)
    for i, line in enumerate(lines[:3]):
        canvas.drawCentredString(width / 2, y - 250 - i * 20, line)
    canvas.setFont(regular, 12)
    canvas.drawString(
        80,
        92,
        f"Quyết định số {commendation.decision_number} ngày {commendation.decision_date:%d/%m/%Y}",
    )
    canvas.drawString(width - 300, 92, f"Hội Người cao tuổi {drive.organiser}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
