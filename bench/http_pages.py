"""Benchmark: pages as users meet them — over HTTP, from gunicorn as deployed, on two sizes.

Run by hand on two databases filled by ``manage.py seed_scale`` (say 2,000 and 20,000 clubs;
the cache keys of each get a prefix of their own, ``CACHE_KEY_PREFIX``, since cached pages
are keyed by ids both databases share):

    .venv/bin/python -m bench.http_pages \\
        --small postgres://postgres@127.0.0.1:5432/ishc_bench \\
        --large postgres://postgres@127.0.0.1:5432/ishc_bench20k \\
        --small-redis redis://127.0.0.1:6379/10 --large-redis redis://127.0.0.1:6379/10 \\
        --rounds 60 --json http.json

For each size it starts gunicorn (``gunicorn.conf.py``, ``--workers``, ``--timeout``, DEBUG
off, Redis as cache) and a helper process on the same database that signs the seed_scale
users in, lists the pages and makes the writes for the cold dashboards. Before the rounds,
untimed, it reaches the deep pages of each province-wide list as users do: it opens the
first page, follows its "Next" links to the middle page and takes the first page's "Last"
link (the end of the list read backwards) for the last page, and keeps the exact URLs those
links gave (``?cursor=…`` on the keyset lists, ``?page=N`` where a list's own links still
say so). Then, round after round, the two sizes alternately (the first of the pair changes
every round, so that the machine's drift does not pass for an effect of size), every page
is requested once:

- every role's pages (``scale_province``, ``scale_commune``, ``scale_leader``);
- the province-wide lists (club list, composition, report inbox, the clubs behind a
  dashboard figure, the provincial funds) at their first, middle and last page, through
  the URLs their links gave; and the report inbox's middle and last pages asked as an old
  bookmark does, ``?page=N`` (OFFSET), as "(bookmark)" rows, so that both paths show;
- the dashboards for a month and for the whole year, warm (cached) and cold: right after a
  write that changes their figures (a member added in a club of the province and the
  summaries recomputed, as the worker would), so their cache is out of date;
- the forms with pickers, the member export's offer page, the printable province report.

It prints, per size, the PostgreSQL settings the database ran with, the gunicorn workers
(asked and running) and timeout, and how each list's deep pages were reached; then p50 and
p95 (nearest rank) per page and size, the ratio of the p95s, the status codes seen and the
load average at each round. Targets: p95 ≤ 300 ms at 20,000 clubs and ≤ 1.5 × its p95 at
2,000.

Sixty rounds by default: a request now and then is held 30–350 ms by the machine itself
(about one in five hundred even for ``/healthz``, at either size), and with thirty rounds the
p95 is the second-slowest request, so two such stalls on one page at one size decide its
ratio. With sixty it takes four (docs/performance.md).
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_MS = 300
RATIO = 1.5
PG_SETTINGS = (
    "server_version",
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "maintenance_work_mem",
    "random_page_cost",
    "jit",
    "max_connections",
    "autovacuum",
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- the helper, inside Django, on one database -------------------------------------------------


def plan() -> dict[str, Any]:
    """Sessions of the seed_scale users, the pages each opens, and the database's settings."""
    import datetime

    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from funds.models import Fund
    from members.models import Member
    from month.models import Meeting, MonthlyReport
    from trainings.models import Training

    province = User.objects.get(username="scale_province")
    commune = User.objects.get(username="scale_commune")
    leader = User.objects.get(username="scale_leader")
    club, area = leader.club_id, province.area_id
    if club is None or area is None:
        raise SystemExit("run manage.py seed_scale first: its users have a club and an area")
    meeting = Meeting.objects.filter(club_id=club, status="held").order_by("-date").first()
    report = MonthlyReport.objects.filter(club_id=club).order_by("-year", "-month").first()
    fund = Fund.objects.get(club_id=club, kind="operating")
    training = (
        Training.objects.filter(organiser_id=area)
        .annotate(n=Count("participants"))
        .order_by("-n", "pk")
        .first()
    )
    assert meeting and report and training and province.area
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    year = str(today.year - (1 if today.month == 1 else 0))

    dashboard = reverse("reports:area", args=[area])
    commune_dashboard = reverse("reports:area", args=[commune.area_id])
    figure = reverse("reports:figure_list", args=["members"]) + f"?area={area}&period={last_month}"
    pages = {
        "scale_province": [
            ["province dashboard, month (warm)", f"{dashboard}?period={last_month}", "warm"],
            ["province dashboard, year (warm)", f"{dashboard}?period={year}", "warm"],
            ["province dashboard, month (cold)", f"{dashboard}?period={last_month}", "write"],
            ["province dashboard, year (cold)", f"{dashboard}?period={year}", "write"],
            ["province print", reverse("reports:area_print", args=[area]) + f"?period={year}"],
            # Lists: their middle and last pages are reached through their links (``walk``).
            ["club list", reverse("clubs:club_list"), "list"],
            ["composition", reverse("clubs:area_composition", args=[area]), "list"],
            ["report inbox", reverse("month:report_inbox") + "?status=", "list", "bookmark"],
            ["members behind a figure", figure, "list"],
            ["provincial funds", reverse("funds:fund_list"), "list"],
            ["training participants", reverse("trainings:participants", args=[training.pk])],
            ["training: add participant", reverse("trainings:participant_add", args=[training.pk])],
            [
                "board member search",
                reverse("trainings:pick_member", args=[training.pk]) + "?name=member&member_q=ng",
            ],
            ["member export (offer)", reverse("members:area_export", args=[area])],
        ],
        "scale_commune": [
            ["commune dashboard (warm)", f"{commune_dashboard}?period={last_month}", "warm"],
            ["commune dashboard (cold)", f"{commune_dashboard}?period={last_month}", "write"],
            ["report inbox (commune)", reverse("month:report_inbox")],
            ["club list (commune)", reverse("clubs:club_list")],
        ],
        "scale_leader": [
            ["club page", reverse("clubs:club_detail", args=[club])],
            ["club dashboard", reverse("reports:club", args=[club])],
            ["member list", reverse("members:member_list", args=[club])],
            ["meeting record", reverse("month:meeting_record", args=[meeting.pk])],
            ["fund ledger", reverse("funds:fund_detail", args=[fund.pk])],
            ["loan list", reverse("funds:loan_list", args=[club])],
            ["loan request (picker)", reverse("funds:loan_create", args=[club])],
            ["home care (pickers)", reverse("members:care_list", args=[club])],
            ["monthly report", reverse("month:report_detail", args=[report.pk])],
        ],
    }
    sessions = {}
    for username in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        sessions[username] = client.cookies["sessionid"].value
    with connection.cursor() as cursor:
        settings = {}
        for name in PG_SETTINGS:
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    from clubs.models import Club

    return {
        "clubs": Club.objects.count(),
        "members": Member.objects.count(),
        "pages": pages,
        "sessions": sessions,
        "postgres": settings,
    }


