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
"""

from __future__ import annotations

import calendar
import datetime
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from config.text import fold

CODE_PREFIX = "SC-"
USER_PREFIX = "scale_"
PASSWORD = "Demo@12345"  # noqa: S105 - the documented demo password of generated users
BATCH = 250  # clubs per COPY round

# Apps whose tables seed_scale fills (and --fresh empties), minus reference data.
GENERATED_APPS = ("clubs", "members", "funds", "trainings", "reports")
KEEP_MODELS = {
    "clubs.area",
    "clubs.areasuccession",
    "clubs.activityarea",
    "members.compositiontarget",
}

FAMILY = [
    *["Nguyễn"] * 8, *["Trần"] * 3, *["Lê"] * 3, "Phạm", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Lường", "Giàng", "Vàng", "Tòng", "Quàng", "Sùng",
    "Hà", "Nông", "Triệu", "Đinh", "Mai", "Phan", "Cầm", "Lù", "Thào",
]  # fmt: skip
GIVEN_F = [
    "Lan", "Hoa", "Mai", "Hương", "Hằng", "Thu", "Tư", "Xuân", "Hạnh", "Nga", "Dung", "Loan",
    "Phượng", "Yến", "Thảo", "Liên", "Cúc", "Đào", "Nhung", "Vân", "Sinh", "Pằng", "Súa", "Mỷ",
    "Chi", "Bình", "Tâm", "Hiền", "Oanh", "Quyên",
]  # fmt: skip
GIVEN_M = [
    "Hùng", "Dũng", "Minh", "Sơn", "Hải", "Thắng", "Tuấn", "Bình", "Cường", "Quang", "Phúc",
    "Lâm", "Chiến", "Thành", "Toàn", "Long", "Nam", "Khánh", "Sáng", "Pao", "Chứ", "Dìn", "Lả",
    "Tiến", "Vinh", "Đức", "Hòa", "Kiên", "Tài", "Lộc",
]  # fmt: skip
MIDDLE_F = ["Thị", "Thị", "Thị", "Thị Thu", "Thị Hồng", "Thị Ngọc", "Thị Kim"]
MIDDLE_M = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Xuân", "A"]
VILLAGE = ["Bản", "Thôn", "Tổ dân phố", "Ấp", "Xóm"]
VILLAGE_NAMES = [
    "Nà Khum", "Cốc Lùng", "Pá Khôm", "Đông", "Đoài", "Trung", "Thượng", "Hạ", "Tân Lập",
    "Đồng Tâm", "Phú Mỹ", "Hòa Bình", "Thống Nhất", "Quyết Tiến", "Nậm Củm", "Sin Suối Hồ",
    "Hồng Thái", "Tiến Bộ", "An Phú", "Bình Minh", "Long Hưng", "Tân Hòa", "Mỹ Lợi",
]  # fmt: skip
PHONE_PREFIXES = [
    "32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98", "91", "94", "88",
    "81", "82", "83", "84", "85", "70", "76", "77", "78", "79", "89", "90", "93",
]  # fmt: skip
ETHNIC_MIX = [
    *["Kinh"] * 60, *["Thái"] * 8, *["Mông"] * 7, *["Tày"] * 6, *["Dao"] * 4, *["Mường"] * 4,
    *["Nùng"] * 4, "Khơ-me", "Khơ-me", "Hà Nhì", "Lự", "Giáy", "Gia-rai", "Ê-đê", "Chăm",
    "Cống", "Si La", "La Hủ", "Khơ-mú", "Hoa",
]  # fmt: skip
LEAVE_REASONS = ["Chuyển nơi ở", "Sức khỏe yếu", "Đi làm ăn xa", "Qua đời", "Xin nghỉ"]
LOAN_PURPOSES = [
    ("Mua lợn giống", "2 con lợn giống"), ("Chăn nuôi gà", ""), ("Mua bò giống", "1 con bò"),
    ("Trồng chè", ""), ("Buôn bán nhỏ", ""), ("Trồng rau, cây ăn quả", ""),
    ("Nuôi cá", ""), ("Mua máy cày mini", ""), ("Trồng lúa, ngô", ""), ("Nuôi dê", "3 con dê"),
]  # fmt: skip
ACTIVITY_TITLES = [  # by the activity areas' order (livelihoods … resource mobilisation)
    ["Tập huấn chăn nuôi lợn", "Chia sẻ kỹ thuật trồng chè", "Thăm mô hình sinh kế"],
    ["Nói chuyện chuyên đề tăng huyết áp", "Khám sức khỏe định kỳ", "Tập dưỡng sinh"],
    ["Thăm hỏi người cao tuổi ốm", "Giúp việc nhà cho thành viên neo đơn"],
    ["Góp công sửa nhà cho thành viên", "Giúp thu hoạch mùa vụ"],
    ["Tuyên truyền chính sách bảo hiểm y tế", "Hướng dẫn thủ tục trợ cấp"],
    ["Sinh hoạt chuyên đề phòng chống lừa đảo", "Học sử dụng điện thoại thông minh"],
    ["Giao lưu văn nghệ", "Thi đấu bóng chuyền hơi", "Tham quan câu lạc bộ bạn"],
    ["Vận động quỹ hội", "Quyên góp ủng hộ đồng bào lũ lụt"],
]
CARE_SERVICES = ["housework", "personal_care", "health_check", "medicine", "company", "farm_work"]
CANCEL_REASONS = ["Mưa lũ, đường sạt lở", "Trùng lịch mùa vụ", "Trùng lịch họp thôn"]
RETURN_COMMENTS = ["Bổ sung số liệu khám sức khỏe", "Ghi rõ hoạt động trong tháng"]


class ScaleDataExists(Exception):
    """seed_scale would mix its data with an earlier run."""


@dataclass
class ScaleResult:
    clubs: int = 0
    members: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    users: list[str] = field(default_factory=list)


@lru_cache(maxsize=200_000)
def _fold(text: str) -> str:
    return fold(text)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _ym_list(end: datetime.date, months: int) -> list[tuple[int, int]]:
    out = []
    y, m = end.year, end.month
    for _ in range(months):
        out.append((y, m))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out[::-1]


def _nth_weekday(year: int, month: int, week: int, weekday: int) -> datetime.date:
    days = calendar.monthrange(year, month)[1]
    if week == -1:
        day = datetime.date(year, month, days)
        return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    return day if day.month == month else day - datetime.timedelta(days=7)


# --- COPY buffers -------------------------------------------------------------------------


def _default(f: Any, now: datetime.datetime) -> Any:
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return now
    if f.has_default():
        value = f.get_default()
        return json.dumps(value) if isinstance(value, dict | list) else value
    if f.null:
        return None
    return ""


class Table:
    """Rows for one table: the given columns in order, then every other column's default."""

    def __init__(self, model: Any, columns: list[str], now: datetime.datetime) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{self.name}: no columns {unknown}")
        rest = [f for f in model._meta.concrete_fields if f.attname not in columns]
        self.columns = [fields[c].column for c in columns] + [f.column for f in rest]
        self.tail = tuple(_default(f, now) for f in rest)
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.next_id = 1

    def start_ids_after(self, cursor: Any) -> None:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.name}")  # noqa: S608
        self.next_id = cursor.fetchone()[0] + 1

    def new_id(self) -> int:
        ident = self.next_id
        self.next_id += 1
        return ident

    def add(self, *values: Any) -> None:
        self.rows.append(values + self.tail)

    def flush(self, cursor: Any) -> None:
        if not self.rows:
            return
        sql = f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in self.rows:
                copy.write_row(row)
        self.written += len(self.rows)
        self.rows = []


