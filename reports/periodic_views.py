"""Pages of the reports upward: the list, a new report, the report with its annex and steps,
its narrative, the steps of the chain, and the printable page, Word file and workbook.

Who sees a report: the door (``accounts.scoping``, ``PeriodicReport.scope_area_path``): the
staff and viewers of its commune or province, and admins; another area answers 404, club
leaders have no area pages (404). Who writes and who reviews: ``periodic_services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import privacy, scoping
from accounts.confirm import confirm_or_do
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role
from accounts.once import once
from clubs.models import Area
from config.collation import by_name
from config.ui import errors_to_form, paginate
from reports import periodic_outputs as outputs
from reports import periodic_services as services
from reports.models import PeriodicReport
from reports.periodic_forms import CommentForm, NarrativeForm, PeriodicCreateForm, writable_areas


def _require_area_user(request: AuthenticatedHttpRequest) -> None:
    role = scoping.effective_role(request.user)
    if role == Role.ADMIN:
        return
    user = request.user
    if role in (Role.PROVINCE, Role.COMMUNE, Role.VIEWER) and user.area_id and not user.club_id:
        return
    raise Http404


def _report(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> PeriodicReport:
    _require_area_user(request)
    return scoping.get_for_user(
        PeriodicReport.objects.select_related("area", "area__province", "submitted_by"),
        request.user,
        pk=pk,
        write=write,
    )


def _detail_url(report: PeriodicReport) -> str:
    return reverse("reports:periodic_detail", args=[report.pk])


@login_required
@require_safe
def periodic_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_area_user(request)
    qs = scoping.for_user(PeriodicReport, request.user).select_related("area")
    kind, state, year = (request.GET.get(k, "") for k in ("kind", "state", "year"))
    if kind in PeriodicReport.Kind.values:
        qs = qs.filter(kind=kind)
    if state in PeriodicReport.State.values:
        qs = qs.filter(state=state)
    if year.isdigit() and 2000 <= int(year) <= 2100:
        qs = qs.filter(year=int(year))
    page = paginate(
        request, qs.order_by("-year", "-half", "area__level", *by_name("area__name"), "pk")
    )
    today = timezone.localdate()
    rows = [
        {"report": r, "late": services.is_late(r, services.due_on(r), today)}
        for r in page.object_list
    ]
    return render(
        request,
        "reports/periodic/list.html",
        {
            "title": _("Reports upward"),
            "page_obj": page,
            "rows": rows,
            "kinds": PeriodicReport.Kind.choices,
            "states": PeriodicReport.State.choices,
            "can_create": writable_areas(request.user).exists(),
            "filters": {"kind": kind, "state": state, "year": year},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def periodic_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_area_user(request)
    scoping.require_write(request.user)
    if not writable_areas(request.user).exists():
        raise PermissionDenied
    form = PeriodicCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            return once(
                request,
                save=lambda: services.report_create(
                    area=data["area"],
                    kind=data["kind"],
                    year=data["year"],
                    half=data["half"],
                    by=request.user,
                ),
                success=_("The report was started; its figures are being compiled."),
                next_url=_detail_url,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("New report upward"),
            "subtitle": _(
                "The statistical annex is compiled from the records; you write the narrative."
            ),
            "submit_label": _("Start the report"),
        },
    )


def _coverage(report: PeriodicReport) -> list[dict[str, Any]] | None:
    """For a province's report: each commune's report of the same period (two queries)."""
    if report.area.level != Area.Level.PROVINCE:
        return None
    communes = Area.objects.filter(
        level=Area.Level.COMMUNE, active=True, province_id=report.area_id
    ).order_by(*by_name("name"), "pk")
    theirs = {
        r.area_id: r
        for r in PeriodicReport.objects.filter(
            area__province_id=report.area_id,
            area__level=Area.Level.COMMUNE,
            kind=report.kind,
            year=report.year,
            half=report.half,
        )
    }
    today = timezone.localdate()
    out = []
    for commune in communes:
        theirs_report = theirs.get(commune.pk)
        if theirs_report is not None:
            theirs_report.area = commune
        due = services.due_date(Area.Level.COMMUNE, report.kind, report.year, report.half)
        out.append(
            {
                "area": commune,
                "report": theirs_report,
                "late": services.is_late(theirs_report, due, today),
            }
        )
    return out


@login_required
@require_safe
def periodic_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    coverage = _coverage(report)
    user = request.user
    return render(
        request,
        "reports/periodic/detail.html",
        {
            "title": str(report),
            "report": report,
            "blocks": outputs.blocks(report.annex, user),
            "narrative": outputs.narrative(report, user),
            "steps": report.steps.select_related("by").order_by("at", "pk"),
            "coverage": coverage,
            "accepted_communes": sum(
                1 for c in coverage or [] if c["report"] and c["report"].is_locked
            ),
            "due": services.due_on(report),
            "late": services.is_late(report, services.due_on(report), timezone.localdate()),
            "sees_people": privacy.may_see_people(user),
            "writes": scoping.can_write(user) and services.writes(report, user),
            "reviews": scoping.can_write(user) and services.reviews(report, user),
            "changes": [
                {**c, "label": outputs.periodic.label_of(c["section"], c)} for c in report.changes
            ],
        },
    )


@login_required
@require_safe
def periodic_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The compiling box alone, polled by htmx until the figures are ready."""
    return render(request, "reports/periodic/_progress.html", {"report": _report(request, pk)})


