import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import privacy, scoping
from clubs.models import Area, Club
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(o.name for o in qs)


def test_each_role_sees_exactly_its_clubs(cast):
    assert names(scoping.clubs_for(cast.admin)) == names(Club.objects.all())
    assert names(scoping.clubs_for(cast.province)) == ["CLB LTH Bản Hon", "CLB LTH Bản Mới"]
    assert names(scoping.clubs_for(cast.commune)) == ["CLB LTH Bản Mới"]
    assert names(scoping.clubs_for(cast.leader)) == ["CLB LTH Bản Mới"]
    assert names(scoping.clubs_for(cast.leader2)) == ["CLB LTH Khu 3"]
    assert names(scoping.clubs_for(cast.viewer)) == ["CLB LTH Bản Hon", "CLB LTH Bản Mới"]


def test_each_role_sees_exactly_its_areas(cast):
    assert set(scoping.areas_for(cast.province)) == {
        cast.province_a,
        cast.commune_a1,
        cast.commune_a2,
    }
    assert list(scoping.areas_for(cast.commune)) == [cast.commune_a1]
    assert list(scoping.areas_for(cast.leader)) == [cast.commune_a1]
    assert cast.province_b not in scoping.areas_for(cast.province)


def test_club_owned_objects_follow_the_club(cast):
    mine = MemberFactory(club=cast.club_a)
    other = MemberFactory(club=cast.club_b)
    assert list(scoping.for_user(Member, cast.leader)) == [mine]
    assert list(scoping.for_user(Member, cast.leader2)) == [other]
    assert set(scoping.for_user(Member, cast.admin)) == {mine, other}


def test_out_of_scope_is_404_for_read_and_write(cast):
    other = MemberFactory(club=cast.club_b)
    for user in (cast.province, cast.commune, cast.leader, cast.viewer):
        with pytest.raises(Http404):
            scoping.get_for_user(Member, user, pk=other.pk)
        with pytest.raises(Http404):
            scoping.get_for_user(Member, user, pk=other.pk, write=True)


def test_viewer_reads_but_gets_403_on_write(cast):
    mine = MemberFactory(club=cast.club_a)
    assert scoping.get_for_user(Member, cast.viewer, pk=mine.pk) == mine
    with pytest.raises(PermissionDenied):
        scoping.get_for_user(Member, cast.viewer, pk=mine.pk, write=True)
    assert scoping.get_for_user(Member, cast.leader, pk=mine.pk, write=True) == mine


def test_unscoped_and_inactive_users_see_nothing(cast, django_user_model):
    lost = django_user_model.objects.create_user("lost", password="x", role="commune")
    assert not scoping.clubs_for(lost).exists()
    cast.leader.is_active = False
    assert not scoping.clubs_for(cast.leader).exists()


def test_a_bad_pk_is_404_not_500(cast):
    with pytest.raises(Http404):
        scoping.get_for_user(Club, cast.admin, pk="abc")


def test_sensitive_fields_hidden_from_viewers(cast):
    # Who sees personal data is the declaration's answer (accounts.privacy), not the door's.
    assert privacy.may_see(cast.leader, privacy.SENSITIVE)
    assert privacy.may_see(cast.commune, privacy.SENSITIVE)
    assert not privacy.may_see(cast.viewer, privacy.SENSITIVE)


def test_role_scope_is_validated(cast):
    from django.core.exceptions import ValidationError

    cast.province.area = cast.commune_a1
    with pytest.raises(ValidationError):
        cast.province.full_clean()
    assert cast.commune_a1.province == cast.province_a
    assert cast.commune_a1.level == Area.Level.COMMUNE


def test_area_list_shows_only_communes_in_scope(cast, login):
    response = login(cast.commune).get("/areas/")
    assert response.status_code == 200
    assert "Xã A Một" in response.text
    assert "Xã A Hai" not in response.text
    response = login(cast.province).get("/areas/?q=xa a hai")
    assert "Xã A Hai" in response.text
    assert "Xã A Một" not in response.text


def test_area_list_query_count_is_fixed(cast, login, django_assert_max_num_queries):
    from tests.factories import ClubFactory, CommuneFactory

    for i in range(30):
        ClubFactory(commune=CommuneFactory(code=f"918{i:02d}", parent=cast.province_a))
    client = login(cast.province)
    # session, user, count, page of communes with club counts
    with django_assert_max_num_queries(5):
        response = client.get("/areas/")
    assert response.status_code == 200
    assert "Xã A Một" in response.text and "Xã B Một" not in response.text


def test_admin_is_scoped_for_staff_users(cast, client):
    cast.province.is_staff = True
    cast.province.save()
    from django.contrib.auth.models import Permission

    cast.province.user_permissions.set(
        Permission.objects.filter(codename__in=["view_club", "change_club"])
    )
    client.force_login(cast.province)
    listing = client.get("/admin/clubs/club/")
    assert listing.status_code == 200
    assert "CLB LTH Bản Mới" in listing.text
    assert "CLB LTH Khu 3" not in listing.text
    outsider = client.get(f"/admin/clubs/club/{cast.club_b.pk}/change/")
    assert outsider.status_code in (302, 404)  # admin redirects "does not exist" to the list
    assert client.get(f"/admin/clubs/club/{cast.club_a.pk}/change/").status_code == 200
