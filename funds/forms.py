"""Forms of the funds app; every amount is whole VND typed as 1500000 or 1.500.000."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.templatetags.ishc import vnd
from config.pickers import PickerField
from config.ui import DateField, DecimalTextField, MoneyField
from funds.models import Fund, LedgerEntry, Loan
from funds.services.ledger import CATEGORY_DIRECTIONS

if TYPE_CHECKING:
    from clubs.models import Area


def _today() -> datetime.date:
    return timezone.localdate()


MANUAL_CATEGORIES = [
    (value, label) for value, label in LedgerEntry.Category.choices if value in CATEGORY_DIRECTIONS
]


class EntryForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Receipt or payment"), choices=LedgerEntry.Direction.choices
    )
    category = forms.ChoiceField(label=_("Category"), choices=MANUAL_CATEGORIES)
    amount = MoneyField(label=_("Amount (VND)"))
    date = DateField(label=_("Date"), initial=_today, not_future=True)
    member = PickerField(label=_("Member"), required=False)
    payer = forms.CharField(label=_("Payer / payee"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from members.forms import member_pick_url
        from members.models import Member

        if not fund.club_id:
            del self.fields["member"]
            return
        member = cast(PickerField, self.fields["member"])
        member.queryset = Member.objects.filter(club_id=fund.club_id, left_on__isnull=True)
        member.search_url = member_pick_url(fund.club_id)


class ReverseForm(forms.Form):
    note = forms.CharField(label=_("Reason for the correction"), max_length=300)


class TransferForm(forms.Form):
    """A request to move money out of a fund (it moves when the supervisor approves)."""

    target = forms.ModelChoiceField(label=_("To fund"), queryset=Fund.objects.none())
    amount = MoneyField(label=_("Amount (VND)"))
    reason = forms.CharField(
        label=_("What the money is for"),
        max_length=300,
        help_text=_("The one who approves reads this."),
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = targets


class TransferDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: move the money")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    date = DateField(label=_("Date of the transfer (if approved)"), initial=_today, not_future=True)
    note = forms.CharField(
        label=_("Note (the reason, if rejected)"), max_length=300, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the transfer is rejected."))
        return data


class EntryFilterForm(forms.Form):
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *LedgerEntry.Category.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css


class PeriodForm(forms.Form):
    date_from = DateField(label=_("From"))
    date_to = DateField(label=_("To"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period must be after its start."))
        return data


class FundForm(forms.Form):
    owner_area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label=_("Association of"), queryset=None
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Fund.Kind.CARE, Fund.Kind.CARE.label), (Fund.Kind.OTHER, Fund.Kind.OTHER.label)],
    )
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=200)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner_area"]).queryset = areas


class LoanTermsForm(forms.Form):
    """A loan's terms, as requested or as corrected before the board decides."""

    principal = MoneyField(label=_("Amount (VND)"))
    in_kind = forms.CharField(
        label=_("Lent in kind (optional)"),
        max_length=200,
        required=False,
        help_text=_("E.g. a breeding pig; the amount is then its value."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    monthly_rate = DecimalTextField(
        label=_("Monthly interest rate (%)"),
        min_value=Decimal(0),
        max_value=Decimal(5),
        decimal_places=3,
        max_digits=5,
        initial=Decimal("0.5"),
    )
    term_months = forms.IntegerField(
        label=_("Term (months)"), min_value=1, max_value=36, initial=12
    )
    method = forms.ChoiceField(label=_("Repayment method"), choices=Loan.Method.choices)
    requested_on = DateField(label=_("Requested on"), initial=_today, not_future=True)
    # Hidden until the terms look unusual; then shown with a warning and must be ticked on a
    # second POST (no JavaScript needed).
    confirm_unusual = forms.BooleanField(
        label=_("I confirm these terms are correct."), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, club: Any, loan: Loan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.club = club
        self.loan = loan  # the loan being corrected (None for a new request)
        cast(MoneyField, self.fields["principal"]).max_value = settings.ISHC_MAX_LOAN_VND

    def unusual_terms(self, principal: int | None, rate: Decimal | None) -> list[str]:
        """Why these terms are far from the club's usual ones (empty when they are not). On
        a correction only a changed rate or amount is asked about again."""
        reasons = []
        if self.loan is not None:
            if rate == self.loan.monthly_rate:
                rate = None
            if principal == self.loan.principal:
                principal = None
        limit = Decimal(str(settings.ISHC_LOAN_RATE_CONFIRM_ABOVE))
        if rate is not None and rate > limit:
            reasons.append(
                _("The rate %(rate)s %%/month is above %(limit)s %%/month.")
                % {"rate": rate, "limit": limit}
            )
        others = Loan.objects.filter(fund__club=self.club)
        if self.loan is not None:
            others = others.exclude(pk=self.loan.pk)
        largest = others.aggregate(m=Max("principal"))["m"] or 0
        if principal is not None and largest and principal > 2 * largest:
            reasons.append(
                _("The amount is more than twice the club's largest loan so far (%(largest)s ₫).")
                % {"largest": f"{largest:,}".replace(",", ".")}
            )
        return reasons

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reasons = self.unusual_terms(data.get("principal"), data.get("monthly_rate"))
        if reasons:
            field = self.fields["confirm_unusual"]
            field.widget = forms.CheckboxInput()
            if not data.get("confirm_unusual"):
                self.add_error("confirm_unusual", [*reasons, _("Tick the box to confirm.")])
        data.pop("confirm_unusual", None)
        return data


class LoanRequestForm(LoanTermsForm):
    # Searched by name and told apart by year of birth and village (config.pickers).
    borrower = PickerField(label=_("Borrower"))
    field_order = ["borrower"]

    def __init__(self, *args: Any, club: Any, **kwargs: Any) -> None:
        super().__init__(*args, club=club, **kwargs)
        from members.forms import member_pick_url
        from members.models import Member

        borrower = cast(PickerField, self.fields["borrower"])
        borrower.queryset = Member.objects.filter(club=club, left_on__isnull=True)
        borrower.search_url = member_pick_url(club.pk)


class LoanDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Board decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    date = DateField(label=_("Date of the decision"), initial=_today, not_future=True)
    note = forms.CharField(label=_("Note (e.g. meeting minutes)"), max_length=300, required=False)


class DateOnlyForm(forms.Form):
    date = DateField(label=_("Date"), initial=_today, not_future=True)


class WriteOffForm(forms.Form):
    date = DateField(label=_("Date of the board's decision"), initial=_today, not_future=True)
    reason = forms.CharField(label=_("Reason for the write-off"), max_length=300)


class RepaymentForm(forms.Form):
    amount = MoneyField(label=_("Amount paid (VND)"))
    date = DateField(label=_("Date"), initial=_today, not_future=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PlanForm(forms.Form):
    fund: forms.ModelChoiceField[Fund] = forms.ModelChoiceField(
        label=_("Fund"), queryset=None, required=False
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label=_("Or an area (all its funds of one kind)"), queryset=None, required=False
    )
    kind = forms.ChoiceField(label=_("Fund kind (for an area)"), choices=Fund.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    target = MoneyField(label=_("Target (VND)"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, funds: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["fund"]).queryset = funds
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas
        self.fields["kind"].initial = Fund.Kind.CARE
        self.fields["year"].initial = _today().year

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("fund")) == bool(data.get("area")):
            self.add_error("fund", _("Choose either a fund or an area."))
        return data


class DuesForm(forms.Form):
    """One amount box per member who has not paid for the month (blank = not paying now).

    A box sent for a member whose dues for the month were recorded meanwhile (``paid``: by
    another board member, or by this quick entry sent earlier from a phone), or who is no
    longer on the register (``on_register``: the last day of the month), is refused beside
    its row with the reason: it is never recorded twice, nor for someone who left."""

    date = DateField(label=_("Date collected"), initial=_today, not_future=True)

    def __init__(
        self,
        *args: Any,
        members: list[Any],
        default: int | None,
        paid: dict[int, Any] | None = None,
        on_register: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.paid = paid or {}
        self.on_register = on_register
        for m in members:
            self.fields[f"m{m.pk}"] = MoneyField(label=m.full_name, required=False, initial=default)

    def member_fields(self) -> list[tuple[Any, Any]]:
        return [(m, self[f"m{m.pk}"]) for m in self.members]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        for m in self.members:
            name = f"m{m.pk}"
            if not data.get(name):
                continue
            taken = self.paid.get(m.pk)
            if taken is not None:
                who = taken.entry.created_by.get_full_name() if taken.entry.created_by else ""
                self.add_error(
                    name,
                    _(
                        "Already recorded for %(month)s: %(amount)s on %(day)s by %(who)s. "
                        "Nothing is recorded twice: leave this box empty."
                    )
                    % {
                        "month": f"{taken.month:02d}/{taken.year}",
                        "amount": vnd(taken.amount),
                        "day": f"{taken.entry.date:%d/%m/%Y}",
                        "who": who or "–",
                    },
                )
            elif self.on_register and m.left_on and m.left_on <= self.on_register:
                self.add_error(
                    name,
                    _("%(name)s left the club on %(day)s: no dues are taken.")
                    % {"name": m.full_name, "day": f"{m.left_on:%d/%m/%Y}"},
                )
            elif self.on_register and m.joined_on > self.on_register:
                self.add_error(name, _("Not yet a member in this month: no dues are taken."))
        return data

    def amounts(self) -> dict[Any, int]:
        return {
            m: self.cleaned_data[f"m{m.pk}"]
            for m in self.members
            if self.cleaned_data.get(f"m{m.pk}")
        }
