"""Importing members from Excel: check every row, show the problems, then add all or none.

1. ``import_prepare`` reads the upload, checks every row and stores the cleaned rows and their
   problems in an ``ImportJob`` (JSON in the database: no uploaded file is kept on disk).
2. The preview page lists the problems in Vietnamese. Only a job without problems can be
   committed.
3. ``import_start`` commits it: at most ``ASYNC_THRESHOLD`` rows at once in the request,
   more in a Celery task (enqueued after commit) whose progress the page polls.
4. ``import_run`` checks the duplicates again and adds all rows in one transaction.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.models import Club
from config.tasks import enqueue_on_commit
from config.text import fold
from members.ethnicities import match_ethnicity
from members.excel import (
    CONSENT_WORDS,
    HOUSEHOLD_WORDS,
    SEX_WORDS,
    YES_WORDS,
    ImportFileError,
    read_sheet,
)
from members.import_commit import (
    commit,
    existing_keys,
    import_fail_stale,
    import_run,
    job_progress,
)
from members.models import ImportJob
from members.phones import PhoneError, normalise_phone
from members.services import MembersError
from members.tasks import run_member_import

if TYPE_CHECKING:
    from accounts.models import User

ASYNC_THRESHOLD = 500
_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> datetime.date | None:
    """A cell as a date: a real Excel date, dd/mm/yyyy text or yyyy-mm-dd; None if empty.

    Raises ValueError for anything else.
    """
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    if m := _DMY.match(text):
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    if m := _ISO.match(text):
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


def _flag(value: Any) -> bool | None:
    text = fold(_text(value))
    if not text:
        return False
    return YES_WORDS.get(text)


def clean_row(raw: dict[str, Any], *, today: datetime.date) -> tuple[dict[str, Any], list[str]]:
    """One row checked: (values ready for a Member, problems in the user's language)."""
    problems: list[str] = []
    out: dict[str, Any] = {"row": raw["row"]}
    name = " ".join(_text(raw.get("full_name")).split())
    if not name:
        problems.append(_("Missing full name."))
    elif len(name) > 120:
        problems.append(_("The name is longer than 120 characters."))
    out["full_name"] = name[:120]
    sex_text = _text(raw.get("sex"))
    out["sex"] = SEX_WORDS.get(fold(sex_text), "")
    if not out["sex"]:
        problems.append(_("Sex must be “Nam” or “Nữ” (found “%(value)s”).") % {"value": sex_text})

    birth_date = birth_year = None
    bad_date = False
    try:
        birth_date = _date(raw.get("birth_date"))
    except ValueError:
        bad_date = True
        problems.append(
            _("Bad date of birth “%(value)s”: write it as dd/mm/yyyy.")
            % {"value": _text(raw.get("birth_date"))}
        )
    year_text = _text(raw.get("birth_year"))
    if year_text:
        if year_text.isdigit() and 1900 <= int(year_text) <= today.year:
            birth_year = int(year_text)
        else:
            problems.append(_("Bad year of birth “%(value)s”.") % {"value": year_text})
    if birth_date:
        if birth_date > today or birth_date.year < 1900:
            problems.append(
                _("Bad date of birth “%(value)s”: it is not a possible date of birth.")
                % {"value": birth_date.strftime("%d/%m/%Y")}
            )
        elif birth_year and birth_year != birth_date.year:
            problems.append(_("The year of birth does not match the date of birth."))
        birth_year = birth_date.year
    elif not birth_year and not bad_date:
        problems.append(_("Missing date of birth or year of birth."))
    out["birth_date"] = birth_date.isoformat() if birth_date else None
    out["birth_year"] = birth_year

    ethnicity_text = _text(raw.get("ethnicity"))
    out["ethnicity"] = ""
    if ethnicity_text:
        found = match_ethnicity(ethnicity_text)
        if found:
            out["ethnicity"] = found
        else:
            problems.append(
                _("Unknown ethnicity “%(value)s”: use one of the 54 official groups.")
                % {"value": ethnicity_text}
            )
    phone_text = _text(raw.get("phone"))
    try:
        out["phone"] = normalise_phone(phone_text)
    except PhoneError:
        out["phone"] = ""
        problems.append(_("Bad phone number “%(value)s”.") % {"value": phone_text})
    out["village"] = _text(raw.get("village"))[:200]
    household_text = _text(raw.get("household_status"))
    out["household_status"] = ""
    if household_text:
        out["household_status"] = HOUSEHOLD_WORDS.get(fold(household_text), "")
        if not out["household_status"]:
            problems.append(
                _("Household status must be Nghèo, Cận nghèo or Không nghèo (found “%(value)s”).")
                % {"value": household_text}
            )
    for key in (
        "has_disability",
        "needs_care",
        "lives_alone",
        "has_health_insurance",
        "is_volunteer",
    ):
        flag = _flag(raw.get(key))
        if flag is None:
            problems.append(
                _("Write “Có” or “Không” (found “%(value)s”).") % {"value": _text(raw.get(key))}
            )
            flag = False
        out[key] = flag
    for key, label in (("joined_on", _("date of joining")), ("consent_on", _("date of consent"))):
        try:
            day = _date(raw.get(key))
        except ValueError:
            problems.append(
                _("Bad %(what)s “%(value)s”: write it as dd/mm/yyyy.")
                % {"what": label, "value": _text(raw.get(key))}
            )
            day = None
        if day and day > today:
            problems.append(_("The %(what)s cannot be in the future.") % {"what": label})
        out[key] = day.isoformat() if day else None
    method_text = _text(raw.get("consent_method"))
    out["consent_method"] = CONSENT_WORDS.get(fold(method_text), "") if method_text else ""
    if method_text and not out["consent_method"]:
        problems.append(
            _("Consent must be given as “Phiếu giấy” or “Bằng lời” (found “%(value)s”).")
            % {"value": method_text}
        )
    sensitive = (
        out["ethnicity"] or out["household_status"] or out["has_disability"] or out["needs_care"]
    )
    if out["consent_on"] and not out["consent_method"] and not method_text:
        problems.append(_("Write how consent was given: “Phiếu giấy” or “Bằng lời”."))
    if sensitive and not out["consent_on"]:
        problems.append(
            _(
                "Ethnicity, disability, care needs or household status without the member's "
                "consent: fill in the date of consent or leave those cells empty."
            )
        )
    return out, problems


def check_rows(
    *, club: Club, raw_rows: list[dict[str, Any]], today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Every row cleaned, with its problems (duplicates in the file and in the club too)."""
    today = today or timezone.localdate()
    existing = existing_keys(club)
    seen: dict[tuple[str, int], int] = {}
    rows = []
    for raw in raw_rows:
        row, problems = clean_row(raw, today=today)
        key = (fold(row["full_name"]), row["birth_year"])
        if row["full_name"] and row["birth_year"]:
            if key in existing:
                problems.append(
                    _("Already in the club: %(name)s, born %(year)s.")
                    % {"name": existing[key], "year": row["birth_year"]}
                )
            if key in seen:
                problems.append(
                    _("Same name and year of birth as row %(row)s of the file.")
                    % {"row": seen[key]}
                )
            else:
                seen[key] = row["row"]
        row["problems"] = problems
        rows.append(row)
    return rows


@transaction.atomic
def import_prepare(*, club: Club, upload: Any, by: User | None) -> ImportJob:
    """Reads and checks an upload; the job holds the rows for the preview. Nothing is added.

    Raises ImportFileError when the whole file is refused.
    """
    raw_rows, notice = read_sheet(upload)
    rows = check_rows(club=club, raw_rows=raw_rows)
    problems = [
        {"row": r["row"], "name": r["full_name"], "problems": r["problems"]}
        for r in rows
        if r["problems"]
    ]
    return ImportJob.objects.create(
        club=club,
        filename=str(getattr(upload, "name", ""))[:200],
        rows=[{k: v for k, v in r.items() if k != "problems"} for r in rows],
        problems=problems,
        total=len(rows),
        # Shown on the preview: rows of the sheet that were not read.
        message=notice[:500],
        created_by=by,
    )


@transaction.atomic
def import_start(*, job: ImportJob, by: User | None) -> ImportJob:
    """Commits a checked job: now if it is small, in a Celery task if it is large.

    A failed job (its worker died, or it was refused) still holds its checked rows and may be
    started again the same way; the duplicates are checked again when it runs.
    """
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status == ImportJob.Status.FAILED and job.can_run_again:
        job.progress = 0
        job.finished_at = None
    elif job.status != ImportJob.Status.PREVIEW:
        raise MembersError(_("This import has already been started."))
    if job.problems:
        raise MembersError(_("Correct the problems in the file and upload it again."))
    job.message = ""
    job.started_at = timezone.now()
    if job.total > ASYNC_THRESHOLD:
        job.status = ImportJob.Status.QUEUED
        job.save(update_fields=["status", "message", "started_at", "progress", "finished_at"])
        # With the broker down the job stays queued: the stale-job sweep marks it failed, and
        # it can be run again from its page.
        enqueue_on_commit(run_member_import, job.pk)
        return job
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status", "message", "started_at", "progress", "finished_at"])
    commit(job, by=by)
    return job


def import_refresh(job: ImportJob) -> ImportJob:
    """The job as its page should show it: one left queued or running by a lost task or worker
    is marked failed first (the periodic sweep does the same for jobs nobody looks at)."""
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return job
    since = job.started_at or job.created_at
    stale_after = datetime.timedelta(minutes=settings.ISHC_IMPORT_STALE_MINUTES)
    if since and timezone.now() - since > stale_after and import_fail_stale(job_id=job.pk):
        job.refresh_from_db()
    return job


__all__ = [
    "ImportFileError",
    "import_prepare",
    "import_refresh",
    "import_run",
    "import_start",
    "job_progress",
]
