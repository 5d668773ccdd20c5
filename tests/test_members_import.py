"""Excel import (check, preview, all or none), the template, and the export."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from members import import_commit, imports, tasks
from members.excel import COLUMNS, safe_cell
from members.models import ImportJob, Member
from tests.factories import MemberFactory
from tests.factories_members import (
    member_row,
    xlsx,
)

pytestmark = pytest.mark.django_db


def upload(client, club, file):
    return client.post(reverse("members:import_upload", args=[club.pk]), {"file": file})


def assert_refused(response, message):
    """The upload page again, the Vietnamese message next to the file, nothing saved."""
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()
    assert not Member.objects.exists()


def problems_after_upload(client, club, rows):
    response = upload(client, club, xlsx(rows))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response.url)
    # The commit is refused while there are problems, and nothing is added.
    assert client.post(response.url).status_code == 302
    assert not Member.objects.filter(club=club).exclude(full_name="Nguyễn Thị Tư").exists()
    return job, page.content.decode()


def test_template_has_vietnamese_headers(cast, login):
    response = login(cast.leader).get(reverse("members:import_template"))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["Họ và tên", "Giới tính (Nam/Nữ)", "Ngày sinh (dd/mm/yyyy)"]
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_import_small_file_adds_all_rows(cast, login):
    client = login(cast.leader)
    rows = [
        member_row(
            "Lò Thị Xuân",
            1956,
            phone="0912 345 678",
            ethnicity="thai",
            consent_on="01/03/2024",
            consent_method="Phiếu giấy",
            household_status="Nghèo",
        ),
        member_row("Giàng A Chứ", None, sex="Nam", birth_date=datetime.datetime(1961, 5, 4)),
        member_row("Tẩn Thị Mai", 1990, birth_date="21/03/1990", is_volunteer="Có"),
    ]
    response = upload(client, cast.club_a, xlsx(rows))
    job = ImportJob.objects.get()
    assert response.url == reverse("members:import_preview", args=[job.pk])
    assert job.problems == [] and job.total == 3
    assert not Member.objects.exists()  # nothing until confirmed
    response = client.post(response.url)
    assert response.status_code == 302
    members = {m.full_name: m for m in Member.objects.all()}
    assert set(members) == {"Lò Thị Xuân", "Giàng A Chứ", "Tẩn Thị Mai"}
    xuan = members["Lò Thị Xuân"]
    assert (xuan.ethnicity, xuan.phone, xuan.household_status, xuan.consent_recorded_by) == (
        "Thái",
        "0912345678",
        "poor",
        cast.leader,
    )
    assert members["Giàng A Chứ"].birth_date == datetime.date(1961, 5, 4)
    assert members["Tẩn Thị Mai"].is_volunteer
    assert xuan.history.get().history_user == cast.leader
    job.refresh_from_db()
    assert (job.status, job.created_count, job.rows) == ("done", 3, [])


def test_wrong_columns(cast, login):
    file = xlsx([["Lò Thị Xuân", "Nữ"]], headers=["Tên thành viên", "Giới"])
    assert_refused(upload(login(cast.leader), cast.club_a, file), "Sai cột: thiếu")


def test_empty_sheet(cast, login):
    assert_refused(
        upload(login(cast.leader), cast.club_a, xlsx([], sheet_rows=[])), "Trang tính trống"
    )
    assert_refused(upload(login(cast.leader), cast.club_a, xlsx([])), "không có thành viên nào")


def test_a_file_that_is_not_xlsx(cast, login):
    client = login(cast.leader)
    csv = SimpleUploadedFile("ds.xlsx", "Họ và tên,Giới tính\nLò Thị Xuân,Nữ\n".encode())
    assert_refused(upload(client, cast.club_a, csv), "không phải tệp Excel .xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    fake = SimpleUploadedFile("ds.xlsx", buf.getvalue())
    assert_refused(upload(client, cast.club_a, fake), "không phải tệp Excel .xlsx")


def test_a_20_mb_file(cast, login):
    big = SimpleUploadedFile("ds.xlsx", b"PK\x03\x04" + b"0" * (20 * 1024 * 1024))
    assert_refused(upload(login(cast.leader), cast.club_a, big), "Tệp quá lớn")


def test_bad_dates(cast, login):
    job, page = problems_after_upload(
        login(cast.leader),
        cast.club_a,
        [member_row(birth_date="31/02/1956"), member_row("Lò Văn Ơn", None, birth_date="năm 56")],
    )
    assert len(job.problems) == 2
    assert "Ngày sinh “31/02/1956” không hợp lệ" in page
    assert "Ngày sinh “năm 56” không hợp lệ" in page


def test_unknown_ethnicity(cast, login):
    _job, page = problems_after_upload(
        login(cast.leader),
        cast.club_a,
        [member_row(ethnicity="Klingon", consent_on="01/01/2024", consent_method="Bằng lời")],
    )
    assert "Dân tộc “Klingon” không có trong danh mục 54 dân tộc" in page


def test_duplicates_in_the_club_and_in_the_file(cast, login):
    MemberFactory(club=cast.club_a, full_name="Nguyễn Thị Tư", birth_year=1956)
    _job, page = problems_after_upload(
        login(cast.leader),
        cast.club_a,
        [
            member_row("nguyen thi tu", 1956),
            member_row("Lò Thị Xuân", 1950),
            member_row("LÒ THỊ XUÂN", 1950),
        ],
    )
    assert "Đã có trong CLB: Nguyễn Thị Tư, sinh năm 1956" in page
    assert "Trùng họ tên và năm sinh với dòng 3 trong tệp" in page
    assert Member.objects.count() == 1


def test_bad_phone_missing_name_and_missing_consent(cast, login):
    _job, page = problems_after_upload(
        login(cast.leader),
        cast.club_a,
        [
            member_row(phone="12345"),
            member_row("", 1950),
            member_row("Lò Văn Ơn", 1950, household_status="Cận nghèo"),
        ],
    )
    assert "Số điện thoại “12345” không hợp lệ" in page
    assert "Thiếu họ và tên" in page
    assert "chưa có sự đồng ý" in page


def test_duplicates_added_after_the_check_refuse_the_whole_import(cast, login):
    client = login(cast.leader)
    response = upload(
        client, cast.club_a, xlsx([member_row("Lò Thị Xuân"), member_row("Lò Thị Ón")])
    )
    MemberFactory(club=cast.club_a, full_name="Lò Thị Ón", birth_year=1956)
    client.post(response.url)
    assert Member.objects.count() == 1
    assert ImportJob.objects.get().status == "preview"


def test_large_import_runs_as_a_task_with_progress(
    cast, login, monkeypatch, django_capture_on_commit_callbacks, celery_sent
):
    monkeypatch.setattr(imports, "ASYNC_THRESHOLD", 3)
    monkeypatch.setattr(import_commit, "BATCH", 2)
    client = login(cast.leader)
    response = upload(client, cast.club_a, xlsx([member_row(f"Thành viên {i}") for i in range(7)]))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(response.url)
    job.refresh_from_db()
    assert job.status == "queued" and len(callbacks) == 1
    page = client.get(reverse("members:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in page.content.decode()
    callbacks[0]()  # the commit sends the task
    assert celery_sent == [("members.tasks.run_member_import", (job.pk,))]
    job.refresh_from_db()
    assert job.status == "queued"
    tasks.run_member_import(job.pk)  # what the worker does with it
    job.refresh_from_db()
    assert (job.status, job.progress, job.created_count) == ("done", 7, 7)
    assert Member.objects.count() == 7
    page = client.get(reverse("members:import_preview", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page
    # Running the task twice adds nothing.
    imports.import_run(job_id=job.pk)
    assert Member.objects.count() == 7


def test_task_refuses_all_rows_when_a_duplicate_appeared(
    cast, login, monkeypatch, django_capture_on_commit_callbacks, celery_sent
):
    monkeypatch.setattr(imports, "ASYNC_THRESHOLD", 1)
    client = login(cast.leader)
    response = upload(client, cast.club_a, xlsx([member_row("A Páo"), member_row("A Dế")]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(response.url)
    MemberFactory(club=cast.club_a, full_name="A Dế", birth_year=1956)
    callbacks[0]()
    job = ImportJob.objects.get()
    assert celery_sent == [("members.tasks.run_member_import", (job.pk,))]
    tasks.run_member_import(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "Không có thành viên nào được nhập" in job.message
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+84912", "'+84912"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Lò Thị Xuân", "Lò Thị Xuân"),
        (1956, 1956),
    ],
)
def test_safe_cells(value, expected):
    assert safe_cell(value) == expected


def test_export_neutralises_formulas(cast, login):
    MemberFactory(club=cast.club_a, full_name="=1+2", village="@cmd")
    response = login(cast.leader).get(reverse("members:club_export", args=[cast.club_a.pk]))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [c.value for c in ws[2]]
    assert "'=1+2" in values and "'@cmd" in values
    assert all(c.data_type != "f" for c in ws[2])
    assert ws[1][0].value == COLUMNS[0].header


def test_commune_export(cast, login):
    MemberFactory(club=cast.club_a, full_name="Lò Thị Xuân")
    MemberFactory(club=cast.club_a2, full_name="Ngoài xã")
    response = login(cast.commune).get(reverse("members:area_export", args=[cast.commune_a1.pk]))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ["Lò Thị Xuân"]
