"""Reads of the association app. Each takes the viewer, starts from the door's querysets and
answers in a fixed number of queries (aggregates in SQL)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from accounts import scoping
from association.models import (
    POPULATION_FIELDS,
    AssessmentClass,
    AssessmentRound,
    AssessmentScore,
    AssociationUnit,
    Branch,
    ClubFounding,
    CommitteeMember,
    CommitteeTerm,
    FoundingPlan,
    MembershipReturn,
    UnitAssessment,
)
from clubs.models import Area, Club
from config.collation import by_name
from trainings.models import Participant

if TYPE_CHECKING:
    from accounts.models import User

# A founding pipeline that has not moved for this many days is stalled at its step.
STALL_DAYS_DEFAULT = 60


def stall_days() -> int:
    return int(getattr(settings, "ISHC_FOUNDING_STALL_DAYS", STALL_DAYS_DEFAULT))


def _subcount(qs: QuerySet[Any], outer: str) -> Coalesce:
    """The number of rows of ``qs`` whose ``outer`` points at the outer row, as a subquery."""
    counted = (
        qs.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- Units ---------------------------------------------------------------------------------


def unit_list(*, viewer: User, term: str = "", level: str = "") -> QuerySet[AssociationUnit]:
    """The units in scope with their branches, last membership figure and last class."""
    qs = scoping.for_user(AssociationUnit, viewer).select_related("area", "area__province")
    if term:
        qs = qs.filter(search_name__contains=term)
    if level in (Area.Level.PROVINCE, Area.Level.COMMUNE):
        qs = qs.filter(area__level=level)
    last_return = MembershipReturn.objects.filter(unit=OuterRef("pk")).order_by("-year")
    last_class = UnitAssessment.objects.filter(
        unit=OuterRef("pk"), status=UnitAssessment.Status.PUBLISHED
    ).order_by("-round__year")
    return qs.annotate(
        branch_count=_subcount(Branch.objects.filter(parent__isnull=True), "unit"),
        last_year=Subquery(last_return.values("year")[:1]),
        last_members=Subquery(last_return.values("members")[:1]),
        last_class=Subquery(last_class.values("result")[:1]),
    ).order_by("area__level", *by_name("name"), "pk")


def communes_without_unit(*, viewer: User) -> QuerySet[Area]:
    return (
        scoping.areas_for(viewer)
        .filter(level=Area.Level.COMMUNE, active=True, association_unit__isnull=True)
        .order_by(*by_name("name"), "pk")
    )


@dataclass
class UnitPage:
    unit: AssociationUnit
    current: CommitteeTerm | None
    past: list[CommitteeTerm]
    branches: list[Branch]
    returns: list[MembershipReturn]
    assessments: list[UnitAssessment]


def unit_page(*, unit: AssociationUnit, today: datetime.date | None = None) -> UnitPage:
    """The unit's committees (the current term and the past ones), branches with their groups
    and clubs, returns and assessments: six queries."""
    today = today or timezone.localdate()
    # Names in Vietnamese order (the models' own ordering is by the plain column).
    seats = CommitteeMember.objects.select_related("member").order_by(
        "position", *by_name("full_name"), "pk"
    )
    terms = list(unit.terms.prefetch_related(Prefetch("seats", queryset=seats)))
    current = next((t for t in terms if t.starts_on <= today <= t.ends_on), None)
    past = [t for t in terms if t is not current]
    branches = list(
        unit.branches.filter(parent__isnull=True)
        .prefetch_related(
            Prefetch("groups", queryset=Branch.objects.order_by(*by_name("name"), "pk")),
            Prefetch("clubs", queryset=Club.objects.order_by(*by_name("name"), "pk")),
        )
        .order_by(*by_name("name"), "pk")[:300]
    )
    returns = list(unit.returns.order_by("-year")[:20])
    assessments = list(unit.assessments.select_related("round").order_by("-round__year")[:20])
    return UnitPage(unit, current, past, branches, returns, assessments)


# --- Membership returns ------------------------------------------------------------------


RETURN_SUMS = (*POPULATION_FIELDS, "members", "new_members", "left_members", "dues_vnd",
               "branches_count")  # fmt: skip


def returns_of_year(*, viewer: User, year: int, area: Area | None = None) -> dict[str, Any]:
    """The year's returns in scope (optionally of one province or commune), their totals in
    SQL, and the units that have not returned."""
    units = scoping.for_user(AssociationUnit, viewer)
    if area is not None:
        units = units.filter(Q(area=area) | Q(area__province=area))
    returns = MembershipReturn.objects.filter(unit__in=units.values("pk"), year=year)
    totals = returns.aggregate(
        n=Count("pk"),
        reviewed=Count("pk", filter=Q(status=MembershipReturn.Status.REVIEWED)),
        **{name: Coalesce(Sum(name), 0) for name in RETURN_SUMS},
    )
    totals["older"] = sum(totals[name] for name in POPULATION_FIELDS)
    return {
        "totals": totals,
        "returns": returns.select_related("unit", "unit__area").order_by(
            *by_name("unit__name"), "pk"
        ),
        "missing": units.exclude(returns__year=year)
        .select_related("area")
        .order_by("area__level", *by_name("name"), "pk"),
    }


# --- Assessments ----------------------------------------------------------------------------


def distribution(assessments: QuerySet[UnitAssessment]) -> list[dict[str, Any]]:
    """Units by class (the province's final class), strongest first, then the unclassified."""
    counts = dict(
        assessments.order_by()
        .values_list("result")
        .annotate(n=Count("pk"))
        .values_list("result", "n")
    )
    rows = [
        {"key": value, "label": label, "n": counts.get(value, 0)}
        for value, label in AssessmentClass.choices
    ]
    rows.append({"key": "", "label": None, "n": counts.get("", 0)})
    return rows


def ranking(*, rnd: AssessmentRound, viewer: User) -> QuerySet[UnitAssessment]:
    """The round's assessments in scope, highest total first (the final total where the
    province reviewed, else the unit's own)."""
    return (
        scoping.for_user(UnitAssessment, viewer)
        .filter(round=rnd)
        .select_related("unit", "unit__area")
        .annotate(rank_total=Coalesce("final_total", "self_total"))
        .order_by("-rank_total", *by_name("unit__name"), "pk")
    )


def with_reasons(assessments: list[UnitAssessment], *, lowest: int = 2) -> None:
    """Puts on each assessment of a page its ``reasons``: the criteria where it lost the
    largest share of the points (one query for the page)."""
    by_assessment: dict[int, list[AssessmentScore]] = {a.pk: [] for a in assessments}
    scores = AssessmentScore.objects.filter(assessment__in=list(by_assessment)).select_related(
        "criterion"
    )
    for s in scores:
        by_assessment[s.assessment_id].append(s)
    for a in assessments:
        lost = []
        for s in by_assessment[a.pk]:
            got = s.final_score if s.final_score is not None else s.self_score
            if got is None or got < s.criterion.max_points:
                share = (got or Decimal(0)) / s.criterion.max_points
                lost.append((share, s.criterion.order, s))
        lost.sort(key=lambda t: (t[0], t[1]))
        a.reasons = [s for _share, _order, s in lost[:lowest]]  # type: ignore[attr-defined]


def round_list(*, viewer: User) -> QuerySet[AssessmentRound]:
    return (
        scoping.for_user(AssessmentRound, viewer)
        .select_related("province")
        .annotate(
            n=Count("assessments", distinct=True),
            n_submitted=Count(
                "assessments",
                filter=~Q(assessments__status=UnitAssessment.Status.DRAFT),
                distinct=True,
            ),
        )
        .order_by("-year", *by_name("province__name"), "pk")
    )


def unit_history(*, unit: AssociationUnit) -> list[UnitAssessment]:
    rows = list(unit.assessments.select_related("round").order_by("-round__year"))
    with_reasons(rows)
    return rows


# --- Founding plans ------------------------------------------------------------------------


def plan_list(*, viewer: User) -> QuerySet[FoundingPlan]:
    return (
        scoping.for_user(FoundingPlan, viewer)
        .select_related("province")
        .annotate(planned=Coalesce(Sum("targets__planned"), 0))
        .order_by("-start_year", *by_name("title"), "pk")
    )


def plan_communes(*, plan: FoundingPlan, viewer: User) -> QuerySet[Area]:
    """The communes of the plan's province the viewer works in (one for commune staff)."""
    return (
        scoping.areas_for(viewer)
        .filter(level=Area.Level.COMMUNE, province_id=plan.province_id)
        .order_by(*by_name("name"), "pk")
    )


def founded_clubs(*, plan: FoundingPlan) -> QuerySet[Club]:
    """Clubs of the plan's province founded in the plan's years, by their founding date."""
    return Club.objects.filter(
        province_id=plan.province_id,
        founded_on__year__gte=plan.start_year,
        founded_on__year__lte=plan.end_year,
    )


def plan_grid(*, plan: FoundingPlan, communes: list[Area]) -> list[dict[str, Any]]:
    """For each commune of a page: per year of the plan, clubs planned and clubs founded
    (counted from the clubs' founding dates, never typed in). Two queries."""
    ids = [c.pk for c in communes]
    planned: dict[tuple[int, int], int] = {}
    for commune_id, year, n in (
        plan.targets.filter(commune_id__in=ids)
        .values("commune_id", "year")
        .annotate(n=Sum("planned"))
        .values_list("commune_id", "year", "n")
    ):
        planned[(commune_id, year)] = n
    actual: dict[tuple[int, int], int] = {}
    for commune_id, year, n in (
        founded_clubs(plan=plan)
        .filter(commune_id__in=ids)
        .annotate(y=ExtractYear("founded_on"))
        .values("commune_id", "y")
        .annotate(n=Count("pk"))
        .values_list("commune_id", "y", "n")
    ):
        actual[(commune_id, year)] = n
    rows = []
    for c in communes:
        cells = [
            {"year": y, "planned": planned.get((c.pk, y), 0), "actual": actual.get((c.pk, y), 0)}
            for y in plan.years
        ]
        rows.append(
            {
                "commune": c,
                "cells": cells,
                "planned": sum(x["planned"] for x in cells),
                "actual": sum(x["actual"] for x in cells),
            }
        )
    return rows


def plan_years(*, plan: FoundingPlan, communes: QuerySet[Area]) -> list[dict[str, Any]]:
    """Planned and founded per year over every commune in view (two queries)."""
    planned = dict(
        plan.targets.filter(commune__in=communes)
        .values("year")
        .annotate(n=Sum("planned"))
        .values_list("year", "n")
    )
    actual = dict(
        founded_clubs(plan=plan)
        .filter(commune__in=communes)
        .annotate(y=ExtractYear("founded_on"))
        .values("y")
        .annotate(n=Count("pk"))
        .values_list("y", "n")
    )
    return [
        {"year": y, "planned": planned.get(y, 0), "actual": actual.get(y, 0)} for y in plan.years
    ]


def communes_without_active_club(communes: QuerySet[Area]) -> QuerySet[Area]:
    return communes.exclude(clubs__status=Club.Status.ACTIVE)


def foundings(*, plan: FoundingPlan, viewer: User) -> QuerySet[ClubFounding]:
    return (
        scoping.for_user(ClubFounding, viewer)
        .filter(plan=plan)
        .select_related("commune", "club")
        .order_by(*by_name("commune__name", "name"), "pk")
    )


def stalled(
    *, plan: FoundingPlan, viewer: User, today: datetime.date | None = None
) -> QuerySet[ClubFounding]:
    """Pipelines not finished whose last step (or creation) is older than the stall limit."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=stall_days())
    return (
        foundings(plan=plan, viewer=viewer)
        .exclude(step=ClubFounding.Step.LAUNCH)
        .filter(Q(step_on__lt=cutoff) | Q(step__isnull=True, created_at__date__lt=cutoff))
        .order_by("step_on", "pk")
    )


def founders_trained(*, plan: FoundingPlan, communes: QuerySet[Area]) -> int:
    """People of the plan's new clubs who attended a training: the members of the clubs it
    founded, and the participants from a pipeline's commune at the training its future board
    went to. One query."""
    commune_ids = communes.values("pk")
    by_club = Q(member__club__founding__plan=plan, member__club__commune_id__in=commune_ids)
    at_board_training = Q(
        training__club_foundings__plan=plan,
        training__club_foundings__commune_id__in=commune_ids,
        area_id=F("training__club_foundings__commune_id"),
    )
    return Participant.objects.filter(by_club | at_board_training).values("pk").distinct().count()


# --- Dashboard section ------------------------------------------------------------------------


@dataclass
class Section:
    area: Area | None
    year: int
    units: int = 0
    communes_with_unit: int = 0
    branches: int = 0
    returns_year: int | None = None
    members: int = 0
    members_before: int = 0
    new_members: int = 0
    left_members: int = 0
    dues: int = 0
    older: int = 0
    round_id: int | None = None
    round_year: int | None = None
    classes: list[dict[str, Any]] = field(default_factory=list)
    plan: FoundingPlan | None = None
    planned: int = 0
    founded: int = 0
    planned_to_date: int = 0

    @property
    def growth(self) -> int:
        return self.members - self.members_before

    @property
    def member_share(self) -> float | None:
        return self.members / self.older * 100 if self.older else None

    @property
    def plan_share(self) -> float | None:
        return self.founded / self.planned * 100 if self.planned else None


def dashboard_section(
    *, area: Area | None, viewer: User, today: datetime.date | None = None
) -> Section:
    """The association's figures for a province or commune dashboard (or the whole country
    for an admin): four queries whatever the size of the area."""
    today = today or timezone.localdate()
    units = scoping.for_user(AssociationUnit, viewer)
    if area is not None:
        units = units.filter(Q(area=area) | Q(area__province=area))
    s = Section(area=area, year=today.year)
    counts = units.aggregate(
        n=Count("pk", distinct=True),
        communes=Count("pk", distinct=True, filter=Q(area__level=Area.Level.COMMUNE)),
        branches=Count("branches", distinct=True, filter=Q(branches__parent__isnull=True)),
    )
    s.units, s.communes_with_unit, s.branches = counts["n"], counts["communes"], counts["branches"]
    last_two = list(
        MembershipReturn.objects.filter(unit__in=units.values("pk"))
        .values("year")
        .annotate(
            members=Sum("members"),
            new=Sum("new_members"),
            left=Sum("left_members"),
            dues=Sum("dues_vnd"),
            **{name: Sum(name) for name in POPULATION_FIELDS},
        )
        .order_by("-year")[:2]
    )
    if last_two:
        row = last_two[0]
        s.returns_year = row["year"]
        s.members, s.new_members, s.left_members = row["members"], row["new"], row["left"]
        s.dues = row["dues"]
        s.older = sum(row[name] or 0 for name in POPULATION_FIELDS)
        if len(last_two) > 1 and last_two[1]["year"] == row["year"] - 1:
            s.members_before = last_two[1]["members"] or 0
    province_id = (
        area.pk
        if area and area.level == Area.Level.PROVINCE
        else (area.province_id if area else None)
    )
    if not province_id:
        return s
    published = (
        scoping.for_user(AssessmentRound, viewer)
        .filter(province_id=province_id, status=AssessmentRound.Status.PUBLISHED)
        .order_by("-year")
        .values("pk")[:1]
    )
    counts_by_class = list(
        UnitAssessment.objects.filter(
            round=Subquery(published),
            unit__in=units.values("pk"),
            status__in=[UnitAssessment.Status.REVIEWED, UnitAssessment.Status.PUBLISHED],
        )
        .values("round_id", "round__year", "result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if counts_by_class:
        s.round_id, s.round_year = counts_by_class[0]["round_id"], counts_by_class[0]["round__year"]
        by_class = {r["result"]: r["n"] for r in counts_by_class}
        s.classes = [
            {"key": value, "label": label, "n": by_class.get(value, 0)}
            for value, label in AssessmentClass.choices
        ]
    communes = Area.objects.filter(level=Area.Level.COMMUNE, province_id=province_id)
    if area is not None and area.level == Area.Level.COMMUNE:
        communes = communes.filter(pk=area.pk)
    in_view = Q(targets__commune__in=communes.values("pk"))
    founded = (
        Club.objects.filter(
            province_id=OuterRef("province_id"),
            commune__in=communes.values("pk"),
            founded_on__year__gte=OuterRef("start_year"),
            founded_on__year__lte=OuterRef("end_year"),
        )
        .order_by()
        .values("province_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    s.plan = (
        scoping.for_user(FoundingPlan, viewer)
        .filter(province_id=province_id, start_year__lte=today.year, end_year__gte=today.year)
        .annotate(
            planned_all=Coalesce(Sum("targets__planned", filter=in_view), 0),
            planned_now=Coalesce(
                Sum("targets__planned", filter=in_view & Q(targets__year__lte=today.year)), 0
            ),
            founded_n=Coalesce(Subquery(founded, output_field=IntegerField()), 0),
        )
        .order_by("-start_year", "-pk")
        .first()
    )
    if s.plan is not None:
        s.planned = s.plan.planned_all
        s.planned_to_date = s.plan.planned_now
        s.founded = s.plan.founded_n
    return s
