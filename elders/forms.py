"""Forms of the register. Every refusal is shown next to its field, in Vietnamese."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import privacy, scoping
from clubs.models import Area
from config.collation import by_name
from config.ui import DateField, MoneyField
from elders import services
from elders.models import (
    MAX_PLAN_VND,
    PLAN_SPENDING,
    PLAN_TARGETS,
    CareFundPlan,
    CareReceipt,
    CareSupport,
    LongevityCelebration,
    OlderPerson,
)
from elders.selectors import AGE_BANDS
from funds.models import Fund
from members.models import Member
from members.phones import PhoneError, normalise_phone

if TYPE_CHECKING:
    from accounts.models import User

SELECT = {"class": "form-select"}
NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


def _today() -> datetime.date:
    return timezone.localdate()


def communes_for(user: User) -> Any:
    return (
        scoping.areas_for(user)
        .filter(level=Area.Level.COMMUNE, active=True)
        .order_by(*by_name("name"), "pk")
    )


class CommuneField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.name


class PersonForm(forms.ModelForm):
    """Add or edit an older person. Sensitive fields appear only for roles that may see them
    and are saved only with consent and its legal basis (the box is never ticked in advance).
    """

    commune = CommuneField(
        label=_("Commune"), queryset=Area.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    birth_date = DateField(label=_("Date of birth"), required=False, not_future=True)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        help_text=_("Only the year if the full date is not known."),
        widget=forms.TextInput(attrs=NUMERIC),
    )
    insurance_expiry = DateField(label=_("Health-insurance card valid until"), required=False)
    died_on = DateField(label=_("Date of death"), required=False)
    consent_given = forms.BooleanField(
        label=_("The person has agreed that the association records this information"),
        required=False,
        initial=False,
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=[("", "—"), *OlderPerson.LegalBasis.choices],
        required=False,
    )
    consent_on = DateField(label=_("Date of consent"), required=False, not_future=True)
    consent_method = forms.ChoiceField(
        label=_("How consent was given"),
        choices=[("", "—"), *OlderPerson.ConsentMethod.choices],
        required=False,
    )

    class Meta:
        model = OlderPerson
        fields = [
            "commune",
            "full_name",
            "sex",
            "birth_date",
            "birth_year",
            "village",
            "address",
            "phone",
            "is_association_member",
            "living",
            "household_status",
            "support",
            "died_on",
            "ethnicity",
            "has_disability",
            "insurance_number",
            "insurance_expiry",
            "consent_given",
            "legal_basis",
            "consent_on",
            "consent_method",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "insurance_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ChoiceField, self.fields["sex"]).choices = [("", "—"), *OlderPerson.Sex.choices]
        self.fields["phone"].help_text = _("For example 0912 345 678 or +84 912 345 678.")
        self.fields["insurance_number"].help_text = _(
            "The 10-digit social-insurance number on the card (or the older 15-character code)."
        )
        if self.instance.pk:
            del self.fields["commune"]
        else:
            communes = communes_for(user)
            field = cast(CommuneField, self.fields["commune"])
            field.queryset = communes
            if user.area_id and user.area and user.area.level == Area.Level.COMMUNE:
                field.initial = user.area_id
        hidden = privacy.hidden_fields(user, "elders.OlderPerson")
        self.sensitive_shown = not hidden & set(services.SENSITIVE_FIELDS)
        for name in (*services.SENSITIVE_FIELDS, "household_status", "living", "support"):
            if name in hidden and name in self.fields:
                del self.fields[name]
        self.consent_already = self.instance.consent_on is not None
        if self.consent_already or not self.sensitive_shown:
            for name in ("consent_given", "legal_basis", "consent_on", "consent_method"):
                del self.fields[name]
        else:
            self.fields["consent_on"].initial = _today
        if self.instance.member_id:
            self.linked_note = _(
                "Linked to a club member: the name, sex, birth, phone, village, ethnicity, "
                "household and disability are saved on the member record too."
            )

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data.get("phone"))
        except PhoneError:
            raise forms.ValidationError(
                _("Enter a Vietnamese phone number, e.g. 0912 345 678."), code="phone"
            ) from None

    def clean_insurance_number(self) -> str:
        return services.normalise_card(self.cleaned_data.get("insurance_number"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("birth_date") and not data.get("birth_year"):
            data["birth_year"] = data["birth_date"].year
        for name, message in services.check_person(data).items():
            if name in self.fields and not self.has_error(name):
                self.add_error(name, message)
        if self.sensitive_shown and not self.consent_already:
            self._clean_consent(data)
        return data

    def _clean_consent(self, data: dict[str, Any]) -> None:
        filled = [
            name
            for name in services.SENSITIVE_FIELDS
            if data.get(name) not in (None, "", False) and name in self.fields
        ]
        if data.get("consent_given"):
            if not data.get("consent_on"):
                self.add_error("consent_on", _("Enter the date the person gave consent."))
            if not data.get("consent_method"):
                self.add_error("consent_method", _("Choose how consent was given."))
            if not data.get("legal_basis"):
                self.add_error("legal_basis", _("Choose the legal basis."))
        elif filled:
            self.add_error(
                "consent_given",
                _(
                    "Ethnicity, disability and the health-insurance card can be saved only once "
                    "the person has agreed. Tick this box, or leave those fields empty."
                ),
            )

    def person_fields(self) -> dict[str, Any]:
        skip = {"commune", "consent_given", "legal_basis", "consent_on", "consent_method"}
        return {k: v for k, v in self.cleaned_data.items() if k in self.fields and k not in skip}

    def consent(self) -> services.Consent | None:
        if self.cleaned_data.get("consent_given"):
            return services.Consent(
                on=self.cleaned_data["consent_on"],
                method=self.cleaned_data["consent_method"],
                basis=self.cleaned_data["legal_basis"],
            )
        return None

    def _post_clean(self) -> None:
        # The service validates the whole record (with consent); the form checks its fields.
        pass


class RegisterFilterForm(forms.Form):
    """Filters of the register (all optional; '' means any)."""

    commune = CommuneField(
        label=_("Commune"),
        required=False,
        queryset=Area.objects.none(),
        empty_label=_("All communes"),
        widget=forms.Select(attrs=SELECT),
    )
    village = forms.CharField(
        label=_("Village"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("All ages"))]
        + [(k, f"{lo}–{hi}" if hi < 200 else f"{lo}+") for k, lo, hi in AGE_BANDS],
        widget=forms.Select(attrs=SELECT),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Both")), *OlderPerson.Sex.choices],
        widget=forms.Select(attrs=SELECT),
    )
    support = forms.ChoiceField(
        label=_("Allowance or pension"),
        required=False,
        choices=[
            ("", _("Any")),
            ("gap", _("Of age, none recorded")),
            ("none", _("None recorded")),
            *[(v, lab) for v, lab in OlderPerson.Support.choices if v != "none"],
        ],
        widget=forms.Select(attrs=SELECT),
    )
    card = forms.ChoiceField(
        label=_("Health-insurance card"),
        required=False,
        choices=[
            ("", _("Any")),
            ("invalid", _("Missing, expired or expiring")),
            ("missing", _("No card recorded")),
            ("expired", _("Expired")),
            ("expiring", _("Expiring within 60 days")),
        ],
        widget=forms.Select(attrs=SELECT),
    )
    alone = forms.BooleanField(
        label=_("Living alone"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input d-block mt-2"}),
    )
    state = forms.ChoiceField(
        label=_("Alive or deceased"),
        required=False,
        choices=[("alive", _("Alive")), ("deceased", _("Deceased")), ("all", _("All"))],
        widget=forms.Select(attrs=SELECT),
    )
    check = forms.ChoiceField(
        label=_("Check"),
        required=False,
        choices=[
            ("", _("None")),
            ("pension", _("Of age for the social pension, none recorded")),
            ("turns75", _("Turning 75 this year, none recorded")),
            ("card", _("No valid health-insurance card")),
            ("alone80", _("Aged 80+ living alone")),
        ],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = communes_for(user)
        if scoping.is_province_role(user):
            cast(CommuneField, self.fields["commune"]).queryset = communes
        else:
            del self.fields["commune"]
        hidden = privacy.hidden_fields(user, "elders.OlderPerson")
        for name, field_name in (
            ("support", "support"),
            ("card", "insurance_number"),
            ("alone", "living"),
        ):
            if field_name in hidden:
                del self.fields[name]

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class MoveForm(forms.Form):
    to_commune = CommuneField(
        label=_("Moves to commune"), queryset=Area.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    on = DateField(label=_("Moved on"), initial=_today, not_future=True)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, person: OlderPerson, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(CommuneField, self.fields["to_commune"]).queryset = communes_for(user).exclude(
            pk=person.commune_id
        )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.full_name} ({obj.birth_year}) – {obj.club.name}"


class LinkForm(forms.Form):
    member = MemberChoiceField(
        label=_("Club member"), queryset=Member.objects.none(), widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, user: User, person: OlderPerson, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(MemberChoiceField, self.fields["member"]).queryset = (
            scoping.for_user(Member, user)
            .filter(club__commune_id=person.commune_id, left_on__isnull=True)
            .filter(older_person__isnull=True)
            .select_related("club")
            .order_by(*by_name("full_name"), "pk")
        )


class FundField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fund) -> str:
        return f"{obj.name} ({obj.balance:,} ₫)".replace(",", ".")


class CelebrationForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.TextInput(attrs=NUMERIC)
    )
    occasion = forms.ChoiceField(
        label=_("Occasion"),
        choices=LongevityCelebration.Occasion.choices,
        widget=forms.Select(attrs=SELECT),
    )
    held_on = DateField(label=_("Presented on"), initial=_today, not_future=True)
    given_by = forms.ChoiceField(
        label=_("Presented by"),
        choices=LongevityCelebration.GivenBy.choices,
        initial=LongevityCelebration.GivenBy.ASSOCIATION,
        widget=forms.Select(attrs=SELECT),
    )
    gift = forms.CharField(label=_("Gift"), max_length=200, required=False)
    gift_value = MoneyField(
        label=_("Gift value (₫)"), required=False, allow_zero=True, max_value=services.MAX_GIFT_VND
    )
    fund = FundField(
        label=_("Paid from the care fund"),
        required=False,
        queryset=Fund.objects.none(),
        empty_label=_("Not paid from a fund"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(
        self, *args: Any, user: User, person: OlderPerson, year: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        year = year or _today().year
        self.fields["year"].initial = year
        # Who congratulates (Law on the Elderly, Art. 21): the President at 100, the
        # provincial People's Committee at 90, the association at the other ages.
        age = person.age_in(year)
        self.fields["given_by"].initial = (
            LongevityCelebration.GivenBy.PRESIDENT
            if age >= 100
            else LongevityCelebration.GivenBy.PROVINCE
            if age == 90
            else LongevityCelebration.GivenBy.ASSOCIATION
        )
        cast(FundField, self.fields["fund"]).queryset = services.care_funds_for(person, user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fund") and not data.get("gift_value"):
            self.add_error("gift_value", _("Enter the gift's value to pay it from the fund."))
        return data


class SupportForm(forms.Form):
    fund = FundField(
        label=_("Care fund"), queryset=Fund.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=CareSupport.Purpose.choices, widget=forms.Select(attrs=SELECT)
    )
    date = DateField(label=_("Paid on"), initial=_today, not_future=True)
    amount = MoneyField(label=_("Amount (₫)"), max_value=services.MAX_SUPPORT_VND)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, person: OlderPerson, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(FundField, self.fields["fund"]).queryset = services.care_funds_for(person, user)


class ReceiptForm(forms.Form):
    """Money received into a care fund: where it came from and who gave it."""

    source = forms.ChoiceField(
        label=_("Source"), choices=CareReceipt.Source.choices, widget=forms.Select(attrs=SELECT)
    )
    donor = forms.CharField(label=_("Donor"), max_length=200)
    date = DateField(label=_("Received on"), initial=_today, not_future=True)
    amount = MoneyField(label=_("Amount (₫)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class PlanForm(forms.ModelForm):
    """A care-fund plan for a year: targets by source, planned spending by purpose."""

    class Meta:
        model = CareFundPlan
        fields = ["area", "year", *(f for f, _s in PLAN_TARGETS), *(f for f, _p in PLAN_SPENDING)]
        fields += ["note"]
        field_classes = {"area": CommuneField}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = cast(forms.ModelChoiceField, self.fields["area"])
        area.queryset = (
            scoping.areas_for(user)
            .filter(level__in=[Area.Level.COMMUNE, Area.Level.PROVINCE], active=True)
            .order_by("-level", *by_name("name"), "pk")
        )
        area.widget.attrs.update(SELECT)
        self.fields["year"].widget.attrs.update(NUMERIC)
        for name, _x in (*PLAN_TARGETS, *PLAN_SPENDING):
            old = self.fields[name]
            self.fields[name] = MoneyField(
                label=old.label, required=False, max_value=MAX_PLAN_VND, allow_zero=True
            )
        if self.instance.pk:
            self.fields["area"].disabled = True
            self.fields["year"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, _x in (*PLAN_TARGETS, *PLAN_SPENDING):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        area, year = data.get("area"), data.get("year")
        if (
            not self.instance.pk
            and area is not None
            and year is not None
            and CareFundPlan.objects.filter(area=area, year=year).exists()
        ):
            self.add_error("year", _("This association already has a plan for this year."))
        return data


class ImportUploadForm(forms.Form):
    commune = CommuneField(
        label=_("Commune"), queryset=Area.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Fill in the template; at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(CommuneField, self.fields["commune"])
        field.queryset = communes_for(user)
        if user.area_id and user.area and user.area.level == Area.Level.COMMUNE:
            field.initial = user.area_id


class BeneficiaryForm(forms.Form):
    """Who receives the same support (a Tết gift to the poor and the lonely): the criteria,
    then the fund, the amount each and the day."""

    commune = CommuneField(
        label=_("Commune"), queryset=Area.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    poor = forms.BooleanField(label=_("Poor or near-poor household"), required=False)
    alone = forms.BooleanField(label=_("Living alone"), required=False)
    no_allowance_80 = forms.BooleanField(
        label=_("Aged 80+ without an allowance or pension"), required=False
    )
    min_age = forms.IntegerField(
        label=_("Aged at least"),
        required=False,
        min_value=60,
        max_value=120,
        widget=forms.TextInput(attrs=NUMERIC),
    )
    exclude_given = forms.BooleanField(
        label=_("Leave out who already received this support this year"),
        required=False,
        initial=True,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=CareSupport.Purpose.choices,
        initial=CareSupport.Purpose.TET_GIFT,
        widget=forms.Select(attrs=SELECT),
    )
    fund = FundField(
        label=_("Care fund"), queryset=Fund.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    amount = MoneyField(label=_("Amount for each person (₫)"), max_value=services.MAX_SUPPORT_VND)
    date = DateField(label=_("Paid on"), initial=_today, not_future=True)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = communes_for(user)
        field = cast(CommuneField, self.fields["commune"])
        field.queryset = communes
        if user.area_id and user.area and user.area.level == Area.Level.COMMUNE:
            field.initial = user.area_id
        cast(FundField, self.fields["fund"]).queryset = (
            scoping.for_user(Fund, user)
            .filter(kind=Fund.Kind.CARE)
            .order_by(*by_name("name"), "pk")
        )

    def criteria(self) -> dict[str, Any]:
        keys = ("poor", "alone", "no_allowance_80", "min_age", "exclude_given")
        return {k: self.cleaned_data.get(k) for k in keys}
