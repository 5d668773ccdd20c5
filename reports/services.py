"""Writes of the reports app: asking for an export (built by ``exports.export_build``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from clubs.models import Area
from config.tasks import enqueue_on_commit
from reports.models import ExportJob
from reports.periods import Period
from reports.tasks import build_export

if TYPE_CHECKING:
    from accounts.models import User


def export_request(*, area: Area, period: Period, by: User) -> ExportJob:
    """Record the request and build the file in the background once it is committed."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            area=area, year=period.year, month=period.month, created_by=by
        )
        enqueue_on_commit(build_export, job.pk)
    return job
