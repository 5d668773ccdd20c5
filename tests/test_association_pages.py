"""Every page of the association app: it opens for the people it is for and shows what they
would look for, another province or commune gets 404, a viewer writing gets 403 and sees no
names, lists answer in a fixed number of queries."""

import pytest
from django.urls import reverse

from association.models import AssociationUnit, MembershipReturn
from tests.factories import CommuneFactory
from tests.factories_association import ReturnFactory, UnitAssessment, UnitFactory, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(cast):
    return World(cast)


def pages_a(w):
    """(url, text the page shows) of province A's objects."""
    return [
        (reverse("association:units"), w.unit_a1.name),
        (reverse("association:unit", args=[w.unit_a1.pk]), "Chi hội Bản Mới"),
        (reverse("association:unit_history", args=[w.unit_a1.pk]), w.unit_a1.name),
        (reverse("association:term", args=[w.term_a1.pk]), "Lò Văn Chủ Tịch"),
        (reverse("association:return", args=[w.unit_a1.pk, 2025]), "900"),
        (reverse("association:returns") + "?year=2025", w.unit_a1.name),
        (reverse("association:rounds"), w.round_a.title),
        (reverse("association:round", args=[w.round_a.pk]), "Phát triển hội viên"),
        (reverse("association:assessment", args=[w.ua_a1.pk]), "Tổ chức và ban chấp hành"),
        (reverse("association:plans"), w.plan_a.title),
        (reverse("association:plan", args=[w.plan_a.pk]), "Xã A Một"),
        (reverse("association:founding", args=[w.founding_a1.pk]), w.founding_a1.name),
    ]


# The pages of one object of province A, and of the same kind in province B.
def object_pages(w):
    return [
        ("association:unit", w.unit_a1.pk, w.unit_b1.pk),
        ("association:unit_history", w.unit_a1.pk, w.unit_b1.pk),
        ("association:term", w.term_a1.pk, w.term_b1.pk),
        ("association:round", w.round_a.pk, w.round_b.pk),
        ("association:round_export", w.round_a.pk, w.round_b.pk),
        ("association:assessment", w.ua_a1.pk, w.ua_b1.pk),
        ("association:plan", w.plan_a.pk, w.plan_b.pk),
        ("association:plan_export", w.plan_a.pk, w.plan_b.pk),
        ("association:founding", w.founding_a1.pk, w.founding_b1.pk),
        ("association:unit_edit", w.unit_a1.pk, w.unit_b1.pk),
        ("association:branch_create", w.unit_a1.pk, w.unit_b1.pk),
        ("association:branch_edit", w.branch_a1.pk, w.branch_b1.pk),
        ("association:term_create", w.unit_a1.pk, w.unit_b1.pk),
        ("association:term_edit", w.term_a1.pk, w.term_b1.pk),
        ("association:seat_create", w.term_a1.pk, w.term_b1.pk),
        ("association:seat_edit", w.seat_a1.pk, w.seat_b1.pk),
        ("association:round_edit", w.round_a.pk, w.round_b.pk),
        ("association:criterion_create", w.round_a.pk, w.round_b.pk),
        ("association:plan_edit", w.plan_a.pk, w.plan_b.pk),
        ("association:target_create", w.plan_a.pk, w.plan_b.pk),
        ("association:founding_create", w.plan_a.pk, w.plan_b.pk),
    ]


def test_every_page_opens_for_the_province_and_shows_its_content(cast, login, w):
    client = login(cast.province)
    for url, text in pages_a(w):
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_commune_staff_see_their_unit_and_their_provinces_round_and_plan(cast, login, w):
    client = login(cast.commune)
    for url, _text in pages_a(w):
        response = client.get(url)
        assert response.status_code == 200, url
    units = client.get(reverse("association:units")).content.decode()
    assert w.unit_a1.name in units
    assert w.unit_a2.name not in units  # another commune of the province
    assert client.get(reverse("association:unit", args=[w.unit_a2.pk])).status_code == 404
    assert client.get(reverse("association:assessment", args=[w.ua_a2.pk])).status_code == 404


def test_form_pages_open_for_staff(cast, login, w):
    client = login(cast.province)
    for name, pk_a, _pk_b in object_pages(w):
        assert client.get(reverse(name, args=[pk_a])).status_code == 200, name
    for name in ("association:unit_create", "association:round_create", "association:plan_create"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("association:criterion_edit", args=[w.c1.pk])).status_code == 200
    assert client.get(reverse("association:target_edit", args=[w.target_a1.pk])).status_code == 200


