"""Reads of campaigns and emulation drives: results counted in SQL from the tagged records,
targets, the province roll-up, rankings, the calendar of the year and the dashboard section.

Every read starts from the door (``accounts.scoping``) and runs a fixed number of queries,
whatever the number of communes, clubs or records.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import privacy, scoping
from campaigns.models import (
    Campaign,
    CampaignActivity,
    CampaignGift,
    CampaignReceipt,
    CampaignReport,
    CampaignTarget,
    CampaignVisit,
    Commendation,
    EmulationDrive,
    EmulationRegistration,
    EmulationResult,
    Indicator,
)
from clubs.models import Area, Club
from config.collation import by_name
from members.models import Member
from month.models import HealthCheck

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.scoping import Viewer

INDICATORS: list[str] = [i.value for i in Indicator]

# Tết Nguyên Đán (the first day of the lunar year): a lunar date, so kept as data.
TET_DAYS = {
    2022: datetime.date(2022, 2, 1),
    2023: datetime.date(2023, 1, 22),
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
    2027: datetime.date(2027, 2, 6),
    2028: datetime.date(2028, 1, 26),
    2029: datetime.date(2029, 2, 13),
    2030: datetime.date(2030, 2, 3),
}


# --- Campaigns -----------------------------------------------------------------------------


def campaigns_for(viewer: Viewer) -> QuerySet[Campaign]:
    return scoping.for_user(Campaign, viewer).select_related("organiser")


def campaign_year(viewer: Viewer, year: int) -> list[Campaign]:
    """The campaigns of ``year`` (any that overlaps it), in the order they start."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return list(
        campaigns_for(viewer)
        .filter(starts_on__lte=end, ends_on__gte=start)
        .order_by("starts_on", "pk")
    )


@dataclass
class Day:
    date: datetime.date
    ends: datetime.date | None
    name: str
    note: str


def days_of(year: int) -> list[Day]:
    """The days campaigns hang on (DOMAIN §7), in date order."""
    days = [
        Day(
            datetime.date(year, 5, 10),
            None,
            _("Founding day of the Vietnam Association of the Elderly"),
            "10/5/1995",
        ),
        Day(
            datetime.date(year, 6, 6),
            None,
            _("Vietnam Older Persons' Day"),
            _("Decision 772/QĐ-TTg, 2006"),
        ),
        Day(
            datetime.date(year, 10, 1),
            None,
            _("International Day of Older Persons"),
            _("United Nations"),
        ),
        Day(
            datetime.date(year, 10, 1),
            datetime.date(year, 10, 31),
            _("Action Month for Vietnamese Older Persons"),
            _("Decision 544/QĐ-TTg, 2015"),
        ),
    ]
    tet = TET_DAYS.get(year)
    if tet:
        days.append(Day(tet, None, _("Tết Nguyên Đán"), _("first day of the lunar year")))
    return sorted(days, key=lambda d: d.date)


def campaign_areas(campaign: Campaign, viewer: Viewer) -> list[Area]:
    """The associations that work under the campaign and that ``viewer`` sees: the communes it
    is deployed to (or the organising commune), then the organiser itself for a province."""
    visible = scoping.areas_for(viewer)
    if campaign.organiser.level == Area.Level.COMMUNE:
        return list(visible.filter(pk=campaign.organiser_id))
    communes = list(
        visible.filter(deployed_campaigns=campaign).order_by(*by_name("name"), "pk").distinct()
    )
    if visible.filter(pk=campaign.organiser_id).exists():
        communes.append(campaign.organiser)
    return communes


def area_ids_of(campaign: Campaign) -> set[int]:
    """Every association that may record under the campaign (whoever asks)."""
    ids = set(campaign.deployed_to.values_list("pk", flat=True))
    ids.add(campaign.organiser_id)
    return ids


