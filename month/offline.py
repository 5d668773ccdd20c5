"""The record sheet with no signal: what the phone needs from the server, and what the server
checks when a sheet saved on the phone arrives later (docs/offline.md).

- ``version`` / ``assert_current``: a sheet carries the version of the meeting it was drawn
  from; a sheet sent after the meeting changed on the server (recorded by another board member,
  moved, cancelled) is refused with the reason, never silently written over.
- ``server_values``: what the server holds for each member, sent back with a conflict so the
  phone can show both versions side by side.
- ``service_worker``, ``manifest``, ``offline_state``: the installable app for club leaders
  (``/sw.js`` at the site's root, ``/manifest.webmanifest``) and the list of pages a leader's
  phone keeps (the leader's own club only: the sheets of the last month and the next two, the
  dues grid and the dues quick entry of this month and the last).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import scoping
from accounts.models import Role, User
from accounts.once import offline_state_texts
from config.months import first_day, last_day, shift, split, ym_of_date
from month.models import Attendance, Meeting
from month.readings import (
    DIASTOLIC_RANGE,
    HIGH_DIASTOLIC,
    HIGH_SYSTOLIC,
    SYSTOLIC_RANGE,
    UNUSUAL_DIASTOLIC,
    UNUSUAL_SYSTOLIC,
)
from month.services import MonthError

# What every leader's page needs to open with no signal (the app shell), as static paths.
SHELL = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/dexie/dexie.min.js",
    "css/app.css",
    "css/meeting-record.css",
    "css/record-sheet-critical.css",
    "js/app.js",
    "js/once.js",
    "js/offline.js",
    "js/picker.js",
    "js/scroll-regions.js",
    "month/meeting_record.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
)


class MeetingConflict(MonthError):
    """The meeting changed on the server since the sheet was drawn."""


def version(meeting: Meeting) -> str:
    """The meeting's version as a sheet carries it: its last change (microseconds) and day."""
    stamp = int(meeting.updated_at.timestamp() * 1_000_000)
    return f"{stamp}-{meeting.date:%Y%m%d}"


def _parse(value: str) -> tuple[datetime.datetime, datetime.date] | None:
    try:
        stamp, day = value.split("-")
        return (
            datetime.datetime.fromtimestamp(int(stamp) / 1_000_000, tz=datetime.UTC),
            datetime.date(int(day[:4]), int(day[4:6]), int(day[6:8])),
        )
    except ValueError:
        return None


def conflict_reason(meeting: Meeting, sent: str) -> str | None:
    """Why a sheet drawn at version ``sent`` may not be written over ``meeting`` as it is now;
    ``None`` when nothing changed (or the sheet carries no version: a form drawn before
    versions, written as before)."""
    if not sent or sent == version(meeting):
        return None
    parsed = _parse(sent)
    if parsed is None:
        return _("This sheet is not from this meeting; open the meeting's sheet again.")
    drawn_at, drawn_day = parsed
    if meeting.status == Meeting.Status.CANCELLED:
        return _(
            "The meeting was cancelled after this sheet was opened (%(reason)s). Nothing was saved."
        ) % {"reason": meeting.change_reason or "–"}
    if meeting.date != drawn_day:
        return _(
            "The meeting was moved from %(old)s to %(new)s after this sheet was opened. "
            "Check the sheet, then save again."
        ) % {"old": f"{drawn_day:%d/%m/%Y}", "new": f"{meeting.date:%d/%m/%Y}"}
    if meeting.recorded_at and meeting.recorded_at > drawn_at:
        who = meeting.recorded_by.get_full_name() if meeting.recorded_by else ""
        return _(
            "%(who)s recorded this meeting at %(time)s after this sheet was opened. "
            "Choose, member by member, which version to keep, then save again."
        ) % {
            "who": who or _("Someone"),
            "time": date_format(timezone.localtime(meeting.recorded_at), "H:i d/m/Y"),
        }
    return _(
        "The meeting was changed after this sheet was opened. Choose, member by member, "
        "which version to keep, then save again."
    )


