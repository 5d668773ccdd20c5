"""A club member's page links to their record in the commune's register of older persons
(when there is one and the viewer may open it), and the older person's page links back.
members does not import elders: the member page loads the tag ``elders_panels``."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from elders.models import OlderPerson
from tests.factories import MemberFactory
from tests.factories_elders import OlderPersonFactory
from tests.factories_month import vi

pytestmark = pytest.mark.django_db

LINK = "Record in the register of older persons"


@pytest.fixture
def member(cast):
    return MemberFactory(club=cast.club_a, full_name="Lò Văn Pền", birth_year=1950)


@pytest.fixture
def person(cast, member):
    return OlderPersonFactory(
        commune=cast.commune_a1, full_name=member.full_name, birth_year=1950, member=member
    )


def member_url(member):
    return reverse("members:member_detail", args=[member.pk])


def person_url(person):
    return reverse("elders:person_detail", args=[person.pk])


@pytest.mark.parametrize("who", ["commune", "province", "leader"])
def test_the_member_page_links_to_the_older_person(cast, login, member, person, who):
    page = login(getattr(cast, who)).get(member_url(member))
    assert page.status_code == 200
    assert vi(LINK) in page.text
    assert person_url(person) in page.text


def test_no_link_without_an_older_person_record(cast, login, member):
    page = login(cast.commune).get(member_url(member))
    assert page.status_code == 200
    assert vi(LINK) not in page.text


def test_the_older_persons_page_links_back_to_the_member(cast, login, member, person):
    for user in (cast.commune, cast.leader):
        page = login(user).get(person_url(person))
        assert page.status_code == 200
        assert member_url(member) in page.text


def test_outsiders_get_neither_page(cast, login, member, person):
    client = login(cast.leader2)
    assert client.get(member_url(member)).status_code == 404
    assert client.get(person_url(person)).status_code == 404


def test_viewers_never_get_the_link(cast, member, person):
    # Viewers see aggregates only: the member page is closed to them, and the tag itself
    # gives them nothing even where it is drawn.
    request = RequestFactory().get("/")
    request.user = cast.viewer
    html = Template("{% load elders_panels %}{% member_older_person_link member %}").render(
        Context({"request": request, "member": member})
    )
    assert person_url(person) not in html
    request.user = cast.commune
    html = Template("{% load elders_panels %}{% member_older_person_link member %}").render(
        Context({"request": request, "member": member})
    )
    assert person_url(person) in html


def test_a_person_out_of_the_viewers_scope_is_not_linked(cast, login, member):
    # A register record of another commune (a person who moved away) stays out of sight.
    OlderPersonFactory(commune=cast.commune_b1, full_name=member.full_name, member=member)
    page = login(cast.commune).get(member_url(member))
    assert vi(LINK) not in page.text
    assert OlderPerson.objects.filter(member=member).exists()


def test_member_page_query_count_is_the_same_with_or_without_the_link(
    cast, login, member, django_assert_max_num_queries
):
    client = login(cast.commune)
    with django_assert_max_num_queries(60) as without:
        client.get(member_url(member))
    OlderPersonFactory(commune=cast.commune_a1, full_name=member.full_name, member=member)
    with django_assert_max_num_queries(len(without.captured_queries)):
        page = client.get(member_url(member))
    assert vi(LINK) in page.text
