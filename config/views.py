"""Site-wide views that belong to no single app."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz: database check failed")
        return False


def _broker_status() -> str:
    """'disabled' when no broker is configured, else 'ok' or 'error'."""
    if not settings.REDIS_URL:
        return "disabled"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        return "ok" if client.ping() else "error"
    except Exception:
        logger.exception("healthz: broker check failed")
        return "error"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = "ok" if _database_ok() else "error"
    broker = _broker_status()
    healthy = database == "ok" and broker in ("ok", "disabled")
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
