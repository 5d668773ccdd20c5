"""Admin: funds and plans under the usual scoping; the ledger and loan books are read-only.

Entries are append-only everywhere, the admin included: no add, change or delete here (the
model and its queryset refuse too). Corrections are reversing entries made in the app.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest

from accounts.admin_scoping import ScopedInlineMixin, ScopedModelAdmin
from funds.models import (
    Contribution,
    Fund,
    FundPlan,
    Installment,
    LedgerEntry,
    Loan,
    Repayment,
    TransferRequest,
    constraint_fields,
)


class ConstraintFieldsForm(forms.ModelForm):
    """An admin form that shows a refused constraint's message beside its field (where the
    form has it) instead of above the form."""

    def _update_errors(self, errors: ValidationError) -> None:
        fixed: dict[str, list[ValidationError]] = {}
        for name, errs in constraint_fields(errors).error_dict.items():
            fixed.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(errs)
        super()._update_errors(ValidationError(fixed))  # type: ignore[misc]


class ReadOnlyAdmin(ScopedModelAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Fund)
class FundAdmin(ScopedModelAdmin):
    form = ConstraintFieldsForm
    list_display = ["name", "kind", "club", "owner_area", "balance"]
    list_filter = ["kind"]
    search_fields = ["name", "club__name", "owner_area__name"]
    readonly_fields = ["balance"]
    raw_id_fields = ["club", "owner_area"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "voucher_number",
        "date",
        "fund",
        "direction",
        "category",
        "amount",
        "created_by",
        "created_at",
    ]
    list_filter = ["direction", "category"]
    search_fields = ["voucher_number", "payer", "note"]
    date_hierarchy = "date"
    list_select_related = ["fund", "created_by"]


class InstallmentInline(ScopedInlineMixin, admin.TabularInline):
    model = Installment
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["pk", "borrower", "principal", "status", "requested_on", "disbursed_on"]
    list_filter = ["status", "method"]
    search_fields = ["borrower__full_name", "purpose"]
    inlines = [InstallmentInline]
    list_select_related = ["borrower"]


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyAdmin):
    list_display = ["loan", "date", "amount", "principal", "interest", "created_by"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["member", "year", "month", "amount"]
    list_filter = ["year", "month"]


@admin.register(FundPlan)
class FundPlanAdmin(ScopedModelAdmin):
    form = ConstraintFieldsForm
    list_display = ["__str__", "year", "target"]
    raw_id_fields = ["fund", "area"]


@admin.register(TransferRequest)
class TransferRequestAdmin(ReadOnlyAdmin):
    """Read-only: a request is made, approved (the two entries written) and rejected in the
    app, by the people the rules name (docs/funds.md)."""

    list_display = [
        "pk",
        "source",
        "target",
        "amount",
        "state",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["state"]
    search_fields = ["source__name", "target__name", "reason"]
    list_select_related = ["source", "target", "requested_by", "decided_by"]
