"""The commune's register of older persons, their longevity celebrations and the care-fund
support paid to them by name.

An older person (``OlderPerson``) belongs to a commune's association (``clubs.Area`` of level
commune). A club member who is an older person is the same person with a link to the member
record: the fields both hold (``SHARED_FIELDS``) are typed once and kept in step both ways
(``elders.services`` pushes a change to the member, ``elders.signals`` pulls a member's change).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts import scoping
from accounts.models import Role
from config.choices import ChoiceLabels
from config.text import fold
from members.ethnicities import ETHNICITY_CHOICES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User
    from accounts.scoping import Viewer

# The milestones of a longevity celebration (Law on the Elderly, Art. 21): 100 stands for
# "100 and over", celebrated every year.
MILESTONES = (70, 75, 80, 85, 90, 95, 100)


def milestone_for(age: int) -> int | None:
    """The milestone an age in a year reaches (70, 75, … 95, or 100 for 100 and over)."""
    if age >= 100:
        return 100
    return age if age in MILESTONES else None


class OlderPersonQuerySet(models.QuerySet["OlderPerson"]):
    def alive(self) -> OlderPersonQuerySet:
        return self.filter(died_on__isnull=True)


class OlderPerson(ChoiceLabels, models.Model):
    """An older person living in a commune (người cao tuổi trên địa bàn), whether or not a
    member of the association or of a club: the list the commune association keeps to check
    entitlements, celebrate longevity and support people from its care fund.

    Ethnicity, disability and the health-insurance card are sensitive (Decree 356/2025): they
    are stored only once consent and its legal basis are recorded.
    """

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Living(models.TextChoices):
        ALONE = "alone", _("Lives alone")
        SPOUSE = "spouse", _("With spouse only")
        FAMILY = "family", _("With family")

    class Household(models.TextChoices):
        POOR = "poor", _("Poor household")
        NEAR_POOR = "near_poor", _("Near-poor household")
        NOT_POOR = "not_poor", _("Not poor")

    class Support(models.TextChoices):
        NONE = "none", _("None")
        SOCIAL_ALLOWANCE = "allowance", _("Social allowance (80+, Decree 20/2021)")
        SOCIAL_PENSION = "social_pension", _("Social pension (75+, from 1 July 2025)")
        PENSION = "pension", _("Pension or monthly social-insurance allowance")

    class ConsentMethod(models.TextChoices):
        PAPER = "paper", _("Signed consent form")
        VERBAL = "verbal", _("Verbal consent at a meeting")

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("Consent of the person")
        LAW = "law", _("Task under the Law on the Elderly, with the person informed")

    commune = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="older_persons",
    )
    full_name = models.CharField(_("full name"), max_length=120)
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1880), MaxValueValidator(2100)]
    )
    ethnicity = models.CharField(
        _("ethnicity"), max_length=30, choices=ETHNICITY_CHOICES, blank=True
    )
    village = models.CharField(_("village / branch"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone number"), max_length=15, blank=True)
    is_association_member = models.BooleanField(_("member of the association"), default=False)
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("club member record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="older_person",
    )
    living = models.CharField(
        _("living situation"), max_length=10, choices=Living.choices, blank=True
    )
    household_status = models.CharField(
        _("household status"), max_length=10, choices=Household.choices, blank=True
    )
    has_disability = models.BooleanField(_("disability"), default=False)
    insurance_number = models.CharField(
        _("health-insurance card number"), max_length=15, blank=True
    )
    insurance_expiry = models.DateField(
        _("health-insurance card valid until"), null=True, blank=True
    )
    support = models.CharField(
        _("allowance or pension"), max_length=16, choices=Support.choices, blank=True
    )
    died_on = models.DateField(_("date of death"), null=True, blank=True)
    legal_basis = models.CharField(
        _("legal basis for sensitive data"), max_length=10, choices=LegalBasis.choices, blank=True
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OlderPersonQuerySet.as_manager()
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    scope_area_path = "commune"

    class Meta:
        verbose_name = _("older person")
        verbose_name_plural = _("older persons")
        ordering = ["search_name", "pk"]
        indexes = [
            models.Index(fields=["commune", "search_name"], name="older_commune_name"),
            models.Index(fields=["commune", "birth_year"], name="older_commune_birth"),
        ]
        constraints = [
            # Sensitive data only with recorded consent and its legal basis (Decree 356/2025).
            models.CheckConstraint(
                condition=(Q(consent_on__isnull=False) & ~Q(legal_basis=""))
                | (
                    Q(ethnicity="")
                    & Q(has_disability=False)
                    & Q(insurance_number="")
                    & Q(insurance_expiry__isnull=True)
                ),
                name="older_sensitive_needs_consent",
                violation_error_message=_(
                    "Record the person's consent and its legal basis before saving ethnicity, "
                    "disability or the health-insurance card."
                ),
            ),
            models.CheckConstraint(
                condition=Q(died_on__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(died_on__gte=models.F("birth_date")),
                name="older_died_after_birth",
                violation_error_message=_("The date of death cannot be before the date of birth."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold(self.full_name)
        if self.birth_date:
            self.birth_year = self.birth_date.year
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        """A club's leaders read the older persons linked to their club's members."""
        if scoping.effective_role(user) == Role.CLUB_LEADER and getattr(user, "club_id", None):
            return Q(member__club_id=user.club_id)  # type: ignore[union-attr]
        return scoping.NOTHING

    def age_in(self, year: int) -> int:
        """Age reached in ``year`` (by year of birth, as the celebration lists count)."""
        return year - self.birth_year

    def age_on(self, day: datetime.date) -> int:
        if self.birth_date:
            b = self.birth_date
            return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        return day.year - self.birth_year

    @property
    def age(self) -> int:
        from django.utils import timezone

        return self.age_on(self.died_on or timezone.localdate())

    def insurance_valid_on(self, day: datetime.date) -> bool:
        return bool(
            self.insurance_number and self.insurance_expiry and self.insurance_expiry >= day
        )


class OlderPersonMove(models.Model):
    """A person moving to another commune: the record moves, its history stays, and this
    says from where, to where, when and who recorded it."""

    person = models.ForeignKey(
        OlderPerson, verbose_name=_("older person"), on_delete=models.CASCADE, related_name="moves"
    )
    from_commune = models.ForeignKey(
        "clubs.Area", verbose_name=_("from commune"), on_delete=models.PROTECT, related_name="+"
    )
    to_commune = models.ForeignKey(
        "clubs.Area", verbose_name=_("to commune"), on_delete=models.PROTECT, related_name="+"
    )
    moved_on = models.DateField(_("moved on"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "person__commune"

    class Meta:
        verbose_name = _("move to another commune")
        verbose_name_plural = _("moves to another commune")
        ordering = ["-moved_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.from_commune} → {self.to_commune}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return scoping.area_q(user, "from_commune")


class LongevityCelebration(ChoiceLabels, models.Model):
    """A longevity celebration (mừng thọ / chúc thọ) for one person in one year, at a
    milestone of age; its gift may be paid from a care fund (then ``entry`` is the payment)."""

    class Occasion(models.TextChoices):
        TET = "tet", _("Lunar New Year (Tết)")
        OLDER_DAY = "jun6", _("Vietnam Older Persons' Day (6 June)")
        INTERNATIONAL = "oct1", _("International Day of Older Persons (1 October)")
        BIRTHDAY = "birthday", _("Birthday")

    class GivenBy(models.TextChoices):
        PRESIDENT = "president", _("The State President")
        PROVINCE = "province", _("The provincial People's Committee")
        ASSOCIATION = "association", _("The association of the elderly")
        COMMUNE = "commune", _("The commune People's Committee")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        OlderPerson,
        verbose_name=_("older person"),
        on_delete=models.PROTECT,
        related_name="celebrations",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    milestone = models.PositiveSmallIntegerField(
        _("age milestone"), choices=[(m, f"{m}+" if m == 100 else str(m)) for m in MILESTONES]
    )
    occasion = models.CharField(_("occasion"), max_length=10, choices=Occasion.choices)
    held_on = models.DateField(_("presented on"))
    given_by = models.CharField(_("presented by"), max_length=12, choices=GivenBy.choices)
    gift = models.CharField(_("gift"), max_length=200, blank=True)
    gift_value = models.BigIntegerField(_("gift value (VND)"), default=0)
    entry = models.OneToOneField(
        "funds.LedgerEntry",
        verbose_name=_("payment from the care fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="celebration",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    _history_user: User | None

    scope_area_path = "person__commune"

    class Meta:
        verbose_name = _("longevity celebration")
        verbose_name_plural = _("longevity celebrations")
        ordering = ["-year", "person__search_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="celebration_once_a_year",
                violation_error_message=_("A celebration is already recorded for this year."),
            ),
            models.CheckConstraint(
                condition=Q(gift_value__gte=0),
                name="celebration_gift_value",
                violation_error_message=_("A gift's value cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["year"], name="celebration_year")]

    def __str__(self) -> str:
        return f"{self.person} – {self.milestone} ({self.year})"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        if scoping.effective_role(user) == Role.CLUB_LEADER and getattr(user, "club_id", None):
            return Q(person__member__club_id=user.club_id)  # type: ignore[union-attr]
        return scoping.NOTHING


class CareSupport(ChoiceLabels, models.Model):
    """Support paid from a care fund to a named older person (a sick visit, funeral support, a
    Tết gift, hardship): the fund's ledger entry (``entry``) with its purpose and beneficiary."""

    class Purpose(models.TextChoices):
        SICK_VISIT = "sick_visit", _("Sick visit")
        FUNERAL = "funeral", _("Funeral support")
        TET_GIFT = "tet_gift", _("Tết gift")
        HARDSHIP = "hardship", _("Hardship support")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        OlderPerson,
        verbose_name=_("older person"),
        on_delete=models.PROTECT,
        related_name="supports",
    )
    entry = models.OneToOneField(
        "funds.LedgerEntry",
        verbose_name=_("ledger entry"),
        on_delete=models.PROTECT,
        related_name="care_support",
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    _history_user: User | None

    scope_area_path = "entry__fund__owner_area"

    class Meta:
        verbose_name = _("care-fund support")
        verbose_name_plural = _("care-fund support")
        ordering = ["-entry__date", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_purpose_display()}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        """Also the support received by the people of the user's communes (paid before they
        moved in), and a leader's linked people."""
        q = scoping.area_q(user, "person__commune")
        if scoping.effective_role(user) == Role.CLUB_LEADER and getattr(user, "club_id", None):
            q |= Q(person__member__club_id=user.club_id)  # type: ignore[union-attr]
        return q


class CareReceipt(ChoiceLabels, models.Model):
    """Money received into an association's care fund: the fund's ledger entry (``entry``)
    with where it came from and who gave it. ``area`` copies the fund's association for
    scoping."""

    class Source(models.TextChoices):
        # The same values as ``campaigns.CampaignReceipt.Source``.
        MEMBERS = "members", pgettext_lazy("association", "Members")
        BUSINESSES = "businesses", _("Businesses")
        INDIVIDUALS = "individuals", _("Individuals")
        BUDGET = "budget", _("State budget")
        OTHER = "other", _("Other")

    entry = models.OneToOneField(
        "funds.LedgerEntry",
        verbose_name=_("receipt voucher"),
        on_delete=models.PROTECT,
        related_name="care_receipt",
    )
    area = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("association of"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    donor = models.CharField(_("donor"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "area"

    class Meta:
        verbose_name = _("care-fund receipt")
        verbose_name_plural = _("care-fund receipts")
        ordering = ["-entry__date", "-pk"]

    def __str__(self) -> str:
        return f"{self.donor} – {self.get_source_display()}"


# The most one line of a care-fund plan may hold: 50 billion ₫ (far above a province's care
# fund; a larger figure is a typing slip).
MAX_PLAN_VND = 50_000_000_000

# A plan's targets by source (``CareReceipt.Source``) and planned spending by purpose
# (``CareSupport.Purpose`` and the longevity celebrations): (field, source or purpose).
PLAN_TARGETS = (
    ("target_members", "members"),
    ("target_businesses", "businesses"),
    ("target_individuals", "individuals"),
    ("target_budget", "budget"),
    ("target_other", "other"),
)
PLAN_SPENDING = (
    ("spend_sick_visit", "sick_visit"),
    ("spend_funeral", "funeral"),
    ("spend_celebration", "celebration"),
    ("spend_tet_gift", "tet_gift"),
    ("spend_hardship", "hardship"),
    ("spend_other", "other"),
)


def _plan_money(label: StrOrPromise) -> models.BigIntegerField[int, int]:
    return models.BigIntegerField(
        label,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PLAN_VND)],
    )


class CareFundPlan(models.Model):
    """A commune association's care-fund plan for a year (or the province association's own
    share): what it means to raise, by source, and to spend, by purpose. The province plan is
    the sum of the plans of its communes and its own."""

    area = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("association of"),
        on_delete=models.PROTECT,
        related_name="care_fund_plans",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    target_members = _plan_money(_("target from members"))
    target_businesses = _plan_money(_("target from businesses"))
    target_individuals = _plan_money(_("target from individuals"))
    target_budget = _plan_money(_("target from the state budget"))
    target_other = _plan_money(_("target from other sources"))
    spend_sick_visit = _plan_money(_("planned sick visits"))
    spend_funeral = _plan_money(_("planned funeral support"))
    spend_celebration = _plan_money(_("planned longevity celebrations"))
    spend_tet_gift = _plan_money(_("planned Tết gifts"))
    spend_hardship = _plan_money(_("planned hardship support"))
    spend_other = _plan_money(_("planned other spending"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    _history_user: User | None

    scope_area_path = "area"

    class Meta:
        verbose_name = _("care-fund plan")
        verbose_name_plural = _("care-fund plans")
        ordering = ["-year", "area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year"],
                name="care_plan_once_a_year",
                violation_error_message=_("This association already has a plan for this year."),
            ),
            models.CheckConstraint(
                condition=Q(target_members__gte=0)
                & Q(target_businesses__gte=0)
                & Q(target_individuals__gte=0)
                & Q(target_budget__gte=0)
                & Q(target_other__gte=0)
                & Q(spend_sick_visit__gte=0)
                & Q(spend_funeral__gte=0)
                & Q(spend_celebration__gte=0)
                & Q(spend_tet_gift__gte=0)
                & Q(spend_hardship__gte=0)
                & Q(spend_other__gte=0),
                name="care_plan_not_negative",
                violation_error_message=_("A plan's figures cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"

    @property
    def target_total(self) -> int:
        return sum(getattr(self, f) for f, _s in PLAN_TARGETS)

    @property
    def spend_total(self) -> int:
        return sum(getattr(self, f) for f, _p in PLAN_SPENDING)


class OlderPersonImport(models.Model):
    """One upload of the register from Excel: the checked rows wait here between the preview
    and the commit (all or none), then are cleared."""

    commune = models.ForeignKey(
        "clubs.Area", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    rows = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    done = models.BooleanField(_("done"), default=False)
    created_count = models.PositiveIntegerField(_("persons added"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "commune"

    class Meta:
        verbose_name = _("import of older persons")
        verbose_name_plural = _("imports of older persons")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.commune}: {self.filename}"
