"""What cannot be undone asks first: disbursing a loan, writing one off, reversing a ledger
entry and reversing a repayment answer the first post with a page that says what will happen
(``accounts.confirm``), change nothing, and act only when its button posts ``confirmed=1``.
Plain forms: no JavaScript needed."""

import datetime
import html
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.once import FIELD
from funds import services
from funds.models import Fund, LedgerEntry, Loan, Repayment
from tests.factories import MemberFactory
from tests.factories_funds import DAY, deposit, make_loan, operating, revolving
from tests.factories_month import vi

pytestmark = pytest.mark.django_db


def _dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _text(response) -> str:
    """The page's words, tags dropped."""
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def _hidden(response) -> dict[str, str]:
    """The fields the confirmation's button posts."""
    page = response.content.decode()
    form = page[page.index('name="confirmed"') - 400 :]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def _asks(response):
    """The answer is the confirmation page: a form back to the same address with
    ``confirmed=1``, a fresh form key, and a way back."""
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="confirmed" value="1"' in page and f'name="{FIELD}"' in page
    assert vi("Go back, change nothing") in page and 'id="confirm-will"' in page
    return _text(response)


@pytest.fixture
def approved(cast):
    member = MemberFactory(club=cast.club_a, full_name="Lò Thị Vay")
    deposit(revolving(cast.club_a), 5_000_000)
    return make_loan(
        cast.club_a, principal=1_200_000, term=6, rate="1", borrower=member, by=cast.leader,
        status=Loan.Status.APPROVED,
    )  # fmt: skip


def test_disbursing_says_what_leaves_to_whom_and_what_follows(cast, login, approved):
    client = login(cast.leader)
    url = reverse("funds:loan_disburse", args=[approved.pk])
    on = timezone.localdate()
    response = client.post(url, {"date": _dmy(on), FIELD: str(uuid.uuid4())})
    text = _asks(response)
    fund = revolving(cast.club_a)
    assert "1.200.000" in text and "Lò Thị Vay" in text and fund.name in text
    assert "3.800.000" in text  # the fund's balance after
    first_due = services.build_schedule(
        principal=1_200_000, monthly_rate=approved.monthly_rate, term_months=6,
        method=approved.method, start=on,
    )[0]  # fmt: skip
    assert _dmy(first_due["due_on"]) in text and "212.000" in text  # 200.000 + 1 % interest
    # Nothing happened yet.
    assert Loan.objects.get(pk=approved.pk).status == Loan.Status.APPROVED
    assert not LedgerEntry.objects.filter(category="loan_disbursement").exists()
    assert Fund.objects.get(pk=fund.pk).balance == 5_000_000
    # The button carries the date and a new key; posting it disburses, once.
    carried = _hidden(response)
    assert carried["date"] == _dmy(on) and carried["confirmed"] == "1"
    first, second = client.post(url, carried), client.post(url, carried)
    assert first.status_code == second.status_code == 302
    assert Loan.objects.get(pk=approved.pk).status == Loan.Status.ACTIVE
    assert LedgerEntry.objects.filter(category="loan_disbursement").count() == 1
    assert Fund.objects.get(pk=fund.pk).balance == 3_800_000


def test_a_loan_that_cannot_be_disbursed_is_refused_before_the_question(cast, login):
    loan = make_loan(cast.club_a, principal=1_000_000, status=Loan.Status.REQUESTED)
    response = login(cast.leader).post(
        reverse("funds:loan_disburse", args=[loan.pk]), {"date": _dmy(timezone.localdate())}
    )
    assert response.status_code == 200 and 'name="confirmed"' not in response.content.decode()
    assert response.context["form"].non_field_errors()


def test_going_back_changes_nothing(cast, login, approved):
    client = login(cast.leader)
    url = reverse("funds:loan_disburse", args=[approved.pk])
    response = client.post(url, {"date": _dmy(timezone.localdate())})
    back = reverse("funds:loan_detail", args=[approved.pk])
    assert f'href="{back}"' in response.content.decode()
    assert client.get(back).status_code == 200
    assert Loan.objects.get(pk=approved.pk).status == Loan.Status.APPROVED


