"""Every page of the register: what staff see and do, 404 from another commune or province,
403 for a viewer writing (and a leader writing), no names for viewers, fixed query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from elders.models import CareSupport, LongevityCelebration, OlderPerson
from tests.factories import MemberFactory
from tests.factories_elders import OlderPersonFactory, care_fund
from tests.factories_month import vi

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def people(cast):
    member = MemberFactory(club=cast.club_a, full_name="Lò Thị Liên", birth_year=YEAR - 75)
    return {
        "mine": OlderPersonFactory(
            commune=cast.commune_a1, full_name="Hoàng Văn Thọ", birth_year=YEAR - 80
        ),
        "linked": OlderPersonFactory(
            commune=cast.commune_a1, full_name="Lò Thị Liên", birth_year=YEAR - 75, member=member
        ),
        "a2": OlderPersonFactory(
            commune=cast.commune_a2, full_name="Quàng Văn Hai", birth_year=YEAR - 90
        ),
        "b1": OlderPersonFactory(
            commune=cast.commune_b1, full_name="Điêu Thị Bê", birth_year=YEAR - 70
        ),
    }


def person_urls(pk):
    return [
        reverse("elders:person_detail", args=[pk]),
        reverse("elders:person_edit", args=[pk]),
        reverse("elders:person_move", args=[pk]),
        reverse("elders:person_link", args=[pk]),
        reverse("elders:celebration_create", args=[pk]),
        reverse("elders:support_create", args=[pk]),
    ]


def test_register_list_shows_the_communes_people(cast, people, login):
    page = login(cast.commune).get(reverse("elders:register_list")).content.decode()
    assert "Hoàng Văn Thọ" in page and "Lò Thị Liên" in page
    assert "Quàng Văn Hai" not in page and "Điêu Thị Bê" not in page


def test_province_sees_its_province(cast, people, login):
    page = login(cast.province).get(reverse("elders:register_list")).content.decode()
    assert "Quàng Văn Hai" in page and "Điêu Thị Bê" not in page


def test_accent_free_search_and_filters(cast, people, login):
    client = login(cast.commune)
    page = client.get(reverse("elders:register_list"), {"q": "hoang van"}).content.decode()
    assert "Hoàng Văn Thọ" in page and "Lò Thị Liên" not in page
    page = client.get(reverse("elders:register_list"), {"age": "80"}).content.decode()
    assert "Hoàng Văn Thọ" in page and "Lò Thị Liên" not in page
    page = client.get(reverse("elders:register_list"), {"check": "turns75"}).content.decode()
    assert "Lò Thị Liên" in page and "Hoàng Văn Thọ" not in page


def test_deceased_filter(cast, people, login):
    OlderPersonFactory(
        commune=cast.commune_a1, full_name="Vi Văn Mất", died_on=TODAY - datetime.timedelta(days=3)
    )
    client = login(cast.commune)
    assert "Vi Văn Mất" not in client.get(reverse("elders:register_list")).content.decode()
    page = client.get(reverse("elders:register_list"), {"state": "deceased"}).content.decode()
    assert "Vi Văn Mất" in page and "Hoàng Văn Thọ" not in page


def test_list_query_count_does_not_grow(cast, people, login, django_assert_max_num_queries):
    client = login(cast.province)
    client.get(reverse("elders:register_list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("elders:register_list"))
    for i in range(30):
        OlderPersonFactory(
            commune=cast.commune_a1 if i % 2 else cast.commune_a2,
            member=MemberFactory(club=cast.club_a, birth_year=1950) if i % 3 == 0 else None,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("elders:register_list"))
    assert response.context["page_obj"].paginator.count == 33


def test_celebration_list_query_count(cast, people, login, django_assert_max_num_queries):
    client = login(cast.commune)
    page = client.get(reverse("elders:celebration_list")).content.decode()
    assert "Hoàng Văn Thọ" in page and "Lò Thị Liên" in page
    for _ in range(20):
        OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 85)
    with django_assert_max_num_queries(12):
        client.get(reverse("elders:celebration_list"))


def test_person_page_shows_support_and_celebrations(cast, people, login):
    from elders import services

    fund = care_fund(cast.commune_a1, balance=3_000_000)
    person = people["mine"]
    services.celebration_record(
        person=person,
        year=YEAR,
        occasion="jun6",
        held_on=TODAY,
        given_by="association",
        gift="Áo",
        gift_value=200_000,
        fund=fund,
        by=cast.commune,
    )
    services.support_pay(
        person=person, fund=fund, amount=400_000, date=TODAY, purpose="sick_visit", by=cast.commune
    )
    page = (
        login(cast.commune).get(reverse("elders:person_detail", args=[person.pk])).content.decode()
    )
    assert "Hoàng Văn Thọ" in page
    assert "400.000 ₫" in page and "200.000 ₫" in page
    assert vi("Sick visit") in page


@pytest.mark.parametrize("who", ["commune", "province"])
def test_every_person_page_opens_for_staff(cast, people, login, who):
    client = login(getattr(cast, who))
    for url in person_urls(people["mine"].pk):
        assert client.get(url).status_code == 200, url


def test_another_commune_gets_404(cast, people, login):
    client = login(cast.commune)
    for url in person_urls(people["a2"].pk) + person_urls(people["b1"].pk):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in (404, 405), url
    assert (
        client.post(reverse("elders:consent_withdraw", args=[people["a2"].pk])).status_code == 404
    )


def test_another_province_gets_404(cast, people, login):
    client = login(cast.province)
    for url in person_urls(people["b1"].pk):
        assert client.get(url).status_code == 404, url
    fund = care_fund(cast.commune_b1)
    assert client.get(reverse("elders:fund_supports", args=[fund.pk])).status_code == 404


def test_viewer_writing_gets_403(cast, people, login):
    client = login(cast.viewer)
    pk = people["mine"].pk
    for url in [*person_urls(pk)[1:], reverse("elders:consent_withdraw", args=[pk])]:
        assert client.post(url, {"full_name": "X"}).status_code == 403, url
    assert client.post(reverse("elders:person_create"), {}).status_code == 403
    assert client.post(reverse("elders:import_upload"), {}).status_code == 403
    assert OlderPerson.objects.filter(full_name="X").count() == 0


def test_viewer_never_sees_names(cast, people, login):
    client = login(cast.viewer)
    urls = [
        reverse("elders:register_list"),
        reverse("elders:register_export"),
        reverse("elders:celebration_list"),
        reverse("elders:fund_list"),
        reverse("elders:person_detail", args=[people["mine"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Hoàng Văn Thọ" not in response.content.decode()


def test_leader_reads_linked_people_only_and_writes_nothing(cast, people, login):
    client = login(cast.leader)
    page = client.get(reverse("elders:register_list")).content.decode()
    assert "Lò Thị Liên" in page and "Hoàng Văn Thọ" not in page
    assert (
        client.get(reverse("elders:person_detail", args=[people["linked"].pk])).status_code == 200
    )
    assert client.get(reverse("elders:person_detail", args=[people["mine"].pk])).status_code == 404
    assert client.get(reverse("elders:person_edit", args=[people["linked"].pk])).status_code == 403
    assert client.get(reverse("elders:person_create")).status_code == 403


def test_create_with_bad_input_shows_vietnamese_beside_the_field(cast, login):
    client = login(cast.commune)
    response = client.post(
        reverse("elders:person_create"),
        {
            "commune": cast.commune_a1.pk,
            "full_name": "Lò Văn Mai",
            "sex": "M",
            "birth_date": "01/01/2090",
            "died_on": "",
            "living": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]
    assert not OlderPerson.objects.exists()
    response = client.post(
        reverse("elders:person_create"),
        {
            "commune": cast.commune_a1.pk,
            "full_name": "Lò Văn Mai",
            "sex": "M",
            "birth_year": "1950",
            "died_on": "01/01/1940",
        },
    )
    assert (
        vi("The date of death cannot be before the date of birth.")
        in response.context["form"].errors["died_on"]
    )
    response = client.post(
        reverse("elders:person_create"),
        {
            "commune": cast.commune_a1.pk,
            "full_name": "Lò Văn Mai",
            "sex": "M",
            "birth_year": "1950",
            "insurance_number": "0123456789",
            "insurance_expiry": "01/01/2099",
            "consent_given": "on",
            "legal_basis": "consent",
            "consent_on": TODAY.strftime("%d/%m/%Y"),
            "consent_method": "paper",
        },
    )
    assert response.context["form"].errors["insurance_expiry"]
    response = client.post(
        reverse("elders:person_create"),
        {
            "commune": cast.commune_a1.pk,
            "full_name": "Lò Văn Mai",
            "sex": "M",
            "birth_year": "1950",
            "ethnicity": "Thái",
        },
    )
    assert response.context["form"].errors["consent_given"]
    assert not OlderPerson.objects.exists()


def test_create_and_edit(cast, login):
    client = login(cast.commune)
    response = client.post(
        reverse("elders:person_create"),
        {
            "commune": cast.commune_a1.pk,
            "full_name": "Lò Văn Mai",
            "sex": "M",
            "birth_year": "1950",
            "phone": "0912 345 678",
            "living": "alone",
            "support": "none",
        },
    )
    person = OlderPerson.objects.get()
    assert response.url == reverse("elders:person_detail", args=[person.pk])
    assert person.phone == "0912345678" and person.living == "alone"
    response = client.post(
        reverse("elders:person_edit", args=[person.pk]),
        {
            "full_name": "Lò Văn Mai",
            "sex": "M",
            "birth_year": "1950",
            "support": "social_pension",
        },
    )
    person.refresh_from_db()
    assert person.support == "social_pension"


def test_celebration_form_refuses_gift_above_maximum(cast, people, login):
    fund = care_fund(cast.commune_a1, balance=50_000_000)
    response = login(cast.commune).post(
        reverse("elders:celebration_create", args=[people["mine"].pk]),
        {
            "year": YEAR,
            "occasion": "jun6",
            "held_on": TODAY.strftime("%d/%m/%Y"),
            "given_by": "association",
            "gift_value": "20.000.000",
            "fund": fund.pk,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["gift_value"]
    assert not LongevityCelebration.objects.exists()


def test_support_form_without_the_money(cast, people, login):
    fund = care_fund(cast.commune_a1, balance=100_000)
    response = login(cast.commune).post(
        reverse("elders:support_create", args=[people["mine"].pk]),
        {
            "fund": fund.pk,
            "purpose": "hardship",
            "date": TODAY.strftime("%d/%m/%Y"),
            "amount": "500.000",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "100.000" in str(errors)
    assert not CareSupport.objects.exists()


def test_support_form_pays(cast, people, login):
    fund = care_fund(cast.commune_a1, balance=1_000_000)
    client = login(cast.commune)
    response = client.post(
        reverse("elders:support_create", args=[people["mine"].pk]),
        {
            "fund": fund.pk,
            "purpose": "tet_gift",
            "date": TODAY.strftime("%d/%m/%Y"),
            "amount": "300.000",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("elders:fund_supports", args=[fund.pk])).content.decode()
    assert "Hoàng Văn Thọ" in page and "300.000 ₫" in page


def test_move_and_link_pages(cast, people, login):
    client = login(cast.province)
    member = MemberFactory(club=cast.club_a, full_name="Lò Văn Nối", birth_year=1950)
    response = client.post(
        reverse("elders:person_link", args=[people["mine"].pk]), {"member": member.pk}
    )
    assert response.status_code == 302
    people["mine"].refresh_from_db()
    assert people["mine"].full_name == "Lò Văn Nối"
    response = client.post(
        reverse("elders:person_move", args=[people["mine"].pk]),
        {"to_commune": cast.commune_a2.pk, "on": TODAY.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    people["mine"].refresh_from_db()
    assert people["mine"].commune == cast.commune_a2


def test_greeting_cards_pdf(cast, people, login, monkeypatch):
    from reportlab.pdfgen.canvas import Canvas

    from elders import services

    drawn: list[str] = []
    original = Canvas.drawCentredString

    def spy(self, x, y, text, *args, **kwargs):
        drawn.append(str(text))
        return original(self, x, y, text, *args, **kwargs)

    monkeypatch.setattr(Canvas, "drawCentredString", spy)
    services.celebration_record(
        person=people["mine"],
        year=YEAR,
        occasion="jun6",
        held_on=TODAY,
        given_by="association",
        by=cast.commune,
    )
    client = login(cast.commune)
    response = client.get(reverse("elders:celebration_cards"), {"year": YEAR})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Hoàng Văn Thọ" in drawn
    url = reverse("elders:celebration_cards")
    assert client.get(url, {"year": YEAR, "person": people["a2"].pk}).status_code == 404
    assert login(cast.viewer).get(url, {"year": YEAR}).status_code == 403


def test_celebration_form_follows_the_list_year_and_the_law(cast, people, login):
    person = OlderPersonFactory(commune=cast.commune_a1, birth_year=YEAR - 89)
    url = reverse("elders:celebration_create", args=[person.pk])
    form = login(cast.commune).get(url, {"year": YEAR + 1}).context["form"]
    assert form["year"].value() == YEAR + 1
    assert form["given_by"].value() == "province"  # 90 next year
    page = login(cast.commune).get(reverse("elders:celebration_list"), {"year": YEAR + 1})
    assert f"{url}?year={YEAR + 1}" in page.content.decode()
