"""``get_<field>_display()`` without rebuilding the choices on every call.

Django builds a dictionary of a field's choices each time ``get_FOO_display()`` runs, hashing
every (lazy, so translated on the spot) label to do so: a list of 25 ledger entries spent
about a tenth of its page on it. The dictionary of value → label is the same for the life of
the process (the labels stay lazy, so the language is still the request's): build it once per
field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _labels(field: models.Field) -> dict[Any, Any]:
    labels = field.__dict__.get("_ishc_choice_labels")
    if labels is None:
        labels = field.__dict__["_ishc_choice_labels"] = dict(make_hashable(field.flatchoices))
    return labels


class ChoiceLabels:
    """Mixin for models: the same ``get_FOO_display()``, with the choices built once."""

    def _get_FIELD_display(self, field: models.Field) -> Any:
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)


def readable(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """``{name: value}`` of fields of ``obj`` as a person reads them: a choice as its label (in
    the active language), anything else as stored (a foreign key as its id)."""
    out: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if not isinstance(field, models.Field):  # a reverse relation holds no value
            raise TypeError(f"{name} is not a field of {obj._meta.label}")
        value = getattr(obj, field.attname)
        if field.choices and value not in (None, ""):
            value = force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
        out[name] = value
    return out
