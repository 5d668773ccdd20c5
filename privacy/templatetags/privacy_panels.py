"""The member page's link to the person's data (staff only), rendered where it is used."""

from typing import Any

from django import template

from accounts import scoping

register = template.Library()


@register.inclusion_tag("privacy/_member_link.html", takes_context=True)
def member_privacy_link(context: Any, member: Any) -> dict[str, Any]:
    """A link to what is held about the member, their copy and anonymisation: association
    staff and admins only (the page answers 403 to everyone else)."""
    return {"member": member, "show": scoping.is_staff_role(context["request"].user)}
