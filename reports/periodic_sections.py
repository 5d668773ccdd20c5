"""The annex sections of a report upward that come from the association's own records: the
register of older persons, membership returns and the assessment, longevity celebrations,
campaigns and emulation. Each contributor takes (area, span) and returns
``{section: {row: value}}`` in a fixed number of queries (``reports.periodic.CONTRIBUTORS``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from association.models import AssociationUnit, Branch, MembershipReturn, UnitAssessment
from campaigns.models import (
    Campaign,
    CampaignGift,
    CampaignReceipt,
    Commendation,
    EmulationRegistration,
)
from clubs.models import Area
from elders.models import LongevityCelebration, OlderPerson
from reports.spans import Span, Values


def in_area(path: str, area: Area) -> Q:
    """Objects whose area (reached by ``path``) is ``area`` or, for a province, in it."""
    if area.level == Area.Level.PROVINCE:
        return Q(**{path: area}) | Q(**{f"{path}__province": area})
    return Q(**{path: area})


BANDS: tuple[tuple[str, int, int], ...] = (
    ("age_60_69", 60, 69),
    ("age_70_79", 70, 79),
    ("age_80_89", 80, 89),
    ("age_90_99", 90, 99),
    ("age_100", 100, 200),
)


def older_persons(area: Area, span: Span) -> Values:
    """The register as it stands, read at the period's end: alive then, 60 and over by
    birth year (the register keeps no entry date that means "known to the association
    since"): one query."""
    end = span.last_day
    qs = (
        OlderPerson.objects.filter(in_area("commune", area))
        .filter(Q(died_on__isnull=True) | Q(died_on__gt=end))
        .annotate(
            born=Coalesce(ExtractYear("birth_date"), "birth_year", output_field=IntegerField())
        )
        .filter(born__lte=end.year - 60)
    )
    aggs: dict[str, Any] = {
        "x_total": Count("pk"),
        "x_men": Count("pk", filter=Q(sex="M")),
        "x_women": Count("pk", filter=Q(sex="F")),
    }
    for key, low, high in BANDS:
        aggs[f"x_{key}"] = Count(
            "pk", filter=Q(born__lte=end.year - low, born__gte=end.year - high)
        )
    r = qs.aggregate(**aggs)
    return {"older_persons": {k.removeprefix("x_"): v for k, v in r.items()}}


def association(area: Area, span: Span) -> Values:
    """Membership returns of the period's year (all but drafts), the units and branches, and
    the classes of the assessment published for that year: four queries."""
    year = span.first_day.year
    returns = MembershipReturn.objects.filter(in_area("unit__area", area), year=year).exclude(
        status="draft"
    )
    r = returns.aggregate(
        members=Sum("members", default=0),
        new_members=Sum("new_members", default=0),
        dues=Sum("dues_vnd", default=0),
    )
    units = AssociationUnit.objects.filter(in_area("area", area)).count()
    branches = Branch.objects.filter(in_area("unit__area", area)).count()
    classes = dict(
        UnitAssessment.objects.filter(
            in_area("unit__area", area), round__year=year, status="published"
        )
        .order_by()
        .values_list("result")
        .annotate(n=Count("pk"))
    )
    return {
        "association": {
            **r,
            "units": units,
            "branches": branches,
            **{key: classes.get(key, 0) for key in ("strong", "good", "average", "weak")},
        }
    }


def celebrations(area: Area, span: Span) -> Values:
    """Longevity celebrations held in the period: one query."""
    r = LongevityCelebration.objects.filter(
        in_area("person__commune", area),
        held_on__gte=span.first_day,
        held_on__lte=span.last_day,
    ).aggregate(celebrated=Count("person", distinct=True), gifts=Sum("gift_value", default=0))
    return {"celebrations": r}


def campaigns(area: Area, span: Span) -> Values:
    """Campaigns under way in the period (organised in the area or deployed to it), gifts
    given and money raised under them: three queries."""
    overlap = Q(starts_on__lte=span.last_day, ends_on__gte=span.first_day)
    running = (
        Campaign.objects.filter(overlap)
        .filter(in_area("organiser", area) | in_area("deployed_to", area))
        .values("pk")
        .distinct()
        .count()
    )
    gifts = CampaignGift.objects.filter(
        in_area("area", area), date__gte=span.first_day, date__lte=span.last_day
    ).aggregate(gifts=Count("pk"), gift_value=Sum("value", default=0))
    raised = CampaignReceipt.objects.filter(
        in_area("area", area),
        entry__date__gte=span.first_day,
        entry__date__lte=span.last_day,
    ).aggregate(raised=Sum("entry__amount", default=0))
    return {"campaigns": {"campaigns": running, **gifts, **raised}}


def emulation(area: Area, span: Span) -> Values:
    """Registrations in drives under way in the period and commendations decided in it: two
    queries."""
    registrations = EmulationRegistration.objects.filter(
        in_area("area", area) | in_area("club__commune", area),
        drive__starts_on__lte=span.last_day,
        drive__ends_on__gte=span.first_day,
    ).count()
    commendations = Commendation.objects.filter(
        in_area("area", area),
        decision_date__gte=span.first_day,
        decision_date__lte=span.last_day,
    ).count()
    return {"emulation": {"registrations": registrations, "commendations": commendations}}


CONTRIBUTORS = [older_persons, association, celebrations, campaigns, emulation]
