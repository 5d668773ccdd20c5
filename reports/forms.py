"""The period picker and the export request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from clubs.models import Area
from config.collation import by_name
from reports import periods

if TYPE_CHECKING:
    from accounts.models import User

SELECT = {"class": "form-select"}


def export_areas(user: User) -> QuerySet[Area]:
    """Areas a user may export: a province or commune of their scope (admins: provinces)."""
    qs = scoping.areas_for(user).filter(
        level__in=[Area.Level.PROVINCE, Area.Level.COMMUNE], active=True
    )
    if scoping.is_admin(user):
        qs = qs.filter(level=Area.Level.PROVINCE)
    return qs.order_by("level", *by_name("name"), "pk")


class ExportForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    period = forms.ChoiceField(label=_("Period"), widget=forms.Select(attrs=SELECT))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = export_areas(user)
        cast(forms.ChoiceField, self.fields["period"]).choices = periods.choices()

    def clean_period(self) -> periods.Period:
        return periods.Period.parse(self.cleaned_data["period"])
