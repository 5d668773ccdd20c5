"""Factories for the association app (units, branches, committees, returns, assessments,
founding plans)."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from association.models import (
    AssessmentCriterion,
    AssessmentRound,
    AssociationUnit,
    Branch,
    ClubFounding,
    CommitteeMember,
    CommitteeTerm,
    FoundingPlan,
    FoundingTarget,
    MembershipReturn,
    UnitAssessment,
)
from tests.factories import CommuneFactory, ProvinceFactory


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = AssociationUnit
        django_get_or_create = ("area",)

    area = factory.SubFactory(CommuneFactory)
    name = factory.LazyAttribute(lambda o: f"Hội Người cao tuổi {o.area.name}")
    address = "Trụ sở UBND"


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = Branch

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Chi hội bản {n}")
    village = factory.Sequence(lambda n: f"Bản {n}")


class TermFactory(DjangoModelFactory):
    class Meta:
        model = CommitteeTerm

    unit = factory.SubFactory(UnitFactory)
    name = "Nhiệm kỳ 2021–2026"
    starts_on = datetime.date(2021, 6, 1)
    ends_on = datetime.date(2026, 12, 31)


class SeatFactory(DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    term = factory.SubFactory(TermFactory)
    position = CommitteeMember.Position.CHAIR
    full_name = factory.Sequence(lambda n: f"Lường Văn Hội {n}")
    sex = CommitteeMember.Sex.MALE
    birth_year = 1955
    phone = factory.Sequence(lambda n: f"09120{n:05d}")


class ReturnFactory(DjangoModelFactory):
    class Meta:
        model = MembershipReturn

    unit = factory.SubFactory(UnitFactory)
    year = 2025
    men_60_69 = 300
    women_60_69 = 350
    men_70_79 = 150
    women_70_79 = 200
    men_80_89 = 50
    women_80_89 = 80
    members = 900
    new_members = 40
    left_members = 20
    dues_vnd = 9_000_000
    branches_count = 8


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentRound

    province = factory.SubFactory(ProvinceFactory)
    year = 2025
    title = factory.LazyAttribute(lambda o: f"Xếp loại Hội cơ sở {o.year}")


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentCriterion

    round = factory.SubFactory(RoundFactory)
    group = "Tổ chức"
    name = factory.Sequence(lambda n: f"Tiêu chí {n}")
    max_points = Decimal(50)
    order = factory.Sequence(lambda n: n)


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = UnitAssessment

    round = factory.SubFactory(RoundFactory)
    unit = factory.SubFactory(UnitFactory)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = FoundingPlan

    province = factory.SubFactory(ProvinceFactory)
    title = "Kế hoạch thành lập CLB liên thế hệ tự giúp nhau giai đoạn 2024–2030"
    start_year = 2024
    end_year = 2030


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = FoundingTarget

    plan = factory.SubFactory(PlanFactory)
    commune = factory.SubFactory(CommuneFactory)
    year = 2025
    planned = 2
    supporter = "Ngân sách tỉnh"


class FoundingFactory(DjangoModelFactory):
    class Meta:
        model = ClubFounding

    plan = factory.SubFactory(PlanFactory)
    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"CLB LTH Bản Dự Kiến {n}")
    village = factory.Sequence(lambda n: f"Bản {n}")
    year = 2025


class World:
    """The association of the cast's provinces and communes: a unit each, a branch, a term
    with its chair, a return, an open round with two criteria and a plan with a target."""

    def __init__(self, cast):
        self.unit_pa = UnitFactory(area=cast.province_a)
        self.unit_a1 = UnitFactory(area=cast.commune_a1)
        self.unit_a2 = UnitFactory(area=cast.commune_a2)
        self.unit_pb = UnitFactory(area=cast.province_b)
        self.unit_b1 = UnitFactory(area=cast.commune_b1)
        self.branch_a1 = BranchFactory(unit=self.unit_a1, name="Chi hội Bản Mới")
        self.branch_b1 = BranchFactory(unit=self.unit_b1, name="Chi hội Khu 3")
        self.term_a1 = TermFactory(unit=self.unit_a1)
        self.seat_a1 = SeatFactory(term=self.term_a1, full_name="Lò Văn Chủ Tịch")
        self.term_b1 = TermFactory(unit=self.unit_b1)
        self.seat_b1 = SeatFactory(term=self.term_b1, full_name="Hà Văn Ngoài")
        self.return_a1 = ReturnFactory(unit=self.unit_a1, year=2025)
        self.return_b1 = ReturnFactory(unit=self.unit_b1, year=2025)
        self.round_a = RoundFactory(province=cast.province_a, year=2025)
        self.c1 = CriterionFactory(round=self.round_a, name="Tổ chức và ban chấp hành")
        self.c2 = CriterionFactory(round=self.round_a, name="Phát triển hội viên")
        self.ua_a1 = AssessmentFactory(round=self.round_a, unit=self.unit_a1)
        self.ua_a2 = AssessmentFactory(round=self.round_a, unit=self.unit_a2)
        self.round_b = RoundFactory(province=cast.province_b, year=2025)
        self.ua_b1 = AssessmentFactory(round=self.round_b, unit=self.unit_b1)
        self.plan_a = PlanFactory(province=cast.province_a)
        self.target_a1 = TargetFactory(plan=self.plan_a, commune=cast.commune_a1, year=2025)
        self.founding_a1 = FoundingFactory(plan=self.plan_a, commune=cast.commune_a1)
        self.plan_b = PlanFactory(province=cast.province_b)
        self.founding_b1 = FoundingFactory(plan=self.plan_b, commune=cast.commune_b1)
