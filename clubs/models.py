import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.text import fold


class Area(models.Model):
    """An administrative unit: a province, a commune/ward, or a legacy (pre-2025) district.

    Since 1 July 2025 the tree is province -> commune/ward; districts are kept only as the
    parents of legacy communes, so clubs founded earlier can still be traced.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh/thành phố")
        DISTRICT = "district", _("Huyện (cũ)")
        COMMUNE = "commune", _("Xã/phường")

    code = models.CharField(_("mã"), max_length=12)
    name = models.CharField(_("tên"), max_length=200)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    division_type = models.CharField(_("loại đơn vị"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The province this unit belongs to (null for a province): one join for scoping.
    province = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("còn hiệu lực"), default=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    scope_area_path = ""

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="area_unique_level_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.name)
        if self.level == self.Level.PROVINCE:
            self.province = None
        elif self.parent_id and not self.province_id:
            parent = self.parent
            self.province = parent if parent.level == self.Level.PROVINCE else parent.province
        super().save(*args, **kwargs)


class AreaSuccession(models.Model):
    """Which old unit became which new one in a reorganisation (e.g. on 1 July 2025)."""

    old = models.ForeignKey(
        Area, verbose_name=_("đơn vị cũ"), on_delete=models.CASCADE, related_name="successors"
    )
    new = models.ForeignKey(
        Area, verbose_name=_("đơn vị mới"), on_delete=models.CASCADE, related_name="predecessors"
    )
    effective_on = models.DateField(_("có hiệu lực từ"), default=datetime.date(2025, 7, 1))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    scope_area_path = "new"

    class Meta:
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["old", "new"], name="succession_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class ActivityArea(models.Model):
    """One of the activity areas of a club (the 8 areas; editable reference data)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("mảng hoạt động")
        verbose_name_plural = _("mảng hoạt động")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Club(models.Model):
    """An intergenerational self-help club (CLB liên thế hệ tự giúp nhau) in one village."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang hoạt động")
        PAUSED = "paused", _("Tạm dừng")
        DISSOLVED = "dissolved", _("Đã giải thể")

    class Supporter(models.TextChoices):
        HELPAGE = "helpage", _("Dự án HelpAge")
        VAE = "vae", _("Hội NCT Việt Nam")
        LOCAL_BUDGET = "local_budget", _("Ngân sách địa phương")
        OTHER = "other", _("Khác")

    class MeetingRule(models.TextChoices):
        DAY_OF_MONTH = "day_of_month", _("Ngày cố định trong tháng")
        NTH_WEEKDAY = "nth_weekday", _("Thứ cố định của tuần thứ n")
        NONE = "none", _("Không cố định")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Thứ Hai")
        TUESDAY = 1, _("Thứ Ba")
        WEDNESDAY = 2, _("Thứ Tư")
        THURSDAY = 3, _("Thứ Năm")
        FRIDAY = 4, _("Thứ Sáu")
        SATURDAY = 5, _("Thứ Bảy")
        SUNDAY = 6, _("Chủ nhật")

    code = models.CharField(_("mã CLB"), max_length=30, unique=True)
    name = models.CharField(_("tên CLB"), max_length=200)
    commune = models.ForeignKey(
        Area,
        verbose_name=_("xã/phường"),
        on_delete=models.PROTECT,
        related_name="clubs",
        limit_choices_to={"level": Area.Level.COMMUNE, "active": True},
    )
    legacy_commune = models.ForeignKey(
        Area,
        verbose_name=_("xã cũ (trước 1/7/2025)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legacy_clubs",
    )
    village = models.CharField(_("thôn/bản/tổ dân phố"), max_length=200, blank=True)
    founded_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    launched_on = models.DateField(_("ngày ra mắt"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_on = models.DateField(_("ngày đổi tình trạng"), null=True, blank=True)
    status_reason = models.CharField(_("lý do"), max_length=300, blank=True)
    meeting_rule = models.CharField(
        _("lịch sinh hoạt"),
        max_length=15,
        choices=MeetingRule.choices,
        default=MeetingRule.DAY_OF_MONTH,
    )
    meeting_day = models.PositiveSmallIntegerField(
        _("ngày trong tháng"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    meeting_week = models.SmallIntegerField(
        _("tuần thứ"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(5)],
        help_text=_("1–5, hoặc -1 cho tuần cuối tháng."),
    )
    meeting_weekday = models.PositiveSmallIntegerField(
        _("thứ"), null=True, blank=True, choices=Weekday.choices
    )
    meeting_time = models.TimeField(_("giờ sinh hoạt"), default=datetime.time(8, 0))
    meeting_place = models.CharField(_("địa điểm sinh hoạt"), max_length=200, blank=True)
    meeting_every_months = models.PositiveSmallIntegerField(
        _("số tháng một lần"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    supporter = models.CharField(
        _("đơn vị hỗ trợ"), max_length=15, choices=Supporter.choices, default=Supporter.VAE
    )
    supporter_note = models.CharField(_("ghi chú hỗ trợ"), max_length=200, blank=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords()

    scope_club_path = ""

    class Meta:
        verbose_name = _("câu lạc bộ")
        verbose_name_plural = _("câu lạc bộ")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meeting_day__isnull=True)
                | models.Q(meeting_day__gte=1, meeting_day__lte=31),
                name="club_meeting_day_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(f"{self.name} {self.village} {self.code}")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.meeting_rule == self.MeetingRule.DAY_OF_MONTH and not self.meeting_day:
            raise ValidationError({"meeting_day": _("Hãy chọn ngày sinh hoạt trong tháng.")})
        if self.meeting_rule == self.MeetingRule.NTH_WEEKDAY and (
            self.meeting_week in (None, 0) or self.meeting_weekday is None
        ):
            raise ValidationError({"meeting_week": _("Hãy chọn tuần thứ mấy và thứ mấy.")})
        if self.founded_on and self.founded_on > datetime.date.today():  # noqa: DTZ011
            raise ValidationError({"founded_on": _("Ngày thành lập không thể ở tương lai.")})


class ClubStatusChange(models.Model):
    """A recorded change of a club's status (active / paused / dissolved)."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("tình trạng"), max_length=12, choices=Club.Status.choices)
    changed_on = models.DateField(_("ngày"))
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    scope_club_path = "club"

    class Meta:
        verbose_name = _("thay đổi tình trạng CLB")
        verbose_name_plural = _("thay đổi tình trạng CLB")
        ordering = ["-changed_on", "-at"]


class BoardPosition(models.Model):
    """A member's seat on the club's management board (Ban chủ nhiệm) for a term."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("Chủ nhiệm")
        VICE_CHAIR = "vice_chair", _("Phó chủ nhiệm")
        SECRETARY = "secretary", _("Thư ký")
        ACCOUNTANT = "accountant", _("Kế toán")
        TREASURER = "treasurer", _("Thủ quỹ")
        MEMBER = "member", _("Ủy viên")

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="board_positions")
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("thành viên"),
        on_delete=models.PROTECT,
        related_name="board_positions",
    )
    position = models.CharField(_("chức danh"), max_length=12, choices=Position.choices)
    start_on = models.DateField(_("từ ngày"))
    end_on = models.DateField(_("đến ngày"), null=True, blank=True)

    history = HistoricalRecords()

    scope_club_path = "club"

    class Meta:
        verbose_name = _("thành viên ban chủ nhiệm")
        verbose_name_plural = _("ban chủ nhiệm")
        ordering = ["position", "-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="board_term_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.member}"
