"""Error pages in the app's layout, in Vietnamese, with the phone viewport and a way back;
the admin's sections in Vietnamese."""

import pytest
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from tests.factories_month import MeetingFactory

pytestmark = pytest.mark.django_db

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def vi(msgid: str) -> str:
    with translation.override("vi"):
        text = translation.gettext(msgid)
    assert text != msgid, msgid
    return text


def test_404_is_the_apps_page_in_vietnamese(cast, login):
    response = login(cast.leader).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert VIEWPORT in page
    assert '<html lang="vi">' in page
    assert vi("Page not found") in page
    assert f'href="{reverse("home")}"' in page
    assert 'id="bell"' in page  # the app's own top bar


def test_another_clubs_object_is_the_same_404_page(cast, login):
    meeting = MeetingFactory(club=cast.club_b)
    response = login(cast.leader).get(reverse("month:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 404
    assert vi("Page not found") in response.content.decode()


def test_403_for_a_viewer_writing_is_vietnamese_with_a_viewport(cast, login):
    meeting = MeetingFactory(club=cast.club_a)
    response = login(cast.viewer).post(reverse("month:meeting_cancel", args=[meeting.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert VIEWPORT in page
    assert vi("Not allowed") in page
    assert vi("Back to the start page") in page


def test_500_renders_without_a_request_context():
    with translation.override("vi"):
        page = loader.get_template("500.html").render()
    assert VIEWPORT in page
    assert vi("Something went wrong on our side") in page
    assert 'href="/"' in page


def test_the_500_handler_answers_with_the_page(rf: RequestFactory):
    with translation.override("vi"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert vi("Back to the start page") in response.content.decode()


def test_an_expired_form_says_so_in_vietnamese(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.leader)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    page = response.content.decode()
    assert VIEWPORT in page
    assert vi("The form has expired") in page
    assert "Forbidden" not in page


def test_the_admin_sections_are_in_vietnamese(cast, login):
    page = login(cast.admin).get(reverse("admin:index")).content.decode()
    for english in ("Axes", "Periodic Tasks", "Otp_Totp", "Otp_Static", ">Accounts<", ">Clubs<"):
        assert english not in page, english
    for msgid in ("Sign-in attempts", "Periodic Tasks", "Users and access", "Areas and clubs"):
        assert vi(msgid) in page, msgid
