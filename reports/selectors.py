"""Reads of the dashboards: every figure is a SUM or COUNT over ``ClubMonthSummary`` rows,
grouped by province, commune or club in one query; nothing here touches raw records.

Definitions (see docs/reports.md):
- stocks (clubs, members, funds, loans, volunteers, care) are read at the period's stock
  month (the month itself, or the last begun month of a year); flows (meetings, joins,
  visits, checks, activities, disbursements, trainings) add up the period's months;
- only ``counted`` rows (club founded and not dissolved at the month's end) are summed;
- a report is *late* when its deadline has passed and it was not submitted (no report,
  draft, returned) or was submitted after the deadline — as the monthly-reports app says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts import privacy, scoping
from clubs.models import Area, Club
from config.collation import by_name
from config.months import label as month_label
from config.months import shift, split
from config.pagination import SortKey
from members.models import CompositionTarget
from members.selectors import area_clubs
from month.models import ActivityArea
from month.schedule import report_deadline
from reports import periods
from reports.models import (
    AreaMonthSummary,
    ClubMonthActivity,
    ClubMonthSummary,
    ClubYearActivity,
    ClubYearSummary,
)
from reports.periods import Period

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.scoping import Viewer

# Decision 1336: at least half of the members get a loan.
BORROWER_TARGET = 50
# A club's PAR30 above this share of its outstanding loans is "high" on the club-health list.
PAR_HIGH_PERCENT = 10
SUBMITTED = ("submitted", "reviewed", "approved")
REVIEWED = ("reviewed", "approved")
NOT_SUBMITTED = ("", "draft", "returned")

STOCK_SUMS = (
    "members",
    "women",
    "older",
    "poor",
    "volunteers",
    "needing_care",
    "cared_for",
    "borrowers",
    "fund_revolving",
    "fund_operating",
    "fund_care",
    "fund_other",
    "loans_outstanding",
    "loans_at_risk",
    "chair_trained",
)
FLOW_SUMS = (
    "joined",
    "left",
    "visits",
    "visited",
    "meetings_held",
    "attendance_present",
    "attendance_marked",
    "health_checked",
    "health_high",
    "activities",
    "activity_participants",
    "loans_disbursed",
    "loans_disbursed_amount",
    "members_trained",
)


# Figures that count people (not clubs, reports, meetings or money): for a viewer a count of
# 1 to 4 of them reads "< 5" (accounts.privacy.small_count), and so does any share or rate
# computed from it.
PEOPLE_FIGURES = frozenset(
    {
        "members",
        "women",
        "older",
        "younger",
        "poor",
        "volunteers",
        "needing_care",
        "cared_for",
        "not_cared",
        "borrowers",
        "joined",
        "left",
        "visited",
        "health_checked",
        "health_high",
        "attendance_present",
        "activity_participants",
        "loans_disbursed",
        "members_trained",
    }
)


def late_q(period: Period) -> Q:
    return Q(counted=True, active=1, ym__in=period.due_months) & (
        Q(report_status__in=NOT_SUBMITTED) | Q(report_late_submission=True)
    )


def aggregates(period: Period) -> dict[str, Any]:
    """Every dashboard figure as an aggregate over summary rows (any grouping)."""
    stock = Q(counted=True, ym=period.stock_ym)
    flow = Q(counted=True, ym__in=period.months)
    aggs: dict[str, Any] = {
        "clubs": Count("pk", filter=stock & Q(active=1)),
        "clubs_counted": Count("pk", filter=stock),
        "founded": Count("pk", filter=Q(counted=True, founded=1, ym__in=period.year_months)),
        "younger": Sum(F("members") - F("older"), filter=stock, default=0),
        "not_cared": Sum(F("needing_care") - F("cared_for"), filter=stock, default=0),
        "member_months": Sum("members", filter=flow, default=0),
        "met": Count("pk", filter=stock & Q(meetings_held__gt=0)),
        "not_met": Count("pk", filter=stock & Q(active=1, meetings_held=0)),
        "reports_expected": Count("pk", filter=flow & Q(active=1)),
        "reports_submitted": Count("pk", filter=flow & Q(report_status__in=SUBMITTED)),
        "reports_reviewed": Count("pk", filter=flow & Q(report_status__in=REVIEWED)),
        "reports_approved": Count("pk", filter=flow & Q(report_status="approved")),
        "reports_late": Count("pk", filter=late_q(period)),
        "reports_due": Count("pk", filter=Q(counted=True, active=1, ym__in=period.due_months)),
    }
    for name in STOCK_SUMS:
        aggs[name] = Sum(name, filter=stock, default=0)
    for name in FLOW_SUMS:
        aggs[name] = Sum(name, filter=flow, default=0)
    for i, ym in enumerate(period.last_three):
        aggs[f"met_{i}"] = Count("pk", filter=Q(counted=True, ym=ym, meetings_held__gt=0))
        aggs[f"active_{i}"] = Count("pk", filter=Q(counted=True, ym=ym, active=1))
    return aggs


def year_stamp(period: Period) -> dict[str, int]:
    """What a year row's figures depend on besides the month rows (``ClubYearSummary``)."""
    due = period.due_months
    return {
        "first_ym": period.months[0],
        "stock_ym": period.stock_ym,
        "due_through": due[-1] if due else 0,
    }


