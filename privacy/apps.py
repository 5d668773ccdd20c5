from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Requests of the people whose data the clubs keep (Law 91/2025/QH15): a copy of
    everything held about one person, anonymisation, and the log of both."""

    name = "privacy"
    verbose_name = _("Personal data requests")
    default_auto_field = "django.db.models.BigAutoField"
