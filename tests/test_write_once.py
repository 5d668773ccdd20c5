"""Every write once: the same form sent twice (a double tap, "back" then resubmit, a retry)
writes once, and the repeat is answered like the first post (``accounts.once``)."""

import datetime
import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import IdempotencyKey
from accounts.once import FIELD
from clubs.models import BoardPosition
from funds.models import Contribution, FundPlan, LedgerEntry, Loan, Repayment
from members.models import ImportJob, Member
from month.models import Activity, ActivityArea, HomeCareVisit, Meeting, MonthlyReport
from month.services import report_start
from tests.factories import MemberFactory
from tests.factories_funds import deposit, make_loan, operating, revolving
from tests.factories_members import member_row, xlsx
from tests.factories_trainings import make_event
from trainings.models import Participant

pytestmark = pytest.mark.django_db


def _dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _twice(client, url, data):
    """Post ``data`` twice with one key; both answers, in order."""
    data = {**data, FIELD: str(uuid.uuid4())}
    return client.post(url, data), client.post(url, data)


def _same_answer(first, second):
    assert first.status_code == second.status_code == 302
    assert first.url == second.url


def test_the_form_carries_a_fresh_key(cast, login):
    client = login(cast.leader)
    url = reverse("funds:entry_create", args=[operating(cast.club_a).pk])
    one, two = (client.get(url).content.decode() for _ in range(2))
    assert f'name="{FIELD}"' in one and "data-once" in one
    key = one.split(f'name="{FIELD}" value="')[1].split('"')[0]
    assert str(uuid.UUID(key)) == key and key not in two


def test_a_ledger_entry_sent_twice_is_recorded_once(cast, login):
    fund = operating(cast.club_a)
    client = login(cast.leader)
    data = {"direction": "in", "category": "donation", "amount": "1.500.000",
            "date": "10/01/2025", "payer": "UBND xã"}  # fmt: skip
    first, second = _twice(client, reverse("funds:entry_create", args=[fund.pk]), data)
    _same_answer(first, second)
    assert LedgerEntry.objects.count() == 1
    messages = [str(m) for m in client.get(second.url).context["messages"]]
    assert any("PT-2025-0001" in m for m in messages)
    assert IdempotencyKey.objects.get().user == cast.leader


def test_without_a_key_the_form_still_writes(cast, login):
    fund = operating(cast.club_a)
    response = login(cast.leader).post(
        reverse("funds:entry_create", args=[fund.pk]),
        {"direction": "in", "category": "donation", "amount": "1000", "date": "10/01/2025"},
    )
    assert response.status_code == 302 and LedgerEntry.objects.count() == 1
    assert not IdempotencyKey.objects.exists()


def test_a_malformed_key_is_refused_and_writes_nothing(cast, login):
    fund = operating(cast.club_a)
    response = login(cast.leader).post(
        reverse("funds:entry_create", args=[fund.pk]),
        {"direction": "in", "category": "donation", "amount": "1000", "date": "10/01/2025",
         FIELD: "not-a-key"},
    )  # fmt: skip
    assert response.status_code == 400 and not LedgerEntry.objects.exists()


def test_a_refused_form_keeps_its_key_for_the_corrected_post(cast, login):
    fund = operating(cast.club_a)
    client = login(cast.leader)
    url = reverse("funds:entry_create", args=[fund.pk])
    key = str(uuid.uuid4())
    data = {"direction": "out", "category": "activity", "amount": "1000", "date": "10/01/2025"}
    refused = client.post(url, {**data, FIELD: key})  # more than the balance
    assert refused.status_code == 200 and not LedgerEntry.objects.exists()
    deposit(fund, 5_000)
    assert client.post(url, {**data, FIELD: key}).status_code == 302
    assert fund.entries.filter(direction="out").count() == 1


def test_another_users_key_is_not_answered(cast, login):
    fund = operating(cast.club_a)
    key = str(uuid.uuid4())
    data = {"direction": "in", "category": "donation", "amount": "1000", "date": "10/01/2025",
            FIELD: key}  # fmt: skip
    url = reverse("funds:entry_create", args=[fund.pk])
    assert login(cast.leader).post(url, data).status_code == 302
    other = Client()
    other.force_login(cast.commune)
    assert other.post(url, data).status_code == 400
    assert LedgerEntry.objects.count() == 1


def test_a_repayment_sent_twice_lowers_the_balance_once(cast, login):
    loan = make_loan(cast.club_a, principal=2_000_000, term=4, by=cast.leader)
    first, second = _twice(
        login(cast.leader),
        reverse("funds:loan_repay", args=[loan.pk]),
        {"amount": "100.000", "date": _dmy(loan.disbursed_on + datetime.timedelta(days=30))},
    )
    _same_answer(first, second)
    assert Repayment.objects.filter(loan=loan).count() == 1


