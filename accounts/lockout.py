"""Sign-in lock-out: whose failures count together, and who may lift a lock.

django-axes counts failed sign-ins and refuses further tries (settings: ``AXES_*``). Two
things keep the lock from being turned against the people it protects:

- **The client's own address.** Behind the reverse proxy every request comes from the proxy
  (127.0.0.1); counting by that address would let anyone lock anyone out by typing their user
  name five times. ``client_ip`` reads the address the proxy saw, from ``TRUSTED_PROXY_HEADER``,
  and only when the request comes from one of ``TRUSTED_PROXIES``: any other client could
  write whatever it likes into that header.
- **Two limits** (``LockoutHandler``). One user name from one address is locked after
  ``AXES_FAILURE_LIMIT`` failures; an address alone (whatever user names it tries) only after
  ``ISHC_LOGIN_ADDRESS_FAILURE_LIMIT``, since an office or a phone network puts many honest
  people behind one address. A successful sign-in clears that user's own failures only.

Provincial staff and administrators lift a lock from the lock-out page (``lockout_lift``);
provincial staff only for the users of their province.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Max, Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from accounts import scoping
from accounts.models import Role, User

if TYPE_CHECKING:
    from accounts.scoping import Viewer

log = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket counts as its IPv4 address.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address, proxies: list[Network]) -> bool:
    return any(address in network for network in proxies)


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from (``AXES_CLIENT_IP_CALLABLE``).

    ``REMOTE_ADDR``, unless that is a trusted proxy: then the proxy's header, read from the
    right. Each proxy appends the address it received the request from, after whatever the
    client itself sent, so only the right-hand end is written by our proxies: the first
    address from the right that is not one of them is the client.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    proxies = [ipaddress.ip_network(p, strict=False) for p in settings.TRUSTED_PROXIES]
    if not _trusted(remote, proxies):
        return str(remote)
    meta_key = "HTTP_" + settings.TRUSTED_PROXY_HEADER.upper().replace("-", "_")
    hops = [hop for hop in request.META.get(meta_key, "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # not written by our proxy: trust nothing to its left
        if not _trusted(address, proxies):
            return str(address)
    return str(remote)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit of its own for an address alone.

    ``AXES_LOCKOUT_PARAMETERS`` lists the groups failures are counted in; axes compares every
    group with the one ``AXES_FAILURE_LIMIT``. Here a group of the address alone counts
    against ``ISHC_LOGIN_ADDRESS_FAILURE_LIMIT`` instead (reported to axes as having reached
    its limit once it reaches its own).
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        failures = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                count = limit if count >= settings.ISHC_LOGIN_ADDRESS_FAILURE_LIMIT else 0
            failures = max(failures, count)
        return failures

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # axes would clear every group the request falls in, the whole address included: one
        # person signing in would wipe the failures others typed from that address.
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined] # set by axes
        ).delete()
        return count


# --- Lifting a lock -----------------------------------------------------------------------


def may_lift_lockouts(user: Viewer) -> bool:
    """Provincial staff (for their province) and administrators."""
    return scoping.is_province_role(user)


def lockout_users_for(viewer: Viewer) -> QuerySet[User]:
    """The users whose lock ``viewer`` may lift: everyone for an administrator; for provincial
    staff the users whose area or club lies in their province."""
    if not may_lift_lockouts(viewer) or not isinstance(viewer, User):
        return User.objects.none()
    if scoping.is_admin(viewer):
        return User.objects.all()
    province = viewer.area_id
    return User.objects.filter(
        Q(area_id=province) | Q(area__province_id=province) | Q(club__province_id=province)
    ).exclude(Q(is_superuser=True) | Q(role=Role.ADMIN))


@dataclass(frozen=True)
class LockedOut:
    user: User
    last_failure: datetime


def locked_out_users(*, viewer: Viewer) -> list[LockedOut]:
    """The users ``viewer`` may unlock who cannot sign in now from some address: they reached
    ``AXES_FAILURE_LIMIT`` failures from it within the cool-off time. Newest lock first."""
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off()
    if cool_off is not None:  # None: a lock lasts until someone lifts it
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    locked = (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    last: dict[str, datetime] = {}
    for row in locked:
        last[row["username"]] = max(row["last"], last.get(row["username"], row["last"]))
    if not last:
        return []
    users = lockout_users_for(viewer).filter(username__in=last).select_related("area", "club")
    rows = [LockedOut(user=user, last_failure=last[user.username]) for user in users]
    return sorted(rows, key=lambda row: row.last_failure, reverse=True)


def lockout_lift(*, user: User, by: User) -> int:
    """Forget every failed sign-in under ``user``'s user name, from any address: they can sign
    in at once. Returns the number of records removed."""
    count = axes_reset(username=user.username)
    log.info("Sign-in lock of %s lifted by %s (%d records).", user.username, by, count)
    return count
