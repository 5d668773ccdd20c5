from django.conf import settings
from django.http import HttpRequest

from accounts import privacy, scoping, two_factor


def access(request: HttpRequest) -> dict:
    """What the templates need to show or hide actions and personal data: the same answers
    as the views get (``privacy``: the declaration of personal data for this user)."""
    user = getattr(request, "user", None)
    return {
        "can_write": scoping.can_write(user),
        "is_staff_role": scoping.is_staff_role(user),
        "is_province_role": scoping.is_province_role(user),
        "privacy": privacy.PageAccess(user),
        "nav_cache_seconds": settings.ISHC_NAV_CACHE_SECONDS,
        # A second sign-in step is due: the page shows no menu (every page but the step's
        # own is closed until then).
        "second_step_due": two_factor.is_due(getattr(request, "session", None)),
    }
