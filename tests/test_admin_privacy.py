"""The admin shows people only to those the declaration (``accounts.privacy``) lets see them.

A viewer given staff access and every view permission reaches no record of named people (403,
the same as a page they have no permission for) and none of their fields on the pages they may
open; a role that may see some categories of personal data and not others sees those fields
left out of the admin's forms, lists, filters, search and history.
"""

import pytest
from django.urls import reverse

from accounts import privacy
from members.models import Member
from tests.factories_members import BoardPositionFactory, ConsentedMemberFactory
from tests.factories_month import (
    ActivityFactory,
    AttendanceFactory,
    HealthCheckFactory,
    MeetingFactory,
    MonthlyReportFactory,
)
from tests.test_admin_scoping import BUILDERS, grant, is_history_admin, side, url

PHONE = "0966111222"
ETHNICITY = "Hà Nhì"
SYSTOLIC = 187


@pytest.fixture
def viewer(cast):
    return grant(cast.viewer)


# The admins whose rows are about named people (``privacy.about_people``).
PEOPLE_KINDS = [
    "member",
    "care assignment",
    "health check",
    "visit",
    "ledger entry",
    "loan",
    "repayment",
    "contribution",
    "participant",
    "reminder",
    "import job",
]


@pytest.mark.parametrize("kind", PEOPLE_KINDS)
def test_a_viewer_with_staff_access_reaches_no_record_of_named_people(cast, login, viewer, kind):
    record = BUILDERS[kind](side(cast, "a"))  # in the viewer's own province
    assert privacy.about_people(type(record))
    client = login(viewer)
    meta = record._meta
    pages = [
        reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        url(record, "change"),
        url(record, "history"),
    ]
    if is_history_admin(record):
        pages.append(url(record, "simple_history", record.history.latest().history_id))
    for page in pages:
        response = client.get(page)
        assert response.status_code == 403, page
        assert str(record) not in response.content.decode()


def test_a_viewer_sees_no_personal_field_anywhere_on_the_member_pages(cast, login, viewer):
    member = ConsentedMemberFactory(club=cast.club_a, phone=PHONE, ethnicity=ETHNICITY)
    member.phone = "0966111333"
    member.save()
    HealthCheckFactory(member=member, systolic=SYSTOLIC)
    client = login(viewer)
    pages = [
        reverse("admin:members_member_changelist"),
        url(member, "change"),
        url(member, "history"),
        url(member, "simple_history", member.history.earliest().history_id),
        reverse("admin:month_healthcheck_changelist"),
    ]
    for page in pages:
        content = client.get(page).content.decode()
        for marker in (PHONE, ETHNICITY, member.full_name, f">{SYSTOLIC}<"):
            assert marker not in content, (page, marker)


def test_the_admin_index_offers_a_viewer_no_register_of_people(cast, login, viewer):
    index = login(viewer).get(reverse("admin:index")).content.decode()
    assert reverse("admin:clubs_club_changelist") in index
    for name in ("members_member", "month_healthcheck", "funds_loan", "trainings_participant"):
        assert reverse(f"admin:{name}_changelist") not in index


def test_a_viewer_cannot_look_people_up_through_an_autocomplete(cast, login, viewer):
    ConsentedMemberFactory(club=cast.club_a, full_name="Lò Thị Tìm")
    response = login(viewer).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "month",
            "model_name": "activity",
            "field_name": "participants",
            "term": "Lò",
        },
    )
    # The member admin has no search field left for a viewer (Django answers 404 before it
    # asks for the view permission, which a viewer lacks too).
    assert response.status_code == 404
    assert "Lò Thị Tìm" not in response.content.decode()


def test_a_viewer_sees_a_club_without_its_board(cast, login, viewer):
    seat = BoardPositionFactory(club=cast.club_a)
    client = login(viewer)
    for page in (url(cast.club_a, "change"), url(cast.club_a, "history")):
        response = client.get(page)
        assert response.status_code == 200
        assert seat.member.full_name not in response.content.decode()
    # The same page shows the board to provincial staff.
    staff_page = login(grant(cast.province)).get(url(cast.club_a, "change"))
    assert seat.member.full_name in staff_page.content.decode()


