"""Composition figures from the database equal a hand count over the same members."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from clubs.models import Club
from members.models import CompositionTarget, Member
from members.selectors import (
    Figure,
    area_composition,
    club_composition,
    filter_compliance,
    with_composition,
)
from tests.factories import ClubFactory, CommuneFactory, MemberFactory, ProvinceFactory, UserFactory

TODAY = datetime.date(2026, 6, 15)


def hand_count(members: list[Member], *, older_age: int = 60, today=TODAY) -> dict:
    """What a leader would count with pen and paper."""
    active = [m for m in members if m.left_on is None]

    def is_older(m):
        return m.age_on(today) >= older_age

    return {
        "n_members": len(active),
        "n_women": sum(m.sex == "F" for m in active),
        "n_older": sum(is_older(m) for m in active),
        "n_poor": sum(m.household_status in ("poor", "near_poor") for m in active),
        "n_volunteers": sum(m.is_volunteer for m in active),
    }


member_st = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["F", "M"]),
        # Around the cut-off on purpose: born 1965–1967 is 58–61 in mid-2026.
        "birth": st.one_of(
            st.dates(datetime.date(1930, 1, 1), datetime.date(2000, 12, 31)),
            st.dates(datetime.date(1965, 6, 1), datetime.date(1966, 7, 31)),
            st.integers(1930, 2000),
            st.integers(1965, 1967),
        ),
        "household": st.sampled_from(["", "poor", "near_poor", "not_poor"]),
        "volunteer": st.booleans(),
        "left": st.booleans(),
    }
)


def make(club, spec, i) -> Member:
    birth = spec["birth"]
    return MemberFactory(
        club=club,
        full_name=f"Thành viên {i}",
        sex=spec["sex"],
        birth_date=birth if isinstance(birth, datetime.date) else None,
        birth_year=birth.year if isinstance(birth, datetime.date) else birth,
        household_status=spec["household"],
        consent_on=datetime.date(2024, 1, 1) if spec["household"] else None,
        is_volunteer=spec["volunteer"],
        left_on=datetime.date(2025, 1, 1) if spec["left"] else None,
    )


class TestCompositionMatchesHandCount(HypothesisTestCase):
    @given(st.lists(member_st, max_size=25))
    @hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_club_figures(self, specs):
        club = ClubFactory()
        members = [make(club, spec, i) for i, spec in enumerate(specs)]
        got = club_composition(club=club, today=TODAY)
        expected = hand_count(members)
        assert {k: getattr(got, k) for k in expected} == expected
        assert got.n_younger == expected["n_members"] - expected["n_older"]
        annotated = with_composition(Club.objects.filter(pk=club.pk), TODAY).get()
        assert {k: getattr(annotated, k) for k in expected} == expected


@pytest.mark.django_db
def test_birth_year_only_counts_by_year(settings):
    settings.ISHC_OLDER_AGE = 60
    club = ClubFactory()
    # Year only: 1966 -> 60 in 2026 (older all year); full date 1966-12-01 -> 59 until December.
    MemberFactory(club=club, birth_year=1966, birth_date=None)
    MemberFactory(club=club, birth_year=1966, birth_date=datetime.date(1966, 12, 1))
    MemberFactory(club=club, birth_year=1966, birth_date=datetime.date(1966, 6, 15))
    comp = club_composition(club=club, today=TODAY)
    assert (comp.n_members, comp.n_older, comp.n_younger) == (3, 2, 1)


@pytest.mark.django_db
def test_cut_off_is_a_setting(settings):
    club = ClubFactory()
    MemberFactory(club=club, birth_year=1970)  # 56 in 2026
    settings.ISHC_OLDER_AGE = 60
    assert club_composition(club=club, today=TODAY).n_older == 0
    settings.ISHC_OLDER_AGE = 55
    assert club_composition(club=club, today=TODAY).n_older == 1


@pytest.mark.django_db
def test_members_who_left_do_not_count():
    club = ClubFactory()
    MemberFactory(club=club, sex="F")
    MemberFactory(club=club, sex="F", left_on=datetime.date(2024, 5, 1))
    comp = club_composition(club=club, today=TODAY)
    assert (comp.n_members, comp.n_women) == (1, 1)


@pytest.mark.django_db
def test_area_sums_its_clubs_and_leaves_out_other_communes():
    province = ProvinceFactory()
    commune, other = CommuneFactory(parent=province), CommuneFactory(parent=province)
    a, b, c = ClubFactory(commune=commune), ClubFactory(commune=commune), ClubFactory(commune=other)
    members = [MemberFactory(club=a, sex="F") for _ in range(3)]
    members += [MemberFactory(club=b, sex="M", is_volunteer=True) for _ in range(2)]
    MemberFactory(club=c, sex="F")
    admin = UserFactory(role="admin", is_superuser=True)
    comp = area_composition(area=commune, viewer=admin, today=TODAY)
    expected = hand_count(members)
    assert {k: getattr(comp, k) for k in expected} == expected
    assert comp.n_clubs == 2
    assert area_composition(area=province, viewer=admin, today=TODAY).n_members == 6


def test_figure_flags_use_exact_shares():
    assert Figure("w", 6, 10, 60, 70).status == "ok"
    assert Figure("w", 59, 100, 60, 70).status == "low"
    assert Figure("w", 71, 100, 60, 70).status == "high"
    assert Figure("w", 2, 3, 60, 70).status == "ok"  # 66.7 %
    assert Figure("v", 4, None, 5, None).status == "low"
    assert Figure("v", 5, None, 5, None).status == "ok"
    assert Figure("w", 0, 0, 60, 70).status == "low"


def _club_meeting_targets(club, n=60):
    """n members, 65 % of them women, older and poor; 6 volunteers (60 -> 39 of each)."""
    k = round(n * 0.65)
    for i in range(n):
        MemberFactory(
            club=club,
            sex="F" if i < k else "M",
            birth_year=1950 if i < k else 1990,
            household_status="poor" if i < k else "not_poor",
            consent_on=datetime.date(2024, 1, 1),
            is_volunteer=i >= n - 6,
        )


@pytest.mark.django_db
def test_compliance_filter_runs_in_sql_and_agrees_with_flags():
    good, small = ClubFactory(), ClubFactory()
    _club_meeting_targets(good)
    _club_meeting_targets(small, n=40)
    target = CompositionTarget.current()
    qs = with_composition(Club.objects.filter(pk__in=[good.pk, small.pk]), TODAY)
    assert list(filter_compliance(qs, target=target, meets=True)) == [good]
    assert list(filter_compliance(qs, target=target, meets=False)) == [small]
    assert club_composition(club=good, today=TODAY).meets_all
    assert not club_composition(club=small, today=TODAY).meets_all


@pytest.mark.django_db
def test_targets_are_seeded_and_editable():
    target = CompositionTarget.objects.get()
    assert (target.min_members, target.max_members, target.women_min, target.min_volunteers) == (
        50,
        70,
        60,
        5,
    )
    club = ClubFactory()
    _club_meeting_targets(club, n=40)
    assert not club_composition(club=club).meets_all
    target.min_members = 40
    target.save()
    assert club_composition(club=club).meets_all


@pytest.mark.django_db
def test_club_page_shows_the_panel_with_flags(cast, login):
    _club_meeting_targets(cast.club_a, n=40)
    response = login(cast.leader).get(reverse("clubs:club_detail", args=[cast.club_a.pk]))
    html = response.content.decode()
    assert "50–70" in html
    assert "▼" in html  # too few members
    assert "65 %" in html


@pytest.mark.django_db
def test_commune_page_sums_the_clubs(cast, login):
    _club_meeting_targets(cast.club_a)
    response = login(cast.commune).get(reverse("clubs:area_composition", args=[cast.commune_a1.pk]))
    assert response.status_code == 200
    assert response.context["composition"].n_members == 60
    assert response.context["composition"].meets_all