def write() -> float:
    """A write that changes the province's dashboards: a member joins a club of the province
    (through the service, as the form does), then the summaries are recomputed as the worker
    does every minute. Returns the seconds the recompute took."""
    from django.utils import timezone

    from accounts.models import User
    from members import services
    from reports import summary

    leader = User.objects.get(username="scale_leader")
    assert leader.club is not None
    services.member_create(
        club=leader.club,
        fields={
            "full_name": "Người Đo Thử",
            "sex": "F",
            "birth_year": 1950,
            "joined_on": timezone.localdate(),
        },
        by=leader,
    )
    t0 = time.perf_counter()
    summary.recompute_dirty()
    return time.perf_counter() - t0


def helper() -> None:
    """Answers one JSON line per command read from stdin: ``plan``, ``write``."""
    sys.path.insert(0, str(ROOT))
    from bench._db import setup

    setup()
    for line in sys.stdin:
        command = line.strip()
        if command == "plan":
            answer: Any = plan()
        elif command == "write":
            answer = {"recompute_s": write()}
        else:
            break
        print(json.dumps(answer), flush=True)


# --- the runner, outside Django -----------------------------------------------------------------


class Pager(HTMLParser):
    """The pager of a list page (``templates/components/pagination.html``): the "Page n of
    total · rows" line and the links of the ``<nav>`` whose links are ``page-link``s."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = False
        self.text = ""
        self.links: list[dict[str, str]] = []
        self._nav = 0
        self._text: list[str] = []
        self._links: list[dict[str, str]] = []
        self._link: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav":
            self._nav += 1
            if self._nav == 1:
                self._text, self._links = [], []
        elif tag == "a" and self._nav and not self.found:
            attr = {k: v or "" for k, v in attrs}
            if "page-link" in attr.get("class", "").split():
                self._link = {**attr, "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self._links.append(self._link)
            self._link = None
        elif tag == "nav" and self._nav:
            self._nav -= 1
            if self._nav == 0 and self._links and not self.found:
                self.found, self.links = True, self._links
                self.text = " ".join(" ".join(self._text).split())

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link["text"] += data.strip()
        elif self._nav and not self.found:
            self._text.append(data)

    def position(self) -> tuple[int, int]:
        """(page number, number of pages) as the page says them ("Trang 3/41 · 1010 dòng",
        "Page 3 of 41 · 1010 rows"); a list without a pager has one page."""
        if not self.found:
            return 1, 1
        numbers = re.findall(r"\d+", re.sub(r"(?<=\d)[.,\u00a0\u202f ](?=\d{3}\b)", "", self.text))
        if len(numbers) < 2:
            raise ValueError(f"no page number in the pager: {self.text!r}")
        return int(numbers[0]), int(numbers[1])

    def next_href(self) -> str:
        """The "Next" link (``rel="next"``; on an OFFSET list the link just before "»")."""
        for link in self.links:
            if "next" in link.get("rel", "").split():
                return link["href"]
        last = [i for i, link in enumerate(self.links) if link["text"] == "»"]
        if last and last[0] > 0:
            return self.links[last[0] - 1]["href"]
        return ""

    def last_href(self) -> str:
        """The "Last" link (»)."""
        return next((link["href"] for link in self.links if link["text"] == "»"), "")


class Size:
    """One database: its gunicorn, its helper process, its signed-in users."""

    def __init__(self, name: str, database: str, redis: str, port: int, args: Any) -> None:
        self.name = name
        self.env = {
            **os.environ,
            "DATABASE_URL": database,
            "REDIS_URL": redis,
            "CACHE_KEY_PREFIX": f"bench-{name}",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789-abcdef"),
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "600",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        self.host = f"http://127.0.0.1:{port}"
        self.lists: dict[str, dict[str, Any]] = {}
        self.helper = subprocess.Popen(
            [sys.executable, "-m", "bench.http_pages", "--helper"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.plan = self.ask("plan")
        self.gunicorn = subprocess.Popen(  # noqa: S603 - fixed command line
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                f"--timeout={args.timeout}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        self.openers: dict[str, urllib.request.OpenerDirector] = {}
        for username, session in self.plan["sessions"].items():
            jar = http.cookiejar.CookieJar()
            jar.set_cookie(_cookie("sessionid", session))
            self.openers[username] = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(jar)
            )

    def ask(self, command: str) -> Any:
        assert self.helper.stdin and self.helper.stdout
        self.helper.stdin.write(command + "\n")
        self.helper.stdin.flush()
        line = self.helper.stdout.readline()
        if not line:
            raise SystemExit(f"{self.name}: the helper stopped on {command!r} (traceback above)")
        return json.loads(line)

    def page(self, username: str, url: str) -> Pager:
        """The page at ``url`` (untimed), its pager parsed; stops the run unless it is a 200
        at that very URL (not a redirect to the sign-in page, say)."""
        try:
            with self.openers[username].open(self.host + url, timeout=120) as response:
                body = response.read().decode("utf-8")
                status, final = response.status, response.geturl()
        except urllib.error.HTTPError as exc:
            status, final, body = exc.code, url, ""
        if status != 200 or final != self.host + url:
            raise SystemExit(f"{self.name}: {url} answered {status} at {final}")
        pager = Pager()
        pager.feed(body)
        pager.close()
        return pager

    def walk(self, username: str, name: str, url: str, bookmark: bool) -> dict[str, Any]:
        """The URLs of a list's first, middle and last pages as its own links give them: the
        "Next" links from the first page to the middle one, the first page's "Last" link.
        Untimed; each page's number is checked against the pager's."""
        t0 = time.perf_counter()
        first = self.page(username, url)
        number, total = first.position()
        if number != 1:
            raise SystemExit(f"{self.name}: {name} opened at page {number}, not 1")
        middle_n = max(1, (total + 1) // 2)
        middle_url, pager = url, first
        for expected in range(2, middle_n + 1):
            href = pager.next_href()
            if not href:
                raise SystemExit(f"{self.name}: {name} page {expected - 1} has no Next link")
            middle_url = urllib.parse.urljoin(middle_url, href)
            pager = self.page(username, middle_url)
            if pager.position()[0] != expected:
                raise SystemExit(
                    f"{self.name}: {name}: Next led to page {pager.position()[0]}, not {expected}"
                )
        last_url = url
        if total > 1:
            href = first.last_href()
            if not href:
                raise SystemExit(f"{self.name}: {name} has {total} pages but no Last link")
            last_url = urllib.parse.urljoin(url, href)
            if self.page(username, last_url).position() != (total, total):
                raise SystemExit(f"{self.name}: {name}: the Last link is not page {total}")
        rows = [
            [f"{name}, first page", url],
            [f"{name}, middle page", middle_url],
            [f"{name}, last page", last_url],
        ]
        if bookmark:  # an old link or bookmark: ?page=N, cut with OFFSET
            sep = "&" if "?" in url else "?"
            rows += [
                [f"{name}, middle page (bookmark)", f"{url}{sep}page={middle_n}"],
                [f"{name}, last page (bookmark)", f"{url}{sep}page={total}"],
            ]
        return {
            "pages": total,
            "middle": middle_n,
            "next_links": middle_n - 1,
            "seconds": round(time.perf_counter() - t0, 1),
            "rows": rows,
        }

    def walk_lists(self, only: str) -> None:
        """Replaces each list of the plan by its pages (``walk``), and records how."""
        for username, pages in self.plan["pages"].items():
            expanded: list[list[str]] = []
            for page in pages:
                if len(page) < 3 or page[2] != "list":
                    expanded.append(page)
                    continue
                name, url, bookmark = page[0], page[1], "bookmark" in page[3:]
                shown = [f"{name}, {which} page" for which in ("first", "middle", "last")]
                shown += [f"{row} (bookmark)" for row in shown[1:] if bookmark]
                if only and not any(only in row for row in shown):
                    continue
                walked = self.walk(username, name, url, bookmark)
                self.lists[name] = {k: v for k, v in walked.items() if k != "rows"}
                self.lists[name]["urls"] = {row[0]: row[1] for row in walked["rows"]}
                expanded += walked["rows"]
            self.plan["pages"][username] = expanded

    def workers_running(self) -> int:
        """The gunicorn master's worker processes, from /proc (0 where there is none)."""
        pid = self.gunicorn.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return 0
        return len(children)

    def get(self, username: str, url: str) -> tuple[float, int]:
        t0 = time.perf_counter()
        try:
            with self.openers[username].open(self.host + url, timeout=120) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        return 1000 * (time.perf_counter() - t0), status

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # the helper may be gone already
            assert self.helper.stdin
            self.helper.stdin.write("quit\n")
            self.helper.stdin.flush()
        self.helper.terminate()
        self.gunicorn.send_signal(signal.SIGTERM)
        self.gunicorn.wait(timeout=30)


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None,
        True, None, None, {},
    )  # fmt: skip


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


