"""Campaigns and emulation drives of the associations of the elderly.

A **campaign** (the October Action Month, the care-fund drive, Tết visits, 6 June, 1 October)
is organised by a province or a commune association, deployed by a province to its communes,
and measured against its **targets**. What is done under it is recorded where it already
lives and tagged here: a club's activities and home-care visits (``CampaignActivity``,
``CampaignVisit``), gifts paid from a care fund (``CampaignGift``, with its ledger payment),
money raised into a care fund (``CampaignReceipt``, with its ledger receipt). Results are
counted from these records, never typed. Each commune reports on the campaign
(``CampaignReport``): submitted, returned or approved by the province, then locked.

An **emulation drive** (phong trào thi đua, e.g. "Tuổi cao – Gương sáng") has criteria with
maximum points; communes and clubs register with pledges, record results with evidence, are
scored (self-score, review, final) and ranked; **commendations** go to registered units and
to people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from config.choices import ChoiceLabels

if TYPE_CHECKING:
    from accounts.scoping import Viewer


class CampaignsError(ValidationError):
    """A campaign or emulation write refused for a reason the user can fix."""


class FileKind(models.TextChoices):
    """What an uploaded plan or evidence file is, by its content (``trainings.files``)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (docx)"
    XLSX = "xlsx", "Excel (xlsx)"
    PPTX = "pptx", "PowerPoint (pptx)"
    JPG = "jpg", "JPEG"
    PNG = "png", "PNG"


def _areas_q(user: Viewer, path: str) -> Q:
    """Objects whose area (``path``) is one the user works in (a leader: their commune)."""
    from accounts import scoping

    return Q(**{f"{path}__in": scoping.areas_for(user).values("pk")})


def _province_of_areas_q(user: Viewer, path: str) -> Q:
    """Objects organised by the province of an area the user works in."""
    from accounts import scoping

    return Q(**{f"{path}__in": scoping.areas_for(user).values("province_id")})


def plan_upload_to(instance: Campaign, filename: str) -> str:
    return f"campaigns/plans/{filename}"


