"""The Celery app. With no REDIS_URL, tasks run in-process (CELERY_TASK_ALWAYS_EAGER).

Two queues: the default one (``CELERY_QUEUE``, "celery": reminders, exports, imports) and
the summaries' own (``CELERY_SUMMARY_QUEUE``, "summaries": ``refresh_summaries`` every
20 seconds and the nightly rebuild), so that planning two million reminders or a batch of
exports never holds back the dashboards' figures. A worker started without ``-Q`` consumes
both (development, ``make run``); in production a worker of its own serves the summaries
(README, deploy).
"""

import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ishc")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Read from the environment as the settings do: reading ``app.conf`` here would load the
# settings as soon as anything imports ``config``.
DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
SUMMARY_QUEUE = os.environ.get("CELERY_SUMMARY_QUEUE", "summaries")
app.conf.task_routes = {
    "reports.tasks.refresh_summaries": {"queue": SUMMARY_QUEUE},
    "reports.tasks.rebuild_recent_summaries": {"queue": SUMMARY_QUEUE},
}
# The queues a worker consumes when not told with -Q; each bound by its own name (two
# queues on one routing key would each get a copy of every task).
app.conf.task_queues = tuple(
    Queue(name, Exchange(name), routing_key=name) for name in (DEFAULT_QUEUE, SUMMARY_QUEUE)
)
app.autodiscover_tasks()
# Tasks that live in a sub-package of an app.
app.autodiscover_tasks(["month.reminders"])
