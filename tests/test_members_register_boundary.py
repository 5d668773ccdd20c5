"""On the register on day D: who joined on D is on it, who left on D is not (docs/members.md).

The same rule wherever the register is read: the queryset, the Q for aggregates, the Python
check, a meeting's roster, the monthly report's "on the register at month end", the dues not
paid and the dashboards.
"""

import datetime

import pytest

from funds.selectors import unpaid_members
from members.models import Member, on_register_q, was_on_register
from month.selectors import meeting_roster, report_figures
from reports import summary
from reports.models import ClubMonthSummary
from tests.factories import MemberFactory
from tests.factories_month import MeetingFactory

pytestmark = pytest.mark.django_db

D = datetime.date(2024, 5, 31)  # the last day of May 2024
BEFORE = D - datetime.timedelta(days=40)


@pytest.fixture
def people(cast):
    """Four members of club_a around day D."""
    return {
        "joined_on_d": MemberFactory(club=cast.club_a, full_name="A", joined_on=D),
        "left_on_d": MemberFactory(club=cast.club_a, full_name="B", joined_on=BEFORE, left_on=D),
        "left_after_d": MemberFactory(
            club=cast.club_a, full_name="C", joined_on=BEFORE, left_on=D + datetime.timedelta(1)
        ),
        "joins_after_d": MemberFactory(
            club=cast.club_a, full_name="D", joined_on=D + datetime.timedelta(1)
        ),
    }


def names(members) -> set[str]:
    return {m.full_name for m in members}


def test_joined_on_the_day_counts_and_left_on_the_day_does_not(people):
    on_register = {"A", "C"}
    assert names(Member.objects.on_register(D)) == on_register
    assert names(Member.objects.filter(on_register_q(D))) == on_register
    assert {m.full_name for m in people.values() if m.is_on_register(D)} == on_register
    assert not was_on_register(BEFORE, D, D)
    assert was_on_register(D, None, D)


def test_the_meeting_roster_and_the_dues_follow_the_rule(cast, people):
    meeting = MeetingFactory(club=cast.club_a, date=D)
    assert names(meeting_roster(meeting)) == {"A", "C"}
    assert names(unpaid_members(club=cast.club_a, year=2024, month=5)) == {"A", "C"}


def test_the_monthly_report_and_the_dashboard_count_the_same_register(cast, people):
    assert report_figures(cast.club_a, 2024, 5)["members"]["at_end"] == 2
    summary.compute_clubs([cast.club_a.pk], [202405])
    assert ClubMonthSummary.objects.get(club=cast.club_a, ym=202405).members == 2
