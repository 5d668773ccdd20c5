"""Reads of the register: the list and its filters, the entitlement checks, the celebration
list of a year and the dashboard figures. Every one starts from the door (``accounts.scoping``)
and counts in SQL.

Ages here are counted by year of birth (the age reached in the year), the way the commune
lists and the celebration lists count: a person born in 1950 is 75 all through 2025.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts import privacy, scoping
from clubs.models import Area
from config.collation import by_name
from elders.models import (
    MILESTONES,
    PLAN_SPENDING,
    PLAN_TARGETS,
    CareFundPlan,
    CareReceipt,
    CareSupport,
    LongevityCelebration,
    OlderPerson,
)

if TYPE_CHECKING:
    from accounts.models import User
    from funds.models import Fund

# The social pension (Social Insurance Law 2024) from this day at 75; before it the social
# allowance at 80 (Decree 20/2021/NĐ-CP).
SOCIAL_PENSION_FROM = datetime.date(2025, 7, 1)
EXPIRING_DAYS = 60
AGE_BANDS = (("60", 60, 69), ("70", 70, 79), ("80", 80, 89), ("90", 90, 200))


def pension_age(day: datetime.date) -> int:
    """The age from which a person without a pension may receive the state's monthly support."""
    return 75 if day >= SOCIAL_PENSION_FROM else 80


def year_born_by(day: datetime.date, age: int) -> int:
    """The latest year of birth of someone who reaches ``age`` in ``day``'s year."""
    return day.year - age


# --- The list --------------------------------------------------------------------------------


def area_q(path: str, area: Area | None) -> Q:
    """Q for rows whose commune (reached by ``path``) lies in ``area`` (any when None)."""
    if area is None:
        return Q()
    if area.level == Area.Level.COMMUNE:
        return Q(**{f"{path}_id": area.pk})
    return Q(**{f"{path}__province_id": area.pk})


def register(*, viewer: User, area: Area | None = None) -> QuerySet[OlderPerson]:
    """The older persons ``viewer`` may see, limited to ``area`` (a commune or a province)."""
    return scoping.for_user(OlderPerson, viewer).filter(area_q("commune", area))


def no_pension_q(day: datetime.date) -> Q:
    return Q(support__in=["", OlderPerson.Support.NONE]) & Q(
        birth_year__lte=year_born_by(day, pension_age(day))
    )


def no_valid_card_q(day: datetime.date) -> Q:
    return (
        Q(insurance_number="")
        | Q(insurance_expiry__isnull=True)
        | Q(insurance_expiry__lt=day + datetime.timedelta(days=EXPIRING_DAYS))
    )


def alone_80_q(day: datetime.date) -> Q:
    return Q(living=OlderPerson.Living.ALONE) & Q(birth_year__lte=year_born_by(day, 80))


def turns_75_q(day: datetime.date) -> Q:
    return Q(birth_year=year_born_by(day, 75)) & Q(support__in=["", OlderPerson.Support.NONE])


# The entitlement checks: key -> (the condition, alive only).
CHECKS = ("pension", "turns75", "card", "alone80")


def check_q(key: str, day: datetime.date) -> Q:
    return {
        "pension": no_pension_q,
        "turns75": turns_75_q,
        "card": no_valid_card_q,
        "alone80": alone_80_q,
    }[key](day)


