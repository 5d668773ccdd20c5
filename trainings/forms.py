from __future__ import annotations

from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import privacy, scoping
from accounts.models import User
from clubs.models import Area
from config.collation import by_name
from config.pickers import PickerField
from config.ui import DateField
from trainings import selectors
from trainings.imports import MAX_FILE_BYTES, area_choices
from trainings.models import Participant, Trainer, Training, TrainingSession
from trainings.services import PARTICIPANT_FIELDS, TRAINING_FIELDS


class TrainingForm(forms.ModelForm):
    starts_on = DateField(label=_("first day"))
    ends_on = DateField(label=_("last day"))

    class Meta:
        model = Training
        fields = list(TRAINING_FIELDS)
        widgets = {"topics": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Staff organise events for the areas they work in, nowhere else.
        cast(forms.ModelChoiceField, self.fields["organiser"]).queryset = (
            scoping.areas_for(user)
            .filter(level__in=[Area.Level.PROVINCE, Area.Level.COMMUNE], active=True)
            .order_by("level", *by_name("name"), "pk")
        )
        self.fields["capacity"].widget.attrs["inputmode"] = "numeric"


class TrainerForm(forms.ModelForm):
    class Meta:
        model = Trainer
        fields = ["name", "title"]


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["starts_at", "ends_at", "venue", "agenda"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }


class ParticipantForm(forms.ModelForm):
    # A province has thousands of board members and a thousand accounts: searched, not
    # listed (config.pickers), each told apart by year of birth, village and club.
    member = PickerField(
        required=False,
        label=_("club member"),
        help_text=_("Current board members of clubs in your area."),
        describe=selectors.board_member_choice,
        search=selectors.search_board_members,
    )
    user = PickerField(
        required=False,
        label=_("user account"),
        describe=selectors.user_choice,
        search=selectors.search_users,
        hint=_("Type part of the person's name or user name; tick the account."),
    )

    class Meta:
        model = Participant
        fields = list(PARTICIPANT_FIELDS)
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args: Any, training: Training, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.training = training
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = area_choices(
            training
        ).order_by("level", *by_name("name"), "pk")
        account = cast(PickerField, self.fields["user"])
        account.queryset = selectors.participant_users(viewer=user)
        account.search_url = reverse("trainings:pick_user", args=[training.pk])
        member = cast(PickerField, self.fields["member"])
        member.queryset = selectors.board_members(viewer=user)
        member.search_url = reverse("trainings:pick_member", args=[training.pk])
        if "ethnicity" in privacy.hidden_fields(user, "trainings.Participant"):
            del self.fields["ethnicity"]

    def validate_unique(self) -> None:
        # Duplicates are found by the service, which explains which person is the twin.
        pass


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "First sheet; columns: Họ và tên, Chức vụ, Đơn vị, Địa bàn, Giới tính, Dân tộc, "
            "Điện thoại."
        ),
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large (limit 5 MB)."))
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an Excel file ending in .xlsx."))
        return f


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    file = forms.FileField(label=_("file (PDF, docx, xlsx, pptx, JPEG, PNG; at most 20 MB)"))
    name = forms.CharField(
        label=_("file name shown"),
        required=False,
        max_length=200,
        help_text=_("Empty: the uploaded file's name."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.pptx,.jpg,.jpeg,.png"
