"""The statistical annex of a report upward (``PeriodicReport``), compiled from the records.

Nothing in the annex is typed. ``compile_annex`` reads the summary tables the dashboards read
(``ClubMonthSummary``, ``ClubMonthActivity``, ``AreaMonthSummary``: one query each for the
period and the same period a year before), the care funds' ledger, the trainings, and the
sections the association, older-persons and campaigns apps contribute — a fixed number of
queries whatever the area's size. Stocks (clubs, members, balances, loans) are read at the
period's last month; flows (meetings, visits, activities, money in and out) add up its months.

The annex is stored as JSON: sections of rows ``{"key", "kind", "value", "previous"}`` (a row
whose label is data, an activity area's name, keeps ``"label"``); labels of the other rows come
from ``LAYOUT`` when shown, so they follow the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clubs.models import Area, Club
from config.months import ym_of
from funds.models import Fund, LedgerEntry
from members.models import CompositionTarget
from reports import periodic_sections, summary
from reports.models import AreaMonthSummary, ClubMonthActivity, PeriodicReport, PeriodicReportStep
from reports.selectors import NOT_SUBMITTED, SUBMITTED, rows_for_area
from reports.spans import Span, Values, span_of
from trainings.models import Training

COUNT, PEOPLE, MONEY, PERCENT = "count", "people", "money", "percent"


@dataclass(frozen=True)
class Row:
    key: str
    label: str | Promise
    kind: str = COUNT


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    rows: tuple[Row, ...]


# The sections and rows the association uses, in its order. Sections whose rows depend on the
# data (activities by area, money by source) add rows with their own labels when compiled.
LAYOUT: tuple[Section, ...] = (
    Section(
        "older_persons",
        _("Older persons"),
        (
            Row("total", _("Older persons in the register"), PEOPLE),
            Row("men", _("Men"), PEOPLE),
            Row("women", _("Women"), PEOPLE),
            Row("age_60_69", _("Aged 60–69"), PEOPLE),
            Row("age_70_79", _("Aged 70–79"), PEOPLE),
            Row("age_80_89", _("Aged 80–89"), PEOPLE),
            Row("age_90_99", _("Aged 90–99"), PEOPLE),
            Row("age_100", _("Aged 100 and over"), PEOPLE),
        ),
    ),
    Section(
        "association",
        _("The association: members, units, assessment"),
        (
            Row("members", _("Association members"), PEOPLE),
            Row("new_members", _("New association members"), PEOPLE),
            Row("dues", _("Association dues collected"), MONEY),
            Row("units", _("Association units"), COUNT),
            Row("branches", _("Branches"), COUNT),
            Row("strong", _("Units assessed strong"), COUNT),
            Row("good", _("Units assessed good"), COUNT),
            Row("average", _("Units assessed average"), COUNT),
            Row("weak", _("Units assessed weak"), COUNT),
        ),
    ),
    Section(
        "clubs",
        _("Intergenerational self-help clubs"),
        (
            Row("active", _("Active clubs at the period's end"), COUNT),
            Row("founded", _("Clubs founded in the period"), COUNT),
            Row("paused", _("Clubs paused at the period's end"), COUNT),
            Row("members", _("Club members"), PEOPLE),
            Row("women_pct", _("Women (share of members; target 60–70 per cent)"), PERCENT),
            Row("older_pct", _("Older people (share of members; target 60–70 per cent)"), PERCENT),
            Row(
                "younger_pct",
                _("Younger people (share of members; target 30–40 per cent)"),
                PERCENT,
            ),
            Row("poor_pct", _("Poor or near-poor (share of members)"), PERCENT),
            Row("volunteers", _("Home-care volunteers"), PEOPLE),
            Row("joined", _("Members who joined in the period"), PEOPLE),
            Row("left", _("Members who left in the period"), PEOPLE),
        ),
    ),
    Section(
        "meetings",
        _("Monthly meetings"),
        (
            Row("held", _("Meetings held"), COUNT),
            Row("attendance_pct", _("Attendance (share of members marked)"), PERCENT),
            Row("reports_expected", _("Monthly reports expected"), COUNT),
            Row("reports_submitted", _("Monthly reports submitted"), COUNT),
            Row("reports_approved", _("Monthly reports approved"), COUNT),
            Row("reports_late", _("Monthly reports late or missing"), COUNT),
        ),
    ),
    Section(
        "activities",
        _("Activities in the 8 areas"),
        (
            Row("total", _("Activities"), COUNT),
            Row("participants", pgettext_lazy("activity", "Participants"), PEOPLE),
        ),
    ),
    Section(
        "care",
        _("Home care and health"),
        (
            Row("needing_care", _("People needing home care"), PEOPLE),
            Row("cared_for", _("People needing care who have a volunteer"), PEOPLE),
            Row("visits", _("Home-care visits"), COUNT),
            Row("health_checked", _("Members with a health check"), PEOPLE),
            Row("health_high", _("Members with a high blood pressure reading"), PEOPLE),
        ),
    ),
    Section(
        "funds",
        _("Funds"),
        (
            Row("club_revolving", _("Clubs' revolving funds"), MONEY),
            Row("club_operating", _("Clubs' operating funds"), MONEY),
            Row("care_balance", _("Care funds of the associations"), MONEY),
            Row("care_raised", _("Money raised for the care funds"), MONEY),
            Row("care_spent", _("Money spent from the care funds"), MONEY),
        ),
    ),
    Section(
        "loans",
        _("Loans of the revolving funds"),
        (
            Row("outstanding", _("Loans outstanding"), MONEY),
            Row("at_risk", _("Loans more than 30 days late (PAR30)"), MONEY),
            Row("par30_pct", _("PAR30 (share of the outstanding loans)"), PERCENT),
            Row("disbursed", _("Loans disbursed in the period"), COUNT),
            Row("disbursed_amount", _("Amount disbursed in the period"), MONEY),
            Row("borrowers", _("Members with a loan"), PEOPLE),
        ),
    ),
    Section(
        "trainings",
        _("Trainings"),
        (
            Row("held", _("Trainings held"), COUNT),
            Row("people", _("People trained"), PEOPLE),
            Row("members", _("Club members trained"), PEOPLE),
        ),
    ),
    Section(
        "celebrations",
        _("Longevity celebrations"),
        (
            Row("celebrated", _("Older persons celebrated"), PEOPLE),
            Row("gifts", _("Value of the gifts"), MONEY),
        ),
    ),
    Section(
        "campaigns",
        _("Campaigns"),
        (
            Row("campaigns", _("Campaigns under way in the period"), COUNT),
            Row("gifts", _("Gifts given under campaigns"), COUNT),
            Row("gift_value", _("Value of the gifts"), MONEY),
            Row("raised", _("Money raised under campaigns"), MONEY),
        ),
    ),
    Section(
        "emulation",
        _("Emulation and commendations"),
        (
            Row("registrations", _("Registrations in emulation drives"), COUNT),
            Row("commendations", _("Commendations"), COUNT),
        ),
    ),
)

SECTIONS = {s.key: s for s in LAYOUT}
ROW_LABELS = {(s.key, r.key): r.label for s in LAYOUT for r in s.rows}

# Which sections each kind of report carries: the programme's progress report keeps to the
# clubs (Decisions 1336 and 1648), the reviews carry everything.
KIND_SECTIONS = {
    "six_month": [s.key for s in LAYOUT],
    "annual": [s.key for s in LAYOUT],
    "programme": ["clubs", "meetings", "activities", "care", "funds", "loans", "trainings"],
}

Contributor = Callable[[Area, Span], Values]


def _pct(part: Any, whole: Any) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _club_figures(area: Area, span: Span) -> Values:
    """Clubs, meetings, activities (totals), care, funds of clubs, loans, monthly reports:
    one query over the summary rows."""
    stock = Q(counted=True, ym=span.stock_ym)
    flow = Q(counted=True, ym__in=span.months)
    due = Q(counted=True, active=1, ym__in=span.due_months)
    # Aggregate names must not shadow the summary's fields: prefixed, stripped when read.
    raw = (
        rows_for_area(area)
        .filter(ym__in=span.months)
        .aggregate(
            x_active=Count("pk", filter=stock & Q(active=1)),
            x_paused=Count("pk", filter=stock & Q(active=0)),
            x_founded=Count("pk", filter=flow & Q(founded=1)),
            **{
                f"x_{n}": Sum(n, filter=stock, default=0)
                for n in (
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
                    "loans_outstanding",
                    "loans_at_risk",
                )
            },
            **{
                f"x_{n}": Sum(n, filter=flow, default=0)
                for n in (
                    "joined",
                    "left",
                    "visits",
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
            },
            x_reports_expected=Count("pk", filter=flow & Q(active=1)),
            x_reports_submitted=Count("pk", filter=flow & Q(report_status__in=SUBMITTED)),
            x_reports_approved=Count("pk", filter=flow & Q(report_status="approved")),
            x_reports_late=Count(
                "pk",
                filter=due & (Q(report_status__in=NOT_SUBMITTED) | Q(report_late_submission=True)),
            ),
        )
    )
    r = {name.removeprefix("x_"): value for name, value in raw.items()}
    members = r["members"]
    return {
        "clubs": {
            "active": r["active"],
            "founded": r["founded"],
            "paused": r["paused"],
            "members": members,
            "women_pct": _pct(r["women"], members),
            "older_pct": _pct(r["older"], members),
            "younger_pct": _pct(members - r["older"], members),
            "poor_pct": _pct(r["poor"], members),
            "volunteers": r["volunteers"],
            "joined": r["joined"],
            "left": r["left"],
        },
        "meetings": {
            "held": r["meetings_held"],
            "attendance_pct": _pct(r["attendance_present"], r["attendance_marked"]),
            "reports_expected": r["reports_expected"],
            "reports_submitted": r["reports_submitted"],
            "reports_approved": r["reports_approved"],
            "reports_late": r["reports_late"],
        },
        "activities": {"total": r["activities"], "participants": r["activity_participants"]},
        "care": {
            "needing_care": r["needing_care"],
            "cared_for": r["cared_for"],
            "visits": r["visits"],
            "health_checked": r["health_checked"],
            "health_high": r["health_high"],
        },
        "funds": {"club_revolving": r["fund_revolving"], "club_operating": r["fund_operating"]},
        "loans": {
            "outstanding": r["loans_outstanding"],
            "at_risk": r["loans_at_risk"],
            "par30_pct": _pct(r["loans_at_risk"], r["loans_outstanding"]),
            "disbursed": r["loans_disbursed"],
            "disbursed_amount": r["loans_disbursed_amount"],
            "borrowers": r["borrowers"],
        },
        "trainings": {"members": r["members_trained"]},
    }


def _activity_areas(area: Area, span: Span) -> Values:
    """Activities per area of the 8: one query."""
    qs = ClubMonthActivity.objects.filter(ym__in=span.months)
    qs = (
        qs.filter(province_id=area.pk)
        if area.level == Area.Level.PROVINCE
        else qs.filter(commune_id=area.pk)
    )
    rows = (
        qs.order_by()
        .values("activity_area_id", "activity_area__name", "activity_area__order")
        .annotate(n=Sum("activities"))
    )
    return {
        "activities": {
            f"area_{r['activity_area_id']}": {
                "value": r["n"] or 0,
                "label": r["activity_area__name"],
                "order": r["activity_area__order"],
            }
            for r in rows
        }
    }


def _area_rows(area: Area) -> Any:
    qs = AreaMonthSummary.objects.all()
    if area.level == Area.Level.PROVINCE:
        return qs.filter(Q(province_id=area.pk) | Q(area_id=area.pk))
    return qs.filter(area_id=area.pk)


def _association_funds(area: Area, span: Span) -> Values:
    """The associations' care funds at the period's end and the people trained: one query."""
    r = _area_rows(area).aggregate(
        care=Sum("fund_care", filter=Q(ym=span.stock_ym), default=0),
        trained=Sum("trained_people", filter=Q(ym__in=span.months), default=0),
    )
    return {"funds": {"care_balance": r["care"]}, "trainings": {"people": r["trained"]}}


def _care_fund_money(area: Area, span: Span) -> Values:
    """Money into and out of the care funds (the associations' and the clubs') in the period,
    by source and by purpose, leaving out entries that were reversed and their reversals:
    one query."""
    if area.level == Area.Level.PROVINCE:
        owner = Q(fund__owner_area_id=area.pk) | Q(fund__owner_area__province_id=area.pk)
        owner |= Q(fund__club__province_id=area.pk)
    else:
        owner = Q(fund__owner_area_id=area.pk) | Q(fund__club__commune_id=area.pk)
    rows = (
        LedgerEntry.objects.filter(
            owner,
            fund__kind=Fund.Kind.CARE,
            date__gte=span.first_day,
            date__lte=span.last_day,
            reverses__isnull=True,
            reversed_by__isnull=True,
        )
        .exclude(category=LedgerEntry.Category.OPENING)
        .order_by()
        .values("direction", "category")
        .annotate(total=Sum("amount"))
    )
    labels = dict(LedgerEntry.Category.choices)
    out: dict[str, Any] = {"care_raised": 0, "care_spent": 0}
    for r in rows:
        side = "in" if r["direction"] == LedgerEntry.Direction.IN else "out"
        out["care_raised" if side == "in" else "care_spent"] += r["total"]
        out[f"care_{side}_{r['category']}"] = {
            "value": r["total"],
            "label": str(labels.get(r["category"], r["category"])),
            "kind": MONEY,
            "after": "care_raised" if side == "in" else "care_spent",
        }
    return {"funds": out}


def _trainings(area: Area, span: Span) -> Values:
    """Trainings held by the area's associations in the period: one query."""
    if area.level == Area.Level.PROVINCE:
        where = Q(organiser_id=area.pk) | Q(organiser__province_id=area.pk)
    else:
        where = Q(organiser_id=area.pk)
    held = (
        Training.objects.filter(where, starts_on__gte=span.first_day, starts_on__lte=span.last_day)
        .exclude(status="cancelled")
        .count()
    )
    return {"trainings": {"held": held}}


