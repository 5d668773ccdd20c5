from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Dashboards and exports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The summaries follow the records of the other apps (see reports.signals).
        from reports import signals

        signals.connect()
