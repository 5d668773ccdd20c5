"""Demo data of the campaigns app (run by seed_demo after month, association and elders):

- the Lai Châu Action Month for Older Persons, October 2024, deployed to the demo communes,
  with targets, tagged activities and home-care visits, gifts paid from the commune care
  funds, money raised by source, and a commune report in every state;
- the 2024 care-fund drive, its target the 2024 fund plan, the provincial receipt tagged;
- the special emulation drive of 2024–2025 with registrations from communes and clubs, scored
  results and commendations; and the movement "Tuổi cao – Gương sáng" 2021–2025.

Idempotent: nothing is added once the Action Month 2024 exists.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db.models import Q

from accounts.models import Role, User
from campaigns import services
from campaigns.models import (
    Campaign,
    CampaignGift,
    CampaignReceipt,
    Commendation,
    EmulationDrive,
    EmulationRegistration,
    EmulationResult,
    Indicator,
)
from clubs.models import Area, Club
from funds.models import Fund, FundPlan, LedgerEntry
from members.models import Member
from month.models import Activity, ActivityArea, HomeCareVisit
from month.services import activity_save, visit_save

LAI_CHAU = "12"
ACTION_MONTH = "Tháng hành động vì người cao tuổi Việt Nam năm 2024"
START, END = datetime.date(2024, 10, 1), datetime.date(2024, 10, 31)
REPORT_STATES = ["approved", "returned", "submitted", "draft"]
DONORS = [
    (CampaignReceipt.Source.MEMBERS, "Hội viên các chi hội", (2_000_000, 6_000_000)),
    (CampaignReceipt.Source.BUSINESSES, "Công ty TNHH chè Tam Đường", (5_000_000, 15_000_000)),
    (CampaignReceipt.Source.INDIVIDUALS, "Con cháu người cao tuổi xa quê", (1_000_000, 4_000_000)),
    (CampaignReceipt.Source.BUDGET, "UBND xã hỗ trợ", (3_000_000, 8_000_000)),
]
CRITERIA = [
    ("Phát triển hội viên, thành lập CLB liên thế hệ tự giúp nhau", 30, "Danh sách hội viên mới, quyết định thành lập CLB"),
    ("Xây dựng Quỹ chăm sóc và phát huy vai trò NCT", 25, "Sổ quỹ, phiếu thu"),
    ("Chăm sóc sức khỏe, thăm hỏi người cao tuổi", 25, "Danh sách người được thăm, ảnh"),
    ("Tuyên truyền kỷ niệm các ngày lễ lớn", 20, "Báo cáo, ảnh hoạt động"),
]  # fmt: skip


def seed(out: TextIO) -> None:
    province = Area.objects.filter(level=Area.Level.PROVINCE, code=LAI_CHAU).first()
    if province is None:
        out.write("Demo campaigns: no Lai Châu, nothing to do.\n")
        return
    if Campaign.objects.filter(organiser=province, title=ACTION_MONTH).exists():
        out.write("Demo campaigns: already there.\n")
        return
    staff = (
        User.objects.filter(role=Role.PROVINCE, area=province, is_active=True).first()
        or User.objects.filter(is_superuser=True).first()
    )
    if staff is None:
        out.write("Demo campaigns: no provincial user, nothing to do.\n")
        return
    communes = list(
        Area.objects.filter(level=Area.Level.COMMUNE, clubs__province=province)
        .distinct()
        .order_by("name")
    )
    rng = random.Random(19)
    action_month = _action_month(province, communes, staff, rng)
    _care_fund_drive(province, communes, staff)
    _special_drive(province, communes, staff, rng)
    _old_age_shining_example(province, staff)
    out.write(
        f"Demo campaigns: {action_month.title}, the care-fund drive and two emulation drives.\n"
    )


def _commune_user(commune: Area, fallback: User) -> User:
    own = User.objects.filter(role=Role.COMMUNE, area=commune, is_active=True).first()
    return own or User.objects.filter(is_superuser=True).first() or fallback


def _care_fund(commune: Area) -> Fund:
    fund = Fund.objects.filter(owner_area=commune, kind=Fund.Kind.CARE).order_by("pk").first()
    if fund is None:
        from funds.services import fund_create

        fund = fund_create(kind=Fund.Kind.CARE, name="Quỹ chăm sóc NCT xã", owner_area=commune)
    return fund


def _on_register(club: Club, day: datetime.date) -> list[Member]:
    return list(
        Member.objects.filter(club=club, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .order_by("pk")
    )


def _action_month(
    province: Area, communes: list[Area], staff: User, rng: random.Random
) -> Campaign:
    campaign = services.campaign_create(
        title=ACTION_MONTH,
        kind=Campaign.Kind.ACTION_MONTH,
        organiser=province,
        starts_on=START,
        ends_on=END,
        theme="Chăm sóc và phát huy vai trò người cao tuổi – chủ động thích ứng với già hóa dân số",
        deployed_to=communes,
        by=staff,
    )
    overall = {
        Indicator.VISITED: 20 * len(communes),
        Indicator.GIFTS: 8 * len(communes),
        Indicator.GIFT_VALUE: 4_000_000 * len(communes),
        Indicator.MONEY_RAISED: 25_000_000 * len(communes),
        Indicator.HEALTH_CHECKS: 40 * len(communes),
        Indicator.PEOPLE_REACHED: 150 * len(communes),
    }
    for indicator, number in overall.items():
        services.target_set(campaign=campaign, indicator=indicator, number=number, by=staff)
    areas = {a.code: a for a in ActivityArea.objects.all()}
    for i, commune in enumerate(communes):
        user = _commune_user(commune, staff)
        for indicator, number in overall.items():
            services.target_set(
                campaign=campaign,
                indicator=indicator,
                commune=commune,
                number=number // max(len(communes), 1),
                by=user,
            )
        fund = _care_fund(commune)
        for source, donor, (low, high) in DONORS:
            services.receipt_record(
                campaign=campaign,
                fund=fund,
                date=datetime.date(2024, 10, rng.randint(1, 10)),
                amount=rng.randrange(low, high, 500_000),
                source=source,
                donor=donor,
                by=user,
            )
        clubs = list(
            Club.objects.filter(commune=commune, status=Club.Status.ACTIVE).order_by("code")
        )
        for club in clubs[:3]:
            _club_records(campaign, club, user, areas, rng)
        _gifts(campaign, commune, clubs, fund, user, rng)
        state = REPORT_STATES[i] if i < len(REPORT_STATES) else None
        if state is not None:
            _report(campaign, commune, user, staff, state)
    return campaign


def _club_records(
    campaign: Campaign, club: Club, user: User, areas: dict[str, ActivityArea], rng: random.Random
) -> None:
    day = datetime.date(2024, 10, rng.randint(2, 20))
    people = _on_register(club, day)
    made_activities = []
    for title, codes in (
        ()
        if not areas
        else (
            ("Tuyên truyền Tháng hành động vì người cao tuổi, Luật Người cao tuổi", ["culture"]),
            ("Khám sức khỏe, đo huyết áp cho người cao tuổi", ["health"]),
        )
    ):
        chosen = rng.sample(people, min(len(people), rng.randint(8, 20)))
        activity = Activity(
            club=club,
            date=day,
            title=title,
            participant_count=len(chosen) + rng.randint(10, 40),
            beneficiaries=rng.randint(10, 40),
            cost=0,
        )
        made_activities.append(
            activity_save(
                activity=activity,
                areas=[areas[c] for c in codes if c in areas] or list(areas.values())[:1],
                participants=chosen,
                by=user,
            )
        )
    volunteers = [m for m in people if m.is_volunteer] or people[:3]
    cared = [m for m in people if m.needs_care] or people[-3:]
    visits = []
    for k in range(min(3, len(cared))):
        volunteer = volunteers[k % len(volunteers)]
        recipient = cared[k]
        if volunteer.pk == recipient.pk:
            continue
        visit = HomeCareVisit(
            club=club,
            volunteer=volunteer,
            recipient=recipient,
            date=day + datetime.timedelta(days=k + 1),
            duration_minutes=60,
        )
        visits.append(visit_save(visit=visit, services=["company", "health_check"], by=user))
    services.records_tag(campaign=campaign, activities=made_activities, visits=visits, by=user)


def _gifts(
    campaign: Campaign,
    commune: Area,
    clubs: list[Club],
    fund: Fund,
    user: User,
    rng: random.Random,
) -> None:
    day = datetime.date(2024, 10, 1)
    people = [
        m
        for club in clubs
        for m in _on_register(club, day)
        if m.birth_year and m.birth_year <= 1959
    ]
    for k, member in enumerate(people[:6]):
        paid = k % 3 != 2
        fund.refresh_from_db()
        value = rng.choice([300_000, 500_000, 500_000, 1_000_000])
        services.gift_record(
            campaign=campaign,
            area=commune,
            member=member,
            date=datetime.date(2024, 10, rng.randint(11, 25)),
            kind=CampaignGift.Kind.CASH if paid else CampaignGift.Kind.GOODS,
            value=value,
            given_by="Ban Chấp hành Hội NCT xã",
            fund=fund if paid and fund.balance >= value else None,
            by=user,
        )
    services.gift_record(
        campaign=campaign,
        area=commune,
        person_name="Cụ Lò Thị Ún (100 tuổi)",
        village="Bản Nà Khum",
        date=datetime.date(2024, 10, 1),
        kind=CampaignGift.Kind.LONGEVITY,
        value=700_000,
        given_by="Chủ tịch UBND xã",
        by=user,
    )


def _report(campaign: Campaign, commune: Area, user: User, staff: User, state: str) -> None:
    report = services.report_for(campaign=campaign, commune=commune)
    narrative = (
        f"Hội NCT {commune.name} đã tổ chức tuyên truyền Tháng hành động, thăm hỏi, tặng quà "
        "người cao tuổi ốm đau, có hoàn cảnh khó khăn; vận động ủng hộ Quỹ chăm sóc NCT."
    )
    if state == "draft":
        services.report_save(report=report, narrative=narrative, by=user)
        return
    services.report_submit(report=report, by=user, narrative=narrative)
    if state == "returned":
        services.report_return(
            report=report, by=staff, comment="Đề nghị bổ sung số người được thăm hỏi tại nhà."
        )
    elif state == "approved":
        services.report_approve(report=report, by=staff)


def _care_fund_drive(province: Area, communes: list[Area], staff: User) -> None:
    plan = FundPlan.objects.filter(
        Q(fund__owner_area=province) | Q(area=province), year=2024, kind=Fund.Kind.CARE
    ).first()
    campaign = services.campaign_create(
        title="Vận động xây dựng Quỹ chăm sóc và phát huy vai trò người cao tuổi năm 2024",
        kind=Campaign.Kind.CARE_FUND,
        organiser=province,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 12, 31),
        theme="Theo kế hoạch xây dựng quỹ năm 2024 của Hội NCT tỉnh",
        deployed_to=communes,
        by=staff,
    )
    services.target_set(
        campaign=campaign,
        indicator=Indicator.MONEY_RAISED,
        number=plan.target if plan else 250_000_000,
        by=staff,
    )
    entries = LedgerEntry.objects.filter(
        fund__owner_area=province,
        fund__kind=Fund.Kind.CARE,
        direction=LedgerEntry.Direction.IN,
        date__range=(campaign.starts_on, campaign.ends_on),
        campaign_receipt__isnull=True,
        reverses__isnull=True,
    )
    for entry in entries:
        services.receipt_tag(campaign=campaign, entry=entry, source=CampaignReceipt.Source.MEMBERS)


def _special_drive(province: Area, communes: list[Area], staff: User, rng: random.Random) -> None:
    drive = services.drive_create(
        title=(
            "Đợt thi đua đặc biệt chào mừng 80 năm Cách mạng Tháng Tám, 30 năm thành lập Hội "
            "NCT Việt Nam và 20 năm thành lập Hội NCT tỉnh"
        ),
        organiser=province,
        starts_on=datetime.date(2024, 6, 1),
        ends_on=datetime.date(2025, 8, 31),
        occasion="80 năm Cách mạng Tháng Tám (19/8/1945 – 19/8/2025)",
        description="Các Hội NCT xã và CLB liên thế hệ tự giúp nhau đăng ký thi đua.",
        criteria=CRITERIA,
        by=staff,
    )
    criteria = list(drive.criteria.all())
    clubs = list(
        Club.objects.filter(province=province, status=Club.Status.ACTIVE).order_by("code")[:4]
    )
    registrations = []
    # Registered in June 2024 (the drive has ended since, so written here as they were then).
    for commune in communes[:3]:
        registrations.append(
            EmulationRegistration.objects.create(
                drive=drive,
                area=commune,
                pledges="Phát triển 30 hội viên mới; vận động quỹ đạt 100% kế hoạch.",
                registered_by=_commune_user(commune, staff),
            )
        )
    for club in clubs:
        registrations.append(
            EmulationRegistration.objects.create(
                drive=drive,
                club=club,
                pledges="100% thành viên sinh hoạt đều; thăm hỏi thành viên ốm đau.",
                registered_by=staff,
            )
        )
    for n, registration in enumerate(registrations):
        for criterion in criteria:
            top = criterion.max_points
            EmulationResult.objects.create(
                registration=registration,
                criterion=criterion,
                achievement="Đạt và vượt chỉ tiêu đăng ký.",
                self_points=top - rng.randint(0, 3),
            )
        registration.stage = EmulationRegistration.Stage.SELF_SCORED
        registration.save(update_fields=["stage"])
        if n % 3 == 2:
            continue  # still waiting for the review
        points = {c.pk: max(0, c.max_points - rng.randint(1, 6)) for c in criteria}
        services.scores_set(registration=registration, stage="reviewed", points=points, by=staff)
        if n % 3 == 0:
            final = {k: max(0, v - rng.randint(0, 2)) for k, v in points.items()}
            services.scores_set(
                registration=registration,
                stage="final",
                points=final,
                by=staff,
                reason="Hội đồng thi đua khen thưởng",
            )
    decided = datetime.date(2025, 9, 5)
    best = registrations[0]
    services.commendation_record(
        drive=drive,
        recipient_kind=Commendation.RecipientKind.UNIT,
        unit_area=best.area,
        unit_club=best.club,
        level=Commendation.Level.PROVINCE_COMMITTEE,
        decision_number="1520/QĐ-UBND",
        decision_date=decided,
        reason="Có thành tích xuất sắc trong đợt thi đua đặc biệt",
        by=staff,
    )
    for registration in registrations[3:5]:
        services.commendation_record(
            drive=drive,
            recipient_kind=Commendation.RecipientKind.UNIT,
            unit_area=registration.area,
            unit_club=registration.club,
            level=Commendation.Level.PROVINCE_ASSOCIATION,
            decision_number="45/QĐ-HNCT",
            decision_date=decided,
            by=staff,
        )
    volunteer = (
        Member.objects.filter(club__in=clubs, is_volunteer=True, left_on__isnull=True)
        .order_by("pk")
        .first()
    )
    if volunteer is not None:
        services.commendation_record(
            drive=drive,
            recipient_kind=Commendation.RecipientKind.VOLUNTEER,
            member=volunteer,
            level=Commendation.Level.PROVINCE_ASSOCIATION,
            decision_number="45/QĐ-HNCT",
            decision_date=decided,
            reason="Tình nguyện viên chăm sóc tại nhà tiêu biểu",
            by=staff,
        )
    if communes:
        services.commendation_record(
            drive=drive,
            recipient_kind=Commendation.RecipientKind.COMMITTEE,
            person_name="Vàng Thị Mỷ",
            person_area=communes[0],
            level=Commendation.Level.CENTRAL_ASSOCIATION,
            decision_number="312/QĐ-TWH",
            decision_date=decided,
            reason="Chủ tịch Hội NCT xã, nhiều năm gắn bó với phong trào",
            by=staff,
        )


def _old_age_shining_example(province: Area, staff: User) -> None:
    if EmulationDrive.objects.filter(organiser=province, title__contains="Gương sáng").exists():
        return
    services.drive_create(
        title="Phong trào thi đua “Tuổi cao – Gương sáng” giai đoạn 2021–2025",
        organiser=province,
        starts_on=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        occasion="Phong trào thi đua yêu nước của người cao tuổi",
        criteria=[
            ("Gương mẫu chấp hành chủ trương, chính sách, pháp luật", 30, "Xác nhận của chi hội"),
            ("Tham gia phát triển kinh tế, giảm nghèo", 40, "Báo cáo kết quả"),
            ("Tham gia xây dựng gia đình, cộng đồng văn hóa", 30, "Xác nhận của thôn, bản"),
        ],
        by=staff,
    )