def filter_register(
    qs: QuerySet[OlderPerson],
    *,
    viewer: User,
    term: str,
    filters: dict[str, Any],
    day: datetime.date,
) -> QuerySet[OlderPerson]:
    if term:
        qs = qs.filter(search_name__contains=term)
    if commune := filters.get("commune"):
        qs = qs.filter(commune=commune)
    if village := filters.get("village"):
        qs = qs.filter(village__icontains=village)
    if sex := filters.get("sex"):
        qs = qs.filter(sex=sex)
    if band := filters.get("age"):
        for key, low, high in AGE_BANDS:
            if key == band:
                qs = qs.filter(
                    birth_year__lte=year_born_by(day, low), birth_year__gte=year_born_by(day, high)
                )
    state = filters.get("state") or "alive"
    if state == "alive":
        qs = qs.filter(died_on__isnull=True)
    elif state == "deceased":
        qs = qs.filter(died_on__isnull=False)
    hidden = privacy.hidden_fields(viewer, "elders.OlderPerson")
    support = filters.get("support")
    if support and "support" not in hidden:
        if support == "gap":
            qs = qs.filter(no_pension_q(day))
        elif support == "none":
            qs = qs.filter(support__in=["", OlderPerson.Support.NONE])
        else:
            qs = qs.filter(support=support)
    card = filters.get("card")
    if card and "insurance_number" not in hidden:
        if card == "missing":
            qs = qs.filter(insurance_number="")
        elif card == "expired":
            qs = qs.filter(insurance_expiry__lt=day)
        elif card == "expiring":
            qs = qs.filter(
                insurance_expiry__gte=day,
                insurance_expiry__lt=day + datetime.timedelta(days=EXPIRING_DAYS),
            )
        elif card == "invalid":
            qs = qs.filter(no_valid_card_q(day))
    if filters.get("alone") and "living" not in hidden:
        qs = qs.filter(living=OlderPerson.Living.ALONE)
    if (check := filters.get("check")) and check in CHECKS:
        qs = qs.filter(died_on__isnull=True).filter(check_q(check, day))
    return qs


def list_rows(qs: QuerySet[OlderPerson]) -> QuerySet[OlderPerson]:
    return qs.select_related("commune", "member").order_by(*by_name("full_name"), "pk")


def person_detail_qs(viewer: User) -> QuerySet[OlderPerson]:
    return scoping.for_user(OlderPerson, viewer).select_related(
        "commune", "commune__province", "member", "member__club", "consent_recorded_by"
    )


def supports_of(person: OlderPerson, viewer: User) -> QuerySet[CareSupport]:
    return (
        scoping.for_user(CareSupport, viewer)
        .filter(person=person)
        .select_related("entry", "entry__fund")
        .order_by("-entry__date", "-pk")
    )


def celebrations_of(person: OlderPerson, viewer: User) -> QuerySet[LongevityCelebration]:
    return (
        scoping.for_user(LongevityCelebration, viewer)
        .filter(person=person)
        .select_related("entry", "entry__fund")
        .order_by("-year")
    )


def fund_supports(fund: Fund, viewer: User) -> QuerySet[CareSupport]:
    """The named support paid from one fund (the fund already fetched through the door)."""
    return (
        CareSupport.objects.filter(entry__fund=fund)
        .select_related("entry", "person", "person__commune")
        .order_by("-entry__date", "-pk")
    )


def fund_receipts(fund: Fund) -> QuerySet[CareReceipt]:
    """The receipts into one fund with their source and donor (the fund fetched through the
    door)."""
    return (
        CareReceipt.objects.filter(entry__fund=fund)
        .select_related("entry")
        .order_by("-entry__date", "-pk")
    )


def care_funds(viewer: User) -> QuerySet[Fund]:
    from funds.models import Fund

    return (
        scoping.for_user(Fund, viewer)
        .filter(kind=Fund.Kind.CARE, owner_area__isnull=False)
        .select_related("owner_area")
        .annotate(n_support=Count("entries__care_support"))
        .order_by(*by_name("owner_area__name", "name"), "pk")
    )


# --- Celebrations ----------------------------------------------------------------------------


def milestone_q(year: int) -> Q:
    years = [year - m for m in MILESTONES[:-1]]
    return Q(birth_year__in=years) | Q(birth_year__lte=year - 100)


