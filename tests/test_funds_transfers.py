"""Transfers between funds: the source's owner asks, the owner's supervisor approves (a
different person), and only then do the two entries go in; money promised to approved loans
never leaves; a rejection says why, who and when (docs/funds.md, "Transfers")."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from funds import services
from funds.models import Fund, FundsError, LedgerEntry, TransferRequest
from funds.selectors import fund_balance_sum
from month.locking import locked_message
from tests.factories import UserFactory
from tests.factories_funds import deposit, make_loan, operating, revolving
from tests.factories_month import MonthlyReportFactory, vi

pytestmark = pytest.mark.django_db

State = TransferRequest.State


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _ask(client, source, target, amount="200.000", reason="Bổ sung vốn cho vay"):
    return client.post(
        reverse("funds:transfer", args=[source.pk]),
        {"target": target.pk, "amount": amount, "reason": reason},
    )


def _decide(client, transfer, decision="approve", *, confirmed=True, note="", date=None):
    data = {"decision": decision, "date": date or _today(), "note": note}
    if confirmed:
        data["confirmed"] = "1"
    return client.post(reverse("funds:transfer_detail", args=[transfer.pk]), data)


@pytest.fixture
def funded(cast):
    """club_a's operating fund holds 500.000 ₫; its revolving fund is empty."""
    src, dst = operating(cast.club_a), revolving(cast.club_a)
    deposit(src, 500_000)
    return src, dst


def _balances(*funds):
    return [Fund.objects.get(pk=f.pk).balance for f in funds]


def test_the_leader_asks_and_nothing_moves_until_the_commune_approves(cast, login, funded):
    src, dst = funded
    response = _ask(login(cast.leader), src, dst)
    transfer = TransferRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("funds:transfer_detail", args=[transfer.pk])
    assert (transfer.state, transfer.requested_by, transfer.amount) == (
        State.REQUESTED,
        cast.leader,
        200_000,
    )
    assert _balances(src, dst) == [500_000, 0]
    assert not LedgerEntry.objects.filter(category="transfer").exists()

    commune = login(cast.commune)
    page = commune.get(reverse("funds:transfer_detail", args=[transfer.pk])).content.decode()
    assert "Bổ sung vốn cho vay" in page and 'name="decision"' in page
    # The first post only says what will happen.
    asked = _decide(commune, transfer, confirmed=False)
    text = asked.content.decode()
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in text
    assert "200.000" in text and "300.000" in text  # the amount; the source's balance after
    assert _balances(src, dst) == [500_000, 0]
    assert TransferRequest.objects.get().state == State.REQUESTED

    assert _decide(commune, transfer).status_code == 302
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decided_by, transfer.moved_on) == (
        State.APPROVED,
        cast.commune,
        timezone.localdate(),
    )
    assert transfer.decided_at is not None
    assert _balances(src, dst) == [300_000, 200_000]
    legs = LedgerEntry.objects.filter(transfer_group=transfer.transfer_group)
    assert sorted(legs.values_list("direction", "fund_id", "created_by_id")) == [
        ("in", dst.pk, cast.commune.pk),
        ("out", src.pk, cast.commune.pk),
    ]
    for fund in (src, dst):
        assert Fund.objects.get(pk=fund.pk).balance == fund_balance_sum(fund)


def test_only_the_owner_asks(cast, login, funded):
    src, dst = funded
    for who in ("commune", "province", "admin"):  # supervisors, not the club
        client = login(getattr(cast, who))
        assert client.get(reverse("funds:transfer", args=[src.pk])).status_code == 403, who
        assert _ask(client, src, dst).status_code == 403, who
    assert _ask(login(cast.leader2), src, dst).status_code == 404
    assert _ask(login(cast.viewer), src, dst).status_code == 403
    assert not TransferRequest.objects.exists()
    with pytest.raises(FundsError):
        services.transfer_request(source=src, target=dst, amount=1, reason="x", by=cast.commune)


def test_the_fund_page_offers_the_request_to_the_owner_only(cast, login, funded):
    src, _dst = funded
    url = reverse("funds:fund_detail", args=[src.pk])
    button = reverse("funds:transfer", args=[src.pk])
    assert button in login(cast.leader).get(url).content.decode()
    assert button not in login(cast.commune).get(url).content.decode()


