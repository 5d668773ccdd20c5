"""Reads of the member register: lists, filters and the composition figures.

Composition is always counted by the database (conditional ``Count``s in one query), never by
looping over members in Python: a province has tens of thousands of them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import privacy, scoping
from clubs.models import Area, Club
from config.choices import readable
from config.collation import by_name
from config.text import fold
from members.composition import POOR_STATUSES, heal, older_q, stale_q
from members.models import CareAssignment, ClubComposition, CompositionTarget, Member

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from accounts.models import User

_Counted = TypeVar("_Counted", Club, ClubComposition)


def _conditions(prefix: str, today: datetime.date | None = None) -> dict[str, Q]:
    """What each composition count counts, among active members."""
    return {
        "n_members": Q(),
        "n_women": Q(**{f"{prefix}sex": Member.Sex.FEMALE}),
        "n_older": older_q(prefix, today),
        "n_poor": Q(**{f"{prefix}household_status__in": POOR_STATUSES}),
        "n_volunteers": Q(**{f"{prefix}is_volunteer": True}),
    }


def _counts(prefix: str, today: datetime.date | None = None) -> dict[str, Count]:
    """The conditional counts of active members, from a club (prefix "members__") or not."""
    active = Q(**{f"{prefix}left_on__isnull": True})
    pk = f"{prefix}pk" if prefix else "pk"
    return {
        name: Count(pk, filter=active & cond) for name, cond in _conditions(prefix, today).items()
    }


def _club_count(cond: Q) -> Coalesce:
    """Active members of the outer club that match ``cond``: a correlated subquery."""
    members = (
        Member.objects.filter(cond, club=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("club")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def with_composition(clubs: QuerySet[Club], today: datetime.date | None = None) -> QuerySet[Club]:
    """Clubs annotated with n_members, n_women, n_older, n_poor, n_volunteers (one query).

    Each count is a correlated subquery (on the ``member_club_active`` index), not a JOIN and
    GROUP BY: PostgreSQL then counts the members of the clubs on the page only, after the
    sort and the LIMIT, and the paginator's COUNT needs no join. For a province's club list
    at national scale (1,000 clubs, 60,000 members) the SQL went from ≈ 150 ms to ≈ 30 ms
    (docs/performance.md).
    """
    return clubs.annotate(
        **{name: _club_count(cond) for name, cond in _conditions("", today).items()}
    )


def with_shares(clubs: QuerySet[_Counted]) -> QuerySet[_Counted]:
    """Adds count × 100 aliases so that shares compare as whole numbers in SQL (to clubs
    annotated by ``with_composition``, or to their composition rows)."""
    return clubs.alias(
        women_x100=F("n_women") * 100,
        older_x100=F("n_older") * 100,
        younger_x100=(F("n_members") - F("n_older")) * 100,
        poor_x100=F("n_poor") * 100,
    )


def compliance_q(target: CompositionTarget) -> Q:
    """Q (on ``with_composition`` + ``with_shares``) for clubs that meet every target.

    Shares are compared as whole numbers (count × 100 against target % × size), the same way
    ``Figure.status`` does, so the list filter and the flags never disagree.
    """
    n = F("n_members")
    return (
        Q(n_members__gte=target.min_members, n_members__lte=target.max_members)
        & Q(women_x100__gte=n * target.women_min, women_x100__lte=n * target.women_max)
        & Q(older_x100__gte=n * target.older_min, older_x100__lte=n * target.older_max)
        & Q(younger_x100__gte=n * target.younger_min, younger_x100__lte=n * target.younger_max)
        & Q(poor_x100__gte=n * target.poor_min, poor_x100__lte=n * target.poor_max)
        & Q(n_volunteers__gte=target.min_volunteers)
    )


def filter_compliance(
    clubs: QuerySet[Club], *, target: CompositionTarget, meets: bool
) -> QuerySet[Club]:
    """Clubs (annotated by ``with_composition``) that meet every target, or miss one."""
    q = compliance_q(target)
    return with_shares(clubs).filter(q if meets else ~q)


@dataclass
class Figure:
    """One line of the composition panel: value, target and whether the target is met."""

    label: str | StrPromise
    count: int
    total: int | None  # the denominator for a share; None for a plain count
    low: int | None
    high: int | None
    unit: str = "%"

    @property
    def share(self) -> float | None:
        if self.total is None:
            return None
        return 100.0 * self.count / self.total if self.total else None

    @property
    def status(self) -> str:
        """'ok', 'low' or 'high' (integer comparison: no rounding surprises)."""
        if self.total is None:
            value_x100, scale = self.count * 100, 100
        else:
            if not self.total:
                return "low"
            value_x100, scale = self.count * 100, self.total
        if self.low is not None and value_x100 < self.low * scale:
            return "low"
        if self.high is not None and value_x100 > self.high * scale:
            return "high"
        return "ok"

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def is_share(self) -> bool:
        return self.unit == "%"

    @property
    def value_text(self) -> str:
        """ "63 %", "58" or "4,5" (an average per club), with a comma as in Vietnamese."""
        if self.is_share:
            share = self.share
            return "–" if share is None else f"{share:.0f} %"
        if self.total is None:
            return str(self.count)
        if not self.total:
            return "–"
        return f"{self.count / self.total:.1f}".replace(".", ",")

    @property
    def target_text(self) -> str:
        unit = " %" if self.is_share else ""
        if self.high is None:
            return f"≥ {self.low}{unit}"
        return f"{self.low}–{self.high}{unit}"


@dataclass
class Composition:
    """Counts of a club's (or an area's) active members, with the targets they are held to."""

    n_members: int
    n_women: int
    n_older: int
    n_poor: int
    n_volunteers: int
    target: CompositionTarget
    n_clubs: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_younger(self) -> int:
        return self.n_members - self.n_older

    @classmethod
    def from_row(cls, row: Any, target: CompositionTarget, **kw: Any) -> Composition:
        get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
        return cls(
            n_members=get("n_members") or 0,
            n_women=get("n_women") or 0,
            n_older=get("n_older") or 0,
            n_poor=get("n_poor") or 0,
            n_volunteers=get("n_volunteers") or 0,
            target=target,
            **kw,
        )

    def figures(self) -> list[Figure]:
        t, n = self.target, self.n_members
        per_club = self.n_clubs if self.n_clubs > 1 else None
        size = (
            Figure(_("Members"), n, None, t.min_members, t.max_members, unit="")
            if per_club is None
            else Figure(_("Members per club"), n, per_club, t.min_members, t.max_members, "")
        )
        volunteers = (
            Figure(_("Home-care volunteers"), self.n_volunteers, None, t.min_volunteers, None, "")
            if per_club is None
            else Figure(
                _("Home-care volunteers per club"),
                self.n_volunteers,
                per_club,
                t.min_volunteers,
                None,
                "",
            )
        )
        return [
            size,
            Figure(_("Women"), self.n_women, n, t.women_min, t.women_max),
            Figure(_("Older people"), self.n_older, n, t.older_min, t.older_max),
            Figure(_("Younger people"), self.n_younger, n, t.younger_min, t.younger_max),
            Figure(_("Poor or near-poor"), self.n_poor, n, t.poor_min, t.poor_max),
            volunteers,
        ]

    @property
    def meets_all(self) -> bool:
        return all(f.ok for f in self.figures())

    @property
    def missed(self) -> list[str]:
        return [str(f.label) for f in self.figures() if not f.ok]

    @property
    def missed_count(self) -> int:
        return len(self.missed)

    @property
    def older_age(self) -> int:
        return settings.ISHC_OLDER_AGE


def club_composition(*, club: Club, today: datetime.date | None = None) -> Composition:
    """The composition of one club: one aggregate query (plus the targets row)."""
    row = Member.objects.filter(club=club).aggregate(**_counts("", today))
    return Composition.from_row(row, CompositionTarget.current())


def area_clubs(*, area: Area, viewer: User, dissolved: bool = False) -> QuerySet[Club]:
    """The viewer's clubs in a commune or a province (dissolved clubs left out unless asked)."""
    clubs = scoping.clubs_for(viewer)
    if not dissolved:
        clubs = clubs.exclude(status=Club.Status.DISSOLVED)
    if area.level == Area.Level.PROVINCE:
        return clubs.filter(province=area)
    if area.level == Area.Level.DISTRICT:
        return clubs.filter(legacy_commune__parent=area)
    return clubs.filter(commune=area)


