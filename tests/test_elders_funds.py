"""Longevity celebrations and support to named people, paid from care funds through the
funds' services: atomic, never overdrawing, refused in a locked month."""

import datetime

import pytest
from django.utils import timezone

from elders import services
from elders.models import CareSupport, LongevityCelebration
from elders.selectors import celebration_list
from funds import services as funds_services
from funds.models import Fund, LedgerEntry
from tests.factories_elders import OlderPersonFactory, care_fund
from tests.factories_month import MonthlyReportFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate()
YEAR = TODAY.year


def celebrate(person, by, **kw):
    args = {
        "person": person,
        "year": YEAR,
        "occasion": "jun6",
        "held_on": TODAY,
        "given_by": "association",
        "gift": "Khăn, áo",
        "gift_value": 300_000,
        "fund": None,
        "by": by,
    }
    return services.celebration_record(**{**args, **kw})


def test_celebration_paid_from_the_care_fund(cast):
    fund = care_fund(cast.commune_a1, balance=1_000_000)
    person = OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 80)
    c = celebrate(person, cast.commune, fund=fund)
    assert c.milestone == 80
    assert c.entry.amount == 300_000 and c.entry.direction == "out"
    assert c.entry.payer == person.full_name
    fund.refresh_from_db()
    assert fund.balance == 700_000


def test_100_and_over_is_celebrated_every_year(cast):
    person = OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 103)
    assert celebrate(person, cast.commune).milestone == 100


def test_no_milestone_no_celebration(cast):
    person = OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 77)
    with pytest.raises(services.EldersError) as exc:
        celebrate(person, cast.commune)
    assert "year" in exc.value.message_dict


def test_gift_above_the_maximum_is_refused_and_nothing_paid(cast):
    fund = care_fund(cast.commune_a1, balance=100_000_000)
    person = OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 90)
    with pytest.raises(services.EldersError) as exc:
        celebrate(person, cast.commune, fund=fund, gift_value=services.MAX_GIFT_VND + 1)
    assert "gift_value" in exc.value.message_dict
    assert not LongevityCelebration.objects.exists()
    assert LedgerEntry.objects.filter(fund=fund).count() == 1


def test_fund_without_the_money_refuses_and_records_nothing(cast):
    fund = care_fund(cast.commune_a1, balance=100_000)
    person = OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 90)
    with pytest.raises(services.EldersError) as exc:
        celebrate(person, cast.commune, fund=fund, gift_value=500_000)
    assert "fund" in exc.value.message_dict or "amount" in exc.value.message_dict
    assert not LongevityCelebration.objects.exists()
    with pytest.raises(services.EldersError):
        services.support_pay(
            person=person,
            fund=fund,
            amount=200_000,
            date=TODAY,
            purpose="sick_visit",
            by=cast.commune,
        )
    assert not CareSupport.objects.exists()
    fund.refresh_from_db()
    assert fund.balance == 100_000


def test_one_celebration_a_year(cast):
    person = OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 70)
    celebrate(person, cast.commune)
    with pytest.raises(services.EldersError) as exc:
        celebrate(person, cast.commune, occasion="oct1")
    assert "year" in exc.value.message_dict


def test_a_person_who_died_before_the_date_drops_out(cast):
    person = OlderPersonFactory(
        commune=cast.commune_a1, birth_year=YEAR - 85, died_on=D(YEAR, 1, 2)
    )
    alive = OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 95)
    long_gone = OlderPersonFactory(
        commune=cast.commune_a1, birth_year=YEAR - 75, died_on=D(YEAR - 1, 5, 1)
    )
    OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 76)
    if D(YEAR, 1, 2) < TODAY:
        with pytest.raises(services.EldersError) as exc:
            celebrate(person, cast.commune)
        assert "held_on" in exc.value.message_dict
    rows = {p.pk: p for p in celebration_list(viewer=cast.commune, year=YEAR)}
    assert set(rows) == {person.pk, alive.pk}
    assert long_gone.pk not in rows
    assert rows[alive.pk].reached == 95 and not rows[alive.pk].held


def test_support_paid_writes_one_outflow(cast):
    fund = care_fund(cast.commune_a1, balance=2_000_000)
    person = OlderPersonFactory(commune=cast.commune_a1)
    support = services.support_pay(
        person=person,
        fund=fund,
        amount=500_000,
        date=TODAY,
        purpose="sick_visit",
        note="Nằm viện",
        by=cast.commune,
    )
    entry = support.entry
    assert (entry.amount, entry.direction, entry.fund_id) == (500_000, "out", fund.pk)
    assert entry.payer == person.full_name and person.full_name not in entry.note
    fund.refresh_from_db()
    assert fund.balance == 1_500_000


def test_support_above_the_maximum_is_refused(cast):
    fund = care_fund(cast.commune_a1, balance=200_000_000)
    person = OlderPersonFactory(commune=cast.commune_a1)
    with pytest.raises(services.EldersError) as exc:
        services.support_pay(
            person=person,
            fund=fund,
            amount=services.MAX_SUPPORT_VND + 1,
            date=TODAY,
            purpose="hardship",
            by=cast.commune,
        )
    assert "amount" in exc.value.message_dict


