"""Recording a meeting on a phone: attendance, readings, minutes; moving and cancelling."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from month.models import Attendance, HealthCheck, Meeting
from month.services import MonthError, Reading, meeting_record
from tests.factories import MemberFactory
from tests.factories_month import MeetingFactory, vi

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def sitting(cast):
    """A meeting of club_a three days ago, with five members who agreed to their health data
    being kept (readings need it)."""
    members = [
        MemberFactory(
            club=cast.club_a,
            full_name=f"Lò Thị {i}",
            consent_on=datetime.date(2024, 1, 10),
            consent_method="paper",
        )
        for i in range(5)
    ]
    meeting = MeetingFactory(club=cast.club_a, date=_today() - datetime.timedelta(days=3))
    return meeting, members


def post_data(members, marks=None, readings=None, **extra):
    data = {"guests": "2", "minutes": "Họp bàn nuôi gà", "decisions": "Cho vay 2 hộ"}
    for m, status in (marks or {}).items():
        data[f"att_{m.pk}"] = status
    for m, (sys, dia, wt) in (readings or {}).items():
        data[f"sys_{m.pk}"], data[f"dia_{m.pk}"], data[f"wt_{m.pk}"] = sys, dia, wt
    data.update(extra)
    return data


def test_the_record_page_lists_every_member_with_tap_buttons(cast, login, sitting):
    meeting, members = sitting
    page = login(cast.leader).get(reverse("month:meeting_record", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for m in members:
        assert m.full_name in html
        assert f'name="att_{m.pk}"' in html and 'class="btn-check"' in html
    assert 'inputmode="numeric"' in html
    assert vi("Everyone present") in html


def test_saving_marks_readings_and_minutes_in_one_post(cast, login, sitting):
    meeting, members = sitting
    a, b, c, d, _e = members
    client = login(cast.leader)
    response = client.post(
        reverse("month:meeting_record", args=[meeting.pk]),
        post_data(
            members,
            marks={a: "present", b: "absent", c: "excused", d: "present"},
            readings={a: ("150", "95", "52,5"), d: ("120", "80", "")},
        ),
        follow=True,
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert (meeting.guests, meeting.minutes, meeting.decisions) == (
        2,
        "Họp bàn nuôi gà",
        "Cho vay 2 hộ",
    )
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    # The fifth member has no mark: not recorded, which is not absent.
    assert marks == {a.pk: "present", b.pk: "absent", c.pk: "excused", d.pk: "present"}
    readings = {h.member_id: h for h in HealthCheck.objects.filter(meeting=meeting)}
    assert readings[a.pk].weight == Decimal("52.5") and readings[a.pk].systolic == 150
    assert readings[a.pk].date == meeting.date and readings[a.pk].club_id == cast.club_a.pk
    html = response.content.decode()
    assert vi("Meeting saved.") in html
    # High readings are listed after saving.
    assert 'id="high-readings"' in html and "150/95" in html and a.full_name in html
    assert "120/80" not in html


def test_everyone_present_marks_only_the_unmarked(cast, login, sitting):
    meeting, members = sitting
    login(cast.leader).post(
        reverse("month:meeting_record", args=[meeting.pk]),
        post_data(members, marks={members[0]: "excused"}, all_present="on"),
    )
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert marks[members[0].pk] == "excused"
    assert [marks[m.pk] for m in members[1:]] == ["present"] * 4


def test_saving_again_replaces_the_sitting(cast, login, sitting):
    meeting, members = sitting
    client = login(cast.leader)
    url = reverse("month:meeting_record", args=[meeting.pk])
    client.post(
        url,
        post_data(
            members,
            marks={members[0]: "present", members[1]: "present"},
            readings={members[0]: ("130", "85", "")},
        ),
    )
    client.post(url, post_data(members, marks={members[0]: "absent"}))
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert marks == {members[0].pk: "absent"}
    assert not HealthCheck.objects.filter(meeting=meeting).exists()


def test_very_high_readings_are_flagged(cast, login, sitting):
    meeting, members = sitting
    response = login(cast.leader).post(
        reverse("month:meeting_record", args=[meeting.pk]),
        post_data(
            members, marks={members[0]: "present"}, readings={members[0]: ("185", "112", "")}
        ),
        follow=True,
    )
    html = response.content.decode()
    assert vi("very high") in html
    assert members[0].full_name in html
    assert HealthCheck.objects.filter(meeting=meeting).count() == 1


@pytest.mark.parametrize(
    ("reading", "msgid"),
    [
        (("400", "20", ""), "Systolic pressure must be between %(low)s and %(high)s mmHg."),
        (("120", "130", ""), "Diastolic pressure must be lower than systolic pressure."),
        (("120", "", ""), "Enter both blood-pressure numbers (systolic and diastolic)."),
        (("", "", "250"), "Weight must be between %(low)s and %(high)s kg."),
    ],
)
def test_implausible_readings_are_refused_and_nothing_is_saved(
    cast, login, sitting, reading, msgid
):
    meeting, members = sitting
    response = login(cast.leader).post(
        reverse("month:meeting_record", args=[meeting.pk]),
        post_data(
            members,
            marks={members[0]: "present", members[1]: "present"},
            readings={members[1]: reading},
        ),
    )
    assert response.status_code == 200
    expected = vi(msgid) % {"low": 60, "high": 260} if "Systolic pressure" in msgid else vi(msgid)
    if "Weight" in msgid:
        expected = vi(msgid) % {"low": 20, "high": 200}
    assert expected in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()
    assert not HealthCheck.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_attendance_for_a_member_of_another_club_is_refused(cast, login, sitting):
    meeting, members = sitting
    stranger = MemberFactory(club=cast.club_b)
    response = login(cast.leader).post(
        reverse("month:meeting_record", args=[meeting.pk]),
        post_data(members, marks={members[0]: "present"}, **{f"att_{stranger.pk}": "present"}),
    )
    assert response.status_code == 200
    assert (
        vi(
            "Some of the people marked are not members of this club on the meeting's day; nothing was saved."
        )
        in response.content.decode()
    )
    assert not Attendance.objects.exists()


def test_the_service_refuses_outsiders_and_implausible_readings_too(cast, sitting):
    meeting, members = sitting
    stranger = MemberFactory(club=cast.club_b)
    with pytest.raises(MonthError):
        meeting_record(
            meeting=meeting, attendance={stranger.pk: "present"}, readings={}, by=cast.leader
        )
    with pytest.raises(MonthError) as exc:
        meeting_record(
            meeting=meeting,
            attendance={members[0].pk: "present"},
            readings={members[0].pk: Reading(400, 20, None)},
            by=cast.leader,
        )
    assert vi("Systolic pressure must be between %(low)s and %(high)s mmHg.") % {
        "low": 60,
        "high": 260,
    } in str(exc.value)
    assert not Attendance.objects.exists() and not HealthCheck.objects.exists()


def test_a_future_meeting_cannot_be_recorded_yet(cast, login):
    member = MemberFactory(club=cast.club_a)
    meeting = MeetingFactory(club=cast.club_a, date=_today() + datetime.timedelta(days=5))
    response = login(cast.leader).post(
        reverse("month:meeting_record", args=[meeting.pk]),
        post_data([member], marks={member: "present"}),
    )
    assert (
        vi("A meeting can be recorded on its day or later, not before.")
        in response.content.decode()
    )
    assert not Attendance.objects.exists()


def _members(club, n):
    """Members who consented to health data, so their readings may be recorded."""
    return [
        MemberFactory(club=club, consent_on=datetime.date(2024, 1, 10), consent_method="paper")
        for _ in range(n)
    ]


@pytest.mark.parametrize("size", [5, 70])
def test_the_record_page_runs_a_fixed_number_of_queries(
    cast, login, size, django_assert_max_num_queries
):
    members = _members(cast.club_a, size)
    meeting = MeetingFactory(club=cast.club_a, date=_today() - datetime.timedelta(days=1))
    client = login(cast.leader)
    url = reverse("month:meeting_record", args=[meeting.pk])
    # session, user, meeting (+club, commune), lock check, roster, marks, readings; the
    # access log (its content type the first time, savepoint, INSERT, release)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert all(m.full_name in page.content.decode() for m in members)  # the whole roster
    data = post_data(
        members,
        marks={m: "present" for m in members},
        readings={m: ("130", "85", "50") for m in members},
    )
    # The same plus: savepoint/release, meeting row lock, lock check, roster, current marks,
    # current readings, bulk insert of marks, bulk insert of readings, meeting update.
    with django_assert_max_num_queries(20):
        assert client.post(url, data).status_code == 302
    assert Attendance.objects.filter(meeting=meeting).count() == size
    assert HealthCheck.objects.filter(meeting=meeting).count() == size
    # Saving again (updates instead of inserts) stays within the same bound.
    # (Everyone stays present: an absent member cannot have a reading.)
    data["minutes"] = "Họp bàn nuôi gà, chia giống"
    with django_assert_max_num_queries(20):
        assert client.post(url, data).status_code == 302


def test_moving_a_meeting_keeps_the_old_day_and_the_reason(cast, login):
    meeting = MeetingFactory(club=cast.club_a, date=_today() + datetime.timedelta(days=3))
    old = meeting.date
    new = _today() + datetime.timedelta(days=6)
    response = login(cast.leader).post(
        reverse("month:meeting_move", args=[meeting.pk]),
        {
            "date": new.strftime("%d/%m/%Y"),
            "starts_at": "14:00",
            "place": "Sân bóng bản",
            "reason": "Trùng ngày chợ phiên",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.moved_from, meeting.change_reason) == (
        new,
        old,
        "Trùng ngày chợ phiên",
    )
    assert meeting.starts_at == datetime.time(14, 0) and meeting.place == "Sân bóng bản"


def test_a_meeting_cannot_be_moved_into_the_past(cast, login):
    meeting = MeetingFactory(club=cast.club_a, date=_today() + datetime.timedelta(days=3))
    past = _today() - datetime.timedelta(days=2)
    response = login(cast.leader).post(
        reverse("month:meeting_move", args=[meeting.pk]),
        {"date": past.strftime("%d/%m/%Y"), "place": "", "reason": "Nhầm"},
    )
    assert response.status_code == 200
    assert vi("A meeting cannot be moved into the past.") in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.moved_from is None and meeting.date == _today() + datetime.timedelta(days=3)


def test_cancelling_needs_a_reason_and_records_it(cast, login):
    meeting = MeetingFactory(club=cast.club_a, date=_today() + datetime.timedelta(days=3))
    client = login(cast.leader)
    url = reverse("month:meeting_cancel", args=[meeting.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    assert client.post(url, {"reason": "Mưa lũ"}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.change_reason) == (Meeting.Status.CANCELLED, "Mưa lũ")


def test_meeting_list_and_detail(cast, login, sitting, django_assert_max_num_queries):
    meeting, _ = sitting
    client = login(cast.leader)
    for i in range(5):
        MeetingFactory(club=cast.club_a, date=_today() + datetime.timedelta(days=30 * (i + 1)))
    with django_assert_max_num_queries(7):
        page = client.get(reverse("month:meeting_list", args=[cast.club_a.pk]))
    assert page.status_code == 200 and vi("Next meeting") in page.content.decode()
    detail = client.get(reverse("month:meeting_detail", args=[meeting.pk]))
    assert detail.status_code == 200
    assert meeting.date.strftime("%d/%m/%Y") in detail.content.decode()


def test_adding_an_extra_meeting(cast, login):
    day = _today() + datetime.timedelta(days=10)
    response = login(cast.leader).post(
        reverse("month:meeting_add", args=[cast.club_a.pk]),
        {
            "date": day.strftime("%d/%m/%Y"),
            "starts_at": "08:00",
            "place": "Nhà văn hóa",
            "agenda": "Họp bất thường",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get(club=cast.club_a, date=day).planned_on is None


def test_the_sheet_shows_what_was_saved_exactly_as_the_form_would(cast, login, sitting):
    """The unposted sheet is drawn from the saved marks and readings without the form's
    per-member fields: it must be the same sheet, checked buttons and readings included."""
    from month import selectors as sel
    from month.forms import MeetingRecordForm, sheet_rows
    from month.record_sheet import render_rows

    meeting, members = sitting
    a, b, *_ = members
    meeting_record(
        meeting=meeting,
        attendance={a.pk: "present", b.pk: "excused"},
        readings={a.pk: Reading(150, 95, Decimal("52.5"))},
        guests=0, minutes="", decisions="", agenda="", by=cast.leader,
    )  # fmt: skip
    sheet = sel.meeting_sheet(meeting)
    buttons = [("present", "P", "success"), ("excused", "E", "warning"), ("", "–", "secondary")]
    form = MeetingRecordForm(
        None, members=sheet["members"], marks=sheet["marks"], readings=sheet["readings"]
    )
    light = render_rows(sheet_rows(sheet["members"], sheet["marks"], sheet["readings"], buttons))
    assert light == render_rows(form.rows(buttons))
    page = login(cast.leader).get(reverse("month:meeting_record", args=[meeting.pk]))
    html = page.content.decode()
    assert f'id="id_att_{a.pk}_present" value="present" autocomplete="off" checked' in html
    assert f'id="id_att_{b.pk}_excused" value="excused" autocomplete="off" checked' in html
    assert f'name="sys_{a.pk}" id="id_sys_{a.pk}" value="150"' in html
    assert f'name="wt_{a.pk}" id="id_wt_{a.pk}" value="52.5"' in html


# --- The sheet is recorded once per key (accounts.once) ----------------------------------------


class _Saves:
    """Counts the saves of meetings: each recording of a sheet saves its meeting once."""

    def __init__(self):
        import threading

        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, **kwargs):
        with self._lock:
            self.count += 1


@pytest.fixture
def meeting_saves():
    from django.db.models.signals import post_save

    saves = _Saves()
    post_save.connect(saves, sender=Meeting, weak=False, dispatch_uid="test-meeting-saves")
    yield saves
    post_save.disconnect(sender=Meeting, dispatch_uid="test-meeting-saves")


def test_a_resubmitted_sheet_records_nothing_twice(cast, login, sitting, meeting_saves):
    """Phone 1 saves, phone 2 corrects, then phone 1 goes "back" and sends its sheet again:
    the correction stays, and phone 1 is answered as the first time."""
    import re

    from accounts.once import FIELD

    meeting, members = sitting
    a, *_ = members
    url = reverse("month:meeting_record", args=[meeting.pk])
    phone1, phone2 = login(cast.leader), login(cast.leader)
    drawn = phone1.get(url).content.decode()
    key = re.search(rf'name="{FIELD}" value="([0-9a-f-]+)"', drawn).group(1)
    sheet1 = post_data(members, marks={a: "present"}, readings={a: ("150", "95", "")})
    first = phone1.post(url, {**sheet1, FIELD: key})
    assert first.status_code == 302
    key2 = re.search(rf'name="{FIELD}" value="([0-9a-f-]+)"', phone2.get(url).content.decode())
    phone2.post(url, {**post_data(members, marks={a: "absent"}), FIELD: key2.group(1)})

    again = phone1.post(url, {**sheet1, FIELD: key})

    assert again.status_code == 302 and again.url == first.url
    assert Attendance.objects.get(meeting=meeting, member=a).status == "absent"
    assert not HealthCheck.objects.filter(meeting=meeting, member=a).exists()
    assert meeting_saves.count == 2
    shown = [str(m) for m in phone1.get(again.url).context["messages"]]
    assert vi("Meeting saved.") in shown


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sheet_sent_from_many_taps_at_once_is_recorded_once(cast, meeting_saves):
    import threading
    import uuid

    from django.db import connection, connections
    from django.test import Client

    from accounts.models import IdempotencyKey
    from accounts.once import FIELD

    assert connection.vendor == "postgresql"
    members = [
        MemberFactory(
            club=cast.club_a, consent_on=datetime.date(2024, 1, 10), consent_method="paper"
        )
        for _ in range(3)
    ]
    meeting = MeetingFactory(club=cast.club_a, date=_today() - datetime.timedelta(days=3))
    data = post_data(
        members,
        marks=dict.fromkeys(members, "present"),
        readings={members[0]: ("130", "85", "50")},
    )
    data[FIELD] = str(uuid.uuid4())
    url = reverse("month:meeting_record", args=[meeting.pk])
    meeting_saves.count = 0  # the meeting's own creation
    taps = 6
    barrier = threading.Barrier(taps)
    codes: list[int] = []

    def tap():
        try:
            client = Client()
            client.force_login(cast.leader)
            barrier.wait()
            codes.append(client.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap) for _ in range(taps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert codes == [302] * taps
    assert meeting_saves.count == 1
    assert IdempotencyKey.objects.filter(key=data[FIELD]).count() == 1
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 3
    assert HealthCheck.objects.filter(meeting=meeting).count() == 1
