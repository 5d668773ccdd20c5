"""Every database constraint of the apps below funds speaks Vietnamese when it refuses.

``CASES`` holds, for each constraint of accounts, clubs, members, trainings, month, reports and
privacy (read from ``Model._meta.constraints``), a record that breaks it. A constraint added
without a case here fails ``test_every_constraint_has_a_case``. Each case is checked the way
services, model forms and the admin check a record (``validate_constraints``, which
``full_clean`` runs): the refusal is the constraint's own Vietnamese message, never Django's
English "Constraint … is violated." or "… already exists.". The pages where people meet these
rules are checked end to end below (a training's dates, a home-care visit's length, a club's
meeting day), and so is a write the database itself refuses (``config.ui.constraint_refusal``).
"""

import datetime
import html
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Notification
from clubs.models import AreaSuccession, BoardPosition, Club
from members.models import CareAssignment, CompositionTarget, Member
from month.models import (
    Activity,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
    Reminder,
)
from privacy.models import DataSubjectRequest
from reports.models import (
    AreaMonthSummary,
    ClubMonthActivity,
    ClubMonthSummary,
    ClubYearSummary,
    PeriodicReport,
    SummaryDirty,
)
from tests.factories import MemberFactory
from tests.factories_month import MeetingFactory
from tests.factories_trainings import ParticipantFactory, TrainingFactory
from trainings.models import SessionAttendance, Training, TrainingSession

pytestmark = pytest.mark.django_db

APPS = ["accounts", "clubs", "members", "trainings", "month", "reports", "privacy"]
CONSTRAINTS = {
    c.name: (model, c)
    for app in APPS
    for model in apps.get_app_config(app).get_models()
    for c in model._meta.constraints
}
D = datetime.date(2024, 5, 21)


def _copy(obj: models.Model) -> models.Model:
    """An unsaved record with the same values as ``obj``: a duplicate for a unique rule."""
    fields = obj._meta.concrete_fields
    return type(obj)(**{f.attname: getattr(obj, f.attname) for f in fields if not f.primary_key})


def _member(cast, **kw):
    return MemberFactory(club=cast.club_a, **kw)


def _meeting(cast):
    return MeetingFactory(club=cast.club_a, date=D, planned_on=D)


def _consenting(cast):
    return _member(cast, consent_on=datetime.date(2024, 1, 10), consent_method="paper")


def _reading(cast, **kw):
    member = _consenting(cast)
    values = {"systolic": 120, "diastolic": 80, **kw}
    return HealthCheck(club=cast.club_a, member=member, date=D, **values)


def _summary(cast):
    return ClubMonthSummary.objects.create(
        club=cast.club_a, commune=cast.commune_a1, year=2024, month=5, ym=202405
    )


def _activity_sum(cast):
    from month.models import ActivityArea

    area = ActivityArea.objects.order_by("pk").first() or ActivityArea.objects.create(
        code="x", name="Khác"
    )
    return ClubMonthActivity.objects.create(
        club=cast.club_a, commune=cast.commune_a1, activity_area=area, ym=202405
    )


def _participant(cast, **kw):
    return ParticipantFactory(training=TrainingFactory(organiser=cast.province_a), **kw)


def _attendance_at_session(cast):
    participant = _participant(cast)
    session = participant.training.sessions.first()
    return SessionAttendance.objects.create(session=session, participant=participant)


def _request(cast, **kw):
    values = {
        "kind": "export",
        "member": _member(cast),
        "asked_by": "person",
        "outcome": "x",
        "handled_by": cast.admin,
        **kw,
    }
    return DataSubjectRequest(**values)


def _reminder(cast):
    meeting = _meeting(cast)
    return Reminder.objects.create(
        meeting=meeting,
        member=_member(cast),
        channel="sms",
        lead_days=1,
        meeting_date=meeting.date,
        due_at=timezone.now(),
    )