def test_a_payoff_sent_twice_settles_once(cast, login):
    loan = make_loan(cast.club_a, principal=2_000_000, term=4, by=cast.leader)
    first, second = _twice(
        login(cast.leader),
        reverse("funds:loan_payoff", args=[loan.pk]),
        {"date": _dmy(loan.disbursed_on + datetime.timedelta(days=10))},
    )
    _same_answer(first, second)
    assert Repayment.objects.filter(loan=loan).count() == 1


def test_a_loan_request_decision_and_disbursement_sent_twice(cast, login):
    fund = revolving(cast.club_a)
    deposit(fund, 10_000_000)
    member = MemberFactory(club=cast.club_a)
    client = login(cast.leader)
    first, second = _twice(
        client,
        reverse("funds:loan_create", args=[cast.club_a.pk]),
        {"borrower": member.pk, "principal": "1.000.000", "purpose": "Chăn nuôi",
         "monthly_rate": "0.5", "term_months": "6", "method": "equal_principal",
         "requested_on": "05/01/2025"},
    )  # fmt: skip
    _same_answer(first, second)
    loan = Loan.objects.get()
    client.post(
        reverse("funds:loan_decide", args=[loan.pk]), {"decision": "approve", "date": "06/01/2025"}
    )
    first, second = _twice(
        client,
        reverse("funds:loan_disburse", args=[loan.pk]),
        {"date": "10/01/2025", "confirmed": "1"},
    )
    _same_answer(first, second)
    assert fund.entries.filter(direction="out").count() == 1


def test_a_transfer_sent_twice_moves_the_money_once(cast, login):
    from funds.models import TransferRequest

    src = operating(cast.club_a)
    deposit(src, 500_000)
    dst = revolving(cast.club_a)
    first, second = _twice(
        login(cast.leader),
        reverse("funds:transfer", args=[src.pk]),
        {"target": dst.pk, "amount": "200.000", "reason": "Bổ sung vốn vay"},
    )
    _same_answer(first, second)
    request = TransferRequest.objects.get()
    first, second = _twice(
        login(cast.commune),
        reverse("funds:transfer_detail", args=[request.pk]),
        {"decision": "approve", "date": _dmy(timezone.localdate()), "confirmed": "1"},
    )
    _same_answer(first, second)
    dst.refresh_from_db()
    assert dst.balance == 200_000


def test_dues_sent_twice_are_recorded_once(cast, login):
    a = MemberFactory(club=cast.club_a)
    url = reverse("funds:dues_record", args=[cast.club_a.pk]) + "?year=2025&month=1"
    first, second = _twice(login(cast.leader), url, {"date": "21/01/2025", f"m{a.pk}": "20.000"})
    _same_answer(first, second)
    assert Contribution.objects.count() == 1


def test_a_fund_plan_sent_twice_is_saved_once(cast, login):
    first, second = _twice(
        login(cast.province),
        reverse("funds:plan_create"),
        {"area": cast.province_a.pk, "kind": "care", "year": "2024", "target": "120.000.000"},
    )
    _same_answer(first, second)
    assert FundPlan.objects.count() == 1


def test_a_member_sent_twice_is_added_once(cast, login):
    first, second = _twice(
        login(cast.leader),
        reverse("members:member_create", args=[cast.club_a.pk]),
        {"full_name": "Nguyễn Thị Tư", "sex": "F", "birth_year": "1956",
         "joined_on": "01/03/2024"},
    )  # fmt: skip
    _same_answer(first, second)
    assert Member.objects.count() == 1


def test_a_board_member_sent_twice_is_seated_once(cast, login):
    member = MemberFactory(club=cast.club_a)
    first, second = _twice(
        login(cast.leader),
        reverse("clubs:board_add", args=[cast.club_a.pk]),
        {"member": member.pk, "position": "chair", "start_on": "01/01/2024"},
    )
    _same_answer(first, second)
    assert BoardPosition.objects.count() == 1


def test_a_meeting_sent_twice_is_added_once(cast, login):
    day = timezone.localdate() + datetime.timedelta(days=10)
    first, second = _twice(
        login(cast.leader),
        reverse("month:meeting_add", args=[cast.club_a.pk]),
        {"date": _dmy(day), "starts_at": "08:00", "place": "Nhà văn hóa", "agenda": "Họp"},
    )
    _same_answer(first, second)
    assert Meeting.objects.filter(club=cast.club_a).count() == 1


