"""Background work of the reports app.

- ``refresh_summaries`` (every minute, django-celery-beat, migration 0002): recompute the
  (club, month) summaries marked dirty (with their year rows and the clubs' compositions),
  start the new month's rows, redo the year rows the date made out of date and the
  compositions a birthday changed;
- ``rebuild_recent_summaries`` (nightly): recompute the last 3 months of every club, the
  safety net for writes that bypass signals;
- ``build_export``: one summary workbook, enqueued with ``transaction.on_commit``;
- ``compile_periodic_report``: the annex of a report upward, likewise.
"""

from __future__ import annotations

from celery import shared_task

from members import composition
from reports import exports, periodic, summary


@shared_task(name="reports.tasks.refresh_summaries", time_limit=300, soft_time_limit=280)
def refresh_summaries() -> dict[str, int]:
    started = summary.ensure_current_month()
    result = summary.recompute_dirty()
    years = summary.refresh_years()
    birthdays = composition.refresh_due()
    return {
        "started": started,
        "pairs": result.pairs,
        "clubs": result.clubs,
        "years": years,
        "compositions": birthdays,
    }


@shared_task(name="reports.tasks.rebuild_recent_summaries", time_limit=3600, soft_time_limit=3500)
def rebuild_recent_summaries() -> int:
    return summary.rebuild(months=3, wipe=False)


@shared_task(name="reports.tasks.build_export", time_limit=900, soft_time_limit=850)
def build_export(job_id: int) -> bool:
    return exports.export_build(job_id=job_id)


@shared_task(name="reports.tasks.compile_periodic_report", time_limit=900, soft_time_limit=850)
def compile_periodic_report(report_id: int) -> bool:
    return periodic.compile_run(report_id=report_id)