def area_composition(
    *, area: Area, viewer: User, today: datetime.date | None = None
) -> Composition:
    """Summed composition of an area's clubs: member counts in one query, club counts in one.

    Per-club sizes and volunteers are averaged over the clubs (a commune has no 50–70 target
    of its own); ``extra`` says how many clubs meet the size and volunteer targets.
    """
    target = CompositionTarget.current()
    clubs = area_clubs(area=area, viewer=viewer)
    row = Member.objects.filter(club__in=clubs.values("pk")).aggregate(**_counts("", today))
    club_row = with_shares(with_composition(clubs, today)).aggregate(
        n_clubs=Count("pk"),
        size_ok=Count(
            "pk",
            filter=Q(n_members__gte=target.min_members, n_members__lte=target.max_members),
        ),
        volunteers_ok=Count("pk", filter=Q(n_volunteers__gte=target.min_volunteers)),
        all_ok=Count("pk", filter=compliance_q(target)),
    )
    return Composition.from_row(row, target, n_clubs=club_row["n_clubs"] or 0, extra=club_row)


def composition_rows(*, area: Area, viewer: User) -> QuerySet[ClubComposition]:
    """The composition rows of the viewer's clubs in an area (dissolved clubs left out, as
    ``area_clubs`` does), in the order of the page: commune, then club, by name. On
    PostgreSQL an index of a province's rows in that order serves the page (migration 0008),
    so page 40 reads its 25 rows as page 1 does."""
    # The row's copies of the club's place and status choose the index; the club's own
    # (joined on its key) keep out a club that left the area since its row was computed.
    rows = scoping.for_user(ClubComposition, viewer).filter(dissolved=False)
    rows = rows.exclude(club__status=Club.Status.DISSOLVED)
    if area.level == Area.Level.PROVINCE:
        rows = rows.filter(province_id=area.pk, club__province_id=area.pk)
    elif area.level == Area.Level.DISTRICT:
        rows = rows.filter(club__legacy_commune__parent=area)
    else:
        rows = rows.filter(commune_id=area.pk, club__commune_id=area.pk)
    return rows.order_by(*by_name("commune_name", "club_name"), "club_id")


