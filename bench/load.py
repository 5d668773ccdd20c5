"""Benchmark: throughput of gunicorn + PostgreSQL under 50 concurrent users (mixed workload).

Run by hand after ``manage.py seed_scale`` (needs locust 2.x in .venv, see docs/performance.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ishc_bench \\
        .venv/bin/python -m bench.load --users 50 --seconds 60

It writes the plan (which account opens which pages: the same pages as ``bench.pages`` plus
a member search, for the five provinces seed_scale made users for), starts gunicorn on
``--port`` with DEBUG off, runs locust headless, prints requests/s, failures and p50/p95 per
page, and the CPU that gunicorn and PostgreSQL spent per request (so a run on a busy machine
still says what the app costs), and stops gunicorn.
Targets: ≥ 100 requests/s, no errors, p95 ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench._db import ROOT, setup

BIN = Path(sys.executable).parent


def heavy_pages(area: int) -> list[list[str]]:
    """The province-wide pages that read most: the year's dashboard, the printable year
    report, the composition of every club, the fund list, the clubs behind a figure, and
    the export's offer page (``--heavy``)."""
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    year = str(today.year - (1 if today.month == 1 else 0))
    return [
        ["province dashboard, year", reverse("reports:area", args=[area]) + f"?period={year}"],
        ["province print", reverse("reports:area_print", args=[area]) + f"?period={year}"],
        ["composition", reverse("clubs:area_composition", args=[area])],
        ["provincial funds", reverse("funds:fund_list")],
        [
            "clubs behind a figure",
            reverse("reports:figure_list", args=["members"]) + f"?area={area}&period={last_month}",
        ],
        ["member export (offer)", reverse("members:area_export", args=[area])],
    ]


def account_pages(suffix: str, *, heavy: bool = False) -> dict[str, list[dict]]:
    """Accounts of one province (suffix '' for the largest, '_2'… for the others) and the
    pages each role opens there (with ``heavy``, province staff open the heavy pages too)."""
    from django.db.models import Count
    from django.urls import reverse

    from accounts.models import User
    from funds.models import Fund
    from month.models import Meeting, MonthlyReport
    from trainings.models import Training

    province = User.objects.get(username=f"scale_province{suffix}")
    commune = User.objects.get(username=f"scale_commune{suffix}")
    leader = User.objects.get(username=f"scale_leader{suffix}")
    club = leader.club_id
    meeting = Meeting.objects.filter(club_id=club, status="held").order_by("-date").first()
    report = MonthlyReport.objects.filter(club_id=club).order_by("-year", "-month").first()
    fund = Fund.objects.get(club_id=club, kind="operating")
    training = (
        Training.objects.filter(organiser_id=province.area_id)
        .annotate(n=Count("participants"))
        .order_by("-n", "pk")
        .first()
    )
    club_pages = [
        ["club page", reverse("clubs:club_detail", args=[club])],
        ["member list", reverse("members:member_list", args=[club])],
        ["member search", reverse("members:member_list", args=[club]) + "?q=nguyen+thi"],
        ["meeting record", reverse("month:meeting_record", args=[meeting.pk])],
        ["fund ledger", reverse("funds:fund_detail", args=[fund.pk])],
        ["loan list", reverse("funds:loan_list", args=[club])],
        ["monthly report", reverse("month:report_detail", args=[report.pk])],
        ["club dashboard", reverse("reports:club", args=[club])],
    ]
    return {
        "leader": [{"username": leader.username, "pages": club_pages}],
        "commune": [
            {
                "username": commune.username,
                "pages": [
                    ["commune dashboard", reverse("reports:area", args=[commune.area_id])],
                    ["report inbox", reverse("month:report_inbox")],
                    ["club list", reverse("clubs:club_list")],
                    *club_pages[:2],
                ],
            }
        ],
        "province": [
            {
                "username": province.username,
                "pages": [
                    ["province dashboard", reverse("reports:area", args=[province.area_id])],
                    [
                        "training participants",
                        reverse("trainings:participants", args=[training.pk]),
                    ],
                    ["report inbox", reverse("month:report_inbox")],
                    ["club list", reverse("clubs:club_list")],
                    *(heavy_pages(province.area_id) if heavy else []),
                ],
            }
        ],
    }


