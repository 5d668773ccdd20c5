import pytest
from django.core.management import call_command

from clubs.models import Area

pytestmark = pytest.mark.django_db


def test_load_areas_loads_the_country_once():
    call_command("load_areas")
    assert Area.objects.filter(level=Area.Level.PROVINCE).count() == 34
    assert Area.objects.filter(level=Area.Level.COMMUNE).count() == 3321
    lai_chau = Area.objects.get(level=Area.Level.PROVINCE, code="12")
    assert lai_chau.name == "Lai Châu"
    assert Area.objects.filter(level=Area.Level.COMMUNE, province=lai_chau).count() == 38
    before = list(Area.objects.order_by("pk").values_list("pk", "code", "name", "parent_id"))
    call_command("load_areas")
    after = list(Area.objects.order_by("pk").values_list("pk", "code", "name", "parent_id"))
    assert before == after


def test_load_one_province():
    call_command("load_areas", province="12")
    assert Area.objects.filter(level=Area.Level.PROVINCE).count() == 1
    assert Area.objects.filter(level=Area.Level.COMMUNE).count() == 38
    assert Area.objects.filter(name="Phường Tân Phong").exists()


def test_the_tree_holds_legacy_districts_and_successions():
    from clubs.models import AreaSuccession

    call_command("load_areas", province="12")
    province = Area.objects.get(level=Area.Level.PROVINCE, code="12")
    district = Area.objects.create(
        level=Area.Level.DISTRICT, code="106", name="Huyện Tam Đường", parent=province, active=False
    )
    old = Area.objects.create(
        level=Area.Level.COMMUNE, code="L-X", name="Xã Nà Tăm", parent=district, active=False
    )
    assert old.province == province
    new = Area.objects.get(level=Area.Level.COMMUNE, name="Xã Bình Lư")
    AreaSuccession.objects.create(old=old, new=new)
    assert list(new.predecessors.values_list("old__name", flat=True)) == ["Xã Nà Tăm"]


def test_reloading_a_renamed_commune_carries_its_clubs_funds_along():
    """The official list renames a commune: the fund list (which sorts on the fund's copy of
    its holder's name) shows the new name after ``load_areas``."""
    from funds.models import Fund
    from tests.factories import ClubFactory

    call_command("load_areas", province="12")
    commune = Area.objects.get(level=Area.Level.COMMUNE, name="Phường Tân Phong")
    ClubFactory(commune=commune)
    fund = Fund.objects.create(owner_area=commune, kind="care", name="Quỹ chăm sóc")
    Area.objects.filter(pk=commune.pk).update(name="Phường Cũ", search_name="phuong cu")
    Fund.objects.filter(pk=fund.pk).update(holder_name="Phường Cũ")
    call_command("load_areas", province="12")
    fund.refresh_from_db()
    assert fund.holder_name == "Phường Tân Phong"
