"""Pages of the funds app: happy paths, scoping (404/403), bad input, query counts, books."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funds.models import Fund, LedgerEntry, Loan
from funds.selectors import fund_balance_sum
from tests.factories import CommuneFactory, MemberFactory
from tests.factories_funds import DAY, deposit, make_loan, operating, revolving
from tests.factories_month import vi

pytestmark = pytest.mark.django_db


def _setup(cast):
    """club_a with money, a member, an entry and an active loan; club_b likewise."""
    fund = operating(cast.club_a)
    entry = deposit(fund, 1_000_000, by=cast.leader)
    loan = make_loan(cast.club_a, principal=2_000_000, term=4, by=cast.leader)
    return fund, entry, loan


def _urls(cast, fund, entry, loan):
    club = cast.club_a.pk
    read = [
        reverse("funds:club_funds", args=[club]),
        reverse("funds:fund_detail", args=[fund.pk]),
        reverse("funds:cash_book", args=[fund.pk]),
        reverse("funds:cash_book_xlsx", args=[fund.pk]),
        reverse("funds:dues", args=[club]),
        reverse("funds:loan_list", args=[club]),
        reverse("funds:loans_due", args=[club]),
        reverse("funds:loan_book", args=[club]),
        reverse("funds:loan_book_xlsx", args=[club]),
        reverse("funds:loan_detail", args=[loan.pk]),
    ]
    write = [
        reverse("funds:entry_create", args=[fund.pk]),
        reverse("funds:transfer", args=[fund.pk]),
        reverse("funds:entry_reverse", args=[entry.pk]),
        reverse("funds:dues_record", args=[club]),
        reverse("funds:loan_create", args=[club]),
        reverse("funds:loan_decide", args=[loan.pk]),
        reverse("funds:loan_disburse", args=[loan.pk]),
        reverse("funds:loan_repay", args=[loan.pk]),
        reverse("funds:loan_payoff", args=[loan.pk]),
    ]
    return read, write


def test_leader_reads_and_opens_every_page(cast, login):
    fund, entry, loan = _setup(cast)
    read, write = _urls(cast, fund, entry, loan)
    club, borrower = cast.club_a.name, loan.borrower.full_name
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # What each page shows the leader: the club, the fund, the voucher, the borrower, the sums.
    shows = {
        reverse("funds:club_funds", args=[cast.club_a.pk]): [club, "1.000.000"],
        reverse("funds:fund_detail", args=[fund.pk]): [fund.name, entry.voucher_number],
        reverse("funds:cash_book", args=[fund.pk]): [club, "1.000.000"],
        reverse("funds:cash_book_xlsx", args=[fund.pk]): xlsx,
        reverse("funds:dues", args=[cast.club_a.pk]): [borrower],
        reverse("funds:loan_list", args=[cast.club_a.pk]): [borrower, "2.000.000"],
        reverse("funds:loans_due", args=[cast.club_a.pk]): [borrower],
        reverse("funds:loan_book", args=[cast.club_a.pk]): [borrower, "2.000.000"],
        reverse("funds:loan_book_xlsx", args=[cast.club_a.pk]): xlsx,
        reverse("funds:loan_detail", args=[loan.pk]): [borrower, "2.000.000"],
        reverse("funds:entry_create", args=[fund.pk]): [fund.name],
        reverse("funds:transfer", args=[fund.pk]): [fund.name],
        reverse("funds:entry_reverse", args=[entry.pk]): [entry.voucher_number, "1.000.000"],
        reverse("funds:dues_record", args=[cast.club_a.pk]): [borrower],
        reverse("funds:loan_create", args=[cast.club_a.pk]): [borrower],  # among the choices
        reverse("funds:loan_decide", args=[loan.pk]): [borrower, "2.000.000"],
        reverse("funds:loan_disburse", args=[loan.pk]): [borrower, "2.000.000"],
        reverse("funds:loan_repay", args=[loan.pk]): [borrower, "2.000.000"],
        reverse("funds:loan_payoff", args=[loan.pk]): [borrower, "2.000.000"],
        reverse("funds:fund_list"): [club, fund.name],
        reverse("funds:plan_list"): [vi("No fund plan yet.")],
        reverse("funds:plan_create"): [club],  # the club's funds to choose from
    }
    assert set(read + write) <= set(shows)
    client = login(cast.leader)
    for url, expected in shows.items():
        response = client.get(url)
        assert response.status_code == 200, url
        if expected == xlsx:
            assert response["Content-Type"] == xlsx, url
            continue
        page = response.content.decode()
        assert all(text in page for text in expected), (url, expected)


def test_outsider_gets_404_on_read_and_write(cast, login):
    read, write = _urls(cast, *_setup(cast))
    client = login(cast.leader2)
    for url in read + write:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"amount": "1000"}).status_code == 404, url
    assert LedgerEntry.objects.filter(fund__club=cast.club_a).count() == 3


def test_viewer_reads_aggregates_and_gets_403_on_post(cast, login):
    fund, entry, loan = _setup(cast)
    read, write = _urls(cast, fund, entry, loan)
    client = login(cast.viewer)
    for url in read[:6]:  # fund pages, books of money, dues and the loan list
        assert client.get(url).status_code == 200, url
    for url in write:
        assert client.post(url, {"amount": "1000", "note": "x"}).status_code == 403, url
    page = client.get(reverse("funds:fund_detail", args=[fund.pk]))
    assert page.status_code == 200
    assert "Nhà hảo tâm" not in page.content.decode()
    loans = client.get(reverse("funds:loan_list", args=[cast.club_a.pk])).content.decode()
    assert loan.borrower.full_name not in loans
    # individual loans and the loan ledger show names: not for viewers
    assert client.get(reverse("funds:loan_detail", args=[loan.pk])).status_code == 403
    assert client.get(reverse("funds:loan_book", args=[cast.club_a.pk])).status_code == 403
    assert LedgerEntry.objects.count() == 3


def test_commune_staff_cannot_see_another_communes_club_funds(cast, login):
    client = login(cast.commune)
    assert client.get(reverse("funds:club_funds", args=[cast.club_a.pk])).status_code == 200
    assert client.get(reverse("funds:club_funds", args=[cast.club_a2.pk])).status_code == 404
    other = operating(cast.club_a2)
    assert client.get(reverse("funds:fund_detail", args=[other.pk])).status_code == 404
    listing = client.get(reverse("funds:fund_list")).content.decode()
    assert cast.club_a.name in listing and cast.club_a2.name not in listing


def test_record_an_entry(cast, login):
    fund = operating(cast.club_a)
    client = login(cast.leader)
    response = client.post(
        reverse("funds:entry_create", args=[fund.pk]),
        {
            "direction": "in",
            "category": "donation",
            "amount": "1.500.000",
            "date": "10/01/2025",
            "payer": "UBND xã",
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.amount, entry.voucher_number, entry.created_by) == (
        1_500_000,
        "PT-2025-0001",
        cast.leader,
    )
    page = client.get(reverse("funds:fund_detail", args=[fund.pk])).content.decode()
    assert "1.500.000 ₫" in page and "PT-2025-0001" in page


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5000", "lớn hơn 0"),
        ("0", "lớn hơn 0"),
        ("1.5", "số nguyên"),
        ("1500,5", "số nguyên"),
        ("2000000000000", "quá lớn"),
        ("một triệu", "1.500.000"),
        ("", None),  # Django's "required", in the project's Vietnamese
    ],
)
def test_bad_amounts_get_a_vietnamese_message_next_to_the_field(cast, login, amount, message):
    message = message or vi("This field is required.")
    fund = operating(cast.club_a)
    response = login(cast.leader).post(
        reverse("funds:entry_create", args=[fund.pk]),
        {"direction": "in", "category": "donation", "amount": amount, "date": "10/01/2025"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["amount"]
    assert any(message in e for e in errors), errors
    assert not LedgerEntry.objects.exists()


def test_overdraft_is_refused_with_a_message(cast, login):
    fund = operating(cast.club_a)
    deposit(fund, 100_000)
    response = login(cast.leader).post(
        reverse("funds:entry_create", args=[fund.pk]),
        {"direction": "out", "category": "activity", "amount": "100001", "date": "10/01/2025"},
    )
    assert response.status_code == 200
    assert "Không đủ tiền" in " ".join(response.context["form"].errors["amount"])
    fund.refresh_from_db()
    assert fund.balance == 100_000 == fund_balance_sum(fund)


def test_reverse_twice_is_refused(cast, login):
    fund = operating(cast.club_a)
    entry = deposit(fund, 100_000)
    client = login(cast.leader)
    url = reverse("funds:entry_reverse", args=[entry.pk])
    assert client.post(url, {"note": "Ghi nhầm", "confirmed": "1"}).status_code == 302
    response = client.post(url, {"note": "Lần nữa"})
    assert response.status_code == 200
    assert "đã được hủy" in str(response.context["form"].non_field_errors())
    rev = entry.reversed_by
    response = client.post(reverse("funds:entry_reverse", args=[rev.pk]), {"note": "x"})
    assert response.status_code == 200
    assert LedgerEntry.objects.count() == 2


def test_transfer_page(cast, login):
    """The leader asks; nothing moves until the commune approves (tests/test_funds_transfers.py
    has the rules)."""
    src = operating(cast.club_a)
    deposit(src, 500_000)
    dst = revolving(cast.club_a)
    client = login(cast.leader)
    response = client.post(
        reverse("funds:transfer", args=[src.pk]),
        {"target": dst.pk, "amount": "200.000", "reason": "Bổ sung vốn vay"},
    )
    assert response.status_code == 302
    dst.refresh_from_db()
    assert dst.balance == 0
    # a fund of another club is not a choice
    response = client.post(
        reverse("funds:transfer", args=[src.pk]),
        {"target": operating(cast.club_b).pk, "amount": "1000", "reason": "x"},
    )
    assert response.status_code == 200 and "target" in response.context["form"].errors


def test_loan_flow_through_the_pages(cast, login):
    fund = revolving(cast.club_a)
    deposit(fund, 10_000_000)
    member = MemberFactory(club=cast.club_a)
    client = login(cast.leader)
    response = client.post(
        reverse("funds:loan_create", args=[cast.club_a.pk]),
        {
            "borrower": member.pk, "principal": "6.000.000", "in_kind": "Một con lợn nái",
            "purpose": "Chăn nuôi", "monthly_rate": "0.5", "term_months": "6",
            "method": "equal_principal", "requested_on": "05/01/2025",
        },
    )  # fmt: skip
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert (
        client.post(
            reverse("funds:loan_decide", args=[loan.pk]),
            {"decision": "approve", "date": "06/01/2025"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("funds:loan_disburse", args=[loan.pk]), {"date": "10/01/2025", "confirmed": "1"}
        ).status_code
        == 302
    )
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ACTIVE and loan.installments.count() == 6
    # more than owed
    response = client.post(
        reverse("funds:loan_repay", args=[loan.pk]), {"amount": "99.000.000", "date": "10/02/2025"}
    )
    assert response.status_code == 200 and "nhiều hơn số còn nợ" in " ".join(
        response.context["form"].errors["amount"]
    )
    assert (
        client.post(
            reverse("funds:loan_repay", args=[loan.pk]),
            {"amount": "1.030.000", "date": "10/02/2025"},
        ).status_code
        == 302
    )
    page = login(cast.commune).get(reverse("funds:loan_detail", args=[loan.pk])).content.decode()
    assert "Lịch sử thay đổi" in page and "PC-2025-0001" in page
    assert (
        client.post(
            reverse("funds:loan_payoff", args=[loan.pk]), {"date": "12/02/2025"}
        ).status_code
        == 302
    )
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID
    fund.refresh_from_db()
    assert fund.balance == fund_balance_sum(fund)


def test_loan_above_the_maximum_and_the_balance(cast, login, settings):
    settings.ISHC_MAX_LOAN_VND = 5_000_000
    deposit(revolving(cast.club_a), 3_000_000)
    member = MemberFactory(club=cast.club_a)
    data = {
        "borrower": member.pk,
        "purpose": "x",
        "monthly_rate": "0.5",
        "term_months": "6",
        "method": "bullet",
        "requested_on": "05/01/2025",
    }
    client = login(cast.leader)
    for principal in ("6.000.000", "4.000.000"):
        response = client.post(
            reverse("funds:loan_create", args=[cast.club_a.pk]), {**data, "principal": principal}
        )
        assert response.status_code == 200 and response.context["form"].errors["principal"]
    for term in ("0", "37", "abc"):
        response = client.post(
            reverse("funds:loan_create", args=[cast.club_a.pk]),
            {**data, "principal": "1000", "term_months": term},
        )
        assert response.status_code == 200 and response.context["form"].errors["term_months"]
    # a borrower from another club is not a choice
    other = MemberFactory(club=cast.club_b)
    response = client.post(
        reverse("funds:loan_create", args=[cast.club_a.pk]),
        {**data, "principal": "1000", "borrower": other.pk},
    )
    assert response.status_code == 200 and "borrower" in response.context["form"].errors
    assert not Loan.objects.exists()


def test_dues_quick_entry_and_grid(cast, login):
    a, b = (
        MemberFactory(club=cast.club_a, full_name="Lò Thị Xuân"),
        MemberFactory(club=cast.club_a, full_name="Tòng Văn Ơn"),
    )
    client = login(cast.leader)
    url = reverse("funds:dues_record", args=[cast.club_a.pk]) + "?year=2025&month=1"
    response = client.post(url, {"date": "21/01/2025", f"m{a.pk}": "20.000", f"m{b.pk}": "abc"})
    assert response.status_code == 200 and not LedgerEntry.objects.exists()
    assert (
        client.post(url, {"date": "21/01/2025", f"m{a.pk}": "20.000", f"m{b.pk}": ""}).status_code
        == 302
    )
    page = client.get(
        reverse("funds:dues", args=[cast.club_a.pk]) + "?year=2025&month=1"
    ).content.decode()
    assert "Tòng Văn Ơn" in page
    assert operating(cast.club_a).balance == 20_000


def test_cash_book_xlsx_neutralises_formulas(cast, login):
    fund = operating(cast.club_a)
    from funds import services

    services.entry_record(
        fund=fund, date=DAY, amount=5_000, direction="in", category="donation", by=None,
        payer="=HYPERLINK(\"http://x\")", note="+1+1",
    )  # fmt: skip
    response = login(cast.leader).get(
        reverse("funds:cash_book_xlsx", args=[fund.pk]) + "?date_from=01/01/2025&date_to=31/12/2025"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    texts = [v for v in values if isinstance(v, str)]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert any("HYPERLINK" in t for t in texts) and 5_000 in values
    page = login(cast.leader).get(
        reverse("funds:cash_book", args=[fund.pk]) + "?date_from=01/01/2025&date_to=31/12/2025"
    )
    assert "5.000" in page.content.decode()


def test_loan_book(cast, login):
    loan = make_loan(cast.club_a, principal=1_000_000, term=2)
    response = login(cast.leader).get(
        reverse("funds:loan_book_xlsx", args=[cast.club_a.pk])
        + "?date_from=01/01/2025&date_to=31/12/2025"
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert loan.borrower.full_name in [c.value for row in ws.iter_rows() for c in row]


def test_care_fund_and_plan(cast, login):
    client = login(cast.province)
    response = client.post(
        reverse("funds:fund_create"),
        {
            "owner_area": cast.province_a.pk,
            "kind": "care",
            "name": "Quỹ chăm sóc và phát huy vai trò NCT tỉnh",
        },
    )
    assert response.status_code == 302
    care = Fund.objects.get(kind=Fund.Kind.CARE)
    deposit(care, 30_000_000, day=datetime.date(2024, 6, 1))
    response = client.post(
        reverse("funds:plan_create"),
        {"area": cast.province_a.pk, "kind": "care", "year": "2024", "target": "120.000.000"},
    )
    assert response.status_code == 302
    page = client.get(reverse("funds:plan_list")).content.decode()
    assert "30.000.000 ₫" in page and "25,0 %" in page
    # leaders cannot create association funds, and do not see the care fund
    assert login(cast.leader).post(reverse("funds:fund_create"), {}).status_code == 403
    assert login(cast.leader).get(reverse("funds:fund_detail", args=[care.pk])).status_code == 404
    assert login(cast.commune).get(reverse("funds:fund_detail", args=[care.pk])).status_code == 404


def test_admin_cannot_change_or_delete_entries(cast, login):
    entry = deposit(operating(cast.club_a), 1_000)
    client = login(cast.admin)
    assert client.get(reverse("admin:funds_ledgerentry_changelist")).status_code == 200
    assert (
        client.post(
            reverse("admin:funds_ledgerentry_change", args=[entry.pk]), {"amount": 5}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:funds_ledgerentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        reverse("admin:funds_ledgerentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 1_000


# --- fixed query counts --------------------------------------------------------------------


def _entries(fund, n):
    for _ in range(n):
        deposit(fund, 1_000, by=None)


@pytest.mark.parametrize("n", [3, 50])
def test_fund_detail_query_count(cast, login, django_assert_max_num_queries, n):
    fund = operating(cast.club_a)
    _entries(fund, n)
    client = login(cast.leader)
    # session, user, fund, count, entries page, totals by category
    with django_assert_max_num_queries(8):
        response = client.get(reverse("funds:fund_detail", args=[fund.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    balance = f"{n * 1_000:,}".replace(",", ".")
    assert f"{balance} ₫" in page and f"PT-2025-{n:04d}" in page  # the balance, the newest entry


@pytest.mark.parametrize("n", [3, 50])
def test_fund_list_query_count(cast, login, django_assert_max_num_queries, n):
    for i in range(n):
        from tests.factories import ClubFactory

        ClubFactory(commune=cast.commune_a1 if i % 2 else CommuneFactory(parent=cast.province_a))
    client = login(cast.province)
    # session, user, user's area, count, page of funds (clubs, communes, areas joined)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("funds:fund_list"))
    assert response.status_code == 200
    assert cast.club_a.name in response.content.decode()


@pytest.mark.parametrize("n", [3, 50])
def test_loan_list_query_count(cast, login, django_assert_max_num_queries, n):
    deposit(revolving(cast.club_a), n * 1_000_000)
    for _ in range(n):
        make_loan(cast.club_a, principal=500_000, term=6)
    client = login(cast.leader)
    client.get(reverse("funds:loan_list", args=[cast.club_a.pk]))  # the menu is cached per user
    # session, user, club, the club's loans, their installments, their repayments: the
    # portfolio, the counts per status and the page all come from them; the access log's
    # savepoint, INSERT and release (its content type cached by the first request)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("funds:loan_list", args=[cast.club_a.pk]))
    assert response.status_code == 200
    assert response.context["book"].loans == n
    assert dict((v, c) for v, _label, c in response.context["statuses"])["active"] == n
    assert len(response.context["rows"]) == min(n, 25)
    # viewers get the figures without the loans: session, user, club, portfolio (loans,
    # installments, repayments), counts
    viewer = login(cast.viewer)
    viewer.get(reverse("funds:loan_list", args=[cast.club_a.pk]))
    with django_assert_max_num_queries(7):
        response = viewer.get(reverse("funds:loan_list", args=[cast.club_a.pk]))
    assert response.context["book"].loans == n and "rows" not in response.context
