"""The access log of sensitive data: pages and files note whom they showed, one INSERT a
request; provincial staff read their province's rows, admins all; old rows are deleted."""

import datetime
import logging

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts import privacy
from accounts.access_log.middleware import AccessLogMiddleware
from accounts.access_log.services import access_log_prune, access_log_write
from accounts.models import Role, SensitiveAccess
from accounts.tasks import prune_access_log
from members.models import Member
from tests.factories import MemberFactory, UserFactory
from tests.factories_funds import make_loan

pytestmark = pytest.mark.django_db


def inserts(captured) -> list[str]:
    return [
        q["sql"] for q in captured if q["sql"].startswith('INSERT INTO "accounts_sensitiveaccess"')
    ]


def warm_content_types() -> None:
    """The content types are cached per process after their first use; warm them so that two
    requests compare alike."""
    for label in ("members.member", "clubs.club", "clubs.area"):
        ContentType.objects.get_by_natural_key(*label.split("."))


def log_row(*, user, subject, club, at=None, category=privacy.HIGH_RISK, **extra):
    return SensitiveAccess.objects.create(
        user=user,
        path=f"/members/{subject.pk}/",
        category=category,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        count=1,
        club=club,
        province_id=club.province_id,
        **({"at": at} if at else {}),
        **extra,
    )


# --- Writing ------------------------------------------------------------------------------------


def test_a_leader_viewing_a_member_page_writes_one_row(cast, login):
    member = MemberFactory(club=cast.club_a)
    with CaptureQueriesContext(connection) as queries:
        response = login(cast.leader).get(reverse("members:member_detail", args=[member.pk]))
    assert response.status_code == 200
    row = SensitiveAccess.objects.get()
    assert (row.user, row.subject, row.category) == (cast.leader, member, "high_risk")
    assert (row.kind, row.count, row.path) == ("page", 1, f"/members/{member.pk}/")
    assert (row.club, row.province) == (cast.club_a, cast.province_a)
    assert len(inserts(queries.captured_queries)) == 1


def test_a_viewer_writes_no_row(cast, login):
    member = MemberFactory(club=cast.club_a)
    client = login(cast.viewer)
    client.get(reverse("members:member_detail", args=[member.pk]))
    client.get(reverse("members:member_list", args=[cast.club_a.pk]))
    assert not SensitiveAccess.objects.exists()


def test_a_viewers_note_is_dropped_when_written(cast):
    note = privacy.AccessNote(MemberFactory(club=cast.club_a), privacy.SENSITIVE, "page", None)
    assert access_log_write(user=cast.viewer, path="/x/", notes=[note]) == []
    assert not SensitiveAccess.objects.exists()


@pytest.mark.parametrize("n", [3, 50])
def test_a_member_list_writes_one_row_whatever_its_length(cast, login, n):
    MemberFactory.create_batch(n, club=cast.club_a)
    warm_content_types()
    with CaptureQueriesContext(connection) as queries:
        response = login(cast.commune).get(reverse("members:member_list", args=[cast.club_a.pk]))
    assert response.status_code == 200
    row = SensitiveAccess.objects.get()
    assert (row.subject, row.count, row.category) == (cast.club_a, min(n, 25), "high_risk")
    assert row.object_id == cast.club_a.pk
    assert len(inserts(queries.captured_queries)) == 1


def test_the_log_costs_the_same_queries_for_3_and_for_50_people(cast, login):
    client = login(cast.leader)
    url = reverse("members:member_list", args=[cast.club_a.pk])
    client.get(url)  # the content types and the menu cached
    counts = []
    for n in (3, 47):  # 3 people on the page, then 50 (two pages)
        MemberFactory.create_batch(n, club=cast.club_a)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries.captured_queries))
    # The log adds a savepoint, the INSERT and its release: the same for any list.
    assert counts[0] == counts[1]
    assert SensitiveAccess.objects.count() == 2  # the empty list before wrote none


