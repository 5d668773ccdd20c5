"""Consent that governs: readings need it, and withdrawing it erases what it covered."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from members import services as member_services
from members.models import Member
from members.signals import consent_withdrawn
from month.models import Attendance, HealthCheck, Meeting
from month.services import NoConsentError, Reading, meeting_record
from tests.db_search import places_holding
from tests.factories import MemberFactory
from tests.factories_month import HealthCheckFactory, MeetingFactory, vi
from tests.factories_trainings import ParticipantFactory

pytestmark = pytest.mark.django_db

CONSENT_REFUSAL = (
    "This member has not agreed to their health data being kept: readings cannot be recorded. "
    "Record the consent on the member's page first."
)
# Values nobody else has: after a withdrawal they must be nowhere in the database.
MARK_NOTE = "Nhóm Đánh Dấu Riêng"
MARK_ETHNICITY = "Si La"
MARK_SYSTOLIC, MARK_DIASTOLIC, MARK_WEIGHT = 173, 97, Decimal("61.7")


def _today():
    return timezone.localdate()


@pytest.fixture
def sitting(cast):
    """A meeting of club_a three days ago: Ón agreed to her health data being kept, Khăm not."""
    agreed = MemberFactory(
        club=cast.club_a,
        full_name="Lường Thị Ón",
        consent_on=datetime.date(2024, 1, 10),
        consent_method=Member.ConsentMethod.PAPER,
    )
    refused = MemberFactory(club=cast.club_a, full_name="Lò Văn Khăm")
    meeting = MeetingFactory(club=cast.club_a, date=_today() - datetime.timedelta(days=3))
    return meeting, agreed, refused


def _row(html: str, member: Member) -> str:
    """The record sheet's row of one member."""
    start = html.index(f'id="member-{member.pk}"')
    end = html.find("data-member-row", start + 1)
    return html[start : end if end != -1 else len(html)]


def test_the_record_sheet_marks_who_has_not_consented_and_offers_no_reading_for_them(
    cast, login, sitting
):
    meeting, agreed, refused = sitting
    html = login(cast.leader).get(reverse("month:meeting_record", args=[meeting.pk])).content
    html = html.decode()
    refused_row, agreed_row = _row(html, refused), _row(html, agreed)
    assert vi("No consent") == "Chưa đồng ý"
    assert "Chưa đồng ý" in refused_row and "Chưa đồng ý" not in agreed_row
    assert vi("Has not agreed to their health data being kept: no readings.") in refused_row
    assert f'name="sys_{refused.pk}"' not in refused_row
    assert f'name="att_{refused.pk}"' in refused_row  # attendance is still taken
    assert f'name="sys_{agreed.pk}"' in agreed_row


def test_a_reading_for_a_member_without_consent_is_refused_beside_the_field_and_nothing_saved(
    cast, login, sitting
):
    meeting, agreed, refused = sitting
    response = login(cast.leader).post(
        reverse("month:meeting_record", args=[meeting.pk]),
        {
            f"att_{agreed.pk}": "present",
            f"att_{refused.pk}": "present",
            f"sys_{agreed.pk}": "130",
            f"dia_{agreed.pk}": "85",
            f"sys_{refused.pk}": "150",
            f"dia_{refused.pk}": "90",
            f"wt_{refused.pk}": "48",
            "guests": "0",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    refused_row = _row(html, refused)
    assert vi(CONSENT_REFUSAL) in refused_row  # beside the field, in Vietnamese
    assert vi(CONSENT_REFUSAL) not in _row(html, agreed)
    # The typed values stay visible (disabled), so the leader sees what was refused.
    assert re.search(rf'name="sys_{refused.pk}"[^>]*value="150"[^>]*disabled', refused_row)
    assert not HealthCheck.objects.exists()
    assert not Attendance.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_the_service_refuses_readings_without_consent_whole(cast, sitting):
    meeting, agreed, refused = sitting
    with pytest.raises(NoConsentError) as exc:
        meeting_record(
            meeting=meeting,
            attendance={agreed.pk: "present", refused.pk: "present"},
            readings={agreed.pk: Reading(130, 85), refused.pk: Reading(None, None, Decimal(50))},
            by=cast.leader,
        )
    assert exc.value.member_ids == [refused.pk]
    assert not HealthCheck.objects.exists() and not Attendance.objects.exists()
    # An empty reading is no reading: the sitting saves.
    meeting_record(
        meeting=meeting,
        attendance={refused.pk: "present"},
        readings={agreed.pk: Reading(130, 85), refused.pk: Reading()},
        by=cast.leader,
    )
    assert list(HealthCheck.objects.values_list("member_id", flat=True)) == [agreed.pk]


def test_the_model_and_the_admin_refuse_a_reading_without_consent(cast, client, sitting):
    _meeting, _agreed, refused = sitting
    reading = HealthCheck(
        club=cast.club_a, member=refused, date=_today(), systolic=120, diastolic=80
    )
    with pytest.raises(ValidationError) as exc:
        reading.full_clean()
    assert "member" in exc.value.message_dict
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:month_healthcheck_add"),
        {
            "club": cast.club_a.pk,
            "member": refused.pk,
            "date": _today().isoformat(),
            "systolic": "120",
            "diastolic": "80",
            "weight": "",
        },
    )
    assert response.status_code == 200
    assert vi(CONSENT_REFUSAL) in response.content.decode()
    assert not HealthCheck.objects.exists()


@pytest.fixture
def consenting(cast):
    """A member with consent, marker sensitive values changed twice (three history rows), two
    readings, a mark at a meeting and a training registration."""
    member = MemberFactory(
        club=cast.club_a,
        full_name="Lò Thị Đồng Ý",
        consent_on=datetime.date(2024, 1, 10),
        consent_method=Member.ConsentMethod.PAPER,
        ethnicity=MARK_ETHNICITY,
        ethnicity_note=MARK_NOTE,
        household_status=Member.Household.POOR,
        has_disability=True,
        lives_alone=True,
        has_health_insurance=True,
    )
    member_services.member_update(
        member=member, fields={"needs_care": True, "phone": "0912000111"}, by=cast.leader
    )
    member_services.member_update(member=member, fields={"village": "Bản Mới"}, by=cast.leader)
    meeting = MeetingFactory(club=cast.club_a, date=datetime.date(2024, 5, 21), status="held")
    Attendance.objects.create(meeting=meeting, member=member, status="present")
    HealthCheckFactory(
        member=member,
        club=cast.club_a,
        meeting=meeting,
        systolic=MARK_SYSTOLIC,
        diastolic=MARK_DIASTOLIC,
        weight=MARK_WEIGHT,
    )
    HealthCheckFactory(member=member, club=cast.club_a, date=datetime.date(2024, 4, 2))
    ParticipantFactory(member=member, full_name=member.full_name, ethnicity=MARK_ETHNICITY)
    return member


def _readings_with_marker() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM clubs_healthcheck WHERE systolic = %s AND diastolic = %s",
            [MARK_SYSTOLIC, MARK_DIASTOLIC],
        )
        return cursor.fetchone()[0]


