"""Planning and sending meeting reminders.

Planning is idempotent: rows are inserted with ``ignore_conflicts`` against the unique
constraint, so running it twice, or from two beat processes at once, creates each reminder
once. Sending claims one row at a time with a conditional UPDATE (``pending -> sending``) before
calling the provider and records the outcome right after; the provider call carries the
reminder's key, so the one send a crash can interrupt between delivery and bookkeeping is
recognisable as the same message when it is retried (docs/reminders.md, "Exactly once").
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from month.models import Reminder
from month.reminders import timing
from month.reminders.channels import DeliveryError, PermanentError, channel_for, sms_fits, sms_text
from month.reminders.text import digest_message, member_message

logger = logging.getLogger(__name__)

PLAN_MEETING_BATCH = 500
# Reasons are stored in English and shown translated ({% translate reminder.last_error %}).
NO_ADDRESS = gettext_noop("no phone number or e-mail address")
INSERT_BATCH = 5000
BATCH = 500


@dataclass
class PlanResult:
    meetings: int = 0
    rows: int = 0
    created: int = 0


@dataclass
class SendResult:
    counts: Counter = field(default_factory=Counter)

    def add(self, status: str) -> None:
        self.counts[status] += 1


def club_lead_days(club) -> list[int]:
    """The club's own lead times ("3,1") or the default setting."""
    raw = (getattr(club, "reminder_lead_days", "") or "").strip()
    if raw:
        try:
            days = sorted({int(x) for x in raw.split(",") if x.strip()}, reverse=True)
            if days and all(0 <= d <= 30 for d in days):
                return days
        except ValueError:
            pass
    return list(settings.ISHC_REMINDER_LEAD_DAYS)


def meeting_start(meeting) -> datetime.datetime:
    start_time = meeting.starts_at or meeting.club.meeting_time or datetime.time(8, 0)
    return timezone.make_aware(
        datetime.datetime.combine(meeting.date, start_time), timezone.get_current_timezone()
    )


def _address(channel: str, phone: str, email: str) -> str:
    return email if channel == Reminder.Channel.EMAIL else phone


def reminders_plan(
    *, now: datetime.datetime | None = None, dry_run: bool = False, force_python: bool = False
) -> PlanResult:
    """Create the missing reminders for planned meetings inside their lead times.

    On PostgreSQL this is one set-based INSERT … SELECT per kind (national scale: 1.2 million
    recipients); elsewhere the same rules run in Python in batches.
    """
    from clubs.models import BoardPosition
    from members.models import Member
    from month.models import Meeting

    now = now or timezone.now()
    if connection.vendor == "postgresql" and not force_python:
        return _plan_sql(now, dry_run)
    today = timezone.localdate(now)
    horizon = today + datetime.timedelta(days=max([*settings.ISHC_REMINDER_LEAD_DAYS, 30]))
    max_age = datetime.timedelta(hours=settings.ISHC_REMINDER_MAX_AGE_HOURS)
    result = PlanResult()
    started = timezone.now()
    meetings = (
        Meeting.objects.filter(status=Meeting.Status.PLANNED, date__gte=today, date__lte=horizon)
        .select_related("club")
        .order_by("pk")
    )
    batch: list = []
    for meeting in meetings.iterator(chunk_size=PLAN_MEETING_BATCH):
        batch.append(meeting)
        if len(batch) >= PLAN_MEETING_BATCH:
            result.rows += _plan_batch(batch, now, max_age, dry_run, Member, BoardPosition)
            result.meetings += len(batch)
            batch = []
    if batch:
        result.rows += _plan_batch(batch, now, max_age, dry_run, Member, BoardPosition)
        result.meetings += len(batch)
    if not dry_run:
        result.created = Reminder.objects.filter(created_at__gte=started).count()
    return result


