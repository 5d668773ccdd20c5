"""Every database constraint of the funds tables refuses in Vietnamese, beside the field.

Each constraint is the last guard behind a check of the form or the service; what reaches it
is a race (two people at once) or a mistake in the code. ``PAGES`` raises each one through
the page a user would be on, turning off the checks in front of it the way a race or a bug
would (a ``monkeypatch`` names each), and the test asserts that the page answers with the
constraint's own Vietnamese message beside its field (above the form when it has no field),
that nothing was written, and that no "Constraint … is violated" (or its Vietnamese) reaches
the page. A constraint added to ``funds/models.py`` without a case here fails
``test_every_constraint_has_a_page``.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone, translation

from funds import forms as funds_forms
from funds import services, views
from funds.models import (
    CONSTRAINT_FIELDS,
    Contribution,
    Fund,
    FundPlan,
    Installment,
    LedgerEntry,
    Loan,
    Repayment,
    TransferRequest,
)
from funds.services import dues as dues_services
from funds.services import ledger, loans, transfers
from tests.factories import MemberFactory
from tests.factories_funds import deposit, make_loan, operating, revolving

pytestmark = pytest.mark.django_db

CONSTRAINTS = {
    c.name: (model, c)
    for model in apps.get_app_config("funds").get_models()
    for c in model._meta.constraints
}
# What must never reach a page: Django's default refusal, in English or in Vietnamese.
with translation.override("vi"):
    _DEFAULT_VI = str(CONSTRAINTS["entry_amount_positive"][1].default_violation_error_message)
FOREIGN = ("Constraint", "constraint", "violated", "already exists", _DEFAULT_VI.split("“")[0])


def _dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


TODAY = timezone.localdate


@dataclass
class Refused:
    response: object
    form: object
    written: Callable[[], bool]  # whether the refused write left anything behind


def _form(response):
    context = response.context
    if "adminform" in context:
        return context["adminform"].form
    return context["form"]


def _refused(response, written: Callable[[], bool]) -> Refused:
    assert response.status_code == 200, response.status_code
    return Refused(response, _form(response), written)


# --- the pages, one per constraint ----------------------------------------------------------


def _entry_page(client, fund, **data):
    values = {
        "direction": "in", "category": "donation", "amount": "1.000", "date": _dmy(TODAY()),
        "payer": "Nhà hảo tâm", **data,
    }  # fmt: skip
    return client.post(reverse("funds:entry_create", args=[fund.pk]), values)


def _no_entry_like(fund, count):
    return lambda: LedgerEntry.objects.filter(fund=fund).count() != count


def fund_exactly_one_owner(cast, login, monkeypatch):
    response = login(cast.admin).post(
        reverse("admin:funds_fund_add"), {"kind": "care", "name": "Quỹ không chủ"}
    )
    return _refused(response, lambda: Fund.objects.filter(name="Quỹ không chủ").exists())


def fund_balance_not_negative(cast, login, monkeypatch):
    fund = operating(cast.club_a)
    deposit(fund, 100_000)
    monkeypatch.setattr(ledger, "check_balance", lambda fund, signed: None)
    response = _entry_page(
        login(cast.leader), fund, direction="out", category="activity", amount="100.001"
    )
    return _refused(response, _no_entry_like(fund, 1))


def fund_one_revolving_one_operating_per_club(cast, login, monkeypatch):
    response = login(cast.admin).post(
        reverse("admin:funds_fund_add"),
        {"kind": "revolving", "name": "Quỹ thứ hai", "club": cast.club_a.pk},
    )
    return _refused(response, lambda: Fund.objects.filter(name="Quỹ thứ hai").exists())


def entry_amount_positive(cast, login, monkeypatch):
    fund = operating(cast.club_a)
    monkeypatch.setattr(funds_forms.EntryForm, "clean_amount", lambda self: 0, raising=False)
    monkeypatch.setattr(ledger, "check_amount", lambda amount, field="amount": amount)
    return _refused(_entry_page(login(cast.leader), fund), _no_entry_like(fund, 0))


def entry_direction_valid(cast, login, monkeypatch):
    fund = operating(cast.club_a)
    deposit(fund, 100_000)
    monkeypatch.setattr(funds_forms.EntryForm, "clean_direction", lambda self: "x", raising=False)
    monkeypatch.setitem(ledger.CATEGORY_DIRECTIONS, "other", {"in", "out", "x"})
    response = _entry_page(login(cast.leader), fund, category="other")
    return _refused(response, _no_entry_like(fund, 1))


def _voucher_taken(cast, login, monkeypatch, voucher):
    fund = operating(cast.club_a)
    deposit(fund, 100_000, day=TODAY())  # PT-<year>-0001
    year = TODAY().year
    seq, number = voucher(year)
    monkeypatch.setattr(ledger, "next_voucher", lambda fund, direction, year: (seq, number))
    return _refused(_entry_page(login(cast.leader), fund), _no_entry_like(fund, 1))


def entry_unique_voucher_per_fund(cast, login, monkeypatch):
    # Another treasurer's entry took the number (a lock lost): same number, another sequence.
    return _voucher_taken(cast, login, monkeypatch, lambda y: (99, f"PT-{y}-0001"))


def entry_unique_voucher_seq(cast, login, monkeypatch):
    return _voucher_taken(cast, login, monkeypatch, lambda y: (1, f"PT-{y}-9999"))


def plan_fund_or_area(cast, login, monkeypatch):
    response = login(cast.admin).post(
        reverse("admin:funds_fundplan_add"), {"kind": "care", "year": "2025", "target": "1000"}
    )
    return _refused(response, FundPlan.objects.exists)


def plan_target_positive(cast, login, monkeypatch):
    response = login(cast.admin).post(
        reverse("admin:funds_fundplan_add"),
        {"area": cast.province_a.pk, "kind": "care", "year": "2025", "target": "0"},
    )
    return _refused(response, FundPlan.objects.exists)


def _plan_twice(cast, login, data):
    client = login(cast.province)
    url = reverse("funds:plan_create")
    assert client.post(url, data).status_code == 302
    return _refused(client.post(url, data), lambda: FundPlan.objects.count() != 1)


def plan_unique_fund_year(cast, login, monkeypatch):
    data = {"fund": operating(cast.club_a).pk, "kind": "care", "year": "2025", "target": "1.000"}
    return _plan_twice(cast, login, data)


def plan_unique_area_kind_year(cast, login, monkeypatch):
    data = {"area": cast.province_a.pk, "kind": "care", "year": "2025", "target": "1.000"}
    return _plan_twice(cast, login, data)


def _dues_page(cast, login, member, amount="10.000", month=1):
    url = reverse("funds:dues_record", args=[cast.club_a.pk]) + f"?year=2025&month={month}"
    return login(cast.leader).post(url, {"date": _dmy(TODAY()), f"m{member.pk}": amount})


def contribution_once_a_month(cast, login, monkeypatch):
    """Two leaders record the same member's dues at once: the other one's commits between
    this one's check and its write."""
    member = MemberFactory(club=cast.club_a)
    real_lock = dues_services.lock_fund
    raced = []

    def lock_after_the_other_one(fund_id):
        if not raced:
            raced.append(True)
            services.dues_record(
                club=cast.club_a, year=2025, month=1, amounts={member: 10_000},
                on=TODAY(), by=cast.leader,
            )  # fmt: skip
        return real_lock(fund_id)

    monkeypatch.setattr(dues_services, "lock_fund", lock_after_the_other_one)
    return _refused(_dues_page(cast, login, member), Contribution.objects.exists)


