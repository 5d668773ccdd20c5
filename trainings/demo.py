"""Demo trainings in Lai Châu: the May 2024 provincial conference and two commune trainings.

Deterministic (a fixed random seed) and idempotent: an event that already exists is left as
it is.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.utils import timezone

from accounts.models import User
from clubs.models import Area, BoardPosition, Club
from members.demo import NAMES
from trainings.models import Participant, SessionAttendance, Trainer, Training, TrainingSession

LAI_CHAU_CODE = "12"
SEED_TITLE = (
    "Hội nghị tập huấn thành lập CLB liên thế hệ tự giúp nhau và nghiệp vụ công tác Hội NCT "
    "năm 2024"
)
SEED_TOPICS = [
    "Thành lập và duy trì hoạt động câu lạc bộ liên thế hệ tự giúp nhau",
    "Củng cố, kiện toàn tổ chức Hội Người cao tuổi các cấp",
    "Kế hoạch xây dựng Quỹ chăm sóc và phát huy vai trò người cao tuổi năm 2024",
    "Đợt thi đua đặc biệt chào mừng 80 năm Cách mạng Tháng Tám và 30 năm thành lập "
    "Hội Người cao tuổi Việt Nam",
    "Tháng hành động vì người cao tuổi Việt Nam năm 2024",
]
# Lai Châu's peoples, roughly as they are represented among association leaders.
LEADER_MIX = ["Thái"] * 4 + ["Mông"] * 3 + ["Dao"] * 2 + ["Kinh"] * 2 + ["Giáy"]
DISTRICT_NAMES = {
    "105": "thành phố Lai Châu",
    "106": "huyện Tam Đường",
    "107": "huyện Mường Tè",
    "108": "huyện Sìn Hồ",
    "109": "huyện Phong Thổ",
    "110": "huyện Than Uyên",
    "111": "huyện Tân Uyên",
    "112": "huyện Nậm Nhùn",
}


class _People:
    """Makes unique, realistic names and phone numbers from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()
        self.phone = 0

    def person(self, *, female: bool | None = None) -> tuple[str, str, str]:
        while True:
            ethnicity = self.rng.choice(LEADER_MIX)
            families, men, women = NAMES[ethnicity]
            is_female = self.rng.random() < 0.35 if female is None else female
            name = f"{self.rng.choice(families)} {self.rng.choice(women if is_female else men)}"
            if name not in self.used:
                self.used.add(name)
                return name, ("F" if is_female else "M"), ethnicity

    def next_phone(self, prefix: str) -> str:
        self.phone += 1
        return f"{prefix}{self.phone:06d}"


def _make_training(*, organiser: Area, title: str, days: int, start: datetime.date, **fields):
    training, created = Training.objects.get_or_create(
        title=title,
        organiser=organiser,
        defaults={
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=days - 1),
            **fields,
        },
    )
    if created:
        for day in training.days():
            TrainingSession.objects.create(training=training, day=day)
    return training, created


def _attend(training: Training, rng: random.Random, rates: list[float], scores: bool) -> None:
    sessions = list(training.sessions.order_by("day"))
    rows = []
    for p in training.participants.all():
        for session, rate in zip(sessions, rates, strict=False):
            if rng.random() < rate:
                rows.append(SessionAttendance(session=session, participant=p))
        if scores and rng.random() < 0.85:
            p.pre_score = rng.randint(35, 70)
            p.post_score = min(100, p.pre_score + rng.randint(5, 30))
            p.save(update_fields=["pre_score", "post_score"])
    SessionAttendance.objects.bulk_create(rows)


def _board(club_code: str, position: str) -> BoardPosition | None:
    return (
        BoardPosition.objects.filter(club__code=club_code, position=position, end_on__isnull=True)
        .select_related("member")
        .first()
    )


def _participant_from_member(training: Training, bp: BoardPosition, title: str) -> None:
    m = bp.member
    Participant.objects.create(
        training=training,
        full_name=m.full_name,
        position=(
            Participant.Position.CLUB_CHAIR
            if bp.position == BoardPosition.Position.CHAIR
            else Participant.Position.CLUB_BOARD
        ),
        title=title,
        unit=bp.club.name,
        area=bp.club.commune,
        sex=m.sex,
        ethnicity=m.ethnicity,
        phone=m.phone,
        member=m,
    )