_PLAN_SQL = """
WITH leads AS (
    SELECT m.id AS meeting_id, m.club_id, m.date AS meeting_date, lead.days AS lead_days,
           (m.date + COALESCE(m.starts_at, c.meeting_time, TIME '08:00'))
               AT TIME ZONE %(tz)s AS starts,
           ((m.date - lead.days) + make_time(%(hour)s, 0, 0)) AT TIME ZONE %(tz)s AS raw_due
    FROM clubs_meeting m
    JOIN clubs_club c ON c.id = m.club_id
    CROSS JOIN LATERAL unnest(
        CASE WHEN c.reminder_lead_days ~ '^\\s*\\d{1,2}(\\s*,\\s*\\d{1,2})*\\s*$'
             THEN string_to_array(regexp_replace(c.reminder_lead_days, '\\s', '', 'g'), ',')::int[]
             ELSE %(default_leads)s::int[] END
    ) AS lead(days)
    WHERE m.status = 'planned' AND m.date BETWEEN %(today)s AND %(horizon)s
), due AS (
    SELECT *, CASE WHEN raw_due >= starts THEN starts - INTERVAL '2 hours' ELSE raw_due END
              AS due_at
    FROM leads
)
"""

_PLAN_MEMBERS_SQL = """
SELECT d.meeting_id, mb.id, 'member', mb.preferred_channel, d.lead_days, d.meeting_date,
       CASE WHEN mb.preferred_channel = 'email' THEN mb.email ELSE mb.phone END AS address,
       d.due_at
FROM due d
JOIN members_member mb ON mb.club_id = d.club_id AND mb.left_on IS NULL
     AND NOT mb.reminders_opt_out AND (mb.joined_on IS NULL OR mb.joined_on <= d.meeting_date)
WHERE %(now)s - d.due_at <= %(max_age)s
"""

_PLAN_DIGEST_SQL = """
SELECT d.meeting_id, mb.id, 'digest', mb.preferred_channel, d.lead_days, d.meeting_date,
       CASE WHEN mb.preferred_channel = 'email' THEN mb.email ELSE mb.phone END AS address,
       d.due_at + INTERVAL '30 minutes'
FROM due d
JOIN clubs_boardposition bp ON bp.club_id = d.club_id AND bp.position = 'chair'
     AND bp.end_on IS NULL
JOIN members_member mb ON mb.id = bp.member_id
WHERE %(now)s - d.due_at <= %(max_age)s
  AND (CASE WHEN mb.preferred_channel = 'email' THEN mb.email ELSE mb.phone END) <> ''
"""

_INSERT_SQL = """
INSERT INTO clubs_reminder (meeting_id, member_id, kind, channel, lead_days, meeting_date,
    address, due_at, status, attempts, last_error, provider_id, text, created_at, updated_at)
SELECT r.meeting_id, r.member_id, r.kind, r.channel, r.lead_days, r.meeting_date, r.address,
       r.due_at,
       CASE WHEN r.address = '' THEN 'skipped' ELSE 'pending' END, 0,
       CASE WHEN r.address = '' THEN 'no phone number or e-mail address' ELSE '' END,
       '', '', now(), now()
FROM ({select}) AS r (meeting_id, member_id, kind, channel, lead_days, meeting_date, address,
                      due_at)
ON CONFLICT DO NOTHING
"""


def _plan_sql(now: datetime.datetime, dry_run: bool) -> PlanResult:
    today = timezone.localdate(now)
    params = {
        "tz": settings.TIME_ZONE,
        "hour": settings.ISHC_REMINDER_SEND_HOUR,
        "default_leads": list(settings.ISHC_REMINDER_LEAD_DAYS),
        "today": today,
        "horizon": today + datetime.timedelta(days=max([*settings.ISHC_REMINDER_LEAD_DAYS, 30])),
        "now": now,
        "max_age": datetime.timedelta(hours=settings.ISHC_REMINDER_MAX_AGE_HOURS),
    }
    result = PlanResult()
    with connection.cursor() as cursor:
        # The SQL is assembled from constants only; values go as parameters.
        cursor.execute(_PLAN_SQL + "SELECT count(DISTINCT meeting_id) FROM due", params)  # noqa: S608
        result.meetings = cursor.fetchone()[0]
        for select in (_PLAN_MEMBERS_SQL, _PLAN_DIGEST_SQL):
            if dry_run:
                cursor.execute(_PLAN_SQL + f"SELECT count(*) FROM ({select}) AS r", params)  # noqa: S608
                result.rows += cursor.fetchone()[0]
            else:
                cursor.execute(_PLAN_SQL + _INSERT_SQL.format(select=select), params)
                result.created += cursor.rowcount
    return result


