"""The register's section of the dashboards: figures counted in SQL, in a fixed number of
queries, small groups hidden from viewers, nothing from another province."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.privacy import SUPPRESSED
from elders import services
from elders.selectors import dashboard
from tests.factories_elders import OlderPersonFactory, care_fund

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def register(cast):
    fund = care_fund(cast.commune_a1, balance=10_000_000)
    for i in range(6):
        OlderPersonFactory(
            commune=cast.commune_a1,
            sex="F",
            birth_year=YEAR - 80,
            living="alone" if i < 2 else "family",
            support="" if i < 3 else "pension",
        )
    for _ in range(3):
        OlderPersonFactory(
            commune=cast.commune_a2, sex="M", birth_year=YEAR - 65, is_association_member=True
        )
    OlderPersonFactory(commune=cast.commune_b1, sex="M", birth_year=YEAR - 90)
    OlderPersonFactory(
        commune=cast.commune_a1,
        sex="M",
        birth_year=YEAR - 70,
        died_on=TODAY - datetime.timedelta(days=1),
    )
    person = OlderPersonFactory(commune=cast.commune_a1, sex="M", birth_year=YEAR - 90)
    services.celebration_record(
        person=person,
        year=YEAR,
        occasion="jun6",
        held_on=TODAY,
        given_by="province",
        gift_value=500_000,
        fund=fund,
        by=cast.commune,
    )
    services.support_pay(
        person=person, fund=fund, amount=700_000, date=TODAY, purpose="sick_visit", by=cast.commune
    )
    return fund


def test_province_figures(cast, register, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        board = dashboard(viewer=cast.province, area=cast.province_a, day=TODAY)
    assert board.total == 10  # alive, province A only
    assert (board.women, board.men) == (6, 4)
    bands = {b["key"]: b for b in board.bands}
    assert bands["80"]["women"] == 6 and bands["60"]["men"] == 3 and bands["90"]["men"] == 1
    assert board.association == 3
    assert board.pension_gap == 4  # three women of 80 and the man of 90
    assert board.alone80 == 2
    assert board.card_gap == 10
    assert board.celebrations == 1 and board.gifts_value == 500_000
    assert board.celebrations_due == 8  # six of 80, one of 90, the one of 70 died this year
    assert board.support_paid == 700_000 + 0 and board.support_count == 1


def test_commune_figures_stay_in_the_commune(cast, register):
    board = dashboard(viewer=cast.commune, area=cast.commune_a1, day=TODAY)
    assert board.total == 7 and board.association == 0


def test_viewer_sees_small_groups_suppressed(cast, register):
    board = dashboard(viewer=cast.viewer, area=cast.province_a, day=TODAY)
    assert board.total == 10
    assert board.alone80 is SUPPRESSED
    assert board.support_paid is None


def test_dashboard_page_shows_the_section(cast, register, login):
    page = (
        login(cast.province)
        .get(reverse("reports:area", args=[cast.province_a.pk]))
        .content.decode()
    )
    assert "Người cao tuổi trên địa bàn" in page
    assert reverse("elders:register_list") + "?check=pension" in page
    page = (
        login(cast.viewer).get(reverse("reports:area", args=[cast.province_a.pk])).content.decode()
    )
    assert "Người cao tuổi trên địa bàn" in page
    assert "?check=pension" not in page