def celebration_list(*, viewer: User, year: int, area: Area | None = None) -> QuerySet[OlderPerson]:
    """The people reaching a milestone in ``year`` (70, 75, … 95, 100 and over), alive at the
    start of the year, each with ``reached`` (the age) and ``held`` (a celebration recorded);
    those who died since carry their date of death (they drop out, with the reason)."""
    done = LongevityCelebration.objects.filter(person=OuterRef("pk"), year=year)
    return (
        register(viewer=viewer, area=area)
        .filter(milestone_q(year))
        .filter(Q(died_on__isnull=True) | Q(died_on__gte=datetime.date(year, 1, 1)))
        .annotate(
            reached=Value(year, output_field=IntegerField()) - Coalesce("birth_year", 0),
            held=Exists(done),
        )
        .select_related("commune")
        .order_by(*by_name("commune__name", "village", "full_name"), "pk")
    )


# --- The dashboard ---------------------------------------------------------------------------


@dataclass
class Dashboard:
    """The register's figures for an area, as ``viewer`` may see them."""

    total: Any = 0
    women: Any = 0
    men: Any = 0
    bands: list[dict[str, Any]] = field(default_factory=list)
    association: Any = 0
    linked: Any = 0
    pension_gap: Any = 0
    turns75: Any = 0
    card_gap: Any = 0
    alone80: Any = 0
    deceased_year: Any = 0
    celebrations: Any = 0
    celebrations_due: Any = 0
    gifts_value: int = 0
    support_count: Any = 0
    support_paid: int | None = 0
    support_by_purpose: list[dict[str, Any]] = field(default_factory=list)
    year: int = 0
    area: Area | None = None


def dashboard(*, viewer: User, area: Area | None, day: datetime.date) -> Dashboard:
    """Three queries whatever the size of the area: the register (with the year's
    milestones), the celebrations held, the support paid by purpose."""
    qs = register(viewer=viewer, area=area)
    alive = Q(died_on__isnull=True)
    aggregates: dict[str, Any] = {
        "total": Count("pk", filter=alive),
        "women": Count("pk", filter=alive & Q(sex=OlderPerson.Sex.FEMALE)),
        "men": Count("pk", filter=alive & Q(sex=OlderPerson.Sex.MALE)),
        "association": Count("pk", filter=alive & Q(is_association_member=True)),
        "linked": Count("pk", filter=alive & Q(member__isnull=False)),
        "pension_gap": Count("pk", filter=alive & no_pension_q(day)),
        "turns75": Count("pk", filter=alive & turns_75_q(day)),
        "card_gap": Count("pk", filter=alive & no_valid_card_q(day)),
        "alone80": Count("pk", filter=alive & alone_80_q(day)),
        "deceased_year": Count("pk", filter=Q(died_on__year=day.year)),
        "due": Count(
            "pk",
            filter=milestone_q(day.year) & (alive | Q(died_on__gte=datetime.date(day.year, 1, 1))),
        ),
    }
    for key, low, high in AGE_BANDS:
        band = alive & Q(
            birth_year__lte=year_born_by(day, low), birth_year__gte=year_born_by(day, high)
        )
        aggregates[f"band_{key}_f"] = Count("pk", filter=band & Q(sex=OlderPerson.Sex.FEMALE))
        aggregates[f"band_{key}_m"] = Count("pk", filter=band & Q(sex=OlderPerson.Sex.MALE))
    row = qs.aggregate(**aggregates)
    # The celebrations and the support of the people of the area, straight from their own
    # tables (a correlated count per person cost seconds at a province's size).
    held = (
        scoping.for_user(LongevityCelebration, viewer)
        .filter(area_q("person__commune", area), year=day.year)
        .aggregate(n=Count("pk"), value=Coalesce(Sum("gift_value"), 0))
    )
    supports = scoping.for_user(CareSupport, viewer).filter(
        area_q("person__commune", area), entry__date__year=day.year
    )
    by_purpose = list(
        supports.values("purpose")
        .annotate(n=Count("pk"), paid=Sum("entry__amount"))
        .order_by("purpose")
    )
    labels = dict(CareSupport.Purpose.choices)

    def shown(n: int | None) -> Any:
        return privacy.shown_count(viewer, n)

    def money(n: int, paid: int | None) -> int | None:
        """An amount paid to fewer people than a viewer may see is hidden with their count."""
        return None if privacy.small_count(viewer, n) is None else (paid or 0)

    return Dashboard(
        total=shown(row["total"]),
        women=shown(row["women"]),
        men=shown(row["men"]),
        bands=[
            {
                "key": key,
                "label": f"{low}–{high}" if high < 200 else f"{low}+",
                "women": shown(row[f"band_{key}_f"]),
                "men": shown(row[f"band_{key}_m"]),
            }
            for key, low, high in AGE_BANDS
        ],
        association=shown(row["association"]),
        linked=shown(row["linked"]),
        pension_gap=shown(row["pension_gap"]),
        turns75=shown(row["turns75"]),
        card_gap=shown(row["card_gap"]),
        alone80=shown(row["alone80"]),
        deceased_year=shown(row["deceased_year"]),
        celebrations=shown(held["n"]),
        celebrations_due=shown(row["due"]),
        gifts_value=held["value"],
        support_count=shown(sum(r["n"] for r in by_purpose)),
        support_paid=money(
            sum(r["n"] for r in by_purpose), sum(r["paid"] or 0 for r in by_purpose)
        ),
        support_by_purpose=[
            {
                "purpose": r["purpose"],
                "label": labels.get(r["purpose"], r["purpose"]),
                "n": shown(r["n"]),
                "paid": money(r["n"], r["paid"]),
            }
            for r in by_purpose
        ],
        year=day.year,
        area=area,
    )


