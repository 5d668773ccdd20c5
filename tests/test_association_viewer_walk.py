"""A viewer walks every page and file of the association app and finds no one's name or
phone: not a committee member's, a branch head's nor the person responsible for a founding
step. Every URL pattern of the app is filled with the ids of objects that exist; a new URL
whose ids the walk cannot fill fails here, so that it is walked too."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver
from openpyxl import load_workbook

from association import services
from association.models import AssessmentScore
from tests.factories_association import World

pytestmark = pytest.mark.django_db

SEAT_NAME = "Lò Văn Chủ Tịch"
HEAD = "Tòng Văn Trưởngbản"
RESPONSIBLE = "Điêu Thị Phụtrách"
PHONE = "0912777333"


@pytest.fixture
def world(cast):
    w = World(cast)
    w.seat_a1.phone = PHONE
    w.seat_a1.save()
    w.branch_a1.leader_name = HEAD
    w.branch_a1.save()
    step = services.founding_step_record(
        founding=w.founding_a1,
        done_on=datetime.date(2025, 2, 3),
        responsible=RESPONSIBLE,
        document=("bien-ban.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"), 15),
        by=cast.commune,
    )
    services.evidence_add(
        assessment=w.ua_a1,
        criterion=w.c1,
        name="minh-chung.pdf",
        fileobj=SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4\n%%EOF\n"),
        size=15,
        by=cast.commune,
    )
    score = AssessmentScore.objects.get(assessment=w.ua_a1, criterion=w.c1)
    return {
        "units": w.unit_a1.pk,
        "branches": w.branch_a1.pk,
        "terms": w.term_a1.pk,
        "committee": w.seat_a1.pk,
        "returns": w.return_a1.pk,
        "assessments": w.round_a.pk,
        "criteria": w.c1.pk,
        "unit-assessments": w.ua_a1.pk,
        "evidence": score.pk,
        "plans": w.plan_a.pk,
        "targets": w.target_a1.pk,
        "foundings": w.founding_a1.pk,
        "founding-steps": step.pk,
    }


def _routes() -> list[str]:
    resolver = get_resolver()
    (app,) = [p for p in resolver.url_patterns if str(p.pattern) == "association/"]
    return ["/association/" + str(p.pattern) for p in app.url_patterns if isinstance(p, URLPattern)]


def _fill(route: str, ids: dict[str, int]) -> str:
    def one(match: re.Match[str]) -> str:
        segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        if match.group("name") == "year":
            return "2025"
        if segment not in ids:
            pytest.fail(f"No object for {route!r} after “{segment}/”: add one to the walk.")
        return str(ids[segment])

    return re.sub(r"<(?:[^>:]+:)?(?P<name>[^>]+)>", one, route)


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body))
        return " ".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    if kind.startswith("text/"):
        return body.decode()
    return ""


def test_a_viewer_walks_every_association_page_and_sees_no_one(cast, login, world):
    client = login(cast.viewer)
    routes = _routes()
    assert len(routes) > 40
    opened = 0
    for route in routes:
        path = _fill(route, world)
        response = client.get(path)
        assert response.status_code in (200, 403, 405), path
        text = _text(response)
        for marker in (SEAT_NAME, HEAD, RESPONSIBLE, PHONE):
            assert marker not in text, (path, marker)
        opened += response.status_code == 200
    assert opened >= 15  # the lists, unit pages, rounds, plans and exports are open to them


def test_the_same_pages_show_the_names_to_the_commune_staff(cast, login, world):
    client = login(cast.commune)
    unit = client.get(f"/association/units/{world['units']}/").content.decode()
    assert SEAT_NAME in unit and HEAD in unit
    term = client.get(f"/association/terms/{world['terms']}/").content.decode()
    assert PHONE in term
    founding = client.get(f"/association/foundings/{world['foundings']}/").content.decode()
    assert RESPONSIBLE in founding
