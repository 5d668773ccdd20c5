"""Campaigns and emulation drives for tests, made through the real services where money or a
sign-off is involved."""

import datetime
import io

from campaigns import services
from campaigns.models import Campaign, EmulationDrive
from funds.models import Fund
from funds.services import entry_record, fund_create

START = datetime.date(2024, 10, 1)
END = datetime.date(2024, 10, 31)
IN_CAMPAIGN = datetime.date(2024, 10, 15)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name: str, content: bytes = PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def action_month(cast, *, by=None, communes=None, **kwargs) -> Campaign:
    """The province A's October Action Month, deployed to its two communes."""
    return services.campaign_create(
        title=kwargs.pop("title", "Tháng hành động vì NCT 2024"),
        kind=Campaign.Kind.ACTION_MONTH,
        organiser=cast.province_a,
        starts_on=kwargs.pop("starts_on", START),
        ends_on=kwargs.pop("ends_on", END),
        theme="Chăm sóc và phát huy vai trò người cao tuổi",
        deployed_to=communes if communes is not None else [cast.commune_a1, cast.commune_a2],
        by=by or cast.province,
        **kwargs,
    )


def care_fund(area, *, balance: int = 0) -> Fund:
    fund = fund_create(kind=Fund.Kind.CARE, name=f"Quỹ chăm sóc NCT {area.name}", owner_area=area)
    if balance:
        entry_record(
            fund=fund,
            date=datetime.date(2024, 9, 1),
            amount=balance,
            direction="in",
            category="opening",
            by=None,
        )
        fund.refresh_from_db()
    return fund


def drive(cast, *, by=None, criteria=(("Phát triển hội viên", 30, "Danh sách"),)) -> EmulationDrive:
    return services.drive_create(
        title="Đợt thi đua đặc biệt 2024–2025",
        organiser=cast.province_a,
        starts_on=datetime.date(2024, 6, 1),
        ends_on=datetime.date(2099, 12, 31),
        occasion="80 năm Cách mạng Tháng Tám",
        criteria=list(criteria),
        by=by or cast.province,
    )


def file_obj(content: bytes = PDF) -> io.BytesIO:
    return io.BytesIO(content)
