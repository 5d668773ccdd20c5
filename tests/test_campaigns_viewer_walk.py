"""A viewer walks every page and file of the campaigns app and finds no one's name: not a
gift's recipient, a commended person or a private donor. Every URL pattern of the app is
filled with the ids of objects that exist; a new URL whose ids the walk cannot fill fails
here, so that it is walked too."""

import datetime
import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from campaigns import services
from campaigns.models import CampaignGift, CampaignReceipt
from tests.factories import MemberFactory
from tests.factories_campaigns import IN_CAMPAIGN, PNG, action_month, care_fund, drive, file_obj

pytestmark = pytest.mark.django_db

RECIPIENT = "Lò Thị Nhậnquà"
MEMBER_RECIPIENT = "Tòng Văn Hộiviên"
COMMENDED = "Vàng Thị Đượckhen"
DONOR = "Bà Lý Thị Ẩndanh"


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = action_month(cast)
    fund = care_fund(cast.commune_a1, balance=5_000_000)
    services.gift_record(
        campaign=campaign, area=cast.commune_a1, person_name=RECIPIENT, village="Bản Hon",
        date=IN_CAMPAIGN, kind=CampaignGift.Kind.CASH, value=500_000, fund=fund, by=cast.commune,
    )  # fmt: skip
    services.gift_record(
        campaign=campaign, area=cast.commune_a1,
        member=MemberFactory(club=cast.club_a, full_name=MEMBER_RECIPIENT),
        date=IN_CAMPAIGN, kind=CampaignGift.Kind.GOODS, value=200_000, by=cast.commune,
    )  # fmt: skip
    services.receipt_record(
        campaign=campaign, fund=fund, date=IN_CAMPAIGN, amount=1_000_000,
        source=CampaignReceipt.Source.INDIVIDUALS, donor=DONOR, by=cast.commune,
    )  # fmt: skip
    report = services.report_for(campaign=campaign, commune=cast.commune_a1)
    services.report_submit(report=report, by=cast.commune, narrative="Đã làm")
    the_drive = drive(cast)
    criterion = the_drive.criteria.first()
    registration = services.registration_create(
        drive=the_drive, club=cast.club_a, pledges="x", by=cast.leader
    )
    result = services.result_record(
        registration=registration, criterion=criterion, achievement="Đạt", self_points=20,
        evidence=("anh.png", file_obj(PNG), len(PNG)), by=cast.leader,
    )  # fmt: skip
    member = MemberFactory(club=cast.club_a, full_name=COMMENDED)
    personal = services.commendation_record(
        drive=the_drive, recipient_kind="member", member=member, level="gk_province",
        decision_number="1/QĐ", decision_date=datetime.date(2025, 1, 5), by=cast.province,
    )  # fmt: skip
    unit = services.commendation_record(
        drive=the_drive, recipient_kind="unit", unit_club=cast.club_a, level="bk_province",
        decision_number="2/QĐ", decision_date=datetime.date(2025, 1, 5), by=cast.province,
    )  # fmt: skip
    return {
        ("campaigns", "pk"): [campaign.pk],
        ("report", "area_pk"): [cast.commune_a1.pk],
        ("drives", "pk"): [the_drive.pk],
        ("registrations", "pk"): [registration.pk],
        ("criteria", "criterion_pk"): [criterion.pk],
        ("evidence", "pk"): [result.evidence_files.get().pk],
        ("commendations", "pk"): [personal.pk, unit.pk],
        # Untagging a record: POST only (a GET answers 405, for a viewer as for anyone).
        ("untag", "kind"): ["activity", "visit", "gift", "receipt"],
        ("<slug:kind>", "record_pk"): [CampaignGift.objects.get(person_name=RECIPIENT).pk],
    }


_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(patterns, prefix=""):
    out = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out += _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            out.append(route)
    return out


def _paths(world):
    out = []
    for route in _routes(get_resolver().url_patterns):
        if not route.startswith("campaigns/"):
            continue
        paths, pos = [""], 0
        for match in _PARAM.finditer(route):
            before = route[pos : match.start()]
            segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            key = (segment, match["name"])
            assert key in world, f"No object for {key} in {route!r}: add one to the world."
            paths = [p + before + str(v) for p in paths for v in world[key]]
            pos = match.end()
        out += ["/" + p + route[pos:] for p in paths]
    return out


def _text(response, drawn):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK\x03\x04"):
        wb = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    if body.startswith(b"%PDF"):
        return "\n".join(drawn)
    return body.decode("utf-8", errors="replace")


@pytest.fixture
def drawn(monkeypatch):
    from reportlab.pdfgen.canvas import Canvas

    seen: list[str] = []
    for method in ("drawString", "drawCentredString"):
        original = getattr(Canvas, method)

        def spy(self, x, y, text, *args, _original=original, **kwargs):
            seen.append(str(text))
            return _original(self, x, y, text, *args, **kwargs)

        monkeypatch.setattr(Canvas, method, spy)
    return seen


def test_the_names_are_there_for_the_communes_staff(login, cast, world, drawn):
    client = login(cast.commune)
    campaign = world[("campaigns", "pk")][0]
    gifts = client.get(f"/campaigns/{campaign}/gifts/").content.decode()
    assert RECIPIENT in gifts and MEMBER_RECIPIENT in gifts
    assert DONOR in client.get(f"/campaigns/{campaign}/money/").content.decode()
    personal = world[("commendations", "pk")][0]
    client.get(f"/campaigns/commendations/{personal}/certificate.pdf")
    assert COMMENDED in "\n".join(drawn)


def test_a_viewer_finds_no_name_on_any_campaigns_page_or_file(login, cast, world, drawn):
    client = login(cast.viewer)
    paths = [*_paths(world), f"/campaigns/{world['campaigns', 'pk'][0]}/rollup/?format=xlsx"]
    assert len(paths) >= 25
    found, ok = {}, 0
    for path in paths:
        drawn.clear()
        response = client.get(path)
        assert response.status_code < 500, path
        ok += response.status_code == 200
        text = _text(response, drawn)
        leaks = [n for n in (RECIPIENT, MEMBER_RECIPIENT, COMMENDED, DONOR) if n in text]
        if leaks:
            found[path] = leaks
    assert not found, f"names shown to a viewer: {found}"
    assert ok >= 10
