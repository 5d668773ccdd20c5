"""Pages for data-subject requests: what is held about a person, their copy (Excel, JSON),
anonymisation, and the request log. Association staff and admins only: outside their area the
member does not exist (404), a club's leader or a viewer gets 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import privacy as declaration
from accounts import scoping
from accounts.http import AuthenticatedHttpRequest
from config.ui import errors_to_form, paginate
from members.models import Member
from privacy import exports, selectors, services
from privacy.forms import AnonymiseForm, RequestForm
from privacy.models import DataSubjectRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _person(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Member:
    """The member through the door (404 outside the user's area), then staff only (403)."""
    member = scoping.get_for_user(
        Member.objects.select_related("club"), request.user, pk=pk, write=write
    )
    if not scoping.is_staff_role(request.user):
        raise PermissionDenied
    return member


def _data_page(
    request: AuthenticatedHttpRequest, member: Member, form: RequestForm
) -> HttpResponse:
    data = selectors.person_data(member=member, viewer=request.user)
    return render(
        request,
        "privacy/member_data.html",
        {
            "title": _("Personal data held"),
            "subtitle": member.full_name,
            "member": member,
            "club": member.club,
            "data": data,
            "form": form,
            "anonymised": selectors.is_anonymised(member),
            "requests": selectors.request_list(viewer=request.user).filter(
                member__in=[m.pk for m in data.records]
            ),
        },
    )


@login_required
@require_safe
def member_data(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What is held about the person, by topic; where to correct it; their copy; anonymise."""
    member = _person(request, pk)
    return _data_page(request, member, RequestForm())


def _export(request: AuthenticatedHttpRequest, pk: int, file_format: str) -> HttpResponse:
    member = _person(request, pk)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _data_page(request, member, form)
    data = selectors.person_data(member=member, viewer=request.user)
    if file_format == DataSubjectRequest.Format.XLSX:
        content, content_type = exports.workbook(data), XLSX
    else:
        content, content_type = exports.json_document(data), "application/json"
    rows = sum(count for _k, _t, count in data.counts)
    try:
        services.export_log(
            member=member,
            file_format=file_format,
            outcome=_("Copy handed out: %(records)s record(s), %(rows)s row(s).")
            % {"records": len(data.records), "rows": rows},
            by=request.user,
            **form.cleaned_data,
        )
    except ValidationError as exc:
        errors_to_form(form, exc)
        return _data_page(request, member, form)
    # The copy holds the person's health and other sensitive data: the access log says who
    # downloaded it (besides the request log, which says who asked for it and why).
    declaration.note_access(
        request, member, declaration.SENSITIVE, kind=declaration.DOWNLOAD, count=1
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"du-lieu-ca-nhan-{member.pk}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def export_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The person's copy as a workbook, one sheet per topic; the request is logged."""
    return _export(request, pk, DataSubjectRequest.Format.XLSX)


@login_required
@require_POST
def export_json(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The person's copy as JSON (machine-readable); the request is logged."""
    return _export(request, pk, DataSubjectRequest.Format.JSON)


@login_required
def anonymise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Says what anonymisation will do and asks for the reason, who asked and a confirmation;
    a plain form POST carries it out."""
    member = _person(request, pk, write=True)
    anonymised = selectors.is_anonymised(member)
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and not anonymised and form.is_valid():
        d = form.cleaned_data
        try:
            services.person_anonymise(
                member=member,
                reason=d["reason"],
                asked_by=d["asked_by"],
                asked_by_detail=d["asked_by_detail"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request, _("The person's data were anonymised; the request is in the log.")
            )
            return redirect("privacy:member_data", pk=member.pk)
    context: dict[str, Any] = {
        "title": _("Anonymise the person's data"),
        "subtitle": member.full_name,
        "member": member,
        "club": member.club,
        "form": form,
        "anonymised": anonymised,
        "data": None if anonymised else selectors.person_data(member=member, viewer=request.user),
    }
    return render(request, "privacy/anonymise.html", context)


@login_required
@require_safe
def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The log of data-subject requests about members of the user's area, newest first."""
    if not scoping.is_staff_role(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    if kind not in DataSubjectRequest.Kind.values:
        kind = ""
    return render(
        request,
        "privacy/request_list.html",
        {
            "title": _("Personal data requests"),
            "page_obj": paginate(request, selectors.request_list(viewer=request.user, kind=kind)),
            "kind": kind,
            "kinds": DataSubjectRequest.Kind.choices,
        },
    )