@login_required
@require_http_methods(["GET", "POST"])
def periodic_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, write=True)
    if not services.writes(report, request.user):
        raise PermissionDenied
    form = NarrativeForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_save(report=report, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The narrative was saved."))
            return redirect(_detail_url(report))
    figures = [line for block in outputs.blocks(report.annex, request.user) for line in block.lines]
    return render(
        request,
        "reports/periodic/edit.html",
        {"form": form, "report": report, "title": _("Write the report"), "figures": figures},
    )


def _act(request: AuthenticatedHttpRequest, report: PeriodicReport, func: Any, ok: str) -> Any:
    try:
        func()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, ok)
    return redirect(_detail_url(report))


@login_required
@require_POST
def periodic_compile(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, write=True)
    return _act(
        request,
        report,
        lambda: services.compile_request(report=report, by=request.user),
        _("The figures are being compiled again; what changed will be listed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def periodic_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, write=True)
    if not services.writes(report, request.user):
        raise PermissionDenied
    level_above = (
        _("the central association")
        if report.area.level == Area.Level.PROVINCE
        else _("the provincial association")
    )
    return confirm_or_do(
        request,
        title=_("Submit this report?"),
        will=[
            _("The report goes to %(above)s for review.") % {"above": level_above},
            _("You cannot change it any more unless it is returned to you."),
        ],
        warnings=services.missing_for_submission(report),
        action=_("Submit the report"),
        cancel_url=_detail_url(report),
        danger=False,
        do=lambda: _act(
            request,
            report,
            lambda: services.report_submit(report=report, by=request.user),
            _("The report was submitted."),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def periodic_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, write=True)
    if not services.reviews(report, request.user):
        raise PermissionDenied
    return confirm_or_do(
        request,
        title=_("Accept this report?"),
        will=[
            _("The report of %(area)s for %(period)s is accepted and locked.")
            % {"area": report.area, "period": report.period_label},
            _("Its figures stay as they are now; reopening it is recorded with a reason."),
        ],
        action=_("Accept the report"),
        cancel_url=_detail_url(report),
        do=lambda: _act(
            request,
            report,
            lambda: services.report_accept(report=report, by=request.user),
            _("The report was accepted."),
        ),
    )


def _with_comment(
    request: AuthenticatedHttpRequest, pk: int, func: Any, ok: str, title: str, button: str
) -> HttpResponse:
    report = _report(request, pk, write=True)
    if not services.reviews(report, request.user):
        raise PermissionDenied
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            func(report, request.user, form.cleaned_data["comment"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, ok)
            return redirect(_detail_url(report))
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": title, "subtitle": str(report), "submit_label": button},
    )


@login_required
@require_http_methods(["GET", "POST"])
def periodic_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _with_comment(
        request,
        pk,
        lambda report, by, text: services.report_return(report=report, by=by, comment=text),
        _("The report was returned with your comment."),
        _("Return the report"),
        _("Return with this comment"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def periodic_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _with_comment(
        request,
        pk,
        lambda report, by, text: services.report_reopen(report=report, by=by, reason=text),
        _("The report was reopened and returned to its writers."),
        _("Reopen an accepted report"),
        _("Reopen with this reason"),
    )


@login_required
@require_safe
def periodic_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    upper, unit = outputs.issuer(report.area)
    return render(
        request,
        "reports/periodic/print.html",
        {
            "report": report,
            "title": outputs.title(report),
            "issuer_upper": upper,
            "issuer_unit": unit,
            "place": (report.area.province or report.area).name,
            "narrative": outputs.narrative(report, request.user),
            "blocks": outputs.blocks(report.annex, request.user),
        },
    )


def _file(report: PeriodicReport, content: bytes, ext: str, mime: str) -> HttpResponse:
    name = f"{slugify(report.area.name) or 'area'}-{report.kind}-{report.year}"
    if report.half:
        name += f"-{report.half}"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return response


@login_required
@require_safe
def periodic_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return _file(
        report,
        outputs.document(report, request.user),
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@login_required
@require_safe
def periodic_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return _file(
        report,
        outputs.workbook(report, request.user),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