# Contributions of the apps above the clubs (association, older persons, campaigns): each
# takes (area, span) and returns {section: {row: value}} in a fixed number of queries.
CONTRIBUTORS: list[Contributor] = [
    _club_figures,
    _activity_areas,
    _association_funds,
    _care_fund_money,
    _trainings,
    *periodic_sections.CONTRIBUTORS,
]


def _merge(into: Values, more: Values) -> None:
    for section, rows in more.items():
        into.setdefault(section, {}).update(rows)


def figures(area: Area, span: Span) -> Values:
    values: Values = {}
    for func in CONTRIBUTORS:
        _merge(values, func(area, span))
    return values


def ensure_summaries(area: Area, spans: Iterable[Span]) -> int:
    """Compute the summary rows of months the dashboards no longer keep (older than their
    history) for the area's clubs and associations, so an old period compiles too. Returns
    the club-month rows written."""
    wanted = sorted({ym for span in spans for ym in span.months if ym <= summary_current()})
    if not wanted:
        return 0
    present = set(rows_for_area(area).filter(ym__in=wanted).values_list("ym", flat=True).distinct())
    missing = [ym for ym in wanted if ym not in present]
    if not missing:
        return 0
    clubs = Club.objects.all()
    clubs = (
        clubs.filter(province_id=area.pk)
        if area.level == Area.Level.PROVINCE
        else clubs.filter(commune_id=area.pk)
    )
    club_ids = list(clubs.order_by("pk").values_list("pk", flat=True))
    if not club_ids:
        return 0
    area_ids = [area.pk]
    if area.level == Area.Level.PROVINCE:
        area_ids += list(Area.objects.filter(province_id=area.pk).values_list("pk", flat=True))
    written = 0
    for i in range(0, len(club_ids), 500):
        written += summary.compute_clubs(club_ids[i : i + 500], missing)
    summary.compute_areas(area_ids, missing)
    return written


