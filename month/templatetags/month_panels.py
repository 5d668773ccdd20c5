"""The member page's month panel (attendance, readings, home care), rendered where it is used."""

from typing import Any

from django import template

from month.selectors import member_month_panel

register = template.Library()


@register.inclusion_tag("month/_member_panel.html", takes_context=True)
def member_month(context: Any, member: Any) -> dict[str, Any]:
    return {
        "panel": member_month_panel(member, context["request"].user),
        "request": context["request"],
    }
