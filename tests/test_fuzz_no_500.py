"""Hostile input never makes a server error: every form gets NUL bytes, huge and negative
numbers, "0,5", years 0001 and 9999, 10 KB strings, emoji and SQL-ish text, and every list
gets hostile query strings, as every role of the cast. A sample of values per form (not the
whole cartesian product) keeps this quick; the test client re-raises any exception a view
lets escape, so a crash fails the test with its traceback."""

import random

import pytest
from django.urls import reverse

from tests.factories import MemberFactory
from tests.factories_funds import deposit, make_loan, operating, revolving
from tests.factories_month import MeetingFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "a\x00b",
    "1" + "0" * 30,
    "-1",
    "-1.000.000",
    "0,5",
    "01/01/0001",
    "31/12/9999",
    "x" * 10_000,
    "🐷💰",
    "' OR 1=1; DROP TABLE funds_fund; --",
    "",
    " ",
]

# Each form: the URL name, what it is called with, and the fields it reads. Fields that pick
# a row by id (borrower, areas, volunteer…) get impossible ids in tests/test_fuzz_choice_ids.py.
FORMS = [
    ("funds:entry_create", "operating", ["direction", "category", "amount", "date", "note"]),
    ("funds:transfer", "operating", ["amount", "date", "note"]),
    ("funds:loan_create", "club", ["principal", "purpose", "monthly_rate",
                                   "term_months", "method", "requested_on", "in_kind"]),
    ("funds:dues_record", "club", ["year", "month", "date"]),
    ("funds:loan_repay", "loan", ["amount", "date"]),
    ("month:activity_add", "club", ["date", "title", "participant_count", "beneficiaries",
                                    "cost"]),
    ("month:visit_add", "club", ["date", "duration_minutes", "services"]),
    ("month:meeting_record", "meeting", ["guests", "att_{m}", "sys_{m}", "dia_{m}", "wt_{m}"]),
    ("members:member_create", "club", ["full_name", "sex", "birth_year", "birth_date",
                                       "joined_on", "phone"]),
]  # fmt: skip

LISTS = [
    ("members:member_list", "club", ["q", "page", "status"]),
    ("funds:loan_list", "club", ["q", "page", "status"]),
    ("funds:loans_due", "club", ["q", "page"]),
    ("funds:cash_book", "operating", ["date_from", "date_to"]),
    ("funds:cash_book_xlsx", "operating", ["date_from", "date_to"]),
    ("funds:fund_detail", "operating", ["date_from", "date_to", "category", "page"]),
    ("month:activity_list", "club", ["q", "page"]),
    ("month:report_inbox", None, ["status", "page"]),
    ("month:late_list", None, ["period", "page"]),
]

ROLES = ["admin", "province", "commune", "leader", "leader2", "viewer"]


@pytest.fixture
def world(cast):
    fund = operating(cast.club_a)
    deposit(fund, 5_000_000)
    deposit(revolving(cast.club_a), 20_000_000)
    member = MemberFactory(club=cast.club_a)
    loan = make_loan(cast.club_a, principal=1_000_000, borrower=member)
    meeting = MeetingFactory(club=cast.club_a)
    return {
        "club": cast.club_a.pk,
        "operating": fund.pk,
        "loan": loan.pk,
        "meeting": meeting.pk,
        None: None,
        "member": member.pk,
    }


def _url(name, kind, world):
    return reverse(name, args=[] if kind is None else [world[kind]])


@pytest.mark.parametrize("role", ROLES)
def test_hostile_posts_never_crash_a_form(cast, login, world, role):
    client = login(getattr(cast, role))
    rng = random.Random(f"post-{role}")
    for name, kind, fields in FORMS:
        url = _url(name, kind, world)
        names = [f.format(m=world["member"]) for f in fields]
        for value in rng.sample(HOSTILE, 4):
            data = {field: value for field in names}
            response = client.post(url, data)
            assert response.status_code < 500, (name, value[:40])


@pytest.mark.parametrize("role", ROLES)
def test_hostile_query_strings_never_crash_a_list(cast, login, world, role):
    client = login(getattr(cast, role))
    rng = random.Random(f"get-{role}")
    for name, kind, params in LISTS:
        url = _url(name, kind, world)
        for value in rng.sample(HOSTILE, 4):
            response = client.get(url, {param: value for param in params})
            assert response.status_code < 500, (name, value[:40])
