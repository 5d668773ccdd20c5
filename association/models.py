"""The association of the elderly (Hội Người cao tuổi) itself.

A province and each commune/ward that has an association is an ``AssociationUnit``; a commune
unit has its branches (chi hội, optionally split into groups, tổ hội). Each unit elects its
committee for a congress term. Every year a unit returns its membership figures, and the
province assesses its commune units (xếp loại Hội cơ sở). The province plans the clubs to
found in each commune and follows each planned club through the founding steps.

Scope: everything hangs off an ``Area`` (the unit's area, the round's or plan's province).
Provincial staff see their province, commune staff their commune; a club's leaders read the
unit of their club's commune (and what belongs to it) through ``scope_extra_q``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from config.choices import ChoiceLabels
from config.text import fold

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.scoping import Viewer

FIRST_YEAR = 1995  # VAE was founded on 10 May 1995
MAX_COUNT = 10_000_000  # more older persons than any commune or province has


def _local_commune_q(user: Viewer, path: str, *, province: bool = False) -> Q:
    """For commune staff and a club's leaders: objects of their commune (``path`` leads to a
    commune Area), or with ``province`` of their commune's province (``path`` leads to a
    province Area): a commune reads its province's assessment round and founding plan."""
    from accounts import scoping
    from clubs.models import Area, Club

    role = scoping.effective_role(user)
    if role is None or role == "admin":
        return scoping.NOTHING
    kind, ident = scoping._area_scope(user)
    if kind == "club" and ident is not None:
        communes: QuerySet[Any, Any] = Club.objects.filter(pk=ident).values("commune_id")
    elif kind == "commune" and province and ident is not None:
        communes = Area.objects.filter(pk=ident).values("pk")
    else:
        return scoping.NOTHING
    p = f"{path}__" if path else ""
    if province:
        provinces = Area.objects.filter(pk__in=communes).values("province_id")
        return Q(**{f"{p}pk__in": provinces})
    return Q(**{f"{p}pk__in": communes})


def points_text(value: Decimal | int | None) -> str:
    """Points as people write them: 50, 7,5 (no trailing ",0")."""
    if value is None:
        return "—"
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def current_year() -> int:
    return timezone.localdate().year


