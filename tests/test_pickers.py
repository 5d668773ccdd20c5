"""Pickers of people and clubs (config/pickers.py): search as one types, at most 20 results,
namesakes told apart, scoped like the form, and a form that works without JavaScript."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from clubs.models import BoardPosition, Club
from config.pickers import PICK_LIMIT
from config.text import fold
from funds.models import Loan
from members.models import CareAssignment, Member
from tests.factories import MemberFactory, UserFactory
from tests.factories_members import BoardPositionFactory, VolunteerFactory
from tests.factories_trainings import TrainingFactory
from trainings import selectors as training_selectors

pytestmark = pytest.mark.django_db

# A page of the app may draw a short list (positions, categories, a commune's areas); a list
# that grows with the register or the province is a picker.
MAX_OPTIONS = 300
BIG = 320


def _radios(html: str, name: str) -> list[str]:
    return re.findall(rf'type="radio" name="{name}" value="(\d+)"', html)


@pytest.fixture
def namesakes(cast):
    """Two members of the leader's club with the same name, born apart, in two villages."""
    older = VolunteerFactory(
        club=cast.club_a, full_name="Lò Thị Xuân", birth_year=1948, village="Bản Mới"
    )
    younger = VolunteerFactory(
        club=cast.club_a, full_name="Lò Thị Xuân", birth_year=1961, village="Bản Hon"
    )
    return older, younger


def test_namesakes_are_told_apart_by_year_and_village(login, cast, namesakes):
    html = login(cast.leader).get(reverse("members:care_list", args=[cast.club_a.pk])).text
    assert html.count("Lò Thị Xuân</span>") >= 2
    assert "1948 · Bản Mới" in html
    assert "1961 · Bản Hon" in html


def test_search_is_accent_free_scoped_and_limited(login, cast, namesakes):
    Member.objects.bulk_create(
        Member(
            club=cast.club_a,
            full_name=f"Lò Văn Xuân {i}",
            search_name=fold(f"Lò Văn Xuân {i}"),
            sex=Member.Sex.MALE,
            birth_year=1950,
        )
        for i in range(30)
    )
    MemberFactory(club=cast.club_b, full_name="Lò Thị Xuân Khác")  # another province
    MemberFactory(club=cast.club_a, full_name="Lò Thị Xuân Đã Rời", left_on=datetime.date.today())
    client = login(cast.leader)
    url = reverse("members:member_pick", args=[cast.club_a.pk])

    found = client.get(url, {"name": "recipient", "recipient_q": "lo thi xuan"}).text
    assert sorted(_radios(found, "recipient")) == sorted(str(m.pk) for m in namesakes)
    assert "Khác" not in found and "Đã Rời" not in found

    many = client.get(url, {"name": "recipient", "recipient_q": "xuan"}).text
    assert len(_radios(many, "recipient")) == PICK_LIMIT
    assert "type more of the name" in many or "gõ thêm" in many

    # The choice ticked so far stays on top, ticked, whatever is typed next.
    kept = client.get(
        url, {"name": "recipient", "recipient": namesakes[1].pk, "recipient_q": "van"}
    ).text
    assert _radios(kept, "recipient")[0] == str(namesakes[1].pk)
    assert f'value="{namesakes[1].pk}" id="recipient_0" checked' in kept

    volunteers = client.get(url, {"name": "volunteer", "only": "volunteer"}).text
    assert sorted(_radios(volunteers, "volunteer")) == sorted(str(m.pk) for m in namesakes)


def test_search_views_refuse_outsiders_and_readers(login, cast, namesakes):
    member = namesakes[0]
    training = TrainingFactory(organiser=cast.province_a)
    urls = [
        reverse("members:member_pick", args=[cast.club_a.pk]),
        reverse("members:transfer_clubs", args=[member.pk]),
        reverse("trainings:pick_member", args=[training.pk]),
        reverse("trainings:pick_user", args=[training.pk]),
    ]
    outsider = login(cast.leader2)
    for url in urls:
        assert outsider.get(url, {"name": "x", "x_q": "xuan"}).status_code == 404, url
    reader = login(cast.viewer)
    for url in urls:
        response = reader.get(url, {"name": "x", "x_q": "xuan"})
        assert response.status_code == 403, url
        assert "Xuân" not in response.text
    assert login(cast.province).get(urls[0], {"name": "x", "x_q": "xuan"}).status_code == 200


def test_without_javascript_the_typed_name_is_matched_on_the_server(login, cast, namesakes):
    client = login(cast.leader)
    url = reverse("members:care_list", args=[cast.club_a.pk])
    recipient = MemberFactory(club=cast.club_a, full_name="Quàng Văn Pánh", birth_year=1940)

    ambiguous = client.post(
        url, {"volunteer_q": "lo thi xuan", "recipient_q": "pánh", "start_on": "01/03/2026"}
    )
    assert ambiguous.status_code == 200
    assert "lo thi xuan" in ambiguous.text
    assert sorted(_radios(ambiguous.text, "volunteer")) == sorted(str(m.pk) for m in namesakes)
    assert not CareAssignment.objects.exists()

    nobody = client.post(
        url, {"volunteer": namesakes[0].pk, "recipient_q": "khong co ai", "start_on": "01/03/2026"}
    )
    assert nobody.status_code == 200
    assert "khong co ai" in nobody.text
    assert not CareAssignment.objects.exists()

    done = client.post(
        url, {"volunteer": namesakes[0].pk, "recipient_q": "quang pan", "start_on": "01/03/2026"}
    )
    assert done.status_code == 302
    assert CareAssignment.objects.get().recipient == recipient


