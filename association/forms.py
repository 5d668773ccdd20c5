from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from accounts.models import User
from association.models import (
    AGE_BANDS,
    AssessmentCriterion,
    AssessmentRound,
    AssociationUnit,
    Branch,
    ClubFounding,
    CommitteeMember,
    CommitteeTerm,
    FoundingPlan,
    FoundingTarget,
    MembershipReturn,
    UnitAssessment,
    points_text,
)
from clubs.models import Area, Club
from config.collation import by_name
from config.ui import DateField, DecimalTextField, MoneyField
from members.models import Member
from trainings.models import Training

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


def _numeric(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        form.fields[name].widget.attrs.update(NUMERIC)


class UnitForm(forms.ModelForm):
    founded_on = DateField(label=_("founded on"), required=False, not_future=True)
    decision_date = DateField(label=_("decision date"), required=False, not_future=True)

    class Meta:
        model = AssociationUnit
        fields = [
            "name",
            "founded_on",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "address",
            "phone",
            "email",
        ]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}


class UnitCreateForm(UnitForm):
    class Meta(UnitForm.Meta):
        fields = ["area", *UnitForm.Meta.fields]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Empty: “Hội Người cao tuổi” and the area's name.")
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = (
            scoping.areas_for(user)
            .filter(
                level__in=[Area.Level.PROVINCE, Area.Level.COMMUNE],
                active=True,
                association_unit__isnull=True,
            )
            .order_by("level", *by_name("name"), "pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name") and data.get("area"):
            data["name"] = f"Hội Người cao tuổi {data['area'].name}"
            self.instance.name = data["name"]
        return data


class ClubChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Club) -> str:
        return f"{obj.name} ({obj.village})" if obj.village else obj.name


