"""Forms for the club's month. Validation messages come from the models and services so the
same rule reads the same everywhere."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from clubs.models import Club
from config.collation import by_name
from config.pickers import PickerField
from config.ui import DateField, DecimalTextField, MoneyField
from members.forms import member_pick_url
from members.models import Member
from month.models import (
    CARE_SERVICE_CHOICES,
    Activity,
    ActivityArea,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    MonthlyReport,
    reading_errors,
)
from month.readings import consent_refusal, has_health_consent, is_unusual
from month.services import Reading

# A member not at the meeting cannot have been measured there.
ABSENT_MARKS = (Attendance.Status.ABSENT, Attendance.Status.EXCUSED)
ROW_FIELD = re.compile(r"^(att|sys|dia|wt)_(\d+)$")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class WeightField(DecimalTextField):
    """Kilograms with one decimal; "52,5" and "52.5" both work (phones here type a comma)."""


def _numeric(attrs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off", **(attrs or {})}


class MeetingRecordForm(forms.Form):
    """The whole sitting on one page: a mark and an optional reading per member, guests,
    minutes and decisions. Fields per member: ``att_<id>``, ``sys_<id>``, ``dia_<id>``,
    ``wt_<id>``."""

    all_present = forms.BooleanField(
        label=gettext_lazy("Mark everyone without a mark as present"), required=False
    )
    guests = forms.IntegerField(
        label=gettext_lazy("Guests"),
        min_value=0,
        max_value=999,
        initial=0,
        required=False,
        widget=forms.TextInput(attrs=_numeric()),
    )
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.CharField(
        label=pgettext_lazy("meeting record", "Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decisions = forms.CharField(
        label=gettext_lazy("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        members: list[Member],
        marks: dict[int, str] | None = None,
        readings: dict[int, HealthCheck] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        marks = marks or {}
        readings = readings or {}
        choices = [("", _("Not marked")), *Attendance.Status.choices]
        systolic, diastolic, weight = _("Systolic"), _("Diastolic"), _("Weight (kg)")
        for m in members:
            reading = readings.get(m.pk)
            self.fields[f"att_{m.pk}"] = forms.ChoiceField(
                label=m.full_name,
                choices=choices,
                required=False,
                initial=marks.get(m.pk, ""),
                widget=forms.RadioSelect,
            )
            self.fields[f"sys_{m.pk}"] = forms.IntegerField(
                label=systolic,
                required=False,
                min_value=0,
                max_value=999,
                initial=reading.systolic if reading else None,
                widget=forms.TextInput(attrs=_numeric({"maxlength": 3, "size": 3})),
            )
            self.fields[f"dia_{m.pk}"] = forms.IntegerField(
                label=diastolic,
                required=False,
                min_value=0,
                max_value=999,
                initial=reading.diastolic if reading else None,
                widget=forms.TextInput(attrs=_numeric({"maxlength": 3, "size": 3})),
            )
            self.fields[f"wt_{m.pk}"] = WeightField(
                label=weight,
                required=False,
                max_digits=4,
                decimal_places=1,
                initial=reading.weight if reading else None,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "size": 4}
                ),
            )

    def rows(self, marks: list[tuple[str, Any, str]]) -> list[dict[str, Any]]:
        """One entry per member for the template (``sheet_row``), from the bound form: the
        values typed and the errors found."""
        out = []
        for m in self.members:
            att = self[f"att_{m.pk}"]
            fields = {p: self[f"{p}_{m.pk}"] for p in ("sys", "dia", "wt")}
            out.append(
                sheet_row(
                    m,
                    att.value() or "",
                    {p: f.value() for p, f in fields.items()},
                    marks,
                    {p: f.errors for p, f in fields.items()},
                )
            )
        return out

    def clean_guests(self) -> int:
        return self.cleaned_data.get("guests") or 0

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        ids = {m.pk for m in self.members}
        foreign = {
            int(match.group(2))
            for key in self.data
            if (match := ROW_FIELD.match(key)) and int(match.group(2)) not in ids
        }
        if foreign:
            raise forms.ValidationError(
                _(
                    "Some of the people marked are not members of this club on the meeting's "
                    "day; nothing was saved."
                ),
                code="not_member",
            )
        for m in self.members:
            values = [cleaned.get(f"{p}_{m.pk}") for p in ("sys", "dia", "wt")]
            if any(f"{p}_{m.pk}" in self.errors for p in ("sys", "dia", "wt")):
                continue
            if cleaned.get(f"att_{m.pk}") in ABSENT_MARKS and any(v is not None for v in values):
                typed = next(p for p, v in zip(("sys", "dia", "wt"), values, strict=True) if v)
                self.add_error(
                    f"{typed}_{m.pk}",
                    _("%(name)s is marked absent: a reading cannot be recorded.")
                    % {"name": m.full_name},
                )
                continue
            for field_name, message in reading_errors(*values).items():
                prefix = {"systolic": "sys", "diastolic": "dia", "weight": "wt"}[field_name]
                self.add_error(f"{prefix}_{m.pk}", message)
        self.refuse_readings([m.pk for m in self.members if not has_health_consent(m)])
        return cleaned

    def refuse_readings(self, member_ids: list[int]) -> None:
        """Put the reason beside the reading of each of these members who has been given one
        (members without consent to health data: ``month.readings.consent_refusal``)."""
        for pk in member_ids:
            typed = [p for p in ("sys", "dia", "wt") if str(self.data.get(f"{p}_{pk}", "")).strip()]
            if typed and f"{typed[0]}_{pk}" in self.fields:
                self.add_error(f"{typed[0]}_{pk}", consent_refusal())

    def attendance(self) -> dict[int, str]:
        marks = {}
        for m in self.members:
            status = self.cleaned_data.get(f"att_{m.pk}") or ""
            if not status and self.cleaned_data.get("all_present"):
                status = Attendance.Status.PRESENT
            if status:
                marks[m.pk] = status
        return marks

    def readings(self) -> dict[int, Reading]:
        out = {}
        for m in self.members:
            reading = Reading(
                systolic=self.cleaned_data.get(f"sys_{m.pk}"),
                diastolic=self.cleaned_data.get(f"dia_{m.pk}"),
                weight=self.cleaned_data.get(f"wt_{m.pk}"),
            )
            if not reading.is_empty:
                out[m.pk] = reading
        return out

    def unusual_readings(self) -> list[tuple[Member, Reading]]:
        readings = self.readings()
        return [
            (m, readings[m.pk])
            for m in self.members
            if m.pk in readings and is_unusual(readings[m.pk].systolic, readings[m.pk].diastolic)
        ]


class MeetingForm(forms.Form):
    """An extra meeting outside the rule."""

    date = DateField(label=gettext_lazy("Date"))
    starts_at = forms.TimeField(label=gettext_lazy("Time"), required=False, widget=TimeInput)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingMoveForm(forms.Form):
    date = DateField(label=gettext_lazy("New date"))
    starts_at = forms.TimeField(label=gettext_lazy("Time"), required=False, widget=TimeInput)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


def active_members(club: Club) -> QuerySet[Member]:
    """The people an activity or a visit may name: the club's members on the register today."""
    return Member.objects.filter(club=club).on_register(timezone.localdate())


