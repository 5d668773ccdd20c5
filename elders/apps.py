from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldersConfig(AppConfig):
    """The commune's register of older persons: entitlements, longevity celebrations and
    care-fund support to named people."""

    name = "elders"
    verbose_name = _("Older persons")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from elders import signals  # noqa: F401 - registers the receivers
