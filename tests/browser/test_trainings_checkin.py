"""At the door on a phone (360×740): commune staff check in five people on day 1."""

import pytest

from tests.browser.conftest import assert_no_horizontal_overflow
from tests.factories_trainings import make_event
from trainings.models import SessionAttendance

pytestmark = pytest.mark.django_db(transaction=True)


def test_check_in_five_participants_on_day_one(page, live_server, cast, browser_login):
    training = make_event(cast.commune_a1, people=12)
    day1 = training.sessions.order_by("day").first()
    people = list(training.participants.order_by("search_name", "pk"))[:5]

    browser_login(page, live_server, "commune")
    page.goto(f"{live_server.url}/trainings/{training.pk}/")
    assert_no_horizontal_overflow(page)
    page.locator(f"a[href$='/sessions/{day1.pk}/checkin/']").first.click()
    page.wait_for_url(f"**/sessions/{day1.pk}/checkin/")
    assert_no_horizontal_overflow(page)

    for person in people:
        row = page.locator(f"#p{person.pk}")
        row.locator("button").click()
        # htmx swaps the row in place: the button turns green and says present.
        page.locator(f"#p{person.pk} button[data-present='1']").wait_for()
    assert_no_horizontal_overflow(page)

    present = set(
        SessionAttendance.objects.filter(session=day1).values_list("participant_id", flat=True)
    )
    assert present == {p.pk for p in people}

    # After a reload the list still shows them present (the server's state, not the page's).
    page.reload()
    assert page.locator("button[data-present='1']").count() == 5
