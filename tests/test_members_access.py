"""Every scoped URL of the clubs and members pages: outsiders get 404, viewers 403 on writes."""

import pytest
from django.urls import reverse

from members.models import Member
from tests.factories_members import (
    SCOPED_URLS,
    ClubObjects,
)
from tests.factories_month import vi

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What each page shows the province's staff about a club of their province.
PROVINCE_SEES = {
    "clubs:club_detail": "member",
    "clubs:club_edit": "club",
    "clubs:club_status": "club",
    "clubs:board_add": "member",
    "clubs:board_end": "member",
    "clubs:area_composition": "commune",
    "members:member_list": "member",
    "members:member_create": "club",
    "members:import_upload": "club",
    "members:club_export": XLSX,
    "members:care_list": "volunteer",
    "members:area_export": XLSX,
    "members:member_detail": "member",
    "members:member_edit": "member",
    "members:member_leave": "member",
    "members:member_transfer": "member",
    "members:import_preview": "club",
    "members:import_progress": "progress",
    "members:care_end": "volunteer",
}


@pytest.fixture
def objs_a(cast):
    return ClubObjects(cast.club_a)


@pytest.fixture
def objs_a2(cast):
    return ClubObjects(cast.club_a2)


@pytest.mark.parametrize(("name", "needs", "_post"), SCOPED_URLS)
def test_leader_of_another_club_gets_404(cast, login, objs_a, name, needs, _post):
    client = login(cast.leader2)
    url = reverse(name, kwargs=objs_a.kwargs(needs))
    if name != "members:consent_withdraw":
        assert client.get(url).status_code == 404
    if _post:
        assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize(("name", "needs", "_post"), SCOPED_URLS)
def test_commune_staff_get_404_in_another_commune(cast, login, objs_a2, name, needs, _post):
    client = login(cast.commune)
    url = reverse(name, kwargs=objs_a2.kwargs(needs))
    if name != "members:consent_withdraw":
        assert client.get(url).status_code == 404
    if _post:
        assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize(("name", "needs"), [(n, k) for n, k, post in SCOPED_URLS if post])
def test_viewer_gets_403_on_every_post(cast, login, objs_a, name, needs):
    client = login(cast.viewer)
    before = Member.objects.count()
    response = client.post(reverse(name, kwargs=objs_a.kwargs(needs)), {"reason": "x"})
    assert response.status_code == 403
    assert Member.objects.count() == before


def test_viewer_cannot_create_a_club(cast, login):
    client = login(cast.viewer)
    assert client.post(reverse("clubs:club_create"), {"name": "X"}).status_code == 403


@pytest.mark.parametrize(("name", "needs"), [(n, k) for n, k, post in SCOPED_URLS if not post])
def test_read_pages_refuse_post(cast, login, objs_a, name, needs):
    response = login(cast.leader).post(reverse(name, kwargs=objs_a.kwargs(needs)))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("name", "needs"), [(n, k) for n, k, post in SCOPED_URLS if n != "members:consent_withdraw"]
)
def test_province_staff_reach_every_page_of_their_province(cast, login, objs_a2, name, needs):
    response = login(cast.province).get(reverse(name, kwargs=objs_a2.kwargs(needs)))
    assert response.status_code == 200
    shows = PROVINCE_SEES[name]
    if shows == XLSX:
        assert response["Content-Type"] == XLSX
    else:
        expected = {
            "club": objs_a2.club.name,
            "commune": cast.commune_a2.name,
            "member": objs_a2.member.full_name,
            "volunteer": objs_a2.assignment.volunteer.full_name,
            "progress": vi("Adding members…"),
        }[shows]
        assert expected in response.content.decode()


def test_viewer_is_refused_the_care_list(cast, login, objs_a):
    """Care needs are health data: a viewer sees aggregates only."""
    response = login(cast.viewer).get(reverse("members:care_list", args=[cast.club_a.pk]))
    assert response.status_code == 403


def test_leader_cannot_create_clubs(cast, login):
    client = login(cast.leader)
    assert client.get(reverse("clubs:club_create")).status_code == 403
    response = client.post(
        reverse("clubs:club_create"),
        {"name": "CLB mới", "commune": cast.commune_a1.pk, "meeting_rule": "none"},
    )
    assert response.status_code == 403


def test_leader_cannot_edit_another_club(cast, login):
    client = login(cast.leader)
    url = reverse("clubs:club_edit", args=[cast.club_a2.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Đổi tên"}).status_code == 404
    cast.club_a2.refresh_from_db()
    assert cast.club_a2.name == "CLB LTH Bản Hon"


def test_leader_cannot_change_their_club_status(cast, login):
    response = login(cast.leader).post(
        reverse("clubs:club_status", args=[cast.club_a.pk]),
        {"status": "dissolved", "changed_on": "01/01/2025", "reason": "x"},
    )
    assert response.status_code == 403
