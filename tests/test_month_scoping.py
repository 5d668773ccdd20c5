"""Every month URL: outsiders get 404 (read and write), viewers get 403 on writes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from month.models import Activity, HomeCareVisit, Meeting, MonthlyReport
from tests.factories import MemberFactory
from tests.factories_month import (
    ActivityFactory,
    HomeCareVisitFactory,
    MeetingFactory,
    MonthlyReportFactory,
)

pytestmark = pytest.mark.django_db

# (url name, kind of id, GET allowed?)
CLUB_READ = ["meeting_list", "activity_list", "visit_list", "club_reports"]
CLUB_WRITE = [
    ("meeting_plan", False),
    ("meeting_add", True),
    ("activity_add", True),
    ("visit_add", True),
    ("report_start", False),
]
OBJ_READ = [
    ("meeting_detail", "meeting"),
    ("report_detail", "report"),
    ("report_print", "report"),
    ("member_health", "member"),
]
OBJ_WRITE = [
    ("meeting_record", "meeting", True),
    ("meeting_move", "meeting", True),
    ("meeting_cancel", "meeting", True),
    ("activity_edit", "activity", True),
    ("activity_delete", "activity", False),
    ("visit_edit", "visit", True),
    ("visit_delete", "visit", False),
    ("report_compile", "report", False),
    ("report_submit", "report", False),
    ("report_review", "report", False),
    ("report_approve", "report", False),
    ("report_return", "report", False),
    ("report_reopen", "report", False),
]  # fmt: skip


def records(club):
    day = timezone.localdate() - datetime.timedelta(days=2)
    return {
        "club": club,
        "meeting": MeetingFactory(club=club, date=day + datetime.timedelta(days=9)),
        "activity": ActivityFactory(club=club, date=day),
        "visit": HomeCareVisitFactory(club=club, date=day),
        "report": MonthlyReportFactory(club=club, year=2024, month=5, status="submitted"),
        "member": MemberFactory(club=club),
    }


def all_urls(objs):
    club_id = objs["club"].pk
    urls = []
    for name in CLUB_READ:
        urls.append((reverse(f"month:{name}", args=[club_id]), True, False))
    for name, get_ok in CLUB_WRITE:
        urls.append((reverse(f"month:{name}", args=[club_id]), get_ok, True))
    for name, kind in OBJ_READ:
        urls.append((reverse(f"month:{name}", args=[objs[kind].pk]), True, False))
    for name, kind, get_ok in OBJ_WRITE:
        urls.append((reverse(f"month:{name}", args=[objs[kind].pk]), get_ok, True))
    return urls


def page_shows(objs):
    """What each page that may be read shows about its record: the meeting's day, the report's
    month, the activity's title, the volunteer, the member; the other club pages, the club."""
    club_id = objs["club"].pk
    about = {
        "club": objs["club"].name,
        "meeting": objs["meeting"].date.strftime("%d/%m/%Y"),
        "report": "05/2024",
        "member": objs["member"].full_name,
        "activity": objs["activity"].title,
        "visit": objs["visit"].volunteer.full_name,
    }
    lists = {"meeting_list": "meeting", "activity_list": "activity", "visit_list": "visit"}
    texts = {}
    for name in CLUB_READ + [name for name, _get_ok in CLUB_WRITE]:
        texts[reverse(f"month:{name}", args=[club_id])] = about[lists.get(name, "club")]
    for name, kind, *_get_ok in OBJ_READ + OBJ_WRITE:
        texts[reverse(f"month:{name}", args=[objs[kind].pk])] = about[kind]
    return texts


def snapshot():
    return (
        list(Meeting.objects.values_list("pk", "status", "date")),
        list(MonthlyReport.objects.values_list("pk", "status")),
        Activity.objects.count(),
        HomeCareVisit.objects.count(),
    )


@pytest.mark.parametrize(
    ("user", "club"), [("leader2", "club_a"), ("commune", "club_a2"), ("leader", "club_b")]
)
def test_outsiders_get_404_for_get_and_post(cast, login, user, club):
    objs = records(getattr(cast, club))
    client = login(getattr(cast, user))
    before = snapshot()
    for url, get_ok, _write in all_urls(objs):
        if get_ok:
            assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"comment": "x", "reason": "x", "year": 2024, "month": 5}).status_code
            == 404
        ), url
    assert snapshot() == before


def test_viewers_read_but_get_403_on_every_write(cast, login):
    objs = records(cast.club_a)
    shows = page_shows(objs)
    people_pages = {
        reverse("month:visit_list", args=[objs["club"].pk]),
        reverse("month:member_health", args=[objs["member"].pk]),
    }
    client = login(cast.viewer)
    before = snapshot()
    for url, get_ok, write in all_urls(objs):
        if write:
            if get_ok:
                assert client.get(url).status_code == 403, url
            assert (
                client.post(
                    url, {"comment": "x", "reason": "x", "year": 2024, "month": 5}
                ).status_code
                == 403
            ), url
        elif url in people_pages:
            # Named people with their home care or health: aggregates only for viewers.
            page = client.get(url)
            assert page.status_code == 403 and shows[url] not in page.content.decode(), url
        else:
            page = client.get(url)
            assert page.status_code == 200 and shows[url] in page.content.decode(), url
    assert (
        client.post(
            reverse("month:report_detail", args=[objs["report"].pk]), {"narrative": "x"}
        ).status_code
        == 403
    )
    assert snapshot() == before


def test_staff_and_leaders_read_every_page_of_their_scope(cast, login):
    objs = records(cast.club_a)
    shows = page_shows(objs)
    for user in (cast.leader, cast.commune, cast.province, cast.admin):
        client = login(user)
        for url, get_ok, _write in all_urls(objs):
            if get_ok:
                page = client.get(url)
                assert page.status_code == 200, (user, url)
                assert shows[url] in page.content.decode(), (user, url, shows[url])


def test_lists_show_only_the_scope(cast, login):
    records(cast.club_a)
    records(cast.club_b)
    page = login(cast.province).get(reverse("month:report_inbox") + "?status=all").content.decode()
    assert "CLB LTH Bản Mới" in page and "CLB LTH Khu 3" not in page
    page = login(cast.commune).get(reverse("month:home")).content.decode()
    assert "CLB LTH Bản Mới" in page and "CLB LTH Bản Hon" not in page
    assert login(cast.leader).get(reverse("month:home")).url == reverse(
        "month:meeting_list", args=[cast.club_a.pk]
    )
