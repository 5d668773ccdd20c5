"""The filters of the access log page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from config.ui import DateField


class AccessLogFilterForm(forms.Form):
    who = forms.CharField(label=_("Who looked"), max_length=100, required=False)
    # Set by the "who viewed this record" link of a member's page; kept as a hidden field.
    member = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period must be after its start."))
        return data
