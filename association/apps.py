from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    """The association of the elderly itself (Hội NCT): its units, branches, committees,
    membership returns, the yearly grassroots assessment and the plan for founding clubs."""

    name = "association"
    verbose_name = _("Association")
    default_auto_field = "django.db.models.BigAutoField"
