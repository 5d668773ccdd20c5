import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.text import fold
from members.ethnicities import ETHNICITY_CHOICES


class Member(models.Model):
    """A person on a club's member register (sổ danh sách thành viên).

    Older/younger is derived from age (the cut-off is ``settings.ISHC_OLDER_AGE``). Ethnicity,
    disability, care needs and household status are sensitive: they are stored only once
    consent is recorded and shown only to the roles ``accounts.scoping`` allows.
    """

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Household(models.TextChoices):
        POOR = "poor", _("Poor household")
        NEAR_POOR = "near_poor", _("Near-poor household")
        NOT_POOR = "not_poor", _("Not poor")

    class ConsentMethod(models.TextChoices):
        PAPER = "paper", _("Signed consent form")
        VERBAL = "verbal", _("Verbal consent at a meeting")

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    club = models.ForeignKey(
        "clubs.Club", verbose_name=_("club"), on_delete=models.PROTECT, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    ethnicity = models.CharField(
        _("ethnicity"), max_length=30, choices=ETHNICITY_CHOICES, blank=True
    )
    ethnicity_note = models.CharField(_("local group"), max_length=60, blank=True)
    phone = models.CharField(_("phone number"), max_length=15, blank=True)
    email = models.EmailField(_("email"), blank=True)
    village = models.CharField(_("village"), max_length=200, blank=True)
    household_status = models.CharField(
        _("household status"), max_length=10, choices=Household.choices, blank=True
    )
    has_disability = models.BooleanField(_("disability"), default=False)
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    has_health_insurance = models.BooleanField(_("has health insurance"), default=False)
    needs_care = models.BooleanField(_("needs home care"), default=False)
    is_volunteer = models.BooleanField(_("home-care volunteer"), default=False)
    joined_on = models.DateField(_("joined on"), default=datetime.date.today)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    previous_record = models.OneToOneField(
        "self",
        verbose_name=_("record in the previous club"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_record",
    )
    consent_on = models.DateField(_("data consent date"), null=True, blank=True)
    consent_method = models.CharField(
        _("how consent was given"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    preferred_channel = models.CharField(
        _("reminder channel"), max_length=5, choices=Channel.choices, default=Channel.SMS
    )
    reminders_opt_out = models.BooleanField(_("no meeting reminders"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    scope_club_path = "club"

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["search_name", "pk"]
        indexes = [
            models.Index(fields=["club", "left_on"], name="member_club_active"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
            ),
            # Sensitive data only with recorded consent (Decree 356/2025).
            models.CheckConstraint(
                condition=models.Q(consent_on__isnull=False)
                | (
                    models.Q(ethnicity="")
                    & models.Q(household_status="")
                    & models.Q(has_disability=False)
                    & models.Q(needs_care=False)
                ),
                name="member_sensitive_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.full_name)
        if self.birth_date:
            self.birth_year = self.birth_date.year
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            raise ValidationError(
                {"birth_year": _("The year of birth does not match the date of birth.")}
            )
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError(
                {"left_on": _("The date of leaving must be after the date of joining.")}
            )

    def age_on(self, day: datetime.date) -> int:
        if self.birth_date:
            b = self.birth_date
            return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        return day.year - self.birth_year

    @property
    def is_active(self) -> bool:
        return self.left_on is None
