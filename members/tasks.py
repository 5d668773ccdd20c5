"""Background work of the member register."""

from celery import shared_task

from members.import_commit import import_run


@shared_task(time_limit=600, soft_time_limit=570)
def run_member_import(job_id: int) -> None:
    """Adds the members of a large checked import (all or none). Safe to run twice."""
    import_run(job_id=job_id)