def test_a_download_writes_one_row_of_kind_download(cast, login):
    MemberFactory.create_batch(4, club=cast.club_a)
    response = login(cast.leader).get(reverse("members:club_export", args=[cast.club_a.pk]))
    assert response.status_code == 200
    row = SensitiveAccess.objects.get()
    assert (row.kind, row.subject, row.count) == ("download", cast.club_a, 4)


def test_a_loan_page_is_logged_against_the_borrower_with_the_clubs_province(cast, login):
    loan = make_loan(cast.club_a)
    response = login(cast.leader).get(reverse("funds:loan_detail", args=[loan.pk]))
    assert response.status_code == 200
    row = SensitiveAccess.objects.get()
    assert (row.subject, row.category) == (loan.borrower, "high_risk")
    assert (row.club_id, row.province_id) == (cast.club_a.pk, cast.province_a.pk)


def test_a_redirect_or_a_refusal_writes_no_row(cast, login):
    member = MemberFactory(club=cast.club_a)
    outsider = login(cast.leader2)  # another club's leader: 404, nothing shown
    assert outsider.get(reverse("members:member_detail", args=[member.pk])).status_code == 404
    request = RequestFactory().post("/members/1/edit/")
    request.user = cast.leader

    def saved(req):  # a form that noted what it showed, then saved and redirected
        privacy.note_access(req, member, privacy.HIGH_RISK)
        return HttpResponseRedirect("/members/1/")

    AccessLogMiddleware(saved)(request)
    assert not SensitiveAccess.objects.exists()


def test_the_same_subject_noted_twice_is_one_row_and_an_empty_list_none(cast):
    member = MemberFactory(club=cast.club_a)
    request = RequestFactory().get("/members/1/")
    request.user = cast.leader

    def view(req):
        privacy.note_access(req, member, privacy.HIGH_RISK)
        privacy.note_access(req, member, privacy.HIGH_RISK)
        privacy.note_access(req, cast.club_a, privacy.SENSITIVE, count=[])
        return HttpResponse("ok")

    AccessLogMiddleware(view)(request)
    assert SensitiveAccess.objects.get().subject == member


def test_a_log_that_cannot_be_written_does_not_break_the_page(cast, login, monkeypatch, caplog):
    member = MemberFactory(club=cast.club_a)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SensitiveAccess.objects, "bulk_create", fail)
    with caplog.at_level(logging.ERROR, logger="accounts.access_log.middleware"):
        response = login(cast.leader).get(reverse("members:member_detail", args=[member.pk]))
    assert response.status_code == 200
    assert member.full_name in response.content.decode()
    assert f"members.Member #{member.pk} high_risk page" in caplog.text
    assert member.full_name not in caplog.text  # ids in the server log, never names


# --- The log page ---------------------------------------------------------------------------


@pytest.fixture
def province_b_staff(cast):
    return UserFactory(username="province_b", role=Role.PROVINCE, area=cast.province_b)


@pytest.fixture
def accesses(cast):
    """One access to a member of province A, one to a member of province B."""
    a = MemberFactory(club=cast.club_a, full_name="Lò Thị Một")
    b = MemberFactory(club=cast.club_b, full_name="Quàng Văn Hai")
    return log_row(user=cast.leader, subject=a, club=cast.club_a), log_row(
        user=cast.leader2, subject=b, club=cast.club_b
    )


def shown(response) -> set[int]:
    return {entry.pk for entry, _category in response.context["rows"]}


def test_provincial_staff_read_the_accesses_to_people_of_their_province(
    cast, login, accesses, province_b_staff
):
    in_a, in_b = accesses
    url = reverse("access_log")
    assert shown(login(cast.province).get(url)) == {in_a.pk}
    response = login(province_b_staff).get(url)
    assert shown(response) == {in_b.pk}
    assert "Quàng Văn Hai" in response.content.decode()
    assert "Lò Thị Một" not in response.content.decode()
    assert shown(login(cast.admin).get(url)) == {in_a.pk, in_b.pk}


@pytest.mark.parametrize("role", ["commune", "leader", "viewer"])
def test_other_roles_may_not_read_the_log(cast, login, accesses, role):
    assert login(getattr(cast, role)).get(reverse("access_log")).status_code == 403


