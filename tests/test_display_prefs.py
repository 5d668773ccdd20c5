"""The large-text/high-contrast switch in the top bar, remembered per user, and the page of a
user's preferences (how they are notified)."""

import pytest
from django.urls import reverse

from accounts.models import NotifyChannel
from tests.factories_month import vi

pytestmark = pytest.mark.django_db


def test_the_switch_is_in_the_top_bar_and_remembered(cast, login):
    client = login(cast.leader)
    page = client.get("/").content.decode()
    assert 'id="display-toggle"' in page
    assert 'class="large-text"' not in page
    response = client.post(reverse("display_toggle"), {"next": "/monthly-reports/"})
    assert response.status_code == 302
    assert response["Location"] == "/monthly-reports/"
    cast.leader.refresh_from_db()
    assert cast.leader.large_text
    page = client.get("/").content.decode()
    assert 'class="large-text"' in page
    assert 'aria-pressed="true"' in page
    client.post(reverse("display_toggle"))
    cast.leader.refresh_from_db()
    assert not cast.leader.large_text


def test_the_setting_is_per_user(cast, login):
    login(cast.leader).post(reverse("display_toggle"))
    page = login(cast.commune).get("/").content.decode()
    assert 'class="large-text"' not in page


def test_the_switch_goes_back_only_to_this_site(cast, login):
    response = login(cast.leader).post(reverse("display_toggle"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_the_switch_is_a_post(cast, login):
    assert login(cast.leader).get(reverse("display_toggle")).status_code == 405


def test_a_viewer_may_switch_their_own_display(cast, login):
    """It changes nothing of the clubs' data, only how pages are drawn for the viewer."""
    login(cast.viewer).post(reverse("display_toggle"))
    cast.viewer.refresh_from_db()
    assert cast.viewer.large_text


def test_the_stylesheet_has_the_large_text_rules(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/app.css")).read_text(encoding="utf-8")
    assert "body.large-text" in css
    assert "font-size: 1.25rem" in css


def test_preferences_save_the_channel(cast, login):
    client = login(cast.leader)
    response = client.post(
        reverse("preferences"),
        {"notify_channel": "email", "email": "leader@example.vn", "phone": ""},
    )
    assert response.status_code == 302
    cast.leader.refresh_from_db()
    assert cast.leader.notify_channel == NotifyChannel.EMAIL


def test_sms_without_a_phone_is_refused_next_to_the_field(cast, login):
    cast.leader.phone, cast.leader.notify_channel = "", NotifyChannel.APP
    cast.leader.save()
    response = login(cast.leader).post(
        reverse("preferences"), {"notify_channel": "sms", "phone": "", "email": ""}
    )
    assert response.status_code == 200
    assert vi("Enter the phone number the SMS should go to.") in response.content.decode()
    cast.leader.refresh_from_db()
    assert cast.leader.notify_channel == NotifyChannel.APP  # nothing saved


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.post(reverse("display_toggle"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
