"""Forms of campaigns and emulation drives. Choices come from the door; the services decide."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import scoping
from campaigns.models import (
    Campaign,
    CampaignGift,
    CampaignReceipt,
    Commendation,
    EmulationCriterion,
    EmulationDrive,
    EmulationRegistration,
    Indicator,
)
from clubs.models import Area, Club
from config.collation import by_name
from config.ui import DateField, MoneyField
from funds.models import Fund
from members.models import Member
from month.models import Activity, HomeCareVisit

if TYPE_CHECKING:
    from accounts.models import User

FILE_ACCEPT = ".pdf,.docx,.xlsx,.pptx,.jpg,.jpeg,.png"
FILE_HELP = _("PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), JPEG or PNG; at most 20 MB.")


def _today() -> datetime.date:
    return timezone.localdate()


def _choice(field: forms.Field) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, field)


def organiser_choices(user: User) -> QuerySet[Area]:
    return (
        scoping.areas_for(user)
        .filter(level__in=[Area.Level.PROVINCE, Area.Level.COMMUNE])
        .order_by("level", *by_name("name"), "pk")
    )


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Campaign.Kind.choices)
    organiser = forms.ModelChoiceField(label=_("Organised by"), queryset=Area.objects.none())
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("To"))
    theme = forms.CharField(label=_("Theme"), max_length=300, required=False)
    deployed_to = forms.ModelMultipleChoiceField(
        label=_("Deploy to the communes"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a province's campaign: the communes that carry it out."),
    )
    plan_file = forms.FileField(label=_("Plan document"), required=False, help_text=FILE_HELP)

    def __init__(
        self, *args: Any, user: User, campaign: Campaign | None = None, **kwargs: Any
    ) -> None:
        if campaign is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": campaign.title,
                    "kind": campaign.kind,
                    "organiser": campaign.organiser_id,
                    "starts_on": campaign.starts_on,
                    "ends_on": campaign.ends_on,
                    "theme": campaign.theme,
                    "deployed_to": list(campaign.deployed_to.values_list("pk", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        _choice(self.fields["organiser"]).queryset = organiser_choices(user)
        communes = scoping.areas_for(user).filter(level=Area.Level.COMMUNE)
        if campaign is not None:
            _fixed_organiser(self)
            if campaign.is_provincial:
                communes = communes.filter(province_id=campaign.organiser_id)
            else:
                del self.fields["deployed_to"]
            if campaign.plan_file:
                self.fields["plan_file"].help_text = _(
                    "Now: %(name)s. Choose a file only to replace it."
                ) % {"name": campaign.plan_name}
        if "deployed_to" in self.fields:
            _choice(self.fields["deployed_to"]).queryset = communes.order_by(*by_name("name"), "pk")
        self.fields["plan_file"].widget.attrs["accept"] = FILE_ACCEPT


def _fixed_organiser(form: forms.Form) -> None:
    """On an edit the organiser is shown, not changed: it decides who sees the campaign or
    drive, who reviews its reports and scores it."""
    field = form.fields["organiser"]
    field.disabled = True
    field.required = False
    field.help_text = _("The organiser cannot change.")


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    commune = forms.ModelChoiceField(
        label=_("For"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("The whole campaign"),
    )
    number = forms.IntegerField(
        label=_("Target"),
        help_text=_("A number; for an amount, whole dong without dots."),
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("A target cannot be below zero."),
        },
        min_value=0,
    )

    def __init__(self, *args: Any, areas: list[Area], whole: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = _choice(self.fields["commune"])
        field.queryset = Area.objects.filter(pk__in=[a.pk for a in areas]).order_by(
            *by_name("name"), "pk"
        )
        if not whole:
            field.required = True
            field.empty_label = None
        self.fields["number"].widget.attrs.update({"inputmode": "numeric"})


class GiftForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Member"), queryset=Member.objects.none(), required=False
    )
    older_person = forms.ModelChoiceField(
        label=_("Older person in the register"), queryset=Member.objects.none(), required=False
    )
    person_name = forms.CharField(
        label=_("Or the person's name"),
        max_length=120,
        required=False,
        help_text=_("For someone in neither list."),
    )
    village = forms.CharField(label=_("Village"), max_length=200, required=False)
    date = DateField(label=_("Date"), initial=_today, not_future=True)
    kind = forms.ChoiceField(label=_("Kind of gift"), choices=CampaignGift.Kind.choices)
    value = MoneyField(label=_("Value (VND)"))
    given_by = forms.CharField(label=_("Given by"), max_length=200, required=False)
    fund = forms.ModelChoiceField(
        label=_("Paid from the care fund"),
        queryset=Fund.objects.none(),
        required=False,
        empty_label=_("Not paid from a fund"),
    )

    def __init__(self, *args: Any, area: Area, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clubs = scoping.clubs_for(user).filter(commune=area)
        _choice(self.fields["member"]).queryset = Member.objects.filter(
            club__in=clubs, left_on__isnull=True
        ).order_by(*by_name("full_name"), "pk")
        older = CampaignGift._meta.get_field("older_person").related_model
        path = getattr(older, "scope_area_path", None)
        if older is not None and not isinstance(older, str) and path is not None:
            _choice(self.fields["older_person"]).queryset = scoping.for_user(
                older._default_manager.filter(**{path: area}), user
            )
        else:
            del self.fields["older_person"]
        _choice(self.fields["fund"]).queryset = Fund.objects.filter(
            owner_area=area, kind=Fund.Kind.CARE
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [k for k in ("member", "older_person") if data.get(k)]
        if len(chosen) > 1:
            self.add_error("older_person", _("Choose either a member or an older person."))
        elif not chosen and not (data.get("person_name") or "").strip():
            self.add_error("person_name", _("Say who received the gift."))
        return data


class ReceiptForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Into the care fund"), queryset=Fund.objects.none())
    date = DateField(label=_("Date"), initial=_today, not_future=True)
    amount = MoneyField(label=_("Amount (VND)"))
    source = forms.ChoiceField(label=_("Source"), choices=CampaignReceipt.Source.choices)
    donor = forms.CharField(label=_("Donor"), max_length=200)

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self.fields["fund"]).queryset = Fund.objects.filter(
            owner_area__in=[a.pk for a in areas], kind=Fund.Kind.CARE
        ).select_related("owner_area")


class _ActivityChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.date:%d/%m/%Y} · {obj.club} · {obj.title} ({obj.participant_count})"


class _VisitChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.date:%d/%m/%Y} · {obj.club} · {obj.recipient}"


class TagForm(forms.Form):
    activities = _ActivityChoice(
        label=_("Activities"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visits = _VisitChoice(
        label=_("Home-care visits"),
        queryset=HomeCareVisit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, campaign: Campaign, area: Area, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        clubs = scoping.clubs_for(user).filter(commune=area)
        period = (campaign.starts_on, campaign.ends_on)
        activities = _choice(self.fields["activities"])
        activities.queryset = (
            Activity.objects.filter(club__in=clubs, date__range=period, campaign_tag__isnull=True)
            .select_related("club")
            .order_by("date", "pk")
        )
        visits = _choice(self.fields["visits"])
        visits.queryset = (
            HomeCareVisit.objects.filter(
                club__in=clubs, date__range=period, campaign_tag__isnull=True
            )
            .select_related("club", "recipient")
            .order_by("date", "pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("activities") and not data.get("visits"):
            raise forms.ValidationError(_("Tick at least one activity or visit."))
        return data


class ReportForm(forms.Form):
    narrative = forms.CharField(
        label=_("What was done, results, difficulties and proposals"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        required=False,
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# --- Emulation -----------------------------------------------------------------------------


class DriveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    organiser = forms.ModelChoiceField(label=_("Organised by"), queryset=Area.objects.none())
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("To"))
    occasion = forms.CharField(label=_("Occasion"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(
        self, *args: Any, user: User, drive: EmulationDrive | None = None, **kwargs: Any
    ) -> None:
        if drive is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": drive.title,
                    "organiser": drive.organiser_id,
                    "starts_on": drive.starts_on,
                    "ends_on": drive.ends_on,
                    "occasion": drive.occasion,
                    "description": drive.description,
                },
            )
        super().__init__(*args, **kwargs)
        _choice(self.fields["organiser"]).queryset = organiser_choices(user)
        if drive is not None:
            _fixed_organiser(self)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=300)
    max_points = forms.IntegerField(
        label=_("Maximum points"),
        min_value=1,
        max_value=1000,
        error_messages={
            "min_value": _("At least 1 point."),
            "max_value": _("At most 1000 points."),
            "invalid": _("Enter a whole number."),
        },
    )
    evidence = forms.CharField(label=_("Evidence asked for"), max_length=300, required=False)


def unit_choices(drive: EmulationDrive, user: User) -> list[tuple[str, str]]:
    """The commune associations and clubs of the drive's area the user looks after."""
    organiser = drive.organiser
    areas = (
        scoping.areas_for(user)
        .filter(level=Area.Level.COMMUNE)
        .filter(Q(province=organiser) | Q(pk=organiser.pk))
    )
    clubs = scoping.clubs_for(user).filter(Q(province=organiser) | Q(commune=organiser))
    out = [
        (f"area:{a.pk}", f"Hội NCT {a.name}") for a in areas.order_by(*by_name("name"), "pk")[:500]
    ]
    out += [(f"club:{c.pk}", c.name) for c in clubs.order_by(*by_name("name"), "pk")[:2000]]
    return out