def contribution_positive(cast, login, monkeypatch):
    member = MemberFactory(club=cast.club_a)
    real_post = dues_services.post
    monkeypatch.setattr(funds_forms.DuesForm, "amounts", lambda self: {member: 0})
    monkeypatch.setattr(dues_services, "check_amount", lambda amount, field="amount": amount)
    # The receipt is written with a valid amount; the dues row keeps the 0.
    monkeypatch.setattr(
        dues_services, "post", lambda **kw: real_post(**{**kw, "amount": kw["amount"] or 1})
    )
    return _refused(_dues_page(cast, login, member), Contribution.objects.exists)


def contribution_month_range(cast, login, monkeypatch):
    member = MemberFactory(club=cast.club_a)
    monkeypatch.setattr(views, "_year_month", lambda request: (2025, 13))
    monkeypatch.setattr(
        views.selectors, "unpaid_members", lambda **kw: type(member).objects.filter(pk=member.pk)
    )
    monkeypatch.setattr(dues_services, "check_month", lambda month: None)
    return _refused(_dues_page(cast, login, member, month=13), Contribution.objects.exists)


def _loan_page(cast, login, monkeypatch, field, value):
    deposit(revolving(cast.club_a), 10_000_000)
    member = MemberFactory(club=cast.club_a)
    monkeypatch.setattr(
        funds_forms.LoanRequestForm, f"clean_{field}", lambda self: value, raising=False
    )
    monkeypatch.setattr(loans, "_check_limits", lambda **kw: None)
    monkeypatch.setattr(Loan, "full_clean", lambda self, *a, **kw: None)
    response = login(cast.leader).post(
        reverse("funds:loan_create", args=[cast.club_a.pk]),
        {"borrower": member.pk, "principal": "1.000.000", "purpose": "Chăn nuôi",
         "monthly_rate": "0,5", "term_months": "6", "method": "bullet",
         "requested_on": _dmy(TODAY())},
    )  # fmt: skip
    return _refused(response, Loan.objects.exists)


