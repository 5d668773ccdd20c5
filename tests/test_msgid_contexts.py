"""Every word right: a msgid with two meanings is told apart by a context (and `make lint`
fails on a new one), Django's stiff messages read naturally, a date that does not exist says
so, the history shows labels, years have four digits."""

import contextlib
import datetime
import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from clubs.history import history_entries
from config.ui import DateField
from funds.forms import FundForm
from members import services as member_services
from tests.factories import ClubFactory, MemberFactory
from tests.factories_month import AttendanceFactory, HomeCareVisitFactory, MeetingFactory

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "scripts" / "check_msgids.py"


@dataclass
class Result:
    returncode: int
    stdout: str


def run_check(*paths: Path) -> Result:
    """scripts/check_msgids.py as `make lint` runs it (its ``main``), with what it printed."""
    spec = importlib.util.spec_from_file_location("check_msgids", CHECK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = module.main([str(p) for p in paths])
    return Result(code, out.getvalue())


def po(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body)
    return path


# --- The check ----------------------------------------------------------------------------


def test_the_projects_catalogues_pass_the_check():
    result = run_check()
    assert result.returncode == 0, result.stdout


def test_a_msgid_translated_two_ways_fails(tmp_path):
    a = po(tmp_path, "a.po", 'msgid "Key figure"\nmsgstr "Số liệu chính"\n')
    b = po(tmp_path, "b.po", 'msgid "Key figure"\nmsgstr "Chìa khoá"\n')
    result = run_check(a, b)
    assert result.returncode == 1
    assert "Key figure" in result.stdout


def test_contexts_make_two_entries(tmp_path):
    a = po(tmp_path, "a.po", 'msgctxt "duration"\nmsgid "Minutes"\nmsgstr "Phút"\n')
    b = po(tmp_path, "b.po", 'msgctxt "meeting record"\nmsgid "Minutes"\nmsgstr "Biên bản"\n')
    assert run_check(a, b).returncode == 0


@pytest.mark.parametrize("word", ["Minutes", "Meets", "Now", "Name"])
def test_an_ambiguous_word_without_a_context_fails(tmp_path, word):
    a = po(tmp_path, "a.po", f'msgid "{word}"\nmsgstr "x"\n')
    result = run_check(a)
    assert result.returncode == 1
    assert "needs a context" in result.stdout


def test_make_lint_runs_the_check():
    assert "scripts/check_msgids.py" in (ROOT / "Makefile").read_text()


# --- The words on the pages ---------------------------------------------------------------


@pytest.mark.django_db
def test_visit_length_is_minutes_not_a_record(cast, login):
    HomeCareVisitFactory(club=cast.club_a)
    page = login(cast.leader).get(reverse("month:visit_list", args=[cast.club_a.pk]))
    text = page.content.decode()
    assert ">Phút<" in text
    assert "Biên bản" not in text


@pytest.mark.django_db
def test_the_meeting_rule_is_not_labelled_meets_the_target(cast, login):
    text = login(cast.leader).get(reverse("clubs:club_detail", args=[cast.club_a.pk])).content
    text = text.decode()
    assert "Lịch sinh hoạt" in text
    assert '<dt class="col-5">Đạt</dt>' not in text


def test_the_funds_name_is_not_a_persons_name():
    with translation.override("vi"):
        label = str(FundForm.base_fields["name"].label)
    assert label == "Tên"


def test_an_open_period_ends_now_not_a_moment_ago():
    with translation.override("vi"):
        assert translation.gettext("now") == "nay"


def test_activity_participants_are_not_trainees():
    with translation.override("vi"):
        assert translation.pgettext("activity", "Participants") == "Người tham gia"
        assert translation.pgettext("training", "Participants") == "Học viên"


# --- Django's messages and dates ----------------------------------------------------------


class Numbers(forms.Form):
    count = forms.IntegerField(min_value=0)
    day = DateField()


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        ({"count": "1,5", "day": "01/01/2024"}, "count", "Hãy nhập một số nguyên, ví dụ 12."),
        ({"count": "-1", "day": "01/01/2024"}, "count", "Hãy nhập từ 0 trở lên."),
        ({"count": "", "day": "01/01/2024"}, "count", "Hãy điền mục này."),
    ],
)
def test_djangos_messages_read_naturally(data, field, expected):
    with translation.override("vi"):
        form = Numbers(data)
        assert not form.is_valid()
        assert form.errors[field] == [expected]


@pytest.mark.parametrize("value", ["31/02/2024", "29/02/2023", "31/04/2025"])
def test_a_date_that_does_not_exist_says_so(value):
    with translation.override("vi"):
        form = Numbers({"count": "1", "day": value})
        assert not form.is_valid()
        [message] = form.errors["day"]
    assert message == f"Không có ngày {value}: hãy kiểm tra lại ngày và tháng."


def test_a_date_in_another_form_still_asks_for_the_format():
    with translation.override("vi"):
        form = Numbers({"count": "1", "day": "hôm qua"})
        assert not form.is_valid()
        assert "dd/mm/yyyy" in form.errors["day"][0]


def test_29_february_of_a_leap_year_is_a_date():
    form = Numbers({"count": "1", "day": "29/02/2024"})
    assert form.is_valid()
    assert form.cleaned_data["day"] == datetime.date(2024, 2, 29)


# --- History and years --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_history_shows_labels_not_codes(cast):
    member = MemberFactory(club=cast.club_a)
    member_services.member_transfer(
        member=member, to_club=ClubFactory(commune=cast.commune_a1), on=datetime.date(2025, 1, 5),
        by=cast.commune,
    )  # fmt: skip
    member.refresh_from_db()
    with translation.override("vi"):
        changes = [c for e in history_entries(member) for c in e.changes]
        shown = [str(c.new) for c in changes]
    assert "chuyển sang CLB khác" in shown
    assert "transfer" not in shown


@pytest.mark.django_db
def test_attendance_chips_have_four_digit_years(cast, login):
    meeting = MeetingFactory(club=cast.club_a, date=datetime.date(2024, 5, 21), status="held")
    mark = AttendanceFactory(meeting=meeting)
    page = login(cast.leader).get(reverse("month:member_health", args=[mark.member.pk]))
    text = page.content.decode()
    assert "21/05/2024" in text
    assert "21/05/24 " not in text