def summed_area_composition(
    *, area: Area, viewer: User, today: datetime.date | None = None
) -> Composition:
    """``area_composition`` read from the clubs' composition rows: the same figures, from
    one row per club instead of every member.

    One query over the area's clubs, each joined to its row on the row's key, both checks
    the rows (missing, or out of date: a club renamed, moved or dissolved, a birthday
    passed; ``members.composition.stale_q``) and sums them. Only when it finds a row out of
    date are those rows recomputed (``members.composition.heal``) and the sums read again.
    With the targets: two queries when every row is up to date. When none is stale, the
    area's clubs that are not dissolved are exactly ``composition_rows`` (each has its row,
    in the same commune, province and status), so the sums are those of the page's rows and
    ``n_clubs`` is the page's count."""
    today = today or timezone.localdate()
    target = CompositionTarget.current()
    clubs = area_clubs(area=area, viewer=viewer, dissolved=True)
    row = _summed_rows(clubs, target=target, today=today)
    if row["stale"]:
        heal(clubs, today)
        row = _summed_rows(clubs, target=target, today=today)
    extra = {k: row[k] for k in ("n_clubs", "size_ok", "volunteers_ok", "all_ok")}
    totals = {name: row[f"total_{name}"] for name in COMPOSITION_COUNTS}
    return Composition.from_row(totals, target, n_clubs=row["n_clubs"] or 0, extra=extra)


COMPOSITION_COUNTS = ("n_members", "n_women", "n_older", "n_poor", "n_volunteers")


def _summed_rows(
    clubs: QuerySet[Club], *, target: CompositionTarget, today: datetime.date
) -> dict[str, Any]:
    """How many of ``clubs``' rows are stale, and the sums of the rows of those not
    dissolved (one aggregate; the per-club conditions read the row's counts)."""
    live = ~Q(status=Club.Status.DISSOLVED)
    rows = with_shares(
        clubs.order_by().annotate(
            **{name: F(f"composition__{name}") for name in COMPOSITION_COUNTS}
        )
    )
    return rows.aggregate(
        stale=Count("pk", filter=stale_q(today)),
        # The sums are named apart from the row's fields, which the conditions read.
        **{f"total_{name}": Sum(name, filter=live, default=0) for name in COMPOSITION_COUNTS},
        n_clubs=Count("pk", filter=live),
        size_ok=Count(
            "pk",
            filter=live & Q(n_members__gte=target.min_members, n_members__lte=target.max_members),
        ),
        volunteers_ok=Count("pk", filter=live & Q(n_volunteers__gte=target.min_volunteers)),
        all_ok=Count("pk", filter=live & compliance_q(target)),
    )


# --- Lists -----------------------------------------------------------------------------------


def member_list(
    *,
    club: Club,
    viewer: User,
    term: str = "",
    filters: dict[str, Any] | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Member]:
    """A club's register, searched (accent-free) and filtered. One query per page."""
    qs = scoping.for_user(Member, viewer).filter(club=club)
    return filter_members(qs, viewer=viewer, term=term, filters=filters or {}, today=today)