def run(args: Any) -> dict[str, Any]:
    sizes: list[Size] = []
    try:
        sizes.append(Size("small", args.small, args.small_redis, args.port, args))
        sizes.append(Size("large", args.large, args.large_redis, args.port + 1, args))
        for size in sizes:
            wait_for(f"{size.host}/healthz")
            print(f"{size.name}: {size.plan['clubs']:,} clubs, {size.plan['members']:,} members")
            print(f"  PostgreSQL: {json.dumps(size.plan['postgres'])}")
            # Untimed: the deep pages' URLs, as the lists' own links give them.
            size.walk_lists(args.only)
            size.plan["gunicorn"] = {
                "workers": args.workers,
                "running": size.workers_running(),
                "worker_class": "sync",
                "timeout": args.timeout,
            }
            print(
                f"  gunicorn: {args.workers} sync workers ({size.plan['gunicorn']['running']} "
                f"running), --timeout {args.timeout} s, gunicorn.conf.py"
            )
            for name, walked in size.lists.items():
                how = (
                    f"{walked['pages']} pages; middle page {walked['middle']} after "
                    f"{walked['next_links']} Next links, last page by the Last link"
                    if walked["pages"] > 1
                    else "1 page (first, middle and last are the same URL)"
                )
                print(f"  {name}: {how} ({walked['seconds']} s untimed)")
        times: dict[str, dict[str, list[float]]] = {s.name: {} for s in sizes}
        statuses: dict[str, set[int]] = {}
        loads: list[float] = []
        recomputes: dict[str, list[float]] = {s.name: [] for s in sizes}
        for rnd in range(args.warmup + args.rounds):
            order = sizes if rnd % 2 == 0 else sizes[::-1]
            for size in order:
                for username, pages in size.plan["pages"].items():
                    for page in pages:
                        name, url = page[0], page[1]
                        if args.only and args.only not in name:
                            continue
                        if len(page) > 2 and page[2] == "write":
                            # cold: right after a write that changes its figures
                            recomputes[size.name].append(size.ask("write")["recompute_s"])
                        elif len(page) > 2 and page[2] == "warm":
                            # warm: the cold pages' writes of the last round made it cold
                            size.get(username, url)
                        ms, status = size.get(username, url)
                        statuses.setdefault(name, set()).add(status)
                        if rnd >= args.warmup:
                            times[size.name].setdefault(name, []).append(ms)
            loads.append(os.getloadavg()[0])
            print(f"round {rnd + 1}: load average {loads[-1]:.2f}", file=sys.stderr)
    finally:
        for size in sizes:
            size.stop()
    return {
        "sizes": {
            s.name: {
                **{k: s.plan[k] for k in ("clubs", "members", "postgres", "gunicorn")},
                "lists": s.lists,
            }
            for s in sizes
        },
        "times": times,
        "statuses": {k: sorted(v) for k, v in statuses.items()},
        "load": loads,
        "recompute_s": recomputes,
        "workers": args.workers,
        "timeout": args.timeout,
    }


