"""The admin's lists in Vietnamese name order (``config.collation``).

A model's ``Meta.ordering`` stays plain column names (the migrations are the same on SQLite
and PostgreSQL), and sorts names in byte order ("Đặng" after "Zô") or, through the
accent-free ``search_name``, with "Đặng" among the D. ``NameOrderingMixin`` gives an admin the
same ordering with every name term (``name``, ``full_name``, ``commune__name`` …) in
Vietnamese order, and a ``search_name`` term replaced by the name it folds (``full_name`` of a
person, ``name`` of a place). It is in front of every scoped admin
(``accounts.admin_scoping``), so a list, its autocomplete and the foreign-key choices built
from it read An, Ánh, Bình, Dương, Đặng.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from django.db.models.expressions import Expression, OrderBy
from django.http import HttpRequest

from config.collation import vi_name

if TYPE_CHECKING:
    from django.contrib import admin

    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object

# The last part of a lookup that holds a name shown to people.
NAME_FIELDS = frozenset({"name", "full_name"})
# The accent-free key, sorted as the name it is folded from (the first of these the model has).
FOLDED_FROM = ("full_name", "name")


def _name_lookup(model: type[models.Model], lookup: str) -> str | None:
    """``lookup`` (or the name that its ``search_name`` folds) when it ends on a name; else
    None."""
    *path, last = lookup.split("__")
    target: Any = model
    for part in path:
        try:
            target = target._meta.get_field(part).related_model
        except FieldDoesNotExist:
            return None
        if target is None:
            return None
    if last in NAME_FIELDS:
        return lookup
    if last == "search_name":
        for field in FOLDED_FROM:
            try:
                target._meta.get_field(field)
            except FieldDoesNotExist:
                continue
            return "__".join([*path, field])
    return None


def vietnamese_ordering(model: type[models.Model], ordering: Sequence[Any]) -> list[Any]:
    """``ordering`` with each name term in Vietnamese order; other terms as they are."""
    terms: list[Any] = []
    for term in ordering:
        if not isinstance(term, str):
            terms.append(term)
            continue
        descending = term.startswith("-")
        lookup = _name_lookup(model, term.removeprefix("-"))
        if lookup is None:
            terms.append(term)
            continue
        name = cast("Expression | F", vi_name(lookup))  # Collate(F(…)) or F(…)
        terms.append(OrderBy(name, descending=descending))
    return terms


class NameOrderingMixin(_AdminBase):
    """The admin's ordering (its own, else the model's) with names in Vietnamese order."""

    def get_ordering(self, request: HttpRequest) -> Any:
        ordering = super().get_ordering(request) or self.model._meta.ordering
        return vietnamese_ordering(self.model, ordering)


__all__ = ["NameOrderingMixin", "vietnamese_ordering"]
