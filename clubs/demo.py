"""Demo clubs in Lai Châu, with the province's legacy districts and the 2025 mergers."""

import datetime
from typing import TextIO

from django.core.management import call_command

from clubs.models import Area, AreaSuccession, Club, ClubStatusChange

LAI_CHAU_CODE = "12"
DEMO_COMMUNE_CODE = "03390"  # Xã Bình Lư (formerly in Tam Đường district)
OTHER_COMMUNE_CODE = "03595"  # Xã Than Uyên
LEADER_CLUB_CODE = "LCU-BINHLU-01"
LEADER2_CLUB_CODE = "LCU-THANUYEN-01"

# The eight districts (and the provincial city) before 1 July 2025, kept as legacy units.
LEGACY_DISTRICTS = [
    ("105", "Thành phố Lai Châu"),
    ("106", "Huyện Tam Đường"),
    ("107", "Huyện Mường Tè"),
    ("108", "Huyện Sìn Hồ"),
    ("109", "Huyện Phong Thổ"),
    ("110", "Huyện Than Uyên"),
    ("111", "Huyện Tân Uyên"),
    ("112", "Huyện Nậm Nhùn"),
]

# A few old communes and the new commune each became part of on 1 July 2025.
LEGACY_COMMUNES = [
    ("L-BINHLU", "Thị trấn Tam Đường (cũ)", "106", DEMO_COMMUNE_CODE),
    ("L-NATAM", "Xã Nà Tăm (cũ)", "106", DEMO_COMMUNE_CODE),
    ("L-BANHON", "Xã Bản Hon (cũ)", "106", DEMO_COMMUNE_CODE),
    ("L-THANUYEN", "Thị trấn Than Uyên (cũ)", "110", OTHER_COMMUNE_CODE),
    ("L-MUONGCANG", "Xã Mường Cang (cũ)", "110", OTHER_COMMUNE_CODE),
]

TAN_PHONG_CODE = "03408"  # Phường Tân Phong
DOAN_KET_CODE = "03388"  # Phường Đoàn Kết
PHONG_THO_CODE = "03549"  # Xã Phong Thổ
SIN_HO_CODE = "03478"  # Xã Sìn Hồ
MUONG_TE_CODE = "03445"  # Xã Mường Tè

DEMO_CLUBS = [
    # code, name, commune code, legacy commune code (or None), village, founded, meeting day
    (LEADER_CLUB_CODE, "CLB LTH Bản Mới", DEMO_COMMUNE_CODE, "L-BINHLU", "Bản Mới", "2019-03-21", 21),
    ("LCU-BINHLU-02", "CLB LTH Bản Nà Tăm", DEMO_COMMUNE_CODE, "L-NATAM", "Bản Nà Tăm", "2021-06-17", 17),
    ("LCU-BINHLU-03", "CLB LTH Bản Hon", DEMO_COMMUNE_CODE, "L-BANHON", "Bản Hon", "2024-08-24", 24),
    (LEADER2_CLUB_CODE, "CLB LTH Khu 3 Than Uyên", OTHER_COMMUNE_CODE, "L-THANUYEN", "Khu 3", "2018-10-15", 15),
    ("LCU-THANUYEN-02", "CLB LTH Bản Mường Cang", OTHER_COMMUNE_CODE, "L-MUONGCANG", "Bản Mường Cang", "2022-04-10", 10),
    ("LCU-BINHLU-04", "CLB LTH Bản Lở", DEMO_COMMUNE_CODE, None, "Bản Lở", "2020-09-12", 12),
    ("LCU-BINHLU-05", "CLB LTH Bản Nà Đông", DEMO_COMMUNE_CODE, None, "Bản Nà Đông", "2023-05-20", 20),
    ("LCU-THANUYEN-03", "CLB LTH Bản Nà Ban", OTHER_COMMUNE_CODE, None, "Bản Nà Ban", "2019-11-08", 8),
    ("LCU-THANUYEN-04", "CLB LTH Bản Hua Nà", OTHER_COMMUNE_CODE, None, "Bản Hua Nà", "2024-03-05", 5),
    ("LCU-TANPHONG-01", "CLB LTH Tổ dân phố số 5", TAN_PHONG_CODE, None, "Tổ dân phố số 5", "2017-12-18", 18),
    ("LCU-TANPHONG-02", "CLB LTH Tổ dân phố số 14", TAN_PHONG_CODE, None, "Tổ dân phố số 14", "2020-07-25", 25),
    ("LCU-TANPHONG-03", "CLB LTH Bản Cư Nhà La", TAN_PHONG_CODE, None, "Bản Cư Nhà La", "2022-10-14", 14),
    ("LCU-DOANKET-01", "CLB LTH Tổ dân phố số 2", DOAN_KET_CODE, None, "Tổ dân phố số 2", "2018-06-09", 9),
    ("LCU-PHONGTHO-01", "CLB LTH Bản Pa So", PHONG_THO_CODE, None, "Bản Pa So", "2019-08-16", 16),
    ("LCU-PHONGTHO-02", "CLB LTH Bản Vàng Pheo", PHONG_THO_CODE, None, "Bản Vàng Pheo", "2021-03-22", 22),
    ("LCU-PHONGTHO-03", "CLB LTH Bản Huổi Luông", PHONG_THO_CODE, None, "Bản Huổi Luông", "2023-09-19", 19),
    ("LCU-SINHO-01", "CLB LTH Bản Phìn Hồ", SIN_HO_CODE, None, "Bản Phìn Hồ", "2020-04-11", 11),
    ("LCU-SINHO-02", "CLB LTH Bản Sà Dề Phìn", SIN_HO_CODE, None, "Bản Sà Dề Phìn", "2022-12-13", 13),
    ("LCU-MUONGTE-01", "CLB LTH Bản Nậm Củm", MUONG_TE_CODE, None, "Bản Nậm Củm", "2018-02-23", 23),
    ("LCU-MUONGTE-02", "CLB LTH Bản Phìn Khò", MUONG_TE_CODE, None, "Bản Phìn Khò", "2021-11-27", 27),
]  # fmt: skip