def _plan_batch(meetings, now, max_age, dry_run, Member, BoardPosition) -> int:
    club_ids = {m.club_id for m in meetings}
    members = defaultdict(list)
    for row in (
        Member.objects.filter(club_id__in=club_ids, left_on__isnull=True, reminders_opt_out=False)
        .values_list("pk", "club_id", "preferred_channel", "phone", "email", "joined_on")
        .order_by()
    ):
        members[row[1]].append(row)
    chairs = defaultdict(list)
    for member_id, club_id, channel, phone, email in (
        BoardPosition.objects.filter(
            club_id__in=club_ids, position=BoardPosition.Position.CHAIR, end_on__isnull=True
        )
        .values_list(
            "member_id", "club_id", "member__preferred_channel", "member__phone", "member__email"
        )
        .order_by()
    ):
        chairs[club_id].append((member_id, channel, phone, email))

    rows: list[Reminder] = []
    for meeting in meetings:
        start = meeting_start(meeting)
        for lead in club_lead_days(meeting.club):
            due = timing.due_at(start, lead)
            if due > start or now - due > max_age:
                continue  # already stale when planned: nothing to send late
            for member_id, _club, channel, phone, email, joined_on in members[meeting.club_id]:
                if joined_on and joined_on > meeting.date:
                    continue
                address = _address(channel, phone, email)
                rows.append(
                    Reminder(
                        meeting_id=meeting.pk,
                        member_id=member_id,
                        kind=Reminder.Kind.MEMBER,
                        channel=channel,
                        lead_days=lead,
                        meeting_date=meeting.date,
                        address=address,
                        due_at=due,
                        status=Reminder.Status.PENDING if address else Reminder.Status.SKIPPED,
                        last_error="" if address else NO_ADDRESS,
                    )
                )
            for member_id, channel, phone, email in chairs[meeting.club_id]:
                address = _address(channel, phone, email)
                if address:
                    rows.append(
                        Reminder(
                            meeting_id=meeting.pk,
                            member_id=member_id,
                            kind=Reminder.Kind.DIGEST,
                            channel=channel,
                            lead_days=lead,
                            meeting_date=meeting.date,
                            address=address,
                            # After the members' reminders of the same lead time went out.
                            due_at=due + datetime.timedelta(minutes=30),
                        )
                    )
    if not dry_run:
        Reminder.objects.bulk_create(rows, batch_size=INSERT_BATCH, ignore_conflicts=True)
    return len(rows)


def _skip_reason(reminder: Reminder, now: datetime.datetime) -> str:
    from month.models import Meeting

    meeting = reminder.meeting
    if meeting.status == Meeting.Status.CANCELLED:
        return gettext_noop("meeting cancelled")
    if meeting.status == Meeting.Status.HELD:
        return gettext_noop("meeting already held")
    if meeting.date != reminder.meeting_date:
        return gettext_noop("meeting moved to another day")
    if meeting_start(meeting) <= now:
        return gettext_noop("meeting already started")
    member = reminder.member
    if reminder.kind == Reminder.Kind.MEMBER and member.reminders_opt_out:
        return gettext_noop("member opted out")
    if member.left_on is not None:
        return gettext_noop("member left the club")
    if timing.is_stale(reminder.due_at, now):
        return gettext_noop("stale: not sent in time, so not sent late")
    return ""