def _with_details(member: Member) -> str:
    return f"{member.full_name} ({member.picker_details})" if member.picker_details else str(member)


class ActivityForm(forms.ModelForm):
    date = DateField(label=gettext_lazy("Date"), not_future=True)
    cost = MoneyField(label=gettext_lazy("Cost (VND)"), allow_zero=True, initial=0, required=False)

    class Meta:
        model = Activity
        fields = [
            "date",
            "title",
            "areas",
            "participants",
            "participant_count",
            "beneficiaries",
            "cost",
            "description",
        ]
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "participants": forms.CheckboxSelectMultiple,
            "participant_count": forms.TextInput(attrs=_numeric()),
            "beneficiaries": forms.TextInput(attrs=_numeric()),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.club = club
        cast(
            forms.ModelMultipleChoiceField, self.fields["areas"]
        ).queryset = ActivityArea.objects.filter(active=True)
        participants = cast(forms.ModelMultipleChoiceField, self.fields["participants"])
        participants.queryset = active_members(club).order_by(*by_name("full_name"), "pk")
        # Namesakes told apart by year of birth and village, as in the pickers.
        participants.label_from_instance = _with_details  # type: ignore[assignment]
        self.fields["participants"].required = False
        self.club = club
        cast(MoneyField, self.fields["cost"]).max_value = settings.ISHC_MAX_ACTIVITY_COST_VND

    def clean_cost(self) -> int:
        return self.cleaned_data.get("cost") or 0

    def clean_participant_count(self) -> int | None:
        count = self.cleaned_data.get("participant_count")
        limit = active_members(self.club).count() + settings.ISHC_ACTIVITY_GUESTS_MAX
        if count is not None and count > limit:
            raise forms.ValidationError(
                _("At most %(limit)s people: the club's members and up to %(guests)s guests.")
                % {"limit": limit, "guests": settings.ISHC_ACTIVITY_GUESTS_MAX},
                code="too_many",
            )
        return count

    def clean_beneficiaries(self) -> int | None:
        count = self.cleaned_data.get("beneficiaries")
        if count is not None and count > settings.ISHC_MAX_BENEFICIARIES:
            raise forms.ValidationError(
                _("At most %(limit)s beneficiaries for one activity.")
                % {"limit": settings.ISHC_MAX_BENEFICIARIES},
                code="too_many",
            )
        return count