def test_a_picked_person_outside_the_form_is_refused(login, cast, namesakes):
    stranger = VolunteerFactory(club=cast.club_b)
    response = login(cast.leader).post(
        reverse("members:care_list", args=[cast.club_a.pk]),
        {"volunteer": stranger.pk, "recipient": namesakes[0].pk, "start_on": "01/03/2026"},
    )
    assert response.status_code == 200
    assert not CareAssignment.objects.exists()


def test_loan_borrower_is_picked_by_name(login, cast, namesakes):
    from tests.factories_funds import deposit, revolving

    deposit(revolving(cast.club_a), 10_000_000)
    client = login(cast.leader)
    url = reverse("funds:loan_create", args=[cast.club_a.pk])
    page = client.get(url).text
    assert "1961 · Bản Hon" in page
    assert reverse("members:member_pick", args=[cast.club_a.pk]) in page
    response = client.post(
        url,
        {
            "borrower": namesakes[1].pk,
            "principal": "2.000.000",
            "purpose": "Nuôi lợn",
            "monthly_rate": "0,5",
            "term_months": "12",
            "method": Loan.Method.EQUAL_PRINCIPAL,
            "requested_on": datetime.date.today().strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302, response.text
    assert Loan.objects.get().borrower == namesakes[1]


def test_training_board_choice_lists_current_board_members_only(cast):
    seated = BoardPositionFactory(club=cast.club_a).member
    ended = BoardPositionFactory(club=cast.club_a2, end_on=datetime.date(2025, 1, 1)).member
    never = MemberFactory(club=cast.club_a)
    elsewhere = BoardPositionFactory(club=cast.club_b).member
    listed = set(training_selectors.board_members(viewer=cast.province))
    assert seated in listed
    assert ended not in listed and never not in listed and elsewhere not in listed


def test_training_participant_is_picked_from_the_board(login, cast):
    seat = BoardPositionFactory(club=cast.club_a2, member__full_name="Hà Văn Chủnhiệm")
    training = TrainingFactory(organiser=cast.province_a)
    client = login(cast.province)
    found = client.get(
        reverse("trainings:pick_member", args=[training.pk]),
        {"name": "member", "member_q": "chunhiem"},
    ).text
    assert _radios(found, "member") == [str(seat.member_id)]
    assert cast.club_a2.name in found


@pytest.fixture
def big(cast):
    """A club of BIG members, a province of BIG more clubs each with a seated chair, and BIG
    accounts: every list that grows with the data would draw hundreds of options."""
    commune = cast.commune_a1
    Member.objects.bulk_create(
        Member(
            club=cast.club_a,
            full_name=f"Thành Viên {i}",
            search_name=fold(f"Thành Viên {i}"),
            sex=Member.Sex.FEMALE,
            birth_year=1950,
            is_volunteer=True,
        )
        for i in range(BIG)
    )
    clubs = Club.objects.bulk_create(
        Club(
            code=f"CLB-BIG-{i:04d}",
            name=f"CLB Lớn {i}",
            search_name=fold(f"CLB Lớn {i}"),
            commune=commune,
            province=cast.province_a,
            founded_on=datetime.date(2020, 1, 1),
        )
        for i in range(BIG)
    )
    chairs = Member.objects.bulk_create(
        Member(
            club=club,
            full_name=f"Chủ Nhiệm {i}",
            search_name=fold(f"Chủ Nhiệm {i}"),
            sex=Member.Sex.MALE,
            birth_year=1955,
        )
        for i, club in enumerate(clubs)
    )
    BoardPosition.objects.bulk_create(
        BoardPosition(
            club_id=m.club_id,
            member=m,
            position=BoardPosition.Position.CHAIR,
            start_on=datetime.date(2024, 1, 1),
        )
        for m in chairs
    )
    for i in range(0, BIG, 40):
        UserFactory.create_batch(40, role=Role.CLUB_LEADER, club=clubs[i])
    return chairs


def test_no_form_draws_hundreds_of_options(login, cast, big):
    from tests.factories_funds import operating, revolving
    from tests.factories_month import HomeCareVisitFactory

    revolving(cast.club_a)
    fund = operating(cast.club_a)
    member, other = Member.objects.filter(club=cast.club_a)[:2]
    visit = HomeCareVisitFactory(club=cast.club_a, volunteer=member, recipient=other)
    training = TrainingFactory(organiser=cast.province_a)
    pages = {
        cast.leader: [
            reverse("members:care_list", args=[cast.club_a.pk]),
            reverse("funds:loan_create", args=[cast.club_a.pk]),
            reverse("funds:entry_create", args=[fund.pk]),
            reverse("month:visit_add", args=[cast.club_a.pk]),
            reverse("month:visit_edit", args=[visit.pk]),
            reverse("clubs:board_add", args=[cast.club_a.pk]),
        ],
        cast.province: [
            reverse("members:member_transfer", args=[member.pk]),
            reverse("trainings:participant_add", args=[training.pk]),
            reverse("members:care_list", args=[cast.club_a.pk]),
        ],
    }
    for user, urls in pages.items():
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            options = response.text.count("<option")
            assert options <= MAX_OPTIONS, f"{url}: {options} options"
            assert 'type="radio"' in response.text, url  # the picker is there
