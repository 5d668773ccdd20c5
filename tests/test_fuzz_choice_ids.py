"""An id no row can have (beyond 64 bits, negative, not a number) posted to a field that picks a
row is "not a valid choice", never a server error: every form with such a field, as every role
of the cast. ``config.lookups`` keeps an out-of-range id away from the database for every
integer column (Django does it for ``=``, not for ``IN``, which a multiple choice uses)."""

import importlib
import inspect

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from members.models import Member
from month.models import Activity, HomeCareVisit
from tests.factories import MemberFactory
from tests.factories_funds import deposit, operating, revolving
from tests.factories_trainings import make_event

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999999"
IDS = [BIG, "9223372036854775808", "-9223372036854775809", "1e5", "12abc", "\x00"]
ROLES = ["admin", "province", "commune", "leader", "leader2", "viewer"]

# Each form with a field that picks rows: (its class, the URL name, what the URL is called
# with, GET or POST, the picking fields, other fields it needs to get that far).
FORMS = [
    ("clubs.forms.BoardForm", "clubs:board_add", "club", "post", ["member"],
     {"position": "chair", "start_on": "01/01/2024"}),
    ("clubs.forms.ClubFilterForm", "clubs:club_list", None, "get", ["commune"], {}),
    ("clubs.forms.ClubForm", "clubs:club_create", None, "post", ["commune"],
     {"name": "CLB Mới", "village": "Bản Mới"}),
    ("members.forms.CareAssignForm", "members:care_list", "club", "post",
     ["volunteer", "recipient"], {"start_on": "01/01/2024"}),
    ("members.forms.TransferForm", "members:member_transfer", "member", "post", ["to_club"],
     {"on": "01/01/2024"}),
    ("trainings.forms.ParticipantForm", "trainings:participant_add", "training", "post",
     ["area", "user", "member"], {"full_name": "Lò Văn A", "sex": "M"}),
    ("trainings.forms.TrainingForm", "trainings:create", None, "post", ["organiser"],
     {"title": "Tập huấn", "starts_on": "28/05/2024", "ends_on": "29/05/2024"}),
    ("funds.forms.EntryForm", "funds:entry_create", "operating", "post", ["member"],
     {"direction": "in", "category": "donation", "amount": "1000", "date": "10/01/2025"}),
    ("funds.forms.FundForm", "funds:fund_create", None, "post", ["owner_area"],
     {"name": "Quỹ"}),
    ("funds.forms.LoanRequestForm", "funds:loan_create", "club", "post", ["borrower"],
     {"principal": "1.000.000", "purpose": "Nuôi gà", "monthly_rate": "0,5",
      "term_months": "6", "method": "equal", "requested_on": "01/01/2025"}),
    ("funds.forms.PlanForm", "funds:plan_create", None, "post", ["fund", "area"],
     {"year": "2025"}),
    ("funds.forms.TransferForm", "funds:transfer", "operating", "post", ["target"],
     {"amount": "1000", "date": "10/01/2025"}),
    ("month.forms.ActivityForm", "month:activity_add", "club", "post",
     ["areas", "participants"],
     {"date": "01/01/2025", "title": "Giao lưu", "participant_count": "3",
      "beneficiaries": "0", "cost": "0"}),
    ("month.forms.VisitForm", "month:visit_add", "club", "post", ["volunteer", "recipient"],
     {"date": "01/01/2025", "services": ["company"], "duration_minutes": "30"}),
    ("reports.forms.ExportForm", "reports:export", None, "post", ["area"], {}),
    ("reports.periodic_forms.PeriodicCreateForm", "reports:periodic_new", None, "post",
     ["area"], {"kind": "annual", "year": "2024"}),
]  # fmt: skip

# The apps whose forms this file answers for (the newer apps have their own tests).
APPS = ["accounts", "clubs", "members", "trainings", "month", "funds", "reports", "privacy"]
MODULES = ["forms", "periodic_forms"]


def _forms_with_choices() -> set[str]:
    found = set()
    for app in APPS:
        for name in MODULES:
            try:
                module = importlib.import_module(f"{app}.{name}")
            except ImportError:
                continue
            for cls_name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__ or not issubclass(cls, forms.BaseForm):
                    continue
                if any(isinstance(f, forms.ModelChoiceField) for f in cls.base_fields.values()):
                    found.add(f"{module.__name__}.{cls_name}")
    return found


def test_every_form_that_picks_rows_is_posted_here():
    assert _forms_with_choices() == {row[0] for row in FORMS}


@pytest.fixture
def world(cast):
    fund = operating(cast.club_a)
    deposit(fund, 5_000_000)
    deposit(revolving(cast.club_a), 5_000_000)
    return {
        None: None,
        "club": cast.club_a.pk,
        "member": MemberFactory(club=cast.club_a).pk,
        "operating": fund.pk,
        "training": make_event(cast.commune_a1, people=0).pk,
    }


def _send(client, row, world, value):
    _cls, name, kind, method, fields, extra = row
    url = reverse(name, args=[] if kind is None else [world[kind]])
    data = {**extra, **dict.fromkeys(fields, value)}
    return client.post(url, data) if method == "post" else client.get(url, data)


@pytest.mark.parametrize("role", ROLES)
def test_impossible_ids_never_crash_a_form(cast, login, world, role):
    client = login(getattr(cast, role))
    for row in FORMS:
        for value in IDS:
            response = _send(client, row, world, value)
            assert response.status_code < 500, (row[1], role, value[:30])


def test_the_writer_is_told_to_pick_a_valid_choice_and_nothing_is_saved(cast, login, world):
    with translation.override("vi"):
        django_says = "Select a valid choice. That choice is not one of the available choices."
        invalid = translation.gettext(django_says).split(".")[0]  # "Hãy chọn một lựa chọn hợp lệ"
    assert invalid != "Select a valid choice"
    client = login(cast.leader)
    activity = next(row for row in FORMS if row[1] == "month:activity_add")
    visit = next(row for row in FORMS if row[1] == "month:visit_add")
    page = _send(client, activity, world, BIG)
    assert page.status_code == 200 and invalid in page.content.decode()
    assert not Activity.objects.exists()
    page = _send(client, visit, world, BIG)  # the people picker says it in its own words
    assert page.status_code == 200
    assert {"volunteer", "recipient"} <= set(page.context["form"].errors)
    assert not HomeCareVisit.objects.exists()


def test_an_impossible_id_matches_no_row_in_any_lookup(cast):
    member = MemberFactory(club=cast.club_a)
    assert list(Member.objects.filter(pk__in=[int(BIG), member.pk])) == [member]
    assert not Member.objects.filter(pk__in=[int(BIG)]).exists()
    assert Member.objects.exclude(pk__in=[-int(BIG)]).filter(pk=member.pk).exists()
    field = forms.ModelMultipleChoiceField(queryset=Member.objects.all())
    with pytest.raises(forms.ValidationError) as refused:
        field.clean([BIG])
    assert refused.value.code == "invalid_choice"
