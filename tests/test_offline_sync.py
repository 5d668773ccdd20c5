"""The server side of the record sheet kept on a phone (month/offline.py, docs/offline.md):
the conflict check, the sync answer, the installable app's files and the sheets kept."""

import datetime
import json
import uuid

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from accounts.models import IdempotencyKey, Role
from month import offline
from month.models import Attendance, HealthCheck, Meeting, MonthlyReport
from month.services import Reading, meeting_cancel, meeting_move, meeting_record
from tests.factories import MemberFactory, UserFactory
from tests.factories_month import MeetingFactory, vi

CONSENT = {"consent_on": datetime.date(2024, 1, 10), "consent_method": "paper"}


@pytest.fixture
def sitting(cast):
    members = [MemberFactory(club=cast.club_a, **CONSENT) for _ in range(3)]
    meeting = MeetingFactory(club=cast.club_a, date=timezone.localdate())
    return meeting, members


def _sheet(meeting, members, *, version, key=None, **extra):
    data = {
        "guests": "1",
        "minutes": "Họp",
        "version": version,
        "once_key": key or str(uuid.uuid4()),
    }
    for m in members:
        data[f"att_{m.pk}"] = "present"
        data[f"sys_{m.pk}"], data[f"dia_{m.pk}"] = "130", "80"
    data.update(extra)
    return data


def _deputy(cast):
    return UserFactory(
        username="deputy", role=Role.CLUB_LEADER, club=cast.club_a, first_name="Lò", last_name="Phó"
    )


# --- The conflict check ---------------------------------------------------------------------


def test_an_unchanged_meeting_or_a_sheet_without_version_is_no_conflict(sitting):
    meeting, _ = sitting
    assert offline.conflict_reason(meeting, offline.version(meeting)) is None
    assert offline.conflict_reason(meeting, "") is None


def test_a_meeting_recorded_since_the_sheet_was_drawn_is_a_conflict_naming_who(cast, sitting):
    meeting, members = sitting
    drawn = offline.version(meeting)
    meeting_record(
        meeting=meeting, attendance={members[0].pk: "absent"}, readings={}, by=_deputy(cast)
    )
    meeting.refresh_from_db()
    reason = offline.conflict_reason(meeting, drawn)
    assert reason and "Lò Phó" in reason


def test_a_moved_or_cancelled_meeting_is_a_conflict_with_its_reason(cast, sitting):
    meeting, _ = sitting
    drawn = offline.version(meeting)
    meeting_move(
        meeting=meeting,
        date=meeting.date + datetime.timedelta(days=2),
        starts_at=None,
        place="",
        reason="Mưa lũ",
        by=cast.leader,
    )
    meeting.refresh_from_db()
    assert meeting.date.strftime("%d/%m/%Y") in offline.conflict_reason(meeting, drawn)
    drawn = offline.version(meeting)
    meeting_cancel(meeting=meeting, reason="Đường sạt lở", by=cast.leader)
    meeting.refresh_from_db()
    assert "Đường sạt lở" in offline.conflict_reason(meeting, drawn)


def test_a_version_that_is_not_one_is_refused(sitting):
    meeting, _ = sitting
    assert offline.conflict_reason(meeting, "not-a-version") == vi(
        "This sheet is not from this meeting; open the meeting's sheet again."
    )


# --- The sync answer ------------------------------------------------------------------------


def test_a_sheet_sent_from_the_phone_is_recorded_once_whatever_the_retries(cast, login, sitting):
    meeting, members = sitting
    client = login(cast.leader)
    url = reverse("month:meeting_sync", args=[meeting.pk])
    data = _sheet(meeting, members, version=offline.version(meeting))
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 200
    assert first.json()["state"] == again.json()["state"] == "sent"
    assert first.json()["url"] == reverse("month:meeting_detail", args=[meeting.pk])
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    assert HealthCheck.objects.filter(meeting=meeting).count() == 3
    assert IdempotencyKey.objects.filter(key=data["once_key"]).count() == 1


def test_a_sheet_from_before_a_change_is_refused_with_both_versions(cast, login, sitting):
    meeting, members = sitting
    drawn = offline.version(meeting)
    meeting_record(
        meeting=meeting,
        attendance={members[0].pk: "absent"},
        readings={members[1].pk: Reading(150, 95, None)},
        minutes="Bản khác",
        by=_deputy(cast),
    )
    response = login(cast.leader).post(
        reverse("month:meeting_sync", args=[meeting.pk]), _sheet(meeting, members, version=drawn)
    )
    assert response.status_code == 409
    answer = response.json()
    assert answer["state"] == "conflict" and "Lò Phó" in answer["reason"]
    assert answer["server"][str(members[0].pk)] == {"att": "absent", "sys": "", "dia": "", "wt": ""}
    assert answer["server"][str(members[1].pk)]["sys"] == "150"
    assert answer["meeting"]["minutes"] == "Bản khác"
    meeting.refresh_from_db()
    assert answer["version"] == offline.version(meeting)
    # Nothing of the phone's sheet was written, and its key is free for the chosen sheet.
    assert Attendance.objects.get(meeting=meeting).status == "absent"
    assert not IdempotencyKey.objects.filter(user=cast.leader).exists()


