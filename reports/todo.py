"""The start page's to-do list: what waits for the user, each item with where it is done.

A leader's list is about their club (the next meeting, returned reports, the report due,
installments due at the next meeting, members needing a home-care visit); a staff member's
is about their area (reports waiting at each step, late clubs, loans waiting for a board).
Each app contributes its items through its own selectors; this module only gathers them, so
the page runs a fixed number of queries whatever the number of clubs, reports or loans.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from accounts import privacy, scoping
from funds import selectors as funds_sel
from month import selectors as month_sel

if TYPE_CHECKING:
    from accounts.models import User
    from clubs.models import Club
    from members.models import Member
    from month.models import Meeting, MonthlyReport

# How many names the home shows of the members needing a visit (the link lists them all).
NAMES_SHOWN = 5


@dataclass
class LeaderTodo:
    """What waits for a club's leader."""

    club: Club
    today: datetime.date
    next_meeting: Meeting | None
    returned: list[MonthlyReport]
    report_due: dict[str, Any] | None
    loans_due_on: datetime.date | None = None
    loans_due: list[dict[str, Any]] = field(default_factory=list)
    loans_due_total: int = 0
    needing_visit: list[Member] = field(default_factory=list)
    needing_visit_count: int = 0
    people_shown: bool = True

    @property
    def meeting_today(self) -> bool:
        return self.next_meeting is not None and self.next_meeting.date == self.today

    @property
    def is_empty(self) -> bool:
        return not (
            self.next_meeting
            or self.returned
            or self.report_due
            or self.loans_due
            or self.needing_visit_count
        )


def leader_todo(*, club: Club, viewer: User, today: datetime.date | None = None) -> LeaderTodo:
    """The club's to-do list. Queries: the next meeting, the returned reports, the report due,
    the loans due (three: loans, installments, repayments) and the members needing a visit
    (two: a count and the first names)."""
    today = today or timezone.localdate()
    todo = LeaderTodo(
        club=club,
        today=today,
        next_meeting=month_sel.next_meeting(club=club, today=today),
        returned=list(month_sel.returned_reports(club=club, viewer=viewer)),
        report_due=month_sel.report_due(club=club, today=today),
        people_shown=privacy.may_see_people(viewer),
    )
    if not privacy.hidden_fields(viewer, "funds.Loan"):
        day, rows = funds_sel.due_at_next_meeting(club=club, viewer=viewer, today=today)
        todo.loans_due_on, todo.loans_due = day, rows
        todo.loans_due_total = sum(row["due"] for row in rows)
    needing = month_sel.members_needing_visit(club=club, viewer=viewer, today=today)
    if todo.people_shown:
        todo.needing_visit = list(needing[:NAMES_SHOWN])
        todo.needing_visit_count = (
            len(todo.needing_visit) if len(todo.needing_visit) < NAMES_SHOWN else needing.count()
        )
    else:
        todo.needing_visit_count = needing.count()
    return todo


@dataclass
class StaffTodo:
    """What waits for association staff (and what a viewer of an area may watch)."""

    waiting: dict[str, int]
    my_step: str | None
    late_count: int
    late_period: str
    loans: dict[str, Any]

    @property
    def is_empty(self) -> bool:
        return not (
            any(self.waiting.values())
            or self.late_count
            or self.loans["requested"]
            or self.loans["approved"]
        )


def staff_todo(*, viewer: User, today: datetime.date | None = None) -> StaffTodo:
    """Counts in the viewer's scope. Queries: reports by step (one), late clubs (one), loans
    waiting (two)."""
    year, month = month_sel.last_due_month(today)
    return StaffTodo(
        waiting=month_sel.reports_waiting_counts(viewer=viewer),
        my_step=month_sel.waiting_status_for(viewer) if scoping.can_write(viewer) else None,
        late_count=month_sel.late_reports(viewer=viewer, year=year, month=month).count(),
        late_period=f"{month:02d}/{year}",
        loans=funds_sel.loans_waiting(viewer=viewer),
    )
