"""Names of the dashboard figures and the lists of other apps that stand behind them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Any] = {
    "clubs": _("Active clubs"),
    "founded": _("Clubs founded this year"),
    "communes_without_club": _("Communes without an active club"),
    "members": _("Members"),
    "women": _("Women"),
    "older": _("Older people"),
    "younger": _("Younger people"),
    "poor": _("Poor or near-poor"),
    "volunteers": _("Home-care volunteers"),
    "joined": _("Members who joined"),
    "left": _("Members who left"),
    "met": _("Clubs that met"),
    "not_met": _("Active clubs that did not meet"),
    "reports_submitted": _("Monthly reports submitted"),
    "reports_reviewed": _("Monthly reports reviewed"),
    "reports_approved": _("Monthly reports approved"),
    "reports_late": _("Monthly reports late or missing"),
    "activities": _("Activities"),
    "needing_care": _("People needing home care"),
    "cared_for": _("People needing care who have a volunteer"),
    "not_cared": _("People needing care without a volunteer"),
    "visits": _("Home-care visits"),
    "health_checked": _("Members with a health check"),
    "health_high": _("Members with a high blood pressure reading"),
    "fund_revolving": _("Revolving funds"),
    "fund_operating": _("Operating funds"),
    "fund_other": _("Other funds"),
    "loans_outstanding": _("Loans outstanding"),
    "loans_at_risk": _("Loans more than 30 days late (PAR30)"),
    "borrowers": _("Members with a loan"),
    "loans_disbursed": _("Loans disbursed"),
    "chair_trained": _("Clubs whose chair was trained"),
    "members_trained": _("Members trained"),
}

MONEY = {"fund_revolving", "fund_operating", "fund_other", "loans_outstanding", "loans_at_risk"}

# figure -> (url name taking the club id, query, needs sensitive access)
CLUB_LISTS: dict[str, tuple[str, dict[str, str], bool]] = {
    "clubs": ("clubs:club_detail", {}, False),
    "founded": ("clubs:club_detail", {}, False),
    "members": ("members:member_list", {}, True),
    "women": ("members:member_list", {"sex": "F"}, True),
    "older": ("members:member_list", {"age": "older"}, True),
    "younger": ("members:member_list", {"age": "younger"}, True),
    "poor": ("members:member_list", {"household": "poor_or_near"}, True),
    "volunteers": ("members:member_list", {"volunteer": "yes"}, True),
    "joined": ("members:member_list", {}, True),
    "left": ("members:member_list", {"state": "left"}, True),
    "met": ("month:meeting_list", {}, False),
    "not_met": ("month:meeting_list", {}, False),
    "reports_submitted": ("month:club_reports", {}, False),
    "reports_reviewed": ("month:club_reports", {}, False),
    "reports_approved": ("month:club_reports", {}, False),
    "reports_late": ("month:club_reports", {}, False),
    "activities": ("month:activity_list", {}, False),
    "needing_care": ("members:care_list", {}, True),
    "cared_for": ("members:care_list", {}, True),
    "not_cared": ("members:care_list", {}, True),
    "visits": ("month:visit_list", {}, True),
    "health_checked": ("month:meeting_list", {}, True),
    "health_high": ("month:meeting_list", {}, True),
    "fund_revolving": ("funds:club_funds", {}, True),
    "fund_operating": ("funds:club_funds", {}, True),
    "fund_other": ("funds:club_funds", {}, True),
    "loans_outstanding": ("funds:loan_list", {}, True),
    "loans_at_risk": ("funds:loan_list", {}, True),
    "borrowers": ("funds:loan_list", {}, True),
    "loans_disbursed": ("funds:loan_list", {}, True),
    "chair_trained": ("clubs:club_detail", {}, False),
    "members_trained": ("clubs:club_detail", {}, False),
}


def _url(name: str, args: list[Any], query: dict[str, Any] | None = None) -> str | None:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:  # an app that is not there (yet)
        return None
    return f"{url}?{urlencode(query)}" if query else url


def club_list_url(figure: str, club_id: int, *, sensitive: bool) -> str | None:
    """The other app's list behind a club's figure, or None (viewers never get member lists)."""
    spec = CLUB_LISTS.get(figure)
    if spec is None:
        return None
    name, query, needs_sensitive = spec
    if needs_sensitive and not sensitive:
        return None
    if name.startswith("clubs:club_detail"):
        return _url(name, [club_id])
    return _url(name, [club_id], query)


def area_list_links(figure: str, area: Any, period: Any) -> list[tuple[Any, str]]:
    """Lists of other apps (area-wide) that show the same thing from their side."""
    links: list[tuple[Any, str | None]] = []
    is_commune = area is not None and area.level == "commune"
    if figure in ("clubs", "founded"):
        query = {"status": "active", **({"commune": area.pk} if is_commune else {})}
        links.append((_("All clubs"), _url("clubs:club_list", [], query)))
    if figure == "reports_late" and period.due_months:
        last = period.due_months[-1]
        links.append(
            (
                _("Late reports in the monthly-reports inbox"),
                _url("month:late_list", [], {"period": f"{last // 100:04d}-{last % 100:02d}"}),
            )
        )
    if figure in ("reports_submitted", "reports_reviewed", "reports_approved"):
        status = {"reports_submitted": "submitted", "reports_reviewed": "reviewed"}.get(
            figure, "approved"
        )
        links.append(
            (_("Monthly reports inbox"), _url("month:report_inbox", [], {"status": status}))
        )
    if figure in ("members", "women", "older", "younger", "poor", "volunteers") and area:
        links.append(
            (_("Composition against the targets"), _url("clubs:area_composition", [area.pk]))
        )
    if figure in ("chair_trained", "members_trained"):
        links.append((_("Training coverage"), _url("trainings:coverage", [])))
    if figure.startswith("fund_"):
        links.append((_("Funds"), _url("funds:fund_list", [])))
    return [(label, url) for label, url in links if url]