def filter_members(
    qs: QuerySet[Member],
    *,
    viewer: User,
    term: str = "",
    filters: dict[str, Any],
    today: datetime.date | None = None,
) -> QuerySet[Member]:
    if term:
        qs = qs.filter(search_name__contains=term)
    state = filters.get("state") or "active"
    if state == "active":
        qs = qs.filter(left_on__isnull=True)
    elif state == "left":
        qs = qs.filter(left_on__isnull=False)
    age = filters.get("age")
    if age == "older":
        qs = qs.filter(older_q("", today))
    elif age == "younger":
        qs = qs.exclude(older_q("", today))
    if filters.get("sex"):
        qs = qs.filter(sex=filters["sex"])
    # Household status is sensitive: a role that may not see it may not filter by it either.
    if filters.get("household") and "household_status" not in privacy.hidden_fields(
        viewer, "members.Member"
    ):
        if filters["household"] == "poor_or_near":
            qs = qs.filter(household_status__in=POOR_STATUSES)
        else:
            qs = qs.filter(household_status=filters["household"])
    volunteer = filters.get("volunteer")
    if volunteer == "yes":
        qs = qs.filter(is_volunteer=True)
    elif volunteer == "no":
        qs = qs.filter(is_volunteer=False)
    return qs.order_by(*by_name("full_name"), "pk")


def member_detail_qs(viewer: User) -> QuerySet[Member]:
    return scoping.for_user(Member, viewer).select_related(
        "club", "club__commune", "previous_record__club", "consent_recorded_by"
    )


def care_assignments_for(member: Member) -> dict[str, list[CareAssignment]]:
    """Who cares for this member and whom they care for (two small queries)."""
    given = list(
        CareAssignment.objects.filter(volunteer=member)
        .select_related("recipient")
        .order_by(F("end_on").desc(nulls_first=True), "-start_on")
    )
    received = list(
        CareAssignment.objects.filter(recipient=member)
        .select_related("volunteer")
        .order_by(F("end_on").desc(nulls_first=True), "-start_on")
    )
    return {"given": given, "received": received}


def needing_care_without_volunteer(*, club: Club, viewer: User) -> QuerySet[Member]:
    """Active members who need home care and have no current volunteer."""
    return (
        scoping.for_user(Member, viewer)
        .filter(club=club, left_on__isnull=True, needs_care=True)
        .exclude(care_received__end_on__isnull=True, care_received__pk__isnull=False)
        .order_by(*by_name("full_name"), "pk")
    )


def current_assignments(*, club: Club, viewer: User) -> QuerySet[CareAssignment]:
    return (
        scoping.for_user(CareAssignment, viewer)
        .filter(volunteer__club=club, end_on__isnull=True)
        .select_related("volunteer", "recipient")
        .order_by(*by_name("volunteer__full_name", "recipient__full_name"), "pk")
    )


def volunteers_with_load(*, club: Club, viewer: User) -> QuerySet[Member]:
    """Active volunteers with the number of people they currently care for."""
    return (
        scoping.for_user(Member, viewer)
        .filter(club=club, left_on__isnull=True, is_volunteer=True)
        .annotate(n_current=Count("care_given", filter=Q(care_given__end_on__isnull=True)))
        .order_by(*by_name("full_name"), "pk")
    )


def export_members(qs: QuerySet[Member]) -> QuerySet[Member]:
    return qs.select_related("club").order_by(*by_name("club__name", "full_name"), "pk")


# --- One person's data (data-subject requests) ----------------------------------------------

# What a member record says about the person, in the order a copy of their data shows it.
MEMBER_DATA_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_year",
    "ethnicity",
    "ethnicity_note",
    "phone",
    "email",
    "village",
    "household_status",
    "has_disability",
    "lives_alone",
    "has_health_insurance",
    "needs_care",
    "is_volunteer",
    "joined_on",
    "left_on",
    "leave_reason",
    "consent_on",
    "consent_method",
    "preferred_channel",
    "reminders_opt_out",
)


def person_records(*, member: Member, viewer: User) -> list[Member]:
    """The records of the person behind ``member`` that ``viewer`` may see, oldest first: a
    transfer closes one record and opens the next (``previous_record``), both of one person."""
    chain = [member]
    while chain[0].previous_record_id:
        earlier = Member.objects.filter(pk=chain[0].previous_record_id).first()
        if earlier is None or earlier in chain:
            break
        chain.insert(0, earlier)
    while (later := Member.objects.filter(previous_record=chain[-1]).first()) is not None:
        if later in chain:
            break
        chain.append(later)
    visible = set(
        scoping.for_user(Member, viewer)
        .filter(pk__in=[m.pk for m in chain])
        .values_list("pk", flat=True)
    )
    return [m for m in chain if m.pk in visible]


