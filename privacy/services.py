"""Writes for data-subject requests: logging a copy handed out, and anonymisation.

Anonymisation keeps what the clubs' figures are made of (attendance, dues, ledger amounts,
loans, visits, care) and removes who the person is. Each app erases its own part through a
function of its own (``members.services.member_erase_personal``, ``month.services.
member_month_anonymise``, ``funds.services.ledger_names_replace``, ``trainings.services.
participants_anonymise``); this module runs them in one transaction, over every record of the
person the staff member may see, with the request's log row.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import scoping
from accounts.notifications import names_replace as notification_names_replace
from funds.services import ledger_names_replace
from members.models import Member
from members.selectors import person_records
from members.services import anonymised_name, member_erase_personal
from month.services import member_month_anonymise
from privacy.models import DataSubjectRequest
from privacy.selectors import is_anonymised
from trainings.services import participants_anonymise

if TYPE_CHECKING:
    from accounts.models import User


class PrivacyError(ValidationError):
    """A data-subject request could not be carried out; the message says why."""


def _check(*, asked_by: str, by: User) -> None:
    # Requests are handled by association staff (and admins), never by a club's own board.
    if not scoping.is_staff_role(by):
        raise PermissionDenied
    if asked_by not in DataSubjectRequest.AskedBy.values:
        raise PrivacyError({"asked_by": _("Say who asked.")})


@transaction.atomic
def export_log(
    *,
    member: Member,
    file_format: str,
    asked_by: str,
    asked_by_detail: str = "",
    reason: str = "",
    outcome: str,
    by: User,
) -> DataSubjectRequest:
    """Record that a copy of a person's data was handed out (``outcome`` says what it held)."""
    _check(asked_by=asked_by, by=by)
    request = DataSubjectRequest(
        kind=DataSubjectRequest.Kind.EXPORT,
        member=member,
        asked_by=asked_by,
        asked_by_detail=asked_by_detail.strip(),
        reason=reason.strip(),
        file_format=file_format,
        outcome=outcome[:500],
        handled_by=by,
    )
    request.full_clean()
    request.save()
    return request


def _admin_log_scrub(member: Member, old_name: str, new_name: str) -> int:
    """The admin's own log ("Lịch sử" of an object) keeps each object's text as it was, which
    for a member and the records about them (a reading, a seat, an attendance mark) is or
    holds the name. Replaced there too, as a whole word, in plain and in JSON-escaped form."""
    member_type = ContentType.objects.get_for_model(Member)
    changed = LogEntry.objects.filter(content_type=member_type, object_id=str(member.pk)).update(
        object_repr=new_name
    )
    if not old_name.strip():
        return changed
    forms = {old_name: new_name, json.dumps(old_name)[1:-1]: json.dumps(new_name)[1:-1]}
    for old, new in forms.items():
        word = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
        replacement = new.replace("\\", "\\\\")  # the JSON form holds backslashes
        candidates = LogEntry.objects.filter(object_repr__contains=old) | LogEntry.objects.filter(
            change_message__contains=old
        )
        for entry in candidates:
            repr_ = word.sub(replacement, entry.object_repr)
            message = word.sub(replacement, entry.change_message)
            if (repr_, message) != (entry.object_repr, entry.change_message):
                LogEntry.objects.filter(pk=entry.pk).update(
                    object_repr=repr_, change_message=message
                )
                changed += 1
    return changed


@transaction.atomic
def person_anonymise(
    *, member: Member, reason: str, asked_by: str, asked_by_detail: str = "", by: User
) -> DataSubjectRequest:
    """Anonymise the person behind ``member`` instead of deleting them: over every record of
    them that ``by`` may see, the name becomes "Đã ẩn danh #<id>", contact, sensitive and
    high-risk details are emptied (also in the history and the admin's log), the readings are
    deleted, their name leaves the ledger and the training lists. Attendance, ledger amounts,
    dues, loans, visits and care stay, so every figure keeps counting them.

    All or nothing, logged as a ``DataSubjectRequest`` in the same transaction. Cannot be
    undone, so it needs a reason; a record already anonymised is refused.
    """
    _check(asked_by=asked_by, by=by)
    if not reason.strip():
        raise PrivacyError({"reason": _("Give the reason for the anonymisation.")})
    scoping.require_write(by)
    records = person_records(member=member, viewer=by)
    if not records or is_anonymised(member):
        raise PrivacyError(_("This person's data have already been anonymised."))
    totals = dict.fromkeys(
        (
            "readings",
            "history",
            "ledger",
            "trainings",
            "visit_notes",
            "reminders",
            "admin_log",
            "notifications",
        ),
        0,
    )
    for record in records:
        old_name = record.full_name
        history = Member.history.model.objects.filter(id=record.pk).count()
        member_erase_personal(member=record, by=by)
        name = anonymised_name(record.pk)
        month = member_month_anonymise(member=record)
        totals["readings"] += month["readings"]
        totals["visit_notes"] += month["visit_notes"]
        totals["reminders"] += month["reminders"]
        totals["history"] += history
        totals["ledger"] += ledger_names_replace(member=record, name=name)
        totals["trainings"] += participants_anonymise(member=record, name=name)
        totals["admin_log"] += _admin_log_scrub(record, old_name, name)
        totals["notifications"] += notification_names_replace(old=old_name, new=name)
    outcome = _(
        "%(records)s record(s) anonymised; %(readings)s reading(s) deleted; %(history)s history "
        "row(s) and %(admin_log)s admin log line(s) cleared; name replaced on %(ledger)s ledger "
        "line(s) and %(trainings)s training registration(s); %(visit_notes)s visit note(s) and "
        "%(reminders)s reminder(s) emptied. Attendance, amounts and loans kept."
    ) % {"records": len(records), **totals}
    request = DataSubjectRequest(
        kind=DataSubjectRequest.Kind.ANONYMISATION,
        member=member,
        asked_by=asked_by,
        asked_by_detail=asked_by_detail.strip(),
        reason=reason.strip(),
        outcome=outcome[:500],
        handled_by=by,
    )
    request.full_clean()
    request.save()
    # The other records of the person get a row each, so each record shows what happened.
    for record in records:
        if record.pk != member.pk:
            DataSubjectRequest.objects.create(
                kind=request.kind,
                member=record,
                asked_by=request.asked_by,
                asked_by_detail=request.asked_by_detail,
                reason=request.reason,
                outcome=request.outcome,
                handled_by=by,
                at=request.at,
            )
    return request
