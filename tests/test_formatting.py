"""How amounts and dates look on every page: 1.500.000 ₫ and dd/mm/yyyy."""

from __future__ import annotations

import datetime

from django.template import Context, Template
from django.utils import timezone


def render(source: str, **context: object) -> str:
    return Template("{% load ishc %}" + source).render(Context(context))


def test_money_and_numbers():
    assert render("{{ v|vnd }}", v=1500000) == "1.500.000 ₫"
    assert render("{{ v|vnd }}", v=-2500) == "-2.500 ₫"
    assert render("{{ v|number }}", v=1234567) == "1.234.567"
    assert render("{{ v|vnd }}", v=None) == ""


def test_dates_are_day_month_year():
    assert render("{{ d|dmy }}", d=datetime.date(2024, 5, 28)) == "28/05/2024"
    assert render("{{ d|dmy }}", d=None) == ""


def test_a_moment_shows_the_local_day():
    """23:30 UTC on 27 May is already 28 May in Vietnam (UTC+7)."""
    moment = datetime.datetime(2024, 5, 27, 23, 30, tzinfo=datetime.UTC)
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
    assert render("{{ d|dmy }}", d=moment) == "28/05/2024"


def test_choice_labels_follow_the_language_and_keep_unknown_values():
    from django.utils import translation

    from funds.models import LedgerEntry

    entry = LedgerEntry(category=LedgerEntry.Category.choices[0][0])
    with translation.override("en"):
        english = entry.get_category_display()
        assert english == str(LedgerEntry.Category.choices[0][1])
    with translation.override("vi"):
        vietnamese = entry.get_category_display()
    assert vietnamese and vietnamese != english
    entry.category = "no-such-category"
    assert entry.get_category_display() == "no-such-category"
