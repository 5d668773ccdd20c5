"""The server side of the dues quick entry kept on a leader's phone (funds/views.py
``dues_sync``, month/offline.py ``dues_urls``, docs/offline.md): recorded once whatever the
retries, refused row by row, a locked month, a member paid meanwhile or gone, the door."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import IdempotencyKey, Role
from funds import services
from funds.models import Contribution, LedgerEntry
from month import offline
from month.models import MonthlyReport
from tests.factories import MemberFactory, UserFactory
from tests.factories_funds import operating

pytestmark = pytest.mark.django_db


@pytest.fixture
def month_now():
    today = timezone.localdate()
    return today, today.year, today.month


@pytest.fixture
def members(cast):
    return [
        MemberFactory(club=cast.club_a, full_name=name, joined_on=datetime.date(2020, 1, 1))
        for name in ("Lò Thị Xuân", "Tòng Văn Ơn", "Quàng Thị Mai")
    ]


def _sync_url(club, year, month):
    return f"{reverse('funds:dues_sync', args=[club.pk])}?year={year}&month={month}"


def _entry(day, amounts, key=None):
    data = {"date": f"{day:%d/%m/%Y}", "once_key": key or str(uuid.uuid4())}
    data.update({f"m{member.pk}": amount for member, amount in amounts.items()})
    return data


def test_dues_sent_from_the_phone_are_recorded_once_whatever_the_retries(
    cast, login, members, month_now
):
    today, year, month = month_now
    client = login(cast.leader)
    data = _entry(today, {members[0]: "20.000", members[1]: "30000"})
    answers = [client.post(_sync_url(cast.club_a, year, month), data) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    first = answers[0].json()
    assert first["state"] == "sent"
    assert (
        first["url"] == f"{reverse('funds:dues', args=[cast.club_a.pk])}?year={year}&month={month}"
    )
    assert all(a.json() == first for a in answers)  # a repeat answers with the first answer
    assert Contribution.objects.filter(year=year, month=month).count() == 2
    assert LedgerEntry.objects.filter(category=LedgerEntry.Category.DUES).count() == 2
    assert operating(cast.club_a).balance == 50_000
    assert IdempotencyKey.objects.filter(key=data["once_key"]).count() == 1


def test_the_plain_form_sent_twice_is_recorded_once_and_answered_like_the_first(
    cast, login, members, month_now
):
    today, year, month = month_now
    client = login(cast.leader)
    url = f"{reverse('funds:dues_record', args=[cast.club_a.pk])}?year={year}&month={month}"
    data = _entry(today, {members[0]: "20.000"})
    first, again = client.post(url, data), client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Contribution.objects.count() == 1


def test_a_refused_entry_comes_back_with_the_errors_by_row_and_records_nothing(
    cast, login, members, month_now
):
    today, year, month = month_now
    response = login(cast.leader).post(
        _sync_url(cast.club_a, year, month),
        _entry(today, {members[0]: "20.000", members[1]: "abc", members[2]: "-5"}),
    )
    assert response.status_code == 422
    answer = response.json()
    assert answer["state"] == "refused"
    assert set(answer["errors"]) == {f"m{members[1].pk}", f"m{members[2].pk}"}
    assert "1.500.000" in answer["errors"][f"m{members[1].pk}"][0]  # the example amount
    assert not Contribution.objects.exists() and not LedgerEntry.objects.exists()


def test_an_amount_out_of_range_and_a_future_date_are_refused_beside_their_rows(
    cast, login, members, month_now
):
    today, year, month = month_now
    response = login(cast.leader).post(
        _sync_url(cast.club_a, year, month),
        _entry(today + datetime.timedelta(days=3), {members[0]: "999.999.999.999.999"}),
    )
    errors = response.json()["errors"]
    assert response.status_code == 422 and {"date", f"m{members[0].pk}"} <= set(errors)
    assert not Contribution.objects.exists()


def test_a_locked_month_is_refused_with_the_reason_beside_the_date(cast, login, members, month_now):
    today, year, month = month_now
    MonthlyReport.objects.create(
        club=cast.club_a, year=year, month=month, status=MonthlyReport.Status.APPROVED
    )
    response = login(cast.leader).post(
        _sync_url(cast.club_a, year, month), _entry(today, {members[0]: "20.000"})
    )
    assert response.status_code == 422
    assert response.json()["errors"]["date"]
    assert not Contribution.objects.exists()


def test_dues_recorded_meanwhile_by_another_board_member_refuse_that_row_with_both_versions(
    cast, login, members, month_now
):
    today, year, month = month_now
    deputy = UserFactory(
        username="deputy", role=Role.CLUB_LEADER, club=cast.club_a, first_name="Lò", last_name="Phó"
    )
    services.dues_record(
        club=cast.club_a, year=year, month=month, amounts={members[0]: 25_000}, on=today, by=deputy
    )
    response = login(cast.leader).post(
        _sync_url(cast.club_a, year, month),
        _entry(today, {members[0]: "20.000", members[1]: "20.000"}),
    )
    assert response.status_code == 422
    answer = response.json()
    name = f"m{members[0].pk}"
    assert list(answer["errors"]) == [name]
    assert "Lò Phó" in answer["errors"][name][0] and "25.000" in answer["errors"][name][0]
    assert answer["server"] == {
        name: {"amount": "25.000 ₫", "day": f"{today:%d/%m/%Y}", "who": "Lò Phó"}
    }
    # Nothing recorded twice, and not the other row either (all or none).
    assert Contribution.objects.get(member=members[0]).amount == 25_000
    assert not Contribution.objects.filter(member=members[1]).exists()
    assert operating(cast.club_a).balance == 25_000


def test_a_member_who_left_meanwhile_is_refused_beside_the_row(cast, login, members, month_now):
    today, year, month = month_now
    members[2].left_on = today.replace(day=1)
    members[2].save()
    response = login(cast.leader).post(
        _sync_url(cast.club_a, year, month), _entry(today, {members[2]: "20.000"})
    )
    assert response.status_code == 422
    assert "Quàng Thị Mai" in response.json()["errors"][f"m{members[2].pk}"][0]
    assert not Contribution.objects.exists()


def test_a_box_for_a_member_of_another_club_records_nothing(cast, login, members, month_now):
    today, year, month = month_now
    stranger = MemberFactory(club=cast.club_b)
    response = login(cast.leader).post(
        _sync_url(cast.club_a, year, month), _entry(today, {stranger: "20.000"})
    )
    assert response.status_code == 422 and response.json()["general"]
    assert not Contribution.objects.exists()


def test_the_sync_door_is_the_quick_entrys_door(cast, login, members, month_now):
    today, year, month = month_now
    data = _entry(today, {members[0]: "20.000"})
    url = _sync_url(cast.club_a, year, month)
    assert login(cast.leader2).post(url, data).status_code == 404  # another club's leader
    assert login(cast.viewer).post(url, data).status_code == 403
    assert login(cast.leader).get(url).status_code == 405
    assert not Contribution.objects.exists()
    # Staff of the commune may still record them (nothing changes for staff).
    assert login(cast.commune).post(url, data).json()["state"] == "sent"


def test_only_the_leaders_own_quick_entry_is_marked_to_keep_on_the_phone(
    cast, login, members, month_now
):
    _, year, month = month_now
    url = f"{reverse('funds:dues_record', args=[cast.club_a.pk])}?year={year}&month={month}"
    page = login(cast.leader).get(url)
    html = page.content.decode()
    assert page["X-ISHC-User"] == str(cast.leader.pk)
    assert (
        'data-offline="dues"' in html and reverse("funds:dues_sync", args=[cast.club_a.pk]) in html
    )
    assert page.context["offline_texts"]["draft"] == "Đã lưu trên máy — chưa gửi"
    staff = login(cast.commune).get(url)
    assert "X-ISHC-User" not in staff and 'data-offline="dues"' not in staff.content.decode()
    assert "Lò Thị Xuân" in staff.content.decode()  # the plain form as before


def test_the_phone_keeps_the_dues_pages_of_the_leaders_own_club_only(cast, login, month_now):
    today, year, month = month_now
    pages = login(cast.leader).get(reverse("month:offline_state")).json()["pages"]
    record = reverse("funds:dues_record", args=[cast.club_a.pk])
    assert reverse("funds:dues", args=[cast.club_a.pk]) in pages
    assert record in pages and f"{record}?year={year}&month={month}" in pages
    assert not any(f"/clubs/{cast.club_b.pk}/" in page for page in pages)
    assert offline.dues_urls(cast.commune, today) == []
    other = login(cast.leader2).get(reverse("month:offline_state")).json()["pages"]
    assert not any(f"/clubs/{cast.club_a.pk}/" in page for page in other)


def test_the_service_worker_keeps_dues_pages_and_can_send_by_itself(client, db):
    body = client.get("/sw.js").content.decode()
    assert "dues" in body  # the pages it keeps
    assert "importScripts" in body and "/static/js/offline.js" in body  # Background Sync
