"""Response headers that limit what a page may do: Content-Security-Policy (no inline script,
no eval) and Permissions-Policy (no camera, microphone, location, payment…); and templates
that keep within the policy."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from month import offline
from tests.factories import MemberFactory
from tests.factories_month import HealthCheckFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_the_login_page_forbids_inline_scripts_and_framing(client):
    policy = directives(client.get(reverse("login")))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in client.get(reverse("login"))["Content-Security-Policy"]


def test_styles_come_from_files_style_attributes_are_allowed(client):
    policy = directives(client.get(reverse("login")))
    assert policy["style-src-elem"] == ["'self'"]  # no inline <style> elements (no nonce)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # computed widths, heights
    assert "data:" in policy["img-src"]  # Bootstrap's form icons


@pytest.mark.parametrize(
    "feature", ["camera", "microphone", "geolocation", "payment", "usb", "display-capture"]
)
def test_browser_features_are_off(client, feature):
    header = client.get(reverse("login"))["Permissions-Policy"]
    assert f"{feature}=()" in [part.strip() for part in header.split(",")]


def test_signed_in_pages_and_the_admin_carry_the_headers(cast, login):
    client = login(cast.admin)
    for url in ("/", reverse("admin:index"), reverse("password_change")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert "camera=()" in response["Permissions-Policy"], url


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def inline_code(html: str) -> list[str]:
    found = INLINE_SCRIPT.findall(html) + INLINE_HANDLER.findall(html)
    return found + STYLE_ELEMENT.findall(html)


def test_no_template_carries_inline_script_handler_or_style_element():
    offenders = {
        str(path.relative_to(ROOT)): hits
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if (hits := inline_code(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_pages_that_had_inline_scripts_now_load_them_from_files(cast, login):
    """The meeting sheet and a member's chart keep working with their scripts in files."""
    member = MemberFactory(
        club=cast.club_a, consent_on=datetime.date(2024, 1, 10), consent_method="paper"
    )
    meeting = MeetingFactory(club=cast.club_a)
    HealthCheckFactory(club=cast.club_a, member=member, meeting=meeting, date=meeting.date)
    client = login(cast.leader)
    pages = {
        reverse("month:meeting_record", args=[meeting.pk]): "month/meeting_record.js",
        reverse("members:member_detail", args=[member.pk]): "month/member_chart.js",
    }
    for url, script in pages.items():
        html = client.get(url).text
        assert f'src="{settings.STATIC_URL}{script}"' in html, url
        assert f'src="{settings.STATIC_URL}js/app.js"' in html, url
        # The sheet's first stylesheet, inside the page on a first visit, carries the nonce
        # (test_the_sheets_first_styles_are_inline_only_with_the_nonce).
        assert inline_code(NONCED_STYLE.sub("", html)) == [], url


NONCED_STYLE = re.compile(r'<style nonce="[^"]+" data-first-styles=[^>]*>[^<]*</style>')


def sheet_and_others(cast):
    member = MemberFactory(
        club=cast.club_a, consent_on=datetime.date(2024, 1, 10), consent_method="paper"
    )
    meeting = MeetingFactory(club=cast.club_a)
    return reverse("month:meeting_record", args=[meeting.pk]), [
        "/",
        reverse("members:member_detail", args=[member.pk]),
        reverse("month:meeting_detail", args=[meeting.pk]),
    ]


def test_the_sheets_first_styles_are_inline_only_with_the_nonce(cast, login):
    """A phone that does not hold the sheet's first stylesheet gets it inside the page, in the
    one <style> element the response's nonce allows; never 'unsafe-inline'."""
    sheet, _others = sheet_and_others(cast)
    client = login(cast.leader)
    first = client.get(sheet)
    policy = directives(first)
    nonces = [v for v in policy["style-src-elem"] if v.startswith("'nonce-")]
    assert policy["style-src-elem"][0] == "'self'" and len(nonces) == 1
    assert "'unsafe-inline'" not in policy["style-src-elem"]
    assert policy["script-src"] == ["'self'"]  # the nonce allows no script
    html = first.text
    styles = re.findall(r"<style\b[^>]*>", html)
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert len(styles) == 1 and f'nonce="{nonce}"' in styles[0]
    assert f'data-key="{offline.first_styles()[2]}"' in styles[0]
    assert NONCED_STYLE.search(html) and 'href="/static/css/record-sheet-critical' not in html
    # Another response, another nonce.
    assert directives(client.get(sheet))["style-src-elem"] != policy["style-src-elem"]


def test_a_phone_holding_the_file_gets_it_linked_and_no_nonce(cast, login):
    sheet, _others = sheet_and_others(cast)
    client = login(cast.leader)
    client.cookies[offline.FIRST_STYLES_COOKIE] = offline.first_styles()[2]
    answer = client.get(sheet)
    assert directives(answer)["style-src-elem"] == ["'self'"]
    assert STYLE_ELEMENT.findall(answer.text) == []
    assert f'<link rel="stylesheet" href="{settings.STATIC_URL}css/record-sheet-critical' in (
        answer.text
    )
    # A cookie naming an older version of the file: the current one comes inside the page.
    client.cookies[offline.FIRST_STYLES_COOKIE] = "0123456789abcdef"
    assert STYLE_ELEMENT.findall(client.get(sheet).text) != []


def test_no_other_page_has_a_style_element_or_a_nonce(cast, login):
    _sheet, others = sheet_and_others(cast)
    client = login(cast.leader)
    for url in others:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert directives(answer)["style-src-elem"] == ["'self'"], url
        assert inline_code(answer.text) == [], url


def test_the_static_files_referenced_exist():
    for name in (
        "static/js/app.js",
        "month/static/month/meeting_record.js",
        "month/static/month/member_chart.js",
        "static/css/meeting-record.css",
        "static/css/report-print.css",
        "static/css/attendance-sheet.css",
        "static/css/summary-print.css",
    ):
        assert (ROOT / name).is_file(), name
