"""Keyset ("seek") pagination for the lists that grow with a province: the club list, the
report inbox, the clubs behind a dashboard figure.

``paginate`` (``config.ui``) cuts a page with ``OFFSET``: page 40 makes the database read and
drop 975 rows first, and a list sorted by a joined column sorts all of them. Here a page
starts *after the last row shown*: the link to the next page carries that row's sort key
(``?cursor=…``, signed), and the query asks for the rows whose key comes after it,
``WHERE (name, id) > ('Sen Hồng', 812) ORDER BY name, id LIMIT 26``, which an index on the
same columns answers by reading 26 entries whatever the page.

    page = keyset_page(request, qs, keys=[SortKey("name", collated=True), SortKey("id")],
                       name="clubs")

- The sort is the keys' (the last one must be unique, the primary key, so that ties on a name
  are neither shown twice nor skipped); ``qs``'s own ordering is replaced.
- A cursor is signed with the list's name: one that was changed, cut, or made for another list
  gives the first page (never an error). It only says where to start: the rows still come
  from the viewer's scoped queryset, so a cursor cannot show another commune's clubs.
- The page still knows its number and the total (``count``, one query the caller may give
  from a cheaper source), so users see "Page 3 of 41" and first / previous / next / last.
- ``?page=N`` (links and bookmarks from before) still works: OFFSET walks the sort keys
  alone to the row before that page (an index-only scan where an index serves the order),
  the page is read after it like a cursor's, and its links then carry cursors.
- Two queries whatever the page: the count and the page (plus one for ``?page=N`` past the
  first, the keys' walk; and one when a cursor points past the end because rows went away
  meanwhile: then the first page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil
from typing import Any

from django.core import signing
from django.db.models import BooleanField, Expression, F, Q, QuerySet, Value
from django.db.models.lookups import Exact, GreaterThan, LessThan
from django.http import HttpRequest

from config.collation import vi_name

PAGE_SIZE = 25
CURSOR_PARAM = "cursor"
_SALT = "config.pagination"
_MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class SortKey:
    """One column of a list's order: an ORM path (``"club__name"``), in Vietnamese name order
    when ``collated``, descending when ``descending``. ``attr`` is where a row holds the
    value: ``"club.name"`` on a model row, the dict key for ``.values()`` rows (defaults to
    the path)."""

    field: str
    collated: bool = False
    descending: bool = False
    attr: str = ""

    def term(self) -> Any:
        """The ORDER BY term."""
        expr = self.expression()
        return expr.desc() if self.descending else expr.asc()

    def expression(self) -> Any:
        """The column (or annotation) compared with a cursor's value."""
        return vi_name(self.field) if self.collated else F(self.field)

    def value_of(self, row: Any) -> Any:
        if isinstance(row, dict):
            return row[self.attr or self.field]
        value = row
        for part in (self.attr or self.field.replace("__", ".")).split("."):
            value = getattr(value, part)
        return value


class RowCompare(Expression):
    """``(a, b, c) > (x, y, z)``: the row comparison a B-tree index on ``(a, b, c)`` starts
    its scan from (the spelled-out ``a > x OR (a = x AND b > y) …`` is read from the first
    entry instead). SQLite has had row values since 3.15."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, lhs: Sequence[Any], op: str, rhs: Sequence[Any]) -> None:
        super().__init__(output_field=BooleanField())
        if op not in (">", "<"):
            raise ValueError(op)
        self.lhs, self.op, self.rhs = list(lhs), op, list(rhs)

    def get_source_expressions(self) -> list[Any]:
        return [*self.lhs, *self.rhs]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        n = len(self.lhs)
        self.lhs, self.rhs = list(exprs[:n]), list(exprs[n:])

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sides, params = [], []
        for side in (self.lhs, self.rhs):
            parts = []
            for expr in side:
                sql, p = compiler.compile(expr)
                parts.append(sql)
                params.extend(p)
            sides.append(", ".join(parts))
        return f"({sides[0]}) {self.op} ({sides[1]})", params


def _after(keys: Sequence[SortKey], values: Sequence[Any], *, backwards: bool) -> Any:
    """The condition "the row comes after ``values``" in the keys' order (before it when
    ``backwards``)."""
    descending = {key.descending for key in keys}
    if len(descending) == 1:  # one direction: a row comparison an index serves
        later = descending == {False}
        op = ">" if later != backwards else "<"
        return RowCompare(
            [key.expression() for key in keys], op, [Value(value) for value in values]
        )
    # Mixed directions (a figure's value descending, then names): spelled out.
    condition = Q(pk__in=[])
    for i, key in enumerate(keys):
        step = Q()
        for prev, value in zip(keys[:i], values[:i], strict=False):
            step &= Q(Exact(prev.expression(), Value(value)))
        later = not key.descending
        lookup = GreaterThan if later != backwards else LessThan
        step &= Q(lookup(key.expression(), Value(values[i])))
        condition |= step
    return condition


def _plain(value: Any) -> Any:
    """A key's value as the cursor keeps it: names and whole numbers only (the lists' keys;
    a sum of dong may come back as a ``Decimal``)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise TypeError(f"keyset keys must be text or whole numbers, not {type(value)}")
    return value


@dataclass
class _Counter:
    """What the shared pagination template reads as ``page_obj.paginator``."""

    count: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.count / self.per_page))