def results(campaign: Campaign, area_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Each association's results, counted from the records (seven queries whatever the
    number of communes): area id → indicator → number."""
    ids = list(area_ids)
    out: dict[int, dict[str, int]] = {a: dict.fromkeys(INDICATORS, 0) for a in ids}
    start, end = campaign.starts_on, campaign.ends_on

    def add(area_id: int | None, key: str, value: int | None) -> None:
        if area_id in out and value:
            out[area_id][key] += int(value)

    visits = (
        CampaignVisit.objects.filter(campaign=campaign, visit__club__commune_id__in=ids)
        .values(a=F("visit__club__commune_id"))
        .annotate(n=Count("visit__recipient_id", distinct=True))
    )
    for row in visits:
        add(row["a"], Indicator.VISITED, row["n"])
    gifts = (
        CampaignGift.objects.filter(campaign=campaign, area_id__in=ids)
        .values(a=F("area_id"))
        .annotate(n=Count("pk"), v=Sum("value"))
    )
    for row in gifts:
        add(row["a"], Indicator.VISITED, row["n"])
        add(row["a"], Indicator.GIFTS, row["n"])
        add(row["a"], Indicator.GIFT_VALUE, row["v"])
    raised = (
        CampaignReceipt.objects.filter(
            campaign=campaign, area_id__in=ids, entry__reversed_by__isnull=True
        )
        .values(a=F("area_id"))
        .annotate(v=Sum("entry__amount"))
    )
    for row in raised:
        add(row["a"], Indicator.MONEY_RAISED, row["v"])
    checks = (
        HealthCheck.objects.filter(club__commune_id__in=ids, date__range=(start, end))
        .values(a=F("club__commune_id"))
        .annotate(n=Count("pk"))
    )
    for row in checks:
        add(row["a"], Indicator.HEALTH_CHECKS, row["n"])
    joined = (
        Member.objects.filter(club__commune_id__in=ids, joined_on__range=(start, end))
        .values(a=F("club__commune_id"))
        .annotate(n=Count("pk"))
    )
    for row in joined:
        add(row["a"], Indicator.NEW_MEMBERS, row["n"])
    founded = (
        Club.objects.filter(commune_id__in=ids, founded_on__range=(start, end))
        .values(a=F("commune_id"))
        .annotate(n=Count("pk"))
    )
    for row in founded:
        add(row["a"], Indicator.NEW_CLUBS, row["n"])
    reached = (
        CampaignActivity.objects.filter(campaign=campaign, activity__club__commune_id__in=ids)
        .values(a=F("activity__club__commune_id"))
        .annotate(n=Sum("activity__participant_count"))
    )
    for row in reached:
        add(row["a"], Indicator.PEOPLE_REACHED, row["n"])
    return out


def targets(campaign: Campaign) -> dict[int | None, dict[str, int]]:
    """area id (None: the whole campaign) → indicator → target."""
    out: dict[int | None, dict[str, int]] = defaultdict(dict)
    for t in CampaignTarget.objects.filter(campaign=campaign).values(
        "commune_id", "indicator", "number"
    ):
        out[t["commune_id"]][t["indicator"]] = t["number"]
    return out


@dataclass
class Cell:
    indicator: str
    label: str
    result: int
    target: int | None
    money: bool

    @property
    def share(self) -> float | None:
        """The result as a percentage of the target."""
        if not self.target:
            return None
        return self.result * 100 / self.target


@dataclass
class Row:
    area: Area
    cells: list[Cell]
    report: CampaignReport | None = None

    @property
    def reported(self) -> bool:
        return self.report is not None and self.report.status in (
            CampaignReport.Status.SUBMITTED,
            CampaignReport.Status.APPROVED,
        )


@dataclass
class Board:
    campaign: Campaign
    rows: list[Row]
    total: list[Cell]
    indicators: list[tuple[str, str]]
    not_reported: list[Area] = field(default_factory=list)


def _cells(figures: dict[str, int], goals: dict[str, int]) -> list[Cell]:
    labels = dict(Indicator.choices)
    from campaigns.models import MONEY_INDICATORS

    return [
        Cell(i, str(labels[i]), figures.get(i, 0), goals.get(i), i in MONEY_INDICATORS)
        for i in INDICATORS
    ]


def board(campaign: Campaign, viewer: Viewer) -> Board:
    """Targets against results per association the viewer sees, with its report's state
    (a fixed number of queries)."""
    areas = campaign_areas(campaign, viewer)
    ids = [a.pk for a in areas]
    figures = results(campaign, ids)
    goals = targets(campaign)
    reports = {
        r.commune_id: r
        for r in CampaignReport.objects.filter(campaign=campaign, commune_id__in=ids)
    }
    rows = [
        Row(area, _cells(figures[area.pk], goals.get(area.pk, {})), reports.get(area.pk))
        for area in areas
    ]
    summed = {i: sum(figures[a][i] for a in ids) for i in INDICATORS}
    overall = dict(goals.get(None, {}))
    for i in INDICATORS:  # no target for the whole campaign: the communes' targets add up
        if i not in overall:
            own = [goals[a][i] for a in ids if i in goals.get(a, {})]
            if own:
                overall[i] = sum(own)
    communes = [a for a in areas if a.level == Area.Level.COMMUNE]
    not_reported = [r.area for r in rows if r.area.level == Area.Level.COMMUNE and not r.reported]
    return Board(
        campaign=campaign,
        rows=rows if campaign.organiser.level == Area.Level.PROVINCE else rows[:1],
        total=_cells(summed, overall),
        indicators=[(i, str(dict(Indicator.choices)[i])) for i in INDICATORS],
        not_reported=not_reported if communes else [],
    )


def commune_figures(campaign: Campaign, area: Area) -> list[Cell]:
    """One association's results against its targets (its own, else the campaign's)."""
    figures = results(campaign, [area.pk])[area.pk]
    goals = targets(campaign)
    own = goals.get(area.pk) or (goals.get(None, {}) if area.pk == campaign.organiser_id else {})
    return _cells(figures, own)


def figures_dict(cells: list[Cell]) -> dict[str, dict[str, int | None]]:
    """What a report keeps of its figures when it is submitted and approved."""
    return {c.indicator: {"result": c.result, "target": c.target} for c in cells}


def frozen_cells(report: CampaignReport) -> list[Cell]:
    labels = dict(Indicator.choices)
    from campaigns.models import MONEY_INDICATORS

    return [
        Cell(
            i,
            str(labels[i]),
            int(report.figures.get(i, {}).get("result") or 0),
            report.figures.get(i, {}).get("target"),
            i in MONEY_INDICATORS,
        )
        for i in INDICATORS
    ]


def report_cells(report: CampaignReport) -> list[Cell]:
    """The frozen figures of an approved report; the live ones otherwise."""
    if report.status == CampaignReport.Status.APPROVED and report.figures:
        return frozen_cells(report)
    return commune_figures(report.campaign, report.commune)


def gifts(campaign: Campaign, viewer: User) -> QuerySet[CampaignGift]:
    """The named gifts of a campaign the viewer may see (nobody for a viewer)."""
    qs = scoping.for_user(CampaignGift, viewer).filter(campaign=campaign)
    if not privacy.may_see_people(viewer):
        return qs.none()
    return qs.select_related("area", "fund", "entry").order_by("-date", "-pk")


def receipts(campaign: Campaign, viewer: User) -> QuerySet[CampaignReceipt]:
    return (
        scoping.for_user(CampaignReceipt, viewer)
        .filter(campaign=campaign)
        .select_related("area", "entry", "entry__fund", "entry__reversed_by")
        .order_by("-entry__date", "-pk")
    )


def raised_by_source(receipts_qs: QuerySet[CampaignReceipt]) -> list[dict[str, Any]]:
    """Money raised by source (one query)."""
    labels = dict(CampaignReceipt.Source.choices)
    rows = (
        receipts_qs.filter(entry__reversed_by__isnull=True)
        .order_by()
        .values("source")
        .annotate(total=Sum("entry__amount"), n=Count("pk"))
        .order_by("-total")
    )
    return [{**r, "label": labels.get(r["source"], r["source"])} for r in rows]


def tagged_records(
    campaign: Campaign, area: Area, viewer: Viewer, kind: str
) -> QuerySet[CampaignActivity] | QuerySet[CampaignVisit]:
    """The commune's activities (``kind`` "activities") or home-care visits ("visits") tagged
    with the campaign that ``viewer`` sees, newest first, with their club (one query a page)."""
    if kind == "visits":
        return (
            scoping.for_user(CampaignVisit, viewer)
            .filter(campaign=campaign, visit__club__commune=area)
            .select_related("visit", "visit__club", "visit__recipient")
            .order_by("-visit__date", "-pk")
        )
    return (
        scoping.for_user(CampaignActivity, viewer)
        .filter(campaign=campaign, activity__club__commune=area)
        .select_related("activity", "activity__club")
        .order_by("-activity__date", "-pk")
    )


def tag_counts(campaign: Campaign, viewer: Viewer) -> dict[str, int]:
    return {
        "activities": scoping.for_user(CampaignActivity, viewer).filter(campaign=campaign).count(),
        "visits": scoping.for_user(CampaignVisit, viewer).filter(campaign=campaign).count(),
    }


# --- Emulation -----------------------------------------------------------------------------


def drives_for(viewer: Viewer) -> QuerySet[EmulationDrive]:
    return scoping.for_user(EmulationDrive, viewer).select_related("organiser")


def ranking(drive: EmulationDrive, viewer: Viewer) -> list[Any]:
    """The drive's registrations the viewer sees with their totals at each stage, ranked by
    the final score, then the reviewed one, then the self-score (one query)."""
    qs = (
        scoping.for_user(EmulationRegistration, viewer)
        .filter(drive=drive)
        .select_related("area", "club", "club__commune")
        .annotate(
            self_total=Sum("results__self_points"),
            review_total=Sum("results__review_points"),
            final_total=Sum("results__final_points"),
            results_count=Count("results", filter=Q(results__achievement__gt="")),
            evidence_count=Count("results__evidence_files"),
        )
        .order_by(
            F("final_total").desc(nulls_last=True),
            F("review_total").desc(nulls_last=True),
            F("self_total").desc(nulls_last=True),
            "pk",
        )
    )
    ranked: list[Any] = list(qs)
    for position, reg in enumerate(ranked, start=1):
        scored = reg.final_total is not None or reg.review_total is not None
        reg.rank = position if scored else None
    return ranked


def results_of(registration: EmulationRegistration) -> list[EmulationResult]:
    """One result per criterion of the drive (unsaved blanks where none was recorded yet)."""
    recorded = {
        r.criterion_id: r
        for r in registration.results.prefetch_related("evidence_files").select_related("criterion")
    }
    out = []
    for criterion in registration.drive.criteria.all():
        result = recorded.get(criterion.pk) or EmulationResult(
            registration=registration, criterion=criterion
        )
        result.criterion = criterion
        out.append(result)
    return out


def commendations_for(viewer: Viewer) -> QuerySet[Commendation]:
    return scoping.for_user(Commendation, viewer).select_related(
        "drive", "registration__area", "registration__club", "area", "club", "member"
    )


def _panel_commendations(viewer: Viewer) -> QuerySet[Commendation]:
    """The commendations a club's or a member's page lists: with their drive's title only.
    (Joining the six tables the drive page shows made PostgreSQL plan for 7 ms to read a
    handful of rows.)"""
    return scoping.for_user(Commendation, viewer).select_related("drive")


def club_commendations(club: Club, viewer: Viewer) -> list[Commendation]:
    """The club's commendations (as a unit) and its people's, newest first."""
    qs = _panel_commendations(viewer).filter(Q(club=club) | Q(registration__club=club))
    if not privacy.may_see_people(viewer):
        qs = qs.filter(recipient_kind=Commendation.RecipientKind.UNIT)
    return list(qs.order_by("-decision_date", "-pk")[:50])


def member_commendations(member: Member, viewer: Viewer) -> list[Commendation]:
    if not privacy.may_see_people(viewer):
        return []
    return list(_panel_commendations(viewer).filter(member=member).order_by("-decision_date"))


# --- Dashboard -----------------------------------------------------------------------------


@dataclass
class Section:
    campaign: Campaign | None
    total: list[Cell]
    not_reported: list[Area]
    by_source: list[dict[str, Any]]
    drives: int
    registrations: int
    scored: int
    commendations: int
    year: int


def _current_campaign(viewer: Viewer, area: Area | None, today: datetime.date) -> Campaign | None:
    """The campaign under way (else the last one begun) of the area, in one query."""
    qs = campaigns_for(viewer).filter(starts_on__lte=today)
    if area is not None:
        deployed = Campaign.deployed_to.through.objects.filter(area=area).values("campaign_id")
        qs = qs.filter(Q(organiser=area) | Q(pk__in=deployed) | Q(organiser_id=area.province_id))
    running = Case(When(ends_on__gte=today, then=Value(1)), default=Value(0))
    return qs.annotate(running=running).order_by("-running", "-starts_on", "-pk").first()


def dashboard_section(*, area: Area | None, viewer: User) -> Section:
    """The campaigns and emulation figures of a province or commune dashboard (drawn inside
    the dashboard's cached fragment, so as fresh as the rest of it: a minute)."""
    return _dashboard_section(area=area, viewer=viewer)


def _dashboard_section(*, area: Area | None, viewer: User) -> Section:
    today = timezone.localdate()
    campaign = _current_campaign(viewer, area, today)
    total: list[Cell] = []
    not_reported: list[Area] = []
    by_source: list[dict[str, Any]] = []
    if campaign is not None:
        b = board(campaign, viewer)
        if area is not None and area.level == Area.Level.COMMUNE:
            mine = [r for r in b.rows if r.area.pk == area.pk]
            total = mine[0].cells if mine else b.total
        else:
            total = b.total
        not_reported = b.not_reported
        by_source = raised_by_source(receipts(campaign, viewer))
    year = today.year
    drives = drives_for(viewer).filter(starts_on__year__lte=year, ends_on__year__gte=year)
    in_area = Q()
    if area is not None and area.level == Area.Level.COMMUNE:
        in_area = Q(registrations__area=area) | Q(registrations__club__commune=area)
    emulation = drives.aggregate(
        n_drives=Count("pk", distinct=True),
        n_registrations=Count("registrations", filter=in_area, distinct=True),
        n_scored=Count(
            "registrations",
            filter=in_area & Q(registrations__stage=EmulationRegistration.Stage.FINAL),
            distinct=True,
        ),
    )
    commendations = commendations_for(viewer).filter(decision_date__year=year)
    if area is not None:
        commendations = commendations.filter(Q(area=area) | Q(area__province=area))
    return Section(
        campaign=campaign,
        total=total,
        not_reported=not_reported,
        by_source=by_source,
        drives=emulation["n_drives"],
        registrations=emulation["n_registrations"],
        scored=emulation["n_scored"],
        commendations=commendations.count(),
        year=year,
    )
