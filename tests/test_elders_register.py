"""The register's rules: checks of what is typed, consent before sensitive data, the club
member kept in step with the older person, moving to another commune."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from elders import services
from elders.models import OlderPerson, OlderPersonMove
from members import services as members_services
from members.models import Member
from tests.factories import MemberFactory
from tests.factories_elders import OlderPersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate()
BASE = {"full_name": "Hà Thị Thọ", "sex": "F", "birth_year": 1944, "village": "Bản Mới"}


def create(cast, by=None, **fields):
    return services.person_create(
        commune=cast.commune_a1, fields={**BASE, **fields}, by=by or cast.commune
    )


def test_check_person_refuses_impossible_values():
    errors = services.check_person(
        {
            "birth_date": TODAY + datetime.timedelta(days=3),
            "died_on": TODAY + datetime.timedelta(days=1),
            "insurance_number": "12345",
            "insurance_expiry": D(1999, 1, 1),
        }
    )
    assert set(errors) == {"birth_date", "died_on", "insurance_number", "insurance_expiry"}
    assert "younger" not in str(errors)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"birth_year": TODAY.year - 40}, "birth_year"),  # younger than the older-age setting
        ({"birth_year": TODAY.year - 130}, "birth_year"),  # older than 120
        ({"birth_year": 1950, "died_on": D(1949, 5, 1)}, "died_on"),  # died before birth
        ({"birth_date": D(1950, 6, 1), "birth_year": 1951}, "birth_year"),
        (
            {
                "birth_year": 1950,
                "insurance_number": "HT30101234",
                "insurance_expiry": D(2026, 1, 1),
            },
            "insurance_number",
        ),
        (
            {
                "birth_year": 1950,
                "insurance_number": "0123456789",
                "insurance_expiry": D(2090, 1, 1),
            },
            "insurance_expiry",
        ),
    ],
)
def test_check_person_names_the_field(values, field):
    assert field in services.check_person(values)


def test_card_numbers_accepted_old_and_new():
    ok = {"birth_year": 1950, "insurance_expiry": TODAY + datetime.timedelta(days=200)}
    assert services.check_person({**ok, "insurance_number": "0123456789"}) == {}
    assert services.check_person({**ok, "insurance_number": "HT3010123456789"}) == {}
    assert services.normalise_card(" ht3-01 0123456789 ") == "HT3010123456789"


@override_settings(ISHC_OLDER_AGE=55)
def test_older_age_setting_is_followed():
    assert services.check_person({"birth_year": TODAY.year - 57}) == {}


def test_create_refuses_bad_input_and_saves_nothing(cast):
    with pytest.raises(services.EldersError) as exc:
        create(cast, birth_year=TODAY.year + 1)
    assert "birth_year" in exc.value.message_dict
    with pytest.raises(services.EldersError) as exc:
        create(cast, died_on=D(1930, 1, 1))
    assert "died_on" in exc.value.message_dict
    assert not OlderPerson.objects.exists()


def test_sensitive_fields_need_consent_and_basis(cast):
    with pytest.raises(services.EldersError) as exc:
        create(cast, ethnicity="Thái")
    assert "consent_given" in exc.value.message_dict
    assert not OlderPerson.objects.exists()
    person = services.person_create(
        commune=cast.commune_a1,
        fields={
            **BASE,
            "ethnicity": "Thái",
            "insurance_number": "0123456789",
            "insurance_expiry": TODAY + datetime.timedelta(days=300),
        },
        consent=services.Consent(on=TODAY, method="paper", basis="consent"),
        by=cast.commune,
    )
    assert person.ethnicity == "Thái" and person.legal_basis == "consent"
    assert person.consent_recorded_by == cast.commune


def test_a_commune_outside_the_scope_is_refused(cast):
    with pytest.raises(services.EldersError) as exc:
        services.person_create(commune=cast.commune_b1, fields=BASE, by=cast.commune)
    assert "commune" in exc.value.message_dict


def test_search_key_is_accent_free(cast):
    assert create(cast).search_name == "ha thi tho"


def test_linking_a_member_takes_the_members_fields(cast):
    member = MemberFactory(
        club=cast.club_a,
        full_name="Lò Văn Sáu",
        sex="M",
        birth_year=1950,
        phone="0912345678",
        lives_alone=True,
    )
    person = create(cast, full_name="Lo Van Sau (typed)")
    person = services.person_link(person=person, member=member, by=cast.commune)
    assert person.full_name == "Lò Văn Sáu"
    assert person.phone == "0912345678"
    assert person.birth_year == 1950
    assert person.living == OlderPerson.Living.ALONE


def test_editing_the_member_updates_the_older_person(cast):
    member = MemberFactory(club=cast.club_a, birth_year=1950)
    person = services.person_create(
        commune=cast.commune_a1, fields=BASE, member=member, by=cast.commune
    )
    members_services.member_update(
        member=member, fields={"full_name": "Lường Thị Mới", "phone": "0987654321"}, by=cast.leader
    )
    person.refresh_from_db()
    assert person.full_name == "Lường Thị Mới"
    assert person.phone == "0987654321"
    assert person.search_name == "luong thi moi"
    assert person.history.count() >= 2


def test_editing_the_older_person_updates_the_member(cast):
    member = MemberFactory(club=cast.club_a, birth_year=1950)
    person = services.person_create(
        commune=cast.commune_a1, fields=BASE, member=member, by=cast.commune
    )
    services.person_update(
        person=person,
        fields={
            "full_name": "Cầm Văn Bảy",
            "village": "Bản Hon",
            "living": "alone",
            "household_status": "poor",
        },
        consent=services.Consent(on=TODAY, method="verbal", basis="consent"),
        by=cast.commune,
    )
    member.refresh_from_db()
    assert member.full_name == "Cầm Văn Bảy"
    assert member.village == "Bản Hon"
    assert member.lives_alone is True
    assert member.household_status == "poor"
    assert member.consent_on == TODAY


def test_a_refused_edit_changes_neither_record(cast):
    member = MemberFactory(club=cast.club_a, birth_year=1950, full_name="Tòng Văn Cũ")
    person = services.person_create(
        commune=cast.commune_a1, fields=BASE, member=member, by=cast.commune
    )
    with pytest.raises(services.EldersError):
        services.person_update(
            person=person,
            fields={"full_name": "Tòng Văn Mới", "birth_year": TODAY.year + 2},
            by=cast.commune,
        )
    person.refresh_from_db()
    member.refresh_from_db()
    assert person.full_name == member.full_name == "Tòng Văn Cũ"


def test_a_member_of_another_commune_cannot_be_linked(cast):
    member = MemberFactory(club=cast.club_a2, birth_year=1950)
    person = create(cast)
    with pytest.raises(services.EldersError) as exc:
        services.person_link(person=person, member=member, by=cast.province)
    assert "member" in exc.value.message_dict


def test_member_consent_withdrawn_erases_the_persons_sensitive_data(cast):
    member = MemberFactory(
        club=cast.club_a,
        birth_year=1950,
        ethnicity="Thái",
        consent_on=D(2024, 1, 1),
        consent_method="paper",
    )
    person = services.person_create(
        commune=cast.commune_a1,
        fields={
            **BASE,
            "insurance_number": "0123456789",
            "insurance_expiry": TODAY + datetime.timedelta(days=90),
        },
        member=member,
        by=cast.commune,
    )
    assert person.ethnicity == "Thái" and person.consent_on == D(2024, 1, 1)
    members_services.consent_withdraw(member=member, by=cast.leader)
    person.refresh_from_db()
    assert (person.ethnicity, person.insurance_number, person.consent_on) == ("", "", None)
    assert not person.history.exclude(insurance_number="").exists()


def test_consent_withdrawn_on_the_register(cast):
    person = services.person_create(
        commune=cast.commune_a1,
        fields={**BASE, "has_disability": True},
        consent=services.Consent(on=TODAY, method="paper"),
        by=cast.commune,
    )
    services.consent_withdraw(person=person, by=cast.commune)
    person.refresh_from_db()
    assert person.has_disability is False and person.consent_on is None
    assert not person.history.filter(has_disability=True).exists()


def test_member_transfer_in_the_same_commune_keeps_the_link(cast):
    from tests.factories import ClubFactory

    member = MemberFactory(club=cast.club_a, birth_year=1950)
    person = services.person_create(
        commune=cast.commune_a1, fields=BASE, member=member, by=cast.commune
    )
    other = ClubFactory(commune=cast.commune_a1)
    new = members_services.member_transfer(member=member, to_club=other, on=TODAY, by=cast.commune)
    person.refresh_from_db()
    assert person.member_id == new.pk


def test_move_to_another_commune_keeps_history(cast):
    person = create(cast)
    move = services.person_move(
        person=person, to_commune=cast.commune_a2, on=TODAY, reason="Về ở với con", by=cast.province
    )
    person.refresh_from_db()
    assert person.commune == cast.commune_a2
    assert isinstance(move, OlderPersonMove) and move.from_commune == cast.commune_a1
    communes = set(person.history.values_list("commune_id", flat=True))
    assert communes == {cast.commune_a1.pk, cast.commune_a2.pk}


def test_move_outside_the_scope_is_refused(cast):
    person = create(cast)
    with pytest.raises(services.EldersError) as exc:
        services.person_move(
            person=person, to_commune=cast.commune_a2, on=TODAY, reason="", by=cast.commune
        )
    assert "to_commune" in exc.value.message_dict
    person.refresh_from_db()
    assert person.commune == cast.commune_a1


def test_scope_of_each_role(cast):
    from accounts import scoping

    member = MemberFactory(club=cast.club_a, birth_year=1950)
    linked = OlderPersonFactory(commune=cast.commune_a1, member=member)
    plain = OlderPersonFactory(commune=cast.commune_a1)
    other_province = OlderPersonFactory(commune=cast.commune_b1)
    a2 = OlderPersonFactory(commune=cast.commune_a2)

    def seen(user):
        return set(scoping.for_user(OlderPerson, user).values_list("pk", flat=True))

    assert seen(cast.commune) == {linked.pk, plain.pk}
    assert seen(cast.province) == {linked.pk, plain.pk, a2.pk}
    assert seen(cast.leader) == {linked.pk}
    assert seen(cast.leader2) == set()
    assert other_province.pk in seen(cast.admin)
    assert Member.objects.count() == 1


def test_anonymising_the_member_anonymises_the_older_person(cast):
    member = MemberFactory(
        club=cast.club_a,
        birth_year=1950,
        full_name="Lò Thị Riêng",
        phone="0912345678",
        consent_on=D(2024, 1, 1),
        consent_method="paper",
        ethnicity="Thái",
    )
    person = services.person_create(
        commune=cast.commune_a1,
        fields={**BASE, "address": "Số 3, bản Mới", "living": "spouse", "support": "pension"},
        member=member,
        by=cast.commune,
    )
    members_services.member_erase_personal(member=member, by=cast.admin)
    person.refresh_from_db()
    assert person.full_name.startswith("Đã ẩn danh")
    assert (person.address, person.phone, person.ethnicity, person.living, person.support) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert person.sex == "F" and person.birth_year == 1950
    assert not person.history.filter(full_name="Lò Thị Riêng").exists()
    assert not person.history.exclude(address="").exists()


def test_someone_who_died_long_ago_is_measured_to_their_death():
    assert services.check_person({"birth_year": 1890, "died_on": D(1975, 3, 1)}) == {}
    assert "birth_year" in services.check_person({"birth_year": 1850, "died_on": D(1975, 3, 1)})