def _message(reminder: Reminder) -> str:
    meeting = reminder.meeting
    start = meeting_start(meeting)
    if reminder.kind == Reminder.Kind.DIGEST:
        count = Reminder.objects.filter(
            meeting=meeting,
            kind=Reminder.Kind.MEMBER,
            lead_days=reminder.lead_days,
            meeting_date=reminder.meeting_date,
            status=Reminder.Status.SENT,
        ).count()
        return digest_message(meeting.club.name, start, count)
    return member_message(meeting.club.name, start, meeting.place or meeting.club.meeting_place)


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes, at most 2 hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def _finish(reminder_id: int, **fields) -> None:
    # Only the claimant (the row is still 'sending') records an outcome. Autocommit: the
    # outcome is durable before the next row is claimed.
    Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.SENDING).update(
        **fields, updated_at=timezone.now()
    )


def reminder_key(reminder: Reminder) -> str:
    """The same for every attempt of one reminder: the SMS gateway's ``reference`` and the left
    part of the e-mail's Message-ID, so a repeat is recognisable as the same message."""
    if reminder.channel == Reminder.Channel.EMAIL:
        return f"reminder-{reminder.pk}-{reminder.meeting_date:%Y%m%d}"
    return f"reminder-{reminder.pk}"


def _deliver(reminder: Reminder, now: datetime.datetime) -> dict:
    """Check, then hand one claimed reminder to its channel; returns the outcome's fields."""
    reason = _skip_reason(reminder, now)
    if reason:
        return {"status": Reminder.Status.SKIPPED, "last_error": reason}
    if timing.in_quiet_hours(now):
        return {
            "status": Reminder.Status.PENDING,
            "attempts": reminder.attempts - 1,  # waiting is not an attempt
            "next_attempt_at": timing.quiet_hours_end(now),
            "last_error": gettext_noop("quiet hours: waiting for the morning"),
        }
    text = _message(reminder)
    try:
        if reminder.channel == Reminder.Channel.SMS:
            text = sms_text(text)
            if not sms_fits(text):
                raise PermanentError(f"message too long for one SMS ({len(text)} characters)")
        provider_id = channel_for(reminder.channel).send(
            to=reminder.address,
            text=text,
            subject="Nhắc lịch sinh hoạt CLB",
            key=reminder_key(reminder),
        )
    except DeliveryError as exc:
        error = str(exc)[:500]
        if exc.temporary and reminder.attempts < settings.ISHC_REMINDER_MAX_ATTEMPTS:
            return {
                "status": Reminder.Status.PENDING,
                "next_attempt_at": now + backoff(reminder.attempts),
                "last_error": error,
            }
        return {"status": Reminder.Status.FAILED, "last_error": error}
    except Exception as exc:  # an unexpected bug: keep the reason, never lose the row
        logger.exception("reminder %s failed unexpectedly", reminder.pk)
        return {"status": Reminder.Status.FAILED, "last_error": repr(exc)[:500]}
    return {
        "status": Reminder.Status.SENT,
        "sent_at": timezone.now(),
        "provider_id": provider_id[:100],
        "text": text[:500],
        "last_error": "",
    }


