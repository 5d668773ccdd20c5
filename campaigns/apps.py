from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    """Campaigns (the October Action Month, care-fund drives, Tết visits) and emulation
    drives with their registrations, scores and commendations."""

    name = "campaigns"
    verbose_name = _("Campaigns and emulation")
    default_auto_field = "django.db.models.BigAutoField"
