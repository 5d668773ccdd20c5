"""Forms of data-subject requests: who asked and why, and the confirmation of anonymisation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.models import DataSubjectRequest


class RequestForm(forms.Form):
    """Who asked for a copy of the data, and why (kept in the request log)."""

    asked_by = forms.ChoiceField(
        label=_("Asked by"),
        choices=DataSubjectRequest.AskedBy.choices,
        initial=DataSubjectRequest.AskedBy.PERSON,
    )
    asked_by_detail = forms.CharField(
        label=_("Who exactly"),
        max_length=200,
        required=False,
        help_text=_("For example: her son, with a signed authorisation; the commune police."),
    )
    reason = forms.CharField(
        label=_("Reason or reference"),
        max_length=500,
        required=False,
        help_text=_("Do not write the person's name or details here: the record says who."),
    )


class AnonymiseForm(RequestForm):
    """Anonymisation cannot be undone: a reason and an explicit confirmation."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write the person's name or details here: the record says who."),
    )
    confirm = forms.BooleanField(
        label=_("I have read what will happen and it cannot be undone."),
        required=True,
    )
