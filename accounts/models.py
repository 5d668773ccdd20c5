from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROVINCE = "province", _("Provincial association staff")
    COMMUNE = "commune", _("Commune association staff")
    CLUB_LEADER = "club_leader", _("Club leader")
    VIEWER = "viewer", _("Viewer (read only)")


class User(ChoiceLabels, AbstractUser):
    """A person who signs in: one role and one scope (a province, a commune or a club).

    Association staff and viewers are scoped by ``area``; club leaders (and viewers of a single
    club) by ``club``. What a user may see is decided in ``accounts.scoping`` alone.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    area = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The province or commune/ward this user looks after."),
    )
    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("club"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.VIEWER and not self.is_superuser

    def clean(self) -> None:
        super().clean()
        from clubs.models import Area

        errors = {}
        if self.role == Role.PROVINCE and (not self.area or self.area.level != Area.Level.PROVINCE):
            errors["area"] = _("Provincial staff must be assigned to a province.")
        if self.role == Role.COMMUNE and (not self.area or self.area.level != Area.Level.COMMUNE):
            errors["area"] = _("Commune staff must be assigned to a commune/ward.")
        if self.role == Role.CLUB_LEADER and not self.club:
            errors["club"] = _("A club leader must be assigned to a club.")
        if self.role == Role.VIEWER and not (self.area or self.club):
            errors["area"] = _("A viewer needs a scope: a province, a commune/ward or a club.")
        if self.area and self.club:
            errors["club"] = _("Choose one scope only: an area or a club.")
        if errors:
            raise ValidationError(errors)
