"""Page latency at two sizes, from alternating ``bench.pages --json`` runs.

The machine's speed drifts over minutes (it is a shared virtual machine), so one run at
2,000 clubs followed by one at 20,000 compares the moments as much as the sizes. Run the two
databases alternately a few times and compare the medians:

    for i in 1 2 3; do
      DATABASE_URL=…/ishc_bench   .venv/bin/python -m bench.pages --requests 30 --json small-$i.json
      DATABASE_URL=…/ishc_bench20k .venv/bin/python -m bench.pages --requests 30 --json large-$i.json
    done
    .venv/bin/python -m bench.compare 'small-*.json' 'large-*.json'

Prints, per page, the median over the runs of p50 and p95 at each size and the ratio of the
p95s. Target: p95 ≤ 300 ms at the larger size and ratio ≤ 1.5.
"""

from __future__ import annotations

import argparse
import glob
import json
import statistics


def load(pattern: str) -> tuple[int, dict[str, list[dict]]]:
    runs: dict[str, list[dict]] = {}
    clubs = 0
    for path in sorted(glob.glob(pattern)):
        with open(path) as fh:
            data = json.load(fh)
        clubs = data["clubs"]
        for row in data["pages"]:
            runs.setdefault(row["page"], []).append(row)
    return clubs, runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("small")
    parser.add_argument("large")
    args = parser.parse_args()
    small_clubs, small = load(args.small)
    large_clubs, large = load(args.large)
    print(
        f"| page | queries | p50 / p95 ms at {small_clubs:,} | p50 / p95 ms at {large_clubs:,} "
        "| ratio of p95 | verdict |"
    )
    print("|---|---|---|---|---|---|")
    for page, rows in small.items():
        other = large.get(page)
        if not other:
            continue
        p50a = statistics.median(r["p50"] for r in rows)
        p95a = statistics.median(r["p95"] for r in rows)
        p50b = statistics.median(r["p50"] for r in other)
        p95b = statistics.median(r["p95"] for r in other)
        ratio = p95b / p95a
        ok = p95b <= 300 and ratio <= 1.5
        print(
            f"| {page} | {other[0]['queries']} | {p50a:.0f} / {p95a:.0f} | {p50b:.0f} / {p95b:.0f} "
            f"| {ratio:.2f} | {'✓' if ok else '✗'} |"
        )


if __name__ == "__main__":
    main()
