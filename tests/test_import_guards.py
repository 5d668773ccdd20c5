"""Imports that cannot be turned into a weapon: files crafted to cost minutes of CPU or
gigabytes of memory are read within bounds or refused before parsing, with a Vietnamese
message; a member import whose worker died is marked failed and can be run again.

The files are made here, with openpyxl and zipfile: a sheet that claims 16,384 columns and a
million rows, a zip whose shared strings unpack to 200 MB (and one whose directory lies about
it), an XML entity bomb, a list with empty rows and then more rows.
"""

from __future__ import annotations

import datetime
import functools
import io
import struct
import threading
import tracemalloc
import zipfile

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from config import spreadsheets
from members import import_commit, imports, tasks
from members.excel import COLUMNS
from members.models import ImportJob, Member
from tests.factories_members import member_row
from tests.factories_trainings import make_event
from trainings.models import Participant

pytestmark = pytest.mark.django_db

SHARED_STRINGS = "xl/sharedStrings.xml"
SHEET = "xl/worksheets/sheet1.xml"


# --- Crafted files ----------------------------------------------------------------------------


def named(data: bytes, name: str = "ds.xlsx") -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def saved(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def members_sheet(rows: int = 2) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in COLUMNS])
    for i in range(rows):
        ws.append([f"Lò Thị Số {i}", "Nữ", "", 1950 + i])
    return wb


def huge_claims() -> bytes:
    """A 5 kB workbook whose sheet spans A1:XFD1000000: far cells in the last column of a data
    row and in the last row. Read naively, every row is 16,384 cells and there are a million."""
    wb = members_sheet(rows=2)
    ws = wb.active
    ws.cell(row=2, column=16_384, value="far right")
    ws.cell(row=1_000_000, column=16_384, value="far down")
    data = saved(wb)
    assert b'<dimension ref="A1:XFD1000000"' in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    return data


def with_part(data: bytes, name: str, write) -> bytes:
    """The workbook ``data`` with part ``name`` replaced by what ``write(fh)`` streams."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info, source.read(info.filename))
        with archive.open(name, "w", force_zip64=True) as fh:
            write(fh)
    return out.getvalue()


@functools.cache  # built once (a few seconds of compressing), used by several tests
def shared_strings_bomb(megabytes: int = 200) -> bytes:
    """About 200 kB on the wire, 200 MB of shared strings unpacked (the finding was 1 MB that
    unpacked to 1 GB; the guard reads only the zip's directory, so the size makes no odds)."""

    def write(fh):
        fh.write(
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        )
        chunk = b"A" * (1024 * 1024)
        for _ in range(megabytes):
            fh.write(chunk)
        fh.write(b"</t></si></sst>")

    wb = Workbook()
    wb.active.append(["Họ và tên", "Giới tính", "Năm sinh"])
    wb.active.append(["Lò Thị Xuân", "Nữ", 1956])
    data = saved(wb)
    # Declared in the package, so that openpyxl loads it (whole) when it opens the workbook.
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
    )
    data = with_part(data, "[Content_Types].xml", lambda fh: fh.write(types))
    data = with_part(data, SHARED_STRINGS, write)
    assert len(data) < 1024 * 1024
    return data


def lying_directory(data: bytes, name: str, claimed: int) -> bytes:
    """``data`` with the zip's central directory claiming ``claimed`` bytes for ``name``."""
    raw = bytearray(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(name)
    # Find the part's central directory record: signature, then the name at offset 46.
    encoded = name.encode()
    at = 0
    while True:
        at = raw.find(b"PK\x01\x02", at)
        assert at >= 0
        name_length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + name_length] == encoded:
            break
        at += 4
    if struct.unpack_from("<I", raw, at + 24)[0] == 0xFFFFFFFF:  # sizes in the zip64 extra
        extra = at + 46 + name_length
        while struct.unpack_from("<H", raw, extra)[0] != 1:
            extra += 4 + struct.unpack_from("<H", raw, extra + 2)[0]
        struct.pack_into("<Q", raw, extra + 4, claimed)
    else:
        struct.pack_into("<I", raw, at + 24, claimed)
    assert zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo(name).file_size == claimed
    assert info.file_size != claimed
    return bytes(raw)


