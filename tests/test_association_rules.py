"""The association's rules: each bad input is refused with a Vietnamese message beside its
field, and nothing is saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from association import services
from association.models import (
    AssessmentScore,
    Branch,
    ClubFounding,
    CommitteeTerm,
    FoundingTarget,
    MembershipReturn,
)
from tests.factories_association import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(cast):
    return World(cast)


def errors(response, field):
    form = response.context["form"]
    return " ".join(form.errors.get(field, []))


RETURN = {
    "men_60_69": "100",
    "women_60_69": "120",
    "men_70_79": "50",
    "women_70_79": "60",
    "men_80_89": "10",
    "women_80_89": "12",
    "men_90_99": "1",
    "women_90_99": "2",
    "men_100": "0",
    "women_100": "0",
    "members": "300",
    "new_members": "20",
    "left_members": "5",
    "dues_vnd": "3.000.000",
    "branches_count": "6",
}


def test_a_return_with_more_members_than_older_persons_is_refused(cast, login, w):
    client = login(cast.commune)
    url = reverse("association:return", args=[w.unit_a1.pk, 2024])
    response = client.post(url, {**RETURN, "members": "400"})
    assert response.status_code == 200
    assert "không thể nhiều hơn số người cao tuổi trên địa bàn (355)" in errors(response, "members")
    assert not MembershipReturn.objects.filter(unit=w.unit_a1, year=2024).exists()


def test_a_return_with_a_negative_count_is_refused(cast, login, w):
    client = login(cast.commune)
    url = reverse("association:return", args=[w.unit_a1.pk, 2024])
    response = client.post(url, {**RETURN, "new_members": "-3"})
    assert errors(response, "new_members")
    response = client.post(url, {**RETURN, "dues_vnd": "-5000"})
    assert "âm" in errors(response, "dues_vnd")
    assert not MembershipReturn.objects.filter(unit=w.unit_a1, year=2024).exists()


def test_a_plausible_return_is_saved_then_sent_and_reviewed(cast, login, w):
    client = login(cast.commune)
    url = reverse("association:return", args=[w.unit_a1.pk, 2024])
    response = client.post(url, RETURN)
    assert response.status_code == 302
    ret = MembershipReturn.objects.get(unit=w.unit_a1, year=2024)
    assert (ret.members, ret.dues_vnd, ret.older_persons) == (300, 3_000_000, 355)
    client.post(reverse("association:return_submit", args=[ret.pk]), {"confirmed": "1"})
    ret.refresh_from_db()
    assert ret.status == MembershipReturn.Status.SUBMITTED
    # sent: the commune cannot change it any more
    response = client.post(url, {**RETURN, "branches_count": "7"})
    assert "không thể sửa" in " ".join(response.context["form"].non_field_errors())
    province = login(cast.province)
    province.post(reverse("association:return_review", args=[ret.pk]), {"accept": "0"})
    ret.refresh_from_db()
    assert ret.status == MembershipReturn.Status.SUBMITTED  # a return sent back needs a reason
    province.post(
        reverse("association:return_review", args=[ret.pk]),
        {"accept": "0", "review_note": "Thiếu số nữ 90–99"},
    )
    ret.refresh_from_db()
    assert (ret.status, ret.review_note) == (MembershipReturn.Status.DRAFT, "Thiếu số nữ 90–99")


def test_a_term_ending_before_it_starts_is_refused(cast, login, w):
    client = login(cast.commune)
    response = client.post(
        reverse("association:term_create", args=[w.unit_a1.pk]),
        {"name": "Nhiệm kỳ 2026–2031", "starts_on": "01/07/2026", "ends_on": "30/06/2025"},
    )
    assert "không thể kết thúc trước" in errors(response, "ends_on")
    assert not CommitteeTerm.objects.filter(name="Nhiệm kỳ 2026–2031").exists()


def test_a_committee_member_needs_a_name_or_a_member(cast, login, w):
    client = login(cast.commune)
    url = reverse("association:seat_create", args=[w.term_a1.pk])
    response = client.post(url, {"position": "vice_chair", "full_name": ""})
    assert "Nhập họ tên" in errors(response, "full_name")
    response = client.post(
        url, {"position": "vice_chair", "full_name": "Tòng Thị Phó", "birth_year": "1850"}
    )
    assert "Nhập năm sinh" in errors(response, "birth_year")
    response = client.post(
        url,
        {"position": "vice_chair", "full_name": "Tòng Thị Phó", "sex": "F", "birth_year": "1958"},
    )
    assert response.status_code == 302
    assert w.term_a1.seats.filter(full_name="Tòng Thị Phó").exists()


def test_a_group_must_belong_to_a_branch_of_the_same_unit(cast, w):
    group = Branch(unit=w.unit_a1, parent=w.branch_b1, name="Tổ 1")
    with pytest.raises(services.AssociationError) as exc:
        services.branch_save(branch=group, by=cast.commune)
    assert "cùng Hội" in str(exc.value)
    assert not Branch.objects.filter(name="Tổ 1").exists()


def test_a_score_above_the_criterions_maximum_is_refused(cast, login, w):
    client = login(cast.commune)
    response = client.post(
        reverse("association:assessment_scores", args=[w.ua_a1.pk]),
        {f"score_{w.c1.pk}": "51", f"score_{w.c2.pk}": "40"},
    )
    assert response.status_code == 400
    assert "tối đa 50" in response.content.decode()
    assert not AssessmentScore.objects.filter(self_score__isnull=False).exists()
    with pytest.raises(services.AssociationError) as exc:
        services.scores_save(
            assessment=w.ua_a1, scores={w.c1.pk: (Decimal("50.5"), "")}, by=cast.commune
        )
    assert "tối đa 50" in str(exc.value)


def test_a_target_for_a_commune_outside_the_plans_province_is_refused(cast, login, w):
    client = login(cast.province)
    client.force_login(cast.admin)  # an admin may choose any commune: the plan's rule stops it
    response = client.post(
        reverse("association:target_create", args=[w.plan_a.pk]),
        {"commune": cast.commune_b1.pk, "year": "2026", "planned": "2"},
    )
    assert "không thuộc tỉnh của kế hoạch" in errors(response, "commune")
    response = client.post(
        reverse("association:target_create", args=[w.plan_a.pk]),
        {"commune": cast.commune_a2.pk, "year": "2035", "planned": "2"},
    )
    assert "2024–2030" in errors(response, "year")
    assert not FoundingTarget.objects.filter(commune=cast.commune_b1).exists()


def test_a_pipeline_step_dated_before_the_previous_one_is_refused(cast, login, w):
    client = login(cast.commune)
    url = reverse("association:founding", args=[w.founding_a1.pk])
    assert (
        client.post(url, {"done_on": "10/03/2025", "responsible": "Lò Văn Chủ Tịch"}).status_code
        == 302
    )
    response = client.post(url, {"done_on": "09/03/2025", "responsible": "Lò Văn Chủ Tịch"})
    assert "không thể trước bước trước đó (10/03/2025)" in errors(response, "done_on")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client.post(
        url, {"done_on": tomorrow.strftime("%d/%m/%Y"), "responsible": "Lò Văn Chủ Tịch"}
    )
    assert errors(response, "done_on")
    w.founding_a1.refresh_from_db()
    assert w.founding_a1.step == ClubFounding.Step.SURVEY
    assert w.founding_a1.steps.count() == 1


def test_evidence_is_checked_by_its_content(cast, login, w):
    client = login(cast.commune)
    url = reverse("association:assessment_evidence", args=[w.ua_a1.pk])
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {"criterion": w.c1.pk, "file": fake})
    assert response.status_code == 400
    assert "không phải loại được phép" in response.content.decode() or "PDF" in (
        response.content.decode()
    )
    assert not AssessmentScore.objects.exclude(evidence="").exists()
    real = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(url, {"criterion": w.c1.pk, "file": real})
    assert response.status_code == 302
    score = AssessmentScore.objects.get(assessment=w.ua_a1, criterion=w.c1)
    assert score.evidence_name == "bien-ban.pdf"
    download = client.get(reverse("association:evidence", args=[score.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    outsider = login(cast.leader2)
    assert outsider.get(reverse("association:evidence", args=[score.pk])).status_code == 404


HOSTILE = ["a\x00b", "1" + "0" * 30, "-1", "0,5", "31/12/9999", "x" * 5000, "99999999999999999999"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_is_refused_on_every_form_without_a_server_error(cast, login, w, value):
    client = login(cast.province)
    posts = [
        (reverse("association:return", args=[w.unit_a1.pk, 2024]), list(RETURN)),
        (reverse("association:unit_edit", args=[w.unit_a1.pk]), ["name", "founded_on", "email"]),
        (reverse("association:branch_create", args=[w.unit_a1.pk]), ["name", "parent", "clubs"]),
        (reverse("association:term_create", args=[w.unit_a1.pk]), ["name", "starts_on", "ends_on"]),
        (
            reverse("association:seat_create", args=[w.term_a1.pk]),
            ["position", "member", "birth_year"],
        ),
        (reverse("association:round_create"), ["year", "title"]),
        (
            reverse("association:round_edit", args=[w.round_a.pk]),
            ["strong_min", "good_min", "deadline"],
        ),
        (reverse("association:criterion_create", args=[w.round_a.pk]), ["max_points", "order"]),
        (reverse("association:assessment_scores", args=[w.ua_a1.pk]), [f"score_{w.c1.pk}"]),
        (reverse("association:plan_create"), ["province", "start_year", "end_year"]),
        (reverse("association:target_create", args=[w.plan_a.pk]), ["commune", "year", "planned"]),
        (
            reverse("association:founding_create", args=[w.plan_a.pk]),
            ["commune", "year", "training"],
        ),
        (reverse("association:founding", args=[w.founding_a1.pk]), ["done_on", "responsible"]),
    ]
    for url, fields in posts:
        response = client.post(url, {name: value for name in fields})
        assert response.status_code in (200, 302, 400), url
    for url in [
        reverse("association:units") + f"?q={value}&level={value}&page={value}",
        reverse("association:returns") + f"?year={value}&mpage={value}",
        reverse("association:round", args=[w.round_a.pk]) + f"?page={value}",
        reverse("association:plan", args=[w.plan_a.pk]) + f"?page={value}",
    ]:
        assert client.get(url).status_code == 200, url
