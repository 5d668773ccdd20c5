"""Keeps ``ClubComposition`` (one row per club: its active members by sex, age, household and
volunteering) in step with the register.

- ``refresh(club_ids)`` recomputes the rows of some clubs in one aggregate query over their
  members and one over the clubs. ``reports.summary`` calls it for every club whose
  summaries it recomputes (the signals mark a club dirty when one of its members is added,
  changed, moved or leaves), and ``rebuild_summaries`` for every club.
- ``refresh_due(today)`` recomputes the rows that a birthday made out of date (the
  summaries' refresh runs it every minute).
- ``heal(clubs)`` recomputes, before a page reads them, the rows of those clubs that are
  missing or that do not match the club any more (renamed, moved, dissolved or reopened, a
  birthday passed, the older age changed; ``stale_q``): what the page shows about a club
  never lags behind the club itself; member changes reach it with the next refresh. The
  composition page counts those clubs in the same query that sums the rows
  (``members.selectors.summed_area_composition``) and calls ``heal`` only when there is one.

Age is the only figure that changes with the date alone. A member who counts as older stays
older, so the row's ``n_older`` is right until the first day one of the club's younger
active members turns older: the earliest-born of them (by full birth date, or by year of
birth on 1 January, as ``members.selectors.older_q`` counts them). That day is stored; from
then the row is recomputed before it is read.

Who counts as older (``older_cutoff``, ``older_q``) is defined here, for the live counts of
``members.selectors`` and the summaries alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from clubs.models import Club
from members.models import ClubComposition, Member

BATCH = 500
POOR_STATUSES = (Member.Household.POOR, Member.Household.NEAR_POOR)


def older_cutoff(today: datetime.date | None = None) -> tuple[datetime.date, int]:
    """(latest birth date, latest birth year) of someone who counts as older today.

    A member with a full birth date is older from their birthday; one with only a year of
    birth counts by year (born in 1966 -> 60 throughout 2026), as ``Member.age_on`` does.
    """
    today = today or timezone.localdate()
    age = settings.ISHC_OLDER_AGE
    try:
        latest_date = today.replace(year=today.year - age)
    except ValueError:  # 29 February
        latest_date = today.replace(year=today.year - age, day=28)
    return latest_date, today.year - age


def older_q(prefix: str = "", today: datetime.date | None = None) -> Q:
    """Q for members who count as older (``prefix`` e.g. "members__" from a club)."""
    latest_date, latest_year = older_cutoff(today)
    return Q(**{f"{prefix}birth_date__isnull": False, f"{prefix}birth_date__lte": latest_date}) | Q(
        **{f"{prefix}birth_date__isnull": True, f"{prefix}birth_year__lte": latest_year}
    )


def _turns_older(
    birth_date: datetime.date | None, birth_year: int | None, age: int
) -> datetime.date | None:
    """The first day a member born then counts as older (a day early for 29 February in a
    year without one: recomputing a day early is harmless)."""
    days = []
    if birth_date is not None:
        try:
            days.append(birth_date.replace(year=birth_date.year + age))
        except ValueError:
            days.append(datetime.date(birth_date.year + age, 2, 28))
    if birth_year is not None:
        days.append(datetime.date(birth_year + age, 1, 1))
    return min(days) if days else None


def refresh(club_ids: Iterable[int], today: datetime.date | None = None) -> int:
    """Recompute and store the rows of these clubs (two queries and one write per batch)."""
    today = today or timezone.localdate()
    ids = sorted(set(club_ids))
    written = 0
    for i in range(0, len(ids), BATCH):
        written += _refresh_batch(ids[i : i + BATCH], today)
    return written


def _refresh_batch(ids: list[int], today: datetime.date) -> int:
    age = settings.ISHC_OLDER_AGE
    latest_date, latest_year = older_cutoff(today)
    clubs = list(
        Club.objects.filter(pk__in=ids).values(
            "pk", "name", "commune_id", "commune__name", "province_id", "status"
        )
    )
    if not clubs:
        return 0
    active = Q(left_on__isnull=True)
    counts = {
        r["club_id"]: r
        for r in Member.objects.filter(club_id__in=[c["pk"] for c in clubs])
        .order_by()
        .values("club_id")
        .annotate(
            n_members=Count("pk", filter=active),
            n_women=Count("pk", filter=active & Q(sex=Member.Sex.FEMALE)),
            n_older=Count("pk", filter=active & older_q("", today)),
            n_poor=Count("pk", filter=active & Q(household_status__in=POOR_STATUSES)),
            n_volunteers=Count("pk", filter=active & Q(is_volunteer=True)),
            # The next to turn older: the earliest-born younger active member of each kind.
            next_date=Min(
                "birth_date",
                filter=active & Q(birth_date__isnull=False, birth_date__gt=latest_date),
            ),
            next_year=Min(
                "birth_year",
                filter=active & Q(birth_date__isnull=True, birth_year__gt=latest_year),
            ),
        )
    }
    rows = []
    for c in clubs:
        r: dict[str, Any] = counts.get(c["pk"], {})
        rows.append(
            ClubComposition(
                club_id=c["pk"],
                province_id=c["province_id"],
                commune_id=c["commune_id"],
                club_name=c["name"],
                commune_name=c["commune__name"],
                dissolved=c["status"] == Club.Status.DISSOLVED,
                n_members=r.get("n_members", 0),
                n_women=r.get("n_women", 0),
                n_older=r.get("n_older", 0),
                n_poor=r.get("n_poor", 0),
                n_volunteers=r.get("n_volunteers", 0),
                older_age=age,
                computed_on=today,
                older_changes_on=_turns_older(r.get("next_date"), r.get("next_year"), age),
            )
        )
    ClubComposition.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["club"],
        update_fields=[f.name for f in ClubComposition._meta.concrete_fields if not f.primary_key],
        batch_size=BATCH,
    )
    return len(rows)


def refresh_due(today: datetime.date | None = None) -> int:
    """Recompute the rows a birthday (or a new older age) made out of date."""
    today = today or timezone.localdate()
    due = ClubComposition.objects.filter(
        Q(older_changes_on__lte=today) | ~Q(older_age=settings.ISHC_OLDER_AGE)
    ).values_list("club_id", flat=True)
    return refresh(list(due), today)


def stale_q(today: datetime.date) -> Q:
    """Q on clubs whose composition row is missing or no longer describes them."""
    age = settings.ISHC_OLDER_AGE
    dissolved = Q(status=Club.Status.DISSOLVED)
    return (
        Q(composition__isnull=True)
        | Q(composition__older_changes_on__lte=today)
        | Q(composition__older_age__lt=age)
        | Q(composition__older_age__gt=age)
        | (dissolved & Q(composition__dissolved=False))
        | (~dissolved & Q(composition__dissolved=True))
        | ~Q(composition__club_name=F("name"))
        | ~Q(composition__commune_id=F("commune_id"))
        | ~Q(composition__commune_name=F("commune__name"))
        | Q(composition__province_id__isnull=True, province_id__isnull=False)
        | ~Q(composition__province_id=F("province_id"))
    )


def heal(clubs: QuerySet[Club], today: datetime.date | None = None) -> int:
    """Recompute the rows of ``clubs`` that are missing or out of date (one query when none
    is)."""
    today = today or timezone.localdate()
    stale = list(clubs.filter(stale_q(today)).order_by().values_list("pk", flat=True))
    return refresh(stale, today) if stale else 0