def period_months(period: Period) -> list[int]:
    """Every month a dashboard query needs rows for."""
    return sorted(set(period.months) | set(period.last_three) | set(period.year_months))


def rows_for_area(area: Area | None) -> QuerySet[ClubMonthSummary]:
    """Summary rows of an area the caller already fetched through the scoping door (None:
    the whole country, for admins)."""
    qs = ClubMonthSummary.objects.all()
    if area is None:
        return qs
    if area.level == Area.Level.PROVINCE:
        return qs.filter(province_id=area.pk)
    return qs.filter(commune_id=area.pk)


def _pct(part: Any, whole: Any) -> Decimal | None:
    """``part`` of ``whole`` in %, or None: no whole, or a count suppressed for the viewer."""
    if not whole or isinstance(part, privacy.Suppressed) or isinstance(whole, privacy.Suppressed):
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Figures:
    """The figures of one area (or of one of its communes or clubs), with shares, as
    ``viewer`` may see them (``PEOPLE_FIGURES``; None: the whole figures, for code that
    shows them to no one)."""

    values: dict[str, Any]
    target: CompositionTarget
    extra: dict[str, Any] = field(default_factory=dict)
    viewer: Viewer = None

    def __getitem__(self, key: str) -> Any:
        if key in self.extra:
            return self.extra[key]
        if key in self.values:
            value = self.values[key] or 0
            if key in PEOPLE_FIGURES and self.viewer is not None:
                return privacy.shown_count(self.viewer, value)
            return value
        if hasattr(type(self), key):  # a property: let templates fall back to attributes
            raise KeyError(key)
        return 0  # a figure with no rows behind it

    def get(self, key: str, default: Any = 0) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    # Shares against the targets --------------------------------------------------------
    def share(self, part: str, whole: str = "members") -> Decimal | None:
        return _pct(self[part], self[whole])

    @property
    def shares(self) -> list[dict[str, Any]]:
        t = self.target
        out = []
        for key, label, low, high in (
            ("older", _("Older people"), t.older_min, t.older_max),
            ("women", _("Women"), t.women_min, t.women_max),
            ("younger", _("Younger people"), t.younger_min, t.younger_max),
            ("poor", _("Poor or near-poor"), t.poor_min, t.poor_max),
        ):
            value = self.share(key)
            ok = value is not None and low <= value <= high
            out.append(
                {
                    "key": key,
                    "label": label,
                    "count": self[key],
                    "share": value,
                    "low": low,
                    "high": high,
                    "ok": ok,
                }
            )
        return out

    @property
    def par30(self) -> Decimal | None:
        return _pct(self["loans_at_risk"], self["loans_outstanding"])

    @property
    def borrower_share(self) -> Decimal | None:
        return _pct(self["borrowers"], self["members"])

    @property
    def care_share(self) -> Decimal | None:
        return _pct(self["cared_for"], self["needing_care"])

    @property
    def health_share(self) -> Decimal | None:
        """Members checked in a month over members on the register that month."""
        return _pct(self["health_checked"], self["member_months"])

    @property
    def high_share(self) -> Decimal | None:
        return _pct(self["health_high"], self["health_checked"])

    @property
    def attendance_rate(self) -> Decimal | None:
        return _pct(self["attendance_present"], self["attendance_marked"])

    @property
    def funds_total(self) -> int:
        return sum(self[f"fund_{k}"] for k in ("revolving", "operating", "care", "other"))

    @property
    def chair_share(self) -> Decimal | None:
        return _pct(self["chair_trained"], self["clubs"])


