"""Who sees whom: a club's leader reads their own club's people by name and everyone else as
counts; viewers read counts only, and a count of 1 to 4 people as "< 5" (accounts.privacy).

The case from testing: a provincial training with 99 people, one of them from the leader's
club. The leader could open it (one of theirs took part) and read all 99 names with their
ethnicity, 98 of them from other communes.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import privacy
from accounts.models import Role
from reports import summary
from tests.factories import ClubFactory, MemberFactory, UserFactory
from tests.factories_members import ConsentedMemberFactory
from tests.factories_month import HealthCheckFactory
from tests.factories_trainings import ParticipantFactory, TrainingFactory, check_in
from trainings.models import Participant
from trainings.selectors import OTHER_GROUPS

pytestmark = pytest.mark.django_db

RARE = "Si La"  # one person of this group among the 99


@pytest.fixture
def conference(cast):
    """A provincial training: one member of club_a, one of club_b (the other province's
    leader2), 97 association people of other communes, one of them Si La."""
    training = TrainingFactory(organiser=cast.province_a)
    own_a = ParticipantFactory(
        training=training,
        member=MemberFactory(club=cast.club_a, full_name="Lường Thị Bản Mới"),
        full_name="Lường Thị Bản Mới",
        unit="CLB LTH Bản Mới",
        area=cast.commune_a1,
    )
    own_b = ParticipantFactory(
        training=training,
        member=MemberFactory(club=cast.club_b, full_name="Vàng A Khu Ba"),
        full_name="Vàng A Khu Ba",
        unit="CLB LTH Khu 3",
        area=cast.commune_b1,
        ethnicity="Mông",
    )
    others = [
        ParticipantFactory(
            training=training,
            full_name=f"Cán bộ Hội {n:02d}",
            unit=f"Hội NCT xã {n % 3}",
            area=cast.commune_a2,
            ethnicity=RARE if n == 0 else "Thái",
        )
        for n in range(97)
    ]
    day = training.sessions.first()
    for p in (own_a, own_b, *others):
        check_in(p, day)
    return training, own_a, own_b, others


def _participants(client, training):
    return client.get(reverse("trainings:participants", args=[training.pk]))


def test_a_leader_reads_only_their_own_clubs_people_by_name(cast, login, conference):
    training, own_a, own_b, others = conference
    response = _participants(login(cast.leader2), training)
    assert response.status_code == 200
    page = response.content.decode()
    assert own_b.full_name in page
    assert own_a.full_name not in page  # club_a's member, another province
    assert not any(p.full_name in page for p in others)
    assert RARE not in page and own_a.phone not in page
    assert [p.pk for p in response.context["page_obj"]] == [own_b.pk]


def test_the_others_are_counted_by_commune_and_unit(cast, login, conference):
    training, *_ = conference
    response = _participants(login(cast.leader2), training)
    rows = {(r["area"], r["unit"]): r["n"] for r in response.context["others"]}
    assert rows == {
        (cast.commune_a1.name, "CLB LTH Bản Mới"): 1,
        (cast.commune_a2.name, "Hội NCT xã 0"): 33,
        (cast.commune_a2.name, "Hội NCT xã 1"): 32,
        (cast.commune_a2.name, "Hội NCT xã 2"): 32,
    }
    page = response.content.decode()
    assert 'id="others-by-unit"' in page and "Hội NCT xã 1" in page


def test_the_clubs_leader_reads_her_own_member_and_staff_read_everyone(cast, login, conference):
    training, own_a, own_b, _others = conference
    mine = _participants(login(cast.leader), training)
    assert [p.pk for p in mine.context["page_obj"]] == [own_a.pk]
    assert own_b.full_name not in mine.content.decode()
    staff = _participants(login(cast.province), training)
    assert staff.context["page_obj"].paginator.count == 99
    assert staff.context["others"] == []  # everyone is named: no counts
    assert RARE in staff.content.decode()


def test_a_leader_prints_and_certifies_only_their_own_people(cast, login, conference, monkeypatch):
    training, own_a, own_b, _others = conference
    client = login(cast.leader2)
    sheet = client.get(reverse("trainings:attendance_sheet", args=[training.pk]))
    assert sheet.status_code == 200
    assert [p.pk for p in sheet.context["participants"]] == [own_b.pk]
    assert own_a.full_name not in sheet.content.decode()
    printed: list[Participant] = []

    def pdf(*, training, entries):
        printed.extend(p for p, _days in entries)
        return b"%PDF-1.4"

    monkeypatch.setattr("trainings.views.certificates_pdf", pdf)
    response = client.get(reverse("trainings:certificates", args=[training.pk]))
    assert response.status_code == 200 and printed == [own_b]
    other = reverse("trainings:certificate", args=[training.pk, own_a.pk])
    assert client.get(other).status_code == 404


def test_small_ethnic_groups_are_folded_for_a_leader_but_not_for_staff(cast, login, conference):
    training, *_ = conference
    url = reverse("trainings:summary", args=[training.pk])
    leader = login(cast.leader2).get(url)
    groups = {str(r["ethnicity"]): r["n"] for r in leader.context["by_ethnicity"]}
    assert groups["Thái"] == 97  # 96 others and club_a's member
    assert RARE not in groups and "Mông" not in groups  # 1 each: folded
    assert groups[str(OTHER_GROUPS)] is privacy.SUPPRESSED  # 2 people in the other groups
    assert RARE not in leader.content.decode()
    staff = login(cast.province).get(url)
    assert {r["ethnicity"]: r["n"] for r in staff.context["by_ethnicity"]}[RARE] == 1


def test_a_viewer_reads_the_participants_as_counts(cast, login, conference):
    training, own_a, *_ = conference
    response = _participants(login(cast.viewer), training)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    rows = {(r["area"], r["unit"]): r["n"] for r in response.context["others"]}
    assert rows[(cast.commune_a2.name, "Hội NCT xã 1")] == 32
    assert rows[(cast.commune_a1.name, "CLB LTH Bản Mới")] is privacy.SUPPRESSED
    assert own_a.full_name not in response.content.decode()


def test_the_leaders_list_runs_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries
):
    training = TrainingFactory(organiser=cast.province_a)
    ParticipantFactory(
        training=training, member=MemberFactory(club=cast.club_b), area=cast.commune_b1
    )
    client = login(cast.leader2)
    _participants(client, training)  # the access log looks its content type up once
    counts = []
    for extra in (3, 50):
        ParticipantFactory.create_batch(extra, training=training, area=cast.commune_a2)
        # session, user, training, count and page of the named rows, the others by unit,
        # the user's club (menu); the access log (savepoint, INSERT, release)
        with django_assert_max_num_queries(10) as ctx:
            assert _participants(client, training).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- small counts -------------------------------------------------------------------------


@pytest.fixture
def small_club(cast):
    """Club_a with 12 members: 3 poor, 2 volunteers, one high reading this month."""
    today = timezone.localdate()
    for n in range(12):
        poor = n < 3
        member = (ConsentedMemberFactory if poor else MemberFactory)(
            club=cast.club_a, is_volunteer=n in (5, 6), full_name=f"Pờ Thị Kín {n:02d}"
        )
        if n == 0:
            HealthCheckFactory(
                member=member, club=cast.club_a, date=today, systolic=170, diastolic=100
            )
    summary.rebuild(months=2)
    return cast


def _figure(name: str, html: str) -> str:
    """A dashboard figure as the page shows it (the link to the list behind it)."""
    match = re.search(rf'/reports/lists/{name}/\?[^"]*">([^<]+)</a>', html)
    assert match, name
    return match.group(1)


def test_a_viewer_reads_small_counts_as_less_than_five(login, small_club):
    cast = small_club
    # The readings are of this month; a dashboard opens on the last complete one.
    month = f"?period={timezone.localdate():%Y-%m}"
    url = reverse("reports:area", args=[cast.commune_a1.pk]) + month
    viewer = UserFactory(username="commune-viewer", role=Role.VIEWER, area=cast.commune_a1)
    # Commune staff first: the dashboard they cached must not reach the viewer.
    staff = login(cast.commune).get(url).content.decode()
    assert _figure("health_high", staff) == "1"
    page = login(viewer).get(url).content.decode()
    assert _figure("health_high", page) == "&lt; 5"
    assert _figure("volunteers", page) == "&lt; 5"
    assert _figure("poor", page) == "&lt; 5"
    assert _figure("members", page) == "12"  # a group of 5 or more is shown whole
    assert "Pờ Thị Kín" not in page


def test_a_viewer_reads_small_counts_on_the_composition_and_club_pages(login, small_club):
    cast = small_club
    client = login(cast.viewer)
    composition = client.get(reverse("clubs:area_composition", args=[cast.commune_a1.pk]))
    poor = composition.context["composition"].figures()[4]
    assert (poor.count, poor.total) == (3, 12)  # the figure itself is whole …
    page = composition.content.decode()
    assert "3/12" not in page and "&lt; 5/12" in page  # … the page shows "< 5"
    club = client.get(reverse("clubs:club_detail", args=[cast.club_a.pk])).content.decode()
    assert "&lt; 5/12" in club and "Pờ Thị Kín" not in club
    # The club's leader reads the whole counts and the board by name.
    own = login(cast.leader).get(reverse("clubs:club_detail", args=[cast.club_a.pk]))
    assert "3/12" in own.content.decode()


def test_a_viewer_reads_small_counts_in_the_figure_lists_and_without_member_links(
    login, small_club
):
    cast = small_club
    url = reverse("reports:figure_list", args=["poor"]) + f"?area={cast.province_a.pk}"
    rows = login(cast.viewer).get(url).context["page_obj"].object_list
    assert [(r["club_id"], r["value"], r["list_url"]) for r in rows] == [
        (cast.club_a.pk, privacy.SUPPRESSED, None)
    ]
    staff = login(cast.province).get(url).context["page_obj"].object_list
    assert [(r["value"], bool(r["list_url"])) for r in staff] == [(3, True)]


def test_the_declaration_answers_for_each_role(cast):
    assert privacy.may_see_people(cast.leader) and privacy.may_see_people(cast.commune)
    assert not privacy.may_see_people(cast.viewer)
    assert privacy.shown_count(cast.viewer, 3) is privacy.SUPPRESSED
    assert privacy.shown_count(cast.viewer, 5) == 5
    assert privacy.shown_count(cast.viewer, 0) == 0
    assert privacy.shown_count(cast.leader, 3) == 3
    assert str(privacy.SUPPRESSED) == "< 5"
    assert privacy.PageAccess(cast.viewer).show["member"]["phone"] is False
    assert privacy.PageAccess(cast.leader).show["member"]["phone"] is True
    assert privacy.PageAccess(cast.leader).show["participant"]["ethnicity"] is True
    rows = [{"g": "A", "n": 10}, {"g": "B", "n": 2}, {"g": "C", "n": 1}]
    folded = privacy.fold_small_groups(rows, key="g", other="*", sees_everyone=False)
    assert [(r["g"], r["n"]) for r in folded] == [("A", 10), ("*", privacy.SUPPRESSED)]
    assert privacy.fold_small_groups(rows, key="g", other="*", sees_everyone=True) == rows


def test_a_club_viewer_sees_the_clubs_figures_but_no_one(cast, login):
    viewer = UserFactory(username="club-viewer", role=Role.VIEWER, club=cast.club_a)
    MemberFactory(club=cast.club_a, full_name="Hoàng Thị Ẩn")
    club = ClubFactory(commune=cast.commune_a1)
    client = login(viewer)
    page = client.get(reverse("clubs:club_detail", args=[cast.club_a.pk]))
    assert page.status_code == 200 and "Hoàng Thị Ẩn" not in page.content.decode()
    assert client.get(reverse("members:member_list", args=[cast.club_a.pk])).status_code == 403
    assert client.get(reverse("clubs:club_detail", args=[club.pk])).status_code == 404