def test_funeral_support_after_death_only_funeral(cast):
    fund = care_fund(cast.commune_a1, balance=5_000_000)
    person = OlderPersonFactory(commune=cast.commune_a1, died_on=TODAY - datetime.timedelta(days=5))
    with pytest.raises(services.EldersError):
        services.support_pay(
            person=person,
            fund=fund,
            amount=300_000,
            date=TODAY,
            purpose="tet_gift",
            by=cast.commune,
        )
    services.support_pay(
        person=person, fund=fund, amount=1_000_000, date=TODAY, purpose="funeral", by=cast.commune
    )


def test_another_communes_fund_is_refused(cast):
    fund = care_fund(cast.commune_a2, balance=5_000_000)
    person = OlderPersonFactory(commune=cast.commune_a1)
    with pytest.raises(services.EldersError) as exc:
        services.support_pay(
            person=person,
            fund=fund,
            amount=300_000,
            date=TODAY,
            purpose="hardship",
            by=cast.province,
        )
    assert "fund" in exc.value.message_dict


def test_a_locked_month_refuses_the_payment(cast):
    fund = funds_services.fund_create(
        kind=Fund.Kind.CARE, name="Quỹ chăm sóc CLB", club=cast.club_a
    )
    day = D(2024, 5, 10)
    funds_services.entry_record(
        fund=fund,
        date=D(2024, 4, 1),
        amount=1_000_000,
        direction="in",
        category="donation",
        by=None,
    )
    MonthlyReportFactory(club=cast.club_a, year=2024, month=5, status="approved")
    person = OlderPersonFactory(commune=cast.commune_a1)
    with pytest.raises(services.EldersError) as exc:
        services.support_pay(
            person=person, fund=fund, amount=300_000, date=day, purpose="hardship", by=cast.commune
        )
    assert "date" in exc.value.message_dict
    assert not CareSupport.objects.exists()


# --- A beneficiary list --------------------------------------------------------------------


def list_post(cast, fund, **extra):
    return {
        "commune": cast.commune_a1.pk,
        "poor": "on",
        "alone": "on",
        "exclude_given": "on",
        "purpose": "tet_gift",
        "fund": fund.pk,
        "amount": "300.000",
        "date": TODAY.strftime("%d/%m/%Y"),
        **extra,
    }


def test_beneficiary_list_previews_then_pays_one_entry_each(cast, login):
    from django.urls import reverse

    fund = care_fund(cast.commune_a1, balance=5_000_000)
    poor = OlderPersonFactory(
        commune=cast.commune_a1, full_name="Lò Thị Nghèo", household_status="poor"
    )
    alone = OlderPersonFactory(commune=cast.commune_a1, full_name="Tòng Văn Một", living="alone")
    OlderPersonFactory(
        commune=cast.commune_a1, full_name="Cầm Văn Khá", household_status="not_poor"
    )
    OlderPersonFactory(
        commune=cast.commune_a1, full_name="Vi Thị Mất", living="alone", died_on=D(YEAR, 1, 1)
    )
    client = login(cast.commune)
    url = reverse("elders:support_list")
    assert client.get(url).status_code == 200
    response = client.post(url, list_post(cast, fund))
    page = response.content.decode()
    assert "Lò Thị Nghèo" in page and "Tòng Văn Một" in page
    assert "Cầm Văn Khá" not in page and "Vi Thị Mất" not in page
    assert "600.000 ₫" in page and not CareSupport.objects.exists()
    ids = [str(poor.pk), str(alone.pk)]
    response = client.post(url, {**list_post(cast, fund), "confirmed": "1", "person": ids})
    assert response.status_code == 302
    assert CareSupport.objects.count() == 2
    fund.refresh_from_db()
    assert fund.balance == 4_400_000
    # Already given this year: off the next list.
    page = client.post(url, list_post(cast, fund)).content.decode()
    assert "Lò Thị Nghèo" not in page


def test_beneficiary_list_bigger_than_the_fund_pays_nobody(cast):
    fund = care_fund(cast.commune_a1, balance=500_000)
    people = [OlderPersonFactory(commune=cast.commune_a1) for _ in range(3)]
    with pytest.raises(services.EldersError) as exc:
        services.support_pay_list(
            persons=people,
            fund=fund,
            amount=300_000,
            date=TODAY,
            purpose="tet_gift",
            by=cast.commune,
        )
    assert "900.000" in " ".join(exc.value.message_dict["amount"])
    assert not CareSupport.objects.exists()


def test_the_same_person_twice_is_refused(cast):
    fund = care_fund(cast.commune_a1, balance=5_000_000)
    person = OlderPersonFactory(commune=cast.commune_a1)
    with pytest.raises(services.EldersError) as exc:
        services.support_pay_list(
            persons=[person, person],
            fund=fund,
            amount=300_000,
            date=TODAY,
            purpose="tet_gift",
            by=cast.commune,
        )
    assert "persons" in exc.value.message_dict
    assert not CareSupport.objects.exists()


def test_beneficiary_list_for_viewer_and_leader_is_403(cast, login):
    from django.urls import reverse

    fund = care_fund(cast.commune_a1, balance=5_000_000)
    for user in (cast.viewer, cast.leader):
        response = login(user).post(reverse("elders:support_list"), list_post(cast, fund))
        assert response.status_code == 403
