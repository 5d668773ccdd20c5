"""Text helpers shared by every app."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """An accent-free, lower-case key: "Nguyễn Thị Tư" -> "nguyen thi tu".

    Stored beside names so that a search typed without diacritics (as on most phones) finds
    them, with the same result on SQLite and PostgreSQL.
    """
    if not text:
        return ""
    return _SPACES.sub(" ", unidecode(text).lower()).strip()
