from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    PROVINCE = "province", _("Cán bộ Hội NCT tỉnh")
    COMMUNE = "commune", _("Cán bộ Hội NCT xã/phường")
    CLUB_LEADER = "club_leader", _("Ban chủ nhiệm CLB")
    VIEWER = "viewer", _("Chỉ xem")


class User(AbstractUser):
    """A person who signs in: one role and one scope (a province, a commune or a club).

    Association staff and viewers are scoped by ``area``; club leaders (and viewers of a single
    club) by ``club``. What a user may see is decided in ``accounts.scoping`` alone.
    """

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    area = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Tỉnh hoặc xã/phường mà người dùng phụ trách."),
    )
    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("câu lạc bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

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
            errors["area"] = _("Cán bộ tỉnh phải được gắn với một tỉnh.")
        if self.role == Role.COMMUNE and (not self.area or self.area.level != Area.Level.COMMUNE):
            errors["area"] = _("Cán bộ xã/phường phải được gắn với một xã/phường.")
        if self.role == Role.CLUB_LEADER and not self.club:
            errors["club"] = _("Ban chủ nhiệm phải được gắn với một câu lạc bộ.")
        if self.role == Role.VIEWER and not (self.area or self.club):
            errors["area"] = _("Người chỉ xem cần một phạm vi: tỉnh, xã/phường hoặc câu lạc bộ.")
        if self.area and self.club:
            errors["club"] = _("Chỉ chọn một phạm vi: địa bàn hoặc câu lạc bộ.")
        if errors:
            raise ValidationError(errors)
