"""Dashboards, drill-down lists, club health and exports.

Who sees what: association staff and viewers of an area (and admins) see the area
dashboards; club leaders and club-scoped viewers see their club's page only (404 for area
pages). Everything is fetched through ``accounts.scoping``: another area answers 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts import privacy, scoping
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role
from association import selectors as association_selectors
from campaigns import selectors as campaigns_selectors
from clubs.models import Area, Club
from config.months import label as month_label
from config.pagination import keyset_page
from config.ui import paginate
from elders import selectors as elders_selectors
from reports import figures as fig
from reports import pagecache, periods, selectors, services, todo
from reports.forms import ExportForm
from reports.models import ExportJob
from reports.periods import Period

if TYPE_CHECKING:
    from accounts.models import User


def _require_area_user(user: User) -> None:
    """Area dashboards are for admins and for staff or viewers scoped to an area."""
    role = scoping.effective_role(user)
    if role == Role.ADMIN:
        return
    if role in (Role.PROVINCE, Role.COMMUNE, Role.VIEWER) and user.area_id and not user.club_id:
        return
    raise Http404


def _area(request: AuthenticatedHttpRequest, pk: int | str | None) -> Area | None:
    """The area asked for (404 outside the scope); None is the whole country, for admins."""
    _require_area_user(request.user)
    if pk in (None, ""):
        if scoping.is_admin(request.user):
            return None
        pk = request.user.area_id
    area = scoping.get_for_user(Area.objects.select_related("province"), request.user, pk=pk)
    if area.level not in (Area.Level.PROVINCE, Area.Level.COMMUNE):
        raise Http404
    return area


def _period(request: AuthenticatedHttpRequest) -> Period:
    """The period asked for; without one, the last complete month (docs/ux.md)."""
    value = request.GET.get("period")
    return Period.parse(value) if value else Period.last_complete()


def _plotted(value: Any) -> float | None:
    """A value the chart can draw: a number, or a gap (no value, a suppressed count)."""
    return float(value) if isinstance(value, int | float | Decimal) else None


def _cell(value: Any) -> Any:
    """A value of the chart's table: a suppressed count as its text ("< 5")."""
    return str(value) if isinstance(value, privacy.Suppressed) else value


def _chart(
    chart_id: str, title: Any, labels: list[Any], series: list[tuple[Any, list[Any]]], **kw: Any
) -> dict[str, Any]:
    """A chart and the table that says the same thing (for screen readers and print)."""
    return {
        "id": chart_id,
        "data_id": f"{chart_id}-data",
        "height": max(220, 28 * len(labels)) if kw.get("horizontal") else 240,
        "title": str(title),
        "type": kw.get("type", "bar"),
        "horizontal": kw.get("horizontal", False),
        "percent": kw.get("percent", False),
        "labels": [str(label) for label in labels],
        "datasets": [
            {"label": str(label), "data": [_plotted(v) for v in data]} for label, data in series
        ],
        "rows": [
            [str(label), *(_cell(data[i]) for _label, data in series)]
            for i, label in enumerate(labels)
        ],
        "headers": [str(label) for label, _data in series],
    }


def _charts(board: selectors.Dashboard) -> list[dict[str, Any]]:
    t = board.totals
    shares = t.shares
    children = board.children[:40]
    return [
        _chart(
            "chart-composition",
            _("Member composition against the targets (%)"),
            [s["label"] for s in shares],
            [
                (_("Share"), [s["share"] for s in shares]),
                (_("Lowest target"), [s["low"] for s in shares]),
            ],
            percent=True,
        ),
        _chart(
            "chart-met",
            _("Active clubs that met, last three months"),
            [m["label"] for m in board.met_months],
            [
                (_("Clubs that met"), [m["met"] for m in board.met_months]),
                (_("Active clubs"), [m["active"] for m in board.met_months]),
            ],
        ),
        _chart(
            "chart-reports",
            _("Monthly reports"),
            [_("Submitted"), _("Reviewed"), _("Approved"), _("Late or missing")],
            [
                (
                    _("Reports"),
                    [
                        t["reports_submitted"],
                        t["reports_reviewed"],
                        t["reports_approved"],
                        t["reports_late"],
                    ],
                )
            ],
        ),
        _chart(
            "chart-activities",
            _("Activities per area"),
            [a["activity_area__name"] for a in board.activities],
            [(_("Activities"), [a["n"] for a in board.activities])],
            horizontal=True,
        ),
        _chart(
            "chart-children",
            _("Members and active clubs"),
            [str(c["obj"]) for c in children],
            [
                (_("Members"), [c["figures"]["members"] for c in children]),
                (_("Active clubs"), [c["figures"]["clubs"] for c in children]),
            ],
            horizontal=True,
        ),
    ]


def _dashboard_vary(request: AuthenticatedHttpRequest, area: Area | None, when: str) -> str:
    """What a dashboard (or its sections) varies on besides its figures' version: the area,
    the period (or the day), the language and what the viewer may see."""
    return pagecache.dashboard_key(
        area.pk if area else "",
        when,
        get_language(),
        scoping.is_province_role(request.user),
        privacy.PageAccess(request.user).people,
    )[0]


