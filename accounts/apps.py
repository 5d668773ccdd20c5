from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every process that can save a user drops its cached copy (accounts.backends).
        from accounts import backends  # noqa: F401