@dataclass
class Dashboard:
    area: Area | None
    period: Period
    totals: Figures
    children: list[dict[str, Any]]  # {"obj": Area | Club, "figures": Figures}
    child_kind: str  # "province", "commune" or "club"
    activities: list[dict[str, Any]]
    area_funds: dict[str, int]
    communes_without_club: int
    target: CompositionTarget
    viewer: Viewer = None  # whose eyes the people counts are for (see ``Figures``)

    @property
    def met_months(self) -> list[dict[str, Any]]:
        return [
            {
                "ym": ym,
                "label": month_label(ym),
                "met": self.totals[f"met_{i}"],
                "active": self.totals[f"active_{i}"],
                "share": _pct(self.totals[f"met_{i}"], self.totals[f"active_{i}"]),
            }
            for i, ym in enumerate(self.period.last_three)
        ]

    @property
    def funds_by_kind(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "clubs": self.totals[f"fund_{kind}"],
                "associations": self.area_funds.get(f"fund_{kind}", 0),
                "total": self.totals[f"fund_{kind}"] + self.area_funds.get(f"fund_{kind}", 0),
            }
            for kind in ("revolving", "operating", "care", "other")
        ]

    @property
    def trained_people(self) -> int | privacy.Suppressed | None:
        value = self.area_funds.get("trained_people", 0)
        return value if self.viewer is None else privacy.shown_count(self.viewer, value)


def dashboard(*, area: Area | None, period: Period, viewer: Viewer = None) -> Dashboard:
    """The dashboard of a province (by commune), a commune (by club), or the country (by
    province). Five queries: targets, figures grouped by child, the children, activities by
    area, the associations' own funds and trainings.

    Counts of people are as ``viewer`` may see them (``Figures``); pass the user the figures
    are shown to. Without one they are whole (checks and tests)."""
    # Whose small counts read "< 5": a viewer's; nobody's for those who see the people.
    suppress = viewer if viewer is not None and not privacy.may_see_people(viewer) else None
    target = CompositionTarget.current()
    months = period_months(period)
    if area is None:
        key, child_kind = "province_id", "province"
        children_qs: QuerySet[Any] = Area.objects.filter(level=Area.Level.PROVINCE)
    elif area.level == Area.Level.PROVINCE:
        key, child_kind = "commune_id", "commune"
        children_qs = Area.objects.filter(
            level=Area.Level.COMMUNE, active=True, province_id=area.pk
        )
    else:
        key, child_kind = "club_id", "club"
        children_qs = Club.objects.filter(commune_id=area.pk)
    # Annotation names must not shadow the summary's fields (Sum(F("members") - …) would
    # then read the aggregate): prefix them, and strip the prefix when reading.
    grouped = _year_grouped(area, period, key) if period.is_year else None
    if grouped is None:
        aggs = {f"x_{name}": agg for name, agg in aggregates(period).items()}
        grouped = {
            r[key]: {name[2:]: value for name, value in r.items() if name.startswith("x_")}
            for r in rows_for_area(area)
            .filter(ym__in=months)
            .order_by()
            .values(key)
            .annotate(**aggs)
        }
    children = []
    totals: dict[str, Any] = {}
    for obj in children_qs.order_by(*by_name("name"), "pk"):
        row = grouped.pop(obj.pk, None)
        if row is None and child_kind == "club":
            continue  # a club with no row yet (founded later, or not yet summarised)
        values = dict(row or {})
        children.append({"obj": obj, "figures": Figures(values, target, viewer=suppress)})
    # Rows whose commune/province is no longer listed (inactive commune) still count.
    for row in [*(c["figures"].values for c in children), *grouped.values()]:
        for name, value in row.items():
            totals[name] = totals.get(name, 0) + (value or 0)
    without = (
        sum(1 for c in children if not c["figures"]["clubs"]) if child_kind == "commune" else 0
    )
    activities = _year_activities(area, period) if period.is_year else None
    if activities is None:
        activities = list(
            _activity_rows(area)
            .filter(ym__in=period.months)
            .order_by()
            .values("activity_area_id", "activity_area__name", "activity_area__order")
            .annotate(n=Sum("activities"), participants=Sum("participants"))
            .order_by("activity_area__order", *by_name("activity_area__name"))
        )
    if suppress is not None:
        for a in activities:
            a["participants"] = privacy.shown_count(suppress, a["participants"])
    area_funds = _area_rows(area).aggregate(
        **{
            f"fund_{k}": Sum(f"fund_{k}", filter=Q(ym=period.stock_ym), default=0)
            for k in ("revolving", "operating", "care", "other")
        },
        trained_people=Sum("trained_people", filter=Q(ym__in=period.months), default=0),
    )
    return Dashboard(
        area=area,
        period=period,
        totals=Figures(totals, target, viewer=suppress),
        children=children,
        child_kind=child_kind,
        activities=activities,
        area_funds=area_funds,
        communes_without_club=without,
        target=target,
        viewer=suppress,
    )