def _dashboard(
    request: AuthenticatedHttpRequest, area: Area | None, period: Period
) -> HttpResponse:
    """The dashboard page; a cold one is drawn by one request at a time (``render_once``)."""
    context = _dashboard_context(request, area, period)
    fragment = pagecache.dashboard_key(context["dashboard_key"])[1]
    stale_key = make_template_fragment_key("dashboard_stale", [context["dashboard_vary"]])
    return pagecache.render_once(
        fragment,
        lambda: render(request, "reports/dashboard.html", context),
        # The same dashboard's last drawing, whatever its version: shown while a write's
        # new figures are being drawn by another request.
        stale_key=stale_key,
        render_stale=lambda html: render(
            request,
            "reports/dashboard.html",
            {**context, "drawn_before": mark_safe(html)},  # noqa: S308 - our own fragment
        ),
    )


def _dashboard_context(
    request: AuthenticatedHttpRequest, area: Area | None, period: Period
) -> dict[str, Any]:
    """The figures are computed only when the template needs them: not when the dashboard
    comes from the cache (see reports/pagecache.py)."""
    vary = _dashboard_vary(request, area, period.param)
    province_id = None if area is None else (area.province_id or area.pk)
    # A proxy that stands for the dashboard once it is first read.
    board = cast(
        selectors.Dashboard,
        SimpleLazyObject(
            lambda: selectors.dashboard(area=area, period=period, viewer=request.user)
        ),
    )
    return {
        "board": board,
        "area": area,
        "period": period,
        "t": SimpleLazyObject(lambda: board.totals),
        "charts": SimpleLazyObject(lambda: _charts(board)),
        "elders": SimpleLazyObject(
            lambda: elders_selectors.dashboard(viewer=request.user, area=area, day=period.today)
        ),
        "campaigns_board": SimpleLazyObject(
            lambda: campaigns_selectors.dashboard_section(area=area, viewer=request.user)
        ),
        "association_board": SimpleLazyObject(
            lambda: association_selectors.dashboard_section(
                area=area, viewer=request.user, today=period.today
            )
        ),
        # What the dashboard varies on; with its province's summary version, its cache key.
        "dashboard_vary": vary,
        "dashboard_key": pagecache.dashboard_key(vary, pagecache.summaries_version(province_id))[0],
        "sections_key": _dashboard_vary(request, area, period.today.isoformat()),
        "dashboard_cache_seconds": settings.ISHC_DASHBOARD_CACHE_SECONDS,
        "period_choices": periods.choices(period.today),
        "area_param": area.pk if area else "",
        "title": str(area) if area else _("Whole country"),
        "borrower_target": selectors.BORROWER_TARGET,
    }


@login_required
@require_safe
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Province staff land on their province, commune staff on their commune, leaders on
    their club, admins on the whole country (by province)."""
    user = request.user
    query = f"?period={request.GET['period']}" if request.GET.get("period") else ""
    if user.club_id and not scoping.is_admin(user):
        return redirect(reverse("reports:club", args=[user.club_id]) + query)
    if scoping.is_admin(user):
        return _dashboard(request, None, _period(request))
    _require_area_user(user)
    return redirect(reverse("reports:area", args=[user.area_id]) + query)


@login_required
@require_safe
def area_dashboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    area = _area(request, pk)
    return _dashboard(request, area, _period(request))


@login_required
@require_safe
def area_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The summary report as a printable page (the same figures as the workbook)."""
    area = _area(request, pk)
    context = _dashboard_context(request, area, _period(request))
    # Cached like the dashboard it prints (the same key: its province's figures and the
    # viewer's access), and drawn once when cold.
    fragment = make_template_fragment_key("print", [context["dashboard_key"]])
    return pagecache.render_once(fragment, lambda: render(request, "reports/print.html", context))


@login_required
@require_safe
def club_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One club's last twelve months (leaders see their own club here)."""
    club = scoping.get_for_user(
        Club.objects.select_related("commune", "commune__province"), request.user, pk=pk
    )
    rows = selectors.club_months(club=club)
    user = request.user
    chart = _chart(
        "chart-club",
        _("Members and attendance, last twelve months"),
        [month_label(r.ym) for r in rows],
        [
            (_("Members"), [privacy.shown_count(user, r.members) for r in rows]),
            (
                _("Present at meetings"),
                [privacy.shown_count(user, r.attendance_present) for r in rows],
            ),
        ],
    )
    return render(
        request,
        "reports/club.html",
        {
            "club": club,
            "rows": list(reversed(rows)),
            "charts": [chart],
            "title": club.name,
            "can_see_area": _is_area_user(request.user),
        },
    )


def _is_area_user(user: User) -> bool:
    try:
        _require_area_user(user)
    except Http404:
        return False
    return True


