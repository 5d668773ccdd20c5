"""The older person's link on a club member's page. It lives in elders so that members does
not depend on elders (``.importlinter``): the member page loads this tag, as it loads the
month's, the funds' and the campaigns' panels."""

from __future__ import annotations

from typing import Any

from django import template

from accounts import privacy, scoping
from elders.models import OlderPerson

register = template.Library()


@register.inclusion_tag("elders/_member_link.html", takes_context=True)
def member_older_person_link(context: Any, member: Any) -> dict[str, Any]:
    """The member's record in the commune's register of older persons, when there is one and
    the viewer may open it (the door's scope; never for a viewer, who sees figures only).
    One query, none for a viewer."""
    user = context["request"].user
    if not privacy.may_see_people(user):
        return {"person": None}
    person = (
        scoping.for_user(OlderPerson, user)
        .filter(member_id=member.pk)
        .values("pk", "commune__name")
        .first()
    )
    return {"person": person}
