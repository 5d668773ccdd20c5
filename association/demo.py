"""Demo data of the association app (run by seed_demo)."""


def seed(out: object) -> None:
    """Nothing yet."""