class BranchForm(forms.ModelForm):
    clubs = ClubChoices(
        queryset=Club.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("clubs drawing from this branch"),
    )

    class Meta:
        model = Branch
        fields = ["name", "village", "parent", "leader_name", "clubs"]

    def __init__(self, *args: Any, unit: AssociationUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        parents = unit.branches.filter(parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = parents
        cast(forms.ModelMultipleChoiceField, self.fields["clubs"]).queryset = Club.objects.filter(
            commune_id=unit.area_id
        ).order_by(*by_name("name"), "pk")


class TermForm(forms.ModelForm):
    starts_on = DateField(label=_("from"))
    ends_on = DateField(label=_("to"))
    congress_on = DateField(label=_("congress date"), required=False, not_future=True)

    class Meta:
        model = CommitteeTerm
        fields = ["name", "starts_on", "ends_on", "congress_on", "note"]

    def __init__(self, *args: Any, unit: AssociationUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.unit = unit


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.full_name} — {obj.club.name}"


class SeatForm(forms.ModelForm):
    member = MemberChoice(
        queryset=Member.objects.none(),
        required=False,
        label=_("club member"),
        help_text=_("When the person is a member of a club of this commune."),
    )
    starts_on = DateField(label=_("from"), required=False)
    ends_on = DateField(label=_("to"), required=False)

    class Meta:
        model = CommitteeMember
        fields = [
            "position",
            "member",
            "full_name",
            "sex",
            "birth_year",
            "phone",
            "starts_on",
            "ends_on",
        ]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args: Any, term: CommitteeTerm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.term = term
        area = term.unit.area
        members = Member.objects.none()
        if area.level == Area.Level.COMMUNE:
            members = Member.objects.filter(club__commune=area, left_on__isnull=True)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = members.select_related(
            "club"
        ).order_by(*by_name("full_name"), "pk")
        _numeric(self, "birth_year")


class ReturnForm(forms.ModelForm):
    dues_vnd = MoneyField(label=_("dues collected (₫)"), allow_zero=True, required=False)

    class Meta:
        model = MembershipReturn
        fields = [
            *(f"{sex}_{band}" for band, _label in AGE_BANDS for sex in ("men", "women")),
            "members",
            "new_members",
            "left_members",
            "dues_vnd",
            "branches_count",
        ]

    def __init__(self, *args: Any, unit: AssociationUnit, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.instance.year = year
        for name, f in self.fields.items():
            if name != "dues_vnd":
                _numeric(self, name)
                f.widget.attrs["min"] = "0"

    def clean_dues_vnd(self) -> int:
        return self.cleaned_data.get("dues_vnd") or 0


class ReturnReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("Accept the return")), ("0", _("Send it back to be corrected"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    review_note = forms.CharField(label=_("note"), max_length=500, required=False)


class RoundCreateForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1995, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _numeric(self, "year")


class RoundForm(forms.ModelForm):
    strong_min = DecimalTextField(label=_("strong from (points)"), max_digits=6, decimal_places=1)
    good_min = DecimalTextField(label=_("good from (points)"), max_digits=6, decimal_places=1)
    average_min = DecimalTextField(
        label=_("average from (points)"), max_digits=6, decimal_places=1, min_value=0
    )
    deadline = DateField(label=_("self-assessment due"), required=False)

    class Meta:
        model = AssessmentRound
        fields = ["title", "strong_min", "good_min", "average_min", "deadline"]


class CriterionForm(forms.ModelForm):
    max_points = DecimalTextField(
        label=_("maximum points"),
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal(100),
    )

    class Meta:
        model = AssessmentCriterion
        fields = ["group", "name", "max_points", "guidance", "order"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, rnd: AssessmentRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.round = rnd
        _numeric(self, "order")


def _points(label: str, required: bool = False) -> DecimalTextField:
    return DecimalTextField(
        label=label, max_digits=5, decimal_places=1, min_value=0, required=required
    )


class ScoresForm(forms.Form):
    """The unit's own points and a note per criterion (fields ``score_<id>``, ``note_<id>``)."""

    def __init__(self, *args: Any, assessment: UnitAssessment, scores: dict, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = list(assessment.round.criteria.all())
        for c in self.criteria:
            row = scores.get(c.pk)
            self.fields[f"score_{c.pk}"] = _points(
                _("%(name)s (at most %(max)s)") % {"name": c.name, "max": points_text(c.max_points)}
            )
            self.fields[f"score_{c.pk}"].initial = row.self_score if row else None
            self.fields[f"note_{c.pk}"] = forms.CharField(
                label=_("note"), max_length=500, required=False
            )
            self.fields[f"note_{c.pk}"].initial = row.note if row else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for c in self.criteria:
            value = data.get(f"score_{c.pk}")
            if value is not None and value > c.max_points:
                self.add_error(
                    f"score_{c.pk}",
                    _("At most %(max)s points for this criterion.")
                    % {"max": points_text(c.max_points)},
                )
        return data

    def scores(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            c.pk: (
                self.cleaned_data.get(f"score_{c.pk}"),
                self.cleaned_data.get(f"note_{c.pk}") or "",
            )
            for c in self.criteria
        }


class ReviewForm(forms.Form):
    """The province's final points per criterion (empty: the unit's own) and its comment."""

    def __init__(self, *args: Any, assessment: UnitAssessment, scores: dict, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = list(assessment.round.criteria.all())
        for c in self.criteria:
            row = scores.get(c.pk)
            self.fields[f"final_{c.pk}"] = _points(
                _("%(name)s (at most %(max)s)") % {"name": c.name, "max": points_text(c.max_points)}
            )
            own = row.self_score if row else None
            self.fields[f"final_{c.pk}"].initial = (
                row.final_score if row and row.final_score is not None else own
            )
            self.fields[f"final_{c.pk}"].help_text = _("Self-assessed: %(n)s") % {
                "n": points_text(own)
            }
        self.fields["comment"] = forms.CharField(
            label=_("province's comment"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            initial=assessment.comment,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for c in self.criteria:
            value = data.get(f"final_{c.pk}")
            if value is not None and value > c.max_points:
                self.add_error(
                    f"final_{c.pk}",
                    _("At most %(max)s points for this criterion.")
                    % {"max": points_text(c.max_points)},
                )
        return data

    def finals(self) -> dict[int, Decimal | None]:
        return {c.pk: self.cleaned_data.get(f"final_{c.pk}") for c in self.criteria}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class EvidenceForm(forms.Form):
    criterion = forms.ModelChoiceField(
        queryset=AssessmentCriterion.objects.none(), label=_("criterion")
    )
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, Word, Excel, PowerPoint, JPEG or PNG, at most 20 MB."),
    )

    def __init__(self, *args: Any, assessment: UnitAssessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["criterion"]
        ).queryset = assessment.round.criteria.all()


class PlanForm(forms.ModelForm):
    class Meta:
        model = FoundingPlan
        fields = ["province", "title", "start_year", "end_year", "decision", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["province"]).queryset = scoping.areas_for(
            user
        ).filter(level=Area.Level.PROVINCE)
        if self.instance.pk:
            self.fields["province"].disabled = True
        _numeric(self, "start_year", "end_year")


class TargetForm(forms.ModelForm):
    class Meta:
        model = FoundingTarget
        fields = ["commune", "year", "planned", "supporter"]

    def __init__(self, *args: Any, plan: FoundingPlan, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        # Any commune the user may see; one outside the plan's province is refused by the
        # model's rule with a message beside the field.
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = (
            scoping.areas_for(user)
            .filter(level=Area.Level.COMMUNE)
            .order_by(*by_name("name"), "pk")
        )
        _numeric(self, "year", "planned")


class FoundingForm(forms.ModelForm):
    class Meta:
        model = ClubFounding
        fields = ["commune", "name", "village", "year", "training"]

    def __init__(self, *args: Any, plan: FoundingPlan, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = (
            scoping.areas_for(user)
            .filter(level=Area.Level.COMMUNE)
            .order_by(*by_name("name"), "pk")
        )
        cast(forms.ModelChoiceField, self.fields["training"]).queryset = scoping.for_user(
            Training, user
        ).order_by("-starts_on")
        _numeric(self, "year")


class StepForm(forms.Form):
    done_on = DateField(label=_("done on"), not_future=True)
    responsible = forms.CharField(label=_("responsible person"), max_length=120)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    document = forms.FileField(
        label=_("document"),
        required=False,
        help_text=_("Optional: PDF, Word, Excel, JPEG or PNG, at most 20 MB."),
    )
    decision_number = forms.CharField(label=_("decision number"), max_length=60, required=False)
    decision_issuer = forms.CharField(label=_("issued by"), max_length=200, required=False)
    club = forms.ModelChoiceField(
        queryset=Club.objects.none(),
        required=False,
        label=_("existing club"),
        help_text=_("Empty: the club is created from this plan with its founding decision."),
    )

    def __init__(self, *args: Any, founding: ClubFounding, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = founding.next_step
        if step != ClubFounding.Step.DECISION:
            del self.fields["decision_number"], self.fields["decision_issuer"]
        if step != ClubFounding.Step.LAUNCH:
            del self.fields["club"]
        else:
            cast(forms.ModelChoiceField, self.fields["club"]).queryset = Club.objects.filter(
                commune_id=founding.commune_id, founding__isnull=True
            ).order_by(*by_name("name"), "pk")
