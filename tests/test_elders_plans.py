"""Receipts into a care fund (source and donor) and the care-fund plans of the communes rolled
up to the province, with progress counted from the care funds' ledger."""

import pytest
from django.urls import reverse
from django.utils import timezone

from elders import services
from elders.models import CareFundPlan, CareReceipt, CareSupport
from funds.models import LedgerEntry
from tests.factories_elders import CareFundPlanFactory, OlderPersonFactory, care_fund

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


def receive(fund, by, **kw):
    args = {
        "fund": fund,
        "date": TODAY,
        "amount": 2_000_000,
        "source": "businesses",
        "donor": "Công ty Chè Tam Đường",
        "note": "",
        "by": by,
    }
    return services.receipt_record(**{**args, **kw})


def receipt_post(**kw):
    return {
        "source": "individuals",
        "donor": "Ông Lò Văn Hặc",
        "date": TODAY.strftime("%d/%m/%Y"),
        "amount": "1.500.000",
        "note": "",
        **kw,
    }


def plan_post(area, **kw):
    data = {"area": area.pk, "year": YEAR, "note": ""}
    data.update({f: "0" for f in ("target_members", "target_businesses", "target_individuals")})
    data.update({f: "0" for f in ("target_budget", "target_other", "spend_sick_visit")})
    data.update({f: "0" for f in ("spend_funeral", "spend_celebration", "spend_tet_gift")})
    data.update({"spend_hardship": "0", "spend_other": "0"})
    data.update(kw)
    return data


# --- Receipts --------------------------------------------------------------------------------


def test_receipt_writes_an_inflow_with_source_and_donor(cast):
    fund = care_fund(cast.commune_a1)
    r = receive(fund, cast.commune)
    assert r.entry.direction == LedgerEntry.Direction.IN
    assert r.entry.category == LedgerEntry.Category.DONATION
    assert r.entry.payer == "Công ty Chè Tam Đường"
    assert r.area == cast.commune_a1
    fund.refresh_from_db()
    assert fund.balance == 2_000_000
    assert receive(fund, cast.commune, source="budget").entry.category == "government"
    assert receive(fund, cast.commune, source="other").entry.category == "other"


def test_receipt_refused_without_donor_writes_nothing(cast):
    fund = care_fund(cast.commune_a1)
    with pytest.raises(services.EldersError) as exc:
        receive(fund, cast.commune, donor="  ")
    assert "donor" in exc.value.message_dict
    assert not LedgerEntry.objects.filter(fund=fund).exists()


def test_receipt_page_and_fund_page(cast, login):
    fund = care_fund(cast.commune_a1)
    client = login(cast.commune)
    url = reverse("elders:receipt_create", args=[fund.pk])
    assert client.get(url).status_code == 200
    resp = client.post(url, receipt_post())
    assert resp.status_code == 302
    r = CareReceipt.objects.get()
    assert (r.source, r.donor, r.entry.amount) == ("individuals", "Ông Lò Văn Hặc", 1_500_000)
    page = client.get(reverse("elders:fund_supports", args=[fund.pk])).content.decode()
    assert "Ông Lò Văn Hặc" in page and "Cá nhân" in page


def test_receipt_bad_input_in_vietnamese_nothing_saved(cast, login):
    fund = care_fund(cast.commune_a1)
    client = login(cast.commune)
    url = reverse("elders:receipt_create", args=[fund.pk])
    resp = client.post(url, receipt_post(amount="-5000", donor=""))
    assert resp.status_code == 200
    form = resp.context["form"]
    assert "amount" in form.errors and "donor" in form.errors
    assert not CareReceipt.objects.exists()
    assert not LedgerEntry.objects.filter(fund=fund).exists()


def test_receipt_outsider_404_viewer_403(cast, login):
    fund_b = care_fund(cast.commune_b1)
    url = reverse("elders:receipt_create", args=[fund_b.pk])
    assert login(cast.commune).post(url, receipt_post()).status_code == 404
    fund_a2 = care_fund(cast.commune_a2)
    url = reverse("elders:receipt_create", args=[fund_a2.pk])
    assert login(cast.commune).get(url).status_code == 404
    assert login(cast.viewer).post(url, receipt_post()).status_code == 403
    assert not CareReceipt.objects.exists()


