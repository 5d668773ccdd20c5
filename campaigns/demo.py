"""Demo data of the campaigns app (run by seed_demo)."""


def seed(out: object) -> None:
    """Nothing yet."""
