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
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clubs.models import Area
from config.choices import ChoiceLabels

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from accounts.scoping import Viewer
    from clubs.models import Club


class FundsError(ValidationError):
    """A money operation refused for a reason the user can fix (shown next to the field)."""


# --- database constraints, each with the words a user reads --------------------------------
#
# Every constraint of the funds tables is the last guard behind a check of the form or the
# service (a race, or a bug, is what reaches it). Its refusal is a translatable sentence, never
# Django's "Constraint … is violated", and names the form field it belongs beside; the code of
# the ``ValidationError`` (and the name of the constraint in an ``IntegrityError``) is the
# constraint's name, which is how ``constraint_error`` and ``constraint_fields`` find it.

# constraint name -> the form field its message is shown beside (None: above the form)
CONSTRAINT_FIELDS: dict[str, str | None] = {}


def _check(
    name: str, condition: Q, message: StrPromise, field: str | None
) -> models.CheckConstraint:
    CONSTRAINT_FIELDS[name] = field
    return models.CheckConstraint(
        condition=condition, name=name, violation_error_message=message, violation_error_code=name
    )


def _unique(
    name: str,
    fields: list[str],
    message: StrPromise,
    field: str | None,
    condition: Q | None = None,
) -> models.UniqueConstraint:
    CONSTRAINT_FIELDS[name] = field
    return models.UniqueConstraint(
        fields=fields,
        condition=condition,
        name=name,
        violation_error_message=message,
        violation_error_code=name,
    )


