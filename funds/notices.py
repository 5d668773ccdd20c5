"""Notifications of the funds: a loan request waits for the club's board."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, User
from accounts.notifications import club_leaders, notify
from accounts.templatetags.ishc import thousands
from funds.models import Loan


def loan_requested_notify(*, loan: Loan, by: User | None) -> int:
    """Tell the club's other leaders (the board decides) that a member asks for a loan.

    The text does not name the borrower nor the purpose: a loan is high-risk personal data,
    and the notification is kept and sent by SMS, outside the loan's own page (where the
    board reads who asks, behind the door). Erasing a person's data then has nothing to find
    here either."""
    if loan.fund.club_id is None:
        return 0
    text = _("A member asks the board for a loan of %(amount)s ₫; the board decides.") % {
        "amount": thousands(loan.principal),
    }
    return notify(
        users=club_leaders(loan.fund.club_id, exclude=by),
        kind=Notification.Kind.LOAN_REQUESTED,
        event=f"loan-{loan.pk}-requested",
        text=text,
        url=reverse("funds:loan_detail", args=[loan.pk]),
    )
