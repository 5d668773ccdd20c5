"""The admin obeys the door: another province's record answers 404 on every page of one object
(change, delete, history, a past version, a revert) and nothing changes; one's own opens.

The cast's provincial staff (province A) is given staff access and every permission of the
project's models, so nothing but the scope stands between them and club_b's records.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from accounts.admin_scoping import REVERT_MOVES, ScopedHistoryAdmin
from clubs.models import AreaSuccession, BoardPosition, Club, ClubStatusChange
from funds import services as funds
from funds.models import FundPlan
from members.models import Member
from month.models import Meeting, Reminder
from tests.factories import ClubFactory
from tests.factories_funds import DAY, deposit, make_loan, revolving
from tests.factories_members import (
    BoardPositionFactory,
    CareAssignmentFactory,
    ConsentedMemberFactory,
    ImportJobFactory,
    VolunteerFactory,
)
from tests.factories_month import (
    ActivityFactory,
    HealthCheckFactory,
    HomeCareVisitFactory,
    MeetingFactory,
    MonthlyReportFactory,
    vi,
)
from tests.factories_trainings import ParticipantFactory, TrainingFactory
from trainings.models import TrainingMaterial

PROJECT_APPS = ("accounts", "clubs", "members", "funds", "month", "trainings")


def grant(user, *actions: str, apps=PROJECT_APPS):
    """Staff access and the given model permissions (all four by default) on ``apps``."""
    actions = actions or ("view", "add", "change", "delete")
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=apps, codename__regex=rf"^({'|'.join(actions)})_"
        )
    )
    return user


def side(cast, letter: str) -> dict:
    return {
        "club": cast.club_a if letter == "a" else cast.club_b,
        "province": cast.province_a if letter == "a" else cast.province_b,
        "commune": cast.commune_a1 if letter == "a" else cast.commune_b1,
    }


def _meeting(s):
    return MeetingFactory(club=s["club"])


def _reminder(s):
    meeting = MeetingFactory(club=s["club"])
    return Reminder.objects.create(
        meeting=meeting,
        member=ConsentedMemberFactory(club=s["club"]),
        channel=Reminder.Channel.SMS,
        lead_days=1,
        meeting_date=meeting.date,
        due_at=timezone.now(),
        address="0987000111",
    )


def _repayment(s):
    loan = make_loan(s["club"])
    return funds.loan_repay(loan=loan, amount=1_000_000, by=None, on=DAY)


def _contribution(s):
    member = ConsentedMemberFactory(club=s["club"])
    (dues,) = funds.dues_record(
        club=s["club"], year=2025, month=1, amounts={member: 20_000}, on=DAY, by=None
    )
    return dues


def _material(s):
    return TrainingMaterial.objects.create(
        training=TrainingFactory(organiser=s["province"]),
        title="Tài liệu",
        file="trainings/tai-lieu.pdf",
        original_name="tai-lieu.pdf",
        kind=TrainingMaterial.Kind.choices[0][0],
        size=10,
    )


# One record of each admin with object pages, in club_a's province ("a") or club_b's ("b").
BUILDERS = {
    "member": lambda s: ConsentedMemberFactory(club=s["club"]),
    "club": lambda s: s["club"],
    "care assignment": lambda s: CareAssignmentFactory(volunteer=VolunteerFactory(club=s["club"])),
    "club status change": lambda s: ClubStatusChange.objects.create(
        club=s["club"], status=Club.Status.ACTIVE, changed_on=DAY
    ),
    "area": lambda s: s["commune"],
    "area succession": lambda s: AreaSuccession.objects.create(
        old=ClubFactory().commune, new=s["commune"]
    ),
    "import job": lambda s: ImportJobFactory(club=s["club"]),
    "meeting": _meeting,
    "health check": lambda s: HealthCheckFactory(member=ConsentedMemberFactory(club=s["club"])),
    "visit": lambda s: HomeCareVisitFactory(club=s["club"]),
    "activity": lambda s: ActivityFactory(club=s["club"]),
    "monthly report": lambda s: MonthlyReportFactory(club=s["club"]),
    "reminder": _reminder,
    "fund": lambda s: revolving(s["club"]),
    "fund plan": lambda s: funds.plan_create(
        fund=revolving(s["club"]), year=2025, target=1_000_000, by=None
    ),
    "ledger entry": lambda s: deposit(revolving(s["club"]), 500_000),
    "loan": lambda s: make_loan(s["club"]),
    "repayment": _repayment,
    "contribution": _contribution,
    "training": lambda s: TrainingFactory(organiser=s["province"]),
    "participant": lambda s: ParticipantFactory(training=TrainingFactory(organiser=s["province"])),
    "training material": _material,
}


def url(obj, page: str, *args) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}", args=[obj.pk, *args])


def snapshot(obj) -> dict:
    """Every stored column of ``obj``, to show that nothing changed."""
    return type(obj).objects.filter(pk=obj.pk).values().get()


def is_history_admin(obj) -> bool:
    return isinstance(admin.site.get_model_admin(type(obj)), ScopedHistoryAdmin)


def post_data(response) -> dict:
    """What a browser would send back from an admin form page: every field as shown, the
    inlines' rows included."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


