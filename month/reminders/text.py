"""Reminder texts. Members read Vietnamese whatever the UI language, so these are not gettext."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

MEMBER_TEMPLATE = "{club}: sinh hoạt định kỳ {time} ngày {date} tại {place}."
DIGEST_TEMPLATE = "{club}: đã nhắc {count} thành viên về buổi sinh hoạt {time} ngày {date}."


def _parts(club_name: str, starts_at: datetime.datetime, place: str) -> dict[str, str]:
    local = timezone.localtime(starts_at)
    return {
        "club": club_name,
        "time": local.strftime("%H:%M"),
        "date": local.strftime("%d/%m"),
        "place": place or "nơi sinh hoạt của CLB",
    }


def member_message(club_name: str, starts_at: datetime.datetime, place: str) -> str:
    template = getattr(settings, "ISHC_SMS_TEMPLATE", "") or MEMBER_TEMPLATE
    return template.format(**_parts(club_name, starts_at, place))


def digest_message(club_name: str, starts_at: datetime.datetime, count: int) -> str:
    return DIGEST_TEMPLATE.format(count=count, **_parts(club_name, starts_at, ""))
