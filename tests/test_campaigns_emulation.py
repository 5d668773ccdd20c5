"""Emulation drives: registration, results with evidence, scoring (self → review → final,
logged), ranking, commendations (a unit must have registered), the certificate PDF, and the
club's and member's pages."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from campaigns import services
from campaigns.models import (
    CampaignsError,
    Commendation,
    EmulationEvidence,
    EmulationRegistration,
    EmulationResult,
)
from tests.factories import MemberFactory, UserFactory
from tests.factories_campaigns import PNG, drive, upload
from tests.factories_month import vi

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2025, 5, 10)


def pdf_title(content: bytes) -> str:
    """The document title of a reportlab PDF (a literal string, UTF-16 with octal escapes)."""
    start = content.index(b"/Title (") + len(b"/Title (")
    out, i = bytearray(), start
    while content[i : i + 1] != b")":
        if content[i : i + 1] == b"\\":
            digits = b""
            while len(digits) < 3 and content[i + 1 + len(digits)] in b"01234567":
                digits += content[i + 1 + len(digits) : i + 2 + len(digits)]
            if digits:
                out.append(int(digits, 8))
                i += 1 + len(digits)
                continue
            out += content[i + 1 : i + 2]
            i += 2
            continue
        out += content[i : i + 1]
        i += 1
    return bytes(out).decode("utf-16")


@pytest.fixture
def the_drive(cast):
    return drive(cast, criteria=[("Phát triển hội viên", 30, "Danh sách"), ("Quỹ", 20, "")])


@pytest.fixture
def club_reg(cast, the_drive):
    return services.registration_create(
        drive=the_drive, club=cast.club_a, pledges="Phát triển 10 hội viên", by=cast.leader
    )


@pytest.fixture
def outsider(cast):
    return UserFactory(username="province_b", role=Role.PROVINCE, area=cast.province_b)


def test_a_club_leader_registers_the_club(cast, login, the_drive):
    client = login(cast.leader)
    page = client.get(reverse("campaigns:register", args=[the_drive.pk]))
    assert cast.club_a.name in page.content.decode()
    assert cast.club_a2.name not in page.content.decode()
    response = client.post(
        reverse("campaigns:register", args=[the_drive.pk]),
        {"unit": f"club:{cast.club_a.pk}", "pledges": "100% hội viên tham gia"},
    )
    assert response.status_code == 302
    reg = EmulationRegistration.objects.get()
    assert (reg.club, reg.stage) == (cast.club_a, "registered")


def test_a_leader_cannot_register_another_club(cast, login, the_drive):
    response = login(cast.leader).post(
        reverse("campaigns:register", args=[the_drive.pk]),
        {"unit": f"club:{cast.club_a2.pk}", "pledges": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not EmulationRegistration.objects.exists()


def test_registering_twice_is_refused(cast, the_drive, club_reg):
    with pytest.raises(CampaignsError) as err:
        services.registration_create(drive=the_drive, club=cast.club_a, pledges="x", by=cast.leader)
    assert "unit" in err.value.message_dict


def test_drive_pages_are_404_for_another_province(cast, login, outsider, the_drive, club_reg):
    client = login(outsider)
    urls = [
        reverse("campaigns:drive", args=[the_drive.pk]),
        reverse("campaigns:register", args=[the_drive.pk]),
        reverse("campaigns:commendations", args=[the_drive.pk]),
        reverse("campaigns:commendation_add", args=[the_drive.pk]),
        reverse("campaigns:criterion_add", args=[the_drive.pk]),
        reverse("campaigns:registration", args=[club_reg.pk]),
        reverse("campaigns:score", args=[club_reg.pk]),
        reverse("campaigns:result", args=[club_reg.pk, the_drive.criteria.first().pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert login(cast.leader2).get(urls[0]).status_code == 404


def test_another_club_cannot_see_a_registration(cast, login, club_reg):
    from tests.factories import UserFactory as U

    leader_a2 = U(username="leader_a2", role=Role.CLUB_LEADER, club=cast.club_a2)
    url = reverse("campaigns:registration", args=[club_reg.pk])
    assert login(leader_a2).get(url).status_code == 404
    assert login(cast.leader).get(url).status_code == 200


def test_viewer_writing_is_403(cast, login, the_drive, club_reg):
    client = login(cast.viewer)
    criterion = the_drive.criteria.first()
    assert client.get(reverse("campaigns:drive", args=[the_drive.pk])).status_code == 200
    for url in [
        reverse("campaigns:register", args=[the_drive.pk]),
        reverse("campaigns:commendation_add", args=[the_drive.pk]),
        reverse("campaigns:criterion_add", args=[the_drive.pk]),
        reverse("campaigns:result", args=[club_reg.pk, criterion.pk]),
        reverse("campaigns:score", args=[club_reg.pk]),
        reverse("campaigns:drive_create"),
    ]:
        assert client.post(url, {}).status_code == 403, url


def test_result_with_evidence_then_self_score(cast, login, the_drive, club_reg, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    criterion = the_drive.criteria.get(seq=1)
    response = login(cast.leader).post(
        reverse("campaigns:result", args=[club_reg.pk, criterion.pk]),
        {
            "achievement": "Kết nạp 12 hội viên",
            "self_points": "28",
            "evidence": upload("anh.png", PNG),
        },
    )
    assert response.status_code == 302
    result = EmulationResult.objects.get()
    assert result.self_points == 28
    evidence = EmulationEvidence.objects.get()
    assert evidence.kind == "png"
    club_reg.refresh_from_db()
    assert club_reg.stage == "self_scored"
    page = login(cast.province).get(reverse("campaigns:registration", args=[club_reg.pk]))
    assert "Kết nạp 12 hội viên" in page.content.decode()
    download = login(cast.province).get(reverse("campaigns:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert (
        login(cast.leader2).get(reverse("campaigns:evidence", args=[evidence.pk])).status_code
        == 404
    )


def test_self_score_above_the_maximum_is_refused_beside_the_field(cast, login, the_drive, club_reg):
    criterion = the_drive.criteria.get(seq=1)
    response = login(cast.leader).post(
        reverse("campaigns:result", args=[club_reg.pk, criterion.pk]),
        {"achievement": "Kết nạp 12 hội viên", "self_points": "31"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["self_points"] == [
        vi("At most %(max)s points for this criterion.") % {"max": 30}
    ]
    assert not EmulationResult.objects.exists()


def test_evidence_that_is_not_what_its_name_says_is_refused(cast, login, the_drive, club_reg):
    criterion = the_drive.criteria.get(seq=1)
    response = login(cast.leader).post(
        reverse("campaigns:result", args=[club_reg.pk, criterion.pk]),
        {"achievement": "x", "self_points": "10", "evidence": upload("bien-ban.pdf", PNG)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"]
    assert not EmulationResult.objects.exists()
    assert not EmulationEvidence.objects.exists()


def test_review_and_final_scores_are_logged_and_ranked(cast, login, the_drive, club_reg):
    c1, c2 = the_drive.criteria.order_by("seq")
    area_reg = services.registration_create(
        drive=the_drive, area=cast.commune_a2, pledges="Xây dựng quỹ", by=cast.province
    )
    services.result_record(
        registration=club_reg, criterion=c1, achievement="x", self_points=25, by=cast.leader
    )
    client = login(cast.province)
    over = client.post(
        reverse("campaigns:score", args=[club_reg.pk]),
        {"stage": "reviewed", f"c{c1.pk}": "35", f"c{c2.pk}": "10"},
    )
    assert over.status_code == 200
    assert over.context["form"].errors[f"c{c1.pk}"]
    assert EmulationResult.objects.get(criterion=c1).review_points is None

    client.post(
        reverse("campaigns:score", args=[club_reg.pk]),
        {"stage": "reviewed", f"c{c1.pk}": "24", f"c{c2.pk}": "10"},
    )
    client.post(
        reverse("campaigns:score", args=[club_reg.pk]),
        {"stage": "final", f"c{c1.pk}": "22", f"c{c2.pk}": "10", "reason": "Hội đồng thi đua"},
    )
    services.scores_set(
        registration=area_reg, stage="final", points={c1.pk: 30, c2.pk: 18}, by=cast.province
    )
    club_reg.refresh_from_db()
    assert club_reg.stage == "final"
    result = EmulationResult.objects.get(registration=club_reg, criterion=c1)
    assert [h.final_points for h in result.history.order_by("history_date")][-1] == 22
    assert result.history.count() >= 3  # self-score, review, final
    page = client.get(reverse("campaigns:drive", args=[the_drive.pk])).content.decode()
    ranking = page[page.index('id="ranking"') :]
    assert ranking.index("Xã A Hai") < ranking.index(cast.club_a.name)  # 48 before 32
    # A final score is final.
    with pytest.raises(CampaignsError):
        services.scores_set(
            registration=club_reg, stage="final", points={c1.pk: 30}, by=cast.province
        )


def test_commune_staff_cannot_score_a_provincial_drive(cast, login, club_reg):
    assert (
        login(cast.commune).get(reverse("campaigns:score", args=[club_reg.pk])).status_code == 403
    )


def test_commendation_for_a_unit_that_did_not_register_is_refused(cast, login, the_drive, club_reg):
    response = login(cast.province).post(
        reverse("campaigns:commendation_add", args=[the_drive.pk]),
        {
            "recipient_kind": "unit",
            "unit": f"club:{cast.club_a2.pk}",
            "level": "gk_province",
            "decision_number": "12/QĐ-HNCT",
            "decision_date": "10/05/2025",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not Commendation.objects.exists()


def test_commendations_to_a_unit_and_a_member(cast, login, the_drive, club_reg):
    member = MemberFactory(club=cast.club_a, full_name="Lò Thị Hoa")
    client = login(cast.province)
    for data in (
        {"recipient_kind": "unit", "unit": f"club:{cast.club_a.pk}", "level": "bk_province"},
        {"recipient_kind": "member", "member": member.pk, "level": "gk_province"},
    ):
        response = client.post(
            reverse("campaigns:commendation_add", args=[the_drive.pk]),
            {**data, "decision_number": "15/QĐ-UBND", "decision_date": "10/05/2025"},
        )
        assert response.status_code == 302, response.context["form"].errors
    assert Commendation.objects.count() == 2
    page = client.get(reverse("campaigns:commendations", args=[the_drive.pk]) + "?print=1")
    text = page.content.decode()
    assert "Lò Thị Hoa" in text and cast.club_a.name in text and "data-print" in text
    viewer_page = login(cast.viewer).get(reverse("campaigns:commendations", args=[the_drive.pk]))
    assert "Lò Thị Hoa" not in viewer_page.content.decode()
    assert cast.club_a.name in viewer_page.content.decode()
    # The club's and the member's pages list them.
    club_page = login(cast.leader).get(reverse("clubs:club_detail", args=[cast.club_a.pk]))
    assert "15/QĐ-UBND" in club_page.content.decode()
    member_page = login(cast.leader).get(reverse("members:member_detail", args=[member.pk]))
    assert "15/QĐ-UBND" in member_page.content.decode()


def test_certificate_is_a_pdf_with_the_persons_name(cast, login, the_drive, club_reg):
    member = MemberFactory(club=cast.club_a, full_name="Lò Thị Hoa")
    commendation = services.commendation_record(
        drive=the_drive,
        recipient_kind="member",
        member=member,
        level="gk_province",
        decision_number="15/QĐ-HNCT",
        decision_date=DECIDED,
        by=cast.province,
    )
    response = login(cast.commune).get(reverse("campaigns:certificate", args=[commendation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Lò Thị Hoa" in pdf_title(response.content)
    assert (
        login(cast.viewer).get(reverse("campaigns:certificate", args=[commendation.pk])).status_code
        == 403
    )
    assert (
        login(cast.leader2)
        .get(reverse("campaigns:certificate", args=[commendation.pk]))
        .status_code
        == 404
    )


def test_commendation_decision_in_the_future_is_refused(cast, the_drive):
    with pytest.raises(CampaignsError) as err:
        services.commendation_record(
            drive=the_drive,
            recipient_kind="committee",
            person_name="Hoàng Văn Chư",
            person_area=cast.commune_a1,
            level="gk_commune",
            decision_number="1/QĐ",
            decision_date=datetime.date.today() + datetime.timedelta(days=3),
            by=cast.province,
        )
    assert "decision_date" in err.value.message_dict


def test_drive_pages_query_counts_are_fixed(cast, login, the_drive, django_assert_max_num_queries):
    from tests.factories import ClubFactory

    client = login(cast.province)
    url = reverse("campaigns:drive", args=[the_drive.pk])
    services.registration_create(drive=the_drive, club=cast.club_a, pledges="x", by=cast.province)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _i in range(5):
        club = ClubFactory(commune=cast.commune_a1)
        services.registration_create(drive=the_drive, club=club, pledges="x", by=cast.province)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
