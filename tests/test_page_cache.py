"""Cached pieces of pages: the menu per user, the dashboards per area and summaries' version.

What a user must never notice: someone else's menu, another area's figures, figures older
than the summaries, or the wrong language.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from reports import summary
from tests.factories import ClubFactory, MemberFactory, UserFactory


@pytest.fixture
def figures(cast):
    for club in (cast.club_a, cast.club_a2, cast.club_b):
        MemberFactory(club=club)
    summary.rebuild(months=3)
    return cast


def members_figure(html: str) -> int:
    """The "Members" key figure as the page shows it."""
    match = re.search(r'/reports/lists/members/\?area=\d+&amp;period=[\d-]+">([\d.]+)</a>', html)
    assert match, "members figure not on the page"
    return int(match.group(1).replace(".", ""))


def dashboard(area) -> str:
    return reverse("reports:area", args=[area.pk])


def test_a_dashboard_seen_again_is_served_without_recomputing(
    login, figures, django_assert_max_num_queries
):
    client = login(figures.province)
    first = client.get(dashboard(figures.province_a)).content.decode()
    # session, user (with the area that is their scope), the area asked for: the figures
    # come from the cache (the first view ran 8)
    with django_assert_max_num_queries(3):
        again = client.get(dashboard(figures.province_a))
    assert again.status_code == 200
    assert members_figure(again.content.decode()) == members_figure(first) == 2


def test_new_figures_show_as_soon_as_the_summaries_are_recomputed(
    login, figures, django_capture_on_commit_callbacks
):
    client = login(figures.province)
    assert members_figure(client.get(dashboard(figures.province_a)).content.decode()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(club=figures.club_a)
        MemberFactory(club=figures.club_a2)
    summary.recompute_dirty()
    assert members_figure(client.get(dashboard(figures.province_a)).content.decode()) == 4


def test_other_provinces_staff_get_404_even_when_the_page_is_cached(login, figures):
    login(figures.province).get(dashboard(figures.province_a))
    outsider = UserFactory(role=Role.PROVINCE, area=figures.province_b)
    response = Client().get(dashboard(figures.province_a))
    assert response.status_code == 302  # anonymous: to the login page
    client = Client()
    client.force_login(outsider)
    assert client.get(dashboard(figures.province_a)).status_code == 404
    own = client.get(dashboard(figures.province_b))
    assert own.status_code == 200
    assert "Xã B Một" in own.content.decode() and "Xã A Một" not in own.content.decode()


def test_province_and_commune_staff_see_their_own_version_of_a_commune(login, figures):
    """Provincial staff get a link up to the province; commune staff (who cannot open it)
    get the name only, whoever opened the page first."""
    province_link = f'href="{dashboard(figures.province_a)}?period='
    commune_page = dashboard(figures.commune_a1)
    commune_client = Client()
    commune_client.force_login(figures.commune)
    assert province_link not in commune_client.get(commune_page).content.decode()
    province_client = Client()
    province_client.force_login(figures.province)
    assert province_link in province_client.get(commune_page).content.decode()
    assert province_link not in commune_client.get(commune_page).content.decode()


def test_a_cached_dashboard_follows_the_language(login, figures):
    client = login(figures.province)
    vietnamese = client.get(dashboard(figures.province_a)).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(dashboard(figures.province_a)).content.decode()
    assert "Communes without an active club" in english
    assert "Communes without an active club" not in vietnamese


def test_each_user_gets_their_own_menu(figures):
    leader_b = UserFactory(role=Role.CLUB_LEADER, club=figures.club_b)
    first, second = Client(), Client()
    first.force_login(figures.leader)
    second.force_login(leader_b)
    page_a = first.get("/").content.decode()
    page_b = second.get("/").content.decode()
    assert reverse("clubs:club_detail", args=[figures.club_a.pk]) in page_a
    assert reverse("clubs:club_detail", args=[figures.club_b.pk]) in page_b
    assert reverse("clubs:club_detail", args=[figures.club_a.pk]) not in page_b


def test_the_menu_follows_a_change_of_club_or_role(figures):
    user = figures.leader
    client = Client()
    client.force_login(user)
    assert (
        reverse("members:member_list", args=[figures.club_a.pk]) in client.get("/").content.decode()
    )
    other = ClubFactory(commune=figures.commune_a1)
    user.club = other
    user.save()
    page = client.get("/").content.decode()
    assert reverse("members:member_list", args=[other.pk]) in page
    assert reverse("members:member_list", args=[figures.club_a.pk]) not in page
    user.role, user.club, user.area = Role.COMMUNE, None, figures.commune_a1
    user.save()
    page = client.get("/").content.decode()
    assert reverse("month:report_inbox") in page
    assert reverse("members:member_list", args=[other.pk]) not in page


def test_the_menu_shows_a_new_name_at_once(figures):
    client = Client()
    client.force_login(figures.leader)
    client.get("/")
    figures.leader.first_name, figures.leader.last_name = "Thị Mới", "Lò"
    figures.leader.save()
    assert figures.leader.get_full_name() in client.get("/").content.decode()
