"""Committing a checked member import: every row of the job, or none.

Run at once for a small file (``imports.import_start``) or by the Celery task for a large
one (``tasks.run_member_import``); kept apart from the preview so the task does not import the
module that enqueues it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from clubs.models import Club
from config.text import fold
from members.models import ImportJob, Member
from members.services import MembersError

if TYPE_CHECKING:
    from accounts.models import User

BATCH = 500


def existing_keys(club: Club) -> dict[tuple[str, int], str]:
    """(folded name, year of birth) -> name of the club's current members (one query)."""
    return {
        (search_name, year): name
        for search_name, year, name in Member.objects.filter(
            club=club, left_on__isnull=True
        ).values_list("search_name", "birth_year", "full_name")
    }


def import_run(*, job_id: int) -> None:
    """The Celery task's body: claims a queued job (safe to run twice) and commits it."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    try:
        with transaction.atomic():
            # The job's row stays locked until the members are in: the stale-job sweep skips
            # a locked job (its worker is alive) and marks failed only one whose worker died
            # (its transaction, and the lock, ended with the connection).
            job = (
                ImportJob.objects.select_for_update(of=("self",))
                .select_related("club", "created_by")
                .get(pk=job_id)
            )
            if job.status != ImportJob.Status.RUNNING:
                return  # marked failed meanwhile; it may be run again from the page
            commit(job, by=job.created_by)
    except MembersError as exc:
        import_fail(job_id=job_id, message=" ".join(exc.messages))


def import_fail(*, job_id: int, message: str) -> None:
    """Marks a queued or running job failed (nothing was added: the commit is all or none)."""
    ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).update(status=ImportJob.Status.FAILED, message=message[:500], finished_at=timezone.now())


def import_fail_stale(*, now: datetime.datetime | None = None, job_id: int | None = None) -> int:
    """Jobs queued or running for longer than ``ISHC_IMPORT_STALE_MINUTES`` lost their task or
    their worker: mark them failed, so the page says so and the job can be run again.

    The limit is longer than the task's hard time limit, so a live worker has been stopped by
    then; on PostgreSQL a job whose row is locked (its commit is still running) is skipped
    anyway. Returns how many were marked.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.ISHC_IMPORT_STALE_MINUTES)
    stale = ImportJob.objects.filter(
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).filter(Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff))
    if job_id is not None:
        stale = stale.filter(pk=job_id)
    with transaction.atomic():
        ids = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
        if not ids:
            return 0
        return ImportJob.objects.filter(
            pk__in=ids, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
        ).update(
            status=ImportJob.Status.FAILED,
            message=_(
                "The import stopped before it finished (the server doing it was interrupted): "
                "nothing was added. Run it again."
            ),
            finished_at=now,
        )


def progress_key(job_id: int) -> str:
    return f"members:import:{job_id}:progress"


def job_progress(job: ImportJob) -> int:
    """Rows done: while the import's transaction runs, its progress lives in the cache."""
    if job.status == ImportJob.Status.RUNNING:
        return max(job.progress, int(cache.get(progress_key(job.pk)) or 0))
    return job.progress


def commit(job: ImportJob, *, by: User | None) -> None:
    """Adds every row of the job, or none (the caller holds the transaction)."""
    club = job.club
    existing = existing_keys(club)
    clashes = [r for r in job.rows if (fold(r["full_name"]), r["birth_year"]) in existing]
    if clashes:
        # Someone added the same people since the preview: refuse all, as promised.
        raise MembersError(
            _(
                "Nothing was imported: %(n)s members of the file were added to the club since "
                "the check (for example %(name)s)."
            )
            % {"n": len(clashes), "name": clashes[0]["full_name"]}
        )
    today = timezone.localdate()
    done = 0
    for start in range(0, len(job.rows), BATCH):
        batch = [_member(club, r, by=by, today=today) for r in job.rows[start : start + BATCH]]
        bulk_create_with_history(batch, Member, batch_size=BATCH, default_user=by)
        done += len(batch)
        cache.set(progress_key(job.pk), done, timeout=3600)
    job.status = ImportJob.Status.DONE
    job.progress = job.total
    job.created_count = done
    job.rows = []  # the members are in the register now; keep no second copy
    job.finished_at = timezone.now()
    job.message = ""
    job.save()


def _member(club: Club, row: dict[str, Any], *, by: User | None, today: datetime.date) -> Member:
    birth_date = datetime.date.fromisoformat(row["birth_date"]) if row["birth_date"] else None
    consent_on = datetime.date.fromisoformat(row["consent_on"]) if row["consent_on"] else None
    joined_on = datetime.date.fromisoformat(row["joined_on"]) if row["joined_on"] else today
    return Member(
        club=club,
        full_name=row["full_name"],
        search_name=fold(row["full_name"]),
        sex=row["sex"],
        birth_date=birth_date,
        birth_year=row["birth_year"],
        ethnicity=row["ethnicity"],
        phone=row["phone"],
        village=row["village"] or club.village,
        household_status=row["household_status"],
        has_disability=row["has_disability"],
        needs_care=row["needs_care"],
        lives_alone=row["lives_alone"],
        has_health_insurance=row["has_health_insurance"],
        is_volunteer=row["is_volunteer"],
        joined_on=joined_on,
        consent_on=consent_on,
        consent_method=row["consent_method"] if consent_on else "",
        consent_recorded_by=by if consent_on else None,
    )