@login_required
@require_safe
def club_health(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Clubs that need help, ranked, with the reasons."""
    from members.models import CompositionTarget

    area = _area(request, request.GET.get("area"))
    period = _period(request)
    target = CompositionTarget.current()
    qs = selectors.club_health(viewer=request.user, area=area, period=period, target=target)
    return render(
        request,
        "reports/club_health.html",
        {
            "page_obj": paginate(request, qs),
            "area": area,
            "period": period,
            "period_choices": periods.choices(period.today),
            "target": target,
            "par_high": selectors.PAR_HIGH_PERCENT,
            "title": _("Clubs that need help"),
        },
    )


@login_required
@require_safe
def figure_list(request: AuthenticatedHttpRequest, figure: str) -> HttpResponse:
    """The clubs (or communes) behind one dashboard figure."""
    if figure not in fig.LABELS:
        raise Http404
    area = _area(request, request.GET.get("area"))
    period = _period(request)
    context: dict[str, Any] = {
        "area": area,
        "period": period,
        "figure": figure,
        "title": fig.LABELS[figure],
        "is_money": figure in fig.MONEY,
        "other_lists": fig.area_list_links(figure, area, period),
    }
    if figure == "communes_without_club":
        if area is None or area.level != Area.Level.PROVINCE:
            raise Http404
        context["page_obj"] = paginate(
            request, selectors.communes_without_club(area=area, period=period)
        )
        return render(request, "reports/commune_list.html", context)
    if figure not in selectors.LIST_FIGURES:
        raise Http404
    # The count from the summary rows in one index range; each page from the clubs' name
    # index, reading about the clubs it shows.
    page = keyset_page(
        request,
        selectors.figure_clubs(viewer=request.user, area=area, period=period, figure=figure),
        keys=selectors.FIGURE_LIST_KEYS,
        name=f"reports:figure_list:{figure}",
        count=selectors.figure_count(viewer=request.user, area=area, period=period, figure=figure),
    )
    # The lists behind a club's figure name people: not for viewers, who see the counts, and
    # a count of 1 to 4 people as "< 5".
    sensitive = privacy.may_see_people(request.user)
    people = figure in selectors.PEOPLE_FIGURES
    for row in page.object_list:
        row["list_url"] = fig.club_list_url(figure, row["club_id"], sensitive=sensitive)
        if people:
            row["value"] = privacy.shown_count(request.user, row["value"])
    context["page_obj"] = page
    return render(request, "reports/figure_list.html", context)


# --- exports --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for the summary workbook of an area and period; see the ones asked before."""
    _require_area_user(request.user)
    form = ExportForm(request.POST or None, user=request.user)
    if not request.GET.get("area") and request.user.area_id and not request.POST:
        form.initial["area"] = request.user.area_id
    if request.GET.get("area") and not request.POST:
        form.initial["area"] = request.GET["area"]
    form.initial.setdefault("period", request.GET.get("period") or _period(request).param)
    if request.method == "POST" and form.is_valid():
        # The area comes from the form's queryset, itself from the scoping door.
        job = services.export_request(
            area=form.cleaned_data["area"], period=form.cleaned_data["period"], by=request.user
        )
        messages.success(request, _("The summary is being prepared."))
        return redirect("reports:export_detail", pk=job.pk)
    jobs = _my_jobs(request.user).select_related("area")[:20]
    return render(
        request,
        "reports/export.html",
        {"form": form, "jobs": jobs, "title": _("Summary report for the central association")},
    )


def _my_jobs(user: User) -> Any:
    return scoping.for_user(ExportJob, user).filter(created_by=user)


def _job(request: AuthenticatedHttpRequest, pk: int) -> ExportJob:
    _require_area_user(request.user)
    return scoping.get_for_user(_my_jobs(request.user).select_related("area"), request.user, pk=pk)


@login_required
@require_safe
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "reports/export_detail.html", {"job": job, "title": _("Summary report")})


@login_required
@require_safe
def export_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress box alone, polled by htmx until the file is ready."""
    return render(request, "reports/_export_progress.html", {"job": _job(request, pk)})


@login_required
@require_safe
def export_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def start_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The start page: a to-do list of what waits for the user, each item a link to where it
    is done, then the places to go (``reports/todo.py``).

    It lives here, at the top of the apps, because it reads across them."""
    user = request.user
    totals = scoping.clubs_for(user).aggregate(
        clubs=Count("pk"),
        active=Count("pk", filter=Q(status=Club.Status.ACTIVE)),
    )
    context: dict[str, Any] = {"totals": totals, "my_club": None, "my_area": None}
    if user.club_id and not scoping.is_admin(user):
        club = scoping.get_for_user(Club.objects.select_related("commune"), user, pk=user.club_id)
        context["my_club"] = club
        context["leader"] = todo.leader_todo(club=club, viewer=user)
    elif scoping.effective_role(user) is not None:
        context["my_area"] = user.area
        context["staff"] = todo.staff_todo(viewer=user)
    return render(request, "reports/home.html", context)
