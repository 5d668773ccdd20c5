"""The member register of a commune or province as .xlsx, built by a Celery worker.

A province's register is tens of thousands of rows (60,000 in the largest province at the
national scale): written in the request it held a web worker for 15–25 s. Up to
``settings.ISHC_MEMBER_EXPORT_INLINE_ROWS`` rows the download is still made in the request
(``members.views.area_export``); above, ``members.export_jobs.export_request`` records a
``MemberExportJob`` and this module (the task's body) builds its file, reporting progress as
it goes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from accounts import privacy
from members import selectors
from members.excel import export_workbook
from members.models import Member, MemberExportJob

PROGRESS_EVERY = 2000


def export_build(*, job_id: int) -> bool:
    """Build a queued export. Claims it with a conditional UPDATE, so a retried task builds
    it once. Returns whether this call built it."""
    claimed = MemberExportJob.objects.filter(
        pk=job_id, status=MemberExportJob.Status.QUEUED
    ).update(status=MemberExportJob.Status.RUNNING, progress=0)
    if not claimed:
        return False
    job = MemberExportJob.objects.select_related("area", "created_by").get(pk=job_id)
    try:
        # The rows and the columns as the person who asked may see them (accounts.privacy).
        viewer = job.created_by
        qs = selectors.area_export_members(area=job.area, viewer=viewer, query=job.query)
        total = qs.count()
        MemberExportJob.objects.filter(pk=job_id).update(total=total)

        def counted(rows: QuerySet[Member]) -> Iterator[Member]:
            for n, member in enumerate(rows.iterator(chunk_size=2000), start=1):
                if n % PROGRESS_EVERY == 0:
                    MemberExportJob.objects.filter(pk=job_id).update(progress=n)
                yield member

        buf = io.BytesIO()
        export_workbook(
            counted(qs), hidden=privacy.hidden_fields(viewer, "members.Member"), out=buf
        )
        name = f"thanh-vien-{slugify(job.area.code) or 'area'}-{job.pk}.xlsx"
        job.file.save(name, ContentFile(buf.getvalue()), save=False)
        job.status = MemberExportJob.Status.DONE
        job.total = total
        job.progress = total
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "total", "progress", "finished_at"])
    except Exception as exc:
        MemberExportJob.objects.filter(pk=job_id).update(
            status=MemberExportJob.Status.FAILED,
            message=str(exc)[:500],
            finished_at=timezone.now(),
        )
        raise
    return True
