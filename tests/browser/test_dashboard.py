"""The province dashboard on a phone (360×740) and on an office PC (1366×768): it renders,
every chart is drawn by the app's own Chart.js, and nothing is asked of another host (the
autouse ``only_the_app`` fixture fails the test otherwise)."""

import pytest

from reports import summary
from tests.browser.conftest import assert_no_horizontal_overflow
from tests.factories import ClubFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province_figures(cast):
    for i in range(6):
        club = ClubFactory(commune=cast.commune_a1 if i % 2 else cast.commune_a2)
        for _ in range(3):
            MemberFactory(club=club)
    summary.rebuild(months=3)
    return cast


def _charts_drawn(page) -> int:
    page.wait_for_function("() => window.Chart !== undefined")
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('canvas[data-chart]'))
                 .filter(c => window.Chart.getChart(c) !== undefined).length"""
    )


@pytest.mark.parametrize("viewport", [(360, 740), (1366, 768)], ids=["phone", "desktop"])
def test_province_dashboard_renders_with_charts(
    page, live_server, province_figures, browser_login, viewport
):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    browser_login(page, live_server, "province")
    page.goto(f"{live_server.url}/reports/")
    page.wait_for_url(f"**/reports/areas/{province_figures.province_a.pk}/")
    assert "Tỉnh A" in page.locator("h1").inner_text()
    assert "Xã A Một" in page.content()
    canvases = page.locator("canvas[data-chart]").count()
    assert canvases >= 4
    assert _charts_drawn(page) == canvases
    # Each chart has its data table beside it.
    assert page.locator("figure table").count() == canvases
    assert_no_horizontal_overflow(page)
