"""Demo data for the dashboards: the summaries of everything the other apps seeded."""

from reports import summary


def seed(out) -> None:
    written = summary.rebuild()
    out.write(f"Dashboard figures: {written} club-month rows rebuilt.")