def summary_current() -> int:
    today = timezone.localdate()
    return ym_of(today.year, today.month)


def compile_annex(
    *,
    area: Area,
    kind: str,
    year: int,
    half: int | None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """The annex of a report: every row with the period's value and the same period's a
    year before."""
    span = span_of(kind, year, half)
    before = span.year_before()
    ensure_summaries(area, [span, before])
    if progress:
        progress(40)
    now, prev = figures(area, span), figures(area, before)
    if progress:
        progress(80)
    target = CompositionTarget.current()
    sections = []
    for key in KIND_SECTIONS.get(kind, []):
        layout = SECTIONS[key]
        rows: list[dict[str, Any]] = []
        for row in layout.rows:
            if row.key not in now.get(key, {}) and row.key not in prev.get(key, {}):
                continue  # a section an app did not contribute (app not installed)
            rows.append(
                {
                    "key": row.key,
                    "kind": row.kind,
                    "value": now.get(key, {}).get(row.key),
                    "previous": prev.get(key, {}).get(row.key),
                }
            )
        rows.extend(_data_rows(now.get(key, {}), prev.get(key, {})))
        rows = _ordered(rows)
        if rows:
            sections.append({"key": key, "rows": rows})
    return {
        "as_of": span.last_day.isoformat(),
        "from": span.first_day.isoformat(),
        "previous_from": before.first_day.isoformat(),
        "previous_to": before.last_day.isoformat(),
        "targets": {
            "women": [target.women_min, target.women_max],
            "older": [target.older_min, target.older_max],
            "younger": [target.younger_min, target.younger_max],
        },
        "compiled_at": timezone.now().isoformat(),
        "sections": sections,
    }


def _data_rows(now: dict[str, Any], prev: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows whose label is data (an activity area, a source of money), present in either
    period."""
    rows = []
    for key in sorted(set(now) | set(prev)):
        cur, old = now.get(key), prev.get(key)
        spec = cur if isinstance(cur, dict) else old if isinstance(old, dict) else None
        if spec is None:
            continue
        rows.append(
            {
                "key": key,
                "kind": spec.get("kind", COUNT),
                "label": spec["label"],
                "value": cur["value"] if isinstance(cur, dict) else 0,
                "previous": old["value"] if isinstance(old, dict) else 0,
                "sub": True,
                "after": spec.get("after"),
                "order": spec.get("order"),
            }
        )
    return rows


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sub-rows after their parent row (``after``) or at the end in their own order."""
    main = [r for r in rows if not r.get("sub")]
    subs = [r for r in rows if r.get("sub")]
    out: list[dict[str, Any]] = []
    for r in main:
        out.append(r)
        out.extend(s for s in subs if s.get("after") == r["key"])
    tail = [s for s in subs if not s.get("after") or s["after"] not in {r["key"] for r in main}]
    tail.sort(key=lambda s: (s.get("order") is None, s.get("order") or 0, s["label"]))
    return out + tail


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """What a re-compile changed: rows whose value differs, with both values."""
    before = {(s["key"], r["key"]): r["value"] for s in old.get("sections", []) for r in s["rows"]}
    out = []
    for s in new.get("sections", []):
        for r in s["rows"]:
            was = before.get((s["key"], r["key"]))
            if (s["key"], r["key"]) in before and was != r["value"]:
                out.append({"section": s["key"], **r, "was": was})
    return out


def label_of(section: str, row: dict[str, Any]) -> str:
    return str(row.get("label") or ROW_LABELS.get((section, row["key"]), row["key"]))


def quotable(annex: dict[str, Any]) -> dict[str, Any]:
    """``section.row`` -> row, for the figures a narrative quotes as ``[[section.row]]``."""
    return {f"{s['key']}.{r['key']}": r for s in annex.get("sections", []) for r in s["rows"]}


def change_of(row: dict[str, Any]) -> Any:
    value, previous = row.get("value"), row.get("previous")
    if value is None or previous is None:
        return None
    return round(value - previous, 1) if isinstance(value, float) else value - previous


def compile_run(*, report_id: int) -> bool:
    """Compile a queued report. Claims it with a conditional UPDATE, so a retried task
    compiles it once. Returns whether this call compiled it."""
    claimed = PeriodicReport.objects.filter(
        pk=report_id, compile_status=PeriodicReport.Compile.QUEUED
    ).update(compile_status=PeriodicReport.Compile.RUNNING, compile_progress=5)
    if not claimed:
        return False
    report = PeriodicReport.objects.select_related("area").get(pk=report_id)

    def progress(percent: int) -> None:
        PeriodicReport.objects.filter(pk=report_id).update(compile_progress=min(percent, 99))

    try:
        annex = compile_annex(
            area=report.area,
            kind=report.kind,
            year=report.year,
            half=report.half,
            progress=progress,
        )
    except Exception as exc:
        PeriodicReport.objects.filter(pk=report_id).update(
            compile_status=PeriodicReport.Compile.FAILED, compile_message=str(exc)[:300]
        )
        raise
    with transaction.atomic():
        report = PeriodicReport.objects.select_for_update().get(pk=report_id)
        if report.is_locked:  # accepted while compiling: the accepted figures stay
            PeriodicReport.objects.filter(pk=report_id).update(
                compile_status=PeriodicReport.Compile.DONE, compile_progress=100
            )
            return False
        diff = changes(report.annex, annex) if report.annex else []
        report.annex = annex
        report.changes = diff
        report.compiled_at = timezone.now()
        report.compile_status = PeriodicReport.Compile.DONE
        report.compile_progress = 100
        report.save(
            update_fields=[
                "annex",
                "changes",
                "compiled_at",
                "compile_status",
                "compile_progress",
                "updated_at",
            ]
        )
        PeriodicReportStep.objects.create(
            report=report,
            action=PeriodicReportStep.Action.COMPILED,
            by=None,
            comment=_("%(n)s figures changed since the last compilation.") % {"n": len(diff)}
            if report.steps.filter(action=PeriodicReportStep.Action.COMPILED).exists()
            else "",
        )
    return True
