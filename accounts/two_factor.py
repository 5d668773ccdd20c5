"""Two-step sign-in: after the password, a code from an authenticator app or a recovery code.

Required of provincial staff and administrators when ``ISHC_REQUIRE_2FA`` is on; anyone else
may turn it on for their own account. The devices are django-otp's: a ``TOTPDevice`` (the
app, which shows a new six-digit code every 30 seconds) and a ``StaticDevice`` holding
``RECOVERY_CODES`` one-use recovery codes for a lost phone. A user "has two-step sign-in"
when they have a confirmed app.

Where a session stands is kept in the session, so that a page costs no query for it:

- at sign-in (``session_signed_in``) ``PENDING_KEY`` records what is due: ``VERIFY`` when the
  user has an app, ``ENROLL`` when two-step sign-in is required of them and they have none;
- django-otp's ``DEVICE_ID_SESSION_KEY`` marks a session that passed the second step
  (``session_verified``);
- ``pending_step``, asked on every request (``accounts.middleware``), sends a session with a
  step due to that step's page and nowhere else. It also catches a session signed in before
  the requirement was switched on, or before the user became provincial staff.

Codes are checked by django-otp, which refuses a code already used and slows down repeated
wrong codes (each failure doubles the wait); a recovery code is used up when accepted.
"""

from __future__ import annotations

import base64

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import scoping
from accounts.models import User

VERIFY, ENROLL = "verify", "enroll"
PENDING_KEY = "ishc_2fa_pending"
# The recovery codes just made, kept until the page that shows them once.
NEW_CODES_KEY = "ishc_2fa_new_codes"
RECOVERY_CODES = 10


class TwoFactorError(Exception):
    """A code that was not accepted; the message says why, for the person typing it."""


# --- Reads --------------------------------------------------------------------------------


def is_required(user: User) -> bool:
    return settings.ISHC_REQUIRE_2FA and scoping.is_province_role(user)


def app_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_for_typing(device: TOTPDevice) -> str:
    """The app's secret as an app asks for it when typed in (base32, in groups of four)."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(text: str) -> str:
    """``text`` as a QR code, an SVG drawn here (no image service, nothing to load)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


# --- The session --------------------------------------------------------------------------


def session_signed_in(*, session: SessionBase, user: User) -> None:
    """At sign-in, after the password: what must happen before any page opens."""
    session.pop(PENDING_KEY, None)
    if has_two_factor(user):
        session[PENDING_KEY] = VERIFY
    elif is_required(user):
        session[PENDING_KEY] = ENROLL


def pending_step(*, session: SessionBase, user: User) -> str | None:
    """``VERIFY`` or ``ENROLL`` while the session must pass that step first, else None."""
    if django_otp.DEVICE_ID_SESSION_KEY in session:
        return None
    step = session.get(PENDING_KEY)
    if step == ENROLL and not is_required(user):
        del session[PENDING_KEY]  # the requirement was lifted meanwhile
        return None
    if step is None and is_required(user):
        step = VERIFY if has_two_factor(user) else ENROLL
        session[PENDING_KEY] = step
    return step


def is_due(session: SessionBase | None) -> bool:
    """Whether a second step is due in ``session`` (as ``pending_step`` last found)."""
    return (
        session is not None
        and PENDING_KEY in session
        and django_otp.DEVICE_ID_SESSION_KEY not in session
    )


def session_verified(*, request: HttpRequest, device: Device) -> None:
    """The session passed the second step with ``device``."""
    request.session.cycle_key()  # a new session key for the stronger sign-in
    django_otp.login(request, device)
    request.session.pop(PENDING_KEY, None)


# --- Writes -------------------------------------------------------------------------------


def enrollment_device(*, user: User) -> TOTPDevice:
    """The app being set up: the user's unconfirmed device, so that the secret stays the
    same when the page is opened again, or a new one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def two_factor_enable(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the app being set up with a code it shows; returns it and the new recovery
    codes.

    Raises ``TwoFactorError`` when the code is not accepted."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise TwoFactorError(_("Open this page again to set up the app."))
    _check(device, _digits(token))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return device, recovery_codes_renew(user=user)


def recovery_codes_renew(*, user: User) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=_("Recovery codes"))
        codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def second_step_check(*, user: User, token: str) -> Device:
    """The device that accepts ``token``: the app for a six-digit code, the recovery codes
    for anything else (the code is then used up). Raises ``TwoFactorError``."""
    digits = _digits(token)
    if len(digits) == 6 and digits.isdigit():
        device: Device | None = app_device(user)
        token = digits
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        token = "".join(token.split()).replace("-", "").lower()
    if device is None:
        raise TwoFactorError(_("The code is wrong or has expired."))
    return _check(device, token)


def two_factor_disable(*, user: User) -> None:
    """Removes the app and the recovery codes: the password alone signs in again (or, where
    two-step sign-in is required, the next page asks for a new app)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def _digits(token: str) -> str:
    return "".join(token.split())


def _check(device: Device, token: str) -> Device:
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise TwoFactorError(_("Too many wrong codes. Wait a minute, then try again."))
    verified = django_otp.verify_token(device.user, device.persistent_id, token)
    if verified is None:
        raise TwoFactorError(_("The code is wrong or has expired."))
    return verified
