"""Background work of the member register."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

from members.import_commit import import_fail, import_fail_stale, import_run


@shared_task(time_limit=600, soft_time_limit=570)
def run_member_import(job_id: int) -> None:
    """Adds the members of a large checked import (all or none). Safe to run twice."""
    try:
        import_run(job_id=job_id)
    except SoftTimeLimitExceeded:
        # The transaction was rolled back: nothing was added, the rows are still in the job.
        import_fail(
            job_id=job_id,
            message=_("The import took too long and was stopped: nothing was added."),
        )
        raise


@shared_task(name="members.fail_stale_imports", ignore_result=True)
def fail_stale_imports() -> int:
    """Periodic (every 5 minutes): imports whose task or worker was lost are marked failed."""
    return import_fail_stale()


@shared_task(name="members.build_member_export", time_limit=900, soft_time_limit=850)
def build_member_export(job_id: int) -> bool:
    """Writes the .xlsx of a commune's or province's register (``members.exports``)."""
    from members.exports import export_build

    return export_build(job_id=job_id)
