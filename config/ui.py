"""Small helpers every page uses: search, pagination, dd/mm/yyyy inputs, amounts and rates as
people here type them, service errors."""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError
from django.db.models import QuerySet
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markupsafe import escape

from config.text import fold

PAGE_SIZE = 25
T = TypeVar("T")


def paginate(request: HttpRequest, qs: QuerySet | list, per_page: int = PAGE_SIZE) -> Page:
    """The requested page (``?page=``); a bad or too-high number gives the nearest page.

    Lists that grow with a province page with ``config.pagination.keyset_page`` instead."""
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def search_term(request: HttpRequest, param: str = "q") -> str:
    """The folded search text from the query string ("Nguyễn" and "nguyen" match alike).

    NUL and other control characters are dropped: PostgreSQL refuses a NUL in a text value,
    and nobody types the others into a search box."""
    return fold(_CONTROL.sub("", request.GET.get(param, "")))[:100]


def errors_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's refusal (``FundsError``, ``MonthError``, …) next to the field it
    names, or above the form when it names none or a field the form does not have."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


_CHECK_FAILED = re.compile(r"CHECK constraint failed: (\w+)")  # SQLite's wording


def constraint_refusal(exc: IntegrityError) -> ValidationError | None:
    """The refusal a user reads for a write the database refused (two people at once, or a
    check in front of it that missed): the violated constraint's own translated message
    (``violation_error_message``), or ``None`` when the constraint is not one of the models'."""
    diag = getattr(exc.__cause__, "diag", None)  # psycopg names the constraint
    name = getattr(diag, "constraint_name", None)
    if name is None and (found := _CHECK_FAILED.search(str(exc))):
        name = found.group(1)
    if not name:
        return None
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return ValidationError(constraint.get_violation_error_message(), code=name)
    return None


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], T],
    success: str | Callable[[T], str],
    next_url: str | Callable[[T], str],
    template: str = "components/form_page.html",
    **context: Any,
) -> HttpResponse:
    """The page of a form that makes one write: on a valid POST call ``save`` (one service
    call), add the ``success`` message and redirect to ``next_url`` (either may be worked out
    from what ``save`` returned); a refusal goes back on the form (``errors_to_form``).
    Otherwise draw ``template`` with the form and ``context``."""
    if request.method == "POST" and form.is_valid():
        try:
            try:
                result = save()
            except IntegrityError as exc:
                refusal = constraint_refusal(exc)
                if refusal is None:
                    raise
                raise refusal from exc
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render(request, template, {"form": form, **context})


class DateInput(forms.DateInput):
    """A dd/mm/yyyy text box with a numeric keyboard on phones."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


# A date as the app asks for it (dd/mm/yyyy, also d/m/yyyy); the day may not exist.
DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class DateField(forms.DateField):
    """A dd/mm/yyyy date between 1900 and 2100 (a filter or a form given 01/01/0001 or
    31/12/9999 would overflow date arithmetic further on); with ``not_future`` a date after
    today is refused, for things that must already have happened (a visit, a repayment)."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Enter the date as dd/mm/yyyy."),
        "out_of_range": _("Enter a date between 1900 and 2100."),
        "future": _("This date is in the future; enter the day it happened."),
        "no_such_day": _("The date %(value)s does not exist: check the day and the month."),
    }

    def __init__(self, *, not_future: bool = False, **kwargs: Any) -> None:
        self.not_future = not_future
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        """As Django's, but a date written as dd/mm/yyyy that is not in the calendar
        (31/02/2024, 29/02/2023) is told apart from one written wrongly."""
        try:
            return super().to_python(value)
        except ValidationError:
            match = DMY.fullmatch(str(value).strip()) if isinstance(value, str) else None
            if match is not None:
                day, month, year = (int(part) for part in match.groups())
                try:
                    datetime.date(year, month, day)
                except ValueError:
                    raise ValidationError(
                        self.error_messages["no_such_day"],
                        code="no_such_day",
                        params={"value": value.strip()},
                    ) from None
            raise

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        if self.not_future and value > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")


