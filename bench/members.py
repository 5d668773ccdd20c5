"""Benchmark of the member register's Excel import and export (run by hand, not in CI).

    DEBUG=1 .venv/bin/python bench/members.py [--import-rows 5000] [--export-rows 10000]

Uses the configured database (DATABASE_URL, else the SQLite file in var/; migrate first).
Creates a throwaway province, commune and club, imports members from a generated .xlsx through
the same code as the upload page (check every row, then add all in one transaction), exports
the club's register, prints seconds and peak memory, then deletes everything it made.
Targets: each step under 10 s and 300 MB.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from clubs.models import Area, Club  # noqa: E402
from config.text import fold  # noqa: E402
from members.demo import ETHNIC_MIX, NAMES  # noqa: E402
from members.excel import COLUMNS, export_workbook  # noqa: E402
from members.imports import import_prepare, import_run  # noqa: E402
from members.models import ImportJob, Member  # noqa: E402

PREFIXES = ["091", "094", "096", "097", "098", "086", "088", "+84 32", "+84 35"]


class Upload(io.BytesIO):
    """What Django hands the view: a file with a name and a size."""

    name = "bench.xlsx"

    @property
    def size(self) -> int:
        return len(self.getbuffer())


def workbook(rows: int, seed: int = 1) -> Upload:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([c.header for c in COLUMNS])
    keys = [c.key for c in COLUMNS]
    for i in range(rows):
        ethnicity = rng.choice(ETHNIC_MIX)
        families, men, women = NAMES[ethnicity]
        female = rng.random() < 0.65
        name = f"{rng.choice(families)} {rng.choice(women if female else men)} {i}"
        values = {
            "full_name": name,
            "sex": "Nữ" if female else "Nam",
            "birth_date": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1935, 2000)}"
            if rng.random() < 0.6
            else None,
            "birth_year": rng.randint(1935, 2000),
            "ethnicity": ethnicity,
            "phone": f"{rng.choice(PREFIXES)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            "village": "Bản Thử",
            "household_status": rng.choice(["Nghèo", "Cận nghèo", "Không nghèo"]),
            "has_disability": "Không",
            "needs_care": "Không",
            "lives_alone": "Không",
            "has_health_insurance": "Có",
            "is_volunteer": "Có" if i % 10 == 0 else "Không",
            "joined_on": "01/01/2024",
            "consent_on": "01/01/2024",
            "consent_method": "Phiếu giấy",
        }
        if values["birth_date"]:
            values["birth_year"] = int(values["birth_date"][-4:])
        ws.append([values[k] for k in keys])
    buf = Upload()
    wb.save(buf)
    buf.seek(0)
    return buf


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(label: str, fn, *, trace: bool = False):
    """Runs ``fn`` once: wall time, then peak memory (tracemalloc slows code down a lot, so
    it is used only with --tracemalloc; the process's peak RSS is always shown)."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    python_peak = ""
    if trace:
        python_peak = f"   Python peak {tracemalloc.get_traced_memory()[1] / 1024 / 1024:6.1f} MB"
        tracemalloc.stop()
    print(f"{label:<30} {seconds:6.2f} s   peak RSS {peak_rss_mb():6.1f} MB{python_peak}")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--import-rows", type=int, default=5000)
    parser.add_argument("--export-rows", type=int, default=10000)
    parser.add_argument("--tracemalloc", action="store_true", help="also Python's own peak")
    args = parser.parse_args()
    stamp = str(int(time.time()))
    province = Area.objects.create(level=Area.Level.PROVINCE, code=f"B{stamp}", name="Tỉnh Bench")
    commune = Area.objects.create(
        level=Area.Level.COMMUNE, code=f"B{stamp}", name="Xã Bench", parent=province
    )
    club = Club.objects.create(
        code=f"BENCH-{stamp}", name="CLB Bench", commune=commune, meeting_rule="none"
    )
    print(f"{connection.vendor}, {args.import_rows} rows in, {args.export_rows} rows out")
    print(f"{'Django loaded':<30} {'':>8}   peak RSS {peak_rss_mb():6.1f} MB")
    try:
        upload = workbook(args.import_rows)
        print(f"{'generated .xlsx':<28} {upload.size / 1024 / 1024:6.2f} MB")

        def do_import() -> int:
            job = import_prepare(club=club, upload=upload, by=None)
            assert not job.problems, job.problems[:3]
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
            import_run(job_id=job.pk)  # the Celery task's body
            return Member.objects.filter(club=club).count()

        added, _ = measure(
            f"import {args.import_rows} (check+add)", do_import, trace=args.tracemalloc
        )
        assert added == args.import_rows, added
        extra = args.export_rows - added
        if extra > 0:
            base = Member.objects.filter(club=club).order_by("pk")[:1].get()
            rows = [
                Member(
                    club=club,
                    full_name=f"Thêm {i}",
                    search_name=fold(f"Thêm {i}"),
                    sex=base.sex,
                    birth_year=1960,
                    joined_on=base.joined_on,
                )
                for i in range(extra)
            ]
            Member.objects.bulk_create(rows, batch_size=1000)

        def do_export() -> int:
            buf = io.BytesIO()
            qs = Member.objects.filter(club=club).select_related("club").order_by("search_name")
            export_workbook(qs.iterator(chunk_size=2000), hidden=frozenset(), out=buf)
            return buf.tell()

        size, _ = measure(f"export {args.export_rows}", do_export, trace=args.tracemalloc)
        print(f"{'exported .xlsx':<28} {size / 1024 / 1024:6.2f} MB")
    finally:
        with transaction.atomic():
            members = Member.objects.filter(club=club)
            Member.history.filter(club_id=club.pk).delete()
            members.delete()
            ImportJob.objects.filter(club=club).delete()
            Club.history.filter(id=club.pk).delete()
            _delete_other_rows_of(club)
            club.delete()
            commune.delete()
            province.delete()


def _delete_other_rows_of(club: Club) -> None:
    """Rows other apps made for the new club (e.g. its two funds), before the club goes."""
    for rel in Club._meta.related_objects:
        if rel.related_model in (Member, ImportJob) or not rel.one_to_many:
            continue
        rel.related_model._base_manager.filter(**{rel.field.name: club}).delete()


if __name__ == "__main__":
    main()
