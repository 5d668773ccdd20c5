"""Forms of the reports upward."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from accounts.models import Role
from clubs.models import Area
from reports.models import PeriodicReport

if TYPE_CHECKING:
    from accounts.models import User

SELECT = {"class": "form-select"}


def writable_areas(user: User) -> QuerySet[Area]:
    """The one area whose reports the user writes: a commune's or a province's own staff."""
    role = scoping.effective_role(user)
    if role not in (Role.COMMUNE, Role.PROVINCE) or not user.area_id:
        return Area.objects.none()
    return scoping.areas_for(user).filter(
        pk=user.area_id, level__in=[Area.Level.PROVINCE, Area.Level.COMMUNE]
    )


class PeriodicCreateForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    kind = forms.ChoiceField(
        label=_("Kind of report"),
        choices=PeriodicReport.Kind.choices,
        widget=forms.Select(attrs=SELECT),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": _("The year must be between 2000 and 2100."),
            "max_value": _("The year must be between 2000 and 2100."),
            "invalid": _("Enter a year such as 2025."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
    )
    half = forms.TypedChoiceField(
        label=_("Half-year"),
        choices=[
            ("", _("— (annual or programme report)")),
            (1, _("First half")),
            (2, _("Second half")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("Only for a six-month review."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = writable_areas(user)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas
        self.initial.setdefault("year", timezone.localdate().year)
        if user.area_id:
            self.initial.setdefault("area", user.area_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, half = data.get("kind"), data.get("half")
        if kind == PeriodicReport.Kind.SIX_MONTH and half not in (1, 2):
            self.add_error("half", _("Choose the first or the second half of the year."))
        elif kind and kind != PeriodicReport.Kind.SIX_MONTH and half:
            self.add_error(
                "half", _("An annual or programme report covers the whole year: leave this empty.")
            )
        return data


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = PeriodicReport
        fields = [
            "number",
            "signer_name",
            "signer_position",
            "results",
            "shortcomings",
            "lessons",
            "tasks",
            "proposals",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in ("results", "shortcomings", "lessons", "tasks", "proposals")
        }
        help_texts = {
            "results": _("Quote a figure of the annex as [[section.row]], e.g. [[clubs.active]]."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("results", "shortcomings", "lessons", "tasks", "proposals"):
            if len(data.get(name) or "") > 20_000:
                self.add_error(name, _("Keep this section under 20,000 characters."))
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what needs to change before it is sent again.")},
    )
