"""The member register as the club pages need it: a seam that the members app fills.

Who belongs to a club, and how its members make up its composition against the targets, is
the business of ``members``, which depends on clubs and never the reverse. Two club pages
still have to sort, filter and paginate clubs by those counts in one SQL query (the club list
and an area's composition), and the board form chooses among a club's members. For these the
members app installs a ``MemberRegister`` from ``MembersConfig.ready()``; clubs calls it
without importing members.

A figure that is a self-contained block of a page (the club page's composition panel) does
not go through here: it is a panel tag of ``members_panels`` that the template loads.
docs/architecture.md says when to use which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

from clubs.models import Area, Club

if TYPE_CHECKING:
    from accounts.models import User


class MemberRegister(Protocol):
    """What the club pages ask of the member register.

    Targets and compositions are the register's own objects: clubs never looks inside them,
    it hands them back to the register or to the templates. Each method runs the number of
    queries its docstring says, whatever the number of clubs.
    """

    def target(self) -> Any:
        """The composition targets in force (one query)."""
        ...

    def annotate(self, clubs: QuerySet[Club]) -> QuerySet[Club]:
        """The clubs with their member counts as annotations (no query of its own)."""
        ...

    def filter_targets(self, clubs: QuerySet[Club], *, target: Any, meets: bool) -> QuerySet[Club]:
        """Annotated clubs that meet every target, or (``meets=False``) miss one; in SQL."""
        ...

    def composition_of(self, club: Club, *, target: Any) -> Any:
        """The composition of one annotated club, for its row of a list (no query)."""
        ...

    def area_clubs(self, *, area: Area, viewer: User) -> QuerySet[Club]:
        """The viewer's clubs that an area's composition is summed over (not annotated:
        a page of them is, with ``annotate``, once cut)."""
        ...

    def area_composition(self, *, area: Area, viewer: User) -> Any:
        """An area's composition summed over those clubs, from the clubs' composition rows
        (a fixed number of queries; rows found out of date are recomputed first)."""
        ...

    def area_rows(self, *, area: Area, viewer: User) -> QuerySet[Any]:
        """One composition row per club of ``area_composition``, in the page's order (commune
        then club name), for ``composition_of``; read after ``area_composition``. A row has
        ``club_id``, ``club_name`` and ``commune_name``."""
        ...

    def board_candidates(self, *, club: Club, viewer: User) -> QuerySet[Model]:
        """The club's current members that the viewer may seat on its board."""
        ...


_register: MemberRegister | None = None


def install(register: MemberRegister) -> None:
    """Called once from the members app's ``ready()``."""
    global _register  # the seam's one slot, filled at start-up
    _register = register


def member_register() -> MemberRegister:
    if _register is None:
        raise ImproperlyConfigured(
            "No member register is installed: add the members app to INSTALLED_APPS."
        )
    return _register
