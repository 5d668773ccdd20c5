"""Formatting used across the app: VND amounts, dates dd/mm/yyyy, query strings."""

import datetime
from decimal import Decimal
from typing import Any

from django import template

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
