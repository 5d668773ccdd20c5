"""Club pages: list, create, edit, status, board (happy paths and their rules)."""

import datetime

import pytest
from django.urls import reverse

from clubs.models import BoardPosition, Club, ClubStatusChange
from tests.factories import ClubFactory, MemberFactory
from tests.factories_members import (
    BoardPositionFactory,
)

pytestmark = pytest.mark.django_db


def _fill(club, n):
    MemberFactory.create_batch(n, club=club)


@pytest.mark.parametrize("n_clubs", [3, 40])
def test_club_list_runs_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries, n_clubs
):
    for _ in range(n_clubs):
        _fill(ClubFactory(commune=cast.commune_a1), 5)
    client = login(cast.province)
    url = reverse("clubs:club_list") + "?targets=missed&status=active"
    # 1 session, 2 user, 3 the user's area (scoping), 4 composition targets, 5 count,
    # 6 the page of clubs with their composition counts, 7 the commune choices of the filter.
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == n_clubs + 2


def test_club_list_shows_only_the_users_clubs(cast, login):
    response = login(cast.commune).get(reverse("clubs:club_list"))
    names = [club.name for club, _ in response.context["rows"]]
    assert names == [cast.club_a.name]


def test_club_list_search_and_filters(cast, login):
    other = ClubFactory(name="CLB LTH Nà Tăm", commune=cast.commune_a2, status=Club.Status.PAUSED)
    client = login(cast.province)
    rows = client.get(reverse("clubs:club_list") + "?q=na tam").context["rows"]
    assert [c for c, _ in rows] == [other]
    rows = client.get(reverse("clubs:club_list") + "?status=paused").context["rows"]
    assert [c for c, _ in rows] == [other]
    rows = client.get(reverse("clubs:club_list") + f"?commune={cast.commune_a1.pk}").context["rows"]
    assert [c for c, _ in rows] == [cast.club_a]
    rows = client.get(reverse("clubs:club_list") + "?targets=met").context["rows"]
    assert rows == []


def test_staff_create_a_club_with_its_founding_decision(cast, login):
    client = login(cast.commune)
    response = client.post(
        reverse("clubs:club_create"),
        {
            "commune": cast.commune_a1.pk,
            "name": "CLB LTH Bản Phiêng",
            "village": "Bản Phiêng",
            "founded_on": "21/03/2024",
            "decision_number": "123/QĐ-UBND",
            "decision_date": "10/03/2024",
            "decision_issuer": "UBND xã",
            "meeting_rule": "day_of_month",
            "meeting_day": 21,
            "meeting_time": "08:00",
            "meeting_every_months": 1,
            "supporter": "vae",
        },
    )
    club = Club.objects.get(name="CLB LTH Bản Phiêng")
    assert response.status_code == 302
    assert club.code == f"CLB-{cast.commune_a1.code}-01"
    assert (club.decision_number, club.decision_date) == ("123/QĐ-UBND", datetime.date(2024, 3, 10))
    assert club.history.first().history_user == cast.commune


def test_commune_staff_cannot_found_a_club_in_another_commune(cast, login):
    response = login(cast.commune).post(
        reverse("clubs:club_create"),
        {"commune": cast.commune_a2.pk, "name": "X", "meeting_rule": "none", "supporter": "vae"},
    )
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert not Club.objects.filter(name="X").exists()


def test_leader_edits_only_the_profile(cast, login):
    client = login(cast.leader)
    url = reverse("clubs:club_edit", args=[cast.club_a.pk])
    form = client.get(url).context["form"]
    assert "decision_number" not in form.fields
    assert "commune" not in form.fields
    response = client.post(
        url,
        {
            "name": "CLB LTH Bản Mới (sửa)",
            "village": "Bản Mới",
            "meeting_rule": "day_of_month",
            "meeting_day": 17,
            "meeting_time": "07:30",
            "meeting_every_months": 1,
            "supporter": "helpage",
            "commune": cast.commune_a2.pk,  # ignored: not the leader's to change
        },
    )
    assert response.status_code == 302
    cast.club_a.refresh_from_db()
    assert (cast.club_a.name, cast.club_a.meeting_day) == ("CLB LTH Bản Mới (sửa)", 17)
    assert cast.club_a.commune == cast.commune_a1


