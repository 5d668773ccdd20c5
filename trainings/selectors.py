"""Reads of the trainings app: lists with their joins, the event summary, coverage."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Avg,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts import scoping
from clubs.models import Area, BoardPosition, Club
from trainings.models import Participant, SessionAttendance, Training, TrainingSession

if TYPE_CHECKING:
    from accounts.models import User

# The founding board: board members whose term began within this many days of the founding.
FOUNDING_BOARD_DAYS = 90
COVERAGE_DAYS = 365


def training_list(*, viewer: User, term: str = "", status: str = "") -> QuerySet[Training]:
    qs = (
        scoping.for_user(Training, viewer)
        .select_related("organiser")
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("-starts_on", "-pk")
    )
    if term:
        qs = qs.filter(search_name__contains=term)
    if status:
        qs = qs.filter(status=status)
    return qs


def participant_list(*, training: Training, term: str = "") -> QuerySet[Participant]:
    qs = training.participants.select_related("area").annotate(days_present=Count("attendances"))
    if term:
        qs = qs.filter(search_name__contains=term)
    return qs.order_by("search_name", "pk")


def checkin_list(
    *, training: Training, session: TrainingSession, term: str = ""
) -> QuerySet[Participant]:
    qs = training.participants.select_related("area").annotate(
        present=Exists(
            SessionAttendance.objects.filter(session=session, participant=OuterRef("pk"))
        )
    )
    if term:
        qs = qs.filter(search_name__contains=term)
    return qs.order_by("search_name", "pk")


def _grouped(qs: QuerySet[Participant], field: str) -> list[dict[str, Any]]:
    return list(qs.values(field).annotate(n=Count("pk")).order_by("-n", field))


def training_summary(*, training: Training) -> dict[str, Any]:
    """Participants by area, position, sex and ethnicity; attendance rate per day; score gain.
    Every figure is one aggregate query."""
    participants = training.participants.all()
    total = participants.count()
    by_area = list(
        participants.values("area__name").annotate(n=Count("pk")).order_by("-n", "area__name")
    )
    position_labels = dict(Participant.Position.choices)
    by_position = [
        {"label": position_labels.get(r["position"], r["position"]), "n": r["n"]}
        for r in _grouped(participants, "position")
    ]
    sex_labels = dict(Participant.Sex.choices)
    by_sex = [
        {"label": sex_labels.get(r["sex"], r["sex"]), "n": r["n"]}
        for r in _grouped(participants, "sex")
    ]
    by_ethnicity = _grouped(participants, "ethnicity")
    sessions = list(training.sessions.annotate(present=Count("attendances")).order_by("day"))
    for s in sessions:
        s.rate = (100 * s.present / total) if total else None
    scores = participants.filter(pre_score__isnull=False, post_score__isnull=False).aggregate(
        scored=Count("pk"),
        avg_pre=Avg("pre_score"),
        avg_post=Avg("post_score"),
        avg_gain=Avg(F("post_score") - F("pre_score")),
    )
    return {
        "total": total,
        "by_area": by_area,
        "by_position": by_position,
        "by_sex": by_sex,
        "by_ethnicity": by_ethnicity,
        "sessions": sessions,
        "scores": scores,
    }


def trained_participants() -> QuerySet[Participant]:
    """People who were present on at least one day of a training that took place."""
    return Participant.objects.filter(
        pk__in=SessionAttendance.objects.values("participant_id")
    ).exclude(training__status=Training.Status.CANCELLED)


def _club_leader_q(path_to_club: str = "pk") -> Q:
    """A participant who leads the club: a current board member, or a user of that club."""
    club = OuterRef(path_to_club)
    return Q(member__board_positions__club=club, member__board_positions__end_on__isnull=True) | Q(
        user__club=club
    )


def coverage(*, viewer: User, today: datetime.date | None = None) -> dict[str, Any]:
    """Where leaders were trained: communes and clubs of the viewer's scope."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=COVERAGE_DAYS)
    trained = trained_participants()
    recent = trained.filter(training__ends_on__gte=cutoff, training__starts_on__lte=today)
    clubs = scoping.clubs_for(viewer).exclude(status=Club.Status.DISSOLVED)
    covered_clubs = clubs.filter(Exists(recent.filter(_club_leader_q())))
    communes = (
        scoping.areas_for(viewer)
        .filter(level=Area.Level.COMMUNE, active=True)
        .select_related("province")
        .annotate(
            club_count=Count(
                "clubs", filter=~Q(clubs__status=Club.Status.DISSOLVED), distinct=True
            ),
            covered_count=Count(
                "clubs", filter=Q(clubs__pk__in=covered_clubs.values("pk")), distinct=True
            ),
            association_trained=Exists(recent.filter(area=OuterRef("pk"))),
        )
        .order_by("province__name", "name")
    )
    current_chair = BoardPosition.objects.filter(
        club=OuterRef("pk"), position=BoardPosition.Position.CHAIR, end_on__isnull=True
    )
    chair_trained = trained.filter(
        member__board_positions__club=OuterRef("pk"),
        member__board_positions__position=BoardPosition.Position.CHAIR,
        member__board_positions__end_on__isnull=True,
    )
    untrained_chairs = (
        clubs.filter(Exists(current_chair))
        .exclude(Exists(chair_trained))
        .select_related("commune")
        .order_by("commune__name", "name")
    )
    founding_limit = ExpressionWrapper(
        OuterRef("founded_on") + datetime.timedelta(days=FOUNDING_BOARD_DAYS),
        output_field=DateField(),
    )
    founders_trained = trained.filter(
        Q(
            member__board_positions__club=OuterRef("pk"),
            member__board_positions__start_on__lte=founding_limit,
        )
        | Q(user__club=OuterRef("pk")),
        training__ends_on__lt=OuterRef("founded_on"),
    )
    founded_after = (
        clubs.filter(founded_on__isnull=False)
        .filter(Exists(founders_trained))
        .select_related("commune")
        .order_by("-founded_on", "name")
    )
    totals = clubs.aggregate(
        clubs=Count("pk"),
        covered=Count("pk", filter=Q(pk__in=covered_clubs.values("pk"))),
    )
    return {
        "cutoff": cutoff,
        "communes": communes,
        "untrained_chairs": untrained_chairs,
        "founded_after": founded_after,
        "totals": totals,
    }