def _year_grouped(area: Area | None, period: Period, key: str) -> dict[Any, dict[str, Any]] | None:
    """The year's figures by ``key`` from the clubs' year rows (one query, one row per club
    summed instead of twelve), or None when the month rows must be summed instead: no year
    row (not built yet) or one computed for other months than the period's today (a month
    began, a deadline passed: ``reports.summary.refresh_years`` catches up within minutes)."""
    names = list(aggregates(period))
    fresh = Q(**year_stamp(period))
    grouped: dict[Any, dict[str, Any]] = {}
    for r in (
        _by_area(ClubYearSummary.objects.all(), area)
        .filter(year=period.year)
        .order_by()
        .values(key)
        .annotate(
            **{f"x_{name}": Sum(name, default=0) for name in names},
            stale_rows=Count("pk", filter=~fresh),
        )
    ):
        if r["stale_rows"]:
            return None
        grouped[r[key]] = {name: r[f"x_{name}"] for name in names}
    return grouped or None


def _year_activities(area: Area | None, period: Period) -> list[dict[str, Any]] | None:
    """Activities by activity area from the year rows (one query), or None as above."""
    fresh = Q(first_ym=period.months[0], last_ym=period.months[-1])
    # Summed by the area's id alone, from the covering index (a province's 8,000 rows at
    # 20,000 clubs); the eight names come after, by key.
    sums = {
        r.pop("activity_area_id"): r
        for r in _by_area(ClubYearActivity.objects.all(), area)
        .filter(year=period.year)
        .order_by()
        .values("activity_area_id")
        .annotate(
            n=Sum("activities"),
            participants=Sum("participants"),
            stale=Count("activity_area_id", filter=~fresh),
        )
    }
    if not sums or any(r.pop("stale") for r in sums.values()):
        return None
    return [
        {"activity_area_id": pk, "activity_area__name": name, "activity_area__order": order}
        | sums[pk]
        for pk, name, order in ActivityArea.objects.filter(pk__in=sums)
        .order_by("order", *by_name("name"))
        .values_list("pk", "name", "order")
    ]


def _by_area(qs: QuerySet[Any], area: Area | None) -> QuerySet[Any]:
    if area is None:
        return qs
    if area.level == Area.Level.PROVINCE:
        return qs.filter(province_id=area.pk)
    return qs.filter(commune_id=area.pk)


def _activity_rows(area: Area | None) -> QuerySet[ClubMonthActivity]:
    qs = ClubMonthActivity.objects.all()
    if area is None:
        return qs
    if area.level == Area.Level.PROVINCE:
        return qs.filter(province_id=area.pk)
    return qs.filter(commune_id=area.pk)


def _area_rows(area: Area | None) -> QuerySet[AreaMonthSummary]:
    qs = AreaMonthSummary.objects.all()
    if area is None:
        return qs
    if area.level == Area.Level.PROVINCE:
        return qs.filter(province_id=area.pk)
    return qs.filter(area_id=area.pk)


