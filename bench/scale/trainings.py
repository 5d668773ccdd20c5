"""Trainings of club boards: by every province (like Lai Châu's of May 2024), and by some
communes; two days each, with check-ins and, once done, test scores."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.apps import apps

from bench.scale.common import Context, fold


def add_trainings(ctx: Context) -> None:
    """Per province, trainings of club chairs and board members; some communes train their
    clubs' boards too."""
    rng, today = ctx.rng, ctx.today
    Area = apps.get_model("clubs", "Area")
    names = dict(Area.objects.filter(level__in=["province", "commune"]).values_list("pk", "name"))
    by_province: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for commune_id, people in ctx.board_people.items():
        for item in people:
            by_province[item[3]].append((commune_id, *item))
    training_days = [ctx.window_start + datetime.timedelta(days=d) for d in (40, 150, 280)]
    for province_id in sorted(by_province):
        pool = by_province[province_id]
        for n, start in enumerate(training_days):
            if start > today:
                continue
            chosen = rng.sample(pool, min(len(pool), rng.randint(60, 140)))
            _training(
                ctx,
                f"Tập huấn thành lập và duy trì CLB LTHTGN năm {start.year} – đợt {n + 1}",
                province_id,
                names.get(province_id, ""),
                start,
                chosen,
            )
    communes = sorted(ctx.board_people)
    for commune_id in communes[:: max(1, len(communes) // 200)]:
        start = ctx.window_start + datetime.timedelta(days=rng.randint(20, 300))
        if start > today:
            continue
        chosen = [(commune_id, *item) for item in ctx.board_people[commune_id]][:40]
        _training(
            ctx,
            f"Tập huấn ban chủ nhiệm CLB {names.get(commune_id, '')}",
            commune_id,
            names.get(commune_id, ""),
            start,
            chosen,
        )


def _training(
    ctx: Context,
    title: str,
    organiser: int,
    place: str,
    start: datetime.date,
    people: list[tuple[Any, ...]],
) -> None:
    rng, t, today = ctx.rng, ctx.t, ctx.today
    end = start + datetime.timedelta(days=1)
    training_id = t["training"].new_id()
    status = "done" if end < today else "under_way" if start <= today else "planned"
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
        fold(title)[:300],
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
        if (fold(full), fold(club_name)) in keys:
            continue
        keys.add((fold(full), fold(club_name)))
        if phone in phones:
            phone = ""
        phones.add(phone)
        participant_id = t["participant"].new_id()
        pre = rng.randint(30, 80) if status == "done" else None
        t["participant"].add(
            participant_id,
            training_id,
            full,
            fold(full),
            "club_chair" if position == "chair" else "club_board",
            club_name,
            fold(club_name),
            commune_id,
            sex,
            "",
            phone,
            member_id,
            pre,
            min(100, pre + rng.randint(0, 25)) if pre is not None else None,
        )
        for session_id, day in sessions:
            if day < today and rng.random() < 0.93:
                t["session_attendance"].add(
                    t["session_attendance"].new_id(),
                    session_id,
                    participant_id,
                    datetime.datetime.combine(day, datetime.time(7, 45), tzinfo=ctx.tz),
                )
