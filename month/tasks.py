"""Background work for clubs: keep every club's planned meetings three months ahead.

Scheduled nightly by django-celery-beat (data migration ``0005_meeting_schedule_task``);
idempotent, so running it twice or late does no harm.
"""

from celery import shared_task

from month.services import meetings_plan


@shared_task(name="month.tasks.plan_meetings", time_limit=1800, soft_time_limit=1700)
def plan_meetings() -> dict[str, int]:
    result = meetings_plan()
    return {"created": result.created, "updated": result.updated, "removed": result.removed}
