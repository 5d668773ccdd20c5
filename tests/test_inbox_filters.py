"""The report inbox's filters and bulk steps (with the confirmation page listing what will be
locked), and dashboards opening on the last complete month."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.confirm import CONFIRMED
from accounts.models import Notification
from config.months import add_months
from month.models import MonthlyReport
from reports.periods import Period
from tests.factories import ClubFactory
from tests.factories_month import MonthlyReportFactory, vi

pytestmark = pytest.mark.django_db

INBOX = "/monthly-reports/"
BULK = "/monthly-reports/bulk/"
S = MonthlyReport.Status


def last_month():
    day = add_months(timezone.localdate().replace(day=1), -1)
    return day.year, day.month


def report(club, status, back=1):
    day = add_months(timezone.localdate().replace(day=1), -back)
    return MonthlyReportFactory(club=club, year=day.year, month=day.month, status=status)


def listed(response):
    return {r.pk for r in response.context["page_obj"].object_list}


def test_urls_are_the_ones_the_pages_use():
    assert reverse("month:report_inbox") == INBOX
    assert reverse("month:report_bulk") == BULK


def test_inbox_opens_on_the_users_step_and_filters_by_state(cast, login):
    submitted = report(cast.club_a, S.SUBMITTED)
    reviewed = report(cast.club_a2, S.REVIEWED)
    client = login(cast.province)
    assert listed(client.get(INBOX)) == {reviewed.pk}
    assert listed(client.get(INBOX + "?status=submitted")) == {submitted.pk}
    assert listed(client.get(INBOX + "?status=all")) == {submitted.pk, reviewed.pk}


def test_inbox_filters_by_commune_and_month(cast, login):
    a1 = report(cast.club_a, S.SUBMITTED, back=1)
    a1_older = report(cast.club_a, S.SUBMITTED, back=2)
    a2 = report(cast.club_a2, S.SUBMITTED, back=1)
    client = login(cast.province)
    commune = client.get(INBOX + f"?status=all&commune={cast.commune_a2.pk}")
    assert listed(commune) == {a2.pk}
    day = add_months(timezone.localdate().replace(day=1), -2)
    month = client.get(INBOX + f"?status=all&month={day:%Y-%m}")
    assert listed(month) == {a1_older.pk}
    assert a1.pk not in listed(month)


def test_a_commune_of_another_province_or_junk_filters_nothing_out_of_scope(cast, login):
    mine = report(cast.club_a, S.SUBMITTED)
    report(cast.club_b, S.SUBMITTED)
    client = login(cast.province)
    for query in (f"?commune={cast.commune_b1.pk}", "?month=9999-99", "?status=nonsense"):
        response = client.get(INBOX + query)
        assert response.status_code == 200
        # An unknown filter is ignored, never widened beyond the scope.
        assert listed(response) <= {mine.pk}


def test_commune_staff_tick_and_review_after_a_confirmation_page(cast, login):
    one = report(cast.club_a, S.SUBMITTED, back=1)
    two = report(cast.club_a, S.SUBMITTED, back=2)
    client = login(cast.commune)
    page = client.get(INBOX).content.decode()
    assert f'name="report" value="{one.pk}"' in page
    confirm = client.post(BULK, {"step": "review", "report": [one.pk, two.pk]})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert one.period in text and two.period in text
    assert vi("Review and pass on") in text
    one.refresh_from_db()
    assert one.status == S.SUBMITTED  # nothing changed yet
    done = client.post(
        BULK, {"step": "review", "report": [one.pk, two.pk], CONFIRMED: "1"}, follow=True
    )
    assert done.status_code == 200
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == {S.REVIEWED}
    # Each report went through its own step: its history and the province's notification.
    assert one.events.filter(action="reviewed").count() == 1
    assert Notification.objects.filter(user=cast.province, kind="report_reviewed").count() == 2


def test_province_approval_lists_what_will_be_locked(cast, login):
    reviewed = report(cast.club_a, S.REVIEWED)
    client = login(cast.province)
    text = client.post(BULK, {"step": "approve", "report": [reviewed.pk]}).content.decode()
    assert cast.club_a.name in text
    assert vi("Approve and lock") in text
    assert "khóa sổ" in text
    client.post(BULK, {"step": "approve", "report": [reviewed.pk], CONFIRMED: "1"})
    reviewed.refresh_from_db()
    assert reviewed.status == S.APPROVED


def test_another_provinces_report_is_left_out_of_a_bulk_step(cast, login):
    theirs = report(cast.club_b, S.SUBMITTED)
    mine = report(cast.club_a, S.SUBMITTED)
    client = login(cast.commune)
    client.post(BULK, {"step": "review", "report": [theirs.pk, mine.pk], CONFIRMED: "1"})
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == S.SUBMITTED
    assert mine.status == S.REVIEWED


def test_only_another_scope_posted_changes_nothing(cast, login):
    theirs = report(cast.club_b, S.SUBMITTED)
    response = login(cast.commune).post(BULK, {"step": "review", "report": [theirs.pk]})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == S.SUBMITTED


def test_viewer_posting_a_bulk_step_gets_403(cast, login):
    submitted = report(cast.club_a, S.SUBMITTED)
    response = login(cast.viewer).post(
        BULK, {"step": "review", "report": [submitted.pk], CONFIRMED: "1"}
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_commune_staff_cannot_approve_in_bulk(cast, login):
    reviewed = report(cast.club_a, S.REVIEWED)
    response = login(cast.commune).post(
        BULK, {"step": "approve", "report": [reviewed.pk], CONFIRMED: "1"}
    )
    assert response.status_code == 403


def test_a_leader_sees_no_bulk_boxes(cast, login):
    report(cast.club_a, S.SUBMITTED)
    page = login(cast.leader).get(INBOX + "?status=submitted").content.decode()
    assert 'name="report"' not in page


@pytest.mark.parametrize("n", [2, 25])
def test_inbox_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries, n):
    for i in range(n):
        report(ClubFactory(commune=cast.commune_a1), S.REVIEWED, back=1 + i % 3)
    client = login(cast.province)
    # session, user, communes (count, options), count, page of reports with clubs and
    # communes, nav cache
    with django_assert_max_num_queries(9):
        response = client.get(INBOX + f"?commune={cast.commune_a1.pk}")
    assert len(response.context["page_obj"].object_list) == n


# --- Dashboards open on the last complete month ----------------------------------------------


def test_dashboard_opens_on_the_last_complete_month(cast, login):
    response = login(cast.province).get(reverse("reports:area", args=[cast.province_a.pk]))
    period = response.context["period"]
    assert (period.year, period.month) == last_month()
    assert not period.is_current
    page = response.content.decode()
    assert 'id="period-current"' in page
    assert Period.last_complete().current_param in page


def test_the_current_month_is_marked_in_progress(cast, login):
    today = timezone.localdate()
    url = reverse("reports:area", args=[cast.province_a.pk]) + f"?period={today:%Y-%m}"
    page = login(cast.province).get(url).content.decode()
    assert 'id="period-in-progress"' in page
    assert vi("in progress") in page