def seed_conference(province: Area) -> bool:
    training, created = _make_training(
        organiser=province,
        title=SEED_TITLE,
        days=2,
        start=datetime.date(2024, 5, 28),
        partners="Trung ương Hội Người cao tuổi Việt Nam; HelpAge International tại Việt Nam",
        venue="Hội trường Hội Người cao tuổi tỉnh, thành phố Lai Châu",
        topics="\n".join(SEED_TOPICS),
        audience=(
            "Chủ tịch, Phó Chủ tịch Hội NCT các huyện, thành phố và các xã, phường, thị trấn "
            "trong tỉnh"
        ),
        capacity=110,
        status=Training.Status.DONE,
    )
    if not created:
        return False
    Trainer.objects.create(
        training=training,
        name="TS. Nguyễn Thị Tư",
        title=(
            "Ủy viên Ban Thường vụ, Trưởng ban Đối ngoại Trung ương Hội Người cao tuổi Việt Nam"
        ),
        order=0,
    )
    Trainer.objects.create(
        training=training,
        name="Lò Văn Thanh",
        title="Phó Chủ tịch Thường trực Hội Người cao tuổi tỉnh Lai Châu",
        order=1,
    )
    day1, day2 = training.sessions.order_by("day")
    day1.starts_at, day1.ends_at = datetime.time(7, 30), datetime.time(17, 0)
    day1.agenda = (
        "Khai mạc, giới thiệu đại biểu\n"
        "Chuyên đề 1: Thành lập CLB liên thế hệ tự giúp nhau (TS. Nguyễn Thị Tư)\n"
        "Thảo luận nhóm, đóng vai buổi sinh hoạt CLB hằng tháng\n"
        "Chuyên đề 2: Củng cố tổ chức Hội"
    )
    day2.starts_at, day2.ends_at = datetime.time(7, 30), datetime.time(16, 30)
    day2.agenda = (
        "Chuyên đề 3: Kế hoạch xây dựng Quỹ chăm sóc và phát huy vai trò NCT năm 2024\n"
        "Chuyên đề 4: Đợt thi đua đặc biệt; Tháng hành động vì NCT năm 2024\n"
        "Kiểm tra cuối khóa, tổng kết, bế mạc"
    )
    day1.save()
    day2.save()

    people = _People(2024)
    rows: list[Participant] = []

    def add(position: str, title: str, unit: str, area: Area, female: bool | None = None) -> None:
        name, sex, ethnicity = people.person(female=female)
        rows.append(
            Participant(
                training=training,
                full_name=name,
                position=position,
                title=title,
                unit=unit,
                area=area,
                sex=sex,
                ethnicity=ethnicity,
                phone=people.next_phone("0912"),
            )
        )

    P = Participant.Position
    add(P.PROVINCE_LEADER, "Phó Chủ tịch Hội NCT tỉnh", "Hội NCT tỉnh Lai Châu", province)
    add(P.STAFF, "Chánh Văn phòng Hội NCT tỉnh", "Hội NCT tỉnh Lai Châu", province, True)
    add(P.STAFF, "Chuyên viên Văn phòng Hội NCT tỉnh", "Hội NCT tỉnh Lai Châu", province, True)
    districts = {
        a.code: a for a in Area.objects.filter(level=Area.Level.DISTRICT, province=province)
    }
    for code, label in DISTRICT_NAMES.items():
        area = districts.get(code, province)
        unit = f"Hội NCT {label}"
        add(P.DISTRICT_CHAIR, f"Chủ tịch Hội NCT {label}", unit, area)
        add(P.DISTRICT_VICE, f"Phó Chủ tịch Hội NCT {label}", unit, area)
    communes = Area.objects.filter(
        level=Area.Level.COMMUNE, province=province, active=True
    ).order_by("name")
    for commune in communes:
        unit = f"Hội NCT {commune.name[0].lower()}{commune.name[1:]}"
        add(P.COMMUNE_CHAIR, f"Chủ tịch {unit}", unit, commune)
        add(P.COMMUNE_VICE, f"Phó Chủ tịch {unit}", unit, commune)
    for p in rows:
        p.save()  # save() fills the search keys
    # Board members of Bình Lư clubs who came; Bản Hon's board founded its club that August.
    for code, position, title in [
        ("LCU-BINHLU-03", BoardPosition.Position.CHAIR, "Trưởng bản, người sáng lập CLB Bản Hon"),
        ("LCU-BINHLU-03", BoardPosition.Position.VICE_CHAIR, "Hội viên Chi hội NCT bản Hon"),
        ("LCU-BINHLU-01", BoardPosition.Position.CHAIR, "Chủ nhiệm CLB LTH Bản Mới"),
    ]:
        if bp := _board(code, position):
            _participant_from_member(training, bp, title)
    if leader := User.objects.filter(username="leader").select_related("club").first():
        Participant.objects.create(
            training=training,
            full_name=leader.get_full_name() or leader.username,
            position=P.CLUB_BOARD,
            title="Phó Chủ nhiệm CLB LTH Bản Mới",
            unit=leader.club.name if leader.club else "",
            area=leader.club.commune if leader.club else None,
            sex=Participant.Sex.FEMALE,
            ethnicity="Thái",
            phone="0912999001",
            user=leader,
        )
    _attend(training, people.rng, [0.97, 0.92], scores=True)
    return True


