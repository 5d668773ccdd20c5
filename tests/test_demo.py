"""The demo as `manage.py seed_demo` loads it: about 20 Lai Châu clubs with their members,
boards, funds and loans, trainings, six months of meetings and reports in every state; idempotent.

Seeding takes most of a minute (a year of loan repayments through the funds services), so it
runs once for this module and every test here reads it; the idempotence test's second run is
rolled back like any test's writes (tests/module_data.py). How long each app's demo takes is
measured by bench/demo.py, not here.
"""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.models import User
from clubs.models import Area, BoardPosition, Club
from funds.models import Fund, LedgerEntry, Loan
from funds.selectors import fund_balance_sum
from members.models import CareAssignment, Member
from members.selectors import club_composition
from month.models import Attendance, HealthCheck, Meeting, MonthlyReport, MonthlyReportEvent
from tests.module_data import loaded_for_the_module
from trainings import demo as trainings_demo
from trainings.models import Participant, Training

# One xdist worker runs the whole module, one test after another: the demo is seeded once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

DEMO_USERS = ["admin", "province", "commune", "leader", "leader2", "viewer"]


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    yield from loaded_for_the_module(
        django_db_blocker, lambda: call_command("seed_demo", stdout=io.StringIO())
    )


def counts() -> dict[str, int]:
    models = [Area, User, Club, Member, BoardPosition, CareAssignment, Fund, LedgerEntry, Loan]
    models += [Training, Participant, Meeting, Attendance, MonthlyReport, MonthlyReportEvent]
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_twice_changes_nothing():
    first = counts()
    assert all(first.values()), first  # every app added something
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first


def test_the_six_demo_users_sign_in_with_the_documented_password():
    users = User.objects.in_bulk(DEMO_USERS, field_name="username")
    assert len(users) == 6
    assert all(u.check_password("Demo@12345") for u in users.values())
    assert users["leader"].club.commune == users["commune"].area
    assert users["leader2"].club.commune != users["commune"].area
    assert users["province"].area.code == "12"


def test_twenty_clubs_in_several_communes_some_missing_their_targets():
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


def test_the_provincial_conference_and_two_commune_trainings():
    conference = Training.objects.get(title=trainings_demo.SEED_TITLE)
    assert conference.organiser.code == "12"
    assert conference.participants.count() >= 90
    assert conference.trainers.filter(name__contains="Nguyễn Thị Tư").exists()
    assert [s.day.isoformat() for s in conference.sessions.all()] == ["2024-05-28", "2024-05-29"]
    assert Training.objects.filter(organiser__code__in=["03390", "03595"]).count() == 2


def test_six_months_of_meetings_and_reports_in_every_state():
    active = Club.objects.filter(status=Club.Status.ACTIVE)
    held = Meeting.objects.filter(status="held")
    assert held.count() == 6 * active.count() > 0
    assert Attendance.objects.count() > held.count() * 40  # 50–70 members a club
    assert HealthCheck.objects.exists()
    states = set(MonthlyReport.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "reviewed", "approved", "returned"}
    returned = MonthlyReport.objects.filter(status="returned").first()
    assert returned.return_comment and returned.events.filter(action="returned").exists()
    assert MonthlyReport.objects.filter(status="approved").first().figures["meetings"]["held"] == 1


def test_loans_in_every_state_and_balances_that_match_the_ledger():
    # 10–30 requests a club; those made while the fund is fully lent out wait (not created),
    # how many depends on the day the demo is loaded
    per_club = Loan.objects.values("fund__club").annotate(n=Count("pk")).values_list("n", flat=True)
    assert len(per_club) == Club.objects.count()
    assert all(5 <= n <= 30 for n in per_club)
    statuses = set(Loan.objects.values_list("status", flat=True))
    assert {"requested", "approved", "active", "repaid"} <= statuses
    for fund in Fund.objects.all():
        assert fund.balance == fund_balance_sum(fund) >= 0


def test_the_demo_has_lai_chaus_reports_upward_in_every_state(client):
    from reports.models import PeriodicReport

    reports = PeriodicReport.objects.filter(area__code__startswith="").select_related("area")
    annual = reports.filter(kind="annual", year=2024, area__level="province").get()
    assert annual.state == "accepted" and annual.steps.filter(action="accepted").exists()
    six = reports.filter(kind="six_month", year=2025, half=1, area__level="commune")
    assert set(six.values_list("state", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "accepted",
    }
    values = {(s["key"], r["key"]): r["value"] for s in annual.annex["sections"] for r in s["rows"]}
    assert values[("clubs", "active")] > 0
    client.force_login(User.objects.get(username="province"))
    page = client.get(annual.get_absolute_url()).content.decode()
    assert "[[clubs.active]]" not in page and "Báo cáo của các xã" in page