def assert_current(meeting: Meeting, sent: str) -> Meeting:
    """Lock the meeting's row and refuse a sheet drawn from an older version of it
    (``MeetingConflict``). Called inside the write's transaction, so a second sheet waits for
    the first and then sees its change."""
    # Two phones may send the same meeting at once: the row lock orders them.
    current = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("recorded_by")
        .get(pk=meeting.pk)
    )
    reason = conflict_reason(current, sent)
    if reason:
        raise MeetingConflict(reason, code="conflict")
    return current


def server_values(sheet: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Member id -> the mark and reading the server holds (``selectors.meeting_sheet``), as
    the strings the sheet's fields hold."""
    out: dict[str, dict[str, str]] = {}
    for member in sheet["members"]:
        reading = sheet["readings"].get(member.pk)
        out[str(member.pk)] = {
            "att": sheet["marks"].get(member.pk, ""),
            "sys": str(reading.systolic) if reading and reading.systolic else "",
            "dia": str(reading.diastolic) if reading and reading.diastolic else "",
            "wt": str(reading.weight) if reading and reading.weight is not None else "",
        }
    return out


def sheet_texts() -> dict[str, str]:
    """What the sheet's scripts say (``meeting_record.js``, ``offline.js``), in the user's
    language; ``%(name)s`` are filled in by the script."""
    return {
        **offline_state_texts(),
        "queued": _(
            "No signal: the sheet is kept on this phone and is sent as soon as there is one."
        ),
        "login": _(
            "You are signed out: sign in again, then press “Send again”. The sheet stays on "
            "this phone."
        ),
        "failed": _(
            "The server could not take the sheet (%(status)s). It stays on this phone: "
            "try again later."
        ),
        "refused": _("Please correct the readings marked in red; nothing was saved."),
        "conflict": _("Two versions of this meeting"),
        "keep_mine": _("Keep this phone's"),
        "all_mine": _("This phone's for everyone"),
        "all_theirs": _("The server's for everyone"),
        "choose": _("Choose for each member, then press “Save the meeting” again."),
        "chosen": _("Chosen: press “Save the meeting” to send."),
        "meeting_fields": _("Guests, agenda, minutes and decisions"),
        "not_marked": _("Not marked"),
        "present": str(Attendance.Status.PRESENT.label),
        "absent": str(Attendance.Status.ABSENT.label),
        "excused": str(Attendance.Status.EXCUSED.label),
        "swapped": _(
            "The two numbers look swapped: the systolic (larger) number comes first, e.g. 120/80."
        ),
        "very_high": _("Very high (%(threshold)s or more): measure again after a rest.")
        % {"threshold": f"{UNUSUAL_SYSTOLIC}/{UNUSUAL_DIASTOLIC}"},
        "high": _("High (%(threshold)s or more).")
        % {"threshold": f"{HIGH_SYSTOLIC}/{HIGH_DIASTOLIC}"},
        "implausible": _("Outside the plausible range (%(sys)s / %(dia)s): check the numbers.")
        % {
            "sys": f"{SYSTOLIC_RANGE[0]}–{SYSTOLIC_RANGE[1]}",
            "dia": f"{DIASTOLIC_RANGE[0]}–{DIASTOLIC_RANGE[1]}",
        },
        "both": _("Enter both blood-pressure numbers (systolic and diastolic)."),
        "absent_reading": _("Absent: no reading is recorded."),
        "found": _("%(count)s of %(total)s members"),
    }


# --- The installable app ------------------------------------------------------------------


def is_offline_user(user: Any) -> bool:
    """Only club leaders get the installable app and sheets kept on the phone."""
    return bool(
        getattr(user, "is_authenticated", False) and user.role == Role.CLUB_LEADER and user.club_id
    )


@lru_cache(maxsize=4)
def _shell_version(debug: bool) -> str:
    """Changes whenever a file of the shell changes, so the phone fetches the new ones."""
    digest = hashlib.sha256()
    for path in SHELL:
        if not finders.find(path):
            continue
        digest.update(staticfiles_storage.url(path).encode())
        if debug:  # no hashed names in development: read the files
            found = finders.find(path)
            if found and isinstance(found, str):
                with open(found, "rb") as handle:
                    digest.update(handle.read())
    return digest.hexdigest()[:12]


# The record sheet's first stylesheet (made by bench/critical_css.py). A phone that does not
# hold it yet gets it inside the page (one request less on a slow network); the cookie, set by
# static/js/offline.js once the file itself is in the phone's cache, says which version it
# holds: from then on the page links the file (docs/offline.md, "Budget and compression").
FIRST_STYLES = "css/record-sheet-critical.css"
FIRST_STYLES_COOKIE = "ishc_sheet_css"


@lru_cache(maxsize=1)
def first_styles() -> tuple[str, str, str] | None:
    """``(css, url, key)`` of the sheet's first stylesheet, read once; ``key`` changes with
    the file's content. ``None`` if the file is missing or could not sit inside a page."""
    found = finders.find(FIRST_STYLES)
    if not found or not isinstance(found, str):
        return None
    with open(found, "rb") as handle:
        data = handle.read()
    css = data.decode("utf-8")
    if "</" in css:
        return None
    key = hashlib.sha256(data).hexdigest()[:16]
    return css, staticfiles_storage.url(FIRST_STYLES), key


# The pages a leader's phone keeps and opens with no signal (``sheet_urls``, ``dues_urls``).
KEPT_PATTERN = r"^/(meetings/\d+/record|clubs/\d+/dues(/record)?)/$"
# What the service worker runs to send the waiting drafts itself (Background Sync).
SENDER = ("vendor/dexie/dexie.min.js", "js/offline.js")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: the service worker, served from the root so that its scope is the site."""
    if settings.DEBUG:
        _shell_version.cache_clear()
    shell = [staticfiles_storage.url(path) for path in SHELL if finders.find(path)]
    body = render_to_string(
        "offline/sw.js",
        {
            "version": _shell_version(settings.DEBUG),
            "shell": json.dumps(shell),
            "kept_pattern": KEPT_PATTERN,
            "sender": json.dumps([staticfiles_storage.url(path) for path in SENDER]),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """``/manifest.webmanifest``: the app a leader installs on the phone's home screen."""
    data = {
        "name": _("Intergenerational self-help club"),
        "short_name": _("ISHC club"),
        "lang": "vi",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#146c43",
        "icons": [
            {
                "src": staticfiles_storage.url(f"img/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def sheet_urls(user: User, today: datetime.date | None = None) -> list[str]:
    """The record sheets a leader's phone keeps: the meetings of the leader's own club from
    the start of last month to the end of the month after next, not cancelled."""
    if not is_offline_user(user) or user.club_id is None:
        return []
    today = today or timezone.localdate()
    this_month = ym_of_date(today)
    start, end = first_day(shift(this_month, -1)), last_day(shift(this_month, 2))
    meetings = (
        scoping.for_user(Meeting, user)
        .filter(club_id=user.club_id, date__gte=start, date__lte=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("date", "pk")
        .values_list("pk", flat=True)
    )
    return [reverse("month:meeting_record", args=[pk]) for pk in meetings]


def dues_urls(user: User, today: datetime.date | None = None) -> list[str]:
    """The dues pages a leader's phone keeps, of the leader's own club only: the grid, and the
    quick entry taken at the meeting for this month (as the grid links to it, and as the
    plain address opens it) and for last month (a meeting early in the month collects it)."""
    if not is_offline_user(user) or user.club_id is None:
        return []
    this_month = ym_of_date(today or timezone.localdate())
    record = reverse("funds:dues_record", args=[user.club_id])
    months = [split(this_month), split(shift(this_month, -1))]
    return [
        reverse("funds:dues", args=[user.club_id]),
        record,
        *[f"{record}?year={year}&month={month}" for year, month in months],
    ]


@never_cache
def offline_state(request: HttpRequest) -> JsonResponse:
    """What the phone asks before it sends or refreshes what it keeps: who is signed in, a
    fresh CSRF token, the pages to keep. Signed out: 401, not the sign-in page. Following a
    redirect there would hand the phone a new CSRF cookie while someone may be signing in on
    a page drawn with the old one (the service worker asks in the background)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return JsonResponse({"user": None}, status=401)
    urls = sheet_urls(user) + dues_urls(user)
    pages = [reverse("home"), *urls] if urls or is_offline_user(user) else []
    return JsonResponse({"user": user.pk, "csrf": get_token(request), "pages": pages})
