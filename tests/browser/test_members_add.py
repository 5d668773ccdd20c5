import pytest

from members.models import Member
from tests.browser.conftest import assert_no_horizontal_overflow
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_adds_a_member_and_finds_them_without_accents(
    page, live_server, cast, browser_login
):
    MemberFactory(club=cast.club_a, full_name="Lò Văn Ơn")
    browser_login(page, live_server, "leader")
    page.get_by_role("link", name="CLB của tôi").last.click()
    page.wait_for_url(f"**/clubs/{cast.club_a.pk}/")
    assert "Cơ cấu thành viên" in page.content()
    assert_no_horizontal_overflow(page)
    page.goto(f"{live_server.url}/")
    # From the start page to the register in one tap.
    page.get_by_role("link", name="Thành viên", exact=True).last.click()
    page.wait_for_url(f"**/clubs/{cast.club_a.pk}/members/")
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="Thêm thành viên").first.click()
    page.wait_for_url("**/members/new/")
    assert not page.locator("#id_consent_given").is_checked()  # never ticked in advance
    assert_no_horizontal_overflow(page)
    page.fill("#id_full_name", "Nguyễn Thị Tư")
    page.select_option("#id_sex", "F")
    page.fill("#id_birth_year", "1956")
    page.fill("#id_phone", "0912 345 678")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url("**/members/*/")
    assert "Nguyễn Thị Tư" in page.content()
    assert Member.objects.get(full_name="Nguyễn Thị Tư").phone == "0912345678"
    assert_no_horizontal_overflow(page)

    page.goto(f"{live_server.url}/clubs/{cast.club_a.pk}/members/")
    page.fill("#q", "nguyen thi tu")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_url("**q=nguyen+thi+tu*")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "Nguyễn Thị Tư" in rows.first.inner_text()
    assert_no_horizontal_overflow(page)