def test_withdrawing_consent_erases_the_values_the_readings_and_the_history(
    cast, login, consenting
):
    member = consenting
    assert member.history.count() == 3
    assert places_holding(MARK_NOTE) and _readings_with_marker() == 1  # the markers are there

    client = login(cast.leader)
    url = reverse("members:consent_withdraw", args=[member.pk])
    asked = client.post(url)  # the confirmation page: nothing is removed yet
    assert asked.status_code == 200 and places_holding(MARK_NOTE)
    response = client.post(url, {"confirmed": "1"}, follow=True)
    assert response.status_code == 200

    # Nowhere in the database: not the record, not its history, not a training registration.
    assert places_holding(MARK_NOTE) == []
    assert places_holding(MARK_ETHNICITY) == []
    assert _readings_with_marker() == 0
    assert not HealthCheck.objects.filter(member=member).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM members_historicalmember WHERE id = %s AND (ethnicity <> '' "
            "OR household_status <> '' OR has_disability OR needs_care OR lives_alone "
            "OR has_health_insurance)",
            [member.pk],
        )
        assert cursor.fetchone()[0] == 0
    member.refresh_from_db()
    assert member.consent_on is None and not member.needs_care and member.ethnicity == ""
    # What consent does not govern stays: the mark at the meeting, the phone, the village.
    assert Attendance.objects.filter(member=member).count() == 1
    assert (member.phone, member.village) == ("0912000111", "Bản Mới")
    # The history keeps that it happened: by whom, when and why.
    last = member.history.order_by("-history_date", "-pk").first()
    assert last.history_user == cast.leader
    assert last.history_change_reason == member_services.CONSENT_WITHDRAWN_REASON
    assert member.history.count() == 4
    html = login(cast.commune).get(reverse("members:member_detail", args=[member.pk]))
    assert vi("Consent withdrawn") in html.content.decode()


def test_a_withdrawal_that_fails_half_way_changes_nothing(cast, consenting):
    member = consenting

    def broken(sender, member, **kwargs):
        raise RuntimeError("a receiver failed")

    consent_withdrawn.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            member_services.consent_withdraw(member=member, by=cast.leader)
    finally:
        consent_withdrawn.disconnect(dispatch_uid="test-broken")
    member.refresh_from_db()
    assert member.consent_on is not None and member.ethnicity_note == MARK_NOTE
    assert _readings_with_marker() == 1 and member.history.count() == 3


def test_readings_kept_from_before_the_rule_are_counted_then_deleted_on_request(cast, sitting):
    from io import StringIO

    from django.core.management import call_command

    _meeting, agreed, refused = sitting
    HealthCheckFactory(member=refused, club=cast.club_a)  # written before readings needed consent
    HealthCheckFactory(member=agreed, club=cast.club_a)
    out = StringIO()
    call_command("readings_without_consent", stdout=out)
    assert "1 readings of 1 members" in out.getvalue()
    assert HealthCheck.objects.count() == 2
    call_command("readings_without_consent", "--delete", stdout=StringIO())
    assert list(HealthCheck.objects.values_list("member_id", flat=True)) == [agreed.pk]