def test_donor_is_personal_data():
    from accounts import privacy

    assert privacy.PERSONAL_FIELDS["elders.CareReceipt"]["donor"] == privacy.IDENTITY


# --- Plans -----------------------------------------------------------------------------------


def test_plan_create_and_edit(cast, login):
    client = login(cast.commune)
    resp = client.post(
        reverse("elders:plan_create"),
        plan_post(cast.commune_a1, target_members="12.000.000", spend_tet_gift="5.000.000"),
    )
    assert resp.status_code == 302
    plan = CareFundPlan.objects.get()
    assert (plan.area, plan.year, plan.target_members) == (cast.commune_a1, YEAR, 12_000_000)
    assert plan.spend_tet_gift == 5_000_000 and plan.target_budget == 0
    url = reverse("elders:plan_edit", args=[plan.pk])
    assert client.get(url).status_code == 200
    resp = client.post(url, plan_post(cast.commune_a1, target_members="15.000.000"))
    assert resp.status_code == 302
    plan.refresh_from_db()
    assert plan.target_members == 15_000_000


def test_plan_negative_target_refused(cast, login):
    resp = login(cast.commune).post(
        reverse("elders:plan_create"), plan_post(cast.commune_a1, target_budget="-1000")
    )
    assert resp.status_code == 200
    assert resp.context["form"].errors["target_budget"] == ["Số tiền không được âm."]
    assert not CareFundPlan.objects.exists()


def test_plan_duplicate_refused_beside_the_year(cast, login):
    CareFundPlanFactory(area=cast.commune_a1, year=YEAR)
    resp = login(cast.commune).post(reverse("elders:plan_create"), plan_post(cast.commune_a1))
    assert resp.status_code == 200
    assert resp.context["form"].errors["year"] == ["Hội này đã có kế hoạch cho năm này."]
    assert CareFundPlan.objects.count() == 1


def test_plan_duplicate_refused_by_the_service(cast):
    CareFundPlanFactory(area=cast.commune_a1, year=YEAR)
    with pytest.raises(services.EldersError):
        services.plan_save(plan=CareFundPlan(area=cast.commune_a1, year=YEAR), by=cast.commune)
    assert CareFundPlan.objects.count() == 1


def test_plan_other_commune_or_province_404(cast, login):
    other = CareFundPlanFactory(area=cast.commune_a2, year=YEAR)
    far = CareFundPlanFactory(area=cast.commune_b1, year=YEAR)
    client = login(cast.commune)
    assert client.get(reverse("elders:plan_edit", args=[other.pk])).status_code == 404
    assert login(cast.province).get(reverse("elders:plan_edit", args=[far.pk])).status_code == 404
    resp = login(cast.province).get(
        reverse("elders:plan_list"), {"province": cast.province_b.pk, "year": YEAR}
    )
    assert resp.status_code == 404
    # A commune the user does not work in is not a choice.
    resp = login(cast.commune).post(reverse("elders:plan_create"), plan_post(cast.commune_a2))
    assert resp.status_code == 200 and "area" in resp.context["form"].errors


def test_plan_viewer_writing_403(cast, login):
    plan = CareFundPlanFactory(area=cast.commune_a1, year=YEAR)
    client = login(cast.viewer)
    assert client.post(reverse("elders:plan_create"), plan_post(cast.commune_a1)).status_code == 403
    edit = reverse("elders:plan_edit", args=[plan.pk])
    assert client.post(edit, plan_post(cast.commune_a1)).status_code == 403
    assert client.get(reverse("elders:plan_list"), {"year": YEAR}).status_code == 200


