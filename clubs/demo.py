"""Demo clubs in Lai Châu, with the province's legacy districts and the 2025 mergers."""

import datetime
from typing import TextIO

from django.core.management import call_command

from clubs.models import Area, AreaSuccession, Club

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

DEMO_CLUBS = [
    # code, name, commune code, legacy commune code, village, founded, meeting day
    (LEADER_CLUB_CODE, "CLB LTH Bản Mới", DEMO_COMMUNE_CODE, "L-BINHLU", "Bản Mới", "2019-03-21", 21),
    ("LCU-BINHLU-02", "CLB LTH Bản Nà Tăm", DEMO_COMMUNE_CODE, "L-NATAM", "Bản Nà Tăm", "2021-06-17", 17),
    ("LCU-BINHLU-03", "CLB LTH Bản Hon", DEMO_COMMUNE_CODE, "L-BANHON", "Bản Hon", "2024-08-24", 24),
    (LEADER2_CLUB_CODE, "CLB LTH Khu 3 Than Uyên", OTHER_COMMUNE_CODE, "L-THANUYEN", "Khu 3", "2018-10-15", 15),
    ("LCU-THANUYEN-02", "CLB LTH Bản Mường Cang", OTHER_COMMUNE_CODE, "L-MUONGCANG", "Bản Mường Cang", "2022-04-10", 10),
]  # fmt: skip


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
    created = 0
    for code, name, commune, old, village, founded, day in DEMO_CLUBS:
        founded_on = datetime.date.fromisoformat(founded)
        _, was_created = Club.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "commune": Area.objects.get(level=Area.Level.COMMUNE, code=commune),
                "legacy_commune": legacy[old],
                "village": village,
                "founded_on": founded_on,
                "decision_number": f"{100 + day}/QĐ-UBND",
                "decision_date": founded_on - datetime.timedelta(days=10),
                "decision_issuer": "UBND xã",
                "meeting_rule": Club.MeetingRule.DAY_OF_MONTH,
                "meeting_day": day,
                "meeting_time": datetime.time(8, 0),
                "meeting_place": f"Nhà văn hóa {village.lower()}",
                "supporter": Club.Supporter.HELPAGE,
            },
        )
        created += was_created
    out.write(f"Demo clubs: {created} created, {len(DEMO_CLUBS) - created} already there.\n")
