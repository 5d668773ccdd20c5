"""Keeps ``ClubMonthSummary`` (and its activity and area companions) in step with the records.

- ``mark_club`` / ``mark_area`` (called by the signals in ``reports.signals``) note which
  (club, month) and (area, month) pairs a change touched. They are written to
  ``SummaryDirty`` after the writer's transaction commits, so the recompute never reads the
  data before the change is visible.
- ``recompute_dirty()`` (a Celery task every minute) claims the dirty pairs in its own short
  transaction, then recomputes them.
- ``rebuild()`` (``manage.py rebuild_summaries``) throws the rows away and computes the last
  N months again.

Alongside the month rows: ``ClubYearSummary`` / ``ClubYearActivity`` (a year's figures per
club, recomputed from the month rows whenever they are, and by ``refresh_years`` when the date
alone changes them) and the clubs' composition rows (``members.composition``), refreshed for
every club whose summaries are recomputed.

Computing is set-based: for a batch of clubs and up to 12 months, one aggregate query per
source table (members, care assignments, meetings, attendance, health checks, activities,
visits, reports, ledger, loans, installments, repayments, board, trainings), with one column
per month where a figure is a stock at the month's end, or grouped by month where it is a
flow. Python only combines the aggregated rows (and walks loans to carry balances forward).
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, Sum, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from clubs.models import Area, BoardPosition, Club
from config.months import first_day, last_day, months_between, shift, split, ym_of, ym_of_date
from funds.models import Fund, Installment, LedgerEntry, Loan, Repayment
from members import composition
from members.models import (
    CareAssignment,
    ClubComposition,
    Member,
    on_register_q,
    was_on_register,
)
from members.selectors import older_q
from month import figures
from month.models import (
    Activity,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
)
from month.schedule import report_late_from
from reports import pagecache, periods
from reports.models import (
    AreaMonthSummary,
    ClubMonthActivity,
    ClubMonthSummary,
    ClubYearActivity,
    ClubYearSummary,
    SummaryDirty,
)
from reports.selectors import aggregates as dashboard_aggregates
from reports.selectors import period_months, year_stamp
from trainings.models import Participant, SessionAttendance, Training

log = logging.getLogger(__name__)

CLUB_BATCH = 200
AREA_BATCH = 500
MONTH_BATCH = 12
PAR_DAYS = 30  # as funds.selectors.PAR_DAYS: more than 30 days late is at risk
POOR = (Member.Household.POOR, Member.Household.NEAR_POOR)
FUND_KINDS = ("revolving", "operating", "care", "other")


# --- marking --------------------------------------------------------------------------------

_pending = threading.local()


class _Batch:
    """The marks one transaction writes when it commits (the on-commit callback itself)."""

    def __init__(self, callbacks: list) -> None:
        self.keys: set[tuple[str, int, int]] = set()
        self.written = False
        # The connection's list of on-commit callbacks when the batch started. Django replaces
        # that list on commit and on (savepoint) rollback: a different list means a new batch.
        self.callbacks = callbacks

    def __call__(self) -> None:
        self.written = True
        _write_marks(self.keys)  # empties the set


def _queue(keys: set[tuple[str, int, int]]) -> None:
    """Add marks to the batch that the current transaction writes when it commits.

    One batch per transaction, checked in constant time. Marks of work that was rolled back
    are never written: the rollback replaced the callback list, so a new batch starts.
    """
    connection_ = transaction.get_connection()
    batch = getattr(_pending, "batch", None)
    if batch is None or batch.written or batch.callbacks is not connection_.run_on_commit:
        batch = _pending.batch = _Batch(connection_.run_on_commit)
    batch.keys.update(keys)
    # Registered at every mark: the first call at commit writes everything, later calls find
    # the batch empty. (Tests that run only the callbacks of a block rely on this too.)
    transaction.on_commit(batch)  # runs at once outside a transaction


def _months_since(since: datetime.date | None, until: datetime.date | None) -> list[int]:
    today_ym = periods.current_ym()
    start = periods.history_start()
    first = max(ym_of_date(since), start) if since else start
    last = min(ym_of_date(until), today_ym) if until else today_ym
    return months_between(first, last)


def mark_club(
    club_id: int | None, since: datetime.date | None = None, until: datetime.date | None = None
) -> None:
    """(club, month) for every month from ``since`` (or the start of the history) to ``until``
    (or now) needs recomputing, once the current transaction commits."""
    if club_id:
        _queue({("club", club_id, ym) for ym in _months_since(since, until)})


def mark_area(
    area_id: int | None, since: datetime.date | None = None, until: datetime.date | None = None
) -> None:
    if area_id:
        _queue({("area", area_id, ym) for ym in _months_since(since, until)})


def _write_marks(keys: set[tuple[str, int, int]]) -> None:
    """Write a committed transaction's marks (one INSERT; existing marks are left alone)."""
    if not keys:
        return
    club_ids = {ident for kind, ident, _ in keys if kind == "club"}
    area_ids = {ident for kind, ident, _ in keys if kind == "area"}
    # A club or area deleted in the same transaction needs no figures.
    live_clubs = set(Club.objects.filter(pk__in=club_ids).values_list("pk", flat=True))
    live_areas = set(Area.objects.filter(pk__in=area_ids).values_list("pk", flat=True))
    rows = [
        SummaryDirty(club_id=ident, ym=ym) if kind == "club" else SummaryDirty(area_id=ident, ym=ym)
        for kind, ident, ym in keys
        if ident in (live_clubs if kind == "club" else live_areas)
    ]
    keys.clear()
    try:
        SummaryDirty.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    except Exception:  # a failed mark must never fail the user's save; the nightly rebuild heals
        log.exception("could not mark %s summaries dirty", len(rows))