def test_writing_off_says_how_much_is_given_up_and_that_it_is_final(cast, login):
    day = timezone.localdate() - datetime.timedelta(days=40)
    loan = make_loan(cast.club_a, principal=1_200_000, term=6, rate="1", day=day)
    services.loan_repay(loan=loan, amount=212_000, on=day + datetime.timedelta(days=31), by=None)
    client = login(cast.leader)
    url = reverse("funds:loan_write_off", args=[loan.pk])
    data = {"date": _dmy(timezone.localdate()), "reason": "Người vay đã mất"}
    text = _asks(client.post(url, data))
    # Still owed: principal 1.000.000 and the scheduled interest of the five months left.
    interest = sum(i.interest for i in loan.installments.all()) - 12_000
    assert f"{1_000_000 + interest:,}".replace(",", ".") in text
    assert "1.000.000" in text and vi("This cannot be undone.") in text
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.ACTIVE
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    loan.refresh_from_db()
    assert (loan.status, loan.write_off_reason) == (Loan.Status.WRITTEN_OFF, "Người vay đã mất")


def test_reversing_an_entry_says_which_entry_is_written_and_the_balance_after(cast, login):
    fund = operating(cast.club_a)
    deposit(fund, 300_000)
    entry = deposit(fund, 1_000_000)
    client = login(cast.leader)
    url = reverse("funds:entry_reverse", args=[entry.pk])
    text = _asks(client.post(url, {"note": "Ghi nhầm số tiền"}))
    assert entry.voucher_number in text and "1.000.000" in text and fund.name in text
    assert "300.000" in text  # the balance after
    assert vi("Expense") in text  # a payment voucher will cancel the receipt
    assert _dmy(timezone.localdate()) in text
    assert LedgerEntry.objects.count() == 2 and Fund.objects.get(pk=fund.pk).balance == 1_300_000
    assert client.post(url, {"note": "Ghi nhầm số tiền", "confirmed": "1"}).status_code == 302
    assert entry.reversed_by.note == "Ghi nhầm số tiền"
    assert Fund.objects.get(pk=fund.pk).balance == 300_000


def test_reversing_a_transfer_names_both_entries(cast, login):
    src, dst = operating(cast.club_a), revolving(cast.club_a)
    deposit(src, 500_000)
    out, _into = services.fund_transfer(source=src, target=dst, amount=200_000, date=DAY, by=None)
    text = _asks(
        login(cast.commune).post(reverse("funds:entry_reverse", args=[out.pk]), {"note": "x"})
    )
    assert src.name in text and dst.name in text
    assert "500.000" in text and "0 ₫" in text  # both balances after
    assert LedgerEntry.objects.filter(reverses__isnull=False).count() == 0


def test_reversing_a_repayment_says_what_is_written_and_the_balance_after(cast, login):
    day = timezone.localdate() - datetime.timedelta(days=40)
    loan = make_loan(cast.club_a, principal=1_200_000, term=6, rate="1", day=day)
    rep = services.loan_repay(
        loan=loan, amount=212_000, on=day + datetime.timedelta(days=31), by=None
    )
    fund = revolving(cast.club_a)
    client = login(cast.leader)
    url = reverse("funds:repayment_reverse", args=[rep.pk])
    text = _asks(client.post(url, {"note": "Nhập nhầm"}))
    assert rep.principal_entry.voucher_number in text and rep.interest_entry.voucher_number in text
    assert "200.000" in text and "12.000" in text
    assert f"{fund.balance - 212_000:,}".replace(",", ".") in text  # the balance after
    assert Repayment.objects.filter(pk=rep.pk).exists()
    assert client.post(url, {"note": "Nhập nhầm", "confirmed": "1"}).status_code == 302
    assert not Repayment.objects.filter(pk=rep.pk).exists()


def test_an_older_repayment_is_refused_before_the_question(cast, login):
    day = timezone.localdate() - datetime.timedelta(days=40)
    loan = make_loan(cast.club_a, principal=1_200_000, term=6, rate="1", day=day)
    older = services.loan_repay(
        loan=loan, amount=100_000, on=day + datetime.timedelta(days=1), by=None
    )
    services.loan_repay(loan=loan, amount=100_000, on=day + datetime.timedelta(days=2), by=None)
    response = login(cast.leader).post(
        reverse("funds:repayment_reverse", args=[older.pk]), {"note": "x"}
    )
    assert response.status_code == 200 and 'name="confirmed"' not in response.content.decode()
    assert Repayment.objects.filter(pk=older.pk).exists()
