"""Demo data of the elders app (run by seed_demo)."""


def seed(out: object) -> None:
    """Nothing yet."""
