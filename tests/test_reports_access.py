"""Who sees which dashboard, list and export; viewers see aggregates only; query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config.months import shift, split
from month.models import MonthlyReport
from month.schedule import report_deadline
from reports import periods, summary
from reports.models import ExportJob
from tests.factories import ClubFactory, CommuneFactory, MemberFactory


@pytest.fixture
def figures(cast):
    """A few members, a late month and the summaries built."""
    for club in (cast.club_a, cast.club_a2, cast.club_b):
        MemberFactory(club=club, full_name=f"Quàng Thị Riêngtư {club.pk}")
    summary.rebuild(months=3)
    return cast


def area_url(area) -> str:
    return reverse("reports:area", args=[area.pk])


# --- dashboards -----------------------------------------------------------------------------


def test_home_sends_each_role_to_its_scope(login, figures):
    c = figures
    assert login(c.province).get("/reports/")["Location"] == area_url(c.province_a)
    assert login(c.commune).get("/reports/")["Location"] == area_url(c.commune_a1)
    assert login(c.viewer).get("/reports/")["Location"] == area_url(c.province_a)
    assert login(c.leader).get("/reports/")["Location"] == reverse(
        "reports:club", args=[c.club_a.pk]
    )
    response = login(c.admin).get("/reports/")
    assert response.status_code == 200
    assert "Tỉnh A" in response.content.decode() and "Tỉnh B" in response.content.decode()


def test_province_dashboard_shows_its_communes(login, figures):
    response = login(figures.province).get(area_url(figures.province_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Xã A Một" in body and "Xã A Hai" in body
    assert "Xã B Một" not in body
    assert response.context["t"]["members"] == 2


def test_commune_staff_see_only_their_commune(login, figures):
    client = login(figures.commune)
    own = client.get(area_url(figures.commune_a1))
    assert own.status_code == 200
    assert "Xã A Một" in own.content.decode() and "CLB LTH Bản Mới" in own.content.decode()
    assert own.context["t"]["members"] == 1
    assert client.get(area_url(figures.commune_a2)).status_code == 404
    assert client.get(area_url(figures.province_a)).status_code == 404
    assert client.get(area_url(figures.commune_b1)).status_code == 404


def test_outsiders_get_404_for_other_areas(login, figures):
    client = login(figures.province)
    for url in (
        area_url(figures.province_b),
        area_url(figures.commune_b1),
        reverse("reports:area_print", args=[figures.province_b.pk]),
        reverse("reports:figure_list", args=["members"]) + f"?area={figures.province_b.pk}",
        reverse("reports:club_health") + f"?area={figures.province_b.pk}",
        reverse("reports:club", args=[figures.club_b.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_club_leader_gets_404_for_area_dashboards(login, figures):
    client = login(figures.leader)
    for url in (
        area_url(figures.commune_a1),
        area_url(figures.province_a),
        reverse("reports:club_health"),
        reverse("reports:figure_list", args=["members"]),
        reverse("reports:export"),
    ):
        assert client.get(url).status_code == 404, url
    # …but has the club-only view of their own club, not of another.
    own = client.get(reverse("reports:club", args=[figures.club_a.pk]))
    assert own.status_code == 200 and "CLB LTH Bản Mới" in own.content.decode()
    assert client.get(reverse("reports:club", args=[figures.club_a2.pk])).status_code == 404


def test_viewer_sees_aggregates_but_no_names_or_sensitive_links(login, figures):
    client = login(figures.viewer)
    body = client.get(area_url(figures.province_a)).content.decode()
    assert "Riêngtư" not in body
    listing = client.get(
        reverse("reports:figure_list", args=["poor"]) + f"?area={figures.province_a.pk}"
    )
    assert listing.status_code == 200
    members = client.get(
        reverse("reports:figure_list", args=["members"]) + f"?area={figures.province_a.pk}"
    )
    body = members.content.decode()
    assert "CLB LTH Bản Mới" in body
    assert "Riêngtư" not in body
    assert reverse("members:member_list", args=[figures.club_a.pk]) not in body
    # Staff get the link to the member list behind the figure.
    staff = login(figures.province).get(
        reverse("reports:figure_list", args=["members"]) + f"?area={figures.province_a.pk}"
    )
    assert reverse("members:member_list", args=[figures.club_a.pk]) in staff.content.decode()


def test_figure_list_shows_the_clubs_behind_a_figure(login, figures):
    response = login(figures.province).get(
        reverse("reports:figure_list", args=["members"]) + f"?area={figures.province_a.pk}"
    )
    rows = list(response.context["page_obj"])
    assert {r["club__name"] for r in rows} == {"CLB LTH Bản Mới", "CLB LTH Bản Hon"}
    assert (
        login(figures.province).get(reverse("reports:figure_list", args=["nonsense"])).status_code
        == 404
    )


def test_communes_without_a_club(login, figures):
    CommuneFactory(code="91003", name="Xã A Ba", parent=figures.province_a)
    response = login(figures.province).get(
        reverse("reports:figure_list", args=["communes_without_club"])
        + f"?area={figures.province_a.pk}"
    )
    assert [a.name for a in response.context["page_obj"]] == ["Xã A Ba"]


def test_club_health_lists_reasons(login, figures):
    """Clubs with no meetings and too few volunteers are listed, with those reasons."""
    summary.rebuild(months=6)
    response = login(figures.province).get(reverse("reports:club_health"))
    rows = list(response.context["page_obj"])
    assert {r["club__name"] for r in rows} == {"CLB LTH Bản Mới", "CLB LTH Bản Hon"}
    for row in rows:
        assert row["no_meeting"] == 1
        assert row["few_volunteers"] == 1
        assert row["par_high"] == 0 and row["shrinking"] == 0
        assert row["score"] >= 2
    assert "CLB LTH Khu 3" not in response.content.decode()


def test_period_picker_accepts_a_year(login, figures):
    today = timezone.localdate()
    response = login(figures.province).get(area_url(figures.province_a) + f"?period={today.year}")
    assert response.context["period"].is_year
    response = login(figures.province).get(area_url(figures.province_a) + "?period=1999-01")
    assert not response.context["period"].is_year  # out of range: the current month


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("n_clubs", [5, 50])
def test_province_dashboard_query_count(login, cast, django_assert_max_num_queries, n_clubs):
    communes = [CommuneFactory(parent=cast.province_a) for _ in range(5)]
    for i in range(n_clubs):
        club = ClubFactory(commune=communes[i % 5])
        MemberFactory(club=club)
    summary.rebuild(months=3)
    client = login(cast.province)
    # session, user, area, targets, figures by commune, communes, activities by area,
    # associations' funds and trainings (9); the association's section (4), the older
    # persons' (3), the campaigns' (3) and the page's cache version — the same for 5 clubs
    # and for 50.
    with django_assert_max_num_queries(21):
        response = client.get(area_url(cast.province_a))
    assert response.status_code == 200
    assert response.context["t"]["clubs"] == n_clubs + 2  # and the cast's two clubs


@pytest.mark.parametrize("n_clubs", [5, 50])
def test_lists_query_count(login, cast, django_assert_max_num_queries, n_clubs):
    for _ in range(n_clubs):
        MemberFactory(club=ClubFactory(commune=cast.commune_a1))
    summary.rebuild(months=3)
    client = login(cast.province)
    with django_assert_max_num_queries(6):
        client.get(reverse("reports:figure_list", args=["members"]))
    with django_assert_max_num_queries(7):
        client.get(reverse("reports:club_health"))


# --- exports --------------------------------------------------------------------------------


def test_export_builds_a_workbook_for_the_area(
    login, figures, django_capture_on_commit_callbacks, settings, tmp_path, celery_eager
):
    from openpyxl import load_workbook

    settings.MEDIA_ROOT = tmp_path
    client = login(figures.province)
    period = periods.Period.parse(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:export"),
            {"area": figures.province_a.pk, "period": period.param},
        )
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("reports:export_detail", args=[job.pk])
    assert job.status == ExportJob.Status.DONE and job.progress == 100
    progress = client.get(reverse("reports:export_progress", args=[job.pk]))
    assert reverse("reports:export_download", args=[job.pk]) in progress.content.decode()
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    assert download.status_code == 200
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"".join(download.streaming_content))
    book = load_workbook(path)
    assert len(book.sheetnames) >= 8
    members = book[book.sheetnames[1]]
    names = [row[0].value for row in members.iter_rows(min_row=3)]
    assert "Xã A Một" in names and "Xã B Một" not in names


def test_export_enqueued_only_after_commit(
    login, figures, django_capture_on_commit_callbacks, celery_sent
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(figures.province).post(
            reverse("reports:export"),
            {"area": figures.province_a.pk, "period": periods.Period.parse(None).param},
        )
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.QUEUED
    assert len(callbacks) == 1 and celery_sent == []
    callbacks[0]()  # the commit
    assert celery_sent == [("reports.tasks.build_export", (job.pk,))]
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED  # the worker builds it, not the request


def test_export_of_another_area_is_refused(login, figures):
    client = login(figures.province)
    response = client.post(
        reverse("reports:export"),
        {"area": figures.province_b.pk, "period": periods.Period.parse(None).param},
    )
    assert response.status_code == 200  # the form says the choice is not valid
    assert not ExportJob.objects.exists()


def test_outsiders_get_404_for_someone_elses_export(
    login, figures, django_capture_on_commit_callbacks, settings, tmp_path, celery_eager
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        owner = login(figures.province)
        owner.post(
            reverse("reports:export"),
            {"area": figures.province_a.pk, "period": periods.Period.parse(None).param},
        )
    job = ExportJob.objects.get()
    # The workbook is there (the task ran): only the scope keeps the others out.
    assert owner.get(reverse("reports:export_download", args=[job.pk])).status_code == 200
    for user in (figures.leader2, figures.leader, figures.commune):
        client = login(user)
        for name in ("export_detail", "export_progress", "export_download"):
            assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404


def test_cells_that_look_like_formulas_are_neutralised():
    from reports.exports import safe

    assert safe('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe("+1") == "'+1"
    assert safe("-1") == "'-1"
    assert safe("@SUM(A1)") == "'@SUM(A1)"
    assert safe("Xã A") == "Xã A"
    assert safe(-5) == -5


def test_formula_names_are_neutralised_in_the_workbook(figures):
    import io

    from openpyxl import load_workbook

    from reports import selectors
    from reports.exports import write_workbook

    figures.commune_a1.name = "=cmd|' /C calc'!A0"
    figures.commune_a1.save()
    board = selectors.dashboard(area=figures.province_a, period=periods.Period.parse(None))
    buf = io.BytesIO()
    write_workbook(board, buf)
    book = load_workbook(io.BytesIO(buf.getvalue()))
    values = [c.value for ws in book for row in ws.iter_rows() for c in row if c.value]
    assert "'=cmd|' /C calc'!A0" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_printable_page(login, figures):
    response = login(figures.commune).get(
        reverse("reports:area_print", args=[figures.commune_a1.pk])
    )
    assert response.status_code == 200
    assert "CLB LTH Bản Mới" in response.content.decode()


def test_late_report_counts_on_the_dashboard(login, cast, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    last_month = shift(periods.current_ym(today), -1)
    year, month = split(last_month)
    with django_capture_on_commit_callbacks(execute=True):
        MonthlyReport.objects.create(
            club=cast.club_a,
            year=year,
            month=month,
            status="submitted",
            submitted_at=timezone.make_aware(
                datetime.datetime.combine(
                    report_deadline(*split(last_month)) + datetime.timedelta(days=2),
                    datetime.time(9),
                )
            ),
        )
    summary.rebuild(months=3)
    response = login(cast.commune).get(area_url(cast.commune_a1) + f"?period={year}-{month:02d}")
    late = response.context["t"]["reports_late"]
    assert late == (1 if report_deadline(*split(last_month)) < today else 0)
