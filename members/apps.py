from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The club pages count and choose members through this seam (clubs may not import
        # members); see clubs/membership.py.
        from clubs import membership
        from members.selectors import ClubsMemberRegister

        membership.install(ClubsMemberRegister())
