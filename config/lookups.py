"""An id out of an integer column's range matches nothing, in every lookup.

Django already answers ``pk=<huge>`` with an empty result instead of sending it to the
database (``IntegerFieldExact`` and the comparisons); ``pk__in=[<huge>]`` it sends as is, and
SQLite raises ``OverflowError`` on a number beyond 64 bits. A model choice field posted
``99999999999999999999999`` (``ModelMultipleChoiceField`` filters with ``__in``) then made a
500 instead of "Select a valid choice". Registered once for every integer field
(``AccountsConfig.ready``), so every form and filter is covered, whichever app it is in.
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """``__in`` that leaves out the values no row of the column can hold."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