def test_edit_shows_errors_in_vietnamese(cast, login):
    response = login(cast.leader).post(
        reverse("clubs:club_edit", args=[cast.club_a.pk]),
        {
            "name": "",
            "meeting_rule": "day_of_month",
            "meeting_time": "08:00",
            "meeting_every_months": 1,
            "supporter": "vae",
        },
    )
    assert response.status_code == 200
    assert "Choose the day of the month" not in response.content.decode()
    assert "Hãy chọn ngày sinh hoạt trong tháng." in response.content.decode()


def test_status_change_is_recorded(cast, login):
    client = login(cast.commune)
    response = client.post(
        reverse("clubs:club_status", args=[cast.club_a.pk]),
        {"status": "paused", "changed_on": "01/02/2025", "reason": "Chủ nhiệm chuyển đi"},
    )
    assert response.status_code == 302
    cast.club_a.refresh_from_db()
    assert cast.club_a.status == "paused"
    change = ClubStatusChange.objects.get(club=cast.club_a)
    assert (change.status, change.changed_on, change.by) == (
        "paused",
        datetime.date(2025, 2, 1),
        cast.commune,
    )


def test_status_change_needs_a_reason(cast, login):
    response = login(cast.commune).post(
        reverse("clubs:club_status", args=[cast.club_a.pk]),
        {"status": "dissolved", "changed_on": "01/02/2025", "reason": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not ClubStatusChange.objects.exists()


def test_board_positions_with_terms(cast, login):
    member = MemberFactory(club=cast.club_a)
    client = login(cast.leader)
    url = reverse("clubs:board_add", args=[cast.club_a.pk])
    data = {"member": member.pk, "position": "chair", "start_on": "01/01/2024"}
    assert client.post(url, data).status_code == 302
    seat = BoardPosition.objects.get()
    # A second chair while the first is in office is refused.
    other = MemberFactory(club=cast.club_a)
    response = client.post(url, {**data, "member": other.pk})
    assert response.context["form"].errors["position"]
    end = reverse("clubs:board_end", args=[cast.club_a.pk, seat.pk])
    assert client.post(end, {"end_on": "31/12/2025"}).status_code == 302
    seat.refresh_from_db()
    assert seat.end_on == datetime.date(2025, 12, 31)
    assert (
        client.post(url, {**data, "member": other.pk, "start_on": "01/01/2026"}).status_code == 302
    )
    page = client.get(reverse("clubs:club_detail", args=[cast.club_a.pk])).content.decode()
    assert other.full_name in page and member.full_name in page


def test_board_member_must_belong_to_the_club(cast, login):
    outsider = MemberFactory(club=cast.club_a2)
    response = login(cast.commune).post(
        reverse("clubs:board_add", args=[cast.club_a.pk]),
        {"member": outsider.pk, "position": "chair", "start_on": "01/01/2024"},
    )
    assert response.status_code == 200
    assert not BoardPosition.objects.exists()


def test_club_page_shows_history_to_staff_only(cast, login):
    BoardPositionFactory(club=cast.club_a)
    staff = login(cast.commune).get(reverse("clubs:club_detail", args=[cast.club_a.pk]))
    assert staff.context["history"] is not None
    leader = login(cast.leader).get(reverse("clubs:club_detail", args=[cast.club_a.pk]))
    assert leader.context["history"] is None


def test_leader_reaches_their_club_in_one_tap(cast, login):
    html = login(cast.leader).get(reverse("home")).content.decode()
    assert reverse("clubs:club_detail", args=[cast.club_a.pk]) in html
    assert reverse("members:member_list", args=[cast.club_a.pk]) in html


def test_the_commune_filter_offers_every_commune_in_scope_and_nothing_else(cast, login):
    from tests.factories import CommuneFactory

    empty = CommuneFactory(name="Xã Chưa Có CLB", parent=cast.province_a)
    page = login(cast.province).get(reverse("clubs:club_list"))
    options = dict(page.context["filter_form"].fields["commune"].choices)
    names = {str(label) for label in options.values()}
    assert {"Xã A Một", "Xã A Hai", "Xã Chưa Có CLB"} <= names
    assert "Xã B Một" not in names
    filtered = login(cast.province).get(reverse("clubs:club_list"), {"commune": empty.pk})
    assert list(filtered.context["page_obj"].object_list) == []
    outside = login(cast.province).get(reverse("clubs:club_list"), {"commune": cast.commune_b1.pk})
    assert cast.club_b not in [club for club, _comp in outside.context["rows"]]