_VOUCHER_TAKEN = _("This voucher number was just taken by another entry: send the form again.")


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
    # Copies of the holder (the club, or the association's area), kept by ``save`` and by the
    # receivers in ``funds.signals`` when a club or an area is renamed or moves: the fund list
    # filters and sorts on them with one index (``fund_province_holder_keyset``,
    # docs/performance.md) instead of joining clubs and areas and sorting a whole province.
    # 0 for an association's fund, 1 for a club's (the list shows associations first).
    club_owned = models.PositiveSmallIntegerField(default=0, editable=False)
    holder_name = models.CharField(_("held by"), max_length=200, blank=True, editable=False)
    # The holder's province (a province's own fund: that province) and commune (none for a
    # province's or a former district's fund). No index of their own: the list's indexes
    # start with them.
    province = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("province"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    commune = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("commune/ward"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    scope_club_path = "club"
    scope_area_path = "owner_area"
    # Association staff: the copies of the holder's province and commune say the same as the
    # two paths, on the columns the fund list's indexes start with.
    scope_area_copies = ("province", "commune")

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["kind", "name", "pk"]
        constraints = [
            _check(
                "fund_exactly_one_owner",
                (Q(club__isnull=False) & Q(owner_area__isnull=True))
                | (Q(club__isnull=True) & Q(owner_area__isnull=False)),
                _("A fund is held either by a club or by an association: choose exactly one."),
                "owner_area",
            ),
            _check(
                "fund_balance_not_negative",
                Q(balance__gte=0),
                _("Not enough money in the fund: its balance cannot go below zero."),
                "amount",
            ),
            _unique(
                "fund_one_revolving_one_operating_per_club",
                ["club", "kind"],
                _(
                    "This club already has a fund of this kind (one revolving and one "
                    "operating fund per club)."
                ),
                "kind",
                condition=Q(kind__in=["revolving", "operating"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.owner}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A save of chosen columns (the balance, under the ledger's lock) leaves the holder's
        # copies alone: only a fund created or saved whole may have a new holder.
        if kwargs.get("update_fields") is None:
            self.copy_holder()
        super().save(*args, **kwargs)

    @property
    def owner(self) -> object:
        return self.club if self.club_id else self.owner_area

    def copy_holder(self) -> None:
        """Copy the holder's name, province and commune onto the fund (``holder_values``)."""
        (self.club_owned, self.holder_name, self.province_id, self.commune_id) = holder_values(
            self.club if self.club_id else None,
            self.owner_area if self.owner_area_id else None,
        )


def holder_values(club: Club | None, area: Area | None) -> tuple[int, str, int | None, int | None]:
    """(club_owned, holder_name, province id, commune id) of a fund held by ``club`` or by the
    association of ``area``: the province and the commune whose staff see the fund, as
    ``accounts.scoping`` decides (a club: its province and commune; an area: the province it
    is or belongs to, and itself when it is a commune)."""
    if club is not None:
        return 1, club.name, club.province_id, club.commune_id
    if area is None:
        return 0, "", None, None
    if area.level == Area.Level.PROVINCE:
        return 0, area.name, area.pk, None
    commune = area.pk if area.level == Area.Level.COMMUNE else None
    return 0, area.name, area.province_id, commune


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
            _check(
                "entry_amount_positive",
                Q(amount__gt=0),
                _("The amount must be greater than zero."),
                "amount",
            ),
            _check(
                "entry_direction_valid",
                Q(direction__in=["in", "out"]),
                _("Choose a receipt or a payment."),
                "direction",
            ),
            _unique(
                "entry_unique_voucher_per_fund", ["fund", "voucher_number"], _VOUCHER_TAKEN, None
            ),
            _unique(
                "entry_unique_voucher_seq",
                ["fund", "direction", "voucher_year", "voucher_seq"],
                _VOUCHER_TAKEN,
                None,
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
            _check(
                "plan_fund_or_area",
                (Q(fund__isnull=False) & Q(area__isnull=True))
                | (Q(fund__isnull=True) & Q(area__isnull=False)),
                _("Choose either a fund or an area."),
                "fund",
            ),
            _check(
                "plan_target_positive",
                Q(target__gt=0),
                _("The target must be greater than zero."),
                "target",
            ),
            _unique(
                "plan_unique_fund_year",
                ["fund", "year"],
                _("This fund already has a plan for that year."),
                "year",
            ),
            _unique(
                "plan_unique_area_kind_year",
                ["area", "kind", "year"],
                _("This area already has a plan for funds of this kind in that year."),
                "year",
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
            _unique(
                "contribution_once_a_month",
                ["member", "year", "month"],
                _("The dues of this month were just recorded for one of these members."),
                None,
            ),
            _check(
                "contribution_positive",
                Q(amount__gt=0),
                _("The dues must be greater than zero."),
                None,
            ),
            _check(
                "contribution_month_range",
                Q(month__gte=1, month__lte=12),
                _("Choose a month between 1 and 12."),
                "month",
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
    # Why the next save was made, and by whom, for its history row (set by the services).
    _change_reason: str
    _history_user: Any

    # What a board member may correct until the board decides (``loan_terms_correct``).
    TERMS = (
        "principal",
        "in_kind",
        "purpose",
        "monthly_rate",
        "term_months",
        "method",
        "requested_on",
    )

    scope_club_path = "fund__club"

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            _check(
                "loan_principal_positive",
                Q(principal__gt=0),
                _("The amount of a loan must be greater than zero."),
                "principal",
            ),
            _check(
                "loan_term_range",
                Q(term_months__gte=1, term_months__lte=36),
                _("The term must be between 1 and 36 months."),
                "term_months",
            ),
            _check(
                "loan_rate_not_negative",
                Q(monthly_rate__gte=0),
                _("The interest rate cannot be negative."),
                "monthly_rate",
            ),
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
    seq = models.PositiveSmallIntegerField(pgettext_lazy("instalment", "no."))
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
            _unique(
                "installment_unique_seq",
                ["loan", "seq"],
                _("The repayment schedule would hold the same installment twice."),
                None,
            ),
            _check(
                "installment_principal_paid_range",
                Q(paid_principal__gte=0, paid_principal__lte=F("principal")),
                _("An installment cannot be paid more principal than it holds."),
                "amount",
            ),
            _check(
                "installment_interest_paid_range",
                Q(paid_interest__gte=0)
                & Q(paid_interest__lte=F("interest") - F("waived_interest")),
                _("An installment cannot be paid more interest than it holds."),
                "amount",
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
            _check(
                "repayment_positive",
                Q(amount__gt=0),
                _("The repayment must be greater than zero."),
                "amount",
            ),
            _check(
                "repayment_split_adds_up",
                Q(amount=F("principal") + F("interest")) & Q(principal__gte=0, interest__gte=0),
                _("The principal and interest parts must add up to the repayment."),
                "amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.date:%d/%m/%Y} {self.amount:,}"


class TransferRequest(ChoiceLabels, models.Model):
    """A request to move money from one fund to another (docs/funds.md, "Transfers").

    Asked by the source fund's owner (the club's board for a club's fund, the association's
    staff for an area's fund) and decided by the owner's supervisor, never by the one who
    asked. Money moves only on approval: then the two ledger entries are written (linked by
    ``transfer_group``) and the request records who approved, when and with what note; a
    rejection records the same with the reason.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved, money moved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Withdrawn")

    source = models.ForeignKey(
        Fund, verbose_name=_("from fund"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    target = models.ForeignKey(
        Fund, verbose_name=_("to fund"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    amount = models.BigIntegerField(_("amount (VND)"))
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    # On approval: the date of the two entries and the group that links them.
    moved_on = models.DateField(_("transfer date"), null=True, blank=True)
    transfer_group = models.UUIDField(null=True, blank=True, editable=False)

    scope_club_path = "source__club"
    scope_area_path = "source__owner_area"

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "source"], name="transfer_state_source")]
        constraints = [
            _check(
                "transfer_amount_positive",
                Q(amount__gt=0),
                _("The amount must be greater than zero."),
                "amount",
            ),
            _check(
                "transfer_different_funds",
                ~Q(source=F("target")),
                _("Choose a different fund to transfer to."),
                "target",
            ),
            # Who asked never decides (withdrawing one's own request is not a decision).
            _check(
                "transfer_decider_not_requester",
                Q(state__in=["requested", "cancelled"]) | ~Q(decided_by=F("requested_by")),
                _("The one who requested a transfer cannot approve or reject it."),
                "decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.name} → {self.target.name}: {self.amount:,} ₫"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.REQUESTED


# --- a refused write in the users' words -----------------------------------------------------


def _constraints() -> dict[str, tuple[type[models.Model], models.BaseConstraint]]:
    return {
        c.name: (model, c)
        for model in (
            Fund,
            LedgerEntry,
            FundPlan,
            Contribution,
            Loan,
            Installment,
            Repayment,
            TransferRequest,
        )
        for c in model._meta.constraints
    }


def _violated(exc: IntegrityError) -> str | None:
    """The name of the constraint an ``IntegrityError`` reports (PostgreSQL names it; SQLite
    names a check and lists a unique index's columns)."""
    diag = getattr(exc.__cause__, "diag", None)
    if name := getattr(diag, "constraint_name", None):
        return str(name)
    text = str(exc)
    for name, (model, constraint) in _constraints().items():
        if name in text:
            return name
        fields = getattr(constraint, "fields", ())
        if fields and "UNIQUE" in text:
            table = model._meta.db_table
            cols = ", ".join(f"{table}.{_column(model, f)}" for f in fields)
            if text.rstrip().endswith(cols):
                return name
    return None


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "column", name))


def _refusal(name: str) -> FundsError:
    _model, constraint = _constraints()[name]
    message = constraint.get_violation_error_message()
    field = CONSTRAINT_FIELDS.get(name)
    error = ValidationError(message, code=name)
    return FundsError({field: error}) if field else FundsError(error)


def constraint_error(exc: IntegrityError) -> FundsError | None:
    """The refusal a user reads for a write the database refused: the violated constraint's
    message, beside its field. ``None`` when it is none of the funds constraints."""
    name = _violated(exc)
    return _refusal(name) if name in CONSTRAINT_FIELDS else None


def constraint_fields(exc: ValidationError) -> FundsError:
    """A ``full_clean()`` refusal as a ``FundsError``, each constraint's message moved from
    above the form to beside its field."""
    if not hasattr(exc, "error_dict"):
        return FundsError(exc.error_list)
    moved: dict[str, list[ValidationError]] = {}
    for name, errors in exc.error_dict.items():
        for error in errors:
            field = name
            if name == NON_FIELD_ERRORS and error.code in CONSTRAINT_FIELDS:
                field = CONSTRAINT_FIELDS[error.code] or NON_FIELD_ERRORS
            moved.setdefault(field, []).append(error)
    return FundsError(moved)
