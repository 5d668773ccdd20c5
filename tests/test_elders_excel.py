"""The register in Excel: the template, an upload checked whole before anything is added
(all or nothing), and an export whose cells cannot run as formulas."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from elders import excel
from elders.models import OlderPerson, OlderPersonImport
from tests.factories_elders import OlderPersonFactory

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in excel.COLUMNS]


def xlsx(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("danh-sach.xlsx", buf.getvalue())


def row(name="Lò Văn Một", sex="Nam", year=1945, **extra):
    values = {"full_name": name, "sex": sex, "birth_year": year, "village": "Bản Mới", **extra}
    return [values.get(c.key) for c in excel.COLUMNS]


def upload(client, commune, rows, **kw):
    return client.post(
        reverse("elders:import_upload"), {"commune": commune.pk, "file": xlsx(rows, **kw)}
    )


def test_template_has_the_columns(cast, login):
    response = login(cast.commune).get(reverse("elders:import_template"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == HEADER


def test_a_good_file_is_previewed_then_added_whole(cast, login):
    client = login(cast.commune)
    response = upload(
        client,
        cast.commune_a1,
        [
            row(),
            row(
                "Hà Thị Hai",
                "Nữ",
                None,
                birth_date="03/04/1940",
                insurance_number="0123456789",
                insurance_expiry="31/12/2030",
                consent_on="01/02/2025",
                consent_method="Phiếu giấy",
                ethnicity="Thai",
            ),
        ],
    )
    job = OlderPersonImport.objects.get()
    assert response.url == reverse("elders:import_preview", args=[job.pk])
    assert job.problems == [] and not OlderPerson.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Hà Thị Hai" in page
    response = client.post(response.url)
    assert OlderPerson.objects.count() == 2
    person = OlderPerson.objects.get(full_name="Hà Thị Hai")
    assert person.ethnicity == "Thái" and person.consent_on is not None
    job.refresh_from_db()
    assert job.done and job.rows == []


def test_one_bad_row_adds_nobody(cast, login):
    client = login(cast.commune)
    upload(
        client,
        cast.commune_a1,
        [
            row(),
            row("Lò Văn Trẻ", year=2000),  # too young for the register
            row("Lò Văn Thẻ", insurance_number="123"),
            row("Lò Văn Dân", ethnicity="Thái"),  # sensitive without consent
            row(),  # the same person twice
        ],
    )
    job = OlderPersonImport.objects.get()
    text = " ".join(job.problems)
    assert "Dòng 3" in text and "Dòng 4" in text and "Dòng 5" in text and "Dòng 6" in text
    assert "Dòng 2:" not in text
    page = client.get(reverse("elders:import_preview", args=[job.pk])).content.decode()
    assert "Chưa thêm người nào" in page
    client.post(reverse("elders:import_preview", args=[job.pk]))
    assert not OlderPerson.objects.exists()


def test_a_person_already_on_the_register_is_a_problem(cast, login):
    OlderPersonFactory(commune=cast.commune_a1, full_name="Lò Văn Một", birth_year=1945)
    upload(login(cast.commune), cast.commune_a1, [row()])
    assert "Đã có trong danh sách" in OlderPersonImport.objects.get().problems[0]


def test_wrong_columns_refuse_the_file(cast, login):
    response = upload(login(cast.commune), cast.commune_a1, [["x"]], header=["Tên gì đó"])
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not OlderPersonImport.objects.exists()


def test_not_an_xlsx_is_refused(cast, login):
    response = login(cast.commune).post(
        reverse("elders:import_upload"),
        {"commune": cast.commune_a1.pk, "file": SimpleUploadedFile("a.xlsx", b"not a zip")},
    )
    assert response.context["form"].errors["file"]


def test_another_communes_import_is_404(cast, login):
    upload(login(cast.commune), cast.commune_a1, [row()])
    job = OlderPersonImport.objects.get()
    from django.test import Client

    other = Client()
    other.force_login(cast.leader2)
    assert other.get(reverse("elders:import_preview", args=[job.pk])).status_code == 404
    assert other.post(reverse("elders:import_preview", args=[job.pk])).status_code == 404


def test_upload_for_a_commune_outside_the_scope_is_refused(cast, login):
    response = upload(login(cast.commune), cast.commune_a2, [row()])
    assert response.context["form"].errors["commune"]


def test_export_is_formula_safe(cast, login):
    OlderPersonFactory(commune=cast.commune_a1, full_name='=HYPERLINK("http://x")', village="+cmd")
    OlderPersonFactory(commune=cast.commune_b1, full_name="Người Tỉnh Khác")
    response = login(cast.commune).get(reverse("elders:register_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for r in ws.iter_rows() for c in r if c.value is not None]
    assert '\'=HYPERLINK("http://x")' in values and "'+cmd" in values
    assert not any(isinstance(v, str) and v[:1] in "=+-@" for v in values)
    assert "Người Tỉnh Khác" not in values