def test_the_log_asks_for_a_sign_in(client):
    response = client.get(reverse("access_log"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_who_viewed_one_person_and_a_person_of_another_province_is_404(
    cast, login, accesses, province_b_staff
):
    in_a, _in_b = accesses
    log_row(user=cast.commune, subject=MemberFactory(club=cast.club_a), club=cast.club_a)
    url = reverse("access_log")
    response = login(cast.province).get(url, {"member": in_a.object_id})
    assert shown(response) == {in_a.pk}
    assert response.context["person"].pk == in_a.object_id
    assert login(province_b_staff).get(url, {"member": in_a.object_id}).status_code == 404


def test_the_log_filters_by_user_and_by_days(cast, login, accesses):
    in_a, _in_b = accesses
    now = timezone.now()
    old = log_row(
        user=cast.commune,
        subject=Member.objects.get(pk=in_a.object_id),
        club=cast.club_a,
        at=now - datetime.timedelta(days=40),
    )
    client = login(cast.province)
    url = reverse("access_log")
    assert shown(client.get(url, {"who": "commune"})) == {old.pk}
    day = timezone.localdate(old.at).strftime("%d/%m/%Y")
    assert shown(client.get(url, {"date_from": day, "date_to": day})) == {old.pk}
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert shown(client.get(url, {"date_from": today})) == {in_a.pk}
    response = client.get(url, {"date_from": today, "date_to": day})
    assert response.context["filter_form"].errors


@pytest.mark.parametrize("n", [3, 50])
def test_the_log_page_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries, n):
    members = MemberFactory.create_batch(n, club=cast.club_a)
    for member in members:
        log_row(user=cast.leader, subject=member, club=cast.club_a)
    log_row(user=cast.leader, subject=cast.club_a, club=cast.club_a)
    client = login(cast.province)
    url = reverse("access_log")
    client.get(url)  # the content types and the menu cached
    # 1 session, 2 user, 3 count, 4 the page of rows (user, club, object type), then one query
    # per kind of subject on the page: 5 the clubs, 6 the members.
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == n + 1


def test_the_member_page_links_to_who_viewed_it_for_provincial_staff(cast, login):
    member = MemberFactory(club=cast.club_a)
    link = f"{reverse('access_log')}?member={member.pk}"
    assert (
        link
        in login(cast.province)
        .get(reverse("members:member_detail", args=[member.pk]))
        .content.decode()
    )
    assert (
        link
        not in login(cast.commune)
        .get(reverse("members:member_detail", args=[member.pk]))
        .content.decode()
    )


# --- Keeping -------------------------------------------------------------------------------


def test_old_rows_are_deleted_and_recent_ones_kept(cast, settings):
    member = MemberFactory(club=cast.club_a)
    now = timezone.now()
    old = log_row(
        user=cast.leader, subject=member, club=cast.club_a, at=now - datetime.timedelta(days=366)
    )
    recent = log_row(
        user=cast.leader, subject=member, club=cast.club_a, at=now - datetime.timedelta(days=364)
    )
    settings.ISHC_ACCESS_LOG_DAYS = 365
    assert prune_access_log() == 1
    assert list(SensitiveAccess.objects.values_list("pk", flat=True)) == [recent.pk]
    assert access_log_prune() == 0  # twice is harmless
    assert not SensitiveAccess.objects.filter(pk=old.pk).exists()


def test_the_command_keeps_the_days_it_is_given(cast, capsys):
    member = MemberFactory(club=cast.club_a)
    now = timezone.now()
    log_row(
        user=cast.leader, subject=member, club=cast.club_a, at=now - datetime.timedelta(days=31)
    )
    kept = log_row(user=cast.leader, subject=member, club=cast.club_a)
    call_command("prune_access_log", days=30)
    assert "1 access-log rows deleted." in capsys.readouterr().out
    assert list(SensitiveAccess.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_nightly_task_is_scheduled():
    task = PeriodicTask.objects.get(task="accounts.tasks.prune_access_log")
    assert task.enabled and task.crontab is not None