# name -> (cast) -> a record that breaks the constraint (unsaved; a duplicate for unique ones)
CASES = {
    # clubs
    "area_unique_level_code": lambda c: _copy(c.commune_a1),
    "succession_unique_pair": lambda c: _copy(
        AreaSuccession.objects.create(old=c.commune_a2, new=c.commune_a1)
    ),
    "club_meeting_day_range": lambda c: Club(
        name="CLB", commune=c.commune_a1, meeting_rule="day_of_month", meeting_day=40
    ),
    "board_term_order": lambda c: BoardPosition(
        club=c.club_a, member=_member(c), position="chair", start_on=D,
        end_on=D - datetime.timedelta(days=1),
    ),
    # members
    "member_left_after_joined": lambda c: Member(
        club=c.club_a, full_name="A", sex="F", birth_year=1950, joined_on=D,
        left_on=D - datetime.timedelta(days=1),
    ),
    "member_sensitive_needs_consent": lambda c: Member(
        club=c.club_a, full_name="A", sex="F", birth_year=1950, joined_on=D, ethnicity="Thái"
    ),
    "composition_target_ranges": lambda c: CompositionTarget(min_members=60, max_members=20),
    "composition_target_percent": lambda c: CompositionTarget(women_max=150),
    "care_assignment_period_order": lambda c: CareAssignment(
        volunteer=_member(c), recipient=_member(c), start_on=D,
        end_on=D - datetime.timedelta(days=1),
    ),
    "care_assignment_not_self": lambda c: CareAssignment(
        volunteer=(m := _member(c)), recipient=m, start_on=D
    ),
    # trainings
    "training_dates_order": lambda c: Training(
        title="T", organiser=c.province_a, starts_on=D, ends_on=D - datetime.timedelta(days=1)
    ),
    "training_session_unique_day": lambda c: _copy(
        TrainingSession.objects.filter(training=TrainingFactory(organiser=c.province_a)).first()
    ),
    "participant_unique_phone": lambda c: _copy(_participant(c)),
    "participant_unique_name_unit": lambda c: _copy(_participant(c, phone="")),
    "participant_unique_member": lambda c: _copy(_participant(c, member=_member(c))),
    "participant_unique_user": lambda c: _copy(_participant(c, user=c.leader)),
    "participant_pre_score_range": lambda c: _participant(c, pre_score=None).__class__(
        training=TrainingFactory(organiser=c.province_a), full_name="B", pre_score=150
    ),
    "participant_post_score_range": lambda c: _participant(c).__class__(
        training=TrainingFactory(organiser=c.province_a), full_name="B", post_score=150
    ),
    "session_attendance_unique": lambda c: _copy(_attendance_at_session(c)),
    # month
    "meeting_unique_rule_day": lambda c: _copy(_meeting(c)),
    "attendance_unique": lambda c: _copy(
        Attendance.objects.create(meeting=_meeting(c), member=_member(c), status="present")
    ),
    "healthcheck_one_per_meeting": lambda c: _copy(
        HealthCheck.objects.create(
            club=c.club_a, member=_consenting(c), meeting=_meeting(c), date=D,
            systolic=120, diastolic=80,
        )
    ),
    "healthcheck_bp_pair": lambda c: _reading(c, diastolic=None),
    "healthcheck_not_empty": lambda c: _reading(c, systolic=None, diastolic=None),
    "healthcheck_bp_plausible": lambda c: _reading(c, systolic=80, diastolic=120),
    "healthcheck_weight_plausible": lambda c: _reading(c, weight=Decimal("900")),
    "activity_cost_not_negative": lambda c: Activity(club=c.club_a, date=D, title="A", cost=-1),
    "visit_not_to_oneself": lambda c: HomeCareVisit(
        club=c.club_a, volunteer=(m := _member(c)), recipient=m, date=D,
        services="company", duration_minutes=60,
    ),
    "visit_duration_range": lambda c: HomeCareVisit(
        club=c.club_a, volunteer=_member(c), recipient=_member(c), date=D,
        services="company", duration_minutes=5000,
    ),
    "reminder_unique_per_recipient_lead": lambda c: _copy(_reminder(c)),
    "report_unique_month": lambda c: _copy(
        MonthlyReport.objects.create(club=c.club_a, year=2024, month=5)
    ),
    "report_month_range": lambda c: MonthlyReport(club=c.club_a, year=2024, month=13),
    # reports
    "club_month_summary_unique": lambda c: _copy(_summary(c)),
    "club_month_activity_unique": lambda c: _copy(_activity_sum(c)),
    "club_year_summary_unique": lambda c: _copy(
        ClubYearSummary.objects.create(
            club=c.club_a,
            commune=c.commune_a1,
            province=c.province_a,
            year=2024,
            first_ym=202401,
            stock_ym=202412,
        )
    ),
    "area_month_summary_unique": lambda c: _copy(
        AreaMonthSummary.objects.create(area=c.commune_a1, ym=202405)
    ),
    "dirty_club_month": lambda c: _copy(SummaryDirty.objects.create(club=c.club_a, ym=202405)),
    "dirty_area_month": lambda c: _copy(
        SummaryDirty.objects.create(area=c.commune_a1, ym=202405)
    ),
    "dirty_club_or_area": lambda c: SummaryDirty(club=c.club_a, area=c.commune_a1, ym=202405),
    "periodic_report_once": lambda c: _copy(
        PeriodicReport.objects.create(area=c.commune_a1, kind="annual", year=2024)
    ),
    "periodic_report_period": lambda c: PeriodicReport(
        area=c.commune_a1, kind="annual", year=2024, half=1
    ),
    "periodic_report_year": lambda c: PeriodicReport(area=c.commune_a1, kind="annual", year=1990),
    # accounts
    "notification_once_per_user": lambda c: _copy(
        Notification.objects.create(user=c.leader, kind="report_returned", event="e-1", text="x", url="/")
    ),
    # privacy
    "dsr_kind_valid": lambda c: _request(c, kind="other"),
    "dsr_anonymisation_has_reason": lambda c: _request(c, kind="anonymisation", reason=""),
}  # fmt: skip

