"""Scripts that moved from inline code to static files (the Content-Security-Policy allows
no inline script or handler) behave as before, and the browser refuses nothing
(``within_the_policies`` in conftest.py checks every browser test)."""

import datetime

import pytest
from django.utils import timezone

from month.models import Activity, HealthCheck
from tests.factories import MemberFactory
from tests.factories_month import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

CONSENT = {"consent_on": datetime.date(2024, 1, 10), "consent_method": "paper"}


def test_the_meeting_sheet_marks_everyone_present_and_warns_of_a_high_reading(
    page, live_server, cast, browser_login
):
    members = [MemberFactory(club=cast.club_a, **CONSENT) for _ in range(3)]
    meeting = MeetingFactory(club=cast.club_a, date=timezone.localdate())
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    page.click("#all-present")
    for member in members:
        assert page.locator(f"#id_att_{member.pk}_present").is_checked()
    row = page.locator(f"#member-{members[0].pk}")
    warning = row.locator("[data-bp-warning]")
    row.locator(f"#id_sys_{members[0].pk}").fill("150")
    assert not warning.is_visible()
    row.locator(f"#id_sys_{members[0].pk}").fill("185")
    assert warning.is_visible()


def test_a_members_readings_are_drawn_as_a_chart(page, live_server, cast, browser_login):
    member = MemberFactory(club=cast.club_a, **CONSENT)
    for day, systolic in ((1, 130), (8, 150)):
        HealthCheck.objects.create(
            club=cast.club_a,
            member=member,
            date=datetime.date(2025, 3, day),
            systolic=systolic,
            diastolic=85,
        )
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/members/{member.pk}/")
    canvas = page.locator("canvas[data-member-chart]")
    canvas.wait_for()
    labels = page.evaluate(
        """() => {
            const chart = window.Chart.getChart(document.querySelector('canvas[data-member-chart]'));
            return chart ? chart.data.datasets.map(d => d.label) : null;
        }"""
    )
    assert labels == ["Tâm thu", "Tâm trương", "Cân nặng (kg)"]


def test_a_delete_button_asks_first(page, live_server, cast, browser_login):
    """Deleting asks on a page of its own (no script needed), whose button posts once."""
    activity = Activity.objects.create(
        club=cast.club_a, date=timezone.localdate(), title="Trồng cây"
    )
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/clubs/{cast.club_a.pk}/activities/")
    button = page.locator(f"form[action$='/activities/{activity.pk}/delete/'] button")
    button.click()
    page.wait_for_selector("#confirm-action")
    assert "Trồng cây" in page.content()
    page.click("#confirm-cancel")  # "go back, change nothing"
    page.wait_for_load_state()
    assert Activity.objects.filter(pk=activity.pk).exists()
    button.click()
    page.wait_for_selector("#confirm-action")
    page.click("#confirm-action")
    page.wait_for_load_state()
    assert not Activity.objects.filter(pk=activity.pk).exists()
