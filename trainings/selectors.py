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
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts import privacy, scoping
from accounts.models import User
from clubs.models import Area, BoardPosition, Club
from config.choices import readable
from config.collation import by_name, vi_name
from config.pickers import match
from trainings.models import Participant, SessionAttendance, Training, TrainingSession

if TYPE_CHECKING:
    from members.models import Member

# The row that stands for the groups too small to name (accounts.privacy.fold_small_groups).
OTHER_GROUPS = gettext_lazy("Other groups (fewer than 5 people each)")
# The founding board: board members whose term began within this many days of the founding.
FOUNDING_BOARD_DAYS = 90
COVERAGE_DAYS = 365


TRAINING_ORDER = ("-starts_on", "-pk")


def training_list(*, viewer: User, term: str = "", status: str = "") -> QuerySet[Training]:
    """The events the viewer sees, newest first; without their participant counts, which
    ``training_rows`` adds to the page's rows only (a count per event of the scope would
    grow with the number of events)."""
    qs = scoping.for_user(Training, viewer).order_by(*TRAINING_ORDER)
    if term:
        qs = qs.filter(search_name__contains=term)
    if status:
        qs = qs.filter(status=status)
    return qs


def training_rows(page: QuerySet[Training]) -> QuerySet[Training]:
    """The events of one page of ``training_list`` (a slice of it), each with its organiser
    and ``participant_count``: one query, the participants counted for those rows only
    (``id IN (the page's ids)``), in the list's order."""
    return (
        Training.objects.filter(pk__in=page.values("pk"))
        .select_related("organiser")
        .annotate(participant_count=Count("participants"))
        .order_by(*TRAINING_ORDER)
    )


def named_participants(*, training: Training, viewer: User) -> QuerySet[Participant]:
    """The participants ``viewer`` may see by name: everyone for the association staff who
    see the event, a club's own people for its leader, nobody for a viewer (the rule is
    ``accounts.privacy.people_q``)."""
    q = privacy.people_q(viewer, *Participant.people_club_paths)
    return training.participants.filter(q)


def participant_list(*, training: Training, viewer: User, term: str = "") -> QuerySet[Participant]:
    qs = (
        named_participants(training=training, viewer=viewer)
        .select_related("area")
        .annotate(days_present=Count("attendances"))
    )
    if term:
        qs = qs.filter(search_name__contains=term)
    return qs.order_by(*by_name("full_name"), "pk")


def unnamed_by_unit(*, training: Training, viewer: User) -> list[dict[str, Any]]:
    """The participants ``viewer`` may not see by name, counted by commune (area) and unit:
    no name, no personal field; a viewer's small counts read "< 5". Empty (and no query) for
    those who see everyone."""
    if privacy.sees_everyone(viewer):
        return []
    q = privacy.people_q(viewer, *Participant.people_club_paths)
    rows = (
        training.participants.exclude(q)
        .order_by()
        .values("area__name", "unit")
        .annotate(n=Count("pk"))
        .order_by(*by_name("area__name"), "unit")
    )
    return [
        {"area": r["area__name"] or "", "unit": r["unit"], "n": privacy.shown_count(viewer, r["n"])}
        for r in rows
    ]


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
    return qs.order_by(*by_name("full_name"), "pk")


def _grouped(qs: QuerySet[Participant], field: str) -> list[dict[str, Any]]:
    return list(qs.values(field).annotate(n=Count("pk")).order_by("-n", field))