class WidgetRenderer(BaseRenderer):
    """Form widgets drawn with Jinja2, everything else as Django would.

    Django ships every built-in widget and form template twice, for its own template language
    and for Jinja2, with the same HTML; Jinja2 draws them several times faster (a filter form
    above a list went from 2.4 to 0.6 ms, a province's commune list from 12.6 to 6.7 ms).
    Templates that exist only for Django's language (the admin's widgets) fall back to it.
    """

    def __init__(self) -> None:
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        # A select draws each option through two templates: a province's communes (a hundred
        # options) cost 5 ms that way. The same HTML, put together here, costs a tenth of it.
        if template_name == _SELECT and (html := select_html(context["widget"])) is not None:
            return html
        return super().render(template_name, context, request=request)


_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def _attrs_html(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: False leaves the attribute out, True writes its
    name alone."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict[str, Any]) -> str | None:
    """Django's ``select.html`` and ``select_option.html`` (their Jinja2 versions, character
    for character), or None for a select whose options have a template of their own."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            parts.append(
                f'\n  <option value="{escape(option["value"])}"{_attrs_html(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_PLAIN = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_NUMBER_LIKE = re.compile(r"^-?\d+([.,]\d+)*$")


def _group(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


class MoneyField(forms.Field):
    """A whole number of dong typed as 1500000, 1.500.000 or 1 500 000.

    Decimals, negatives and numbers above ``max_value`` (default
    ``settings.ISHC_MAX_AMOUNT_VND``) are refused with a message beside the field; zero only
    when ``allow_zero`` (an activity that cost nothing). A text box, never
    ``<input type=number>``: a browser set to Vietnamese rewrites "1.500" in one of those."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter an amount in dong, for example 1.500.000."),
        "decimal": _("Enter a whole number of dong, without decimals."),
        "positive": _("The amount must be greater than zero."),
        "negative": _("The amount cannot be negative."),
        "too_large": _("The amount is too large (at most %(max)s ₫)."),
    }

    def __init__(
        self, *, max_value: int | None = None, allow_zero: bool = False, **kwargs: Any
    ) -> None:
        self.max_value = max_value
        self.allow_zero = allow_zero
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        for space in (" ", "\u00a0", "\u202f"):
            text = text.replace(space, "")
        text = text.removesuffix("₫").removesuffix("đ").removesuffix("VND").strip()
        if text.startswith("-") and _NUMBER_LIKE.match(text):
            code = "negative" if self.allow_zero else "positive"
            raise ValidationError(self.error_messages[code], code=code)
        if _PLAIN.match(text):
            amount = int(text)
        elif _GROUPED.match(text):
            amount = int(text.replace(".", ""))
        elif _NUMBER_LIKE.match(text):
            raise ValidationError(self.error_messages["decimal"], code="decimal")
        else:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if amount == 0 and not self.allow_zero:
            raise ValidationError(self.error_messages["positive"], code="positive")
        limit = self.max_value if self.max_value is not None else settings.ISHC_MAX_AMOUNT_VND
        if amount > limit:
            raise ValidationError(
                self.error_messages["too_large"], code="too_large", params={"max": _group(limit)}
            )
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return _group(value)
        return value


class DecimalTextField(forms.DecimalField):
    """A decimal number (a monthly rate, a weight) typed as "0,5" or "0.5".

    A text box with a decimal keyboard, never ``<input type=number>``: Chromium in a Vietnamese
    locale turns "0,5" typed there into "05", and a 0.5 %/month loan was saved at 5 %."""

    default_error_messages = {"invalid": _("Enter a number, for example 0,5.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        for key in ("min", "max", "step"):
            attrs.pop(key, None)
        return {**attrs, "inputmode": "decimal", "autocomplete": "off"}

    # Django's DecimalField extends IntegerField and returns a Decimal: the stubs ignore the
    # same override on DecimalField itself.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
            if value.count(".") > 1:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return super().to_python(value)
        except InvalidOperation as exc:  # "1e999999999" and the like
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