def plan(*, heavy: bool = False) -> dict:
    """Pages per role, and a signed-in session for each account (as the login form would
    make; see bench/locustfile.py for why the load does not log in itself)."""
    from django.test import Client

    from accounts.models import User

    out: dict = {"leader": {"accounts": []}, "commune": {"accounts": []}}
    out["province"] = {"accounts": []}
    for rank in range(1, 6):
        suffix = "" if rank == 1 else f"_{rank}"
        if not User.objects.filter(username=f"scale_province{suffix}").exists():
            continue
        for role, accounts in account_pages(suffix, heavy=heavy).items():
            for account in accounts:
                client = Client()
                client.force_login(User.objects.get(username=account["username"]))
                account["session"] = client.cookies["sessionid"].value
            out[role]["accounts"] += accounts
    return out


def cpu_seconds(root: int) -> float:
    """User + system CPU of a process and its children (gunicorn's master and workers)."""
    import psutil

    proc = psutil.Process(root)
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            times = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def db_backend_seconds(database: str) -> float:
    """CPU of the PostgreSQL backends connected to ``database`` (gunicorn's, kept open by
    CONN_MAX_AGE, so they live exactly as long as the run)."""
    import psutil

    total = 0.0
    for p in psutil.process_iter(["cmdline", "name"]):
        line = " ".join(p.info["cmdline"] or [])
        if line.startswith("postgres:") and f" {database} " in line:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = p.cpu_times()
                total += times.user + times.system
    return total


def _children_cpu() -> float:
    """User + system CPU of this process's finished children (locust, once it has run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on {url}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument(
        "--worker-class",
        default="sync",
        help="gunicorn worker class (sync, as README deploys; gthread keeps connections open "
        "but served some requests after others that came later: p95 twice as long)",
    )
    parser.add_argument(
        "--heavy",
        action="store_true",
        help="province staff also open the province-wide heavy pages (year dashboard, print, "
        "composition, funds, the clubs behind a figure, the export's offer)",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/3",
        help="cache (and session cache) as deployed; '' for the per-process cache",
    )
    args = parser.parse_args()

    for name, value in {
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        # connections live through the run, so that the CPU of their PostgreSQL backends
        # can be read at its start and its end
        "CONN_MAX_AGE": "600",
    }.items():
        os.environ.setdefault(name, value)
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
    setup()
    from django.db import connection

    assert connection.vendor == "postgresql", "run this on PostgreSQL (DATABASE_URL)"
    work = Path(tempfile.mkdtemp(prefix="ishc-load-"))
    plan_file = work / "plan.json"
    plan_file.write_text(json.dumps(plan(heavy=args.heavy)))
    connection.close()

    host = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            f"--worker-class={args.worker_class}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=os.environ,
    )
    database = connection.settings_dict["NAME"]
    try:
        wait_for(f"{host}/healthz")
        app_before = cpu_seconds(gunicorn.pid)
        db_before = db_backend_seconds(database)
        wall = time.perf_counter()
        locust_before = _children_cpu()
        subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                f"--users={args.users}",
                f"--spawn-rate={args.spawn_rate}",
                f"--run-time={args.seconds + int(args.users / args.spawn_rate) + 5}s",
                f"--host={host}",
                f"--csv={work / 'stats'}",
                "--only-summary",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "BENCH_PLAN": str(plan_file)},
            check=False,
        )
        wall = time.perf_counter() - wall
        cpu = (
            cpu_seconds(gunicorn.pid) - app_before,
            db_backend_seconds(database) - db_before,
            _children_cpu() - locust_before,
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    report(work / "stats_stats.csv", args, cpu, wall)


def report(
    path: Path, args: argparse.Namespace, cpu: tuple[float, float, float], wall: float
) -> None:
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    total = next((int(r["Request Count"]) for r in rows if r["Name"] == "Aggregated"), 0)
    load = os.getloadavg()
    print(
        f"\n{args.users} users, gunicorn {args.workers} {args.worker_class} workers × "
        f"{args.threads} threads, {'with' if args.heavy else 'without'} the heavy pages, "
        f"{args.seconds} s after a {args.users / args.spawn_rate:.0f} s ramp-up; "
        f"load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    if total:
        app_ms, db_ms = 1000 * cpu[0] / total, 1000 * cpu[1] / total
        print(
            f"CPU per request: gunicorn {app_ms:.1f} ms, PostgreSQL {db_ms:.1f} ms, "
            f"locust {1000 * cpu[2] / total:.1f} ms; "
            f"the app used {(cpu[0] + cpu[1]) / wall:.2f} of {os.cpu_count()} cores; "
            f"2 free cores would serve ≈ {2000 / (app_ms + db_ms):.0f} requests/s"
        )
    print("| page | requests | failures | req/s | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | "
            f"{float(r['Requests/s']):.1f} | {r['50%']} | {r['95%']} | "
            f"{float(r['Max Response Time']):.0f} |"
        )


if __name__ == "__main__":
    main()