def test_another_province_gets_404_on_every_object_page(cast, login, w):
    client = login(cast.province)
    for name, _pk_a, pk_b in object_pages(w):
        assert client.get(reverse(name, args=[pk_b])).status_code == 404, name
    assert client.get(reverse("association:return", args=[w.unit_b1.pk, 2025])).status_code == 404
    for name, pk in [
        ("association:criterion_edit", w.round_b.pk),
        ("association:target_edit", w.plan_b.pk),
    ]:
        assert client.get(reverse(name, args=[pk + 10_000])).status_code == 404


def test_another_communes_leader_gets_404(cast, login, w):
    client = login(cast.leader2)  # club B's leader: commune B1, province B
    for name, pk_a, _pk_b in object_pages(w):
        assert client.get(reverse(name, args=[pk_a])).status_code == 404, name
    assert client.get(reverse("association:return", args=[w.unit_a1.pk, 2025])).status_code == 404


def test_a_leader_reads_their_commune_unit_and_may_not_write(cast, login, w):
    client = login(cast.leader)  # club A in commune A1
    response = client.get(reverse("association:unit", args=[w.unit_a1.pk]))
    assert response.status_code == 200
    assert "Lò Văn Chủ Tịch" in response.content.decode()
    assert client.get(reverse("association:unit", args=[w.unit_a2.pk])).status_code == 404
    assert client.get(reverse("association:unit_edit", args=[w.unit_a1.pk])).status_code == 403
    response = client.post(
        reverse("association:branch_create", args=[w.unit_a1.pk]), {"name": "Chi hội mới"}
    )
    assert response.status_code == 403


WRITES = [
    ("association:unit_edit", "unit_a1", {"name": "Đổi tên"}),
    ("association:branch_create", "unit_a1", {"name": "Chi hội X"}),
    ("association:branch_edit", "branch_a1", {"name": "Chi hội Y"}),
    ("association:branch_delete", "branch_a1", {"confirmed": "1"}),
    ("association:term_create", "unit_a1", {"name": "K"}),
    ("association:term_edit", "term_a1", {"name": "K"}),
    ("association:seat_create", "term_a1", {"full_name": "A"}),
    ("association:seat_edit", "seat_a1", {"full_name": "A"}),
    ("association:seat_delete", "seat_a1", {"confirmed": "1"}),
    ("association:return_submit", "return_a1", {"confirmed": "1"}),
    ("association:return_review", "return_a1", {"accept": "1"}),
    ("association:round_edit", "round_a", {"title": "X"}),
    ("association:round_publish", "round_a", {"confirmed": "1"}),
    ("association:criterion_create", "round_a", {"name": "X"}),
    ("association:criterion_edit", "c1", {"name": "X"}),
    ("association:criterion_delete", "c1", {"confirmed": "1"}),
    ("association:assessment_scores", "ua_a1", {}),
    ("association:assessment_evidence", "ua_a1", {}),
    ("association:assessment_submit", "ua_a1", {"confirmed": "1"}),
    ("association:assessment_review", "ua_a1", {}),
    ("association:assessment_return", "ua_a1", {"reason": "x"}),
    ("association:plan_edit", "plan_a", {"title": "X"}),
    ("association:target_create", "plan_a", {"planned": "3"}),
    ("association:target_edit", "target_a1", {"planned": "3"}),
    ("association:target_delete", "target_a1", {"confirmed": "1"}),
    ("association:founding_create", "plan_a", {"name": "X"}),
    ("association:founding", "founding_a1", {"responsible": "X"}),
]


@pytest.mark.parametrize(("name", "attr", "data"), WRITES)
def test_a_viewer_writing_gets_403_and_nothing_changes(cast, login, w, name, attr, data):
    client = login(cast.viewer)  # read-only, province A
    before = AssociationUnit.objects.get(pk=w.unit_a1.pk).name
    response = client.post(reverse(name, args=[getattr(w, attr).pk]), data)
    assert response.status_code == 403
    assert AssociationUnit.objects.get(pk=w.unit_a1.pk).name == before


@pytest.mark.parametrize(("name", "attr", "data"), WRITES)
def test_another_province_writing_gets_404(cast, login, w, name, attr, data):
    client = login(cast.leader2)
    assert client.post(reverse(name, args=[getattr(w, attr).pk]), data).status_code == 404


