"""The member page's loans panel: lives in funds so that members does not depend on funds."""

from typing import Any

from django import template

from funds.selectors import member_loans

register = template.Library()


@register.inclusion_tag("funds/_member_loans.html", takes_context=True)
def member_loans_panel(context: Any, member: Any) -> dict[str, Any]:
    return {"member_loans": member_loans(member, context["request"].user), "member": member}