# --- drill-down lists -----------------------------------------------------------------------

# figure -> the aggregate (from ``aggregates``) that a club contributes to it.
LIST_FIGURES = (
    "clubs",
    "founded",
    "members",
    "women",
    "older",
    "younger",
    "poor",
    "volunteers",
    "joined",
    "left",
    "met",
    "not_met",
    "reports_submitted",
    "reports_reviewed",
    "reports_approved",
    "reports_late",
    "activities",
    "needing_care",
    "cared_for",
    "not_cared",
    "visits",
    "health_checked",
    "health_high",
    "fund_revolving",
    "fund_operating",
    "fund_other",
    "loans_outstanding",
    "loans_at_risk",
    "borrowers",
    "loans_disbursed",
    "chair_trained",
    "members_trained",
)


def figure_clubs(
    *, viewer: User, area: Area | None, period: Period, figure: str
) -> QuerySet[Club, dict[str, Any]]:
    """The clubs behind one figure of an area, with what each contributes (``value``), in
    ``FIGURE_LIST_KEYS`` order; two queries with pagination (count and page).

    The viewer's clubs of the area are read in name order from the club table's keyset
    index, and each one's value is summed from its own summary rows of the area and the
    months the figure reads (a correlated subquery on the ``(club, ym)`` key), so a page
    reads the clubs it shows (and those between them that add nothing to the figure), never
    the province's; the count comes from ``figure_count``. Rows are dicts: ``club_id``,
    ``club__name``, ``club__code``, ``commune__name``, ``value``. A club is listed in the
    area it is in now: one that moved out of the area during the period is not, one that
    moved in counts its rows of this area only (as the area's dashboard counts them)."""
    rows = (
        rows_for_area(area)
        .filter(club=OuterRef("pk"), ym__in=figure_months(period, figure))
        .order_by()
        .values("club")
        .annotate(value=aggregates(period)[figure])
        .values("value")
    )
    return (
        _figure_area_clubs(viewer=viewer, area=area)
        .annotate(value=Coalesce(Subquery(rows, output_field=BigIntegerField()), Value(0)))
        .filter(value__gt=0)
        .values(
            "value",
            club_id=F("pk"),
            club__name=F("name"),
            club__code=F("code"),
            commune__name=F("commune__name"),
        )
    )


def figure_count(*, viewer: User, area: Area | None, period: Period, figure: str) -> int:
    """How many clubs ``figure_clubs`` lists (one query). Counted from the summary rows of
    the area and months (one index range, grouped by club), not club by club as a page is
    read: the same clubs, those of the area in the viewer's scope whose rows add up to more
    than nothing."""
    return (
        rows_for_area(area)
        .filter(
            ym__in=figure_months(period, figure),
            club__in=_figure_area_clubs(viewer=viewer, area=area).values("pk"),
        )
        .order_by()
        .values("club")
        .annotate(value=aggregates(period)[figure])
        .filter(value__gt=0)
        .count()
    )


def _figure_area_clubs(*, viewer: User, area: Area | None) -> QuerySet[Club]:
    """The viewer's clubs that are in ``area`` now, dissolved ones too (their rows count in
    the figures of the months they were active); None: the viewer's every club."""
    if area is None:
        return scoping.clubs_for(viewer)
    return area_clubs(area=area, viewer=viewer, dissolved=True)


# The order of the clubs behind a figure, which its keyset pages follow: the club's name in
# Vietnamese order, then its id, as on the club list (the commune is a column). Indexes on the
# club table serve it (``club_province_name_keyset``, ``club_commune_name_keyset``,
# ``club_name_keyset``: clubs migration 0012). The largest contribution first was the order
# before: a sum over the period, which no index can serve, so every page summed and sorted
# every club of the province (19 → 30 ms from 2,000 to 20,000 clubs).
FIGURE_LIST_KEYS = (
    SortKey("name", collated=True, attr="club__name"),
    SortKey("id", attr="club_id"),
)


