"""Forms for clubs: founding and profile, status, management board, list filters."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from clubs.membership import member_register
from clubs.models import Area, BoardPosition, Club
from config.collation import by_name
from config.pickers import PickerField
from config.ui import DateField

if TYPE_CHECKING:
    from accounts.models import User

SELECT = {"class": "form-select"}

PROFILE_FIELDS = [
    "name",
    "village",
    "meeting_rule",
    "meeting_day",
    "meeting_week",
    "meeting_weekday",
    "meeting_time",
    "meeting_every_months",
    "meeting_place",
    "reminder_lead_days",
    "supporter",
    "supporter_note",
]
FOUNDING_FIELDS = [
    "code",
    "commune",
    "founded_on",
    "decision_number",
    "decision_date",
    "decision_issuer",
    "launched_on",
]


def _today() -> datetime.date:
    return timezone.localdate()


def communes_for(user: User | None) -> QuerySet[Area]:
    return (
        scoping.areas_for(user)
        .filter(level=Area.Level.COMMUNE, active=True)
        .select_related("province")
        .order_by(*by_name("name"), "pk")
    )


class ClubProfileForm(forms.ModelForm):
    """What a club's own leader may change: its name, village, meeting rule and support."""

    class Meta:
        model = Club
        fields = PROFILE_FIELDS
        widgets = {"meeting_time": forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"})}

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ClubForm(ClubProfileForm):
    """The whole club record, for association staff: founding decision and commune too."""

    founded_on = DateField(label=_("Founded on"), required=False)
    decision_date = DateField(label=_("Decision date"), required=False)
    launched_on = DateField(label=_("Launch ceremony date"), required=False)

    class Meta(ClubProfileForm.Meta):
        fields = FOUNDING_FIELDS + PROFILE_FIELDS
        help_texts = {"code": _("Leave empty to get one made from the commune code.")}

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["code"].required = False
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = communes_for(user)
        self.fields["decision_issuer"].help_text = _("For example: UBND xã Bình Lư")

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        decision_date, founded_on = data.get("decision_date"), data.get("founded_on")
        if decision_date and decision_date > _today():
            self.add_error("decision_date", _("The decision date cannot be in the future."))
        if decision_date and founded_on and founded_on < decision_date:
            self.add_error("founded_on", _("A club is founded on or after its founding decision."))
        return data

    def _post_clean(self) -> None:
        # An empty code is filled in by the service; let the model check everything else.
        if not self.cleaned_data.get("code") and "code" not in self.errors:
            self.instance.code = "-"
            super()._post_clean()  # type: ignore[misc]  # BaseModelForm._post_clean: not in the stubs
            self.instance.code = ""
        else:
            super()._post_clean()  # type: ignore[misc]  # BaseModelForm._post_clean: not in the stubs


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=Club.Status.choices, widget=forms.Select(attrs=SELECT)
    )
    changed_on = DateField(label=_("Date"), initial=_today)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BoardForm(forms.Form):
    # Searched by name, told apart by year of birth and village (config.pickers).
    member = PickerField(label=_("Member"))
    position = forms.ChoiceField(
        label=_("Position"),
        choices=BoardPosition.Position.choices,
        widget=forms.Select(attrs=SELECT),
    )
    start_on = DateField(label=_("Term starts"), initial=_today)
    end_on = DateField(label=_("Term ends"), required=False)

    def __init__(self, *args: Any, club: Club, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The board is made of the club's current members, as the member register has them.
        member = cast(PickerField, self.fields["member"])
        member.queryset = member_register().board_candidates(club=club, viewer=user)
        member.search_url = reverse("members:member_pick", args=[club.pk])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("The end of the term must be after its start."))
        return data


class BoardEndForm(forms.Form):
    end_on = DateField(label=_("Term ends"), initial=_today)


class ClubFilterForm(forms.Form):
    commune = forms.ModelChoiceField(
        label=_("Commune/ward"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=forms.Select(attrs=SELECT),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Club.Status.choices],
        widget=forms.Select(attrs=SELECT),
    )
    targets = forms.ChoiceField(
        label=_("Targets"),
        required=False,
        choices=[("", _("All")), ("met", _("Meets all targets")), ("missed", _("Misses a target"))],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every active commune in scope, with a club or not (one without shows an empty
        # list): the choices, and their cost, do not grow with the number of clubs.
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = (
            communes_for(user).select_related(None).only("pk", "name")
        )

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