def loan_principal_positive(cast, login, monkeypatch):
    return _loan_page(cast, login, monkeypatch, "principal", 0)


def loan_term_range(cast, login, monkeypatch):
    return _loan_page(cast, login, monkeypatch, "term_months", 37)


def loan_rate_not_negative(cast, login, monkeypatch):
    return _loan_page(cast, login, monkeypatch, "monthly_rate", Decimal(-1))


def installment_unique_seq(cast, login, monkeypatch):
    loan = make_loan(cast.club_a, principal=1_000_000, status=Loan.Status.APPROVED)
    real = loans.build_schedule

    def twice_the_first(**kw):
        rows = real(**kw)
        return [rows[0], *rows[:-1]]

    monkeypatch.setattr(loans, "build_schedule", twice_the_first)
    response = login(cast.leader).post(
        reverse("funds:loan_disburse", args=[loan.pk]), {"date": _dmy(TODAY()), "confirmed": "1"}
    )
    return _refused(response, Installment.objects.exists)


def _repay_page(cast, login, monkeypatch, allocate, amount="100.000"):
    day = TODAY() - datetime.timedelta(days=40)
    loan = make_loan(cast.club_a, principal=1_000_000, term=4, rate="1", day=day)
    monkeypatch.setattr(loans, "allocate", allocate)
    response = login(cast.leader).post(
        reverse("funds:loan_repay", args=[loan.pk]), {"amount": amount, "date": _dmy(TODAY())}
    )
    return _refused(response, Repayment.objects.exists)


def installment_principal_paid_range(cast, login, monkeypatch):
    def overpay_principal(installments, amount):
        installments[0].paid_principal = installments[0].principal + 1
        return amount, 0

    return _repay_page(cast, login, monkeypatch, overpay_principal)


def installment_interest_paid_range(cast, login, monkeypatch):
    def overpay_interest(installments, amount):
        installments[0].paid_interest = installments[0].interest + 1
        return 0, amount

    return _repay_page(cast, login, monkeypatch, overpay_interest)


def repayment_positive(cast, login, monkeypatch):
    monkeypatch.setattr(funds_forms.RepaymentForm, "clean_amount", lambda self: 0, raising=False)
    monkeypatch.setattr(loans, "check_amount", lambda amount, field="amount": amount)
    return _repay_page(cast, login, monkeypatch, loans.allocate)


def repayment_split_adds_up(cast, login, monkeypatch):
    return _repay_page(cast, login, monkeypatch, lambda installments, amount: (amount, 1))


def _transfer_page(cast, login, **data):
    fund = operating(cast.club_a)
    deposit(fund, 500_000)
    values = {"target": revolving(cast.club_a).pk, "amount": "100.000", "reason": "Vốn vay", **data}
    response = login(cast.leader).post(reverse("funds:transfer", args=[fund.pk]), values)
    return _refused(response, TransferRequest.objects.exists)


def transfer_amount_positive(cast, login, monkeypatch):
    monkeypatch.setattr(funds_forms.TransferForm, "clean_amount", lambda self: 0, raising=False)
    monkeypatch.setattr(transfers, "check_amount", lambda amount, field="amount": amount)
    return _transfer_page(cast, login)