def report(result: dict[str, Any]) -> None:
    small, large = result["times"]["small"], result["times"]["large"]
    load = result["load"]
    print(
        f"\ngunicorn {result['workers']} sync workers, timeout {result['timeout']} s; "
        f"load average {min(load):.1f}–{max(load):.1f} over the rounds"
    )
    print("| page | p50 / p95 ms small | p50 / p95 ms large | ratio of p95 | status | verdict |")
    print("|---|---|---|---|---|---|")
    for name in large:
        s, la = small.get(name, []), large[name]
        if not s or not la:
            continue
        s95, l95 = percentile(s, 95), percentile(la, 95)
        ratio = l95 / s95 if s95 else float("inf")
        ok = l95 <= TARGET_MS and ratio <= RATIO
        print(
            f"| {name} | {percentile(s, 50):.0f} / {s95:.0f} | {percentile(la, 50):.0f} / "
            f"{l95:.0f} | {ratio:.2f} | {','.join(map(str, result['statuses'][name]))} | "
            f"{'✓' if ok else '✗'} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--helper", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--small", help="DATABASE_URL of the smaller database")
    parser.add_argument("--large", help="DATABASE_URL of the larger database")
    parser.add_argument("--small-redis", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--large-redis", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (README)")
    parser.add_argument("--timeout", type=int, default=30, help="gunicorn timeout (README)")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--json", default="", help="also write the results to this file")
    args = parser.parse_args()
    if args.helper:
        helper()
        return
    if not (args.small and args.large):
        parser.error("--small and --large are required")
    result = run(args)
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