@pytest.fixture
def staff(cast):
    return grant(cast.province)


@pytest.mark.parametrize("kind", BUILDERS)
def test_another_provinces_record_is_404_on_every_page_and_stays_as_it_was(
    cast, login, staff, kind
):
    other = BUILDERS[kind](side(cast, "b"))
    before = snapshot(other)
    client = login(staff)
    for page in ("change", "delete", "history"):
        assert client.get(url(other, page)).status_code == 404, page
    assert client.post(url(other, "change"), {"club": cast.club_a.pk}).status_code == 404
    assert client.post(url(other, "delete"), {"post": "yes"}).status_code == 404
    if is_history_admin(other):
        version = other.history.latest()
        version_url = url(other, "simple_history", version.history_id)
        assert client.get(version_url).status_code == 404
        response = client.post(version_url, {"club": cast.club_a.pk, "full_name": "Đã sửa"})
        assert response.status_code == 404
        assert other.history.count() == 1
    assert snapshot(other) == before


@pytest.mark.parametrize("kind", BUILDERS)
def test_own_provinces_record_opens(cast, login, staff, kind):
    mine = BUILDERS[kind](side(cast, "a"))
    client = login(staff)
    assert client.get(url(mine, "change")).status_code == 200
    assert client.get(url(mine, "history")).status_code == 200
    if is_history_admin(mine):
        version = mine.history.latest()
        assert client.get(url(mine, "simple_history", version.history_id)).status_code == 200


def test_the_lists_show_only_the_users_scope(cast, login, staff):
    ConsentedMemberFactory(club=cast.club_a, full_name="Lường Thị Trong")
    ConsentedMemberFactory(club=cast.club_b, full_name="Quàng Văn Ngoài")
    page = login(staff).get(reverse("admin:members_member_changelist")).content.decode()
    assert "Lường Thị Trong" in page
    assert "Quàng Văn Ngoài" not in page


def test_a_post_to_a_version_of_another_provinces_member_cannot_pull_it_into_ones_club(
    cast, login, staff
):
    """The reported case: the version page answered the full form, and a POST moved the
    member into the user's club, recorded as their change."""
    member = ConsentedMemberFactory(club=cast.club_b, phone="0911222333")
    version = member.history.latest()
    client = login(staff)
    response = client.post(
        url(member, "simple_history", version.history_id),
        {"club": cast.club_a.pk, "full_name": member.full_name, "sex": "F", "birth_year": 1955},
    )
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.club == cast.club_b
    assert member.history.count() == 1


def test_a_revert_in_the_same_club_is_saved_as_the_users_change(cast, login, staff):
    member = ConsentedMemberFactory(club=cast.club_a, phone="0911000001")
    first = member.history.latest()
    member.phone = "0911000002"
    member.save()
    client = login(staff)
    page = client.get(url(member, "simple_history", first.history_id))
    response = client.post(url(member, "simple_history", first.history_id), post_data(page))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "0911000001"
    assert member.history.latest().history_user == staff


def test_a_revert_that_would_move_the_member_to_another_club_is_refused(cast, login, staff):
    member = ConsentedMemberFactory(club=cast.club_a2, phone="0911000001")
    old = member.history.latest()
    member.club = cast.club_a  # moved by hand, outside a transfer
    member.save()
    client = login(staff)
    page = client.get(url(member, "simple_history", old.history_id))
    response = client.post(url(member, "simple_history", old.history_id), post_data(page))
    assert response.status_code == 200
    with translation.override("en"):
        assert vi(str(REVERT_MOVES)) in response.content.decode()
    member.refresh_from_db()
    assert member.club == cast.club_a
    assert member.history.count() == 2


def test_a_revert_cannot_move_a_club_out_of_a_commune_users_scope(cast, login):
    """Commune staff of A1 may not revert a club to the days it belonged to commune A2."""
    club = ClubFactory(commune=cast.commune_a2)
    old = club.history.latest()
    club.commune = cast.commune_a1
    club.save()
    client = login(grant(cast.commune))
    page = client.get(url(club, "simple_history", old.history_id))
    assert page.status_code == 200
    response = client.post(url(club, "simple_history", old.history_id), post_data(page))
    assert response.status_code == 200
    with translation.override("en"):
        assert vi(str(REVERT_MOVES)) in response.content.decode()
    club.refresh_from_db()
    assert club.commune == cast.commune_a1


def test_a_role_that_may_only_look_cannot_revert(cast, login):
    """django-simple-history saves a revert for anyone who may view the object."""
    member = ConsentedMemberFactory(club=cast.club_a, phone="0911000001")
    first = member.history.latest()
    member.phone = "0911000002"
    member.save()
    client = login(grant(cast.province, "view"))
    page = client.get(url(member, "simple_history", first.history_id))
    assert page.status_code == 200
    response = client.post(url(member, "simple_history", first.history_id), post_data(page))
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.phone == "0911000002"