# --- the generator ------------------------------------------------------------------------


@dataclass
class _Entry:
    """A ledger entry being simulated; its id and voucher are given once the fund is sorted."""

    fund: int
    date: datetime.date
    amount: int
    direction: str
    category: str
    member: int | None = None
    payer: str = ""
    note: str = ""
    loan: int | None = None
    id: int = 0
    # (member, year, month) of the dues this entry receives.
    contribution: tuple[int, int, int] | None = None
    # The repayment this entry belongs to (written once the entries have ids).
    repayment: tuple[Any, ...] | None = None


class Generator:
    def __init__(
        self,
        *,
        clubs: int,
        months: int,
        seed: int = 2035,
        today: datetime.date | None = None,
        log: Callable[[str], None] = print,
    ) -> None:
        self.n_clubs = clubs
        self.months = months
        self.rng = random.Random(seed)  # noqa: S311 - repeatable data, not secrets
        self.today = today or timezone.localdate()
        self.log = log
        self.yms = _ym_list(self.today, months)
        self.window_start = datetime.date(*self.yms[0], 1)
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        m = apps.get_model
        Activity = m("clubs", "Activity")
        self.t = {
            "club": Table(
                m("clubs", "Club"),
                [
                    "id",
                    "code",
                    "name",
                    "commune_id",
                    "province_id",
                    "village",
                    "founded_on",
                    "decision_number",
                    "decision_date",
                    "decision_issuer",
                    "launched_on",
                    "status",
                    "status_changed_on",
                    "status_reason",
                    "meeting_rule",
                    "meeting_day",
                    "meeting_week",
                    "meeting_weekday",
                    "meeting_time",
                    "meeting_place",
                    "supporter",
                    "search_name",
                ],
                self.now,
            ),
            "member": Table(
                m("members", "Member"),
                [
                    "id",
                    "club_id",
                    "full_name",
                    "search_name",
                    "sex",
                    "birth_date",
                    "birth_year",
                    "ethnicity",
                    "phone",
                    "village",
                    "household_status",
                    "has_disability",
                    "lives_alone",
                    "has_health_insurance",
                    "needs_care",
                    "is_volunteer",
                    "joined_on",
                    "left_on",
                    "leave_reason",
                    "consent_on",
                    "consent_method",
                    "reminders_opt_out",
                ],
                self.now,
            ),
            "board": Table(
                m("clubs", "BoardPosition"),
                ["id", "club_id", "member_id", "position", "start_on"],
                self.now,
            ),
            "care": Table(
                m("members", "CareAssignment"),
                ["id", "volunteer_id", "recipient_id", "start_on"],
                self.now,
            ),
            "meeting": Table(
                m("clubs", "Meeting"),
                [
                    "id",
                    "club_id",
                    "date",
                    "starts_at",
                    "place",
                    "status",
                    "agenda",
                    "minutes",
                    "guests",
                    "planned_on",
                    "change_reason",
                    "recorded_at",
                ],
                self.now,
            ),
            "attendance": Table(
                m("clubs", "Attendance"), ["id", "meeting_id", "member_id", "status"], self.now
            ),
            "health": Table(
                m("clubs", "HealthCheck"),
                [
                    "id",
                    "club_id",
                    "member_id",
                    "meeting_id",
                    "date",
                    "systolic",
                    "diastolic",
                    "weight",
                ],
                self.now,
            ),
            "activity": Table(
                Activity,
                [
                    "id",
                    "club_id",
                    "date",
                    "title",
                    "participant_count",
                    "beneficiaries",
                    "cost",
                    "meeting_id",
                ],
                self.now,
            ),
            "activity_area": Table(
                Activity.areas.through, ["id", "activity_id", "activityarea_id"], self.now
            ),
            "visit": Table(
                m("clubs", "HomeCareVisit"),
                [
                    "id",
                    "club_id",
                    "volunteer_id",
                    "recipient_id",
                    "date",
                    "services",
                    "duration_minutes",
                ],
                self.now,
            ),
            "fund": Table(
                m("funds", "Fund"), ["id", "club_id", "owner_area_id", "kind", "name"], self.now
            ),
            "entry": Table(
                m("funds", "LedgerEntry"),
                [
                    "id",
                    "fund_id",
                    "date",
                    "amount",
                    "direction",
                    "category",
                    "voucher_year",
                    "voucher_seq",
                    "voucher_number",
                    "member_id",
                    "payer",
                    "note",
                    "loan_id",
                ],
                self.now,
            ),
            "contribution": Table(
                m("funds", "Contribution"),
                ["id", "member_id", "club_id", "year", "month", "amount", "entry_id"],
                self.now,
            ),
            "loan": Table(
                m("funds", "Loan"),
                [
                    "id",
                    "fund_id",
                    "borrower_id",
                    "principal",
                    "in_kind",
                    "purpose",
                    "monthly_rate",
                    "term_months",
                    "method",
                    "status",
                    "requested_on",
                    "approved_on",
                    "decision_note",
                    "disbursed_on",
                    "closed_on",
                ],
                self.now,
            ),
            "installment": Table(
                m("funds", "Installment"),
                [
                    "id",
                    "loan_id",
                    "seq",
                    "due_on",
                    "principal",
                    "interest",
                    "paid_principal",
                    "paid_interest",
                ],
                self.now,
            ),
            "repayment": Table(
                m("funds", "Repayment"),
                [
                    "id",
                    "loan_id",
                    "date",
                    "amount",
                    "principal",
                    "interest",
                    "principal_entry_id",
                    "interest_entry_id",
                ],
                self.now,
            ),
            "report": Table(
                m("clubs", "MonthlyReport"),
                [
                    "id",
                    "club_id",
                    "province_id",
                    "year",
                    "month",
                    "status",
                    "figures",
                    "compiled_at",
                    "narrative",
                    "submitted_at",
                    "reviewed_at",
                    "approved_at",
                    "returned_at",
                    "return_comment",
                ],
                self.now,
            ),
            "report_event": Table(
                m("clubs", "MonthlyReportEvent"),
                ["id", "report_id", "action", "from_status", "to_status", "comment", "at"],
                self.now,
            ),
            "training": Table(
                m("trainings", "Training"),
                [
                    "id",
                    "title",
                    "organiser_id",
                    "partners",
                    "starts_on",
                    "ends_on",
                    "venue",
                    "topics",
                    "audience",
                    "capacity",
                    "status",
                    "search_name",
                ],
                self.now,
            ),
            "session": Table(
                m("trainings", "TrainingSession"), ["id", "training_id", "day", "agenda"], self.now
            ),
            "participant": Table(
                m("trainings", "Participant"),
                [
                    "id",
                    "training_id",
                    "full_name",
                    "search_name",
                    "position",
                    "unit",
                    "unit_key",
                    "area_id",
                    "sex",
                    "ethnicity",
                    "phone",
                    "member_id",
                    "pre_score",
                    "post_score",
                ],
                self.now,
            ),
            "session_attendance": Table(
                m("trainings", "SessionAttendance"),
                ["id", "session_id", "participant_id", "checked_in_at"],
                self.now,
            ),
        }
        # Dependency order for writing (parents first; FK checks are deferred anyway).
        self.order = list(self.t)
        # People of the clubs kept for the trainings: board members by commune.
        self.board_people: dict[int, list[tuple[Any, ...]]] = defaultdict(list)

    # --- areas and clubs --------------------------------------------------------------------

    def _communes(self) -> list[tuple[int, int, str]]:
        """Every active commune, provinces interleaved (so the first 34 clubs are in 34
        provinces), each province's communes shuffled."""
        Area = apps.get_model("clubs", "Area")
        by_province: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for pk, province_id, name in (
            Area.objects.filter(level="commune", active=True)
            .order_by("pk")
            .values_list("pk", "province_id", "name")
        ):
            by_province[province_id].append((pk, province_id, name))
        lists = [by_province[p] for p in sorted(by_province)]
        for items in lists:
            self.rng.shuffle(items)
        out = []
        for i in range(max(len(x) for x in lists)):
            out.extend(items[i] for items in lists if i < len(items))
        return out

    def run(self) -> ScaleResult:
        started = time.perf_counter()
        communes = self._communes()
        if not communes:
            raise RuntimeError("No communes: run load_areas first.")
        if not self.area_ids_loaded():
            raise RuntimeError("No activity areas: run migrate (it seeds the 8 areas).")
        self.area_ids = list(
            apps.get_model("clubs", "ActivityArea")
            .objects.filter(active=True)
            .order_by("order", "pk")
            .values_list("pk", flat=True)
        )
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            for table in self.t.values():
                table.start_ids_after(cursor)
        members = 0
        for first in range(0, self.n_clubs, BATCH):
            with transaction.atomic(), connection.cursor() as wrapper:
                for i in range(first, min(first + BATCH, self.n_clubs)):
                    members += self._club(i, communes[i % len(communes)])
                self._flush(wrapper.cursor)
            done = min(first + BATCH, self.n_clubs)
            if done % 2000 == 0 or done == self.n_clubs:
                self.log(
                    f"  {done} clubs, {members} members, "
                    f"{self.t['attendance'].written} attendance marks "
                    f"({time.perf_counter() - started:.0f} s)"
                )
        with transaction.atomic(), connection.cursor() as wrapper:
            self._area_funds(communes)
            self._trainings()
            self._flush(wrapper.cursor)
        self._finish()
        users = self._users()
        return ScaleResult(
            clubs=self.n_clubs,
            members=members,
            rows={t.name: t.written for t in self.t.values()},
            seconds=time.perf_counter() - started,
            users=users,
        )

    def area_ids_loaded(self) -> bool:
        return bool(apps.get_model("clubs", "ActivityArea").objects.filter(active=True).exists())

    def _flush(self, cursor: Any) -> None:
        for name in self.order:
            self.t[name].flush(cursor)

    def _meeting_day(self, club: dict[str, Any], year: int, month: int) -> datetime.date:
        if club["rule"] == "nth_weekday":
            return _nth_weekday(year, month, club["week"], club["weekday"])
        return datetime.date(year, month, min(club["day"], calendar.monthrange(year, month)[1]))

    def _name(self, sex: str) -> str:
        rng = self.rng
        if sex == "F":
            return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"

    def _phone(self) -> str:
        return f"0{self.rng.choice(PHONE_PREFIXES)}{self.rng.randint(1_000_000, 9_999_999)}"

    def _club(self, i: int, commune: tuple[int, int, str]) -> int:
        rng, t, today = self.rng, self.t, self.today
        commune_id, province_id, commune_name = commune
        club_id = t["club"].new_id()
        code = f"{CODE_PREFIX}{i + 1:06d}"
        village = f"{rng.choice(VILLAGE)} {rng.choice(VILLAGE_NAMES)}"
        name = f"CLB LTHTGN {village} {i + 1}"
        founded = self.window_start - datetime.timedelta(days=rng.randint(60, 11 * 365))
        decision = founded - datetime.timedelta(days=rng.randint(5, 30))
        rule = "nth_weekday" if rng.random() < 0.12 else "day_of_month"
        club = {
            "rule": rule,
            "day": rng.randint(1, 28),
            "week": rng.choice([1, 2, 3, -1]),
            "weekday": rng.randint(0, 6),
        }
        meeting_time = datetime.time(8, 0) if rng.random() < 0.7 else datetime.time(14, 0)
        place = f"Nhà văn hóa {village}"
        roll = rng.random()
        status, changed_on, reason = "active", None, ""
        if roll < 0.02:
            status, reason = "paused", "Ban chủ nhiệm đang kiện toàn"
            changed_on = today - datetime.timedelta(days=rng.randint(5, 60))
        t["club"].add(
            club_id,
            code,
            name,
            commune_id,
            province_id,
            village,
            founded,
            f"{rng.randint(1, 250)}/QĐ-UBND",
            decision,
            f"UBND {commune_name}",
            founded,
            status,
            changed_on,
            reason,
            rule,
            club["day"] if rule == "day_of_month" else None,
            club["week"] if rule == "nth_weekday" else None,
            club["weekday"] if rule == "nth_weekday" else None,
            meeting_time,
            place,
            rng.choice(["helpage", "vae", "vae", "local_budget", "other"]),
            _fold(f"{name} {village} {code}"),
        )

        # Members: (id, name, sex, older, joined, left, poor, volunteer, needs_care, phone)
        people = []
        n = rng.randint(45, 75)
        volunteers_wanted = rng.randint(5, 10)
        for k in range(n):
            member_id = t["member"].new_id()
            sex = "F" if rng.random() < 0.64 else "M"
            older = rng.random() < 0.64
            year = rng.randint(1936, today.year - 61) if older else rng.randint(1967, 2001)
            birth_date = (
                datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                if rng.random() < 0.6
                else None
            )
            full = self._name(sex)
            if rng.random() < 0.9:
                joined = founded + datetime.timedelta(
                    days=rng.randint(0, max(1, (self.window_start - founded).days - 1))
                )
            else:
                joined = self.window_start + datetime.timedelta(
                    days=rng.randint(0, max(1, (today - self.window_start).days))
                )
            left = None
            if rng.random() < 0.04:
                left = joined + datetime.timedelta(days=rng.randint(1, 400))
                if left > today or left < self.window_start:
                    left = None
            consent = rng.random() < 0.93
            poor = ""
            if consent:
                r = rng.random()
                poor = "poor" if r < 0.3 else "near_poor" if r < 0.58 else "not_poor"
            volunteer = (not older and k % 3 == 0 and volunteers_wanted > 0) or (
                k >= n - volunteers_wanted and volunteers_wanted > 0 and rng.random() < 0.5
            )
            needs_care = consent and older and left is None and rng.random() < 0.09
            volunteer = volunteer and not needs_care
            phone = self._phone() if rng.random() < 0.82 else ""
            t["member"].add(
                member_id,
                club_id,
                full,
                _fold(full),
                sex,
                birth_date,
                year,
                rng.choice(ETHNIC_MIX) if consent else "",
                phone,
                village,
                poor,
                consent and rng.random() < 0.06,
                older and rng.random() < 0.1,
                rng.random() < 0.88,
                needs_care,
                volunteer,
                joined,
                left,
                rng.choice(LEAVE_REASONS) if left else "",
                max(joined, datetime.date(2026, 1, 1)) if consent else None,
                rng.choice(["paper", "verbal"]) if consent else "",
                rng.random() < 0.03,
            )
            people.append(
                (member_id, full, sex, older, joined, left, poor, volunteer, needs_care, phone)
            )

        def on_register(p: tuple[Any, ...], day: datetime.date) -> bool:
            return p[4] <= day and (p[5] is None or p[5] > day)

        staying = [p for p in people if p[5] is None]
        # Board: chair (an older member), vice-chair, secretary, accountant, treasurer.
        seats = rng.sample(staying, 5)
        for position, p in zip(
            ["chair", "vice_chair", "secretary", "accountant", "treasurer"], seats, strict=True
        ):
            t["board"].add(t["board"].new_id(), club_id, p[0], position, max(founded, p[4]))
            person = (p[0], p[1], p[2], p[9])  # id, name, sex, phone
            self.board_people[commune_id].append((person, position, name, province_id))
        # Care: each member in need gets a volunteer.
        volunteers = [p for p in staying if p[7]]
        if len(volunteers) < 2:
            volunteers = [p for p in staying if not p[8]][:5]
        recipients = [p for p in staying if p[8]]
        care = []
        for k, p in enumerate(recipients):
            v = volunteers[k % len(volunteers)]
            if v[0] == p[0]:
                continue
            t["care"].add(t["care"].new_id(), v[0], p[0], max(p[4], v[4]))
            care.append((v, p))

        # Funds of the club: the revolving (loan) fund and the operating fund.
        revolving, operating = t["fund"].new_id(), t["fund"].new_id()
        t["fund"].add(revolving, club_id, None, "revolving", "Quỹ quay vòng vốn")
        t["fund"].add(operating, club_id, None, "operating", "Quỹ hoạt động")
        entries: list[_Entry] = []
        opening_day = max(founded, self.window_start - datetime.timedelta(days=365))
        op_balance = rng.choice([2, 3, 5, 8, 10]) * 1_000_000
        entries.append(_Entry(operating, opening_day, op_balance, "in", "opening"))
        dues_amount = rng.choice([5_000, 10_000, 10_000, 20_000])

        # Per-month figures for the monthly reports.
        fig: dict[tuple[int, int], dict[str, Any]] = defaultdict(
            lambda: {
                "meetings": {"held": 0, "planned": 0, "cancelled": 0, "guests": 0},
                "attendance": {"present": 0, "absent": 0, "excused": 0},
                "health": {"readings": 0, "high": 0, "bp": 0, "weighed": 0},
                "activities": {"count": 0, "participants": 0, "beneficiaries": 0, "cost": 0},
                "areas": defaultdict(int),
                "visits": {"count": 0, "people": set(), "volunteers": set(), "minutes": 0},
            }
        )
        month_list = [*self.yms, _ym_list(_add_months(today, 1), 1)[0]]
        for year, month in month_list:
            first = datetime.date(year, month, 1)
            last = datetime.date(year, month, calendar.monthrange(year, month)[1])
            f = fig[(year, month)]
            day = self._meeting_day(club, year, month)
            meeting_id = t["meeting"].new_id()
            running = status == "active" or (changed_on is not None and day < changed_on)
            cancelled = day < today and (rng.random() < 0.05 or not running)
            held = day < today and not cancelled
            m_status = "held" if held else "cancelled" if cancelled else "planned"
            guests = rng.randint(0, 3) if held else 0
            at = datetime.datetime.combine(day, meeting_time, tzinfo=self.tz)
            t["meeting"].add(
                meeting_id,
                club_id,
                day,
                meeting_time,
                place,
                m_status,
                "1. Điểm danh, đo huyết áp\n2. Thu hội phí, thu nợ\n3. Sinh hoạt chuyên đề",
                "Sinh hoạt đầy đủ nội dung; thành viên đóng góp ý kiến." if held else "",
                guests,
                day,
                (rng.choice(CANCEL_REASONS) if running else reason) if cancelled else "",
                at + datetime.timedelta(hours=3) if held else None,
            )
            f["meetings"][m_status] += 1
            f["meetings"]["guests"] += guests
            if held:
                for p in people:
                    if not on_register(p, day):
                        continue
                    r = rng.random()
                    mark = "present" if r < 0.82 else "excused" if r < 0.9 else "absent"
                    t["attendance"].add(t["attendance"].new_id(), meeting_id, p[0], mark)
                    f["attendance"][mark] += 1
                    if mark == "present" and rng.random() < (0.55 if p[3] else 0.12):
                        systolic = diastolic = weight = None
                        if rng.random() < 0.92:
                            systolic = int(rng.gauss(132 if p[3] else 118, 16))
                            systolic = min(220, max(90, systolic))
                            diastolic = min(systolic - 20, max(50, int(rng.gauss(82, 9))))
                        if systolic is None or rng.random() < 0.7:
                            weight = f"{rng.uniform(38, 75):.1f}"
                        t["health"].add(
                            t["health"].new_id(),
                            club_id,
                            p[0],
                            meeting_id,
                            day,
                            systolic,
                            diastolic,
                            weight,
                        )
                        f["health"]["readings"] += 1
                        if systolic:
                            f["health"]["bp"] += 1
                            f["health"]["high"] += systolic >= 140 or diastolic >= 90
                        if weight:
                            f["health"]["weighed"] += 1
                    if mark == "present" and rng.random() < 0.45:
                        entries.append(
                            _Entry(
                                operating,
                                day,
                                dues_amount,
                                "in",
                                "dues",
                                p[0],
                                p[1],
                                f"Hội phí {month:02d}/{year}",
                                contribution=(p[0], year, month),
                            )
                        )
            if first > today or not running:
                continue
            # Activities (some at the meeting), with a cost taken from the operating fund
            # only when the money at the start of the month covers it.
            spendable = op_balance
            for _ in range(rng.randint(2, 4)):
                a_day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
                at_meeting = held and rng.random() < 0.4
                if at_meeting:
                    a_day = day
                if a_day > today:
                    continue
                areas = rng.sample(range(len(self.area_ids)), rng.choice([1, 1, 2]))
                title = rng.choice(ACTIVITY_TITLES[areas[0] % len(ACTIVITY_TITLES)])
                cost = rng.choice([0, 0, 100_000, 200_000, 300_000, 500_000])
                if cost > spendable:
                    cost = 0
                spendable -= cost
                activity_id = t["activity"].new_id()
                participants = rng.randint(10, 60)
                beneficiaries = rng.choice([0, 0, 2, 5, 10, 20])
                t["activity"].add(
                    activity_id,
                    club_id,
                    a_day,
                    title,
                    participants,
                    beneficiaries,
                    cost,
                    meeting_id if at_meeting else None,
                )
                for a in areas:
                    t["activity_area"].add(
                        t["activity_area"].new_id(), activity_id, self.area_ids[a]
                    )
                    f["areas"][self.area_ids[a]] += 1
                f["activities"]["count"] += 1
                f["activities"]["participants"] += participants
                f["activities"]["beneficiaries"] += beneficiaries
                f["activities"]["cost"] += cost
                if cost:
                    entries.append(
                        _Entry(operating, a_day, cost, "out", "activity", note=title, payer=title)
                    )
            if held and spendable > 1_000_000 and rng.random() < 0.1:
                helped = rng.choice(staying)
                amount = rng.choice([200_000, 500_000, 1_000_000])
                spendable -= amount
                entries.append(
                    _Entry(operating, day, amount, "out", "hardship", helped[0], helped[1])
                )
            if held and rng.random() < 0.08:
                entries.append(
                    _Entry(
                        operating,
                        day,
                        rng.choice([500_000, 1_000_000, 2_000_000]),
                        "in",
                        "donation",
                        payer="Nhà hảo tâm địa phương",
                    )
                )
            # The next month may spend what came in this month.
            op_balance = spendable + sum(
                e.amount
                for e in entries
                if e.fund == operating and e.direction == "in" and first <= e.date <= last
            )
            # Home-care visits.
            for v, p in care:
                for _ in range(rng.choice([1, 1, 2, 3])):
                    v_day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
                    if v_day > today or not on_register(p, v_day):
                        continue
                    minutes = rng.choice([30, 45, 60, 90, 120])
                    services = ",".join(sorted(rng.sample(CARE_SERVICES, rng.randint(1, 3))))
                    t["visit"].add(
                        t["visit"].new_id(), club_id, v[0], p[0], v_day, services, minutes
                    )
                    fv = f["visits"]
                    fv["count"] += 1
                    fv["people"].add(p[0])
                    fv["volunteers"].add(v[0])
                    fv["minutes"] += minutes

        loans_by_month = self._loans(club_id, revolving, staying, opening_day, entries)
        self._ledger(club_id, entries)
        self._reports(
            club_id, province_id, people, fig, loans_by_month, entries, (revolving, operating)
        )
        return n

    def _loans(
        self,
        club_id: int,
        fund_id: int,
        staying: list[tuple[Any, ...]],
        opening_day: datetime.date,
        entries: list[_Entry],
    ) -> dict[tuple[int, int], dict[str, int]]:
        """Loans of the revolving fund; the fund's capital is granted first and covers them
        all, so its running balance never goes below zero."""
        from funds.services.loans import build_schedule

        rng, t, today = self.rng, self.t, self.today
        stats: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        borrowers = [p for p in staying if p[6] in ("poor", "near_poor")] or staying
        k = rng.randint(4, 14)
        capital_entry = _Entry(fund_id, opening_day, 0, "in", "grant", payer="Dự án HelpAge")
        entries.append(capital_entry)
        total = 0
        span = max(30, (today - opening_day).days - 10)
        for j in range(k):
            p = rng.choice(borrowers)
            loan_id = t["loan"].new_id()
            principal = rng.choice([3, 5, 5, 7, 8, 10, 10, 12, 15, 20]) * 1_000_000
            term = rng.choice([6, 6, 9, 12, 12, 12])
            rate = rng.choice(["0.300", "0.500", "0.500", "0.600", "0.800", "1.000"])
            method = "bullet" if rng.random() < 0.15 else "equal_principal"
            purpose, in_kind = rng.choice(LOAN_PURPOSES)
            if j >= k - 2 and rng.random() < 0.6:  # waiting for the board, or refused
                requested = today - datetime.timedelta(days=rng.randint(1, 40))
                state = rng.choice(["requested", "approved", "rejected"])
                t["loan"].add(
                    loan_id, fund_id, p[0], principal, in_kind, purpose, rate, term, method,
                    state, requested,
                    requested + datetime.timedelta(days=2) if state != "requested" else None,
                    "Ban chủ nhiệm đã họp xét" if state != "requested" else "",
                    None, None,
                )  # fmt: skip
                continue
            disbursed = opening_day + datetime.timedelta(days=rng.randint(15, span))
            total += principal
            schedule = build_schedule(
                principal=principal,
                monthly_rate=Decimal(rate),
                term_months=term,
                method=method,
                start=disbursed,
            )
            entries.append(
                _Entry(
                    fund_id,
                    disbursed,
                    principal,
                    "out",
                    "loan_disbursement",
                    p[0],
                    p[1],
                    in_kind or purpose,
                    loan_id,
                )
            )
            stats[(disbursed.year, disbursed.month)]["disbursed"] += 1
            stats[(disbursed.year, disbursed.month)]["disbursed_amount"] += principal
            all_paid, closed = True, None
            behaviour = rng.random()  # most pay on time, a few late, a few stop paying
            for row in schedule:
                inst_id = t["installment"].new_id()
                paid_p = paid_i = 0
                pay_day = None
                if row["due_on"] <= today:
                    if behaviour < 0.8:
                        pay_day = row["due_on"] - datetime.timedelta(days=rng.randint(0, 3))
                    elif behaviour < 0.93:
                        pay_day = row["due_on"] + datetime.timedelta(days=rng.randint(5, 45))
                    if pay_day is not None and pay_day > today:
                        pay_day = None
                    if pay_day is not None and pay_day < disbursed:
                        pay_day = disbursed
                if pay_day is not None:
                    paid_p, paid_i = row["principal"], row["interest"]
                    repayment = t["repayment"].new_id()
                    interest_entry = principal_entry = None
                    if paid_i:
                        interest_entry = _Entry(
                            fund_id, pay_day, paid_i, "in", "loan_interest", p[0], p[1], "", loan_id
                        )
                        entries.append(interest_entry)
                    if paid_p:
                        principal_entry = _Entry(
                            fund_id, pay_day, paid_p, "in", "loan_principal", p[0], p[1], "",
                            loan_id,
                        )  # fmt: skip
                        entries.append(principal_entry)
                    # Written once the entries have ids (see _ledger).
                    carrier = principal_entry or interest_entry
                    assert carrier is not None  # noqa: S101 - every installment has a part
                    carrier.repayment = (
                        repayment, loan_id, pay_day, paid_p, paid_i, principal_entry,
                        interest_entry,
                    )  # fmt: skip
                    stats[(pay_day.year, pay_day.month)]["repaid_principal"] += paid_p
                    stats[(pay_day.year, pay_day.month)]["repaid_interest"] += paid_i
                    closed = max(closed or pay_day, pay_day)
                else:
                    all_paid = False
                t["installment"].add(
                    inst_id,
                    loan_id,
                    row["seq"],
                    row["due_on"],
                    row["principal"],
                    row["interest"],
                    paid_p,
                    paid_i,
                )
            approved = disbursed - datetime.timedelta(days=rng.randint(1, 7))
            t["loan"].add(
                loan_id, fund_id, p[0], principal, in_kind, purpose, rate, term, method,
                "repaid" if all_paid else "active",
                approved - datetime.timedelta(days=rng.randint(1, 14)),
                approved, "Ban chủ nhiệm đã họp xét", disbursed, closed if all_paid else None,
            )  # fmt: skip
        capital_entry.amount = total + rng.choice([5, 10, 20]) * 1_000_000
        return stats

    def _ledger(self, club_id: int, entries: list[_Entry]) -> None:
        """Give the club's entries ids and vouchers in date order, then write them and the
        dues and repayments that point at them."""
        t = self.t
        entries.sort(key=lambda e: (e.fund, e.date, e.direction != "in"))
        seqs: dict[tuple[int, str, int], int] = defaultdict(int)
        balance: dict[int, int] = defaultdict(int)
        for e in entries:
            e.id = t["entry"].new_id()
            key = (e.fund, e.direction, e.date.year)
            seqs[key] += 1
            balance[e.fund] += e.amount if e.direction == "in" else -e.amount
            if balance[e.fund] < 0:  # the simulation above must never allow this
                raise AssertionError(f"fund {e.fund} would go below zero on {e.date}")
            prefix = "PT" if e.direction == "in" else "PC"
            t["entry"].add(
                e.id,
                e.fund,
                e.date,
                e.amount,
                e.direction,
                e.category,
                e.date.year,
                seqs[key],
                f"{prefix}-{e.date.year}-{seqs[key]:04d}",
                e.member,
                e.payer[:200],
                e.note[:300],
                e.loan,
            )
        for e in entries:
            if e.contribution:
                member, year, month = e.contribution
                t["contribution"].add(
                    t["contribution"].new_id(), member, club_id, year, month, e.amount, e.id
                )
            if e.repayment:
                rid, loan_id, day, paid_p, paid_i, p_entry, i_entry = e.repayment
                t["repayment"].add(
                    rid,
                    loan_id,
                    day,
                    paid_p + paid_i,
                    paid_p,
                    paid_i,
                    p_entry.id if p_entry else None,
                    i_entry.id if i_entry else None,
                )

    def _reports(
        self,
        club_id: int,
        province_id: int,
        people: list[tuple[Any, ...]],
        fig: dict[tuple[int, int], dict[str, Any]],
        loans: dict[tuple[int, int], dict[str, int]],
        entries: list[_Entry],
        funds: tuple[int, int],
    ) -> None:
        """Monthly reports for every month that has begun: old ones mostly approved, the
        last ones at every step of the chain."""
        rng, t, today = self.rng, self.t, self.today
        names = {
            funds[0]: ("Quỹ quay vòng vốn", "revolving"),
            funds[1]: ("Quỹ hoạt động", "operating"),
        }
        for idx, (year, month) in enumerate(self.yms):
            age = len(self.yms) - 1 - idx  # 0 = this month
            if age == 0 and rng.random() < 0.7:
                continue
            if age == 0:
                status = "draft"
            elif age == 1:
                status = rng.choices(
                    ["draft", "submitted", "reviewed", "approved", "returned"],
                    [20, 35, 20, 15, 10],
                )[0]
            else:
                status = rng.choices(
                    ["approved", "reviewed", "submitted", "returned", "draft"], [86, 5, 4, 2, 3]
                )[0]
            first = datetime.date(year, month, 1)
            last = datetime.date(year, month, calendar.monthrange(year, month)[1])
            f = fig[(year, month)]
            marks = sum(f["attendance"].values())
            fund_rows = []
            for fund_id, (fname, kind) in names.items():
                income = expense = closing = 0
                for e in entries:
                    if e.fund != fund_id or e.date > last:
                        continue
                    signed = e.amount if e.direction == "in" else -e.amount
                    closing += signed
                    if e.date >= first:
                        income += e.amount if e.direction == "in" else 0
                        expense += e.amount if e.direction == "out" else 0
                fund_rows.append(
                    {
                        "fund_id": fund_id,
                        "name": fname,
                        "kind": kind,
                        "income": income,
                        "expense": expense,
                        "closing_balance": closing,
                    }
                )
            ls = loans.get((year, month), {})
            figures = {
                "period": f"{year:04d}-{month:02d}",
                "meetings": f["meetings"],
                "attendance": {
                    **f["attendance"],
                    "rate": round(100 * f["attendance"]["present"] / marks, 1) if marks else None,
                },
                "health": {
                    "readings": f["health"]["readings"],
                    "measured": f["health"]["readings"],
                    "bp_measured": f["health"]["bp"],
                    "weighed": f["health"]["weighed"],
                    "high": f["health"]["high"],
                },
                "activities": {
                    **f["activities"],
                    "by_area": [
                        {"code": str(a), "name": "", "count": f["areas"].get(a, 0)}
                        for a in self.area_ids
                    ],
                },
                "visits": {
                    "count": f["visits"]["count"],
                    "people": len(f["visits"]["people"]),
                    "volunteers": len(f["visits"]["volunteers"]),
                    "minutes": f["visits"]["minutes"],
                },
                "members": {
                    "joined": sum(1 for p in people if first <= p[4] <= last),
                    "left": sum(1 for p in people if p[5] and first <= p[5] <= last),
                    "at_end": sum(
                        1 for p in people if p[4] <= last and (p[5] is None or p[5] > last)
                    ),
                },
                "funds": {
                    "funds": fund_rows,
                    "loans_disbursed_count": ls.get("disbursed", 0),
                    "loans_disbursed_amount": ls.get("disbursed_amount", 0),
                    "repaid_principal": ls.get("repaid_principal", 0),
                    "repaid_interest": ls.get("repaid_interest", 0),
                    "outstanding_principal": None,
                    "par30": None,
                },
            }
            deadline = _add_months(first, 1).replace(day=5)
            compiled = datetime.datetime.combine(
                min(today, deadline - datetime.timedelta(days=rng.randint(0, 4))),
                datetime.time(9, 30),
                tzinfo=self.tz,
            )
            steps = [("created", "", "draft"), ("compiled", "draft", "draft")]
            submitted = reviewed = approved = returned = None
            comment = ""
            if status != "draft":
                late = rng.random() < 0.15
                submitted = compiled + datetime.timedelta(
                    days=rng.randint(3, 20) if late else 0, hours=1
                )
                steps.append(("submitted", "draft", "submitted"))
            if status in ("reviewed", "approved"):
                reviewed = submitted + datetime.timedelta(days=rng.randint(1, 5))
                steps.append(("reviewed", "submitted", "reviewed"))
            if status == "approved":
                approved = reviewed + datetime.timedelta(days=rng.randint(1, 7))
                steps.append(("approved", "reviewed", "approved"))
            if status == "returned":
                returned = submitted + datetime.timedelta(days=rng.randint(1, 5))
                comment = rng.choice(RETURN_COMMENTS)
                steps.append(("returned", "submitted", "returned"))
            report_id = t["report"].new_id()
            t["report"].add(
                report_id,
                club_id,
                province_id,
                year,
                month,
                status,
                json.dumps(figures, ensure_ascii=False),
                compiled,
                "Câu lạc bộ duy trì sinh hoạt đều, thành viên tham gia tích cực.",
                submitted,
                reviewed,
                approved,
                returned,
                comment,
            )
            when = {
                "created": compiled - datetime.timedelta(hours=1),
                "compiled": compiled,
                "submitted": submitted,
                "reviewed": reviewed,
                "approved": approved,
                "returned": returned,
            }
            for action, src, dst in steps:
                t["report_event"].add(
                    t["report_event"].new_id(),
                    report_id,
                    action,
                    src,
                    dst,
                    comment if action == "returned" else "",
                    when[action],
                )

    # --- associations -----------------------------------------------------------------------

    def _area_funds(self, communes: list[tuple[int, int, str]]) -> None:
        """The care fund of every province and of the communes that have clubs."""
        rng, t = self.rng, self.t
        used = {c for c in self.board_people}
        provinces = sorted({c[1] for c in communes})
        owners = [(p, "Quỹ chăm sóc và phát huy vai trò NCT tỉnh") for p in provinces]
        owners += [(c, "Quỹ chăm sóc và phát huy vai trò NCT xã") for c in sorted(used)]
        for area_id, name in owners:
            fund_id = t["fund"].new_id()
            t["fund"].add(fund_id, None, area_id, "care", name)
            seq = {"in": 0, "out": 0}
            balance = 0
            for year, month in self.yms:
                day = min(datetime.date(year, month, 15), self.today)
                for direction, category, amount, payer in (
                    ("in", "donation", rng.choice([2, 5, 10]) * 1_000_000, "Doanh nghiệp địa phương"),
                    ("out", "hardship", rng.choice([1, 2, 3]) * 1_000_000, "Hỗ trợ NCT khó khăn"),
                ):  # fmt: skip
                    if direction == "out" and amount > balance:
                        continue
                    balance += amount if direction == "in" else -amount
                    key = (direction, year)
                    seq[key] = seq.get(key, 0) + 1
                    prefix = "PT" if direction == "in" else "PC"
                    t["entry"].add(
                        t["entry"].new_id(), fund_id, day, amount, direction, category, year,
                        seq[key], f"{prefix}-{year}-{seq[key]:04d}", None, payer, "", None,
                    )  # fmt: skip

    def _trainings(self) -> None:
        """Per province, trainings of club chairs and board members (like Lai Châu's of May
        2024); some communes train their clubs' boards too."""
        rng, today = self.rng, self.today
        Area = apps.get_model("clubs", "Area")
        names = dict(
            Area.objects.filter(level__in=["province", "commune"]).values_list("pk", "name")
        )
        by_province: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for commune_id, people in self.board_people.items():
            for item in people:
                by_province[item[3]].append((commune_id, *item))
        training_days = [self.window_start + datetime.timedelta(days=d) for d in (40, 150, 280)]
        for province_id in sorted(by_province):
            pool = by_province[province_id]
            for n, start in enumerate(training_days):
                if start > today:
                    continue
                chosen = rng.sample(pool, min(len(pool), rng.randint(60, 140)))
                self._training(
                    f"Tập huấn thành lập và duy trì CLB LTHTGN năm {start.year} – đợt {n + 1}",
                    province_id,
                    names.get(province_id, ""),
                    start,
                    chosen,
                )
        communes = sorted(self.board_people)
        for commune_id in communes[:: max(1, len(communes) // 200)]:
            start = self.window_start + datetime.timedelta(days=rng.randint(20, 300))
            if start > today:
                continue
            chosen = [(commune_id, *item) for item in self.board_people[commune_id]][:40]
            self._training(
                f"Tập huấn ban chủ nhiệm CLB {names.get(commune_id, '')}",
                commune_id,
                names.get(commune_id, ""),
                start,
                chosen,
            )

    def _training(
        self,
        title: str,
        organiser: int,
        place: str,
        start: datetime.date,
        people: list[tuple[Any, ...]],
    ) -> None:
        rng, t = self.rng, self.t
        end = start + datetime.timedelta(days=1)
        training_id = t["training"].new_id()
        status = "done" if end < self.today else "under_way" if start <= self.today else "planned"
        t["training"].add(
            training_id,
            title,
            organiser,
            "Trung ương Hội NCT Việt Nam, HelpAge International",
            start,
            end,
            f"Hội trường {place}",
            "Thành lập CLB\nKế hoạch quỹ chăm sóc NCT\nPhong trào thi đua",
            "Ban chủ nhiệm CLB, cán bộ Hội NCT xã",
            max(len(people) + 10, 100),
            status,
            _fold(title)[:300],
        )
        sessions = []
        for d in range(2):
            session_id = t["session"].new_id()
            t["session"].add(session_id, training_id, start + datetime.timedelta(days=d), "")
            sessions.append((session_id, start + datetime.timedelta(days=d)))
        phones: set[str] = set()
        keys: set[tuple[str, str]] = set()
        for commune_id, p, position, club_name, _province in people:
            member_id, full, sex, phone = p
            if (_fold(full), _fold(club_name)) in keys:
                continue
            keys.add((_fold(full), _fold(club_name)))
            if phone in phones:
                phone = ""
            phones.add(phone)
            participant_id = t["participant"].new_id()
            pre = rng.randint(30, 80) if status == "done" else None
            t["participant"].add(
                participant_id,
                training_id,
                full,
                _fold(full),
                "club_chair" if position == "chair" else "club_board",
                club_name,
                _fold(club_name),
                commune_id,
                sex,
                "",
                phone,
                member_id,
                pre,
                min(100, pre + rng.randint(0, 25)) if pre is not None else None,
            )
            for session_id, day in sessions:
                if day < self.today and rng.random() < 0.93:
                    t["session_attendance"].add(
                        t["session_attendance"].new_id(),
                        session_id,
                        participant_id,
                        datetime.datetime.combine(day, datetime.time(7, 45), tzinfo=self.tz),
                    )

    # --- after the load ---------------------------------------------------------------------

    def _finish(self) -> None:
        """Fund balances from the entries, sequences past the ids used, fresh statistics."""
        Fund = apps.get_model("funds", "Fund")
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {Fund._meta.db_table} f SET balance = s.total
                FROM (
                    SELECT fund_id, SUM(CASE WHEN direction = 'in' THEN amount ELSE -amount END)
                        AS total
                    FROM funds_ledgerentry GROUP BY fund_id
                ) s
                WHERE s.fund_id = f.id AND f.balance <> s.total
                """  # noqa: S608
            )
            for table in self.t.values():
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 - our names
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))",
                    [table.name],
                )
            if connection.in_atomic_block:
                cursor.execute("ANALYZE")
            else:
                # As autovacuum would have, on a database that grew over the years: planner
                # statistics, and the visibility map that lets counts use index-only scans.
                cursor.execute("VACUUM (ANALYZE)")

    def _users(self) -> list[str]:
        """Staff to log in with (password Demo@12345): for the five provinces with the most
        clubs, provincial staff, staff of the commune with the most clubs there and the
        leader of that commune's first club. The largest province's are also
        scale_province, scale_commune, scale_leader; scale_admin is a superuser."""
        User = apps.get_model("accounts", "User")
        password = make_password(PASSWORD)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT a.province_id, c.commune_id, MIN(c.id), COUNT(*) AS n
                FROM clubs_club c JOIN clubs_area a ON a.id = c.commune_id
                WHERE c.code LIKE %s
                GROUP BY a.province_id, c.commune_id
                """,
                [CODE_PREFIX + "%"],
            )
            rows = cursor.fetchall()
        per_province: dict[int, int] = defaultdict(int)
        best: dict[int, tuple[int, int, int]] = {}
        for province_id, commune_id, club_id, n in rows:
            per_province[province_id] += n
            if province_id not in best or n > best[province_id][2]:
                best[province_id] = (commune_id, club_id, n)
        top = sorted(per_province, key=lambda p: (-per_province[p], p))[:5]
        users = [
            User(
                username=f"{USER_PREFIX}admin",
                password=password,
                role="admin",
                is_superuser=True,
                is_staff=True,
            )
        ]
        for rank, province_id in enumerate(top):
            commune_id, club_id, _n = best[province_id]
            suffix = "" if rank == 0 else f"_{rank + 1}"
            users += [
                User(
                    username=f"{USER_PREFIX}province{suffix}",
                    password=password,
                    role="province",
                    area_id=province_id,
                    first_name="Cán bộ tỉnh",
                ),
                User(
                    username=f"{USER_PREFIX}commune{suffix}",
                    password=password,
                    role="commune",
                    area_id=commune_id,
                    first_name="Cán bộ xã",
                ),
                User(
                    username=f"{USER_PREFIX}leader{suffix}",
                    password=password,
                    role="club_leader",
                    club_id=club_id,
                    first_name="Chủ nhiệm CLB",
                ),
            ]
        User.objects.bulk_create(users)
        return [u.username for u in users]


# --- entry points -------------------------------------------------------------------------


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
        return Generator(clubs=clubs, months=months, seed=seed, log=log).run()
    finally:
        if replica:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
