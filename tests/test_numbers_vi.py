"""Numbers as people here type them: 1.500.000 ₫ and a rate of 0,5 %/month, in every form."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from config.ui import DecimalTextField, MoneyField
from funds.models import Loan
from month.models import Activity, ActivityArea
from tests.factories import MemberFactory
from tests.factories_funds import deposit, make_loan, revolving

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1.500.000", 1_500_000), ("1500000", 1_500_000), ("1 500 000", 1_500_000), ("2.000 ₫", 2000)],
)
def test_money_is_read_with_dots_spaces_or_nothing_between_thousands(typed, amount):
    assert MoneyField().clean(typed) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,5", "số nguyên"),
        ("1.5", "số nguyên"),
        ("-1.000", "lớn hơn 0"),
        ("abc", "1.500.000"),
        ("10.001", "tối đa 10.000"),
    ],
)
def test_money_refuses_decimals_negatives_and_too_much_in_vietnamese(typed, message):
    with pytest.raises(Exception) as exc:
        MoneyField(max_value=10_000).clean(typed)
    assert message in " ".join(exc.value.messages)


def test_money_field_is_a_text_box_with_a_numeric_keyboard():
    field = MoneyField()
    html = field.widget.render("amount", field.prepare_value(1_500_000), attrs=field.widget.attrs)
    assert 'type="text"' in html and 'inputmode="numeric"' in html and "1.500.000" in html


@pytest.mark.parametrize("typed", ["0,5", "0.5", " 0,5 "])
def test_a_rate_is_read_with_a_comma_or_a_dot(typed):
    field = DecimalTextField(max_digits=5, decimal_places=3)
    assert field.clean(typed) == Decimal("0.5")


def test_a_rate_field_is_never_a_browser_number_box():
    field = DecimalTextField(max_value=Decimal(5), min_value=Decimal(0))
    html = field.widget.render("rate", Decimal("0.5"), attrs=field.widget.attrs)
    assert 'type="number"' not in html and 'inputmode="decimal"' in html
    assert 'max="' not in html


def _loan_data(member, **extra):
    return {
        "borrower": member.pk, "principal": "1.000.000", "purpose": "Chăn nuôi",
        "monthly_rate": "0,5", "term_months": "6", "method": "bullet",
        "requested_on": timezone.localdate().strftime("%d/%m/%Y"), **extra,
    }  # fmt: skip


def test_a_loan_rate_typed_0_comma_5_is_saved_as_half_a_percent(cast, login):
    deposit(revolving(cast.club_a), 10_000_000)
    member = MemberFactory(club=cast.club_a)
    response = login(cast.leader).post(
        reverse("funds:loan_create", args=[cast.club_a.pk]), _loan_data(member)
    )
    assert response.status_code == 302
    assert Loan.objects.get().monthly_rate == Decimal("0.5")


def test_an_unusual_rate_asks_for_confirmation_then_saves(cast, login):
    deposit(revolving(cast.club_a), 10_000_000)
    member = MemberFactory(club=cast.club_a)
    client = login(cast.leader)
    url = reverse("funds:loan_create", args=[cast.club_a.pk])
    response = client.post(url, _loan_data(member, monthly_rate="4"))
    assert response.status_code == 200 and not Loan.objects.exists()
    page = response.content.decode()
    assert "Tôi xác nhận" in page and 'type="checkbox"' in page
    response = client.post(url, _loan_data(member, monthly_rate="4", confirm_unusual="on"))
    assert response.status_code == 302
    assert Loan.objects.get().monthly_rate == Decimal(4)


def test_an_amount_far_above_the_clubs_loans_asks_for_confirmation(cast, login):
    fund = revolving(cast.club_a)
    deposit(fund, 20_000_000)
    member = MemberFactory(club=cast.club_a)
    make_loan(cast.club_a, principal=1_000_000)
    client = login(cast.leader)
    url = reverse("funds:loan_create", args=[cast.club_a.pk])
    response = client.post(url, _loan_data(member, principal="5.000.000"))
    assert response.status_code == 200
    assert "gấp đôi" in response.content.decode()
    response = client.post(url, _loan_data(member, principal="5.000.000", confirm_unusual="on"))
    assert response.status_code == 302


def test_activity_cost_accepts_dots_and_refuses_more_than_the_setting(cast, login, settings):
    settings.ISHC_MAX_ACTIVITY_COST_VND = 10_000_000
    area = ActivityArea.objects.first()
    client = login(cast.leader)
    url = reverse("month:activity_add", args=[cast.club_a.pk])
    base = {"date": timezone.localdate().strftime("%d/%m/%Y"), "title": "Giao lưu", "areas": [area.pk], "participant_count": "10", "beneficiaries": "0"}  # fmt: skip
    response = client.post(url, {**base, "cost": "999.999.999.999.999"})
    assert response.status_code == 200 and "cost" in response.context["form"].errors
    assert "10.000.000" in " ".join(response.context["form"].errors["cost"])
    assert client.post(url, {**base, "cost": "1.500.000"}).status_code == 302
    assert Activity.objects.get().cost == 1_500_000
