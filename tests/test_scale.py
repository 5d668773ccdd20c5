"""seed_scale: a handful of clubs and two months, loaded with COPY, keep the data rules."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.models import Count, F, Sum

from bench import scale
from clubs.models import Club
from config.text import fold
from funds.models import Contribution, Fund, Installment, LedgerEntry, Loan, Repayment
from members.models import Member
from month.models import Attendance, Meeting, MonthlyReport
from reports import summary
from reports.models import ClubMonthSummary
from tests.module_data import loaded_for_the_module

# One xdist worker runs the whole module, one test after another: the data is made once.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.xdist_group("scale")]

CLUBS = 6


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Generated once for the module (the country's areas, then the clubs): the tests read it,
    the last one's second run is rolled back to it (tests/module_data.py)."""
    yield from loaded_for_the_module(
        django_db_blocker, lambda: scale.seed(clubs=CLUBS, months=2, log=lambda _: None)
    )


def test_clubs_spread_over_provinces_with_realistic_registers(seeded):
    clubs = Club.objects.filter(code__startswith=scale.CODE_PREFIX)
    assert clubs.count() == CLUBS
    # Provinces are interleaved: the first clubs are each in a different province.
    assert clubs.values("commune__province").distinct().count() == CLUBS
    sizes = Member.objects.values("club").annotate(n=Count("pk")).values_list("n", flat=True)
    assert all(45 <= n <= 75 for n in sizes)
    for member in Member.objects.all()[:200]:
        assert member.search_name == fold(member.full_name)
    # Sensitive fields only with consent (the model's check constraint held during COPY).
    assert not Member.objects.filter(consent_on__isnull=True).exclude(ethnicity="").exists()


def test_fund_balances_are_the_sums_of_their_entries_and_never_negative(seeded):
    signed = Sum(
        models.Case(
            models.When(entries__direction="in", then=F("entries__amount")),
            default=-F("entries__amount"),
        )
    )
    funds = Fund.objects.annotate(total=signed)
    assert funds.count() > 2 * CLUBS  # the clubs' two funds and the associations' care funds
    for fund in funds:
        assert fund.balance == (fund.total or 0)
        assert fund.balance >= 0
    # The running balance never dips below zero either, in date order.
    for fund in Fund.objects.all():
        running = 0
        for direction, amount in (
            LedgerEntry.objects.filter(fund=fund)
            .order_by("date", "pk")
            .values_list("direction", "amount")
        ):
            running += amount if direction == "in" else -amount
            assert running >= 0


def test_vouchers_loans_dues_and_attendance_keep_their_rules(seeded):
    entries = LedgerEntry.objects.all()
    assert entries.values("fund", "voucher_number").distinct().count() == entries.count()
    assert entries.filter(voucher_number__regex=r"^P[TC]-20\d\d-\d{4,}$").count() == entries.count()

    disbursed = Loan.objects.filter(disbursed_on__isnull=False)
    assert disbursed.exists()
    for loan in disbursed.annotate(scheduled=Sum("installments__principal")):
        assert loan.scheduled == loan.principal
    assert not Installment.objects.filter(loan__disbursed_on__isnull=True).exists()
    for repayment in Repayment.objects.select_related("principal_entry", "interest_entry")[:200]:
        assert repayment.amount == repayment.principal + repayment.interest
        if repayment.principal_entry:
            assert repayment.principal_entry.amount == repayment.principal
    assert Contribution.objects.filter(amount=F("entry__amount")).count() == (
        Contribution.objects.count()
    )

    marks = Attendance.objects.all()
    assert marks.exists()
    assert marks.values("meeting", "member").distinct().count() == marks.count()
    assert not marks.exclude(member__club=F("meeting__club")).exists()
    assert not marks.exclude(meeting__status=Meeting.Status.HELD).exists()
    assert len(set(MonthlyReport.objects.values_list("status", flat=True))) >= 2
    # each report keeps its club's province (the provincial inbox reads it)
    assert not MonthlyReport.objects.exclude(province=F("club__commune__province")).exists()


def test_every_reference_points_at_a_row(seeded):
    """Foreign-key checks are off while loading: check every reference afterwards."""
    with connection.cursor() as cursor:
        for table in scale.generated_tables():
            model = next(
                m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table
            )
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey) or not field.db_constraint:
                    continue
                parent = field.related_model._meta
                cursor.execute(
                    f"SELECT COUNT(*) FROM {table} c LEFT JOIN {parent.db_table} p "  # noqa: S608
                    f"ON p.{parent.pk.column} = c.{field.column} "
                    f"WHERE c.{field.column} IS NOT NULL AND p.{parent.pk.column} IS NULL"
                )
                assert cursor.fetchone()[0] == 0, f"{table}.{field.column}"


def test_users_summaries_and_a_second_run(seeded):
    from accounts.models import User

    leader = User.objects.get(username="scale_leader")
    assert leader.club.code.startswith(scale.CODE_PREFIX)
    assert leader.check_password(scale.PASSWORD)
    province = User.objects.get(username="scale_province").area
    assert province.level == "province"
    # One club in each of six provinces: of provinces with as many clubs, those with most
    # communes come first (the largest at 20,000 clubs too), scale_province then _2 to _5.
    Area = apps.get_model("clubs", "Area")
    with_clubs = set(
        Club.objects.filter(code__startswith=scale.CODE_PREFIX).values_list(
            "province_id", flat=True
        )
    )
    communes = {
        pk: Area.objects.filter(province_id=pk, level="commune").count() for pk in with_clubs
    }
    ranked = [
        User.objects.get(username=f"scale_province{suffix}").area_id
        for suffix in ("", "_2", "_3", "_4", "_5")
    ]
    assert [communes[pk] for pk in ranked] == sorted(communes.values(), reverse=True)[:5]

    assert summary.rebuild(months=2) == CLUBS * 2
    assert ClubMonthSummary.objects.filter(meetings_held__gt=0).exists()

    with pytest.raises(CommandError, match="--fresh"):
        call_command("seed_scale", clubs=2, months=1, no_summaries=True)
    call_command("seed_scale", clubs=2, months=1, fresh=True, no_summaries=True)
    assert Club.objects.count() == 2
    # scale_admin, and staff and a leader for each of the two provinces with clubs.
    assert User.objects.filter(username__startswith=scale.USER_PREFIX).count() == 7