def test_who_decides_a_clubs_transfer(cast, login, funded):
    src, dst = funded
    _ask(login(cast.leader), src, dst)
    transfer = TransferRequest.objects.get()
    second_leader = UserFactory(username="treasurer", role=Role.CLUB_LEADER, club=cast.club_a)
    other_commune = UserFactory(username="commune2", role=Role.COMMUNE, area=cast.commune_a2)
    assert _decide(login(cast.leader), transfer).status_code == 403  # who asked
    assert _decide(login(second_leader), transfer).status_code == 403  # the club itself
    assert _decide(login(other_commune), transfer).status_code == 404  # not their club
    assert _decide(login(cast.leader2), transfer).status_code == 404
    assert _decide(login(cast.viewer), transfer).status_code == 403
    assert TransferRequest.objects.get().state == State.REQUESTED
    # The province above the commune may decide too.
    assert _decide(login(cast.province), transfer).status_code == 302
    assert TransferRequest.objects.get().decided_by == cast.province


def test_an_associations_fund_answers_to_the_level_above(cast, login):
    commune_fund = services.fund_create(kind="care", name="Quỹ xã", owner_area=cast.commune_a1)
    province_fund = services.fund_create(kind="care", name="Quỹ tỉnh", owner_area=cast.province_a)
    deposit(commune_fund, 1_000_000)
    deposit(province_fund, 1_000_000)
    # The commune asks; another commune staff of the same commune cannot decide; the province can.
    assert _ask(login(cast.commune), commune_fund, province_fund).status_code == 302
    up = TransferRequest.objects.get(source=commune_fund)
    colleague = UserFactory(username="commune_b", role=Role.COMMUNE, area=cast.commune_a1)
    assert _decide(login(colleague), up).status_code == 403
    assert _decide(login(cast.province), up).status_code == 302
    # The province asks; another provincial staff cannot decide; an administrator can.
    assert _ask(login(cast.province), province_fund, commune_fund).status_code == 302
    down = TransferRequest.objects.get(source=province_fund)
    colleague = UserFactory(username="province_b", role=Role.PROVINCE, area=cast.province_a)
    assert _decide(login(colleague), down).status_code == 403
    assert _decide(login(cast.admin), down).status_code == 302
    assert _balances(commune_fund, province_fund) == [1_000_000, 1_000_000]
    assert set(TransferRequest.objects.values_list("state", flat=True)) == {State.APPROVED}


def test_the_one_who_asked_never_decides_even_through_the_service(cast, funded):
    src, dst = funded
    transfer = services.transfer_request(
        source=src, target=dst, amount=100_000, reason="x", by=cast.leader
    )
    transfer.requested_by = cast.commune  # as if a supervisor had asked
    transfer.save()
    with pytest.raises(FundsError) as err:
        services.transfer_approve(request=transfer, by=cast.commune)
    assert "decision" in err.value.message_dict
    assert _balances(src, dst) == [500_000, 0]


def test_a_rejection_records_why_who_and_when(cast, login, funded):
    src, dst = funded
    _ask(login(cast.leader), src, dst)
    transfer = TransferRequest.objects.get()
    commune = login(cast.commune)
    response = _decide(commune, transfer, "reject")
    assert response.status_code == 200 and "note" in response.context["form"].errors
    assert _decide(commune, transfer, "reject", note="Chưa có biên bản họp").status_code == 302
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decided_by, transfer.decision_note) == (
        State.REJECTED,
        cast.commune,
        "Chưa có biên bản họp",
    )
    assert transfer.decided_at is not None and transfer.transfer_group is None
    assert _balances(src, dst) == [500_000, 0]
    page = login(cast.leader).get(reverse("funds:transfer_detail", args=[transfer.pk]))
    assert "Chưa có biên bản họp" in page.content.decode()
    # decided: approving it now changes nothing
    assert _decide(login(cast.commune), transfer).status_code == 200
    assert _balances(src, dst) == [500_000, 0]