def test_an_activity_and_a_visit_sent_twice_are_added_once(cast, login):
    area = ActivityArea.objects.get(code="health")
    client = login(cast.leader)
    today = _dmy(timezone.localdate())
    first, second = _twice(
        client,
        reverse("month:activity_add", args=[cast.club_a.pk]),
        {"date": today, "title": "Giao lưu", "areas": [area.pk], "participant_count": "10",
         "beneficiaries": "0", "cost": "0"},
    )  # fmt: skip
    _same_answer(first, second)
    assert Activity.objects.count() == 1
    volunteer = MemberFactory(club=cast.club_a, is_volunteer=True)
    first, second = _twice(
        client,
        reverse("month:visit_add", args=[cast.club_a.pk]),
        {"volunteer": volunteer.pk, "recipient": MemberFactory(club=cast.club_a).pk,
         "date": today, "services": ["company"], "duration_minutes": "30"},
    )  # fmt: skip
    _same_answer(first, second)
    assert HomeCareVisit.objects.count() == 1


def test_a_report_submitted_twice_gets_the_first_answer(cast, login):
    first_of_month = timezone.localdate().replace(day=1)
    last = first_of_month - datetime.timedelta(days=1)
    report = report_start(club=cast.club_a, year=last.year, month=last.month, by=cast.leader)
    client = login(cast.leader)
    first, second = _twice(
        client, reverse("month:report_submit", args=[report.pk]), {"confirmed": "1"}
    )
    _same_answer(first, second)
    page = client.get(second.url)
    assert [m.level_tag for m in page.context["messages"]] == ["success", "success"]
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED
    assert report.events.filter(action="submitted").count() == 1


def test_a_participant_sent_twice_is_registered_once(cast, login):
    training = make_event(cast.commune_a1, people=0)
    first, second = _twice(
        login(cast.commune),
        reverse("trainings:participant_add", args=[training.pk]),
        {"full_name": "Lò Thị Xuân", "position": Participant.Position.COMMUNE_CHAIR,
         "title": "Chủ tịch", "unit": "Hội NCT xã", "sex": "F", "ethnicity": "Thái",
         "phone": "0912 345 678", "area": cast.commune_a1.pk},
    )  # fmt: skip
    _same_answer(first, second)
    assert Participant.objects.count() == 1


# --- at the same moment, on PostgreSQL ----------------------------------------------------

N = 8


def _race(user, url, data):
    """Post the same form (one key) from N clients released together; the status codes."""
    data = {**data, FIELD: str(uuid.uuid4())}
    barrier = threading.Barrier(N)
    codes: list[int] = []
    lock = threading.Lock()

    def run():
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            code = client.post(url, data).status_code
            with lock:
                codes.append(code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_repayment_sent_at_once_from_many_taps_is_recorded_once(cast):
    assert connection.vendor == "postgresql"
    loan = make_loan(cast.club_a, principal=2_000_000, term=4, by=cast.leader)
    codes = _race(
        cast.leader,
        reverse("funds:loan_repay", args=[loan.pk]),
        {"amount": "100.000", "date": _dmy(loan.disbursed_on + datetime.timedelta(days=30))},
    )
    assert codes == [302] * N
    assert Repayment.objects.filter(loan=loan).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_ledger_entry_sent_at_once_from_many_taps_is_recorded_once(cast):
    fund = operating(cast.club_a)
    codes = _race(
        cast.leader,
        reverse("funds:entry_create", args=[fund.pk]),
        {"direction": "in", "category": "donation", "amount": "1000", "date": "10/01/2025"},
    )
    assert codes == [302] * N
    assert LedgerEntry.objects.filter(fund=fund).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_member_sent_at_once_from_many_taps_is_added_once(cast):
    codes = _race(
        cast.leader,
        reverse("members:member_create", args=[cast.club_a.pk]),
        {"full_name": "Nguyễn Thị Tư", "sex": "F", "birth_year": "1956",
         "joined_on": "01/03/2024"},
    )  # fmt: skip
    assert codes == [302] * N
    assert Member.objects.filter(club=cast.club_a).count() == 1


def test_an_import_started_twice_adds_its_members_once(cast, login):
    client = login(cast.leader)
    client.post(
        reverse("members:import_upload", args=[cast.club_a.pk]),
        {"file": xlsx([member_row("Lò Thị Xuân", 1950), member_row("Giàng A Chứ", 1961)])},
    )
    job = ImportJob.objects.get()
    first, second = _twice(client, reverse("members:import_preview", args=[job.pk]), {})
    _same_answer(first, second)
    assert Member.objects.count() == 2


def test_keys_older_than_the_setting_are_forgotten_and_recent_ones_kept(cast, settings):
    from accounts.tasks import prune_idempotency_keys

    settings.ISHC_IDEMPOTENCY_KEY_DAYS = 30
    old = IdempotencyKey.objects.create(key=uuid.uuid4(), user=cast.leader)
    IdempotencyKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    recent = IdempotencyKey.objects.create(key=uuid.uuid4(), user=cast.leader)

    assert prune_idempotency_keys.apply().get() == 1
    assert list(IdempotencyKey.objects.values_list("pk", flat=True)) == [recent.pk]
