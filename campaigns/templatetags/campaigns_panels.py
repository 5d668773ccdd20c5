"""The commendations panels of the club and member pages: they live in campaigns so that
clubs and members do not depend on campaigns."""

from typing import Any

from django import template

from campaigns.selectors import club_commendations, member_commendations

register = template.Library()


@register.inclusion_tag("campaigns/_commendations.html", takes_context=True)
def club_commendations_panel(context: Any, club: Any) -> dict[str, Any]:
    return {"commendations": club_commendations(club, context["request"].user)}


@register.inclusion_tag("campaigns/_commendations.html", takes_context=True)
def member_commendations_panel(context: Any, member: Any) -> dict[str, Any]:
    return {"commendations": member_commendations(member, context["request"].user)}
