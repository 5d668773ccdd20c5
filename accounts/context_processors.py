from django.conf import settings
from django.http import HttpRequest

from accounts import scoping


def access(request: HttpRequest) -> dict:
    """What the templates need to show or hide actions: the same answers as the views get."""
    user = getattr(request, "user", None)
    return {
        "can_write": scoping.can_write(user),
        "is_staff_role": scoping.is_staff_role(user),
        "is_province_role": scoping.is_province_role(user),
        "can_see_sensitive": scoping.can_see_sensitive(user),
        "nav_cache_seconds": settings.ISHC_NAV_CACHE_SECONDS,
    }