def test_money_promised_to_approved_loans_is_not_moved(cast, login):
    fund, other = revolving(cast.club_a), operating(cast.club_a)
    make_loan(cast.club_a, principal=700_000, status="approved")  # tops the fund up to 700.000
    deposit(fund, 300_000)
    leader = login(cast.leader)
    response = _ask(leader, fund, other, amount="400.000")
    assert response.status_code == 200
    assert vi("Only %(available)s ₫ of %(fund)s can be moved: %(promised)s ₫ of its balance is "
              "promised to approved loans not yet paid out.") % {
        "available": "300.000", "fund": fund.name, "promised": "700.000"
    } in response.context["form"].errors["amount"]  # fmt: skip
    assert _ask(leader, fund, other, amount="300.000").status_code == 302
    transfer = TransferRequest.objects.get()
    # Before the commune decides, the board approves another loan from the same money.
    make_loan(cast.club_a, principal=200_000, status="approved")
    commune = login(cast.commune)
    response = _decide(commune, transfer, confirmed=False)  # refused before the question
    assert response.status_code == 200 and 'name="confirmed"' not in response.content.decode()
    assert "900.000" in " ".join(response.context["form"].non_field_errors())
    assert _decide(commune, transfer).status_code == 200  # and by the service after it
    assert TransferRequest.objects.get().state == State.REQUESTED
    assert _balances(fund, other) == [1_000_000, 0]
    with pytest.raises(FundsError):
        services.fund_transfer(
            source=fund, target=other, amount=300_001, date=timezone.localdate(), by=None
        )


def test_no_transfer_into_a_locked_month(cast, login, funded):
    src, dst = funded
    _ask(login(cast.leader), src, dst)
    transfer = TransferRequest.objects.get()
    today = timezone.localdate()
    MonthlyReportFactory(club=cast.club_a, year=today.year, month=today.month, status="approved")
    response = _decide(login(cast.commune), transfer)
    assert response.status_code == 200
    with translation.override("vi"):
        refusal = locked_message(today)
    assert response.context["form"].errors["date"] == [refusal]
    assert TransferRequest.objects.get().state == State.REQUESTED
    assert _balances(src, dst) == [500_000, 0]


def test_the_owner_withdraws_a_waiting_request(cast, login, funded):
    src, dst = funded
    _ask(login(cast.leader), src, dst)
    transfer = TransferRequest.objects.get()
    url = reverse("funds:transfer_cancel", args=[transfer.pk])
    assert login(cast.leader2).post(url).status_code == 404
    login(cast.commune).post(url)  # not the owner: refused with a message
    assert TransferRequest.objects.get().state == State.REQUESTED
    assert login(cast.leader).post(url).status_code == 302
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decided_by) == (State.CANCELLED, cast.leader)
    assert _decide(login(cast.commune), transfer).status_code == 200
    assert _balances(src, dst) == [500_000, 0]


def test_the_list_of_requests_waiting_in_scope(cast, login, funded):
    src, dst = funded
    _ask(login(cast.leader), src, dst, reason="Tiền mua giống")
    url = reverse("funds:transfer_list")
    commune = login(cast.commune).get(url).content.decode()
    assert "Tiền mua giống" in commune and "200.000" in commune and vi("Decide") in commune
    assert "200.000" in login(cast.province).get(url).content.decode()
    leader = login(cast.leader).get(url).content.decode()
    assert "200.000" in leader and vi("Decide") not in leader
    assert "200.000" not in login(cast.leader2).get(url).content.decode()
    assert login(cast.viewer).get(url).status_code == 200
    assert (
        "200.000"
        in login(cast.leader).get(reverse("funds:fund_detail", args=[src.pk])).content.decode()
    )  # waiting, on the fund's page


def test_an_approved_transfer_is_undone_by_the_association_not_the_club(cast, login, funded):
    src, dst = funded
    _ask(login(cast.leader), src, dst)
    _decide(login(cast.commune), TransferRequest.objects.get())
    into = LedgerEntry.objects.get(fund=dst, category="transfer")
    url = reverse("funds:entry_reverse", args=[into.pk])
    for data in ({"note": "Nhầm"}, {"note": "Nhầm", "confirmed": "1"}):  # before or after
        response = login(cast.leader).post(url, data)
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        assert 'name="confirmed"' not in response.content.decode()
    assert _balances(src, dst) == [300_000, 200_000]
    assert login(cast.commune).post(url, {"note": "Nhầm", "confirmed": "1"}).status_code == 302
    assert _balances(src, dst) == [500_000, 0]
