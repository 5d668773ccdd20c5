"""What cannot be undone is done on purpose: the dues form starts empty, and recording
everyone as paid is its own button."""

import pytest
from django.urls import reverse

from funds.models import Contribution
from funds.services import dues_record
from tests.factories import MemberFactory
from tests.factories_funds import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def club_paid_before(cast):
    """club_a, whose members paid 10.000 ₫ last month, and three members who owe this month."""
    members = [MemberFactory(club=cast.club_a) for _ in range(3)]
    dues_record(
        club=cast.club_a, year=2024, month=12, amounts=dict.fromkeys(members, 10_000),
        on=DAY, by=cast.leader,
    )  # fmt: skip
    return members


def _url(cast):
    return reverse("funds:dues_record", args=[cast.club_a.pk]) + "?year=2025&month=1"


def test_the_dues_boxes_start_empty(cast, login, club_paid_before):
    page = login(cast.leader).get(_url(cast)).content.decode()
    for m in club_paid_before:
        assert f'name="m{m.pk}" id="id_m{m.pk}" value=""' in page
    assert 'id="all-paid"' in page and "Tất cả đã đóng" in page


def test_saving_the_empty_form_records_nobody(cast, login, club_paid_before):
    response = login(cast.leader).post(_url(cast), {"date": "21/01/2025"})
    assert response.status_code == 200
    assert not Contribution.objects.filter(year=2025).exists()


def test_everyone_has_paid_records_the_usual_amount_for_each_box_left_empty(
    cast, login, club_paid_before
):
    a, *_ = club_paid_before
    response = login(cast.leader).post(
        _url(cast), {"date": "21/01/2025", f"m{a.pk}": "20.000", "all_paid": "1"}
    )
    assert response.status_code == 302
    paid = dict(Contribution.objects.filter(year=2025).values_list("member_id", "amount"))
    assert paid == {a.pk: 20_000, **{m.pk: 10_000 for m in club_paid_before[1:]}}


def test_the_dues_entry_is_for_the_clubs_own_writers(cast, login, club_paid_before):
    assert login(cast.leader2).get(_url(cast)).status_code == 404
    assert login(cast.viewer).post(_url(cast), {"all_paid": "1"}).status_code == 403