def test_a_club_leader_cannot_open_another_club_of_the_same_commune(cast, login):
    neighbour = ClubFactory(commune=cast.commune_a1)
    theirs = ConsentedMemberFactory(club=neighbour)
    client = login(grant(cast.leader))
    assert client.get(url(theirs, "change")).status_code == 404
    assert client.get(url(neighbour, "history")).status_code == 404
    mine = ConsentedMemberFactory(club=cast.club_a)
    assert client.get(url(mine, "change")).status_code == 200


def test_a_board_seat_cannot_be_given_to_another_provinces_member(cast, login, staff):
    """The club's board is an inline: its member choices come from the door too."""
    outsider = ConsentedMemberFactory(club=cast.club_b)
    client = login(staff)
    page = client.get(url(cast.club_a, "change"))
    (board,) = page.context["inline_admin_formsets"]
    prefix = board.formset.prefix
    data = {
        **post_data(page),
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-member": outsider.pk,
        f"{prefix}-0-position": BoardPosition.Position.CHAIR,
        f"{prefix}-0-start_on": "2024-01-01",
    }
    response = client.post(url(cast.club_a, "change"), data)
    assert response.status_code == 200  # the form again, with the error on the row
    (board,) = response.context["inline_admin_formsets"]
    assert "member" in board.formset.errors[0]
    assert not BoardPosition.objects.filter(member=outsider).exists()


def test_a_superuser_still_sees_every_province_and_a_missing_record_is_404(cast, login):
    other = ConsentedMemberFactory(club=cast.club_b)
    client = login(cast.admin)
    assert client.get(url(other, "change")).status_code == 200
    assert client.get(url(other, "history")).status_code == 200
    gone = ConsentedMemberFactory(club=cast.club_b)
    gone_url = url(gone, "change")
    gone.delete()
    assert client.get(gone_url).status_code == 404


def test_the_users_admin_is_closed_to_staff_whatever_their_permissions(cast, login, staff):
    client = login(staff)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(url(cast.leader, "change")).status_code == 403
    assert client.get(url(staff, "change")).status_code == 403


def test_deleting_from_the_list_touches_only_the_users_scope(cast, login, staff):
    mine = ActivityFactory(club=cast.club_a)
    theirs = ActivityFactory(club=cast.club_b)
    login(staff).post(
        reverse("admin:month_activity_changelist"),
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"},
    )
    assert type(theirs).objects.filter(pk=theirs.pk).exists()
    assert not type(mine).objects.filter(pk=mine.pk).exists()


def test_a_board_position_has_no_page_of_its_own(cast, login, staff):
    """Board seats are edited on their club's page (above), never on a page of their own, and
    another province's club page (with its board) is 404."""
    assert not admin.site.is_registered(BoardPosition)
    seat = BoardPositionFactory(club=cast.club_b)
    response = login(staff).get(url(cast.club_b, "change"))
    assert response.status_code == 404
    assert seat.member.full_name not in response.content.decode()


def test_fund_plans_of_an_area_follow_the_area(cast, login, staff):
    theirs = FundPlan.objects.create(area=cast.province_b, kind="care", year=2025, target=1_000_000)
    mine = FundPlan.objects.create(area=cast.province_a, kind="care", year=2025, target=1_000_000)
    client = login(staff)
    assert client.get(url(theirs, "change")).status_code == 404
    assert client.get(url(mine, "change")).status_code == 200


def test_a_meeting_of_another_province_cannot_be_reached_by_its_date_either(cast, login, staff):
    theirs = MeetingFactory(club=cast.club_b, date=datetime.date(2024, 6, 21))
    page = login(staff).get(reverse("admin:month_meeting_changelist") + "?date__year=2024")
    assert theirs.club.name not in page.content.decode()


def test_a_member_record_never_lands_outside_the_scope_when_saved(cast, login, staff):
    """The club field only offers the user's clubs; a forged id is refused by the form."""
    member = ConsentedMemberFactory(club=cast.club_a)
    client = login(staff)
    page = client.get(url(member, "change"))
    response = client.post(url(member, "change"), {**post_data(page), "club": cast.club_b.pk})
    assert response.status_code == 200
    assert Member.objects.get(pk=member.pk).club == cast.club_a


def test_the_door_has_the_last_word_on_an_admin_save(cast, staff):
    """Should a form ever let a record out of the user's scope, the save is refused and undone
    (the admin's views save inside a transaction)."""
    meeting = MeetingFactory(club=cast.club_a)
    meeting.club = cast.club_b
    request = RequestFactory().post("/admin/")
    request.user = staff
    with pytest.raises(PermissionDenied), transaction.atomic():
        admin.site.get_model_admin(Meeting).save_model(request, meeting, form=None, change=True)
    assert Meeting.objects.get(pk=meeting.pk).club == cast.club_a
