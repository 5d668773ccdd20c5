"""After the event: summary figures, certificates, the attendance sheet; coverage of clubs."""

import datetime

import pytest
from django.urls import reverse

from clubs.models import BoardPosition
from tests.factories import ClubFactory, MemberFactory
from tests.factories_trainings import ParticipantFactory, TrainingFactory, check_in, make_event
from trainings import pdf, selectors
from trainings.models import Participant, SessionAttendance, Training

pytestmark = pytest.mark.django_db


def test_summary_figures_equal_raw_counts(cast, login):
    training = TrainingFactory(organiser=cast.province_a)
    P = Participant.Position
    people = [
        ParticipantFactory(training=training, area=cast.commune_a1, sex="F", ethnicity="Thái",
                           position=P.COMMUNE_CHAIR, pre_score=40, post_score=70),
        ParticipantFactory(training=training, area=cast.commune_a1, sex="M", ethnicity="Mông",
                           position=P.COMMUNE_VICE, pre_score=50, post_score=60),
        ParticipantFactory(training=training, area=cast.commune_a2, sex="F", ethnicity="Thái",
                           position=P.COMMUNE_CHAIR, pre_score=30),
        ParticipantFactory(training=training, area=None, sex="M", ethnicity="",
                           position=P.DISTRICT_CHAIR),
    ]  # fmt: skip
    day1, day2 = training.sessions.all()
    for p in people:
        check_in(p, day1)
    check_in(people[0], day2)
    data = selectors.training_summary(training=training, viewer=cast.province)
    assert data["total"] == Participant.objects.filter(training=training).count() == 4
    by_area = {r["area__name"]: r["n"] for r in data["by_area"]}
    assert by_area == {cast.commune_a1.name: 2, cast.commune_a2.name: 1, None: 1}
    assert sum(r["n"] for r in data["by_position"]) == 4
    assert {r["ethnicity"]: r["n"] for r in data["by_ethnicity"]} == {"Thái": 2, "Mông": 1, "": 1}
    rates = {s.day: (s.present, s.rate) for s in data["sessions"]}
    assert rates[day1.day] == (SessionAttendance.objects.filter(session=day1).count(), 100.0)
    assert rates[day2.day] == (1, 25.0)
    # Gain only over people with both scores: (30 + 10) / 2.
    assert data["scores"]["scored"] == 2
    assert float(data["scores"]["avg_gain"]) == 20.0
    response = login(cast.province).get(reverse("trainings:summary", args=[training.pk]))
    assert response.status_code == 200
    assert (
        'id="gain">20,0' in response.content.decode()
        or 'id="gain">20.0' in response.content.decode()
    )
    # A viewer reads the same page with the groups of 1 to 4 people suppressed: 4 in all,
    # 2 with both tests (so no average, which would give their scores away).
    response = login(cast.viewer).get(reverse("trainings:summary", args=[training.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="total">&lt; 5<' in page
    assert 'id="gain">–<' in page


def test_summary_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    training = make_event(cast.commune_a1, people=30)
    client = login(cast.commune)
    # session, user, area, training, total, 4 groupings, sessions with counts, scores
    with django_assert_max_num_queries(11):
        response = client.get(reverse("trainings:summary", args=[training.pk]))
    assert response.status_code == 200
    assert 'id="total">30<' in response.content.decode()  # participants


def test_certificates_only_for_people_present(cast, login):
    training = make_event(cast.commune_a1, people=3)
    a, b, c = training.participants.all()
    day1 = training.sessions.first()
    check_in(a, day1)
    check_in(b, day1)
    client = login(cast.commune)
    response = client.get(reverse("trainings:certificates", args=[training.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"/Count 2" in response.content  # one page for each person present
    response = client.get(reverse("trainings:certificate", args=[training.pk, c.pk]))
    assert response.status_code == 302  # not present: no certificate, a message instead


def test_certificate_font_has_vietnamese_letters():
    from reportlab.pdfbase import pdfmetrics

    name = pdf.font_in_use()
    face = pdfmetrics.getFont(name).face
    if name == "DejaVuSans":
        for ch in "ơưạếữỹĐ":
            assert ord(ch) in face.charToGlyph, ch


def test_attendance_sheet_lists_everyone_per_day(cast, login):
    training = make_event(cast.commune_a1, people=4)
    response = login(cast.commune).get(reverse("trainings:attendance_sheet", args=[training.pk]))
    html = response.content.decode()
    for p in training.participants.all():
        assert html.count(p.full_name) == 2  # two days, one sheet each


# --- Coverage ----------------------------------------------------------------------------------


def _chair(club, *, start=datetime.date(2020, 3, 21)):
    member = MemberFactory(club=club)
    BoardPosition.objects.create(
        club=club, member=member, position=BoardPosition.Position.CHAIR, start_on=start
    )
    return member


def test_coverage(cast, login):
    today = datetime.date.today()
    recent = TrainingFactory(
        organiser=cast.province_a,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=29),
        status=Training.Status.DONE,
    )
    old = TrainingFactory(
        organiser=cast.province_a,
        starts_on=datetime.date(2019, 5, 1),
        ends_on=datetime.date(2019, 5, 2),
        status=Training.Status.DONE,
    )
    chair_a = _chair(cast.club_a)  # trained recently
    chair_a2 = _chair(cast.club_a2)  # trained long ago, founded after
    cast.club_a2.founded_on = datetime.date(2020, 3, 21)
    cast.club_a2.save()
    untrained = ClubFactory(commune=cast.commune_a2)
    _chair(untrained)
    registered_only = ClubFactory(commune=cast.commune_a2)
    ParticipantFactory(training=recent, member=_chair(registered_only))  # never came
    p = ParticipantFactory(training=recent, member=chair_a, area=cast.commune_a1)
    check_in(p, recent.sessions.first())
    p = ParticipantFactory(training=old, member=chair_a2)
    check_in(p, old.sessions.first())

    data = selectors.coverage(viewer=cast.province, today=today)
    communes = {a.pk: a for a in data["communes"]}
    assert communes[cast.commune_a1.pk].covered_count == 1
    assert communes[cast.commune_a1.pk].association_trained
    assert communes[cast.commune_a2.pk].covered_count == 0
    assert communes[cast.commune_a2.pk].club_count == 3
    assert set(data["untrained_chairs"]) == {untrained, registered_only}
    assert list(data["founded_after"]) == [cast.club_a2]
    assert data["totals"] == {"clubs": 4, "covered": 1}

    # Commune staff see their commune only; the page lists the same.
    data = selectors.coverage(viewer=cast.commune, today=today)
    assert [a.pk for a in data["communes"]] == [cast.commune_a1.pk]
    response = login(cast.province).get(reverse("trainings:coverage"))
    assert response.status_code == 200
    assert untrained.name in response.content.decode()
    assert login(cast.leader).get(reverse("trainings:coverage")).status_code == 403


def test_coverage_counts_a_leader_user_of_the_club(cast):
    today = datetime.date.today()
    recent = TrainingFactory(
        organiser=cast.province_a,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today - datetime.timedelta(days=2),
    )
    p = ParticipantFactory(training=recent, user=cast.leader)
    check_in(p, recent.sessions.first())
    data = selectors.coverage(viewer=cast.province, today=today)
    assert data["totals"]["covered"] == 1


def test_coverage_query_count(cast, login, django_assert_max_num_queries):
    clubs = [ClubFactory(commune=cast.commune_a1) for _ in range(5)]
    for club in clubs:
        _chair(club)
    client = login(cast.province)
    # session, user, area; communes count + page; chairs count + page; founded count + page;
    # totals
    with django_assert_max_num_queries(12):
        response = client.get(reverse("trainings:coverage"))
    assert response.status_code == 200
    page = response.content.decode()
    # each new club is listed among those whose chair was never trained
    assert cast.commune_a1.name in page and all(club.name in page for club in clubs)