def parse_unit(value: str) -> tuple[Area | None, Club | None]:
    kind, _sep, ident = (value or "").partition(":")
    if not ident.isdigit():
        return None, None
    if kind == "area":
        return Area.objects.filter(pk=int(ident)).first(), None
    if kind == "club":
        return None, Club.objects.filter(pk=int(ident)).first()
    return None, None


class RegistrationForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"))
    pledges = forms.CharField(
        label=_("Pledges"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )

    def __init__(self, *args: Any, drive: EmulationDrive, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = unit_choices(drive, user)


class ResultForm(forms.Form):
    achievement = forms.CharField(
        label=_("Result achieved"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    self_points = forms.IntegerField(
        label=_("Self-score"),
        required=False,
        min_value=0,
        error_messages={
            "min_value": _("Enter a whole number of points, zero or more."),
            "invalid": _("Enter a whole number."),
        },
    )
    evidence = forms.FileField(label=_("Evidence file"), required=False, help_text=FILE_HELP)

    def __init__(self, *args: Any, criterion: EmulationCriterion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["self_points"].help_text = _("At most %(max)s points.") % {
            "max": criterion.max_points
        }
        self.fields["self_points"].widget.attrs["inputmode"] = "numeric"
        self.fields["evidence"].widget.attrs["accept"] = FILE_ACCEPT


class ScoreForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Score"),
        choices=[
            (EmulationRegistration.Stage.REVIEWED, _("Reviewed score")),
            (EmulationRegistration.Stage.FINAL, _("Final score")),
        ],
    )
    reason = forms.CharField(label=_("Note"), max_length=100, required=False)

    def __init__(self, *args: Any, criteria: list[EmulationCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=f"{c.seq}. {c.name} (≤ {c.max_points})",
                required=False,
                min_value=0,
                error_messages={
                    "min_value": _("Enter a whole number of points, zero or more."),
                    "invalid": _("Enter a whole number."),
                },
            )

    def points(self) -> dict[int, int | None]:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("c") and name[1:].isdigit()
        }


class CommendationForm(forms.Form):
    recipient_kind = forms.ChoiceField(
        label=_("Given to"), choices=Commendation.RecipientKind.choices
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    member = forms.ModelChoiceField(
        label=_("Member"), queryset=Member.objects.none(), required=False
    )
    person_name = forms.CharField(label=_("Or the person's name"), max_length=120, required=False)
    person_area = forms.ModelChoiceField(
        label=_("The person's commune"), queryset=Area.objects.none(), required=False
    )
    level = forms.ChoiceField(
        label=pgettext_lazy("commendation", "Level"), choices=Commendation.Level.choices
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = DateField(label=_("Decision date"), not_future=True)
    reason = forms.CharField(label=_("For"), max_length=300, required=False)

    def __init__(self, *args: Any, drive: EmulationDrive, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            ("", "---------"),
            *unit_choices(drive, user),
        ]
        registered_clubs = EmulationRegistration.objects.filter(
            drive=drive, club__isnull=False
        ).values("club_id")
        _choice(self.fields["member"]).queryset = (
            Member.objects.filter(
                club__in=scoping.clubs_for(user).filter(pk__in=registered_clubs),
                left_on__isnull=True,
            )
            .select_related("club")
            .order_by(*by_name("full_name"), "pk")
        )
        _choice(self.fields["person_area"]).queryset = scoping.areas_for(user).filter(
            Q(province=drive.organiser) | Q(pk=drive.organiser_id)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("recipient_kind") == Commendation.RecipientKind.UNIT:
            if not data.get("unit"):
                self.add_error("unit", _("Choose the unit."))
        elif not data.get("member") and not (data.get("person_name") or "").strip():
            self.add_error("person_name", _("Say who is commended."))
        return data