def export_rows(qs: QuerySet[OlderPerson]) -> QuerySet[OlderPerson]:
    return qs.select_related("commune").order_by(
        *by_name("commune__name", "village", "full_name"), "pk"
    )


def beneficiaries(
    *,
    viewer: User,
    commune: Area,
    day: datetime.date,
    purpose: str,
    poor: bool = False,
    alone: bool = False,
    no_allowance_80: bool = False,
    min_age: int | None = None,
    exclude_given: bool = True,
) -> QuerySet[OlderPerson]:
    """The living older persons of a commune matching any ticked criterion (all of them when
    none is ticked), at least ``min_age``; without those already given support for ``purpose``
    this year when ``exclude_given``."""
    qs = register(viewer=viewer, area=commune).filter(died_on__isnull=True)
    criteria = Q()
    if poor:
        criteria |= Q(
            household_status__in=[OlderPerson.Household.POOR, OlderPerson.Household.NEAR_POOR]
        )
    if alone:
        criteria |= Q(living=OlderPerson.Living.ALONE)
    if no_allowance_80:
        criteria |= Q(support__in=["", OlderPerson.Support.NONE]) & Q(
            birth_year__lte=year_born_by(day, 80)
        )
    qs = qs.filter(criteria)
    if min_age:
        qs = qs.filter(birth_year__lte=year_born_by(day, min_age))
    if exclude_given:
        given = CareSupport.objects.filter(
            person=OuterRef("pk"), purpose=purpose, entry__date__year=day.year
        )
        qs = qs.exclude(Exists(given))
    return qs.order_by(*by_name("village", "full_name"), "pk")


# --- Care-fund plans -------------------------------------------------------------------------


@dataclass
class PlanRow:
    """One association's plan for the year and what its care funds received and spent."""

    area: Area
    plan: CareFundPlan | None
    received: dict[str, int] = field(default_factory=dict)
    spent: dict[str, int] = field(default_factory=dict)

    @property
    def received_total(self) -> int:
        return sum(self.received.values())

    @property
    def spent_total(self) -> int:
        return sum(self.spent.values())


