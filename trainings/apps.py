from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "trainings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registrations lose the ethnicity when the member withdraws consent.
        from trainings import signals  # noqa: F401