def _due(qs, now: datetime.datetime):
    return qs.filter(status=Reminder.Status.PENDING, due_at__lte=now).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def reminder_send(reminder_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send one pending reminder; returns its new status (or "" when nothing was claimed)."""
    now = now or timezone.now()
    claimed = _due(Reminder.objects.filter(pk=reminder_id), now).update(
        status=Reminder.Status.SENDING, attempts=F("attempts") + 1, sending_started_at=now
    )
    if not claimed:
        return ""
    reminder = Reminder.objects.select_related("meeting__club", "member").get(pk=reminder_id)
    outcome = _deliver(reminder, now)
    _finish(reminder_id, **outcome)
    return outcome["status"]


# A batch stops taking new rows after this long, well inside the task's soft time limit
# (240 s), so a task is never cut off in the middle of a provider call; the rest stays pending
# for the next sweep.
BATCH_SECONDS = 180


def send_batch(reminder_ids: list[int], *, now: datetime.datetime | None = None) -> SendResult:
    """Send a batch of reminders, one row at a time: claim it (``pending -> sending``, a
    conditional UPDATE, so a row another worker took is skipped), hand it to its channel,
    record the outcome at once.

    So a worker that dies leaves at most one row ``sending``, the one whose provider call was
    in flight; every row before it is recorded, every row after it is still ``pending``. The
    sweep retries that one row with the same key (see docs/reminders.md, "Exactly once").
    """
    clock_given = now is not None
    now = now or timezone.now()
    started = time.monotonic()
    result = SendResult()
    # Read without locks (the claim below is what decides); by primary key only: with the due
    # conditions in SQL, PostgreSQL prefers the partial "pending and due" index and scans
    # millions of rows at national scale.
    candidates = Reminder.objects.filter(
        pk__in=reminder_ids, status=Reminder.Status.PENDING
    ).select_related("meeting__club", "member")
    rows = sorted(
        (
            r
            for r in candidates
            if r.due_at <= now and (r.next_attempt_at is None or r.next_attempt_at <= now)
        ),
        key=lambda r: (r.due_at, r.pk),
    )
    for reminder in rows:
        if time.monotonic() - started > BATCH_SECONDS:
            break
        # Only if it is still as read (pending, due, the same attempt): the row in memory is
        # what is sent, and its attempt count decides backoff and giving up.
        claimed = _due(
            Reminder.objects.filter(pk=reminder.pk, attempts=reminder.attempts), now
        ).update(
            status=Reminder.Status.SENDING,
            attempts=F("attempts") + 1,
            sending_started_at=now if clock_given else timezone.now(),
        )
        if not claimed:
            continue  # another worker took it, or it changed since it was read
        reminder.attempts += 1
        outcome = _deliver(reminder, now)
        _finish(reminder.pk, **outcome)
        result.add(outcome["status"])
    return result


def release_interrupted(*, now: datetime.datetime | None = None) -> int:
    """Rows left 'sending' by a worker that died go back to 'pending' to be retried."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.ISHC_REMINDER_SENDING_TIMEOUT_MINUTES)
    return Reminder.objects.filter(
        status=Reminder.Status.SENDING, sending_started_at__lt=cutoff
    ).update(
        status=Reminder.Status.PENDING,
        last_error=gettext_noop("interrupted while sending; retried"),
    )


def due_ids(*, now: datetime.datetime | None = None, limit: int | None = None) -> list[int]:
    now = now or timezone.now()
    qs = _due(Reminder.objects.all(), now).order_by("due_at", "pk").values_list("pk", flat=True)
    return list(qs[:limit] if limit else qs)


def send_due(*, now: datetime.datetime | None = None, limit: int | None = None) -> SendResult:
    """Send every due reminder in this process (the management command and the batch task)."""
    result = SendResult()
    release_interrupted(now=now)
    ids = due_ids(now=now, limit=limit)
    for start in range(0, len(ids), BATCH):
        result.counts.update(send_batch(ids[start : start + BATCH], now=now).counts)
    return result


def reminders_for_meeting(meeting) -> dict:
    """The meeting page's view of its reminders for the current date: each member's reminders
    (nearest lead time first) and the counts by status. One query."""
    rows = list(
        Reminder.objects.filter(
            meeting=meeting, meeting_date=meeting.date, kind=Reminder.Kind.MEMBER
        )
        .select_related("member")
        .order_by("member__search_name", "member_id", "lead_days")
    )
    counts = Counter(r.status for r in rows)
    return {
        "reminders": rows,
        "reminder_counts": [
            (s.label, counts.get(s.value, 0)) for s in Reminder.Status if counts.get(s.value)
        ],
    }


__all__ = [
    "PlanResult",
    "SendResult",
    "due_ids",
    "release_interrupted",
    "reminder_key",
    "reminder_send",
    "reminders_for_meeting",
    "reminders_plan",
    "send_batch",
    "send_due",
]