# --- recompute ------------------------------------------------------------------------------


@dataclass
class RecomputeResult:
    clubs: int = 0
    areas: int = 0
    pairs: int = 0


def _rectangles(pairs: Iterable[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Group (id, ym) pairs into (ids, months) rectangles that share the same months."""
    by_id: dict[int, set[int]] = defaultdict(set)
    for ident, ym in pairs:
        by_id[ident].add(ym)
    by_months: dict[frozenset[int], list[int]] = defaultdict(list)
    for ident, yms in by_id.items():
        by_months[frozenset(yms)].append(ident)
    out = []
    for same_months, ids in by_months.items():
        months = sorted(same_months)
        ids.sort()
        for i in range(0, len(months), MONTH_BATCH):
            out.append((ids, months[i : i + MONTH_BATCH]))
    return out


def recompute_dirty(limit: int = 20_000) -> RecomputeResult:
    """Claim up to ``limit`` dirty pairs and recompute them. Safe to run twice at once on
    PostgreSQL (claimed rows are locked and skipped by the other run)."""
    with transaction.atomic():
        qs = SummaryDirty.objects.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        claimed = list(qs.values_list("pk", "club_id", "area_id", "ym")[:limit])
        SummaryDirty.objects.filter(pk__in=[c[0] for c in claimed]).delete()
    club_pairs = [(c[1], c[3]) for c in claimed if c[1]]
    area_pairs = [(c[2], c[3]) for c in claimed if c[2]]
    try:
        for ids, months in _rectangles(club_pairs):
            for i in range(0, len(ids), CLUB_BATCH):
                compute_clubs(ids[i : i + CLUB_BATCH], months)
        for ids, months in _rectangles(area_pairs):
            for i in range(0, len(ids), AREA_BATCH):
                compute_areas(ids[i : i + AREA_BATCH], months)
        # A club marked dirty had a member (or the club itself) change: its composition too.
        composition.refresh({c for c, _ym in club_pairs})
    except Exception:
        # Put the claimed pairs back so the next run tries again.
        SummaryDirty.objects.bulk_create(
            [SummaryDirty(club_id=c[1], area_id=c[2], ym=c[3]) for c in claimed],
            ignore_conflicts=True,
        )
        raise
    if claimed:
        pagecache.summaries_changed(_provinces(club_pairs, area_pairs))
    return RecomputeResult(
        clubs=len({c for c, _ in club_pairs}),
        areas=len({a for a, _ in area_pairs}),
        pairs=len(claimed),
    )


def _provinces(club_pairs: list[tuple[int, int]], area_pairs: list[tuple[int, int]]) -> set[int]:
    """The provinces whose dashboards the recomputed clubs and areas change (two queries)."""
    club_ids = {c for c, _ym in club_pairs}
    area_ids = {a for a, _ym in area_pairs}
    provinces: set[int] = set()
    if club_ids:
        provinces.update(
            Club.objects.filter(pk__in=club_ids).values_list("province_id", flat=True).distinct()
        )
    if area_ids:
        for pk, province_id in Area.objects.filter(pk__in=area_ids).values_list(
            "pk", "province_id"
        ):
            provinces.add(province_id or pk)  # a province is its own
    return {p for p in provinces if p is not None}


def ensure_current_month(today: datetime.date | None = None) -> int:
    """Mark the current month of every club (and every area with a fund) that has no row for
    it yet: a new month starts with the balances and members of the last one."""
    ym = periods.current_ym(today)
    missing_clubs = Club.objects.exclude(
        pk__in=ClubMonthSummary.objects.filter(ym=ym).values("club_id")
    ).values_list("pk", flat=True)
    rows = [SummaryDirty(club_id=pk, ym=ym) for pk in missing_clubs]
    missing_areas = (
        Fund.objects.filter(owner_area__isnull=False)
        .exclude(owner_area_id__in=AreaMonthSummary.objects.filter(ym=ym).values("area_id"))
        .values_list("owner_area_id", flat=True)
        .distinct()
    )
    rows += [SummaryDirty(area_id=pk, ym=ym) for pk in missing_areas]
    SummaryDirty.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def rebuild(
    *, club_id: int | None = None, months: int = periods.HISTORY_MONTHS, wipe: bool = True
) -> int:
    """Recompute the last ``months`` months (all clubs and areas, or one club). With ``wipe``
    every existing row is thrown away first (a rebuild from scratch); without it only the rows
    of those months are replaced (the nightly safety net). Returns the club-month rows written.
    """
    end = periods.current_ym()
    yms = months_between(shift(end, -(months - 1)), end)
    if club_id is None:
        if wipe:
            ClubMonthSummary.objects.all().delete()
            ClubMonthActivity.objects.all().delete()
            ClubYearSummary.objects.all().delete()
            ClubYearActivity.objects.all().delete()
            AreaMonthSummary.objects.all().delete()
            SummaryDirty.objects.all().delete()
        club_ids = list(Club.objects.order_by("pk").values_list("pk", flat=True))
        area_ids = list(
            Area.objects.exclude(level=Area.Level.DISTRICT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        if wipe:
            ClubMonthSummary.objects.filter(club_id=club_id).delete()
            ClubMonthActivity.objects.filter(club_id=club_id).delete()
            ClubYearSummary.objects.filter(club_id=club_id).delete()
            ClubYearActivity.objects.filter(club_id=club_id).delete()
            SummaryDirty.objects.filter(club_id=club_id).delete()
        club_ids, area_ids = [club_id], []
    written = 0
    for m in range(0, len(yms), MONTH_BATCH):
        chunk = yms[m : m + MONTH_BATCH]
        for i in range(0, len(club_ids), CLUB_BATCH):
            written += compute_clubs(club_ids[i : i + CLUB_BATCH], chunk, years=False)
        for i in range(0, len(area_ids), AREA_BATCH):
            compute_areas(area_ids[i : i + AREA_BATCH], chunk)
    # Then each year of the period picker once, from the month rows just written.
    years = _years_of(yms)
    for i in range(0, len(club_ids), CLUB_BATCH):
        compute_years(club_ids[i : i + CLUB_BATCH], years, replace=not (wipe and club_id is None))
    composition.refresh(club_ids)
    if club_id is None:
        _analyze_summaries()
        pagecache.summaries_changed()
    else:
        pagecache.summaries_changed(_provinces([(club_id, 0)], []))
    return written


def _analyze_summaries() -> None:
    """Fresh planner statistics for the tables a full rebuild has just filled. Without them
    PostgreSQL plans the dashboards with the figures of the tables as they were (empty, after
    a first load): at 20,000 clubs the clubs behind a figure then read a province's month rows
    for each club instead of the club's one row (14 ms instead of 1). Autovacuum would get
    there, a while later."""
    if connection.vendor != "postgresql":
        return
    models = (
        ClubMonthSummary, ClubMonthActivity, ClubYearSummary, ClubYearActivity,
        AreaMonthSummary, ClubComposition,
    )  # fmt: skip
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- computing ------------------------------------------------------------------------------


def _by_month(qs: Any, date_field: str, group: Iterable[str], **aggregates: Any) -> Any:
    """``qs`` grouped by ``group`` and the year and month of ``date_field``."""
    return (
        qs.annotate(yy=ExtractYear(date_field), mm=ExtractMonth(date_field))
        .order_by()
        .values(*group, "yy", "mm")
        .annotate(**aggregates)
    )


def _window(yms: list[int]) -> tuple[datetime.date, datetime.date]:
    return first_day(yms[0]), last_day(yms[-1])


def _trained_participants() -> Any:
    """People present on at least one day of a training that was not cancelled."""
    return Participant.objects.filter(
        Exists(SessionAttendance.objects.filter(participant=OuterRef("pk")))
    ).exclude(training__status=Training.Status.CANCELLED)


def _carry_forward(
    rows: Iterable[dict[str, Any]], key_fields: tuple[str, ...], yms: list[int]
) -> dict[tuple[Any, ...], list[int]]:
    """Monthly net amounts (rows with yy, mm, s) -> running totals at the end of each ym."""
    out: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(yms))
    for r in rows:
        ym = ym_of(r["yy"], r["mm"])
        totals = out[tuple(r[f] for f in key_fields)]
        for i, target in enumerate(yms):
            if ym <= target:
                totals[i] += r["s"] or 0
    return out


SIGNED = Case(When(direction="in", then=F("amount")), default=-F("amount"))


def compute_clubs(club_ids: list[int], yms: list[int], *, years: bool = True) -> int:
    """Recompute and store the rows of these clubs for these months (at most 12), and (with
    ``years``) the year rows those months are part of."""
    yms = sorted(yms)
    clubs = list(
        Club.objects.filter(pk__in=club_ids).values(
            "pk", "commune_id", "commune__province_id", "status", "status_changed_on", "founded_on"
        )
    )
    if not clubs:
        return 0
    ids = [c["pk"] for c in clubs]
    start, end = _window(yms)
    lasts = [last_day(ym) for ym in yms]
    index = {ym: i for i, ym in enumerate(yms)}
    fig: dict[tuple[int, int], dict[str, Any]] = defaultdict(dict)  # (club, ym) -> figures

    def put_monthly(rows: Iterable[dict[str, Any]], club_field: str, names: dict[str, str]) -> None:
        for r in rows:
            ym = ym_of(r["yy"], r["mm"])
            if ym in index:
                target = fig[(r[club_field], ym)]
                for src, dst in names.items():
                    target[dst] = r[src] or 0

    # Members: stocks at each month's end and movements, one column per month; the register
    # and the movements as the monthly report counts them (month.figures.members).
    stock = {
        "women": lambda last: Q(sex=Member.Sex.FEMALE),
        "older": lambda last: older_q("", last),
        "poor": lambda last: Q(household_status__in=POOR),
        "volunteers": lambda last: Q(is_volunteer=True),
        "needing_care": lambda last: Q(needs_care=True),
    }
    aggs: dict[str, Any] = {}
    for i, ym in enumerate(yms):
        first, last = first_day(ym), lasts[i]
        for name, agg in figures.members(first, last).items():
            aggs[f"{name}_{i}"] = agg
        for name, cond in stock.items():
            aggs[f"{name}_{i}"] = Count("pk", filter=on_register_q(last) & cond(last))
    for r in Member.objects.filter(club_id__in=ids).order_by().values("club_id").annotate(**aggs):
        for i, ym in enumerate(yms):
            target = fig[(r["club_id"], ym)]
            target["members"] = r[f"at_end_{i}"]
            for name in (*stock, "joined", "left"):
                target[name] = r[f"{name}_{i}"]

    # Home care: members in need with a volunteer assigned on the month's last day.
    aggs = {
        f"cared_{i}": Count(
            "recipient",
            distinct=True,
            filter=Q(start_on__lte=last)
            & (Q(end_on__isnull=True) | Q(end_on__gte=last))
            & on_register_q(last, "recipient__"),
        )
        for i, last in enumerate(lasts)
    }
    for r in (
        CareAssignment.objects.filter(recipient__club_id__in=ids, recipient__needs_care=True)
        .order_by()
        .values("recipient__club_id")
        .annotate(**aggs)
    ):
        for i, ym in enumerate(yms):
            fig[(r["recipient__club_id"], ym)]["cared_for"] = r[f"cared_{i}"]

    # Flows in the month, with the monthly report's aggregates (month.figures).
    in_window = Q(date__gte=start, date__lte=end)
    flows: list[
        tuple[
            type[Meeting | HealthCheck | Activity | HomeCareVisit], dict[str, Any], dict[str, str]
        ]
    ] = [
        (Meeting, figures.meetings(), {"held": "meetings_held"}),
        (HealthCheck, figures.health(), {"measured": "health_checked", "high": "health_high"}),
        (
            Activity,
            figures.activities(),
            {"count": "activities", "participants": "activity_participants"},
        ),
        (HomeCareVisit, figures.visits(), {"count": "visits", "people": "visited"}),
    ]
    for model, aggregates, names in flows:
        rows = _by_month(
            model.objects.filter(in_window, club_id__in=ids), "date", ["club_id"], **aggregates
        )
        put_monthly(rows, "club_id", names)
    attendance = _by_month(
        figures.held_attendance().filter(
            meeting__club_id__in=ids, meeting__date__gte=start, meeting__date__lte=end
        ),
        "meeting__date",
        ["meeting__club_id"],
        **figures.attendance(),
    )
    put_monthly(
        ({**r, "marked": r["present"] + r["absent"] + r["excused"]} for r in attendance),
        "meeting__club_id",
        {"present": "attendance_present", "marked": "attendance_marked"},
    )
    activity_rows = list(
        _by_month(
            Activity.areas.through.objects.filter(
                activity__club_id__in=ids,
                activity__date__gte=start,
                activity__date__lte=end,
            ),
            "activity__date",
            ["activity__club_id", "activityarea_id"],
            n=Count("pk"),
            p=Sum("activity__participant_count"),
        )
    )

    # The month's report.
    month_q = Q()
    for ym in yms:
        year, month = split(ym)
        month_q |= Q(year=year, month=month)
    for report in MonthlyReport.objects.filter(month_q, club_id__in=ids).values(
        "club_id", "year", "month", "status", "submitted_at"
    ):
        ym = ym_of(report["year"], report["month"])
        late_from = report_late_from(report["year"], report["month"])
        late = report["submitted_at"] is not None and report["submitted_at"] >= late_from
        target = fig[(report["club_id"], ym)]
        target["report_status"] = report["status"]
        target["report_late_submission"] = late

    _fund_balances("fund__club_id", ids, yms, end, fig)
    _loans(ids, yms, lasts, fig)
    _trainings(ids, yms, lasts, start, end, fig)

    rows = []
    for c in clubs:
        for i, ym in enumerate(yms):
            first, last = first_day(ym), lasts[i]
            status = c["status"]
            if c["status_changed_on"] and c["status_changed_on"] > last:
                status = Club.Status.ACTIVE  # the change came later: it was running then
            exists = c["founded_on"] is None or c["founded_on"] <= last
            counted = exists and status != Club.Status.DISSOLVED
            values = fig.get((c["pk"], ym), {})
            rows.append(
                ClubMonthSummary(
                    club_id=c["pk"],
                    province_id=c["commune__province_id"],
                    commune_id=c["commune_id"],
                    year=split(ym)[0],
                    month=split(ym)[1],
                    ym=ym,
                    counted=counted,
                    active=int(counted and status == Club.Status.ACTIVE),
                    founded=int(bool(c["founded_on"] and first <= c["founded_on"] <= last)),
                    **values,
                )
            )
    places = {c["pk"]: (c["commune__province_id"], c["commune_id"]) for c in clubs}
    counted_months = {(r.club_id, r.ym) for r in rows if r.counted}
    activities = [
        ClubMonthActivity(
            club_id=r["activity__club_id"],
            province_id=places[r["activity__club_id"]][0],
            commune_id=places[r["activity__club_id"]][1],
            activity_area_id=r["activityarea_id"],
            ym=ym_of(r["yy"], r["mm"]),
            activities=r["n"],
            participants=r["p"] or 0,
        )
        for r in activity_rows
        if (r["activity__club_id"], ym_of(r["yy"], r["mm"])) in counted_months
    ]
    with transaction.atomic():
        ClubMonthSummary.objects.filter(club_id__in=ids, ym__in=yms).delete()
        ClubMonthActivity.objects.filter(club_id__in=ids, ym__in=yms).delete()
        ClubMonthSummary.objects.bulk_create(rows, batch_size=500)
        ClubMonthActivity.objects.bulk_create(activities, batch_size=500)
    if years:
        compute_years(ids, _years_of(yms))
    return len(rows)


# --- years ----------------------------------------------------------------------------------


def _years_of(yms: Iterable[int]) -> list[int]:
    """The years whose year view reads these months: their own, and the next one for
    November and December (the last three months of a January or February stock month)."""
    years = set()
    for ym in yms:
        year, month = split(ym)
        years.add(year)
        if month >= 11:
            years.add(year + 1)
    today = periods.current_ym()
    first = split(periods.history_start())[0]
    return sorted(y for y in years if first <= y <= split(today)[0])


def compute_years(
    club_ids: list[int],
    years: Iterable[int],
    today: datetime.date | None = None,
    *,
    replace: bool = True,
) -> int:
    """Recompute and store the year rows of these clubs: for each year, the dashboard's
    aggregates of its month rows grouped by club (one query), and the activities likewise.
    Without ``replace`` the rows are only added (a rebuild that threw every row away)."""
    years = sorted(set(years))
    rows: list[ClubYearSummary] = []
    activities: list[ClubYearActivity] = []
    for year in years:
        period = periods.Period(year, None, today or timezone.localdate())
        if not period.months:
            continue
        stamp = year_stamp(period)
        aggs = {f"x_{name}": agg for name, agg in dashboard_aggregates(period).items()}
        for r in (
            ClubMonthSummary.objects.filter(club_id__in=club_ids, ym__in=period_months(period))
            .order_by()
            .values("club_id", "province_id", "commune_id")
            .annotate(**aggs)
        ):
            values = {name[2:]: r[name] or 0 for name in aggs}
            rows.append(
                ClubYearSummary(
                    club_id=r["club_id"],
                    province_id=r["province_id"],
                    commune_id=r["commune_id"],
                    year=year,
                    **stamp,
                    **values,
                )
            )
        activities += [
            ClubYearActivity(
                club_id=r["club_id"],
                province_id=r["province_id"],
                commune_id=r["commune_id"],
                activity_area_id=r["activity_area_id"],
                year=year,
                first_ym=period.months[0],
                last_ym=period.months[-1],
                activities=r["n"] or 0,
                participants=r["p"] or 0,
            )
            for r in ClubMonthActivity.objects.filter(club_id__in=club_ids, ym__in=period.months)
            .order_by()
            .values("club_id", "province_id", "commune_id", "activity_area_id")
            .annotate(n=Sum("activities"), p=Sum("participants"))
        ]
    if not replace:
        ClubYearSummary.objects.bulk_create(rows, batch_size=500)
        ClubYearActivity.objects.bulk_create(activities, batch_size=500)
        return len(rows)
    with transaction.atomic():
        ClubYearSummary.objects.filter(club_id__in=club_ids, year__in=years).delete()
        ClubYearActivity.objects.filter(club_id__in=club_ids, year__in=years).delete()
        ClubYearSummary.objects.bulk_create(rows, batch_size=500)
        ClubYearActivity.objects.bulk_create(activities, batch_size=500)
    return len(rows)


def refresh_years(today: datetime.date | None = None, limit: int = 5_000) -> int:
    """Recompute the year rows that the date alone made out of date (a new month began, a
    report deadline passed, the history window moved on): up to ``limit`` clubs a run, the
    rest at the next. Until then the dashboard sums those years' month rows."""
    today = today or timezone.localdate()
    first = split(periods.history_start(today))[0]
    done = 0
    for year in range(first, today.year + 1):
        period = periods.Period(year, None, today)
        stale = list(
            ClubYearSummary.objects.filter(year=year)
            .exclude(**year_stamp(period))
            .order_by("club_id")
            .values_list("club_id", flat=True)
            .distinct()[: limit - done]
        )
        for i in range(0, len(stale), CLUB_BATCH):
            compute_years(stale[i : i + CLUB_BATCH], [year], today)
        done += len(stale)
        if done >= limit:
            break
    # Rows of years that left the picker are read by nobody.
    ClubYearSummary.objects.filter(year__lt=first).delete()
    ClubYearActivity.objects.filter(year__lt=first).delete()
    return done


def _fund_balances(
    owner: str,
    ids: list[int],
    yms: list[int],
    end: datetime.date,
    fig: dict[tuple[int, int], dict[str, Any]],
) -> None:
    """Fund balances at each month's end, by kind, carried forward from the first entry;
    ``owner`` is the lookup from an entry to its club or area (``fund__club_id``…)."""
    balances = _carry_forward(
        _by_month(
            LedgerEntry.objects.filter(**{f"{owner}__in": ids, "date__lte": end}),
            "date",
            [owner, "fund__kind"],
            s=Sum(SIGNED),
        ),
        (owner, "fund__kind"),
        yms,
    )
    for (owner_id, kind), totals in balances.items():
        field = f"fund_{kind}" if kind in FUND_KINDS else "fund_other"
        for i, ym in enumerate(yms):
            target = fig[(owner_id, ym)]
            target[field] = target.get(field, 0) + totals[i]


def _loans(
    ids: list[int],
    yms: list[int],
    lasts: list[datetime.date],
    fig: dict[tuple[int, int], dict[str, Any]],
) -> None:
    """Outstanding principal, PAR30, borrowers and disbursements at each month's end.

    A loan is at risk on a day when what fell due more than 30 days before it is more than
    what was repaid by then (funds.selectors.loan_position, in SQL): installments are summed
    per loan with one column per month, repayments likewise; Python walks the loans.
    """
    end = lasts[-1]
    loans = list(
        Loan.objects.filter(
            fund__club_id__in=ids, disbursed_on__isnull=False, disbursed_on__lte=end
        ).values(
            "pk",
            "fund__club_id",
            "borrower_id",
            "principal",
            "disbursed_on",
            "borrower__joined_on",
            "borrower__left_on",
            "status",
            "closed_on",
        )
    )
    if not loans:
        return
    loan_q = Q(
        loan__fund__club_id__in=ids, loan__disbursed_on__isnull=False, loan__disbursed_on__lte=end
    )
    due_total = F("principal") + F("interest") - F("waived_interest")
    due = {
        r["loan_id"]: r
        for r in Installment.objects.filter(loan_q)
        .order_by()
        .values("loan_id")
        .annotate(
            **{
                f"d{i}": Sum(
                    due_total, filter=Q(due_on__lte=last - datetime.timedelta(days=PAR_DAYS + 1))
                )
                for i, last in enumerate(lasts)
            }
        )
    }
    paid = {
        r["loan_id"]: r
        for r in Repayment.objects.filter(loan_q)
        .order_by()
        .values("loan_id")
        .annotate(
            **{f"a{i}": Sum("amount", filter=Q(date__lte=last)) for i, last in enumerate(lasts)},
            **{f"p{i}": Sum("principal", filter=Q(date__lte=last)) for i, last in enumerate(lasts)},
        )
    }
    borrowers: dict[tuple[int, int], set[int]] = defaultdict(set)
    for loan in loans:
        club_id = loan["fund__club_id"]
        disbursed_on, closed_on = loan["disbursed_on"], loan["closed_on"]
        if disbursed_on is None:  # never: the query takes disbursed loans only
            continue
        d, p = due.get(loan["pk"], {}), paid.get(loan["pk"], {})
        for i, ym in enumerate(yms):
            last = lasts[i]
            if disbursed_on > last:
                continue
            target = fig[(club_id, ym)]
            if disbursed_on >= first_day(ym):
                target["loans_disbursed"] = target.get("loans_disbursed", 0) + 1
                target["loans_disbursed_amount"] = (
                    target.get("loans_disbursed_amount", 0) + loan["principal"]
                )
            written_off = loan["status"] == Loan.Status.WRITTEN_OFF
            if written_off and closed_on and closed_on <= last:
                continue  # out of the portfolio from its write-off (Loan.written_off_by)
            outstanding = loan["principal"] - (p.get(f"p{i}") or 0)
            target["loans_outstanding"] = target.get("loans_outstanding", 0) + outstanding
            if outstanding > 0 and (d.get(f"d{i}") or 0) > (p.get(f"a{i}") or 0):
                target["loans_at_risk"] = target.get("loans_at_risk", 0) + outstanding
            if was_on_register(loan["borrower__joined_on"], loan["borrower__left_on"], last):
                borrowers[(club_id, ym)].add(loan["borrower_id"])
    for key, people in borrowers.items():
        fig[key]["borrowers"] = len(people)


def _trainings(
    ids: list[int],
    yms: list[int],
    lasts: list[datetime.date],
    start: datetime.date,
    end: datetime.date,
    fig: dict[tuple[int, int], dict[str, Any]],
) -> None:
    """Whether the chair on each month's last day had been trained; members trained."""
    trained = _trained_participants()
    chairs = list(
        BoardPosition.objects.filter(club_id__in=ids, position=BoardPosition.Position.CHAIR).values(
            "club_id", "member_id", "start_on", "end_on"
        )
    )
    if chairs:
        first_trained = dict(
            trained.filter(member_id__in={c["member_id"] for c in chairs})
            .order_by()
            .values("member_id")
            .annotate(first=Min("training__ends_on"))
            .values_list("member_id", "first")
        )
        for c in chairs:
            when = first_trained.get(c["member_id"])
            if when is None:
                continue
            for i, ym in enumerate(yms):
                last = lasts[i]
                seated = c["start_on"] <= last and (c["end_on"] is None or c["end_on"] >= last)
                if seated and when <= last:
                    fig[(c["club_id"], ym)]["chair_trained"] = 1
    index = set(yms)
    for r in _by_month(
        trained.filter(
            member__club_id__in=ids, training__ends_on__gte=start, training__ends_on__lte=end
        ),
        "training__ends_on",
        ["member__club_id"],
        n=Count("member", distinct=True),
    ):
        ym = ym_of(r["yy"], r["mm"])
        if ym in index:
            fig[(r["member__club_id"], ym)]["members_trained"] = r["n"]


def participant_area() -> Coalesce:
    """The area a trained person counts for: their own, else their club's commune."""
    return Coalesce(
        "area_id", "member__club__commune_id", "user__area_id", "user__club__commune_id"
    )


def compute_areas(area_ids: list[int], yms: list[int]) -> int:
    """Recompute and store the area rows (own funds, people trained) for these months."""
    yms = sorted(yms)
    areas = {
        a["pk"]: a
        for a in Area.objects.filter(pk__in=area_ids).values("pk", "level", "province_id")
    }
    ids = list(areas)
    if not ids:
        return 0
    start, end = _window(yms)
    fig: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    _fund_balances("fund__owner_area_id", ids, yms, end, fig)
    index = set(yms)
    for r in _by_month(
        _trained_participants()
        .annotate(counted_in=participant_area())
        .filter(counted_in__in=ids, training__ends_on__gte=start, training__ends_on__lte=end),
        "training__ends_on",
        ["counted_in"],
        n=Count("pk"),
    ):
        ym = ym_of(r["yy"], r["mm"])
        if ym in index:
            fig[(r["counted_in"], ym)]["trained_people"] = r["n"]
    rows = []
    for (area_id, ym), values in fig.items():
        if not any(values.values()):
            continue
        area = areas[area_id]
        province_id = area["pk"] if area["level"] == Area.Level.PROVINCE else area["province_id"]
        rows.append(AreaMonthSummary(area_id=area_id, province_id=province_id, ym=ym, **values))
    with transaction.atomic():
        AreaMonthSummary.objects.filter(area_id__in=ids, ym__in=yms).delete()
        AreaMonthSummary.objects.bulk_create(rows, batch_size=500)
    return len(rows)
