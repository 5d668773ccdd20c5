"""Writes of the reports app: asking for an export, and building it."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from clubs.models import Area
from reports import selectors
from reports.exports import write_workbook
from reports.models import ExportJob
from reports.periods import Period


def export_request(*, area: Area, period: Period, by: Any) -> ExportJob:
    """Record the request and build the file in the background once it is committed."""
    from reports.tasks import build_export

    with transaction.atomic():
        job = ExportJob.objects.create(
            area=area, year=period.year, month=period.month, created_by=by
        )
        transaction.on_commit(lambda: build_export.delay(job.pk))
    return job


def export_build(*, job_id: int) -> bool:
    """Build a queued export. Claims it with a conditional UPDATE, so running it twice (a
    retried task) builds it once. Returns whether this call built it."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, progress=0
    )
    if not claimed:
        return False
    job = ExportJob.objects.select_related("area").get(pk=job_id)
    try:
        period = Period(job.year, job.month, timezone.localdate())
        board = selectors.dashboard(area=job.area, period=period)

        def progress(percent: int) -> None:
            ExportJob.objects.filter(pk=job_id).update(progress=min(percent, 99))

        buf = io.BytesIO()
        write_workbook(board, buf, progress)
        name = f"{slugify(job.area.name) or 'area'}-{job.period_param}.xlsx"
        job.file.save(name, ContentFile(buf.getvalue()), save=False)
        job.status = ExportJob.Status.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "progress", "finished_at"])
    except Exception as exc:
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, message=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    return True
