"""Pickers for choices that grow with the data: a club's members, a province's board members,
its clubs.

A ``<select>`` of every choice does not scale (a province has a thousand clubs and tens of
thousands of members) and does not tell two people of the same name apart. A picker is a
search box and at most ``PICK_LIMIT`` results, each drawn as a name with what tells it apart
(year of birth, village, club):

- with JavaScript, htmx asks the field's search URL as one types (accent-free, through the
  ``search_name`` key filled with ``config.text.fold``) and replaces the results;
- without it, the typed text is sent with the form: one match is chosen, several come back
  as the results to tick, none says so next to the field.

Each kind of choice has one search view, which fetches its queryset through the access door
as the form does and answers with ``pick_response``. The results are radio buttons of the
field's own name, so a chosen person is posted like any ``<select>``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from config.text import fold

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PICK_LIMIT = 20
TERM_SUFFIX = "_q"
_NAME = re.compile(r"^[\w-]{1,100}$")


class Choice(NamedTuple):
    """One result: the value posted, the name, and what tells it apart from a namesake."""

    value: str
    title: str
    details: str


def default_describe(obj: Any) -> tuple[str, str]:
    """A model's name and its ``picker_details`` (year of birth and village for a member)."""
    return str(obj), str(getattr(obj, "picker_details", "") or "")


def match(qs: QuerySet, term: str, field: str = "search_name") -> QuerySet:
    """The rows whose folded name holds every word of ``term`` ("thi lan" finds "Lê Thị
    Lan"), in the queryset's order."""
    for word in fold(term).split()[:5]:
        qs = qs.filter(**{f"{field}__contains": word})
    return qs


# How a picker finds rows by what was typed: ``match`` on ``search_name`` unless told.
Search = Callable[[QuerySet, str], QuerySet]


class SearchTerm(str):
    """What was typed in a picker's box when no choice was ticked (the form sent without
    JavaScript, or before a result was chosen)."""


class PickerWidget(forms.Widget):
    """The search box and the results; drawn with the project's templates."""

    template_name = "components/picker.html"
    picker: PickerField | None = None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = data.get(name)
        if value not in (None, ""):
            return value
        term = (data.get(name + TERM_SUFFIX) or "").strip()
        return SearchTerm(term[:100]) if term else None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + TERM_SUFFIX not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        picker = self.picker
        term = value if isinstance(value, SearchTerm) else ""
        choices: list[Choice] = []
        more = False
        selected = "" if term or value is None else str(value)
        if picker is not None and picker.queryset is not None:
            choices, more = picker.results(term=term, selected=selected)
        widget_attrs = context["widget"]["attrs"]
        context.update(
            {
                "picker_id": widget_attrs.get("id") or f"id_{name}",
                # Only the error state of crispy's classes: the box is a group, not an input.
                "css_class": "is-invalid" if "is-invalid" in widget_attrs.get("class", "") else "",
                "term": term,
                "choices": choices,
                "selected": selected,
                "more": more,
                "search_url": picker.search_url if picker else "",
                "optional": picker is not None and not picker.required,
                "hint": picker.hint if picker else "",
                "term_name": name + TERM_SUFFIX,
            }
        )
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # The project's template engine, not the form renderer's (which sees only the
        # templates of Django's forms and of apps).
        return SafeString(
            render_to_string(self.template_name, self.get_context(name, value, attrs))
        )


class PickerField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` drawn as a picker. Give it ``search_url`` (usually in the
    form's ``__init__``, where the club or the event is known) and, for a label other than
    ``str(obj)`` with its ``picker_details``, ``describe(obj) -> (title, details)``."""

    widget = PickerWidget
    default_error_messages = {
        "invalid_choice": _("Choose one of those listed."),
        "no_match": _("Nothing here matches “%(term)s”. Check the spelling or type less."),
        "several": _("Several match “%(term)s”: tick one of them below."),
    }
    default_hint = _("Tick the right person: year of birth and village tell namesakes apart.")

    def __init__(
        self,
        *,
        search_url: str = "",
        describe: Callable[[Any], tuple[str, str]] = default_describe,
        search: Search = match,
        hint: StrOrPromise | None = None,
        queryset: QuerySet | None = None,
        **kwargs: Any,
    ) -> None:
        self.search_url = search_url
        self.hint = hint if hint is not None else self.default_hint
        self.describe = describe
        self.search = search
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=queryset, **kwargs)
        self.widget.picker = self

    def __deepcopy__(self, memo: dict[int, Any]) -> PickerField:
        result = super().__deepcopy__(memo)  # type: ignore[misc]  # not in the stubs
        result.widget = copy.copy(result.widget)
        result.widget.picker = result
        return result

    def _get_queryset(self) -> QuerySet | None:
        return self._queryset

    def _set_queryset(self, queryset: QuerySet | None) -> None:
        # No ``widget.choices``: a picker never lists every row.
        self._queryset = None if queryset is None else queryset.all()

    queryset = property(_get_queryset, _set_queryset)

    def choice(self, obj: Model) -> Choice:
        title, details = self.describe(obj)
        return Choice(str(obj.pk), title, details)

    def results(self, *, term: str = "", selected: str = "") -> tuple[list[Choice], bool]:
        """The ticked row first, then up to ``PICK_LIMIT`` rows matching ``term``, and
        whether more match than are shown. Two queries at most."""
        chosen: list[Choice] = []
        qs = self.queryset
        if qs is None:
            return [], False
        if selected.isdigit():
            obj = qs.filter(pk=selected).first()
            if obj is not None:
                chosen.append(self.choice(obj))
                qs = qs.exclude(pk=obj.pk)
        rows = list(self.search(qs, term)[: PICK_LIMIT + 1])
        more = len(rows) > PICK_LIMIT
        return chosen + [self.choice(o) for o in rows[:PICK_LIMIT]], more

    def to_python(self, value: Any) -> Any:
        if isinstance(value, SearchTerm):
            qs = self.queryset
            found = [] if qs is None else list(self.search(qs, value)[:2])
            if len(found) == 1:
                return found[0]
            code = "several" if found else "no_match"
            raise ValidationError(self.error_messages[code], code=code, params={"term": value})
        return super().to_python(value)

    def label_from_instance(self, obj: Model) -> str:
        title, details = self.describe(obj)
        return f"{title} ({details})" if details else title


def pick_response(
    request: HttpRequest,
    qs: QuerySet,
    *,
    describe: Callable[[Any], tuple[str, str]] = default_describe,
    search: Search = match,
) -> HttpResponse:
    """The results of one picker as its search view answers htmx: ``?name=`` is the field's
    name in the form, ``?<name>_q=`` what was typed, ``?<name>=`` the choice ticked so far
    (kept on top). ``qs`` comes through the access door, as in the form."""
    name = request.GET.get("name", "")
    if not _NAME.match(name):
        name = "choice"
    field = PickerField(queryset=qs, describe=describe, search=search)
    term = (request.GET.get(name + TERM_SUFFIX) or "")[:100]
    selected = request.GET.get(name, "")
    picker_id = request.GET.get("id", "")
    choices, more = field.results(term=term, selected=selected)
    return render(
        request,
        "components/picker_results.html",
        {
            "name": name,
            "picker_id": picker_id if _NAME.match(picker_id) else name,
            "choices": choices,
            "selected": selected if choices and choices[0].value == selected else "",
            "more": more,
            "term": term,
            "optional": request.GET.get("optional") == "1",
        },
    )
