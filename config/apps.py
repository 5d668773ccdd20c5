"""Third-party apps under a Vietnamese name in the admin: their own ``verbose_name`` is a
plain English string ("Axes", "Otp_Totp") that no catalogue can translate, so they are
installed through these subclasses (``INSTALLED_APPS``). Their models' names are lazy
strings of their own, translated in the root catalogue (locale/vi)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticOtpAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class TotpConfig(TotpAppConfig):
    verbose_name = _("Two-step sign-in: authenticator apps")


class StaticOtpConfig(StaticOtpAppConfig):
    verbose_name = _("Two-step sign-in: recovery codes")
