"""gunicorn reads this file from the directory it starts in (README: Deploying).

Python's cyclic garbage collector, as configured by default, runs every 700 new objects: a
Django page creates tens of thousands, so it ran dozens of times per page, scanning the
whole application each time. Once a worker has loaded the application, its objects are
moved out of the collector's sight (``gc.freeze``) and it runs less often; the page-load
benchmark (docs/performance.md) measured about 8 % less CPU per request. Reference cycles
are still collected.
"""

import gc


def post_worker_init(worker: object) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