class Campaign(ChoiceLabels, models.Model):
    """A campaign of an association (chiến dịch, đợt vận động): the Action Month for Older
    Persons every October, the care-fund drive, Tết visits, the days of 6 June and 1 October.

    A province's campaign is deployed to its communes (``deployed_to``), each of which sees it,
    sets its own targets and reports on it; a commune may run a campaign of its own.
    """

    class Kind(models.TextChoices):
        ACTION_MONTH = "action_month", _("Action Month for Older Persons")
        CARE_FUND = "care_fund", _("Care-fund drive")
        TET = "tet", _("Tết visits")
        DAY_6_6 = "day_6_6", _("Vietnam Older Persons' Day (6 June)")
        DAY_1_10 = "day_1_10", _("International Day of Older Persons (1 October)")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    organiser = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="organised_campaigns",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    plan_file = models.FileField(
        _("plan document"), upload_to=plan_upload_to, max_length=300, blank=True
    )
    plan_name = models.CharField(_("plan file name"), max_length=200, blank=True)
    plan_kind = models.CharField(max_length=4, choices=FileKind.choices, blank=True)
    deployed_to = models.ManyToManyField(
        "clubs.Area",
        verbose_name=_("deployed to the communes"),
        blank=True,
        related_name="deployed_campaigns",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Every edit of the campaign's page (who, when, which field; the communes added or
    # withdrawn as the change's reason): ``services.campaign_update``.
    history = HistoricalRecords(excluded_fields=["plan_file"])

    scope_area_path = "organiser"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["starts_on"], name="campaign_starts_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_period_order",
                violation_error_message=_("The end comes before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        """The communes it is deployed to see it, and so do their clubs' leaders."""
        from accounts import scoping

        through = cls.deployed_to.through
        deployed = through.objects.filter(area__in=scoping.areas_for(user).values("pk"))
        return Q(pk__in=deployed.values("campaign_id")) | _areas_q(user, "organiser")

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end comes before the start.")})
        if self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days > 366:
            raise ValidationError({"ends_on": _("A campaign lasts at most a year.")})

    @property
    def is_provincial(self) -> bool:
        from clubs.models import Area

        return self.organiser.level == Area.Level.PROVINCE


class Indicator(models.TextChoices):
    """What a campaign's targets and results count (the fixed list)."""

    VISITED = "visited", _("Older persons visited")
    GIFTS = "gifts", _("Gifts given")
    GIFT_VALUE = "gift_value", _("Value of the gifts (VND)")
    MONEY_RAISED = "money_raised", _("Money raised (VND)")
    HEALTH_CHECKS = "health_checks", _("Health checks")
    NEW_MEMBERS = "new_members", _("New members")
    NEW_CLUBS = "new_clubs", _("New clubs")
    PEOPLE_REACHED = "people_reached", _("People reached by communication events")


MONEY_INDICATORS = frozenset({Indicator.GIFT_VALUE, Indicator.MONEY_RAISED})
# Far above any real commune's or province's campaign; refuses typing mistakes.
MAX_TARGET = 10**12


class CampaignTarget(ChoiceLabels, models.Model):
    """A target of a campaign: the number an indicator should reach, for the whole campaign
    (``commune`` empty) or for one commune (set by the commune for a deployed campaign)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.CharField(_("indicator"), max_length=16, choices=Indicator.choices)
    commune = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.BigIntegerField(
        _("target"), validators=[MinValueValidator(0), MaxValueValidator(MAX_TARGET)]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope_area_path = "campaign__organiser"

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["campaign", "commune", "indicator"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=0),
                name="campaign_target_not_negative",
                violation_error_message=_("A target cannot be below zero."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "indicator", "commune"],
                name="campaign_target_once_per_commune",
                violation_error_message=_("This indicator already has a target here."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "indicator"],
                condition=Q(commune__isnull=True),
                name="campaign_target_once_overall",
                violation_error_message=_("This indicator already has a target here."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.number}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _areas_q(user, "commune")


class CampaignGift(ChoiceLabels, models.Model):
    """A gift or a visit to a named older person under a campaign (quà thăm hỏi), optionally
    paid from a care fund: the payment is a ledger entry written in the same transaction."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        GOODS = "goods", _("Goods")
        LONGEVITY = "longevity", _("Longevity celebration")
        HEALTH_INSURANCE = "health_insurance", _("Health insurance card")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="gifts"
    )
    # The association that gives: a commune the campaign is deployed to, or the organiser.
    area = models.ForeignKey(
        "clubs.Area", verbose_name=_("given by the association of"), on_delete=models.PROTECT
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_gifts",
    )
    older_person = models.ForeignKey(
        "elders.OlderPerson",
        verbose_name=_("older person in the register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_gifts",
    )
    # The person's name: a copy of the member's or the register's, or typed for someone in
    # neither.
    person_name = models.CharField(_("older person"), max_length=120)
    village = models.CharField(_("village"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of gift"), max_length=16, choices=Kind.choices)
    value = models.BigIntegerField(_("value (VND)"))
    given_by = models.CharField(_("given by"), max_length=200, blank=True)
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("paid from the fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entry = models.OneToOneField(
        "funds.LedgerEntry",
        verbose_name=_("payment voucher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_gift",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "area"

    class Meta:
        verbose_name = _("campaign gift")
        verbose_name_plural = _("campaign gifts")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["campaign", "area"], name="campaign_gift_area")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="campaign_gift_value_positive",
                violation_error_message=_("The value must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=True) | Q(older_person__isnull=True),
                name="campaign_gift_one_person",
                violation_error_message=_("Choose either a member or an older person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.date:%d/%m/%Y}"


class CampaignReceipt(ChoiceLabels, models.Model):
    """Money raised for a campaign: a receipt of a care fund's ledger (``entry``), tagged with
    the campaign, where it came from and who gave it."""

    class Source(models.TextChoices):
        MEMBERS = "members", pgettext_lazy("association", "Members")
        BUSINESSES = "businesses", _("Businesses")
        INDIVIDUALS = "individuals", _("Individuals")
        BUDGET = "budget", _("State budget")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="receipts"
    )
    entry = models.OneToOneField(
        "funds.LedgerEntry",
        verbose_name=_("receipt voucher"),
        on_delete=models.PROTECT,
        related_name="campaign_receipt",
    )
    # The association whose care fund received it (a copy of the fund's owner, for scoping).
    area = models.ForeignKey(
        "clubs.Area", verbose_name=_("association of"), on_delete=models.PROTECT
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    donor = models.CharField(_("donor"), max_length=200)
    # The receipt voucher was written by the campaign's money form (``receipt_record``), not
    # tagged afterwards (``receipt_tag``): the entry exists for the campaign and its source is
    # kept only here, so the tag cannot be removed while the receipt stands.
    recorded_here = models.BooleanField(
        _("recorded on the campaign's page"), default=False, db_default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "area"

    class Meta:
        verbose_name = _("money raised")
        verbose_name_plural = _("money raised")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["campaign", "area"], name="campaign_receipt_area")]

    def __str__(self) -> str:
        return f"{self.donor} ({self.entry_id})"


class CampaignActivity(models.Model):
    """A club's activity (month.Activity) done under a campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="activities"
    )
    activity = models.OneToOneField(
        "month.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="campaign_tag",
    )
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tagged_at = models.DateTimeField(auto_now_add=True)

    scope_club_path = "activity__club"

    class Meta:
        verbose_name = _("activity of a campaign")
        verbose_name_plural = _("activities of campaigns")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.activity_id}"


class CampaignVisit(models.Model):
    """A home-care visit (month.HomeCareVisit) made under a campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="visits"
    )
    visit = models.OneToOneField(
        "month.HomeCareVisit",
        verbose_name=_("home-care visit"),
        on_delete=models.CASCADE,
        related_name="campaign_tag",
    )
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tagged_at = models.DateTimeField(auto_now_add=True)

    scope_club_path = "visit__club"

    class Meta:
        verbose_name = _("home-care visit of a campaign")
        verbose_name_plural = _("home-care visits of campaigns")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.visit_id}"


class CampaignReport(ChoiceLabels, models.Model):
    """A commune's report on a campaign, compiled from the tagged records against the targets.

    draft → submitted (commune) → approved (province), or returned with a comment and
    submitted again. Approval freezes the figures and locks the commune's records of the
    campaign. Every step is a ``CampaignReportEvent``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="reports"
    )
    commune = models.ForeignKey(
        "clubs.Area", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    narrative = models.TextField(_("what was done, results, difficulties"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    return_comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_area_path = "commune"

    class Meta:
        verbose_name = _("campaign report")
        verbose_name_plural = _("campaign reports")
        ordering = ["campaign", "commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune"],
                name="campaign_report_once_per_commune",
                violation_error_message=_("This commune already has a report on the campaign."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} – {self.commune}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        """The organiser's staff read every commune's report of their campaign."""
        from accounts import scoping

        return scoping.area_q(user, "campaign__organiser")

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class CampaignReportEvent(ChoiceLabels, models.Model):
    """One step of a campaign report (the log): who submitted, returned or approved, when."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        RETURN = "return", _("Returned")
        APPROVE = "approve", _("Approved")

    report = models.ForeignKey(CampaignReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    scope_area_path = "report__commune"

    class Meta:
        verbose_name = _("campaign report step")
        verbose_name_plural = _("campaign report steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        from accounts import scoping

        return scoping.area_q(user, "report__campaign__organiser")


# --- Emulation -----------------------------------------------------------------------------


class EmulationDrive(models.Model):
    """An emulation drive (phong trào / đợt thi đua) organised by a province or a commune
    association: its occasion, period and criteria; the units of the area register for it."""

    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="emulation_drives",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    occasion = models.CharField(_("occasion"), max_length=300, blank=True)
    description = models.TextField(_("content"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Every edit of the drive's page: ``services.drive_update``.
    history = HistoricalRecords()

    scope_area_path = "organiser"

    class Meta:
        verbose_name = _("emulation drive")
        verbose_name_plural = _("emulation drives")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="drive_period_order",
                violation_error_message=_("The end comes before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        """The communes and clubs of the organising province (or commune) see it."""
        return _areas_q(user, "organiser") | _province_of_areas_q(user, "organiser")

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end comes before the start.")})


class EmulationCriterion(models.Model):
    """A criterion of a drive: what is scored, the most points it gives, the evidence asked."""

    drive = models.ForeignKey(
        EmulationDrive, verbose_name=_("drive"), on_delete=models.CASCADE, related_name="criteria"
    )
    seq = models.PositiveSmallIntegerField(_("no."), default=1)
    name = models.CharField(_("criterion"), max_length=300)
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    evidence = models.CharField(_("evidence asked for"), max_length=300, blank=True)

    scope_area_path = "drive__organiser"

    class Meta:
        verbose_name = _("emulation criterion")
        verbose_name_plural = _("emulation criteria")
        ordering = ["drive", "seq", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gte=1, max_points__lte=1000),
                name="criterion_points_range",
                violation_error_message=_("A criterion gives from 1 to 1000 points."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _areas_q(user, "drive__organiser") | _province_of_areas_q(user, "drive__organiser")


class EmulationRegistration(ChoiceLabels, models.Model):
    """A unit's registration for a drive (đăng ký thi đua): a commune association or a club,
    with its pledges. Its results are scored in three stages, each logged."""

    class Stage(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        SELF_SCORED = "self_scored", _("Self-scored")
        REVIEWED = "reviewed", _("Reviewed")
        FINAL = "final", _("Final score")

    drive = models.ForeignKey(
        EmulationDrive,
        verbose_name=_("drive"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    area = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("commune association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("club"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emulation_registrations",
    )
    pledges = models.TextField(_("pledges"))
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    scope_club_path = "club"
    scope_area_path = "area"

    class Meta:
        verbose_name = _("emulation registration")
        verbose_name_plural = _("emulation registrations")
        ordering = ["drive", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(club__isnull=True))
                | (Q(area__isnull=True) & Q(club__isnull=False)),
                name="registration_one_unit",
                violation_error_message=_("Choose the commune association or the club."),
            ),
            models.UniqueConstraint(
                fields=["drive", "area"],
                name="registration_once_per_area",
                violation_error_message=_("This unit has already registered for the drive."),
            ),
            models.UniqueConstraint(
                fields=["drive", "club"],
                name="registration_once_per_club",
                violation_error_message=_("This unit has already registered for the drive."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)

    @property
    def unit(self) -> object:
        return self.club if self.club_id else self.area

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        """The organiser's staff see every registration of their drive."""
        from accounts import scoping

        return scoping.area_q(user, "drive__organiser")


class EmulationResult(models.Model):
    """What a registered unit achieved on one criterion, with its points at each stage."""

    registration = models.ForeignKey(
        EmulationRegistration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    criterion = models.ForeignKey(
        EmulationCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    achievement = models.TextField(_("result achieved"), blank=True)
    self_points = models.PositiveSmallIntegerField(_("self-score"), null=True, blank=True)
    review_points = models.PositiveSmallIntegerField(_("reviewed score"), null=True, blank=True)
    final_points = models.PositiveSmallIntegerField(_("final score"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    scope_club_path = "registration__club"
    scope_area_path = "registration__area"

    class Meta:
        verbose_name = _("emulation result")
        verbose_name_plural = _("emulation results")
        ordering = ["registration", "criterion__seq", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "criterion"],
                name="result_once_per_criterion",
                violation_error_message=_("This criterion already has a result."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.criterion_id}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        from accounts import scoping

        return scoping.area_q(user, "registration__drive__organiser")

    def clean(self) -> None:
        top = self.criterion.max_points if self.criterion_id else None
        errors = {}
        for field in ("self_points", "review_points", "final_points"):
            value = getattr(self, field)
            if top is not None and value is not None and value > top:
                errors[field] = _("At most %(max)s points for this criterion.") % {"max": top}
        if errors:
            raise ValidationError(errors)


def evidence_upload_to(instance: EmulationEvidence, filename: str) -> str:
    return f"campaigns/evidence/{filename}"


class EmulationEvidence(ChoiceLabels, models.Model):
    """A file proving a result (a photo, minutes, a list), checked by its content."""

    result = models.ForeignKey(
        EmulationResult, on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=4, choices=FileKind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_club_path = "result__registration__club"
    scope_area_path = "result__registration__area"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        from accounts import scoping

        return scoping.area_q(user, "result__registration__drive__organiser")


class Commendation(ChoiceLabels, models.Model):
    """A commendation (khen thưởng) of a drive: to a registered unit, or to a person (a
    member, a committee member, a volunteer), at one of four levels, by a decision."""

    class RecipientKind(models.TextChoices):
        UNIT = "unit", _("Registered unit")
        MEMBER = "member", _("Member")
        COMMITTEE = "committee", _("Association committee member")
        VOLUNTEER = "volunteer", _("Volunteer")

    class Level(models.TextChoices):
        COMMUNE_ASSOCIATION = "gk_commune", _("Certificate of merit of the commune association")
        PROVINCE_ASSOCIATION = "gk_province", _("Certificate of merit of the province association")
        PROVINCE_COMMITTEE = "bk_province", _("Merit of the province People's Committee")
        CENTRAL_ASSOCIATION = "bk_central", _("Merit of the central association")

    drive = models.ForeignKey(
        EmulationDrive,
        verbose_name=_("drive"),
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    recipient_kind = models.CharField(_("given to"), max_length=10, choices=RecipientKind.choices)
    registration = models.ForeignKey(
        EmulationRegistration,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    person_name = models.CharField(_("person"), max_length=120, blank=True)
    # Where the unit or person belongs (scoping, club and member pages).
    area = models.ForeignKey(
        "clubs.Area", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("club"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    level = models.CharField(
        pgettext_lazy("commendation", "level"), max_length=12, choices=Level.choices
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    reason = models.CharField(_("for"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    scope_area_path = "area"
    scope_club_path = "club"

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recipient_kind="unit") | Q(registration__isnull=False),
                name="commendation_unit_registered",
                violation_error_message=_("Choose the registered unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} – {self.decision_number}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        from accounts import scoping

        return scoping.area_q(user, "drive__organiser")

    @property
    def is_unit(self) -> bool:
        return self.recipient_kind == self.RecipientKind.UNIT

    @property
    def recipient_name(self) -> str:
        if self.is_unit and self.registration is not None:
            return str(self.registration.unit)
        return self.person_name
