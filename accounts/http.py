"""The request a view gets once ``@login_required`` has let it through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """For annotations only: ``request.user`` is a signed-in ``User``, never anonymous, and
    ``request.htmx`` is set by ``HtmxMiddleware`` on every request."""

    user: User
    htmx: HtmxDetails