def seed_commune_training(
    commune: Area, *, title: str, start: datetime.date, status: str, seed: int, extra: int
) -> bool:
    training, created = _make_training(
        organiser=commune,
        title=title,
        days=1,
        start=start,
        partners="Hội NCT tỉnh Lai Châu",
        venue=f"Hội trường UBND {commune.name[0].lower()}{commune.name[1:]}",
        topics=(
            "Ghi chép sổ sách CLB và báo cáo hằng tháng\n"
            "Quản lý quỹ tăng thu nhập và cho vay quay vòng\n"
            "Chăm sóc người cao tuổi tại nhà"
        ),
        audience="Ban chủ nhiệm các CLB liên thế hệ tự giúp nhau trong xã",
        capacity=40,
        status=status,
    )
    if not created:
        return False
    Trainer.objects.create(
        training=training, name="Lò Văn Thanh", title="Hội NCT tỉnh Lai Châu", order=0
    )
    for club in Club.objects.filter(commune=commune).order_by("code"):
        for bp in club.board_positions.filter(end_on__isnull=True).select_related(
            "member", "club__commune"
        ):
            _participant_from_member(training, bp, bp.get_position_display())
    people = _People(seed)
    for i in range(extra):
        name, sex, ethnicity = people.person()
        Participant.objects.create(
            training=training,
            full_name=name,
            position=Participant.Position.CLUB_BOARD,
            title="Thành viên tổ tình nguyện viên",
            unit=f"Chi hội NCT bản {i + 1}",
            area=commune,
            sex=sex,
            ethnicity=ethnicity,
            phone=people.next_phone(f"09{seed % 100:02d}"),
        )
    if status == Training.Status.DONE:
        _attend(training, people.rng, [0.9], scores=False)
    return True


def seed(out: TextIO) -> None:
    province = Area.objects.get(level=Area.Level.PROVINCE, code=LAI_CHAU_CODE)
    today = timezone.localdate()
    created = 0
    created += seed_conference(province)
    binh_lu = Area.objects.filter(level=Area.Level.COMMUNE, code="03390").first()
    if binh_lu:
        created += seed_commune_training(
            binh_lu,
            title="Tập huấn nghiệp vụ Ban chủ nhiệm CLB liên thế hệ xã Bình Lư",
            start=today - datetime.timedelta(days=75),
            status=Training.Status.DONE,
            seed=3390,
            extra=6,
        )
    than_uyen = Area.objects.filter(level=Area.Level.COMMUNE, code="03595").first()
    if than_uyen:
        created += seed_commune_training(
            than_uyen,
            title="Tập huấn chăm sóc người cao tuổi tại nhà xã Than Uyên",
            start=today + datetime.timedelta(days=12),
            status=Training.Status.PLANNED,
            seed=3595,
            extra=8,
        )
    out.write(f"Demo trainings: {created} created, {3 - created} already there.\n")
