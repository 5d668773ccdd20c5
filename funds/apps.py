from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Funds and loans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from funds import signals  # noqa: F401
