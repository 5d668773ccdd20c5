"""A commune's or province's member register too long to write in a request is built by a
worker (members/exports.py), with progress and a download only its requester can fetch."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from members.exports import export_build
from members.models import Member, MemberExportJob
from members.tasks import build_member_export
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(cast, settings):
    """Six members in the province (five in commune A1, one in A2), one in province B; more
    than three rows go to the background."""
    settings.ISHC_MEMBER_EXPORT_INLINE_ROWS = 3
    names = ["Lò Thị Mai", "Lò Văn Mai", "Quàng Thị Lan", "Hà Văn Tư", "Lường Thị Xuân"]
    for name in names:
        MemberFactory(club=cast.club_a, full_name=name)
    MemberFactory(club=cast.club_a2, full_name="Cầm Văn Hai")
    MemberFactory(club=cast.club_b, full_name="Người Tỉnh Khác")
    return names


def _names(data: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [str(row[0]) for row in ws.iter_rows(min_row=2, values_only=True) if row[0]]


def test_a_long_register_is_built_in_the_background(
    login, cast, register, celery_sent, django_capture_on_commit_callbacks
):
    client = login(cast.province)
    url = reverse("members:area_export", args=[cast.province_a.pk])

    offer = client.get(url)
    assert offer.status_code == 200
    assert offer["Content-Type"].startswith("text/html")
    assert "Có hơn 3 thành viên phù hợp" in offer.text and 'name="query"' in offer.text
    assert not MemberExportJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"query": ""})
    job = MemberExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:export_detail", args=[job.pk])
    assert celery_sent == [("members.build_member_export", (job.pk,))]

    waiting = client.get(reverse("members:export_progress", args=[job.pk]))
    assert "hx-trigger" in waiting.text  # polled until done
    assert client.get(reverse("members:export_download", args=[job.pk])).status_code == 404

    assert build_member_export.apply(args=[job.pk]).get() is True
    assert export_build(job_id=job.pk) is False  # a retried task builds nothing twice
    job.refresh_from_db()
    assert (job.status, job.total, job.progress, job.percent) == ("done", 6, 6, 100)

    done = client.get(reverse("members:export_detail", args=[job.pk]))
    assert reverse("members:export_download", args=[job.pk]) in done.text
    download = client.get(reverse("members:export_download", args=[job.pk]))
    assert download.status_code == 200
    names = _names(b"".join(download.streaming_content))
    assert sorted(names) == sorted([*register, "Cầm Văn Hai"])


def test_the_search_and_filters_go_with_the_job(login, cast, register, settings):
    settings.ISHC_MEMBER_EXPORT_INLINE_ROWS = 2
    client = login(cast.province)
    url = reverse("members:area_export", args=[cast.province_a.pk])
    # Three match "thi": above two rows, so built in the background.
    offer = client.get(url, {"q": "thi", "sex": "F"})
    assert offer.status_code == 200 and "q=thi" in offer.text
    client.post(url, {"query": "q=thi&sex=F"})
    job = MemberExportJob.objects.get()
    export_build(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as f:
        names = _names(f.read())
    assert sorted(names) == ["Lò Thị Mai", "Lường Thị Xuân", "Quàng Thị Lan"]


def test_the_offer_counts_no_further_than_the_inline_limit(login, cast, register):
    """A province's whole register is not counted on every visit to the offer page: the
    count stops one row past the limit (the job counts the rest when it writes)."""
    client = login(cast.province)
    with CaptureQueriesContext(connection) as ctx:
        offer = client.get(reverse("members:area_export", args=[cast.province_a.pk]))
    assert offer.status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0], counts


def test_a_short_register_still_comes_at_once(login, cast, register):
    response = login(cast.commune).get(
        reverse("members:area_export", args=[cast.commune_a1.pk]), {"q": "mai"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sorted(_names(response.content)) == ["Lò Thị Mai", "Lò Văn Mai"]


def test_only_the_requester_fetches_the_file(login, cast, register):
    login(cast.province).post(
        reverse("members:area_export", args=[cast.province_a.pk]), {"query": ""}
    )
    job = MemberExportJob.objects.get()
    export_build(job_id=job.pk)
    colleague = UserFactory(role=cast.province.role, area=cast.province_a)
    pages = ["members:export_detail", "members:export_progress", "members:export_download"]
    for user, status in ((colleague, 404), (cast.leader2, 404), (cast.viewer, 403)):
        client = login(user)
        for name in pages:
            assert client.get(reverse(name, args=[job.pk])).status_code == status, (user, name)


def test_outsiders_and_readers_cannot_ask(login, cast, register):
    url = reverse("members:area_export", args=[cast.province_a.pk])
    assert login(cast.leader2).post(url, {"query": ""}).status_code == 404
    assert login(cast.viewer).post(url, {"query": ""}).status_code == 403
    assert login(cast.commune).post(url, {"query": ""}).status_code == 404  # not its area
    assert not MemberExportJob.objects.exists()
    assert Member.objects.count() == 7


def test_the_offer_page_reads_a_fixed_number_of_queries(
    login, cast, register, django_assert_max_num_queries
):
    client = login(cast.province)
    url = reverse("members:area_export", args=[cast.province_a.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        client.get(url)


def test_a_tampered_query_is_checked_again(login, cast, register):
    """The offer page sends the filters back as a query string: what comes back is checked
    like anything a client sends (a NUL would make PostgreSQL refuse the query)."""
    url = reverse("members:area_export", args=[cast.province_a.pk])
    response = login(cast.province).post(url, {"query": "sex=%00&state=zzz&q=l%00%C3%B2"})
    assert response.status_code == 302
    job = MemberExportJob.objects.get()
    assert "\x00" not in job.query and "zzz" not in job.query
    assert export_build(job_id=job.pk) is True
