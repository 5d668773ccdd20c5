"""The club page's composition panel: lives in members so that clubs does not depend on it."""

from typing import Any

from django import template

from clubs.models import Club
from members.selectors import club_composition

register = template.Library()


@register.inclusion_tag("clubs/_composition.html", takes_context=True)
def club_composition_panel(context: Any, club: Club) -> dict[str, Any]:
    """The club's composition against the targets (one aggregate query and the targets);
    small counts are suppressed as the page's ``privacy`` says (accounts.privacy)."""
    return {"composition": club_composition(club=club), "privacy": context.get("privacy")}
