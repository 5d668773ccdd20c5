"""The 54 ethnic groups officially recognised in Vietnam (code order of the GSO list)."""

from django.utils.translation import gettext_lazy as _

ETHNIC_GROUPS: list[str] = [
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Mông", "Dao", "Gia-rai",
    "Ngái", "Ê-đê", "Ba-na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ", "Khơ-mú",
    "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha",
    "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y",
    "Si La", "Pu Péo", "Brâu", "Ơ-đu", "Rơ-măm",
]  # fmt: skip

assert len(ETHNIC_GROUPS) == 54  # noqa: S101 - a data error here must stop the app at start

# Stored value: the official name; shown as is in both languages (proper names).
ETHNICITY_CHOICES = [("", _("— not recorded —"))] + [(name, name) for name in ETHNIC_GROUPS]

_FOLDED = None


def match_ethnicity(text: str) -> str | None:
    """The official group for a typed name ("hmong", "Mong", "Thai"), or None."""
    global _FOLDED
    from config.text import fold

    if _FOLDED is None:
        _FOLDED = {fold(n).replace("-", " "): n for n in ETHNIC_GROUPS}
        _FOLDED.update({"h'mong": "Mông", "hmong": "Mông", "khmer": "Khơ-me", "meo": "Mông"})
    key = fold(text).replace("-", " ")
    return _FOLDED.get(key)
