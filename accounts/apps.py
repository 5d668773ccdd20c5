from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and access")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every process that can save a user drops its cached copy (accounts.backends); every
        # sign-in starts the session's idle time and its second step (accounts.signin).
        from accounts import backends, signin  # noqa: F401
        from config import lookups

        lookups.register()  # an id beyond 64 bits is "not a valid choice", never a 500
