"""The staff's report inbox: filters (step, commune, month) and reviewing or approving many
reports at once, after a confirmation page that lists what will be locked.

Every report comes through ``accounts.scoping`` (another commune's or province's reports are
not in the list and cannot be posted: they are left out, as if they did not exist); a
read-only role posting gets 403; each report is moved by its own service call
(``report_review`` / ``report_approve``), so the history, the notifications and the lock are
exactly those of the single-report steps.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts import scoping
from accounts.confirm import confirm_or_do
from accounts.http import AuthenticatedHttpRequest
from accounts.once import once
from clubs.models import Area
from config.collation import by_name
from config.months import add_months
from config.pagination import keyset_page
from month import selectors as sel
from month import services as svc
from month.models import MonthlyReport

# How many reports one bulk step takes at most (a page of the inbox is 50 rows).
BULK_LIMIT = 100

Status = MonthlyReport.Status


class InboxFilter(forms.Form):
    """The inbox's filters; anything unknown is ignored (the list is then unfiltered)."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("all", gettext_lazy("All")), *Status.choices],
    )
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Commune/ward"),
        required=False,
        queryset=Area.objects.none(),
        empty_label=gettext_lazy("All"),
    )
    month = forms.ChoiceField(label=gettext_lazy("Month"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = (
            scoping.areas_for(user).filter(level=Area.Level.COMMUNE).order_by(*by_name("name"))
        )
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = communes
        first = timezone.localdate().replace(day=1)
        months = [add_months(first, -i) for i in range(24)]
        cast(forms.ChoiceField, self.fields["month"]).choices = [
            ("", _("All")),
            *((f"{d:%Y-%m}", f"{d:%m/%Y}") for d in months),
        ]


def _filtered(
    request: AuthenticatedHttpRequest,
) -> tuple[InboxFilter, QuerySet[MonthlyReport], str]:
    """The filter form and the reports it selects (by default those waiting for the user's
    step), and the status chosen ("" for all)."""
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = sel.waiting_status_for(request.user) or "all"
    form = InboxFilter(data, user=request.user)
    qs = sel.report_list(viewer=request.user)
    status = ""
    if form.is_valid():
        status = form.cleaned_data["status"] if form.cleaned_data["status"] != "all" else ""
        if status:
            qs = qs.filter(status=status)
        if form.cleaned_data["commune"]:
            qs = qs.filter(club__commune=form.cleaned_data["commune"])
        if form.cleaned_data["month"]:
            day = datetime.date.fromisoformat(form.cleaned_data["month"] + "-01")
            qs = qs.filter(year=day.year, month=day.month)
    return form, qs, status


def _bulk_step(user: Any, status: str) -> str | None:
    """The step this user may take on many reports of ``status`` at once, if any."""
    if not scoping.can_write(user):
        return None
    if status == Status.SUBMITTED and scoping.is_staff_role(user):
        return "review"
    if status == Status.REVIEWED and scoping.is_province_role(user):
        return "approve"
    return None


@login_required
def report_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reports in the user's scope, filtered by step, commune and month; by default those
    waiting for the user's step, which can be ticked and moved on together."""
    form, qs, status = _filtered(request)
    return render(
        request,
        "month/report_list.html",
        {
            "page_obj": keyset_page(
                request, qs, keys=sel.REPORT_LIST_KEYS, name="month:report_inbox"
            ),
            "filter_form": form,
            "status": status,
            "bulk_step": _bulk_step(request.user, status),
            "title": _("Monthly reports"),
        },
    )


@login_required
@require_POST
def report_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Review (commune) or approve (province) the ticked reports, after a confirmation page
    that names each of them and, for approval, the months that will be locked."""
    scoping.require_write(request.user)
    step = request.POST.get("step")
    if step == "review":
        needs, service = Status.SUBMITTED, svc.report_review
        if not scoping.is_staff_role(request.user):
            raise PermissionDenied
    elif step == "approve":
        needs, service = Status.REVIEWED, svc.report_approve
        if not scoping.is_province_role(request.user):
            raise PermissionDenied
    else:
        return redirect("month:report_inbox")
    ids = [int(pk) for pk in request.POST.getlist("report") if pk.isdigit()][:BULK_LIMIT]
    # Through the door: a report of another area is simply not among these.
    reports = list(
        scoping.for_user(MonthlyReport, request.user)
        .filter(pk__in=ids, status=needs)
        .select_related("club", "club__commune")
        .order_by(*by_name("club__commune__name", "club__name"), "year", "month")
    )
    inbox = reverse("month:report_inbox") + f"?status={needs}"
    if not reports:
        messages.error(request, _("Tick at least one report waiting for this step."))
        return redirect(inbox)

    def lines() -> list[str]:
        return [f"{r.club.name} ({r.club.commune}) — {r.period}" for r in reports]

    def do() -> list[MonthlyReport]:
        done = []
        for report in reports:
            try:
                done.append(service(report=report, by=request.user))
            except svc.MonthError:
                continue  # moved on by someone else meanwhile: left as it is
        return done

    if step == "approve":
        title = ngettext("Approve %(n)s report?", "Approve %(n)s reports?", len(reports)) % {
            "n": len(reports)
        }
        will = [
            *lines(),
            _(
                "These clubs' months will be locked: their meetings, activities, visits and "
                "fund entries of those months can no longer change, unless the province "
                "reopens a month."
            ),
        ]
        action = _("Approve and lock")
    else:
        title = ngettext("Review %(n)s report?", "Review %(n)s reports?", len(reports)) % {
            "n": len(reports)
        }
        will = [
            *lines(),
            _("They go to the province for approval; the clubs can no longer change them."),
        ]
        action = _("Review and pass on")
    return confirm_or_do(
        request,
        title=title,
        will=will,
        action=action,
        cancel_url=inbox,
        danger=step == "approve",
        do=lambda: once(
            request,
            save=do,
            success=lambda done: (
                ngettext("%(n)s report moved on.", "%(n)s reports moved on.", len(done))
                % {"n": len(done)}
            ),
            next_url=inbox,
        ),
    )
