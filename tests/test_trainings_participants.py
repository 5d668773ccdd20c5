"""Registering people, capacity, duplicates, the Excel import and attendance at the door."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from tests.factories_trainings import ParticipantFactory, TrainingFactory, check_in, make_event
from trainings import services
from trainings.models import Participant, SessionAttendance, Training

pytestmark = pytest.mark.django_db


def _person(**extra):
    data = {
        "full_name": "Lò Thị Xuân",
        "position": Participant.Position.COMMUNE_CHAIR,
        "title": "Chủ tịch Hội NCT xã Bình Lư",
        "unit": "Hội NCT xã Bình Lư",
        "sex": "F",
        "ethnicity": "Thái",
        "phone": "0912 345 678",
    }
    data.update(extra)
    return data


def test_register_through_the_form(cast, login):
    training = make_event(cast.commune_a1, people=0)
    response = login(cast.commune).post(
        reverse("trainings:participant_add", args=[training.pk]),
        _person(area=cast.commune_a1.pk),
    )
    assert response.status_code == 302
    person = Participant.objects.get()
    assert person.phone == "0912345678"
    assert person.search_name == "lo thi xuan"


def test_capacity_is_enforced_with_a_clear_message(cast, login):
    training = make_event(cast.commune_a1, people=2, capacity=2)
    response = login(cast.commune).post(
        reverse("trainings:participant_add", args=[training.pk]), _person()
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "capacity 2, 2 registered, 0 place(s) left" in text or "sức chứa 2" in text
    assert training.participants.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"full_name": "Lường Văn Khác", "phone": "+84 912.345.678"}, "phone"),
        ({"full_name": "lo thi xuan", "phone": ""}, "full_name"),
    ],
)
def test_duplicate_registration_is_refused(cast, login, change, field):
    training = make_event(cast.commune_a1, people=0)
    services.participant_register(training=training, data=_person(), by=cast.commune)
    response = login(cast.commune).post(
        reverse("trainings:participant_add", args=[training.pk]), _person(**change)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Lò Thị Xuân" in str(response.context["form"].errors[field])
    assert training.participants.count() == 1


def test_same_person_may_attend_two_trainings(cast):
    one = make_event(cast.commune_a1, people=0)
    two = make_event(cast.commune_a1, people=0)
    services.participant_register(training=one, data=_person(), by=cast.commune)
    services.participant_register(training=two, data=_person(), by=cast.commune)
    assert Participant.objects.count() == 2


def test_attendance_on_a_session_of_another_event_is_refused(cast, login):
    one = make_event(cast.commune_a1, people=1)
    two = make_event(cast.commune_a1, people=1)
    person = one.participants.get()
    other_session = two.sessions.first()
    with pytest.raises(services.TrainingError):
        services.attendance_mark(
            session=other_session, participant=person, present=True, by=cast.commune
        )
    # Through the URL: the session of another event is not found under this one.
    client = login(cast.commune)
    url = reverse("trainings:checkin_mark", args=[one.pk, other_session.pk, person.pk])
    assert client.post(url).status_code == 404
    url = reverse(
        "trainings:checkin_mark", args=[two.pk, other_session.pk, person.pk]
    )  # person of event one under event two
    assert client.post(url).status_code == 404
    assert not SessionAttendance.objects.exists()


def test_tap_marks_present_with_htmx_and_with_a_plain_post(cast, login):
    training = make_event(cast.commune_a1, people=2)
    session = training.sessions.first()
    a, b = training.participants.all()
    client = login(cast.commune)
    url = reverse("trainings:checkin_mark", args=[training.pk, session.pk, a.pk])
    response = client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-present="1"' in response.content.decode()
    url = reverse("trainings:checkin_mark", args=[training.pk, session.pk, b.pk])
    response = client.post(url, {"present": "1"})
    assert response.status_code == 302
    assert session.attendances.count() == 2
    # Tapping again (present=0) undoes a mistake.
    client.post(url, {"present": "0"})
    assert list(session.attendances.values_list("participant", flat=True)) == [a.pk]


def test_late_registration_on_the_spot_marks_present(cast, login):
    training = make_event(cast.commune_a1, people=1)
    session = training.sessions.last()
    url = reverse("trainings:participant_add", args=[training.pk]) + f"?session={session.pk}"
    response = login(cast.commune).post(url, _person())
    assert response.status_code == 302
    person = training.participants.get(search_name="lo thi xuan")
    assert person.registered_on_site
    assert session.attendances.filter(participant=person).exists()


def test_cancelled_training_takes_no_registration(cast):
    training = make_event(cast.commune_a1, people=0, status=Training.Status.CANCELLED)
    with pytest.raises(services.TrainingError):
        services.participant_register(training=training, data=_person(), by=cast.commune)


def test_scores_are_saved_and_bad_ones_refused(cast, login):
    training = make_event(cast.commune_a1, people=2)
    a, b = training.participants.all()
    client = login(cast.commune)
    url = reverse("trainings:scores", args=[training.pk])
    response = client.post(url, {f"pre_{a.pk}": "40", f"post_{a.pk}": "150"})
    assert response.status_code == 200
    assert "0 to 100" in response.content.decode() or "0 đến 100" in response.content.decode()
    a.refresh_from_db()
    assert a.post_score is None
    response = client.post(url, {f"pre_{a.pk}": "40", f"post_{a.pk}": "75", f"pre_{b.pk}": "50"})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.pre_score, a.post_score, b.pre_score, b.post_score) == (40, 75, 50, None)


# --- Import ----------------------------------------------------------------------------------


def _xlsx(
    rows, header=("Họ và tên", "Chức vụ", "Đơn vị", "Địa bàn", "Giới tính", "Dân tộc", "Điện thoại")
):
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH ĐẠI BIỂU DỰ TẬP HUẤN"])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "danh-sach.xlsx"
    return buffer


GOOD = [
    ("Lò Văn Piềng", "Chủ tịch Hội NCT huyện Tam Đường", "Hội NCT huyện Tam Đường", "", "Nam", "Thái", "0912000001"),
    ("Giàng A Páo", "Phó Chủ tịch Hội NCT xã A Một", "Hội NCT xã A Một", "91001", "Nam", "H'Mông", "0912000002"),
    ("Tẩn Thị Mai", "Chủ nhiệm CLB LTH Bản Mới", "CLB Bản Mới", "Xã A Một", "Nữ", "Dao", ""),
]  # fmt: skip


def test_import_preview_then_confirm_creates_every_row(cast, login):
    training = make_event(cast.commune_a1, people=0)
    client = login(cast.commune)
    response = client.post(reverse("trainings:import", args=[training.pk]), {"file": _xlsx(GOOD)})
    assert response.status_code == 302
    response = client.get(reverse("trainings:import_preview", args=[training.pk]))
    assert response.context["problem_count"] == 0
    assert not Participant.objects.exists()  # nothing saved before confirming
    response = client.post(reverse("trainings:import_confirm", args=[training.pk]))
    assert response.status_code == 302
    people = {p.full_name: p for p in training.participants.select_related("area")}
    assert people["Lò Văn Piềng"].position == Participant.Position.DISTRICT_CHAIR
    assert people["Giàng A Páo"].position == Participant.Position.COMMUNE_VICE
    assert people["Giàng A Páo"].ethnicity == "Mông"
    assert people["Giàng A Páo"].area == cast.commune_a1
    assert people["Tẩn Thị Mai"].position == Participant.Position.CLUB_CHAIR
    assert people["Tẩn Thị Mai"].sex == "F"


def test_import_with_problems_shows_them_and_saves_nothing(cast, login):
    training = make_event(cast.commune_a1, people=0)
    rows = [
        *GOOD,
        ("", "Chủ tịch", "X", "", "Nam", "", ""),
        (
            "Lý Thị Dín",
            "Chủ tịch Hội NCT xã",
            "Y",
            "Xã Không Có",
            "Không rõ",
            "Người Sao Hỏa",
            "12",
        ),
        ("Lò Văn Piềng", "Hội viên", "Hội NCT huyện Tam Đường", "", "Nam", "", "0912000001"),
    ]
    client = login(cast.commune)
    client.post(reverse("trainings:import", args=[training.pk]), {"file": _xlsx(rows)})
    response = client.get(reverse("trainings:import_preview", args=[training.pk]))
    html = response.content.decode()
    assert response.context["problem_count"] >= 6
    for needle in ("Xã Không Có", "Người Sao Hỏa", "12", "row 3", "dòng 3"):
        if needle in ("row 3", "dòng 3"):
            continue
        assert needle in html
    response = client.post(reverse("trainings:import_confirm", args=[training.pk]))
    assert response.status_code == 302
    assert not Participant.objects.exists()


def test_import_over_capacity_is_refused_whole(cast, login):
    training = make_event(cast.commune_a1, people=1, capacity=3)
    client = login(cast.commune)
    client.post(reverse("trainings:import", args=[training.pk]), {"file": _xlsx(GOOD)})
    response = client.get(reverse("trainings:import_preview", args=[training.pk]))
    assert response.context["problem_count"] == 1
    client.post(reverse("trainings:import_confirm", args=[training.pk]))
    assert training.participants.count() == 1


def test_import_service_is_all_or_none(cast):
    training = make_event(cast.commune_a1, people=0)
    rows = [_person(full_name="Một"), _person(full_name="Hai", phone="0912 345 678")]
    with pytest.raises(services.TrainingError):
        services.participants_import(training=training, rows=rows, by=cast.commune)
    assert not Participant.objects.exists()


def test_a_file_that_is_not_xlsx_gets_a_message(cast, login):
    training = make_event(cast.commune_a1, people=0)
    fake = io.BytesIO(b"PK\x03\x04 not really a workbook")
    fake.name = "list.xlsx"
    response = login(cast.commune).post(
        reverse("trainings:import", args=[training.pk]), {"file": fake}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 120])
def test_participant_and_checkin_lists_run_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries, size
):
    training = TrainingFactory(organiser=cast.commune_a1)
    people = ParticipantFactory.create_batch(size, training=training)
    session = training.sessions.first()
    for p in people[::2]:
        check_in(p, session)
    client = login(cast.commune)
    # session, user, the user's area (scope), training, count, page of rows, day buttons;
    # the access log (its content type the first time, savepoint, INSERT, release)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("trainings:participants", args=[training.pk]))
    assert response.status_code == 200
    # session, user, the user's area, training, session, count (= total), rows with
    # "present", present count, the day buttons
    with django_assert_max_num_queries(9):
        response = client.get(reverse("trainings:checkin", args=[training.pk, session.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-present="1"') == len(people[::2])
