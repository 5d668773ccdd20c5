"""Reads for data-subject requests: everything held about one person, and the request log.

Each app reads its own tables (``members.selectors.person_data``, ``clubs.selectors.
person_board``, ``month.selectors.person_data``, ``funds.selectors.person_data``,
``trainings.selectors.person_data``); this module puts their topics together for every record
of the person the viewer may see, and says how each topic and column is called.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from clubs.models import BoardPosition
from clubs.selectors import person_board
from funds.models import Contribution, LedgerEntry, Loan, Repayment
from funds.selectors import person_data as funds_data
from members.models import CareAssignment, Member
from members.selectors import person_data as members_data
from members.selectors import person_records
from month.models import Activity, Attendance, HealthCheck, HomeCareVisit, Reminder
from month.selectors import person_data as month_data
from privacy.models import DataSubjectRequest
from trainings.models import Participant
from trainings.selectors import person_data as trainings_data

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from accounts.models import User

# Every topic of a copy, in the order of its sheets: (key, title, the model its columns are).
TOPICS: list[tuple[str, StrPromise, type[models.Model]]] = [
    ("member", _("Member record"), Member),
    ("history", _("Change history"), Member),
    ("attendance", _("Meeting attendance"), Attendance),
    ("readings", _("Health readings"), HealthCheck),
    ("visits_received", _("Home-care visits received"), HomeCareVisit),
    ("visits_given", _("Home-care visits given"), HomeCareVisit),
    ("care_assignments", _("Care assignments"), CareAssignment),
    ("activities", _("Activities"), Activity),
    ("reminders", _("Meeting reminders"), Reminder),
    ("board_positions", _("Board positions"), BoardPosition),
    ("loans", _("Loans"), Loan),
    ("repayments", _("Loan repayments"), Repayment),
    ("dues", _("Monthly dues"), Contribution),
    ("ledger_entries", _("Ledger lines"), LedgerEntry),
    ("trainings", _("Trainings"), Participant),
]

# Columns that are not a field of the topic's model (or read better under another name).
COLUMN_LABELS: dict[str, StrPromise] = {
    "record": _("Record no."),
    "club": _("Club"),
    "history_date": _("Changed at"),
    "history_type": _("Change"),
    "history_change_reason": _("Reason"),
    "role": _("Role"),
    "meeting_date": _("Meeting date"),
    "loan": _("Loan no."),
    "fund": _("Fund"),
    "training": _("Training"),
    "starts_on": _("First day"),
    "ends_on": _("Last day"),
    "days_attended": _("Days attended"),
}


@dataclass
class PersonData:
    """Everything held about one person: their records (a transfer makes a second one) and,
    by topic, the rows of all of them (each row says which record it is of)."""

    records: list[Member]
    topics: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def counts(self) -> list[tuple[str, StrPromise, int]]:
        """(key, title, number of rows) of every topic, in the order of the sheets."""
        return [(key, title, len(self.topics.get(key, []))) for key, title, _m in TOPICS]


def column_label(model: type[models.Model], key: str) -> str:
    """The heading of a column: its own label, else the verbose name of the model's field."""
    if key in COLUMN_LABELS:
        return str(COLUMN_LABELS[key])
    try:
        return str(model._meta.get_field(key).verbose_name)  # type: ignore[union-attr]
    except (FieldDoesNotExist, AttributeError):
        return key


def person_data(*, member: Member, viewer: User) -> PersonData:
    """What every app holds about the person behind ``member``, over the records of them the
    viewer may see (``members.selectors.person_records``). Nothing of other people: a visit or
    a care assignment shows the person's side only."""
    records = person_records(member=member, viewer=viewer)
    data = PersonData(records=records, topics={key: [] for key, _t, _m in TOPICS})
    for record in records:
        parts = (
            members_data(member=record),
            person_board(member_id=record.pk),
            month_data(member=record),
            funds_data(member=record),
            trainings_data(member=record),
        )
        for part in parts:
            for key, rows in part.items():
                data.topics.setdefault(key, []).extend({"record": record.pk, **r} for r in rows)
    return data


def is_anonymised(member: Member) -> bool:
    """Whether an anonymisation of this record was carried out (it cannot be done twice)."""
    return DataSubjectRequest.objects.filter(
        member=member, kind=DataSubjectRequest.Kind.ANONYMISATION
    ).exists()


def request_list(*, viewer: User, kind: str = "") -> QuerySet[DataSubjectRequest]:
    """The requests about members of the viewer's clubs, newest first."""
    qs = scoping.for_user(DataSubjectRequest, viewer).select_related("member__club", "handled_by")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-at", "-pk")