def entity_bomb() -> bytes:
    """The "billion laughs": a few hundred bytes of XML that expand to gigabytes."""
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return with_part(saved(members_sheet()), SHEET, lambda fh: fh.write(lol))


def blank_gap(before: int, gap: int, after: int) -> bytes:
    wb = members_sheet(rows=before)
    ws = wb.active
    for i in range(after):
        ws.cell(row=2 + before + gap + i, column=1, value=f"Người sau khoảng trống {i}")
        ws.cell(row=2 + before + gap + i, column=2, value="Nam")
        ws.cell(row=2 + before + gap + i, column=4, value=1960)
    return saved(wb)


# --- Helpers ----------------------------------------------------------------------------------


def upload(client, club, data: bytes):
    return client.post(reverse("members:import_upload", args=[club.pk]), {"file": named(data)})


def refusal(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


@pytest.fixture
def no_parsing(monkeypatch):
    """Fails the test if the workbook is opened at all: the guard must refuse first."""

    def opened(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(spreadsheets, "load_workbook", opened)


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


# --- Reading within bounds --------------------------------------------------------------------


def test_a_sheet_claiming_16384_columns_and_a_million_rows_is_read_only_where_filled(cast, login):
    client = login(cast.leader)
    response = upload(client, cast.club_a, huge_claims())
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert [r["full_name"] for r in job.rows] == ["Lò Thị Số 0", "Lò Thị Số 1"]
    # The person is told that the far rows were not read.
    page = client.get(response.url).content.decode()
    assert "Đã dừng đọc ở dòng 53 sau 50 dòng trống liền nhau" in page
    assert "còn đến dòng 1000000" in page


def test_the_reader_reads_only_the_columns_and_rows_it_was_asked_for():
    sheet = spreadsheets.read_first_sheet(
        io.BytesIO(huge_claims()), max_columns=24, max_filled_rows=10
    )
    assert {len(row) for row in sheet.rows} == {24}
    assert len(sheet.rows) == 3
    assert (sheet.stopped_at, sheet.last_row) == (53, 1_000_000)


def test_empty_rows_then_more_rows_stop_the_list_with_a_message(cast, login, vietnamese):
    client = login(cast.leader)
    response = upload(client, cast.club_a, blank_gap(before=3, gap=60, after=2))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.total == 3  # the two rows after 60 empty rows were not read
    page = client.get(response.url).content.decode()
    assert "Đã dừng đọc ở dòng 54" in page and "còn đến dòng 66" in page


def test_a_few_empty_rows_inside_the_list_are_skipped(cast, login):
    client = login(cast.leader)
    response = upload(client, cast.club_a, blank_gap(before=3, gap=10, after=2))
    assert response.status_code == 302
    assert ImportJob.objects.get().total == 5
    assert "dừng đọc" not in client.get(response.url).content.decode()


def test_more_members_than_the_limit_is_refused_at_once(cast, login, settings, vietnamese):
    settings.ISHC_IMPORT_MAX_ROWS = 50
    client = login(cast.leader)
    response = upload(client, cast.club_a, saved(members_sheet(rows=51)))
    assert "Tệp có hơn 50 thành viên" in refusal(response)
    assert not ImportJob.objects.exists()
    response = upload(client, cast.club_a, saved(members_sheet(rows=50)))
    assert response.status_code == 302


# --- Refused before parsing -------------------------------------------------------------------


def test_a_shared_strings_bomb_is_refused_before_parsing(cast, login, no_parsing, vietnamese):
    bomb = shared_strings_bomb()
    tracemalloc.start()
    try:
        response = upload(login(cast.leader), cast.club_a, bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Tệp chứa quá nhiều chữ (hơn 8 MB)" in refusal(response)
    assert peak < 20 * 1024 * 1024  # the request, not the 200 MB of text
    assert not ImportJob.objects.exists()


def test_a_part_that_lies_about_its_size_unpacks_no_more_than_it_claims(cast, login, vietnamese):
    """Python's zipfile stops at the declared size and the checksum fails: the memory is
    bounded by what the guard checked, and the file is refused as unreadable."""
    liar = lying_directory(shared_strings_bomb(), SHARED_STRINGS, claimed=4096)
    tracemalloc.start()
    try:
        response = upload(login(cast.leader), cast.club_a, liar)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Đây không phải tệp Excel .xlsx" in refusal(response)
    assert peak < 20 * 1024 * 1024


def test_a_sheet_that_unpacks_too_large_is_refused_before_parsing(cast, login, no_parsing):
    def write(fh):
        fh.write(b" " * (spreadsheets.MAX_PART_BYTES + 1))

    data = with_part(saved(members_sheet()), SHEET, write)
    with translation.override("vi"):
        assert "Tệp quá lớn khi giải nén (chứa hơn 16 MB" in refusal(
            upload(login(cast.leader), cast.club_a, data)
        )


def test_an_xml_entity_bomb_is_refused(cast, login, vietnamese):
    response = upload(login(cast.leader), cast.club_a, entity_bomb())
    assert "Đây không phải tệp Excel .xlsx" in refusal(response)


# --- The same guards on the training participants' import ---------------------------------


def participants_upload(client, training, data: bytes):
    return client.post(reverse("trainings:import", args=[training.pk]), {"file": named(data)})


def participants_sheet(far: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Chức vụ", "Giới tính"])
    ws.append(["Lò Văn Piềng", "Chủ tịch Hội NCT xã", "Nam"])
    if far:
        ws.cell(row=2, column=16_384, value="far right")
        ws.cell(row=1_000_000, column=16_384, value="far down")
    return saved(wb)


def test_training_import_reads_a_huge_claiming_sheet_within_bounds(cast, login, vietnamese):
    training = make_event(cast.commune_a1, people=0)
    client = login(cast.commune)
    response = participants_upload(client, training, participants_sheet(far=True))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Đã dừng đọc ở dòng 52" in page
    assert "Lò Văn Piềng" in page
    client.post(reverse("trainings:import_confirm", args=[training.pk]))
    assert list(Participant.objects.values_list("full_name", flat=True)) == ["Lò Văn Piềng"]


def test_training_import_refuses_a_shared_strings_bomb_before_parsing(
    cast, login, no_parsing, vietnamese
):
    training = make_event(cast.commune_a1, people=0)
    response = participants_upload(login(cast.commune), training, shared_strings_bomb())
    assert response.status_code == 200
    assert "Tệp chứa quá nhiều chữ" in " ".join(response.context["form"].errors["file"])
    assert not Participant.objects.exists()


# --- A job whose worker died ------------------------------------------------------------------


def large_job(cast, *, status: str, minutes_ago: int, rows: int = 3) -> ImportJob:
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return ImportJob.objects.create(
        club=cast.club_a,
        filename="ds.xlsx",
        status=status,
        rows=[
            {
                **member_row(f"Người {i}", 1950 + i),
                "row": i + 2,
                "sex": "F",
                "birth_date": None,
                "ethnicity": "",
                "phone": "",
                "village": "",
                "household_status": "",
                "has_disability": False,
                "needs_care": False,
                "lives_alone": False,
                "has_health_insurance": False,
                "is_volunteer": False,
                "joined_on": None,
                "consent_on": None,
                "consent_method": "",
            }
            for i in range(rows)
        ],
        total=rows,
        created_by=cast.leader,
        started_at=started,
    )


def test_the_import_task_has_time_limits():
    assert (tasks.run_member_import.soft_time_limit, tasks.run_member_import.time_limit) == (
        570,
        600,
    )


def test_a_running_job_whose_worker_died_is_failed_and_can_be_run_again(
    cast, login, monkeypatch, django_capture_on_commit_callbacks, celery_sent, vietnamese
):
    monkeypatch.setattr(imports, "ASYNC_THRESHOLD", 1)
    dead = large_job(cast, status="running", minutes_ago=16)
    alive = large_job(cast, status="running", minutes_ago=5)
    lost = large_job(cast, status="queued", minutes_ago=30)  # its task was lost with the broker
    assert tasks.fail_stale_imports() == 2
    dead.refresh_from_db()
    alive.refresh_from_db()
    lost.refresh_from_db()
    assert (dead.status, lost.status, alive.status) == ("failed", "failed", "running")
    assert dead.message == (
        "Việc nhập đã dừng trước khi xong (máy chủ đang chạy nó bị gián đoạn): chưa thêm ai. "
        "Hãy chạy lại."
    )
    assert dead.finished_at is not None and dead.rows  # the checked rows are kept

    client = login(cast.leader)
    page = client.get(reverse("members:import_progress", args=[dead.pk])).content.decode()
    assert "hx-trigger" not in page  # no longer polling
    assert "Chạy lại (3 thành viên)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:import_preview", args=[dead.pk]))
    assert response.status_code == 302
    dead.refresh_from_db()
    assert (dead.status, dead.message) == ("queued", "")
    assert celery_sent == [("members.tasks.run_member_import", (dead.pk,))]
    tasks.run_member_import(dead.pk)  # what the worker does with it
    dead.refresh_from_db()
    assert (dead.status, dead.created_count, dead.rows) == ("done", 3, [])
    assert Member.objects.filter(club=cast.club_a).count() == 3
    # Once done it cannot be started again.
    client.post(reverse("members:import_preview", args=[dead.pk]))
    assert Member.objects.filter(club=cast.club_a).count() == 3


def test_the_page_of_a_stale_job_marks_it_failed_without_the_sweep(cast, login, vietnamese):
    job = large_job(cast, status="queued", minutes_ago=20)
    page = login(cast.leader).get(reverse("members:import_preview", args=[job.pk]))
    assert page.status_code == 200
    job.refresh_from_db()
    assert job.status == "failed"
    html = page.content.decode()
    assert "Việc nhập đã dừng trước khi xong" in html and "Chạy lại (3 thành viên)" in html


def test_run_again_is_for_the_club_s_writers_only(cast, login, vietnamese):
    job = large_job(cast, status="failed", minutes_ago=20)
    url = reverse("members:import_preview", args=[job.pk])
    assert login(cast.leader2).post(url).status_code == 404  # another club's leader
    assert login(cast.viewer).post(url).status_code == 403  # a read-only role
    job.refresh_from_db()
    assert job.status == "failed"
    progress = login(cast.commune).get(reverse("members:import_progress", args=[job.pk]))
    assert "Chạy lại" in progress.content.decode()  # commune staff may write in their clubs


def test_a_task_that_runs_out_of_time_fails_the_job_and_keeps_its_rows(cast, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    job = large_job(cast, status="queued", minutes_ago=0)

    def slow(job, *, by):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(import_commit, "commit", slow)
    with pytest.raises(SoftTimeLimitExceeded):
        tasks.run_member_import(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.can_run_again
    assert not Member.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_sweep_skips_a_job_whose_commit_is_still_running(cast):
    """An old RUNNING job whose row is locked (its worker is alive, adding members) is left
    alone; once the lock is gone, the same job is stale."""
    job = large_job(cast, status="running", minutes_ago=60)
    locked, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                list(ImportJob.objects.select_for_update().filter(pk=job.pk))
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert import_commit.import_fail_stale() == 0
    finally:
        release.set()
        thread.join()
    job.refresh_from_db()
    assert job.status == "running"
    assert import_commit.import_fail_stale() == 1
