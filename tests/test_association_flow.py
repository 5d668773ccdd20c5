"""The association's flows end to end: the yearly assessment from self-scoring to the
published round, a planned club from the survey to its launch, and the plan against the clubs
actually founded."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from association import selectors, services
from association.models import (
    AssessmentRound,
    AssessmentStep,
    ClubFounding,
    UnitAssessment,
)
from clubs.models import Club
from tests.factories import ClubFactory
from tests.factories_association import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(cast):
    return World(cast)


def test_the_assessment_goes_from_self_scoring_to_a_published_locked_round(cast, login, w):
    # One test client: ``login`` signs it in as each person in turn.
    client = login(cast.commune)
    url = reverse("association:assessment", args=[w.ua_a1.pk])
    # Sending before every criterion is scored is refused.
    client.post(reverse("association:assessment_submit", args=[w.ua_a1.pk]), {"confirmed": "1"})
    w.ua_a1.refresh_from_db()
    assert w.ua_a1.status == UnitAssessment.Status.DRAFT
    response = client.post(
        reverse("association:assessment_scores", args=[w.ua_a1.pk]),
        {f"score_{w.c1.pk}": "45", f"note_{w.c1.pk}": "Đủ ban", f"score_{w.c2.pk}": "30,5"},
    )
    assert response.status_code == 302
    w.ua_a1.refresh_from_db()
    assert w.ua_a1.self_total == Decimal("75.5")
    client.post(reverse("association:assessment_submit", args=[w.ua_a1.pk]), {"confirmed": "1"})
    w.ua_a1.refresh_from_db()
    assert w.ua_a1.status == UnitAssessment.Status.SUBMITTED
    # The commune cannot review its own assessment.
    response = client.post(reverse("association:assessment_review", args=[w.ua_a1.pk]), {})
    assert response.status_code == 403

    login(cast.province)
    client.post(
        reverse("association:assessment_return", args=[w.ua_a1.pk]),
        {"reason": "Thiếu minh chứng tiêu chí 2"},
    )
    w.ua_a1.refresh_from_db()
    assert (w.ua_a1.status, w.ua_a1.return_reason) == ("draft", "Thiếu minh chứng tiêu chí 2")
    login(cast.commune)
    assert "Thiếu minh chứng tiêu chí 2" in client.get(url).content.decode()
    client.post(reverse("association:assessment_submit", args=[w.ua_a1.pk]), {"confirmed": "1"})

    login(cast.province)
    response = client.post(
        reverse("association:assessment_review", args=[w.ua_a1.pk]),
        {f"final_{w.c1.pk}": "60", f"final_{w.c2.pk}": "30", "comment": "Khá"},
    )
    assert response.status_code == 400  # above the criterion's 50 points
    response = client.post(
        reverse("association:assessment_review", args=[w.ua_a1.pk]),
        {f"final_{w.c1.pk}": "44", f"final_{w.c2.pk}": "", "comment": "Cần phát triển hội viên"},
    )
    assert response.status_code == 302
    w.ua_a1.refresh_from_db()
    assert w.ua_a1.final_total == Decimal("74.5")  # 44 + the unit's own 30.5
    assert w.ua_a1.result == "average"  # good from 75
    actions = list(w.ua_a1.steps.values_list("action", "by__username"))
    assert actions == [
        ("submitted", "commune"),
        ("returned", "province"),
        ("submitted", "commune"),
        ("reviewed", "province"),
    ]

    response = client.get(reverse("association:round", args=[w.round_a.pk]))
    page = response.content.decode()
    assert "Phát triển hội viên" in page.split('id="ranking"')[1]  # the lowest criterion
    classes = {c["key"]: c["n"] for c in response.context["classes"]}
    assert classes == {"strong": 0, "good": 0, "average": 1, "weak": 0, "": 1}
    client.post(reverse("association:round_publish", args=[w.round_a.pk]), {"confirmed": "1"})
    w.round_a.refresh_from_db()
    w.ua_a1.refresh_from_db()
    assert w.round_a.locked
    assert w.ua_a1.status == UnitAssessment.Status.PUBLISHED
    assert AssessmentStep.objects.filter(assessment=w.ua_a1, action="published").exists()
    assert w.ua_a1.history.count() >= 4  # simple-history keeps every change

    # Published: locked for everyone.
    with pytest.raises(services.AssociationError):
        services.scores_save(
            assessment=w.ua_a2, scores={w.c1.pk: (Decimal(1), "")}, by=cast.commune
        )
    response = client.post(
        reverse("association:criterion_edit", args=[w.c1.pk]),
        {"group": "X", "name": "X", "max_points": "10", "order": "1"},
    )
    assert "Đợt xếp loại đã công bố; không thể sửa." in response.content.decode()
    login(cast.commune)
    history = client.get(reverse("association:unit_history", args=[w.unit_a1.pk]))
    assert "Trung bình" in history.content.decode()


def test_a_new_round_copies_last_years_criteria_and_thresholds(cast, login, w):
    w.round_a.good_min = Decimal(70)
    w.round_a.save()
    client = login(cast.province)
    response = client.post(reverse("association:round_create"), {"year": "2026"})
    assert response.status_code == 302
    new = AssessmentRound.objects.get(province=cast.province_a, year=2026)
    assert [c.name for c in new.criteria.all()] == [
        "Tổ chức và ban chấp hành",
        "Phát triển hội viên",
    ]
    assert new.good_min == Decimal(70)
    assert set(new.assessments.values_list("unit__area__name", flat=True)) == {
        "Xã A Một",
        "Xã A Hai",
    }
    response = client.post(reverse("association:round_create"), {"year": "2026"})
    assert "đã có đợt xếp loại" in response.content.decode()


def test_a_criterion_cannot_be_lowered_below_points_already_given(cast, w):
    services.scores_save(assessment=w.ua_a1, scores={w.c1.pk: (Decimal(40), "")}, by=cast.commune)
    w.c1.max_points = Decimal(30)
    with pytest.raises(services.AssociationError) as exc:
        services.criterion_save(criterion=w.c1, by=cast.province)
    assert "max_points" in exc.value.message_dict


def test_a_planned_club_goes_through_every_step_and_its_launch_creates_the_club(cast, login, w):
    client = login(cast.commune)
    url = reverse("association:founding", args=[w.founding_a1.pk])
    day = datetime.date(2025, 1, 6)
    for step in range(1, 6):
        data = {"done_on": day.strftime("%d/%m/%Y"), "responsible": "Lò Văn Chủ Tịch"}
        if step == ClubFounding.Step.DECISION:
            response = client.post(url, data)
            assert "Nhập số quyết định" in " ".join(
                response.context["form"].errors["decision_number"]
            )
            data["decision_number"] = "88/QĐ-UBND"
        assert client.post(url, data).status_code == 302, step
        day += datetime.timedelta(days=20)
    assert (
        client.post(
            url, {"done_on": day.strftime("%d/%m/%Y"), "responsible": "Lò Văn Chủ Tịch"}
        ).status_code
        == 302
    )
    w.founding_a1.refresh_from_db()
    club = w.founding_a1.club
    assert club is not None and w.founding_a1.done
    assert (club.commune, club.name) == (cast.commune_a1, w.founding_a1.name)
    assert club.decision_number == "88/QĐ-UBND"
    assert club.founded_on == datetime.date(2025, 3, 27)  # the commune decision's day
    assert club.launched_on == day
    response = client.post(url, {"done_on": day.strftime("%d/%m/%Y"), "responsible": "X"})
    assert response.status_code == 302  # nothing more to record
    assert w.founding_a1.steps.count() == 6


def test_plan_against_actual_counts_clubs_by_their_founding_date(cast, login, w):
    ClubFactory(commune=cast.commune_a1, founded_on=datetime.date(2025, 5, 1))
    ClubFactory(commune=cast.commune_a1, founded_on=datetime.date(2023, 5, 1))  # before the plan
    ClubFactory(commune=cast.commune_b1, founded_on=datetime.date(2025, 5, 1))  # other province
    grid = selectors.plan_grid(plan=w.plan_a, communes=[cast.commune_a1, cast.commune_a2])
    a1 = grid[0]
    cell = next(c for c in a1["cells"] if c["year"] == 2025)
    assert (cell["planned"], cell["actual"]) == (2, 1)
    assert (a1["planned"], a1["actual"]) == (2, 1)
    client = login(cast.province)
    page = client.get(reverse("association:plan", args=[w.plan_a.pk])).content.decode()
    years = page.split('id="years"')[1].split("</table>")[0]
    assert '<td class="text-end">2</td><td class="text-end">1</td>' in years.replace("\n", "")
    # Xã A Hai's only club is club_a2 (active): no commune lacks a club; pause it and it does.
    Club.objects.filter(commune=cast.commune_a2).update(status=Club.Status.PAUSED)
    page = client.get(reverse("association:plan", args=[w.plan_a.pk])).content.decode()
    assert "Xã A Hai" in page.split('id="no-club"')[1].split("</ul>")[0]


def test_stalled_pipelines_are_listed_after_the_set_number_of_days(cast, settings, w):
    services.founding_step_record(
        founding=w.founding_a1,
        done_on=datetime.date.today() - datetime.timedelta(days=45),
        responsible="Lò Văn Chủ Tịch",
        by=cast.commune,
    )
    settings.ISHC_FOUNDING_STALL_DAYS = 60
    assert not selectors.stalled(plan=w.plan_a, viewer=cast.province).exists()
    settings.ISHC_FOUNDING_STALL_DAYS = 30
    assert list(selectors.stalled(plan=w.plan_a, viewer=cast.province)) == [w.founding_a1]


def test_missing_units_are_created_and_join_the_open_round(cast, login, w):
    from association.models import AssociationUnit
    from tests.factories import CommuneFactory

    new = CommuneFactory(parent=cast.province_a, name="Xã Mới Lập")
    client = login(cast.province)
    units = client.get(reverse("association:units")).content.decode()
    assert "Tạo 1 đơn vị còn thiếu" in units
    confirm = client.post(reverse("association:units_create_missing"))
    assert "Tạo các đơn vị còn thiếu?" in confirm.content.decode()
    assert not AssociationUnit.objects.filter(area=new).exists()  # only on the confirmation
    client.post(reverse("association:units_create_missing"), {"confirmed": "1"})
    unit = AssociationUnit.objects.get(area=new)
    assert unit.name == "Hội Người cao tuổi Xã Mới Lập"
    assert UnitAssessment.objects.filter(round=w.round_a, unit=unit, status="draft").exists()
    assert not UnitAssessment.objects.filter(round=w.round_b, unit=unit).exists()