def training_summary(*, training: Training, viewer: User) -> dict[str, Any]:
    """Participants by area, position, sex and ethnicity; attendance rate per day; score gain.
    Every figure is one aggregate query.

    As ``viewer`` may see them (``accounts.privacy``): a viewer's counts of 1 to 4 people read
    "< 5" (with the rate or average they would give away); ethnicity is sensitive, so for
    anyone who does not see every participant by name (a club's leader, a viewer) the groups
    of fewer than 5 are folded into one "other groups" row."""
    participants = training.participants.all()
    total = participants.count()
    by_area = list(
        participants.values("area__name")
        .annotate(n=Count("pk"))
        .order_by("-n", *by_name("area__name"))
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
    by_ethnicity = privacy.fold_small_groups(
        _grouped(participants, "ethnicity"),
        key="ethnicity",
        other=OTHER_GROUPS,
        sees_everyone=privacy.sees_everyone(viewer),
    )
    sessions = list(training.sessions.annotate(present=Count("attendances")).order_by("day"))
    for s in sessions:
        s.rate = (100 * s.present / total) if total else None
    scores = participants.filter(pre_score__isnull=False, post_score__isnull=False).aggregate(
        scored=Count("pk"),
        avg_pre=Avg("pre_score"),
        avg_post=Avg("post_score"),
        avg_gain=Avg(F("post_score") - F("pre_score")),
    )
    if not privacy.may_see_people(viewer):
        for rows in (by_area, by_position, by_sex, by_ethnicity):
            for r in rows:
                r["n"] = privacy.shown_count(viewer, r["n"])
        for s in sessions:
            s.present = privacy.shown_count(viewer, s.present)
            if isinstance(s.present, privacy.Suppressed):
                s.rate = None
        scores["scored"] = privacy.shown_count(viewer, scores["scored"])
        if isinstance(scores["scored"], privacy.Suppressed):
            scores.update(avg_pre=None, avg_post=None, avg_gain=None)
    return {
        "total": privacy.shown_count(viewer, total),
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
        .order_by(*by_name("province__name", "name"), "pk")
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
        .order_by(*by_name("commune__name", "name"), "pk")
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
        .order_by("-founded_on", *by_name("name"), "pk")
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


def person_data(*, member: Member) -> dict[str, list[dict[str, Any]]]:
    """The trainings one member record was registered for, with what the registration says
    about them and how many days they attended (data-subject requests). One query."""
    registrations = (
        Participant.objects.filter(member=member)
        .select_related("training")
        .annotate(days=Count("attendances"))
        .order_by("training__starts_on", "pk")
    )
    fields = ("full_name", "sex", "ethnicity", "phone", "position", "title", "unit")
    return {
        "trainings": [
            {
                "training": p.training.title,
                "starts_on": p.training.starts_on,
                "ends_on": p.training.ends_on,
                **readable(p, fields),
                "days_attended": p.days,
                **readable(p, ("pre_score", "post_score")),
            }
            for p in registrations
        ]
    }


def board_members(*, viewer: User) -> QuerySet[Member]:
    """The current board members of the clubs the viewer sees, whom a participant may be,
    in Vietnamese name order (then id): each member once, through one of their open seats.

    Read from the seats, which keep copies of the club's province and of the member's name
    (``BoardPosition.province``, ``member_name``, ``search_name``): for provincial staff and
    admins the partial indexes on open seats by (province,) name, member
    (``clubs/migrations/0015_board_current_name_indexes.py``) give the rows already in
    order, so the picker's ``LIMIT 21`` reads about twenty index entries whatever the size
    of the province (not its 5,000 seats read and sorted at 20,000 clubs); a commune's or a
    club's few seats come through the club's index. The scope is the door's scope of the
    seat (``scoping.scope_q(BoardPosition, …)``): a seat is always in its member's club
    (``board_add``; a transfer makes a new member record, and the old one has left), so
    these are the members of the clubs in scope. Search with ``search_board_members``."""
    from members.models import Member

    # Every reference to the seat goes through the one join made by the first ``filter``
    # (a later ``filter`` on ``seat__…`` would join another seat): F() and OuterRef reuse it.
    earlier_seat = BoardPosition.objects.filter(
        member_id=OuterRef("pk"), end_on__isnull=True, pk__lt=OuterRef("seat_pk")
    )
    return (
        Member.objects.alias(
            seat=FilteredRelation("board_positions", condition=Q(board_positions__end_on=None))
        )
        # The door's scope of the seat: for provincial staff its copy of the province
        # (``BoardPosition.scope_province_field``), else its club's commune or the club.
        .filter(
            scoping.scope_q(BoardPosition, viewer, through="seat"),
            # A seat there is: an inner join. Said as the join's own condition, which adds
            # nothing to the plan (``seat__isnull=False`` would offer the primary key).
            seat__member_id=F("pk"),
            left_on__isnull=True,
        )
        .alias(seat_pk=F("seat__pk"), seat_search_name=F("seat__search_name"))
        .filter(~Exists(earlier_seat))  # a member on two seats at once: through the first
        .select_related("club")
        .order_by(vi_name("seat__member_name"), "pk")
    )


def search_board_members(qs: QuerySet[Member], term: str) -> QuerySet[Member]:
    """``board_members`` whose folded name holds every word of ``term`` (config.pickers),
    matched on the seat's copy of the name, which the index carries."""
    return match(qs, term, "seat_search_name")


def board_member_choice(member: Member) -> tuple[str, str]:
    """A board member in a picker: name, then year of birth, village and club."""
    return member.full_name, " · ".join(p for p in (member.picker_details, member.club.name) if p)


def participant_users(*, viewer: User) -> QuerySet[User]:
    """The active accounts of the clubs and areas the viewer sees, whom a participant may be."""
    return User.objects.filter(
        Q(club__in=scoping.clubs_for(viewer)) | Q(area__in=scoping.areas_for(viewer)),
        is_active=True,
    ).order_by("last_name", "first_name", "pk")


def search_users(qs: QuerySet[User], term: str) -> QuerySet[User]:
    """Accounts whose user name, first or last name holds every word typed."""
    for word in term.split()[:5]:
        qs = qs.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return qs


def user_choice(user: User) -> tuple[str, str]:
    """An account in a picker: the person's name, then the user name and position."""
    name = user.get_full_name() or user.username
    return name, " · ".join(p for p in (user.username, user.position) if p)