def person_data(*, member: Member) -> dict[str, list[dict[str, Any]]]:
    """What the register holds about the person of one record, by topic: the record, every row
    of its history, the care they give and receive (without the other person)."""
    history = Member.history.model.objects.filter(id=member.pk).order_by("history_date", "pk")
    care = CareAssignment.objects.filter(Q(volunteer=member) | Q(recipient=member))
    return {
        "member": [
            {"club": member.club.name, **readable(member, MEMBER_DATA_FIELDS)},
        ],
        "history": [
            {
                "history_date": row.history_date,
                "history_type": row.get_history_type_display(),
                "history_change_reason": row.history_change_reason or "",
                **readable(row, MEMBER_DATA_FIELDS),
            }
            for row in history
        ],
        "care_assignments": [
            {
                "role": str(_("Gives care") if a.volunteer_id == member.pk else _("Receives care")),
                **readable(a, ("start_on", "end_on")),
            }
            for a in care.order_by("start_on", "pk")
        ],
    }


# --- What the club pages ask of the register (clubs.membership) ------------------------------


def board_candidates(*, club: Club, viewer: User) -> QuerySet[Member]:
    """The club's current members that the viewer may seat on its management board."""
    return (
        scoping.for_user(Member, viewer)
        .filter(club=club, left_on__isnull=True)
        .order_by(*by_name("full_name"), "pk")
    )


class ClubsMemberRegister:
    """The member register as ``clubs.membership.MemberRegister``: installed by ``ready()``.

    The club pages show composition figures and choose board members without importing this
    app; each method is one of the selectors above.
    """

    def target(self) -> CompositionTarget:
        return CompositionTarget.current()

    def annotate(self, clubs: QuerySet[Club]) -> QuerySet[Club]:
        return with_composition(clubs)

    def filter_targets(
        self, clubs: QuerySet[Club], *, target: CompositionTarget, meets: bool
    ) -> QuerySet[Club]:
        return filter_compliance(clubs, target=target, meets=meets)

    def composition_of(self, club: Club, *, target: CompositionTarget) -> Composition:
        return Composition.from_row(club, target)

    def area_clubs(self, *, area: Area, viewer: User) -> QuerySet[Club]:
        return area_clubs(area=area, viewer=viewer)

    def area_composition(self, *, area: Area, viewer: User) -> Composition:
        return summed_area_composition(area=area, viewer=viewer)

    def area_rows(self, *, area: Area, viewer: User) -> QuerySet[ClubComposition]:
        return composition_rows(area=area, viewer=viewer)

    def board_candidates(self, *, club: Club, viewer: User) -> QuerySet[Member]:
        return board_candidates(club=club, viewer=viewer)


def pick_members(*, club: Club, viewer: User, only: str = "") -> QuerySet[Member]:
    """The club's current members a form may name, for its picker (``config.pickers``);
    ``only="volunteer"`` keeps the home-care volunteers."""
    qs = scoping.for_user(Member, viewer).filter(club=club, left_on__isnull=True)
    if only == "volunteer":
        qs = qs.filter(is_volunteer=True)
    return qs.order_by(*by_name("full_name"), "pk")


def transfer_clubs(*, member: Member, viewer: User) -> QuerySet[Club]:
    """The clubs a member may move to: the viewer's, not dissolved, not their own."""
    return (
        scoping.clubs_for(viewer)
        .exclude(pk=member.club_id)
        .exclude(status=Club.Status.DISSOLVED)
        .select_related("commune")
        .order_by(*by_name("name"), "pk")
    )


def club_choice(club: Club) -> tuple[str, str]:
    """A club in a picker: its name, then its village and commune (``select_related``)."""
    return club.name, " · ".join(p for p in (club.village, club.commune.name) if p)


def area_export_members(*, area: Area, viewer: User, query: str) -> QuerySet[Member]:
    """The members of an area's clubs that ``viewer`` sees, searched and filtered as
    ``query`` says (the list's ``q`` and its filter form's cleaned values, as a query
    string), in the export's order (``members.exports``)."""
    filters: dict[str, str] = {k: str(v) for k, v in QueryDict(query).items()}
    term = fold(filters.pop("q", ""))[:100]
    clubs = area_clubs(area=area, viewer=viewer, dissolved=True)
    qs = scoping.for_user(Member, viewer).filter(club__in=clubs.values("pk"))
    return export_members(filter_members(qs, viewer=viewer, term=term, filters=filters))
