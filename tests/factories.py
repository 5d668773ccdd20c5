"""Factories for the foundation models; each app adds its own in tests/factories_<app>.py."""

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from clubs.models import Area, Club
from members.models import Member


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("level", "code")

    level = Area.Level.PROVINCE
    code = factory.Sequence(lambda n: f"{90 + n % 10}{n}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("level", "code")

    level = Area.Level.COMMUNE
    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    parent = factory.SubFactory(ProvinceFactory)


class ClubFactory(DjangoModelFactory):
    class Meta:
        model = Club

    code = factory.Sequence(lambda n: f"CLB-T-{n:05d}")
    name = factory.Sequence(lambda n: f"CLB LTH Bản Thử {n}")
    commune = factory.SubFactory(CommuneFactory)
    village = factory.Sequence(lambda n: f"Bản {n}")
    founded_on = datetime.date(2020, 3, 21)
    meeting_rule = Club.MeetingRule.DAY_OF_MONTH
    meeting_day = 21
    meeting_place = "Nhà văn hóa bản"


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    club = factory.SubFactory(ClubFactory)
    full_name = factory.Sequence(lambda n: f"Lò Thị Thử {n}")
    sex = Member.Sex.FEMALE
    birth_year = 1955
    joined_on = datetime.date(2020, 3, 21)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Người"
    last_name = factory.Sequence(lambda n: f"Dùng {n}")
    role = Role.VIEWER
    password = factory.PostGenerationMethodCall("set_password", "Demo@12345")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()
