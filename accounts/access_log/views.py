"""The access log page: who viewed whose sensitive data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access_log import selectors
from accounts.access_log.forms import AccessLogFilterForm
from accounts.http import AuthenticatedHttpRequest
from config.ui import paginate


@login_required
@require_safe
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Provincial staff read the accesses to people of their province, admins every access;
    anyone else 403. A person asked for outside the reader's scope is 404."""
    if not selectors.may_read_access_log(request.user):
        raise PermissionDenied
    form = AccessLogFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    person = None
    if data.get("member"):
        person = selectors.access_log_person(viewer=request.user, pk=data["member"])
    entries = selectors.access_log_entries(
        viewer=request.user,
        who=data.get("who") or "",
        person=person,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    page = paginate(request, entries)
    return render(
        request,
        "accounts/access_log.html",
        {
            "title": _("Access log of sensitive data"),
            "filter_form": form,
            "person": person,
            "page_obj": page,
            "rows": [
                (entry, selectors.CATEGORY_LABELS.get(entry.category, entry.category))
                for entry in page
            ],
        },
    )
