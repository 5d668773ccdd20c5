"""The member register: list, search, filters, add/edit with consent, leave, transfer, care."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from members.models import CareAssignment, Member
from members.phones import PhoneError, normalise_phone
from tests.factories import ClubFactory, MemberFactory
from tests.factories_members import (
    CareAssignmentFactory,
    ConsentedMemberFactory,
    VolunteerFactory,
)
from tests.factories_month import vi

pytestmark = pytest.mark.django_db


def add_data(**extra):
    return {
        "full_name": "Nguyễn Thị Tư",
        "sex": "F",
        "birth_year": "1956",
        "phone": "+84 912.345.678",
        "joined_on": "01/03/2024",
        **extra,
    }


@pytest.mark.parametrize("n", [10, 200])
def test_member_list_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries, n):
    MemberFactory.create_batch(n, club=cast.club_a)
    client = login(cast.leader)
    url = reverse("members:member_list", args=[cast.club_a.pk]) + "?age=older&sex=F&volunteer=no"
    # 1 session, 2 user, 3 the club (through the scope), 4 count, 5 the user's club (menu),
    # 6 the page of members, 7-10 the access log (its content type the first time,
    # savepoint, INSERT, release).
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == n


def test_search_without_accents_finds_the_name(cast, login):
    MemberFactory(club=cast.club_a, full_name="Nguyễn Thị Tư")
    MemberFactory(club=cast.club_a, full_name="Nguyễn Thị Tuyết")
    MemberFactory(club=cast.club_a, full_name="Lò Văn Ơn")
    client = login(cast.leader)
    url = reverse("members:member_list", args=[cast.club_a.pk])
    for term in ("nguyen thi tu", "NGUYEN THI TU", "Nguyễn  Thị Tư", "thi tu"):
        names = [m.full_name for m in client.get(url, {"q": term}).context["page_obj"]]
        assert "Nguyễn Thị Tư" in names, term
        assert "Lò Văn Ơn" not in names
    names = [m.full_name for m in client.get(url, {"q": "van on"}).context["page_obj"]]
    assert names == ["Lò Văn Ơn"]


def test_filters(cast, login):
    today = datetime.date.today()
    old = MemberFactory(club=cast.club_a, birth_year=today.year - 70, sex="F")
    young = MemberFactory(club=cast.club_a, birth_year=today.year - 30, sex="M", is_volunteer=True)
    poor = ConsentedMemberFactory(club=cast.club_a, birth_year=today.year - 40, sex="M")
    gone = MemberFactory(club=cast.club_a, left_on=datetime.date(2024, 1, 1))
    client = login(cast.leader)
    url = reverse("members:member_list", args=[cast.club_a.pk])

    def names(**params):
        return {m.pk for m in client.get(url, params).context["page_obj"]}

    assert names() == {old.pk, young.pk, poor.pk}
    assert names(age="older") == {old.pk}
    assert names(age="younger") == {young.pk, poor.pk}
    assert names(sex="M") == {young.pk, poor.pk}
    assert names(volunteer="yes") == {young.pk}
    assert names(household="poor_or_near") == {poor.pk}
    assert names(state="left") == {gone.pk}
    assert names(state="all") == {old.pk, young.pk, poor.pk, gone.pk}


def test_viewer_gets_no_named_member_page_or_file_and_cannot_filter_by_household(cast, login):
    """Viewers see aggregates only (accounts.privacy): the register, a member's page and the
    exports answer 403 with a message that says why; the filter has no household field."""
    from accounts.privacy import PEOPLE_ONLY_MESSAGE
    from members.forms import MemberFilterForm

    member = ConsentedMemberFactory(
        club=cast.club_a, ethnicity="Mông", household_status="near_poor", has_disability=True
    )
    client = login(cast.viewer)
    with translation.override("vi"):
        why = str(PEOPLE_ONLY_MESSAGE)
    with translation.override("en"):
        assert why != str(PEOPLE_ONLY_MESSAGE)  # the Vietnamese a user reads
    for url in (
        reverse("members:member_list", args=[cast.club_a.pk]),
        reverse("members:member_detail", args=[member.pk]),
        reverse("members:club_export", args=[cast.club_a.pk]),
        reverse("members:area_export", args=[cast.commune_a1.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        html = response.content.decode()
        assert why in html, url
        for word in (member.full_name, "Mông", "Hộ cận nghèo", "Khuyết tật"):
            assert word not in html, (url, word)
    assert "household" not in MemberFilterForm(user=cast.viewer).fields
    assert "household" in MemberFilterForm(user=cast.leader).fields


def test_leader_adds_a_member_phone_stored_as_national_digits(cast, login):
    response = login(cast.leader).post(
        reverse("members:member_create", args=[cast.club_a.pk]), add_data()
    )
    member = Member.objects.get()
    assert response.status_code == 302
    assert (member.phone, member.search_name, member.birth_year) == (
        "0912345678",
        "nguyen thi tu",
        1956,
    )
    assert member.history.get().history_user == cast.leader


def test_bad_phone_is_refused_with_a_message(cast, login):
    response = login(cast.leader).post(
        reverse("members:member_create", args=[cast.club_a.pk]), add_data(phone="12345")
    )
    assert response.status_code == 200
    assert "số điện thoại Việt Nam" in response.content.decode()
    assert not Member.objects.exists()


def test_birth_date_or_year_is_required(cast, login):
    data = add_data()
    del data["birth_year"]
    response = login(cast.leader).post(
        reverse("members:member_create", args=[cast.club_a.pk]), data
    )
    assert response.context["form"].errors["birth_year"]
    response = login(cast.leader).post(
        reverse("members:member_create", args=[cast.club_a.pk]),
        {**data, "birth_date": "05/07/1950"},
    )
    assert Member.objects.get().birth_year == 1950


def test_sensitive_fields_need_consent(cast, login):
    client = login(cast.leader)
    url = reverse("members:member_create", args=[cast.club_a.pk])
    form = client.get(url).context["form"]
    assert form.fields["consent_given"].initial is False
    assert 'name="consent_given" checked' not in client.get(url).content.decode()
    response = client.post(url, add_data(ethnicity="Thái", household_status="poor"))
    assert response.status_code == 200
    assert response.context["form"].errors["consent_given"]
    assert not Member.objects.exists()
    response = client.post(
        url,
        add_data(
            ethnicity="Thái",
            household_status="poor",
            consent_given="on",
            consent_on="01/03/2024",
            consent_method="verbal",
        ),
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.ethnicity, member.consent_method, member.consent_recorded_by) == (
        "Thái",
        "verbal",
        cast.leader,
    )


def test_ethnicity_must_be_one_of_the_54(cast, login):
    response = login(cast.leader).post(
        reverse("members:member_create", args=[cast.club_a.pk]),
        add_data(
            ethnicity="Klingon", consent_given="on", consent_on="01/03/2024", consent_method="paper"
        ),
    )
    assert response.context["form"].errors["ethnicity"]


def test_edit_keeps_consent_and_records_history(cast, login):
    member = ConsentedMemberFactory(club=cast.club_a, full_name="Lò Thị Xuân")
    client = login(cast.leader)
    url = reverse("members:member_edit", args=[member.pk])
    assert "consent_given" not in client.get(url).context["form"].fields
    response = client.post(
        url,
        add_data(full_name="Lò Thị Xuân", ethnicity="Mông", household_status="near_poor"),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ethnicity == "Mông"
    staff = login(cast.commune).get(reverse("members:member_detail", args=[member.pk]))
    entries = staff.context["history"]
    changed = {c.field for c in entries[0].changes}
    assert {"dân tộc", "hoàn cảnh hộ gia đình"} <= changed or {"ethnicity"} <= changed
    assert entries[0].who == cast.leader
    leader_page = login(cast.leader).get(reverse("members:member_detail", args=[member.pk]))
    assert leader_page.context["history"] is None


def test_consent_withdrawn_clears_sensitive_fields(cast, login):
    member = ConsentedMemberFactory(club=cast.club_a, needs_care=True)
    client = login(cast.leader)
    url = reverse("members:consent_withdraw", args=[member.pk])
    page = client.post(url).content.decode()  # asks first, in Vietnamese, removes nothing
    assert vi("Every blood pressure and weight reading of theirs is deleted.") in page
    member.refresh_from_db()
    assert member.needs_care and member.consent_on
    client.post(url, {"confirmed": "1"})
    member.refresh_from_db()
    assert (member.ethnicity, member.household_status, member.needs_care, member.consent_on) == (
        "",
        "",
        False,
        None,
    )


def test_member_leaves_and_keeps_the_record(cast, login):
    member = MemberFactory(club=cast.club_a)
    client = login(cast.leader)
    response = client.post(
        reverse("members:member_leave", args=[member.pk]),
        {"left_on": "01/06/2025", "reason": "Chuyển nơi ở"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.left_on, member.leave_reason) == (datetime.date(2025, 6, 1), "Chuyển nơi ở")
    listed = client.get(reverse("members:member_list", args=[cast.club_a.pk])).context["page_obj"]
    assert member not in list(listed)


def test_leaving_before_joining_is_refused(cast, login):
    member = MemberFactory(club=cast.club_a, joined_on=datetime.date(2024, 1, 1))
    response = login(cast.leader).post(
        reverse("members:member_leave", args=[member.pk]),
        {"left_on": "01/06/2023", "reason": "x"},
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.left_on is None


def test_transfer_keeps_history(cast, login):
    member = ConsentedMemberFactory(club=cast.club_a, full_name="Tẩn Thị Mai")
    client = login(cast.province)
    response = client.post(
        reverse("members:member_transfer", args=[member.pk]),
        {"to_club": cast.club_a2.pk, "on": "01/05/2025"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    new = Member.objects.get(club=cast.club_a2)
    assert (member.left_on, member.leave_reason) == (datetime.date(2025, 5, 1), "transfer")
    assert (new.previous_record, new.full_name, new.ethnicity, new.joined_on) == (
        member,
        "Tẩn Thị Mai",
        member.ethnicity,
        datetime.date(2025, 5, 1),
    )


def test_transfer_target_must_be_in_scope(cast, login):
    member = MemberFactory(club=cast.club_a)
    response = login(cast.commune).post(
        reverse("members:member_transfer", args=[member.pk]),
        {"to_club": cast.club_a2.pk, "on": "01/05/2025"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["to_club"]
    member.refresh_from_db()
    assert member.left_on is None
    assert Member.objects.count() == 1


def test_transfer_service_checks_scope_too(cast):
    from members.services import MembersError, member_transfer

    member = MemberFactory(club=cast.club_a)
    with pytest.raises(MembersError):
        member_transfer(
            member=member, to_club=cast.club_b, on=datetime.date(2025, 1, 1), by=cast.commune
        )
    member.refresh_from_db()
    assert member.left_on is None


def test_care_assignment_and_the_list_of_members_without_volunteer(cast, login):
    volunteer = VolunteerFactory(club=cast.club_a)
    alone = ConsentedMemberFactory(club=cast.club_a, needs_care=True, full_name="Lò Thị Bun")
    helped = CareAssignmentFactory(volunteer=volunteer).recipient
    client = login(cast.leader)
    url = reverse("members:care_list", args=[cast.club_a.pk])
    response = client.get(url)
    assert list(response.context["without_volunteer"]) == [alone]
    response = client.post(
        url, {"volunteer": volunteer.pk, "recipient": alone.pk, "start_on": "01/03/2025"}
    )
    assert response.status_code == 302
    assert list(client.get(url).context["without_volunteer"]) == []
    assignment = CareAssignment.objects.get(recipient=helped)
    client.post(reverse("members:care_end", args=[assignment.pk]), {"end_on": "01/04/2025"})
    assert list(client.get(url).context["without_volunteer"]) == [helped]


def test_care_needs_the_same_club_and_a_volunteer(cast, login):
    volunteer = VolunteerFactory(club=cast.club_a2)
    recipient = ConsentedMemberFactory(club=cast.club_a, needs_care=True)
    not_volunteer = MemberFactory(club=cast.club_a)
    client = login(cast.province)
    url = reverse("members:care_list", args=[cast.club_a.pk])
    response = client.post(
        url, {"volunteer": volunteer.pk, "recipient": recipient.pk, "start_on": "01/03/2025"}
    )
    assert response.context["form"].errors["volunteer"]
    response = client.post(
        url, {"volunteer": not_volunteer.pk, "recipient": recipient.pk, "start_on": "01/03/2025"}
    )
    assert response.context["form"].errors["volunteer"]
    assert not CareAssignment.objects.exists()


def test_leaving_ends_care(cast):
    from members.services import member_leave

    assignment = CareAssignmentFactory(volunteer=VolunteerFactory(club=cast.club_a))
    member_leave(
        member=assignment.volunteer, left_on=datetime.date(2025, 1, 1), reason="x", by=cast.leader
    )
    assignment.refresh_from_db()
    assert assignment.end_on == datetime.date(2025, 1, 1)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("02133 876 543", "02133876543"),
        ("", ""),
    ],
)
def test_phone_formats(text, stored):
    assert normalise_phone(text) == stored


@pytest.mark.parametrize("text", ["12345", "0912", "+1 650 253 0000", "số điện thoại"])
def test_bad_phones(text):
    with pytest.raises(PhoneError):
        normalise_phone(text)


def test_member_page_has_the_extra_section(cast, login):
    member = MemberFactory(club=cast.club_a)
    html = login(cast.leader).get(reverse("members:member_detail", args=[member.pk])).content
    assert b'id="member-extra"' in html


def test_other_club_members_never_listed(cast, login):
    MemberFactory(club=ClubFactory(commune=cast.commune_a1), full_name="Người Khác")
    response = login(cast.leader).get(reverse("members:member_list", args=[cast.club_a.pk]))
    assert "Người Khác" not in response.content.decode()
