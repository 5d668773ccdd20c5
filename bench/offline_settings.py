"""Settings of ``bench.offline_browser``: the project's, with the static files collected into a
folder of the benchmark's own (so a run never touches ``var/static``)."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["ISHC_BENCH_STATIC_ROOT"])