def figure_months(period: Period, figure: str) -> list[int]:
    """The months whose summary rows one figure reads (``aggregates``): the stock month for
    a stock (one row per club, for a year too), the year's months for the clubs founded, the
    due months for late reports, otherwise the period's months. Reading every month a
    dashboard needs (``period_months``) summed fifteen rows per club for a one-month
    figure."""
    if figure in STOCK_FIGURES:
        return [period.stock_ym]
    if figure == "founded":
        return sorted(period.year_months)
    if figure in ("reports_late", "reports_due"):
        return sorted(period.due_months)
    return sorted({*period.months, period.stock_ym})


# The figures ``aggregates`` reads at the stock month only.
STOCK_FIGURES = frozenset(
    {"clubs", "clubs_counted", "younger", "not_cared", "met", "not_met", *STOCK_SUMS}
)


def communes_without_club(*, area: Area, period: Period) -> QuerySet[Area]:
    """Communes of a province with no active club in the stock month."""
    with_club = ClubMonthSummary.objects.filter(
        province_id=area.pk, ym=period.stock_ym, counted=True, active=1
    ).values("commune_id")
    return (
        Area.objects.filter(level=Area.Level.COMMUNE, active=True, province_id=area.pk)
        .exclude(pk__in=with_club)
        .order_by(*by_name("name"), "pk")
    )


# --- club health ----------------------------------------------------------------------------


def club_health(
    *, viewer: User, area: Area | None, period: Period, target: CompositionTarget
) -> QuerySet[ClubMonthSummary, dict[str, Any]]:
    """Active clubs that need help, the most reasons first. Reasons: no meeting in the last
    two months, a late report in the last three due months, PAR30 above 10 %, fewer home-care
    volunteers than the target, fewer members than three months before."""
    now = period.stock_ym
    before, three_ago = shift(now, -1), shift(now, -3)
    window = [three_ago, shift(now, -2), before, now]
    due = [ym for ym in window[1:] if report_deadline(*split(ym)) < period.today]
    late = Q(counted=True, active=1, ym__in=due) & (
        Q(report_status__in=NOT_SUBMITTED) | Q(report_late_submission=True)
    )

    def flag(condition: Q) -> Case:
        return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())

    return (
        scoping.for_user(rows_for_area(area), viewer)
        .filter(ym__in=window)
        .order_by()
        .values("club_id", "club__name", "commune__name")
        .annotate(
            active_now=Count("pk", filter=Q(ym=now, counted=True, active=1)),
            counted_before=Count("pk", filter=Q(ym=before, counted=True)),
            held_now=Sum("meetings_held", filter=Q(ym=now), default=0),
            held_before=Sum("meetings_held", filter=Q(ym=before), default=0),
            late=Count("pk", filter=late),
            outstanding=Sum("loans_outstanding", filter=Q(ym=now), default=0),
            at_risk=Sum("loans_at_risk", filter=Q(ym=now), default=0),
            volunteers_now=Sum("volunteers", filter=Q(ym=now), default=0),
            members_now=Sum("members", filter=Q(ym=now), default=0),
            members_before=Sum("members", filter=Q(ym=three_ago, counted=True), default=0),
        )
        .filter(active_now__gt=0)
        .annotate(
            risk_x100=F("at_risk") * 100,
            outstanding_x=F("outstanding") * PAR_HIGH_PERCENT,
        )
        .annotate(
            no_meeting=flag(Q(held_now=0, held_before=0, counted_before__gt=0)),
            late_report=flag(Q(late__gt=0)),
            par_high=flag(Q(outstanding__gt=0, risk_x100__gt=F("outstanding_x"))),
            few_volunteers=flag(Q(volunteers_now__lt=target.min_volunteers)),
            shrinking=flag(Q(members_before__gt=0, members_now__lt=F("members_before"))),
        )
        .annotate(
            score=F("no_meeting")
            + F("late_report")
            + F("par_high")
            + F("few_volunteers")
            + F("shrinking")
        )
        .filter(score__gt=0)
        .order_by("-score", *by_name("commune__name", "club__name"), "club_id")
    )


# --- one club -------------------------------------------------------------------------------


def club_months(*, club: Club, months: int = 12) -> list[ClubMonthSummary]:
    """The club's last ``months`` summary rows, oldest first (one query)."""
    end = periods.current_ym()
    start = shift(end, -(months - 1))
    return list(
        ClubMonthSummary.objects.filter(club=club, ym__gte=start, ym__lte=end).order_by("ym")
    )
