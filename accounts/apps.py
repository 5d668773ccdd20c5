from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every process that can save a user drops its cached copy (accounts.backends); every
        # sign-in starts the session's idle time and its second step (accounts.signin).
        from accounts import backends, signin  # noqa: F401