# A demo club that stopped meeting, to show the status history.
PAUSED_CLUBS = {
    "LCU-MUONGTE-02": ("2025-03-01", "Chủ nhiệm đi làm ăn xa, chưa bầu được người thay"),
}


def seed(out: TextIO) -> None:
    call_command("load_areas", province=LAI_CHAU_CODE, stdout=out)
    province = Area.objects.get(level=Area.Level.PROVINCE, code=LAI_CHAU_CODE)
    districts = {}
    for code, name in LEGACY_DISTRICTS:
        districts[code], _ = Area.objects.get_or_create(
            level=Area.Level.DISTRICT,
            code=code,
            defaults={"name": name, "parent": province, "active": False, "division_type": "huyện"},
        )
    legacy = {}
    for code, name, district, new_code in LEGACY_COMMUNES:
        legacy[code], _ = Area.objects.get_or_create(
            level=Area.Level.COMMUNE,
            code=code,
            defaults={"name": name, "parent": districts[district], "active": False},
        )
        new = Area.objects.get(level=Area.Level.COMMUNE, code=new_code)
        AreaSuccession.objects.get_or_create(old=legacy[code], new=new)
    communes = {
        a.code: a
        for a in Area.objects.filter(level=Area.Level.COMMUNE, code__in={c[2] for c in DEMO_CLUBS})
    }
    existing = set(
        Club.objects.filter(code__in=[c[0] for c in DEMO_CLUBS]).values_list("code", flat=True)
    )
    created = 0
    for code, name, commune, old, village, founded, day in DEMO_CLUBS:
        if code in existing:
            continue
        founded_on = datetime.date.fromisoformat(founded)
        club = Club.objects.create(
            code=code,
            name=name,
            commune=communes[commune],
            legacy_commune=legacy[old] if old else None,
            village=village,
            founded_on=founded_on,
            decision_number=f"{100 + day}/QĐ-UBND",
            decision_date=founded_on - datetime.timedelta(days=10),
            decision_issuer=f"UBND {_lower_first(communes[commune].name)}",
            launched_on=founded_on,
            meeting_rule=Club.MeetingRule.DAY_OF_MONTH,
            meeting_day=day,
            meeting_time=datetime.time(8, 0),
            meeting_place=f"Nhà văn hóa {_lower_first(village)}",
            supporter=Club.Supporter.HELPAGE if len(code) % 2 else Club.Supporter.VAE,
        )
        ClubStatusChange.objects.create(
            club=club, status=Club.Status.ACTIVE, changed_on=founded_on, reason="Thành lập CLB"
        )
        if code in PAUSED_CLUBS:
            paused_on, reason = PAUSED_CLUBS[code]
            on = datetime.date.fromisoformat(paused_on)
            club.status, club.status_changed_on, club.status_reason = Club.Status.PAUSED, on, reason
            club.save(update_fields=["status", "status_changed_on", "status_reason"])
            ClubStatusChange.objects.create(
                club=club, status=Club.Status.PAUSED, changed_on=on, reason=reason
            )
        created += 1
    out.write(f"Demo clubs: {created} created, {len(DEMO_CLUBS) - created} already there.\n")


def _lower_first(text: str) -> str:
    """ "Xã Bình Lư" -> "xã Bình Lư" (inside a sentence)."""
    return text[:1].lower() + text[1:]
