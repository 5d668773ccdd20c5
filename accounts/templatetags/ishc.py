"""Formatting used across the app: VND amounts, dates dd/mm/yyyy, query strings."""

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html

from accounts.once import FIELD, new_key
from accounts.privacy import PageAccess, group_count

register = template.Library()


def thousands(amount: int) -> str:
    """1500000 -> "1.500.000": whole numbers grouped by dots, as Vietnamese writes them.

    The one place that writes a number so; the filters below and messages built in Python
    (a refusal naming a balance, a loan limit) use it.
    """
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".")


@register.filter
def vnd(value: Any) -> str:
    """1500000 -> "1.500.000 ₫" (VND has no decimals)."""
    if value is None or value == "":
        return ""
    try:
        amount = int(Decimal(value).to_integral_value())
    except (ArithmeticError, ValueError, TypeError):
        return str(value)
    return thousands(amount) + " ₫"


@register.filter
def number(value: Any) -> str:
    """1500000 -> "1.500.000"."""
    if value is None or value == "":
        return ""
    try:
        return thousands(int(value))
    except (ValueError, TypeError):
        return str(value)


@register.filter
def people_count(value: Any, privacy: Any) -> str:
    """A count of people as the page's user may see it: ``{{ n|people_count:privacy }}``
    gives "1.500", or "< 5" where the declaration (``accounts.privacy``) suppresses a small
    group for this user. ``privacy`` is the context processor's ``PageAccess``."""
    if not isinstance(privacy, PageAccess):  # no user to ask: suppress as for a viewer
        return number(group_count(value, sees_everyone=False))
    return number(privacy.count(value))


@register.filter
def people_figure(figure: Any, privacy: Any) -> str:
    """A composition figure's text (``value_text``: "63 %", "58"), or "< 5" where the count of
    people behind it is suppressed for the page's user (see ``people_count``)."""
    shown = people_count(figure.count, privacy)
    return shown if shown.startswith("<") else figure.value_text


@register.filter(expects_localtime=True)
def dmy(value: Any) -> str:
    """A date (or a date and time, in local time) as dd/mm/yyyy, whatever the language."""
    if isinstance(value, datetime.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return "" if value is None else str(value)


@register.filter(expects_localtime=True)
def dmy_hm(value: Any) -> str:
    """A date and time in local time as dd/mm/yyyy HH:MM."""
    if isinstance(value, datetime.datetime):
        return f"{dmy(value)} {value.hour:02d}:{value.minute:02d}"
    return dmy(value)


@register.filter
def percent(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{float(value):.{int(digits)}f}".replace(".", ",") + " %"


@register.simple_tag(takes_context=True)
def query_with(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination and filters)."""
    params = context["request"].GET.copy()
    for key, val in kwargs.items():
        if val in (None, ""):
            params.pop(key, None)
        else:
            params[key] = val
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def once_field() -> Any:
    """The hidden key that makes a form's write happen once (``accounts.once``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())