class VisitForm(forms.ModelForm):
    # Searched by name, told apart by year of birth and village (config.pickers).
    volunteer = PickerField(label=gettext_lazy("Volunteer"))
    recipient = PickerField(label=gettext_lazy("Care recipient"))
    date = DateField(label=gettext_lazy("Date"), not_future=True)
    services = forms.MultipleChoiceField(
        label=gettext_lazy("Services given"),
        choices=CARE_SERVICE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = HomeCareVisit
        fields = ["volunteer", "recipient", "date", "services", "duration_minutes", "note"]
        widgets = {"duration_minutes": forms.TextInput(attrs=_numeric())}

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.club = club
        members = active_members(club)
        for name, first in (("volunteer", "-is_volunteer"), ("recipient", "-needs_care")):
            field = cast(PickerField, self.fields[name])
            field.queryset = members.order_by(first, *by_name("full_name"), "pk")
            field.search_url = member_pick_url(club.pk)
        if self.instance.pk:
            self.initial["services"] = self.instance.service_list

    def clean_duration_minutes(self) -> int | None:
        minutes = self.cleaned_data.get("duration_minutes")
        if minutes is not None and not 1 <= minutes <= settings.ISHC_MAX_VISIT_MINUTES:
            raise forms.ValidationError(
                _("A visit lasts between 1 and %(limit)s minutes.")
                % {"limit": settings.ISHC_MAX_VISIT_MINUTES},
                code="out_of_range",
            )
        return minutes

    def clean_services(self) -> str:
        chosen = self.cleaned_data["services"]
        return ",".join(code for code, _label in CARE_SERVICE_CHOICES if code in chosen)


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = MonthlyReport
        fields = ["narrative", "difficulties"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
        }


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportStartForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    month = forms.IntegerField(min_value=1, max_value=12)


def sheet_row(
    member: Member,
    mark: str,
    values: dict[str, Any],
    marks: list[tuple[str, Any, str]],
    errors: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A member's row of the record sheet in plain values (a template looking up four bound
    fields per member spent most of the page's time). ``marks`` are the attendance buttons:
    (value, label, colour); names and ids are those of ``MeetingRecordForm``'s fields."""
    inputs = {}
    for prefix in ("sys", "dia", "wt"):
        value = values.get(prefix)
        inputs[prefix] = {
            "name": f"{prefix}_{member.pk}",
            "id": f"id_{prefix}_{member.pk}",
            "value": "" if value is None else value,
            "errors": (errors or {}).get(prefix) or [],
        }
    return {
        "member": member,
        # Without consent to health data the row has no reading fields (unless a reading was
        # typed anyway: then they show, disabled, with the reason beside them).
        "consent": has_health_consent(member),
        "aria": _("Attendance of %(name)s") % {"name": member.full_name},
        "att_name": f"att_{member.pk}",
        "buttons": [
            {
                "id": f"id_att_{member.pk}_{value or 'none'}",
                "value": value,
                "label": label,
                "colour": colour,
                "checked": mark == value,
            }
            for value, label, colour in marks
        ],
        "open": any(i["errors"] for i in inputs.values())
        or inputs["sys"]["value"] != ""
        or inputs["wt"]["value"] != "",
        **inputs,
    }


def sheet_rows(
    members: list[Member],
    marks: dict[int, str],
    readings: dict[int, HealthCheck],
    buttons: list[tuple[str, Any, str]],
) -> list[dict[str, Any]]:
    """The rows of a sheet nobody has posted yet: the saved marks and readings (the same
    values an unbound ``MeetingRecordForm`` shows, without building its four fields per
    member)."""
    rows = []
    for m in members:
        reading = readings.get(m.pk)
        values = (
            {"sys": reading.systolic, "dia": reading.diastolic, "wt": reading.weight}
            if reading and has_health_consent(m)  # never shown without consent
            else {}
        )
        rows.append(sheet_row(m, marks.get(m.pk, ""), values, buttons))
    return rows
