"""Forms of the member register. Validation messages are shown next to the field."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import privacy
from clubs.models import Club
from config.pickers import PickerField
from config.ui import DateField
from members.models import Member
from members.phones import PhoneError, normalise_phone
from members.selectors import club_choice, pick_members, transfer_clubs
from members.services import SENSITIVE_FIELDS, Consent

if TYPE_CHECKING:
    from accounts.models import User

SELECT = {"class": "form-select"}


def _today() -> datetime.date:
    return timezone.localdate()


def member_pick_url(club_id: int, *, only: str = "") -> str:
    """The search view of a picker of the club's current members (``members:member_pick``)."""
    url = reverse("members:member_pick", args=[club_id])
    return f"{url}?only={only}" if only else url


class MemberForm(forms.ModelForm):
    """Add or edit a member. Sensitive fields appear only for roles that may see them, and can
    be saved only with the member's consent (the box is never ticked in advance)."""

    birth_date = DateField(label=_("Date of birth"), required=False, not_future=True)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        help_text=_("Only the year if the full date is not known."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    joined_on = DateField(label=_("Joined on"), initial=_today, not_future=True)
    consent_given = forms.BooleanField(
        label=_("The member has agreed that the club records this information"),
        required=False,
        initial=False,
    )
    consent_on = DateField(label=_("Date of consent"), required=False, not_future=True)
    consent_method = forms.ChoiceField(
        label=_("How consent was given"),
        choices=[("", "—"), *Member.ConsentMethod.choices],
        required=False,
    )

    class Meta:
        model = Member
        fields = [
            "full_name",
            "sex",
            "birth_date",
            "birth_year",
            "phone",
            "email",
            "preferred_channel",
            "reminders_opt_out",
            "village",
            "lives_alone",
            "has_health_insurance",
            "is_volunteer",
            "joined_on",
            "ethnicity",
            "ethnicity_note",
            "household_status",
            "has_disability",
            "needs_care",
            "consent_given",
            "consent_on",
            "consent_method",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        labels = {"phone": _("Phone number")}

    def __init__(self, *args: Any, user: User, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.club = club
        cast(forms.ChoiceField, self.fields["sex"]).choices = [("", "—"), *Member.Sex.choices]
        self.fields["phone"].help_text = _("For example 0912 345 678 or +84 912 345 678.")
        # Reminders go by SMS unless the member asks for e-mail.
        self.fields["preferred_channel"].required = False
        if not self.instance.pk:
            self.fields["village"].initial = club.village
        hidden = privacy.hidden_fields(user, "members.Member")
        self.sensitive_shown = not hidden & set(SENSITIVE_FIELDS)
        for name in SENSITIVE_FIELDS:
            if name in hidden:
                del self.fields[name]
        self.consent_already = self.instance.consent_on is not None
        if self.consent_already or not self.sensitive_shown:
            for name in ("consent_given", "consent_on", "consent_method"):
                del self.fields[name]
        else:
            self.fields["consent_on"].initial = _today

    def clean_preferred_channel(self) -> str:
        channel = self.cleaned_data.get("preferred_channel") or Member.Channel.SMS
        if channel == Member.Channel.EMAIL and not self.data.get(self.add_prefix("email")):
            raise forms.ValidationError(_("Enter an e-mail address to send reminders by e-mail."))
        return channel

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data.get("phone"))
        except PhoneError:
            raise forms.ValidationError(
                _("Enter a Vietnamese phone number, e.g. 0912 345 678."), code="phone"
            ) from None

    def clean_birth_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("birth_date")
        if value and value > _today():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def clean_birth_year(self) -> int | None:
        value = self.cleaned_data.get("birth_year")
        if value and value > _today().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        birth_date, birth_year = data.get("birth_date"), data.get("birth_year")
        if not birth_date and not birth_year and not self.has_error("birth_date"):
            self.add_error("birth_year", _("Enter the date of birth or at least the year."))
        if birth_date and birth_year and birth_date.year != birth_year:
            self.add_error("birth_year", _("The year of birth does not match the date of birth."))
        if birth_date and not birth_year:
            data["birth_year"] = birth_date.year
        if self.sensitive_shown and not self.consent_already:
            self._clean_consent(data)
        return data

    def _clean_consent(self, data: dict[str, Any]) -> None:
        filled = [
            name
            for name in SENSITIVE_FIELDS
            if data.get(name) not in (None, "", False) and name in self.fields
        ]
        if data.get("consent_given"):
            if not data.get("consent_on"):
                self.add_error("consent_on", _("Enter the date the member gave consent."))
            elif data["consent_on"] > _today():
                self.add_error("consent_on", _("The date of consent cannot be in the future."))
            if not data.get("consent_method"):
                self.add_error("consent_method", _("Choose how consent was given."))
        elif filled:
            self.add_error(
                "consent_given",
                _(
                    "Ethnicity, disability, care needs and household status can be saved only "
                    "once the member has agreed. Tick this box, or leave those fields empty."
                ),
            )

    def member_fields(self) -> dict[str, Any]:
        """The cleaned values the services accept."""
        skip = {"consent_given", "consent_on", "consent_method"}
        return {k: v for k, v in self.cleaned_data.items() if k in self.fields and k not in skip}

    def consent(self) -> Consent | None:
        if self.cleaned_data.get("consent_given"):
            return Consent(
                on=self.cleaned_data["consent_on"], method=self.cleaned_data["consent_method"]
            )
        return None

    def _post_clean(self) -> None:
        # The service validates the whole member (with consent and club); the form only checks
        # its own fields, so that the consent rule answers in words, next to the box.
        pass


class MemberFilterForm(forms.Form):
    """Filters of the member list (all optional; '' means any)."""

    state = forms.ChoiceField(
        label=_("Membership"),
        required=False,
        choices=[
            ("active", _("Current members")),
            ("left", _("Former members")),
            ("all", _("All")),
        ],
        widget=forms.Select(attrs=SELECT),
    )
    age = forms.ChoiceField(
        label=_("Age group"),
        required=False,
        choices=[("", _("All ages")), ("older", _("Older")), ("younger", _("Younger"))],
        widget=forms.Select(attrs=SELECT),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Both")), *Member.Sex.choices],
        widget=forms.Select(attrs=SELECT),
    )
    household = forms.ChoiceField(
        label=_("Household"),
        required=False,
        choices=[
            ("", _("Any")),
            ("poor_or_near", _("Poor or near-poor")),
            *Member.Household.choices,
        ],
        widget=forms.Select(attrs=SELECT),
    )
    volunteer = forms.ChoiceField(
        label=_("Volunteer"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Volunteers")), ("no", _("Not volunteers"))],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "household_status" in privacy.hidden_fields(user, "members.Member"):
            del self.fields["household"]

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class LeaveForm(forms.Form):
    left_on = DateField(label=_("Left on"), initial=_today)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example: moved away, health, passed away."),
    )


class TransferForm(forms.Form):
    # A province has a thousand clubs: searched by name, village or code, not listed.
    to_club = PickerField(
        label=_("Move to club"),
        describe=club_choice,
        hint=_("Type part of the club's name, village or code; tick the club."),
    )
    on = DateField(label=_("Date of transfer"), initial=_today)

    def __init__(self, *args: Any, user: User, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(PickerField, self.fields["to_club"])
        field.queryset = transfer_clubs(member=member, viewer=user)
        field.search_url = reverse("members:transfer_clubs", args=[member.pk])

    def clean_on(self) -> datetime.date:
        on = self.cleaned_data["on"]
        if on > _today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


class CareAssignForm(forms.Form):
    volunteer = PickerField(label=_("Volunteer"))
    recipient = PickerField(label=_("Care recipient"))
    start_on = DateField(label=_("From"), initial=_today)

    def __init__(self, *args: Any, user: User, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        volunteer = cast(PickerField, self.fields["volunteer"])
        volunteer.queryset = pick_members(club=club, viewer=user, only="volunteer")
        volunteer.search_url = member_pick_url(club.pk, only="volunteer")
        recipient = cast(PickerField, self.fields["recipient"])
        recipient.queryset = pick_members(club=club, viewer=user)
        recipient.search_url = member_pick_url(club.pk)


class CareEndForm(forms.Form):
    end_on = DateField(label=_("Until"), initial=_today)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Fill in the template; at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
