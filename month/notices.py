"""Notifications of the monthly report's steps.

``report_step_notify`` is called by ``month.services`` inside the transaction of each step
(submitted, returned, reviewed, approved): it names who the step concerns and adds their
notifications (``accounts.notifications.notify``), once per step event. They are sent by
``month.reminders.notifications`` (docs/notifications.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, Role
from accounts.notifications import area_staff, club_leaders, notify
from month.models import MonthlyReport, MonthlyReportEvent

if TYPE_CHECKING:
    from accounts.models import User

Kind = Notification.Kind
Action = MonthlyReportEvent.Action


def report_step_notify(
    *, report: MonthlyReport, event: MonthlyReportEvent, by: User, comment: str = ""
) -> int:
    """Tell the people a report's step concerns; returns how many notifications were added.

    submitted: the commune's staff (they review it); returned (or reopened): the club's
    leaders, with the comment; reviewed: the club's leaders, and the province's staff (they
    approve it); approved: the club's leaders and the commune's staff."""
    club = report.club
    url = reverse("month:report_detail", args=[report.pk])
    names = {"club": club.name, "period": report.period, "by": str(by), "comment": comment}
    key = f"report-{report.pk}-{event.action}-{event.pk}"
    leaders = club_leaders(club.pk, exclude=by)
    added = 0
    if event.action == Action.SUBMITTED:
        added += notify(
            users=area_staff(club.commune_id, Role.COMMUNE),
            kind=Kind.REPORT_SUBMITTED,
            event=key,
            text=_("%(club)s submitted its report of %(period)s; it waits for your review.")
            % names,
            url=url,
        )
    elif event.action in (Action.RETURNED, Action.REOPENED):
        added += notify(
            users=leaders,
            kind=Kind.REPORT_RETURNED,
            event=key,
            text=_("The report of %(period)s was returned by %(by)s: %(comment)s") % names,
            url=url,
        )
    elif event.action == Action.REVIEWED:
        added += notify(
            users=leaders,
            kind=Kind.REPORT_REVIEWED,
            event=key,
            text=_(
                "The commune reviewed the report of %(period)s and passed it on to the province."
            )
            % names,
            url=url,
        )
        added += notify(
            users=area_staff(club.province_id, Role.PROVINCE),
            kind=Kind.REPORT_REVIEWED,
            event=key,
            text=_("The report of %(club)s for %(period)s was reviewed; it waits for approval.")
            % names,
            url=url,
        )
    elif event.action == Action.APPROVED:
        added += notify(
            users=[*leaders, *area_staff(club.commune_id, Role.COMMUNE)],
            kind=Kind.REPORT_APPROVED,
            event=key,
            text=_("The report of %(club)s for %(period)s was approved; the month is now locked.")
            % names,
            url=url,
        )
    return added


__all__ = ["report_step_notify"]
