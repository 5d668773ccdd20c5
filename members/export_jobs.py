"""Asking for a member export built in the background (``members.exports`` builds it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from clubs.models import Area
from config.tasks import enqueue_on_commit
from members.models import MemberExportJob
from members.tasks import build_member_export

if TYPE_CHECKING:
    from accounts.models import User


def export_request(*, area: Area, query: str, by: User) -> MemberExportJob:
    """Record the request for an area's register with the list's search and filters
    (``query``, a query string) and build the file in the background once committed."""
    with transaction.atomic():
        job = MemberExportJob.objects.create(area=area, query=query[:1000], created_by=by)
        enqueue_on_commit(build_member_export, job.pk)
    return job
