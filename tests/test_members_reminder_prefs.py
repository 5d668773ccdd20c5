"""A member's reminder preferences: channel and opt-out, kept on the member page."""

import pytest

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_leader_sets_email_reminders_and_opt_out(cast, login):
    member = MemberFactory(club=cast.club_a, full_name="Lò Thị Xuân", phone="0912345678")
    client = login(cast.leader)
    data = {
        "full_name": "Lò Thị Xuân",
        "sex": "F",
        "birth_year": "1956",
        "phone": "0912345678",
        "joined_on": "21/03/2020",
        "preferred_channel": "email",
        "email": "",
    }
    response = client.post(f"/members/{member.pk}/edit/", data)
    assert response.status_code == 200
    assert "nhận nhắc lịch qua thư" in response.text, response.context["form"].errors
    member.refresh_from_db()
    assert member.preferred_channel == "sms"

    data.update(email="xuan@example.org", reminders_opt_out="on")
    response = client.post(f"/members/{member.pk}/edit/", data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.preferred_channel, member.email, member.reminders_opt_out) == (
        "email",
        "xuan@example.org",
        True,
    )
    page = client.get(f"/members/{member.pk}/").text
    assert "Không muốn nhận nhắc lịch" in page