def test_a_viewer_sees_a_meeting_and_an_activity_without_the_people_in_them(cast, login, viewer):
    attendance = AttendanceFactory(meeting=MeetingFactory(club=cast.club_a))
    activity = ActivityFactory(club=cast.club_a)
    joined = ConsentedMemberFactory(club=cast.club_a, full_name="Lò Văn Tham")
    activity.participants.add(joined)
    client = login(viewer)
    meeting_page = client.get(url(attendance.meeting, "change"))
    assert meeting_page.status_code == 200
    assert attendance.member.full_name not in meeting_page.content.decode()
    activity_page = client.get(url(activity, "change"))
    assert activity_page.status_code == 200
    assert "Lò Văn Tham" not in activity_page.content.decode()
    assert activity.title in activity_page.content.decode()


def test_a_viewer_sees_a_monthly_report_without_its_raw_figures(cast, login, viewer):
    report = MonthlyReportFactory(club=cast.club_a, figures={"women_poor_disabled_count": 2})
    assert (
        "women_poor_disabled_count" not in login(viewer).get(url(report, "change")).content.decode()
    )
    staff_page = login(grant(cast.province)).get(url(report, "change"))
    assert "women_poor_disabled_count" in staff_page.content.decode()


def test_a_viewer_may_look_at_a_club_but_never_change_it(cast, login, viewer):
    name = cast.club_a.name
    response = login(viewer).post(url(cast.club_a, "change"), {"name": "Đổi tên"})
    assert response.status_code == 403
    cast.club_a.refresh_from_db()
    assert cast.club_a.name == name


@pytest.fixture
def names_only(monkeypatch):
    """A role that may see who people are, but not how to reach them, their health or their
    household: the admin must follow the declaration field by field."""
    monkeypatch.setattr(privacy, "categories_for", lambda user: frozenset({privacy.IDENTITY}))


def test_fields_of_a_category_the_role_may_not_see_are_left_out_of_every_page(
    cast, login, names_only
):
    member = ConsentedMemberFactory(
        club=cast.club_a, phone=PHONE, ethnicity=ETHNICITY, household_status=Member.Household.POOR
    )
    member.phone = "0966111333"
    member.save()
    client = login(grant(cast.province))

    listing = client.get(reverse("admin:members_member_changelist")).content.decode()
    assert member.full_name in listing  # identity: shown
    assert "household_status" not in listing  # no filter on it
    by_phone = client.get(reverse("admin:members_member_changelist"), {"q": PHONE})
    assert member.full_name not in by_phone.content.decode()  # not searchable either

    change = client.get(url(member, "change"))
    assert change.status_code == 200
    content = change.content.decode()
    assert member.full_name in content
    for marker in (PHONE, 'name="phone"', 'name="ethnicity"', 'name="household_status"'):
        assert marker not in content, marker

    history = client.get(url(member, "history")).content.decode()
    assert PHONE not in history and "0966111333" not in history
    version = client.get(url(member, "simple_history", member.history.earliest().history_id))
    assert PHONE not in version.content.decode()


def test_readings_are_left_out_of_the_health_check_list_for_such_a_role(cast, login, names_only):
    check = HealthCheckFactory(member=ConsentedMemberFactory(club=cast.club_a), systolic=SYSTOLIC)
    client = login(grant(cast.province))
    listing = client.get(reverse("admin:month_healthcheck_changelist")).content.decode()
    assert check.member.full_name in listing
    assert "column-systolic" not in listing and "column-diastolic" not in listing
    change = client.get(url(check, "change")).content.decode()
    assert 'name="systolic"' not in change


def test_a_role_that_sees_every_category_sees_the_fields(cast, login):
    """The same pages as above, for provincial staff as they are: everything is there."""
    member = ConsentedMemberFactory(club=cast.club_a, phone=PHONE, ethnicity=ETHNICITY)
    member.phone = "0966111333"
    member.save()
    HealthCheckFactory(member=member, systolic=SYSTOLIC)
    client = login(grant(cast.province))
    assert (
        "household_status"
        in client.get(reverse("admin:members_member_changelist")).content.decode()
    )
    by_phone = client.get(reverse("admin:members_member_changelist"), {"q": "0966111333"})
    assert member.full_name in by_phone.content.decode()
    content = client.get(url(member, "change")).content.decode()
    assert "0966111333" in content and 'name="ethnicity"' in content
    history = client.get(url(member, "history")).content.decode()
    assert PHONE in history and "0966111333" in history
    readings = client.get(reverse("admin:month_healthcheck_changelist")).content.decode()
    assert "column-systolic" in readings
