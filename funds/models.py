"""Funds, the append-only ledger, dues, loans and fund plans.

A fund's balance is the sum of its ledger entries (in − out). ``Fund.balance`` caches that sum;
it is only ever changed by ``funds.services`` in the same transaction as the entry, under a row
lock on the fund, and a check constraint keeps it from going below zero.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.choices import ChoiceLabels

if TYPE_CHECKING:
    from accounts.scoping import Viewer


class FundsError(ValidationError):
    """A money operation refused for a reason the user can fix (shown next to the field)."""


class Fund(ChoiceLabels, models.Model):
    """A pot of money kept by a club (revolving or operating) or by an association (care fund)."""

    class Kind(models.TextChoices):
        REVOLVING = "revolving", _("Income-generation (revolving) fund")
        OPERATING = "operating", _("Operating fund")
        CARE = "care", _("Fund for caring for and promoting the role of older people")
        OTHER = "other", _("Other fund")

    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("club"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
    )
    owner_area = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("association of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    # Cached SUM(in) − SUM(out) of the entries; written only under the fund's row lock.
    balance = models.BigIntegerField(_("balance"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_club_path = "club"
    scope_area_path = "owner_area"

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(club__isnull=False) & Q(owner_area__isnull=True))
                | (Q(club__isnull=True) & Q(owner_area__isnull=False)),
                name="fund_exactly_one_owner",
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="fund_balance_not_negative"),
            models.UniqueConstraint(
                fields=["club", "kind"],
                condition=Q(kind__in=["revolving", "operating"]),
                name="fund_one_revolving_one_operating_per_club",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.owner}"

    @property
    def owner(self) -> object:
        return self.club if self.club_id else self.owner_area


class LedgerEntryQuerySet(models.QuerySet):
    """Entries are append-only: no bulk update or delete, whatever the path."""

    def update(self, **kwargs: object) -> int:
        raise FundsError(_("Ledger entries cannot be changed; record a reversing entry instead."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FundsError(_("Ledger entries cannot be deleted; record a reversing entry instead."))

    def _raw_delete(self, using: Any) -> int:
        # Django's fast delete (of cascades) goes around delete(): refuse it as well.
        raise FundsError(_("Ledger entries cannot be deleted; record a reversing entry instead."))


class LedgerEntry(ChoiceLabels, models.Model):
    """One line of a fund's cash book (a receipt – phiếu thu – or a payment – phiếu chi).

    Immutable once written: a mistake is corrected by a reversing entry that points back to
    the original (``reverses``, unique: an entry is reversed at most once).
    """

    class Direction(models.TextChoices):
        IN = "in", _("Income")
        OUT = "out", _("Expense")

    class Category(models.TextChoices):
        OPENING = "opening", _("Opening balance")
        DUES = "dues", _("Member dues")
        DONATION = "donation", _("Donation")
        GRANT = "grant", _("Project grant")
        GOVERNMENT = "government", _("Government support")
        LOAN_INTEREST = "loan_interest", _("Loan interest")
        LOAN_PRINCIPAL = "loan_principal", _("Loan principal repaid")
        LOAN_DISBURSEMENT = "loan_disbursement", _("Loan disbursed")
        HARDSHIP = "hardship", _("Support to a member in hardship")
        ACTIVITY = "activity", _("Activity cost")
        TRANSFER = "transfer", _("Transfer between funds")
        OTHER = "other", _("Other")

    # Categories only the services may use (loans, transfers, dues have their own screens).
    SYSTEM_CATEGORIES = frozenset(
        {
            Category.LOAN_INTEREST,
            Category.LOAN_PRINCIPAL,
            Category.LOAN_DISBURSEMENT,
            Category.TRANSFER,
            Category.DUES,
        }
    )

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries"
    )
    date = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (VND)"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    voucher_year = models.PositiveSmallIntegerField(editable=False)
    voucher_seq = models.PositiveIntegerField(editable=False)
    voucher_number = models.CharField(_("voucher number"), max_length=20, editable=False)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    payer = models.CharField(_("payer / payee"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    transfer_group = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    loan = models.ForeignKey(
        "Loan",
        verbose_name=_("loan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    scope_club_path = "fund__club"
    scope_area_path = "fund__owner_area"

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["fund", "date"], name="entry_fund_date")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entry_amount_positive"),
            models.CheckConstraint(
                condition=Q(direction__in=["in", "out"]), name="entry_direction_valid"
            ),
            models.UniqueConstraint(
                fields=["fund", "voucher_number"], name="entry_unique_voucher_per_fund"
            ),
            models.UniqueConstraint(
                fields=["fund", "direction", "voucher_year", "voucher_seq"],
                name="entry_unique_voucher_seq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_number} {self.amount:,}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise FundsError(
                _("Ledger entries cannot be changed; record a reversing entry instead.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise FundsError(_("Ledger entries cannot be deleted; record a reversing entry instead."))

    @property
    def signed_amount(self) -> int:
        return self.amount if self.direction == self.Direction.IN else -self.amount

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class FundPlan(ChoiceLabels, models.Model):
    """A yearly target: how much a fund (or an area's funds of one kind) should raise."""

    fund = models.ForeignKey(
        Fund,
        verbose_name=_("fund"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plans",
    )
    area = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fund_plans",
    )
    kind = models.CharField(
        _("fund kind"), max_length=10, choices=Fund.Kind.choices, default=Fund.Kind.CARE
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    target = models.BigIntegerField(_("target (VND)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    scope_club_path = "fund__club"
    scope_area_path = "area"

    class Meta:
        verbose_name = _("fund plan")
        verbose_name_plural = _("fund plans")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(fund__isnull=False) & Q(area__isnull=True))
                | (Q(fund__isnull=True) & Q(area__isnull=False)),
                name="plan_fund_or_area",
            ),
            models.CheckConstraint(condition=Q(target__gt=0), name="plan_target_positive"),
            models.UniqueConstraint(fields=["fund", "year"], name="plan_unique_fund_year"),
            models.UniqueConstraint(
                fields=["area", "kind", "year"], name="plan_unique_area_kind_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund or self.area} {self.year}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        from accounts import scoping

        return scoping.area_q(user, "fund__owner_area")


class Contribution(ChoiceLabels, models.Model):
    """A member's monthly dues (hội phí / đóng góp), paid into the club's operating fund."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    club = models.ForeignKey(
        "clubs.Club", verbose_name=_("club"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.BigIntegerField(_("amount (VND)"))
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="contribution")

    scope_club_path = "club"

    class Meta:
        verbose_name = _("monthly dues")
        verbose_name_plural = _("monthly dues")
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "month"], name="contribution_once_a_month"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_positive"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="contribution_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:02d}/{self.year}"


class Loan(ChoiceLabels, models.Model):
    """A loan from a club's revolving fund to a member (cash or in kind, e.g. a breeding pig)."""

    class Method(models.TextChoices):
        EQUAL_PRINCIPAL = "equal_principal", _("Equal monthly principal")
        BULLET = "bullet", _("Monthly interest, principal at maturity")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Disbursed, being repaid")
        REPAID = "repaid", _("Repaid")
        REJECTED = "rejected", _("Rejected")
        WRITTEN_OFF = "written_off", _("Written off")

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.ForeignKey(
        "members.Member", verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans"
    )
    principal = models.BigIntegerField(_("amount (VND)"))
    in_kind = models.CharField(
        _("in kind"),
        max_length=200,
        blank=True,
        help_text=_(
            "For a loan in kind (e.g. a breeding pig): what is lent; the amount is its value."
        ),
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    monthly_rate = models.DecimalField(
        _("monthly interest rate (%)"),
        max_digits=5,
        decimal_places=3,
        default=Decimal("0.500"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
    )
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    method = models.CharField(
        _("repayment method"), max_length=16, choices=Method.choices, default=Method.EQUAL_PRINCIPAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    requested_on = models.DateField(_("requested on"), default=datetime.date.today)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.CharField(_("board decision note"), max_length=300, blank=True)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    write_off_reason = models.CharField(_("reason for the write-off"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    # Why the next save was made, for its history row (set by the services).
    _change_reason: str

    scope_club_path = "fund__club"

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="loan_principal_positive"),
            models.CheckConstraint(
                condition=Q(term_months__gte=1, term_months__lte=36), name="loan_term_range"
            ),
            models.CheckConstraint(condition=Q(monthly_rate__gte=0), name="loan_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.principal:,} ₫"

    def written_off_by(self, day: datetime.date) -> bool:
        """Written off on or before ``day``: no longer part of the portfolio from then on."""
        return (
            self.status == self.Status.WRITTEN_OFF
            and self.closed_on is not None
            and self.closed_on <= day
        )


class Installment(models.Model):
    """One line of a loan's repayment schedule: what falls due on a date, and what was paid."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="installments")
    seq = models.PositiveSmallIntegerField(_("no."))
    due_on = models.DateField(_("due on"))
    principal = models.BigIntegerField(_("principal"))
    interest = models.BigIntegerField(_("interest"))
    paid_principal = models.BigIntegerField(_("principal paid"), default=0)
    paid_interest = models.BigIntegerField(_("interest paid"), default=0)
    # Interest waived on an early repayment (kept so the original schedule stays readable).
    waived_interest = models.BigIntegerField(_("interest waived"), default=0)

    scope_club_path = "loan__fund__club"

    class Meta:
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        ordering = ["loan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "seq"], name="installment_unique_seq"),
            models.CheckConstraint(
                condition=Q(paid_principal__gte=0, paid_principal__lte=models.F("principal")),
                name="installment_principal_paid_range",
            ),
            models.CheckConstraint(
                condition=Q(paid_interest__gte=0)
                & Q(paid_interest__lte=models.F("interest") - models.F("waived_interest")),
                name="installment_interest_paid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}/{self.seq}"

    @property
    def due_total(self) -> int:
        return self.principal + self.interest - self.waived_interest

    @property
    def paid_total(self) -> int:
        return self.paid_principal + self.paid_interest

    @property
    def unpaid(self) -> int:
        return self.due_total - self.paid_total


class Repayment(models.Model):
    """Money a borrower paid back, split into interest and principal (interest first)."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    date = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (VND)"))
    principal = models.BigIntegerField(_("principal part"))
    interest = models.BigIntegerField(_("interest part"))
    early = models.BooleanField(_("early repayment"), default=False)
    principal_entry = models.OneToOneField(
        LedgerEntry, null=True, on_delete=models.PROTECT, related_name="+"
    )
    interest_entry = models.OneToOneField(
        LedgerEntry, null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_club_path = "loan__fund__club"

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_positive"),
            models.CheckConstraint(
                condition=Q(amount=models.F("principal") + models.F("interest"))
                & Q(principal__gte=0, interest__gte=0),
                name="repayment_split_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.date:%d/%m/%Y} {self.amount:,}"
