"""Readable change history of a record kept by django-simple-history: who, when, what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.db import models
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django.db.models.options import Options

HIDDEN_FIELDS = {"search_name", "updated_at", "created_at"}


class Tracked(Protocol):
    """A model instance whose changes django-simple-history keeps (``HistoricalRecords()``)."""

    history: Any  # the package ships no types
    _meta: ClassVar[Options[Any]]


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    when: Any
    who: Any
    kind: str  # "+", "~" or "-" (created, changed, deleted)
    changes: list[Change] = field(default_factory=list)
    # Why, when the service said (a loan written off, consent withdrawn, anonymised).
    reason: str = ""


def _display(record: Any, f: models.Field, labels: dict[str, Any] | None = None) -> Any:
    value = getattr(record, f.attname, None)
    if labels and value in labels:
        # A code a service writes into a free-text field ("transfer"), as people read it.
        return labels[value]
    if f.choices and value not in (None, ""):
        return dict(f.flatchoices).get(value, value)
    if isinstance(value, bool):
        return value
    return value


def history_entries(
    obj: Tracked, *, limit: int = 50, hidden: set[str] | None = None
) -> list[HistoryEntry]:
    """The latest changes to ``obj``, newest first, as lists of changed fields.

    One query (the history rows with their users); the differences are worked out in memory
    between consecutive rows. Foreign keys show as ids, other choices as their labels.
    """
    hide = HIDDEN_FIELDS | (hidden or set())
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-pk")[: limit + 1]
    )
    model_fields = [
        f for f in obj._meta.concrete_fields if f.name not in hide and not f.primary_key
    ]
    # A model may name the codes its services write into free-text fields:
    # ``history_value_labels = {"leave_reason": {"transfer": _("moved to another club")}}``.
    value_labels: dict[str, dict[str, Any]] = getattr(obj, "history_value_labels", {})
    entries = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        reason = getattr(record, "history_change_reason", None) or ""
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=record.history_type,
            # The services store their reasons in English and they are shown translated; a
            # reason a person typed is not a message id and comes back unchanged.
            reason=gettext(reason) if reason else "",
        )
        for f in model_fields:
            new = getattr(record, f.attname, None)
            if previous is None:
                if record.history_type == "+" or new in (None, "", False):
                    continue
                entry.changes.append(
                    Change(str(f.verbose_name), None, _display(record, f, value_labels.get(f.name)))
                )
            elif getattr(previous, f.attname, None) != new:
                labels = value_labels.get(f.name)
                entry.changes.append(
                    Change(
                        str(f.verbose_name),
                        _display(previous, f, labels),
                        _display(record, f, labels),
                    )
                )
        if entry.changes or record.history_type != "~" or entry.reason:
            entries.append(entry)
    return entries
