"""The demo: about 20 clubs in several Lai Châu communes, some missing targets; idempotent."""

import io
import time

import pytest

from clubs.models import BoardPosition, Club
from members.models import CareAssignment, Member
from members.selectors import club_composition
from tests.factories_members import fast_passwords  # noqa: F401

pytestmark = pytest.mark.django_db


def seed():
    import accounts.demo
    import clubs.demo
    import members.demo

    out = io.StringIO()
    for module in (clubs.demo, accounts.demo, members.demo):
        module.seed(out)


def counts():
    return (
        Club.objects.count(),
        Member.objects.count(),
        BoardPosition.objects.count(),
        CareAssignment.objects.count(),
    )


def test_demo_is_idempotent_fast_and_shows_flags():
    started = time.perf_counter()
    seed()
    assert time.perf_counter() - started < 10
    first = counts()
    seed()
    assert counts() == first
    clubs = list(Club.objects.select_related("commune"))
    assert len(clubs) == 20
    assert len({c.commune_id for c in clubs}) >= 6
    results = [club_composition(club=c).meets_all for c in clubs]
    assert any(results) and not all(results)
    for club in clubs:
        positions = set(club.board_positions.values_list("position", flat=True))
        assert {"chair", "vice_chair", "secretary", "treasurer"} <= positions
    assert Member.objects.filter(birth_date__isnull=True).exists()
    assert Member.objects.filter(left_on__isnull=False).exists()
    assert CareAssignment.objects.exists()