ENGLISH = ("Constraint", "violated", "already exists", "unique")


def test_every_constraint_has_a_case():
    assert sorted(CONSTRAINTS) == sorted(CASES)


def test_every_constraint_has_its_own_message():
    for name, (_model, constraint) in CONSTRAINTS.items():
        assert constraint.violation_error_message != constraint.default_violation_error_message, (
            name
        )


@pytest.mark.parametrize("name", sorted(CONSTRAINTS))
def test_a_broken_rule_is_refused_in_vietnamese(cast, name):
    _model, constraint = CONSTRAINTS[name]
    record = CASES[name](cast)
    with translation.override("en"):
        english = str(constraint.violation_error_message)
    with translation.override("vi"):
        expected = str(constraint.violation_error_message)
        with pytest.raises(ValidationError) as refused:
            record.validate_constraints()
        said = [str(m) for m in refused.value.messages]
    assert expected != english, f"{name}: no Vietnamese"
    assert expected in said
    for text in said:
        assert not any(word in text for word in ENGLISH), (name, text)
        assert name not in text


# --- On the pages -------------------------------------------------------------------------------


def _errors(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _vi(model, name: str) -> str:
    constraint = next(c for c in model._meta.constraints if c.name == name)
    with translation.override("vi"):
        return str(constraint.violation_error_message)


def test_a_training_ending_before_it_starts_says_so_on_the_page(cast, login):
    page = _errors(
        login(cast.province).post(
            reverse("trainings:create"),
            {"title": "Tập huấn", "organiser": cast.province_a.pk, "starts_on": "29/05/2024",
             "ends_on": "28/05/2024", "venue": "Hội trường"},
        )
    )  # fmt: skip
    assert _vi(Training, "training_dates_order") in page
    assert "training_dates_order" not in page and "Constraint" not in page
    assert not Training.objects.exists()


def test_a_visit_of_impossible_length_is_refused_in_vietnamese(cast, login):
    volunteer, recipient = _member(cast, is_volunteer=True), _member(cast)
    page = _errors(
        login(cast.leader).post(
            reverse("month:visit_add", args=[cast.club_a.pk]),
            {"volunteer": volunteer.pk, "recipient": recipient.pk,
             "date": timezone.localdate().strftime("%d/%m/%Y"), "services": ["company"],
             "duration_minutes": "5000"},
        )
    )  # fmt: skip
    assert "visit_duration_range" not in page and "Constraint" not in page
    assert "is violated" not in page
    assert not HomeCareVisit.objects.exists()


def test_a_visit_the_database_refuses_shows_the_rules_own_words(cast, login, monkeypatch):
    """The checks in front of the database missed (a bug, or a race): the write the database
    refuses is answered on the page with the constraint's message, not a server error."""
    from month.forms import VisitForm

    monkeypatch.setattr(
        VisitForm, "clean_duration_minutes", lambda form: form.cleaned_data["duration_minutes"]
    )
    monkeypatch.setattr(HomeCareVisit, "full_clean", lambda record, *a, **kw: None)
    volunteer, recipient = _member(cast, is_volunteer=True), _member(cast)
    page = _errors(
        login(cast.leader).post(
            reverse("month:visit_add", args=[cast.club_a.pk]),
            {"volunteer": volunteer.pk, "recipient": recipient.pk,
             "date": timezone.localdate().strftime("%d/%m/%Y"), "services": ["company"],
             "duration_minutes": "5000", "once_key": "6f1c1c53-53f6-4c55-9a55-3c7f4f0e8d11"},
        )
    )  # fmt: skip
    assert _vi(HomeCareVisit, "visit_duration_range") in page
    assert "visit_duration_range" not in page and "Constraint" not in page
    assert not HomeCareVisit.objects.exists()


def test_a_club_meeting_day_beyond_the_month_is_refused_in_vietnamese(cast, login):
    url = reverse("clubs:club_edit", args=[cast.club_a.pk])
    client = login(cast.commune)
    form = client.get(url).context["form"]
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in ((n, form[n].value()) for n in form.fields)
    }
    data["meeting_day"] = "40"
    page = _errors(client.post(url, data))
    assert "club_meeting_day_range" not in page and "Constraint" not in page
    cast.club_a.refresh_from_db()
    assert cast.club_a.meeting_day == 21


def test_a_meeting_planned_twice_on_a_rule_day_is_refused_in_vietnamese(cast):
    """The schedule is the only writer of rule days; a second one is refused in words."""
    meeting = Meeting.objects.create(club=cast.club_a, date=D, planned_on=D)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        _copy(meeting).full_clean()
    assert _vi(Meeting, "meeting_unique_rule_day") in refused.value.messages