@dataclass
class ProvincePlan:
    """The province plan of a year: the plans of its communes and its own share, their sum
    (in SQL) and the progress counted from the care funds' ledger of the year."""

    year: int
    rows: list[PlanRow]
    targets: dict[str, int]
    spending: dict[str, int]
    received: dict[str, int]
    spent: dict[str, int]

    @property
    def target_total(self) -> int:
        return sum(self.targets.values())

    @property
    def spend_total(self) -> int:
        return sum(self.spending.values())

    @property
    def received_total(self) -> int:
        return sum(self.received.values())

    @property
    def spent_total(self) -> int:
        return sum(self.spent.values())

    def target_lines(self) -> list[tuple[str, int, int]]:
        labels = dict(CareReceipt.Source.choices)
        return [(str(labels[s]), self.targets[f], self.received.get(s, 0)) for f, s in PLAN_TARGETS]

    def spend_lines(self) -> list[tuple[str, int, int]]:
        labels = {**dict(CareSupport.Purpose.choices), "celebration": _("Longevity celebration")}
        return [(str(labels[p]), self.spending[f], self.spent.get(p, 0)) for f, p in PLAN_SPENDING]


def plan_areas(viewer: User, province: Area | None) -> QuerySet[Area]:
    """The associations a plan page covers: the viewer's communes and provinces (of one
    province when ``province`` is given)."""
    qs = scoping.areas_for(viewer).filter(
        level__in=[Area.Level.COMMUNE, Area.Level.PROVINCE], active=True
    )
    if province is not None:
        qs = qs.filter(Q(pk=province.pk) | Q(province_id=province.pk))
    return qs


def province_plan(viewer: User, *, year: int, province: Area | None) -> ProvincePlan:
    """Five queries whatever the number of communes: the areas, their plans, the plans' sum,
    the receipts by area and source, the support by area and purpose (with the celebrations
    paid from a care fund)."""
    from funds.models import Fund, LedgerEntry

    areas = list(plan_areas(viewer, province).order_by("-level", *by_name("name"), "pk"))
    ids = [a.pk for a in areas]
    plans = {p.area_id: p for p in CareFundPlan.objects.filter(area_id__in=ids, year=year)}
    money = [f for f, _s in PLAN_TARGETS] + [f for f, _p in PLAN_SPENDING]
    sums = CareFundPlan.objects.filter(area_id__in=ids, year=year).aggregate(
        **{f: Coalesce(Sum(f), 0) for f in money}
    )
    rows = {a.pk: PlanRow(area=a, plan=plans.get(a.pk)) for a in areas}
    received: dict[str, int] = {}
    for r in (
        CareReceipt.objects.filter(
            area_id__in=ids, entry__date__year=year, entry__reversed_by__isnull=True
        )
        .values("area_id", "source")
        .annotate(total=Sum("entry__amount"))
    ):
        rows[r["area_id"]].received[r["source"]] = r["total"]
        received[r["source"]] = received.get(r["source"], 0) + r["total"]
    spent: dict[str, int] = {}
    out = LedgerEntry.objects.filter(
        fund__kind=Fund.Kind.CARE,
        fund__owner_area_id__in=ids,
        direction=LedgerEntry.Direction.OUT,
        date__year=year,
        reversed_by__isnull=True,  # a payment taken back counts for nothing
    ).filter(Q(care_support__isnull=False) | Q(celebration__isnull=False))
    for r in out.values("fund__owner_area_id", "care_support__purpose").annotate(
        total=Sum("amount")
    ):
        purpose = r["care_support__purpose"] or "celebration"
        rows[r["fund__owner_area_id"]].spent[purpose] = (
            rows[r["fund__owner_area_id"]].spent.get(purpose, 0) + r["total"]
        )
        spent[purpose] = spent.get(purpose, 0) + r["total"]
    return ProvincePlan(
        year=year,
        rows=list(rows.values()),
        targets={f: sums[f] for f, _s in PLAN_TARGETS},
        spending={f: sums[f] for f, _p in PLAN_SPENDING},
        received=received,
        spent=spent,
    )