class AssociationUnit(ChoiceLabels, models.Model):
    """The association of one province or one commune/ward (the central level is implicit)."""

    area = models.OneToOneField(
        "clubs.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="association_unit",
    )
    name = models.CharField(pgettext_lazy("association", "name"), max_length=200)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    decision_number = models.CharField(_("founding decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "area"

    class Meta:
        verbose_name = _("association unit")
        verbose_name_plural = _("association units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        for name in ("founded_on", "decision_date"):
            day = getattr(self, name)
            if day and day > today:
                raise ValidationError({name: _("This date is in the future.")})
        if self.area_id and self.area.level not in ("province", "commune"):
            raise ValidationError(
                {"area": _("An association unit belongs to a province or a commune/ward.")}
            )

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "area")

    @property
    def is_commune(self) -> bool:
        return self.area.level == "commune"


class Branch(models.Model):
    """A branch (chi hội) of a commune association, by village, hamlet or residential group;
    with a ``parent`` it is a group (tổ hội) of that branch."""

    unit = models.ForeignKey(
        AssociationUnit,
        verbose_name=_("association unit"),
        on_delete=models.CASCADE,
        related_name="branches",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("branch (for a group)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="groups",
        help_text=_("Empty for a branch; the branch for a group (tổ hội)."),
    )
    name = models.CharField(pgettext_lazy("association", "name"), max_length=200)
    village = models.CharField(_("village/residential group"), max_length=200, blank=True)
    leader_name = models.CharField(_("branch head"), max_length=120, blank=True)
    clubs = models.ManyToManyField(
        "clubs.Club",
        verbose_name=_("clubs drawing from this branch"),
        blank=True,
        related_name="association_branches",
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    scope_area_path = "unit__area"

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "parent", "name"],
                name="branch_unique_name",
                violation_error_message=_(
                    "This association already has a branch or group with that name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(f"{self.name} {self.village}")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.unit_id and self.unit.area.level != "commune":
            raise ValidationError({"unit": _("Branches belong to a commune association.")})
        parent = self.parent if self.parent_id else None
        if parent is not None:
            if parent.unit_id != self.unit_id:
                raise ValidationError({"parent": _("Choose a branch of the same association.")})
            if parent.parent_id:
                raise ValidationError({"parent": _("A group belongs to a branch, not to a group.")})

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "unit__area")


class CommitteeTerm(models.Model):
    """The executive committee (Ban chấp hành) of a unit for one congress term, e.g.
    2021–2026; its standing committee are the chair, vice-chairs and standing members."""

    unit = models.ForeignKey(
        AssociationUnit,
        verbose_name=_("association unit"),
        on_delete=models.CASCADE,
        related_name="terms",
    )
    name = models.CharField(_("term"), max_length=60, help_text=_("e.g. Term 2021–2026"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    congress_on = models.DateField(_("congress date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_area_path = "unit__area"

    class Meta:
        verbose_name = _("committee term")
        verbose_name_plural = _("committee terms")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="committee_term_order",
                violation_error_message=_("The term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The term cannot end before it starts.")})
        if self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days > 10 * 366:
            raise ValidationError({"ends_on": _("A congress term lasts at most ten years.")})
        if self.congress_on and self.congress_on > timezone.localdate():
            raise ValidationError({"congress_on": _("This date is in the future.")})

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "unit__area")

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class CommitteeMember(ChoiceLabels, models.Model):
    """A seat on a unit's committee for a term: a club member where one exists, else a name."""

    class Position(models.TextChoices):
        CHAIR = "chair", pgettext_lazy("association", "Chair")
        VICE_CHAIR = "vice_chair", pgettext_lazy("association", "Vice-chair")
        STANDING = "standing", _("Standing committee member")
        MEMBER = "member", _("Executive committee member")
        INSPECTION = "inspection", _("Inspection committee member")

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    STANDING_POSITIONS = (Position.CHAIR, Position.VICE_CHAIR, Position.STANDING)

    term = models.ForeignKey(
        CommitteeTerm, verbose_name=_("term"), on_delete=models.CASCADE, related_name="seats"
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("club member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="association_seats",
    )
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    phone = models.CharField(_("phone number"), max_length=15, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    search_name = models.CharField(max_length=120, editable=False, db_index=True)

    scope_area_path = "term__unit__area"

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["position", "full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="committee_member_order",
                violation_error_message=_("The seat cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.display_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.member_id and not self.full_name and self.member:
            self.full_name = self.member.full_name
        self.search_name = fold(self.full_name)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or (self.member.full_name if self.member_id and self.member else "")

    @property
    def is_standing(self) -> bool:
        return self.position in self.STANDING_POSITIONS

    def clean(self) -> None:
        super().clean()
        if not self.member_id and not self.full_name.strip():
            raise ValidationError({"full_name": _("Enter the person's name or choose a member.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The seat cannot end before it starts.")})
        year = timezone.localdate().year
        if self.birth_year and not year - 110 <= self.birth_year <= year - 18:
            raise ValidationError(
                {
                    "birth_year": _("Enter a year of birth between %(a)s and %(b)s.")
                    % {"a": year - 110, "b": year - 18}
                }
            )
        if self.term_id and self.starts_on and self.term.ends_on < self.starts_on:
            raise ValidationError({"starts_on": _("This date is after the end of the term.")})

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "term__unit__area")


AGE_BANDS = (("60_69", "60–69"), ("70_79", "70–79"), ("80_89", "80–89"), ("90_99", "90–99"),
             ("100", "100+"))  # fmt: skip
POPULATION_FIELDS = tuple(f"{sex}_{band}" for band, _label in AGE_BANDS for sex in ("men", "women"))


def _count(label: Any) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0, validators=[MaxValueValidator(MAX_COUNT)])


class Review(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed by the province")


class MembershipReturn(ChoiceLabels, models.Model):
    """A unit's membership figures for one year, filled by commune staff and reviewed by the
    province: the older persons living in the area by sex and age band, the association's
    members, who joined and who left or died, the dues collected and the branches."""

    Status = Review

    unit = models.ForeignKey(
        AssociationUnit,
        verbose_name=_("association unit"),
        on_delete=models.CASCADE,
        related_name="returns",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)]
    )
    men_60_69 = _count(_("men 60–69"))
    women_60_69 = _count(_("women 60–69"))
    men_70_79 = _count(_("men 70–79"))
    women_70_79 = _count(_("women 70–79"))
    men_80_89 = _count(_("men 80–89"))
    women_80_89 = _count(_("women 80–89"))
    men_90_99 = _count(_("men 90–99"))
    women_90_99 = _count(_("women 90–99"))
    men_100 = _count(_("men 100+"))
    women_100 = _count(_("women 100+"))
    members = _count(_("association members"))
    new_members = _count(_("new members this year"))
    left_members = _count(_("members who left or died"))
    dues_vnd = models.BigIntegerField(
        _("dues collected (₫)"), default=0, validators=[MinValueValidator(0)]
    )
    branches_count = models.PositiveIntegerField(
        _("branches"), default=0, validators=[MaxValueValidator(10_000)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Review.choices, default=Review.DRAFT
    )
    review_note = models.CharField(_("province's note"), max_length=500, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_area_path = "unit__area"

    class Meta:
        verbose_name = _("membership return")
        verbose_name_plural = _("membership returns")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="membership_return_unique_year",
                violation_error_message=_("This unit already has a return for that year."),
            ),
            models.CheckConstraint(
                condition=Q(dues_vnd__gte=0),
                name="membership_return_dues",
                violation_error_message=_("The dues collected cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @property
    def older_persons(self) -> int:
        return sum(getattr(self, name) or 0 for name in POPULATION_FIELDS)

    @property
    def older_men(self) -> int:
        return sum(getattr(self, f"men_{band}") or 0 for band, _label in AGE_BANDS)

    @property
    def older_women(self) -> int:
        return sum(getattr(self, f"women_{band}") or 0 for band, _label in AGE_BANDS)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        for name in (*POPULATION_FIELDS, "members", "new_members", "left_members", "dues_vnd"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("A count cannot be negative.")
        if self.year and self.year > current_year():
            errors["year"] = _("The year cannot be in the future.")
        older = self.older_persons
        if self.members and self.members > older:
            errors["members"] = _(
                "The association cannot have more members (%(members)s) than older persons "
                "living in the area (%(older)s)."
            ) % {"members": self.members, "older": older}
        if self.new_members and self.members is not None and self.new_members > self.members:
            errors["new_members"] = _("New members cannot be more than all the members.")
        if self.dues_vnd and self.dues_vnd > settings.ISHC_MAX_AMOUNT_VND:
            errors["dues_vnd"] = _("The amount is too large.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "unit__area")


class AssessmentClass(models.TextChoices):
    STRONG = "strong", _("Strong")
    GOOD = "good", _("Good")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")


class AssessmentRound(ChoiceLabels, models.Model):
    """The yearly assessment of a province's commune associations (xếp loại Hội cơ sở): its
    criteria and the thresholds of each class. Published, it is locked."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("association", "Open")
        PUBLISHED = "published", _("Published")

    province = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="assessment_rounds",
        limit_choices_to={"level": "province"},
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    strong_min = models.DecimalField(
        _("strong from (points)"), max_digits=6, decimal_places=1, default=Decimal(90)
    )
    good_min = models.DecimalField(
        _("good from (points)"), max_digits=6, decimal_places=1, default=Decimal(75)
    )
    average_min = models.DecimalField(
        _("average from (points)"), max_digits=6, decimal_places=1, default=Decimal(50)
    )
    deadline = models.DateField(_("self-assessment due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    _history_user: User | None

    scope_area_path = "province"

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year", "province__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="assessment_round_unique",
                violation_error_message=_("This province already has a round for that year."),
            ),
            models.CheckConstraint(
                condition=Q(strong_min__gt=models.F("good_min"))
                & Q(good_min__gt=models.F("average_min"))
                & Q(average_min__gte=0),
                name="assessment_round_thresholds",
                violation_error_message=_(
                    "The thresholds must go down: strong > good > average ≥ 0."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def locked(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        super().clean()
        if self.year and self.year > current_year() + 1:
            raise ValidationError({"year": _("The year is too far in the future.")})
        if None not in (self.strong_min, self.good_min, self.average_min) and not (
            self.strong_min > self.good_min > self.average_min >= 0
        ):
            raise ValidationError(
                {"good_min": _("The thresholds must go down: strong > good > average ≥ 0.")}
            )

    def classify(self, total: Decimal | int | None) -> str:
        if total is None:
            return ""
        if total >= self.strong_min:
            return AssessmentClass.STRONG
        if total >= self.good_min:
            return AssessmentClass.GOOD
        if total >= self.average_min:
            return AssessmentClass.AVERAGE
        return AssessmentClass.WEAK

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "province", province=True)


class AssessmentCriterion(models.Model):
    """One criterion of a round: its group, the most points it gives and how to score it."""

    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="criteria"
    )
    group = models.CharField(_("group"), max_length=120)
    name = models.CharField(_("criterion"), max_length=300)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(100))],
    )
    guidance = models.TextField(_("how to score"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    scope_area_path = "round__province"

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def max_text(self) -> str:
        return points_text(self.max_points)

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "round__province", province=True)


class UnitAssessment(ChoiceLabels, models.Model):
    """A commune association's assessment in a round: its self-scores, then the province's
    final scores, class and comment."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    unit = models.ForeignKey(
        AssociationUnit,
        verbose_name=_("association unit"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    self_total = models.DecimalField(
        _("self-assessed points"), max_digits=6, decimal_places=1, default=Decimal(0)
    )
    final_total = models.DecimalField(
        _("final points"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    result = models.CharField(
        _("class"), max_length=10, choices=AssessmentClass.choices, blank=True
    )
    comment = models.TextField(_("province's comment"), blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    _history_user: User | None

    scope_area_path = "unit__area"

    class Meta:
        verbose_name = _("unit assessment")
        verbose_name_plural = _("unit assessments")
        ordering = ["-round__year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit"],
                name="unit_assessment_unique",
                violation_error_message=_("This unit is already assessed in this round."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.round.year}"

    @property
    def self_text(self) -> str:
        return points_text(self.self_total)

    @property
    def final_text(self) -> str:
        return points_text(self.final_total)

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "unit__area")


class AssessmentScore(models.Model):
    """The points of one criterion: the unit's own, with a note and evidence, and the
    province's final points."""

    assessment = models.ForeignKey(UnitAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        AssessmentCriterion, on_delete=models.CASCADE, related_name="scores"
    )
    self_score = models.DecimalField(
        _("self-assessed points"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=500, blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to="association/evidence/", max_length=300, blank=True
    )
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    evidence_kind = models.CharField(max_length=4, blank=True)
    final_score = models.DecimalField(
        _("final points"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip

    history = HistoricalRecords()

    scope_area_path = "assessment__unit__area"

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="assessment_score_unique",
                violation_error_message=_("This criterion is already scored in this assessment.")),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0),
                name="assessment_score_self_positive",
                violation_error_message=_("Points cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(final_score__isnull=True) | Q(final_score__gte=0),
                name="assessment_score_final_positive",
                violation_error_message=_("Points cannot be negative."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.assessment}: {self.criterion}"

    @property
    def self_text(self) -> str:
        return points_text(self.self_score)

    @property
    def final_text(self) -> str:
        return points_text(self.final_score)

    def clean(self) -> None:
        super().clean()
        top = self.criterion.max_points
        for name in ("self_score", "final_score"):
            value = getattr(self, name)
            if value is not None and value > top:
                raise ValidationError(
                    {
                        name: _("At most %(max)s points for this criterion.")
                        % {"max": points_text(top)}
                    }
                )

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "assessment__unit__area")


class AssessmentStep(ChoiceLabels, models.Model):
    """Who moved an assessment on, when, and why (a return carries its reason)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")

    assessment = models.ForeignKey(UnitAssessment, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    scope_area_path = "assessment__unit__area"

    class Meta:
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_action_display()}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "assessment__unit__area")


def _check_commune_of_plan(obj: FoundingTarget | ClubFounding) -> None:
    if not (obj.plan_id and obj.commune_id):
        return
    if obj.commune.level != "commune" or obj.commune.province_id != obj.plan.province_id:
        raise ValidationError({"commune": _("This commune is not in the plan's province.")})


class FoundingPlan(models.Model):
    """A province's plan for founding clubs over a period, e.g. 2024–2030."""

    province = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="founding_plans",
        limit_choices_to={"level": "province"},
    )
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(
        _("from year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("to year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    decision = models.CharField(_("decision or plan number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    _history_user: User | None

    scope_area_path = "province"

    class Meta:
        verbose_name = _("founding plan")
        verbose_name_plural = _("founding plans")
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="founding_plan_years",
                violation_error_message=_("The plan cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.start_year and self.end_year:
            if self.end_year < self.start_year:
                raise ValidationError({"end_year": _("The plan cannot end before it starts.")})
            if self.end_year - self.start_year > 15:
                raise ValidationError({"end_year": _("A plan covers at most 16 years.")})

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "province", province=True)


class FoundingTarget(models.Model):
    """How many new clubs a commune plans to found in one year of a plan, and who supports."""

    plan = models.ForeignKey(
        FoundingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    commune = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("commune/ward"),
        on_delete=models.PROTECT,
        related_name="founding_targets",
        limit_choices_to={"level": "commune"},
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    planned = models.PositiveSmallIntegerField(
        _("new clubs planned"), validators=[MaxValueValidator(100)]
    )
    supporter = models.CharField(_("supported by"), max_length=200, blank=True)

    history = HistoricalRecords()

    scope_area_path = "commune"

    class Meta:
        verbose_name = _("founding target")
        verbose_name_plural = _("founding targets")
        ordering = ["year", "commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "commune", "year"],
                name="founding_target_unique",
                violation_error_message=_(
                    "This commune already has a target for that year in this plan."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.year}: {self.planned}"

    def clean(self) -> None:
        super().clean()
        _check_commune_of_plan(self)
        if (
            self.plan_id
            and self.year
            and not self.plan.start_year <= self.year <= self.plan.end_year
        ):
            raise ValidationError(
                {"year": _("Choose a year of the plan (%(a)s–%(b)s).")
                 % {"a": self.plan.start_year, "b": self.plan.end_year}}
            )  # fmt: skip

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "commune")


class ClubFounding(ChoiceLabels, models.Model):
    """One planned club on its way: the founding steps done so far, and at the end the club."""

    class Step(models.IntegerChoices):
        SURVEY = 1, _("Survey and consultation")
        BOARD = 2, _("Mobilising board")
        TRAINING = 3, _("Training of the future board")
        MEMBERS = 4, _("Member list")
        DECISION = 5, _("Commune decision")
        LAUNCH = 6, _("Launch ceremony")

    plan = models.ForeignKey(
        FoundingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="foundings"
    )
    commune = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("commune/ward"),
        on_delete=models.PROTECT,
        related_name="club_foundings",
        limit_choices_to={"level": "commune"},
    )
    name = models.CharField(_("planned club name"), max_length=200)
    village = models.CharField(_("village/residential group"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("planned year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    step = models.PositiveSmallIntegerField(
        _("last step done"), choices=Step.choices, null=True, blank=True
    )
    step_on = models.DateField(_("last step on"), null=True, blank=True)
    training = models.ForeignKey(
        "trainings.Training",
        verbose_name=_("training attended by the future board"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="club_foundings",
    )
    decision_number = models.CharField(_("founding decision number"), max_length=60, blank=True)
    decision_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    club = models.OneToOneField(
        "clubs.Club",
        verbose_name=_("club"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="founding",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    _history_user: User | None

    scope_area_path = "commune"

    class Meta:
        verbose_name = _("club founding")
        verbose_name_plural = _("club foundings")
        ordering = ["commune__name", "name", "pk"]
        indexes = [models.Index(fields=["plan", "step", "step_on"], name="founding_stall_idx")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        _check_commune_of_plan(self)
        if (
            self.plan_id
            and self.year
            and not self.plan.start_year <= self.year <= self.plan.end_year
        ):
            raise ValidationError(
                {"year": _("Choose a year of the plan (%(a)s–%(b)s).")
                 % {"a": self.plan.start_year, "b": self.plan.end_year}}
            )  # fmt: skip

    @property
    def done(self) -> bool:
        return self.step == self.Step.LAUNCH

    @property
    def next_step(self) -> int | None:
        if self.step == self.Step.LAUNCH:
            return None
        return (self.step or 0) + 1

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "commune")


class FoundingStep(ChoiceLabels, models.Model):
    """One step of a club's founding: when it was done, who was responsible, the paper."""

    founding = models.ForeignKey(ClubFounding, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("step"), choices=ClubFounding.Step.choices)
    done_on = models.DateField(_("done on"))
    responsible = models.CharField(_("responsible person"), max_length=120)
    note = models.CharField(_("note"), max_length=300, blank=True)
    document = models.FileField(
        _("document"), upload_to="association/founding/", max_length=300, blank=True
    )
    document_name = models.CharField(_("file name"), max_length=200, blank=True)
    document_kind = models.CharField(max_length=4, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    scope_area_path = "founding__commune"

    class Meta:
        verbose_name = _("founding step")
        verbose_name_plural = _("founding steps")
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(
                fields=["founding", "step"],
                name="founding_step_unique",
                violation_error_message=_("This step is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.founding}: {self.get_step_display()}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _local_commune_q(user, "founding__commune")
