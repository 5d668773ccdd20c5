"""National-scale data for benchmarks (``manage.py seed_scale``).

Generates clubs spread over every province and commune, 45–75 members each, and M months of
club life: meetings with attendance and health checks, activities, home-care visits, dues,
loans with schedules and repayments, the ledger entries behind all the money, monthly reports
in every state, and trainings. 20,000 clubs is the 2035 target (≈1.2 M members, ≈14 M
attendance marks).

How it stays fast and flat:

- one club at a time is simulated in plain Python (a few hundred small tuples), and its rows
  go to per-table buffers; every ``BATCH`` clubs the buffers are written with PostgreSQL
  ``COPY`` (psycopg's ``write_row``) in one transaction, and dropped. Memory does not grow
  with the number of clubs.
- primary keys are assigned here (from the table's current maximum) so child rows can point
  at their parents without reading anything back; the sequences are moved past them at the
  end.
- foreign-key checks (row triggers) are switched off while loading when the database user may
  do so (``session_replication_role = replica``, superuser only): the generator writes only
  references it has just made. Check constraints and unique indexes stay on, so a broken
  rule (a negative amount, a second mark for the same member at a meeting, a duplicate
  voucher) still fails the load. ``--check-fks`` keeps the FK triggers too (slower).

The data keeps the domain's rules: every fund's running balance stays ≥ 0 (outflows of a
month are only allowed from the balance at the start of that month, and a revolving fund's
capital covers its loans); voucher numbers follow ``funds.services.ledger.post``
(``PT-2026-0001``, per fund, direction and year, in date order); installments come from
``funds.services.loans.build_schedule`` so they add up to the principal; ``Fund.balance`` is
computed in SQL from the entries once everything is loaded. Generation is deterministic for a
given seed and day.

The parts, in the order a club is simulated: ``members`` (the club, its register, board and
care pairs), ``funds`` (its two funds; later its loans and the ledger), ``month`` (meetings,
attendance, health checks, dues, activities, home-care visits), ``monthly_reports``; then, once
all clubs are written, the associations' care funds and ``trainings``, and ``users``.
``generator`` runs them; ``tables`` lists the columns written, ``copy`` does the COPY.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import connection
from django.db.models import Q

from bench.scale.common import CODE_PREFIX, PASSWORD, USER_PREFIX
from bench.scale.generator import ScaleResult, generate

__all__ = [
    "CODE_PREFIX",
    "GENERATED_APPS",
    "PASSWORD",
    "USER_PREFIX",
    "ScaleDataExists",
    "ScaleResult",
    "generated_tables",
    "scale_data_exists",
    "seed",
    "wipe",
]

# Apps whose tables seed_scale fills (and --fresh empties), minus reference data; in the
# order of their foreign keys (the month points at clubs and members, money at members).
GENERATED_APPS = (
    "clubs",
    "members",
    "month",
    "funds",
    "trainings",
    "association",
    "elders",
    "campaigns",
    "reports",
    "privacy",
)
KEEP_MODELS = {
    "clubs.area",
    "clubs.areasuccession",
    "month.activityarea",
    "members.compositiontarget",
}


class ScaleDataExists(Exception):
    """seed_scale would mix its data with an earlier run."""


def generated_tables() -> list[str]:
    """Every table seed_scale writes (and --fresh empties), reference data excluded."""
    tables: set[str] = set()
    for label in GENERATED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower in KEEP_MODELS or not model._meta.managed:
                continue
            tables.add(model._meta.db_table)
    return sorted(tables)


def scale_data_exists() -> bool:
    Club = apps.get_model("clubs", "Club")
    return Club.objects.filter(code__startswith=CODE_PREFIX).exists()


def wipe() -> None:
    """Empty the generated tables. Users of the generated clubs go; other users keep their
    account but lose a club they were attached to (the clubs are gone)."""
    # The access log's rows of the generated users and of any club (every club goes) go first.
    apps.get_model("accounts", "SensitiveAccess").objects.filter(
        Q(club__isnull=False) | Q(user__username__startswith=USER_PREFIX)
    ).delete()
    User = apps.get_model("accounts", "User")
    User.objects.filter(username__startswith=USER_PREFIX).delete()
    User.objects.filter(club__isnull=False).update(club=None)
    Club = apps.get_model("clubs", "Club")
    tables = [t for t in generated_tables() if t != Club._meta.db_table]
    with connection.cursor() as cursor:
        # Inside a transaction (tests), deferred FK checks must run before a TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        # accounts_user points at clubs, so the clubs are deleted rather than truncated.
        cursor.execute(f"DELETE FROM {Club._meta.db_table}")  # noqa: S608


def seed(
    *,
    clubs: int,
    months: int = 12,
    seed: int = 2035,
    fresh: bool = False,
    check_fks: bool = False,
    log: Callable[[str], None] = print,
) -> ScaleResult:
    """Generate the data (see the module's docstring). PostgreSQL only."""
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_scale needs PostgreSQL (it loads with COPY).")
    if scale_data_exists():
        if not fresh:
            raise ScaleDataExists(
                "This database already holds scale data (clubs coded SC-…). "
                "Use --fresh to empty the generated tables first."
            )
        wipe()
    Area = apps.get_model("clubs", "Area")
    if Area.objects.filter(level="commune").count() < 3000:
        from django.core.management import call_command

        log("Loading the provinces and communes (load_areas)…")
        call_command("load_areas", verbosity=0)
    replica = False
    if not check_fks:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            replica = bool(cursor.fetchone()[0])
            if replica:
                cursor.execute("SET session_replication_role = replica")
    try:
        return generate(clubs=clubs, months=months, seed=seed, log=log)
    finally:
        if replica:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
