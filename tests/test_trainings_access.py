"""Who sees which training: the organising area and above, and leaders whose club took part.
Every URL answers 404 to outsiders and 403 to a read-only viewer who writes."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts import scoping
from accounts.models import Role
from tests.factories import MemberFactory, UserFactory
from tests.factories_trainings import ParticipantFactory, check_in, make_event
from trainings.models import Participant, SessionAttendance, Trainer, Training, TrainingMaterial

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(cast, settings, tmp_path):
    """A commune A1 training with one person present, a trainer and a material."""
    settings.MEDIA_ROOT = tmp_path
    training = make_event(cast.commune_a1, people=2)
    session = training.sessions.first()
    participant = training.participants.first()
    check_in(participant, session)
    trainer = Trainer.objects.create(training=training, name="Nguyễn Thị Tư")
    material = TrainingMaterial(
        training=training, title="Kế hoạch", original_name="ke-hoach.pdf", kind="pdf", size=9
    )
    material.file.save("abc.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return training, session, participant, trainer, material


@pytest.fixture
def other_province_staff(cast):
    return UserFactory(username="province_b", role=Role.PROVINCE, area=cast.province_b)


def test_staff_of_the_area_and_above_see_a_commune_training(cast, event):
    training = event[0]
    for user in (cast.province, cast.commune, cast.viewer, cast.admin):
        assert training in scoping.for_user(Training, user), user
    for user in (cast.leader, cast.leader2):
        assert training not in scoping.for_user(Training, user), user


def test_commune_staff_do_not_see_a_provincial_training(cast):
    training = make_event(cast.province_a, people=0)
    assert training in scoping.for_user(Training, cast.province)
    assert training not in scoping.for_user(Training, cast.commune)


def test_leader_sees_a_training_where_a_member_of_the_club_took_part(cast, event):
    training = event[0]
    member = MemberFactory(club=cast.club_a)
    ParticipantFactory(training=training, member=member)
    assert list(scoping.for_user(Training, cast.leader)) == [training]
    assert not scoping.for_user(Training, cast.leader2).exists()


def test_leader_sees_a_training_where_a_user_of_the_club_took_part(cast, event):
    training = event[0]
    ParticipantFactory(training=training, user=cast.leader)
    assert list(scoping.for_user(Training, cast.leader)) == [training]
    # Staff of another province still don't.
    other = UserFactory(role=Role.PROVINCE, area=cast.province_b)
    assert not scoping.for_user(Training, other).exists()


def test_leader_who_took_part_reads_but_does_not_manage(cast, event, login):
    training = event[0]
    ParticipantFactory(training=training, user=cast.leader)
    client = login(cast.leader)
    detail = client.get(reverse("trainings:detail", args=[training.pk]))
    assert detail.status_code == 200 and training.title in detail.content.decode()
    assert client.get(reverse("trainings:edit", args=[training.pk])).status_code == 403
    response = client.post(reverse("trainings:participant_add", args=[training.pk]), {})
    assert response.status_code == 403


def _urls(training, session, participant, trainer, material):
    t = training.pk
    read = [
        ("trainings:detail", [t]),
        ("trainings:participants", [t]),
        ("trainings:materials", [t]),
        ("trainings:material_download", [t, material.pk]),
        ("trainings:attendance_sheet", [t]),
        ("trainings:certificates", [t]),
        ("trainings:certificate", [t, participant.pk]),
        ("trainings:summary", [t]),
    ]
    write_get = [
        ("trainings:edit", [t]),
        ("trainings:session_edit", [t, session.pk]),
        ("trainings:checkin", [t, session.pk]),
        ("trainings:participant_add", [t]),
        ("trainings:participant_edit", [t, participant.pk]),
        ("trainings:import", [t]),
        ("trainings:import_preview", [t]),
        ("trainings:scores", [t]),
    ]
    get_only = {"trainings:checkin", "trainings:import_preview"}
    write_post = [
        *(u for u in write_get if u[0] not in get_only),
        ("trainings:materials", [t]),
        ("trainings:trainer_add", [t]),
        ("trainings:trainer_delete", [t, trainer.pk]),
        ("trainings:checkin_mark", [t, session.pk, participant.pk]),
        ("trainings:import_confirm", [t]),
        ("trainings:material_delete", [t, material.pk]),
    ]
    return read, write_get, write_post


@pytest.mark.parametrize("who", ["leader2", "other_province"])
def test_every_url_is_404_for_outsiders(cast, event, login, other_province_staff, who):
    user = cast.leader2 if who == "leader2" else other_province_staff
    client = login(user)
    read, write_get, write_post = _urls(*event)
    for name, args in read + write_get:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name, args in write_post:
        assert client.post(reverse(name, args=args), {"name": "X"}).status_code == 404, name
    # Nothing changed.
    assert Trainer.objects.count() == 1
    assert TrainingMaterial.objects.count() == 1
    assert SessionAttendance.objects.count() == 1


# Pages and files of named participants: viewers see aggregates only (accounts.privacy).
NAMED = {"trainings:attendance_sheet", "trainings:certificates", "trainings:certificate"}


def test_every_write_is_403_for_the_viewer(cast, event, login):
    client = login(cast.viewer)
    read, _write_get, write_post = _urls(*event)
    names = list(Participant.objects.values_list("full_name", flat=True))
    for name, args in read:
        response = client.get(reverse(name, args=args))
        assert response.status_code == (403 if name in NAMED else 200), name
        if not response.streaming:  # the material's own file is not about anyone
            page = response.content.decode()
            assert not any(n in page for n in names), name
    for name, args in write_post:
        assert client.post(reverse(name, args=args), {"name": "X"}).status_code == 403, name
    assert client.post(reverse("trainings:create"), {}).status_code == 403
    assert Trainer.objects.count() == 1
    assert Participant.objects.count() == 2


def test_every_url_works_for_the_organising_staff(cast, event, login):
    client = login(cast.commune)
    read, write_get, _ = _urls(*event)
    for name, args in read + write_get:
        response = client.get(reverse(name, args=args))
        # The import preview sends you back to the upload when there is nothing to preview.
        assert response.status_code in (200, 302), name
    certificate = client.get(reverse("trainings:certificate", args=[event[0].pk, event[2].pk]))
    assert certificate["Content-Type"] == "application/pdf"
    assert certificate.content.startswith(b"%PDF")


def test_outsider_lists_show_nothing_of_province_a(cast, event, login, other_province_staff):
    client = login(other_province_staff)
    response = client.get(reverse("trainings:list"))
    assert response.status_code == 200
    assert event[0].title not in response.content.decode()
    response = client.get(reverse("trainings:coverage"))
    assert cast.club_a.name not in response.content.decode()


def test_create_only_for_areas_of_the_user(cast, login, other_province_staff):
    data = {
        "title": "Tập huấn",
        "organiser": cast.commune_a1.pk,
        "starts_on": "28/05/2024",
        "ends_on": "29/05/2024",
        "status": "planned",
    }
    response = login(other_province_staff).post(reverse("trainings:create"), data)
    assert response.status_code == 200
    assert "organiser" in response.context["form"].errors
    assert not Training.objects.exists()
    assert login(cast.leader).post(reverse("trainings:create"), data).status_code == 403
    response = login(cast.province).post(reverse("trainings:create"), data)
    assert response.status_code == 302
    training = Training.objects.get()
    assert [s.day.day for s in training.sessions.all()] == [28, 29]