def test_a_refused_sheet_comes_back_with_the_errors_by_field(cast, login, sitting):
    meeting, members = sitting
    data = _sheet(meeting, members, version=offline.version(meeting))
    data[f"sys_{members[1].pk}"] = "300"
    data[f"att_{members[2].pk}"] = "absent"
    response = login(cast.leader).post(reverse("month:meeting_sync", args=[meeting.pk]), data)
    assert response.status_code == 422
    answer = response.json()
    assert answer["state"] == "refused"
    assert set(answer["errors"]) == {f"sys_{members[1].pk}", f"sys_{members[2].pk}"}
    assert not Attendance.objects.exists()
    assert not IdempotencyKey.objects.exists()


def test_a_locked_month_is_refused_with_the_reason(cast, login, sitting):
    meeting, members = sitting
    MonthlyReport.objects.create(
        club=cast.club_a,
        year=meeting.date.year,
        month=meeting.date.month,
        status=MonthlyReport.Status.APPROVED,
    )
    response = login(cast.leader).post(
        reverse("month:meeting_sync", args=[meeting.pk]),
        _sheet(meeting, members, version=offline.version(meeting)),
    )
    assert response.status_code == 422
    assert response.json()["general"]
    assert not Attendance.objects.exists()


def test_the_sync_door_is_the_record_sheets_door(cast, login, sitting):
    meeting, members = sitting
    url = reverse("month:meeting_sync", args=[meeting.pk])
    data = _sheet(meeting, members, version=offline.version(meeting))
    assert login(cast.leader2).post(url, data).status_code == 404
    assert login(cast.viewer).post(url, data).status_code == 403
    assert login(cast.leader).get(url).status_code == 405
    assert not Attendance.objects.exists()


def test_the_plain_form_refuses_a_sheet_from_before_a_change_too(cast, login, sitting):
    meeting, members = sitting
    drawn = offline.version(meeting)
    meeting_cancel(meeting=meeting, reason="Đường sạt lở", by=cast.leader)
    data = _sheet(meeting, members, version=drawn)
    response = login(cast.leader).post(reverse("month:meeting_record", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "Đường sạt lở" in response.content.decode()
    assert not Attendance.objects.exists()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED


def test_the_sheet_carries_its_version_and_its_leader(cast, login, sitting):
    meeting, _ = sitting
    response = login(cast.leader).get(reverse("month:meeting_record", args=[meeting.pk]))
    html = response.content.decode()
    assert f'name="version" value="{offline.version(meeting)}"' in html
    assert response["X-ISHC-User"] == str(cast.leader.pk)
    staff = login(cast.commune).get(reverse("month:meeting_record", args=[meeting.pk]))
    assert "X-ISHC-User" not in staff and "data-offline" not in staff.content.decode()


# --- The installable app ------------------------------------------------------------------


def test_the_service_worker_is_served_from_the_root_with_its_shell(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "/static/vendor/dexie/dexie.min.js" in body and "/static/css/app.css" in body


def test_the_manifest_names_the_app_in_vietnamese_and_starts_at_home(client, db):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Câu lạc bộ liên thế hệ tự giúp nhau" and data["short_name"] == "CLB LTH"
    assert data["start_url"] == "/" and data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in data["icons"]:  # files the app serves (static files, not another host)
        assert icon["src"].startswith(settings.STATIC_URL)
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL))


def test_a_leaders_phone_keeps_only_the_clubs_sheets_of_last_month_to_the_month_after_next(
    cast, login
):
    today = timezone.localdate()
    first = today.replace(day=1)
    kept = [
        MeetingFactory(club=cast.club_a, date=first - datetime.timedelta(days=20)),
        MeetingFactory(club=cast.club_a, date=today),
        MeetingFactory(club=cast.club_a, date=first + datetime.timedelta(days=80)),
    ]
    MeetingFactory(club=cast.club_a, date=first - datetime.timedelta(days=70))  # too old
    MeetingFactory(club=cast.club_a, date=first + datetime.timedelta(days=130))  # too far
    MeetingFactory(club=cast.club_a, date=today, status=Meeting.Status.CANCELLED)
    MeetingFactory(club=cast.club_b, date=today)  # another club
    state = login(cast.leader).get(reverse("month:offline_state")).json()
    assert state["user"] == cast.leader.pk and state["csrf"]
    assert state["pages"] == [
        "/",
        *[reverse("month:meeting_record", args=[m.pk]) for m in sorted(kept, key=lambda m: m.date)],
        *offline.dues_urls(cast.leader, today),  # tests/test_offline_dues.py
    ]
    assert login(cast.commune).get(reverse("month:offline_state")).json()["pages"] == []


def test_signed_out_the_phones_state_is_a_401_that_leaves_the_csrf_cookie_alone(client, cast):
    """The service worker asks for the state in the background while someone may be signing
    in: the answer must not be the sign-in page, whose CSRF cookie would replace the one the
    visible sign-in form was drawn with (its POST then refused as forged)."""
    response = client.get(reverse("month:offline_state"))
    assert response.status_code == 401
    assert response.json() == {"user": None}
    assert "csrftoken" not in response.cookies