@dataclass
class KeysetPage:
    """One page of a keyset list; reads like Django's ``Page`` for the templates (number,
    ``paginator.count`` and ``num_pages``, ``has_next`` …) and carries the cursors of its
    neighbours."""

    object_list: list[Any]
    number: int
    paginator: _Counter
    next_cursor: str = ""
    previous_cursor: str = ""
    last_cursor: str = ""
    keyset: bool = field(default=True, init=False)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return bool(self.next_cursor)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def start_index(self) -> int:
        if not self.object_list:
            return 0
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


def _sign(name: str, data: dict[str, Any]) -> str:
    return signing.dumps(data, salt=f"{_SALT}:{name}", compress=True)


def _read(name: str, cursor: str, n_keys: int) -> dict[str, Any] | None:
    """The cursor's content, or ``None`` when it is not one this list signed."""
    if not cursor or len(cursor) > 2000:
        return None
    try:
        data = signing.loads(cursor, salt=f"{_SALT}:{name}")
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("d") not in ("n", "p", "last"):
        return None
    page = data.get("n")
    if not isinstance(page, int) or not 1 <= page <= _MAX_PAGE:
        return None
    if data["d"] != "last":
        values = data.get("k")
        if not isinstance(values, list) or len(values) != n_keys:
            return None
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            return None
    return data


def keyset_page(
    request: HttpRequest,
    qs: QuerySet[Any, Any],
    *,
    keys: Sequence[SortKey],
    name: str,
    per_page: int = PAGE_SIZE,
    count: int | None = None,
) -> KeysetPage:
    """The page ``?cursor=`` (or the old ``?page=N``) asks for, of ``qs`` in the keys' order.

    ``name`` tells the lists' cursors apart; ``count`` is the number of rows when the caller
    has it from somewhere cheaper than ``qs.count()``."""
    total = qs.count() if count is None else count
    counter = _Counter(total, per_page)
    ordered = qs.order_by(*(key.term() for key in keys))
    reverse = qs.order_by(*(_flip(key).term() for key in keys))
    cursor = _read(name, request.GET.get(CURSOR_PARAM, ""), len(keys))

    rows: list[Any]
    more = False
    if cursor is None:
        number = _page_number(request.GET.get("page"), counter.num_pages)
        start = (number - 1) * per_page
        # Past the first page, the OFFSET skips over the keys alone (an index-only walk where
        # an index serves the order), then the page is read after the last key skipped, like
        # a cursor's: the skipped rows' other columns are never fetched.
        if start and (anchor := _key_values(ordered, keys, start - 1)):
            rows = list(ordered.filter(_after(keys, anchor, backwards=False))[: per_page + 1])
        else:
            rows = list(ordered[start : start + per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
    elif cursor["d"] == "last":
        number = counter.num_pages
        size = total - (number - 1) * per_page
        rows = list(reverse[: max(size, 1)])[::-1] if total else []
    else:
        backwards = cursor["d"] == "p"
        after = _after(keys, cursor["k"], backwards=backwards)
        source = reverse if backwards else ordered
        rows = list(source.filter(after)[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
        if backwards:
            rows.reverse()
            number = max(1, cursor["n"])
            if not more:  # nothing before this page: it is the first
                number = 1
        else:
            number = min(cursor["n"], counter.num_pages)
        if not rows:  # the rows after the cursor went away meanwhile
            return keyset_page(
                request_without_cursor(request),
                qs,
                keys=keys,
                name=name,
                per_page=per_page,
                count=total,
            )
        if backwards:
            more = True  # the page the user came from follows
    page = KeysetPage(rows, number, counter)
    if rows:
        first, last = rows[0], rows[-1]
        if more:
            page.next_cursor = _sign(
                name, {"d": "n", "n": number + 1, "k": [_plain(k.value_of(last)) for k in keys]}
            )
        if number > 1:
            page.previous_cursor = _sign(
                name, {"d": "p", "n": number - 1, "k": [_plain(k.value_of(first)) for k in keys]}
            )
        if counter.num_pages > 1:
            page.last_cursor = _sign(name, {"d": "last", "n": counter.num_pages})
    return page


def _key_values(ordered: QuerySet[Any, Any], keys: Sequence[SortKey], index: int) -> list[Any]:
    """The sort keys of row ``index`` (from 0) of ``ordered``; empty when there is none."""
    names = [f"_key{i}" for i in range(len(keys))]
    found = list(
        ordered.annotate(
            **{n: k.expression() for n, k in zip(names, keys, strict=True)}
        ).values_list(*names)[index : index + 1]
    )
    return list(found[0]) if found else []


def _flip(key: SortKey) -> SortKey:
    return SortKey(key.field, key.collated, not key.descending, key.attr)


def _page_number(raw: str | None, num_pages: int) -> int:
    """``?page=N`` as Django's ``get_page`` reads it: not a number → 1, too high → the last."""
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


def request_without_cursor(request: HttpRequest) -> HttpRequest:
    """The same request asking for the first page."""
    copy = request.GET.copy()
    copy.pop(CURSOR_PARAM, None)
    copy.pop("page", None)
    clone = HttpRequest()
    clone.GET = copy
    return clone


__all__ = ["CURSOR_PARAM", "KeysetPage", "RowCompare", "SortKey", "keyset_page"]