def test_provincial_acts_are_refused_to_commune_staff(cast, login, w):
    client = login(cast.commune)
    assert client.get(reverse("association:round_edit", args=[w.round_a.pk])).status_code == 403
    assert client.get(reverse("association:plan_edit", args=[w.plan_a.pk])).status_code == 403
    assert client.get(reverse("association:unit_create")).status_code == 403
    response = client.post(reverse("association:return_review", args=[w.return_a1.pk]))
    assert response.status_code == 403


def test_a_viewer_sees_figures_but_no_names(cast, login, w):
    client = login(cast.viewer)
    unit_page = client.get(reverse("association:unit", args=[w.unit_a1.pk]))
    assert unit_page.status_code == 200
    text = unit_page.content.decode()
    assert "Lò Văn Chủ Tịch" not in text
    assert "1 thành viên ban chấp hành" in text
    assert client.get(reverse("association:term", args=[w.term_a1.pk])).status_code == 403
    returns = client.get(reverse("association:returns") + "?year=2025").content.decode()
    assert "900" in returns
    founding = client.get(reverse("association:founding", args=[w.founding_a1.pk]))
    assert founding.status_code == 200


def test_the_unit_list_answers_in_a_fixed_number_of_queries(
    cast, login, w, django_assert_max_num_queries
):
    client = login(cast.province)
    client.get(reverse("association:units"))  # session and user cached
    for i in range(30):
        commune = CommuneFactory(parent=cast.province_a, name=f"Xã Thêm {i}")
        unit = UnitFactory(area=commune)
        ReturnFactory(unit=unit, year=2025)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("association:units"))
    assert response.status_code == 200
    assert "Xã Thêm" in response.content.decode()


def test_the_returns_and_round_pages_answer_in_fixed_queries(
    cast, login, w, django_assert_max_num_queries
):
    client = login(cast.province)
    for i in range(20):
        commune = CommuneFactory(parent=cast.province_a, name=f"Xã Mới {i}")
        unit = UnitFactory(area=commune)
        ReturnFactory(unit=unit, year=2025)
        UnitAssessment.objects.create(round=w.round_a, unit=unit)
    client.get(reverse("association:units"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("association:returns") + "?year=2025").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("association:round", args=[w.round_a.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("association:plan", args=[w.plan_a.pk])).status_code == 200


def test_the_missing_returns_are_listed(cast, login, w):
    client = login(cast.province)
    text = client.get(reverse("association:returns") + "?year=2025").content.decode()
    missing = text.split('id="missing"')[1]
    assert w.unit_a2.name in missing
    assert w.unit_a1.name not in missing
    assert w.unit_b1.name not in text


def test_exports_are_workbooks_with_safe_cells(cast, login, w):
    import io

    from openpyxl import load_workbook

    w.unit_a1.name = "=HYPERLINK(1)"
    w.unit_a1.save()
    client = login(cast.province)
    response = client.get(reverse("association:round_export", args=[w.round_a.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert "'=HYPERLINK(1)" in names
    response = client.get(reverse("association:plan_export", args=[w.plan_a.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["Xã A Một"][-2] == 2  # planned in 2025


def test_a_viewer_sees_small_age_groups_of_a_return_suppressed(cast, login, w):
    w.return_a1.women_100 = 2
    w.return_a1.status = MembershipReturn.Status.SUBMITTED  # read-only for everyone
    w.return_a1.save()
    url = reverse("association:return", args=[w.unit_a1.pk, 2025])
    viewer = login(cast.viewer).get(url).content.decode()
    assert "&lt; 5" in viewer
    staff = login(cast.province).get(url).content.decode()
    assert "&lt; 5" not in staff
    assert '<td class="text-end">2</td>' in staff


def test_the_round_and_plan_lists_answer_in_fixed_queries(
    cast, login, w, django_assert_max_num_queries
):
    from tests.factories_association import PlanFactory, RoundFactory

    for year in range(2010, 2024):
        RoundFactory(province=cast.province_a, year=year)
        PlanFactory(province=cast.province_a, start_year=year, end_year=year + 5)
    client = login(cast.province)
    client.get(reverse("association:units"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("association:rounds")).content.decode()
    assert "Xếp loại Hội cơ sở 2010" in page
    with django_assert_max_num_queries(8):
        assert client.get(reverse("association:plans")).status_code == 200
    with django_assert_max_num_queries(10):
        assert (
            client.get(reverse("association:unit_history", args=[w.unit_a1.pk])).status_code == 200
        )