def test_province_plan_sum_and_progress_equal_the_records(cast, login):
    a1 = CareFundPlanFactory(area=cast.commune_a1, year=YEAR, target_budget=3_000_000)
    a2 = CareFundPlanFactory(area=cast.commune_a2, year=YEAR, spend_funeral=1_000_000)
    own = CareFundPlanFactory(area=cast.province_a, year=YEAR, target_other=7_000_000)
    CareFundPlanFactory(area=cast.commune_b1, year=YEAR, target_members=99_000_000)
    CareFundPlanFactory(area=cast.commune_a1, year=YEAR - 1, target_members=55_000_000)
    fund = care_fund(cast.commune_a1, balance=1_000_000, day=TODAY)
    receive(fund, cast.commune, amount=2_000_000, source="businesses")
    receive(fund, cast.commune, amount=500_000, source="budget")
    receive(care_fund(cast.commune_b1), cast.admin, amount=9_000_000, source="businesses")
    person = OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 85)
    services.support_pay(
        person=person,
        fund=fund,
        amount=300_000,
        date=TODAY,
        purpose=CareSupport.Purpose.SICK_VISIT,
        by=cast.commune,
    )

    resp = login(cast.province).get(reverse("elders:plan_list"), {"year": YEAR})
    plan = resp.context["plan"]
    expected = sum(p.target_total for p in (a1, a2, own))
    assert plan.target_total == expected
    assert plan.spend_total == sum(p.spend_total for p in (a1, a2, own))
    assert plan.targets["target_businesses"] == 3 * 5_000_000
    assert plan.received == {"businesses": 2_000_000, "budget": 500_000}
    assert plan.spent == {"sick_visit": 300_000}
    rows = {r.area.pk: r for r in plan.rows}
    assert rows[cast.commune_a1.pk].received_total == 2_500_000
    assert rows[cast.commune_a2.pk].received_total == 0
    page = resp.content.decode()
    assert "Xã A Hai" in page and "Xã B Một" not in page
    from accounts.templatetags.ishc import thousands

    assert thousands(expected) in page


def test_a_reversed_receipt_counts_for_nothing(cast, login):
    from funds import services as funds_services

    fund = care_fund(cast.commune_a1)
    kept = receive(fund, cast.commune, amount=700_000, source="members")
    gone = receive(fund, cast.commune, amount=900_000, source="members")
    funds_services.entry_reverse(entry=gone.entry, by=cast.commune)
    resp = login(cast.commune).get(reverse("elders:plan_list"), {"year": YEAR})
    assert resp.context["plan"].received == {"members": kept.entry.amount}


def test_province_plan_fixed_queries(cast, login, django_assert_max_num_queries):
    client = login(cast.province)
    for area in (cast.commune_a1, cast.commune_a2, cast.province_a):
        CareFundPlanFactory(area=area, year=YEAR)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("elders:plan_list"), {"year": YEAR}).status_code == 200
    from tests.factories import CommuneFactory

    for i in range(5):
        CareFundPlanFactory(
            area=CommuneFactory(code=f"9109{i}", name=f"Xã A {i}", parent=cast.province_a),
            year=YEAR,
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("elders:plan_list"), {"year": YEAR}).status_code == 200


# --- Demo ------------------------------------------------------------------------------------


@pytest.mark.xdist_group("demo")
def test_demo_plans_roll_up_to_the_province_target_and_receipts_name_donors():
    import io

    from django.core.management import call_command
    from django.db.models import Sum

    from elders import demo as elders_demo
    from funds.models import FundPlan

    call_command("seed_demo", stdout=io.StringIO())
    target = FundPlan.objects.get(year=2024, fund__owner_area__level="province", fund__kind="care")
    province = target.fund.owner_area
    plans = CareFundPlan.objects.filter(year=2024)
    assert plans.filter(area__level="commune").count() >= 1
    assert plans.filter(area=province).exists()
    assert sum(p.target_total for p in plans) == target.target == 250_000_000
    assert CareReceipt.objects.exclude(donor="").count() >= len(elders_demo.RECEIPTS)
    received = CareReceipt.objects.aggregate(s=Sum("entry__amount"))["s"]
    before = (plans.count(), CareReceipt.objects.count())
    elders_demo.seed(io.StringIO())
    assert (plans.count(), CareReceipt.objects.count()) == before
    assert CareReceipt.objects.aggregate(s=Sum("entry__amount"))["s"] == received