def transfer_different_funds(cast, login, monkeypatch):
    # The list of targets, drawn wrongly, offers the fund itself.
    monkeypatch.setattr(
        views.selectors, "transfer_targets", lambda source, viewer: Fund.objects.all()
    )
    return _transfer_page(cast, login, target=operating(cast.club_a).pk)


def transfer_decider_not_requester(cast, login, monkeypatch):
    fund = operating(cast.club_a)
    deposit(fund, 500_000)
    request = services.transfer_request(
        source=fund, target=revolving(cast.club_a), amount=100_000, reason="x", by=cast.leader
    )
    # The commune asked for the club (a mistake in the code): its own request comes back to it.
    TransferRequest.objects.filter(pk=request.pk).update(requested_by=cast.commune)
    monkeypatch.setattr(transfers, "_check_decider", lambda request, by: None)
    response = login(cast.commune).post(
        reverse("funds:transfer_detail", args=[request.pk]),
        {"decision": "approve", "date": _dmy(TODAY()), "confirmed": "1"},
    )
    return _refused(
        response,
        lambda: (
            TransferRequest.objects.exclude(state="requested").exists()
            or LedgerEntry.objects.filter(category="transfer").exists()
        ),
    )


PAGES: dict[str, Callable] = {
    name: globals()[name]
    for name in [
        "fund_exactly_one_owner",
        "fund_balance_not_negative",
        "fund_one_revolving_one_operating_per_club",
        "entry_amount_positive",
        "entry_direction_valid",
        "entry_unique_voucher_per_fund",
        "entry_unique_voucher_seq",
        "plan_fund_or_area",
        "plan_target_positive",
        "plan_unique_fund_year",
        "plan_unique_area_kind_year",
        "contribution_once_a_month",
        "contribution_positive",
        "contribution_month_range",
        "loan_principal_positive",
        "loan_term_range",
        "loan_rate_not_negative",
        "installment_unique_seq",
        "installment_principal_paid_range",
        "installment_interest_paid_range",
        "repayment_positive",
        "repayment_split_adds_up",
        "transfer_amount_positive",
        "transfer_different_funds",
        "transfer_decider_not_requester",
    ]
}


# --- the tests --------------------------------------------------------------------------------


def test_every_constraint_has_a_page():
    assert sorted(PAGES) == sorted(CONSTRAINTS)


@pytest.mark.parametrize("name", sorted(CONSTRAINTS))
def test_every_constraint_has_its_own_vietnamese_message(name):
    _model, constraint = CONSTRAINTS[name]
    assert constraint.violation_error_message != constraint.default_violation_error_message
    assert constraint.violation_error_code == name and name in CONSTRAINT_FIELDS
    with translation.override("en"):
        english = str(constraint.violation_error_message)
    with translation.override("vi"):
        vietnamese = str(constraint.violation_error_message)
    assert vietnamese != english, f"{name}: no Vietnamese"


def _vietnamese(name: str) -> str:
    with translation.override("vi"):
        return str(CONSTRAINTS[name][1].violation_error_message)


def _beside(page: str, field: str, message: str) -> bool:
    """The message is in the field's own error block: crispy's ``error_N_id_<field>`` span on
    the app's pages, the field's row (``field-<field>``) in the admin."""
    escaped = html.escape(message, quote=False)
    crispy = re.search(rf'id="error_\d+_id_{field}"[^>]*>\s*<strong>([^<]*)</strong>', page)
    if crispy and html.unescape(crispy.group(1)) == message:
        return True
    row = page.find(f"field-{field}")
    return row != -1 and escaped in page[row : row + 1500]


@pytest.mark.parametrize("name", sorted(CONSTRAINTS))
def test_a_page_that_reaches_a_constraint_says_why_in_vietnamese(cast, login, monkeypatch, name):
    refused = PAGES[name](cast, login, monkeypatch)
    message = _vietnamese(name)
    field = CONSTRAINT_FIELDS[name]
    form = refused.form
    page = refused.response.content.decode()
    if field and field in form.fields:
        assert message in form.errors.get(field, []), (name, dict(form.errors))
        assert _beside(page, field, message), name
    else:
        assert message in form.errors.get(NON_FIELD_ERRORS, []), (name, dict(form.errors))
        assert html.escape(message, quote=False) in page or message in html.unescape(page)
    text = html.unescape(page)
    for word in FOREIGN:
        assert word not in text, (name, word)
    assert name not in text
    assert not refused.written(), f"{name}: the refused write left something behind"
