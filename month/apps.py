from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonthConfig(AppConfig):
    """The club's month: meetings, attendance, readings, activities, visits, monthly reports,
    month locks and meeting reminders."""

    name = "month"
    verbose_name = _("Club's month")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Reports follow their club's province; readings go when consent is withdrawn.
        from month import signals  # noqa: F401
