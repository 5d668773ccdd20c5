"""Django's Redis cache, for a cache that may go away: when Redis cannot be reached, every read
is a miss and every write is dropped, with one warning per outage in the log.

Nothing lives only in the cache (sessions are in the database, the outbox and the jobs too),
so a miss costs a query, never an error page. After a failure the process skips Redis for
``RETRY_AFTER_SECONDS`` instead of waiting for a connect timeout on every call, then tries
again.

What an outage can leave behind when Redis comes back with its data (a network cut rather
than a restart): a delete that was dropped. Each cached value has a time limit, so the stale
copy lasts at most that long: a signed-in user ``ISHC_USER_CACHE_SECONDS`` (60 s), a menu
``ISHC_NAV_CACHE_SECONDS`` (5 min), a dashboard ``ISHC_DASHBOARD_CACHE_SECONDS`` (60 s).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
T = TypeVar("T")


class _Outages:
    """Per server list, shared by the threads of a process: until when Redis is skipped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def skipping(self, servers: str) -> bool:
        return time.monotonic() < self._until.get(servers, 0.0)

    def failed(self, servers: str, exc: Exception) -> None:
        with self._lock:
            first = servers not in self._until
            self._until[servers] = time.monotonic() + RETRY_AFTER_SECONDS
        if first:
            logger.warning(
                "cache unreachable (%s): serving without it, retrying every %ss",
                exc.__class__.__name__,
                RETRY_AFTER_SECONDS,
            )

    def reset(self) -> None:
        """Forget every outage: the next call tries Redis at once (tests, after a restart)."""
        with self._lock:
            self._until.clear()

    def succeeded(self, servers: str) -> None:
        if servers in self._until:
            with self._lock:
                back = self._until.pop(servers, None) is not None
            if back:
                logger.warning("cache reachable again")


outages = _Outages()


class ResilientRedisCacheClient(RedisCacheClient):
    """Each command answers its "nothing there" value while Redis is unreachable."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._servers_key = ",".join(servers)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """One ``redis.Redis`` per connection pool, made once: Django makes a new one for every
        command, and each fills a table of 170 reply handlers (about a tenth of the CPU a
        cached dashboard costs). The client is only a handle on the pool, which hands each
        thread its own connection and starts again after a fork."""
        django_client: Any = self  # its pools and client class are not in the type stubs
        pool = django_client._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = django_client._client(connection_pool=pool)
        return client

    def _try(self, fallback: T, command: Callable[[], T]) -> T:
        if outages.skipping(self._servers_key):
            return fallback
        try:
            result = command()
        except UNREACHABLE as exc:
            outages.failed(self._servers_key, exc)
            return fallback
        outages.succeeded(self._servers_key)
        return result

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._try(
            False, lambda: super(ResilientRedisCacheClient, self).add(key, value, timeout)
        )

    def get(self, key: Any, default: Any) -> Any:
        return self._try(default, lambda: super(ResilientRedisCacheClient, self).get(key, default))

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._try(None, lambda: super(ResilientRedisCacheClient, self).set(key, value, timeout))

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._try(False, lambda: super(ResilientRedisCacheClient, self).touch(key, timeout))

    def delete(self, key: Any) -> bool:
        return self._try(False, lambda: super(ResilientRedisCacheClient, self).delete(key))

    def get_many(self, keys: Iterable[Any]) -> dict[Any, Any]:
        keys = list(keys)
        return self._try({}, lambda: super(ResilientRedisCacheClient, self).get_many(keys))

    def has_key(self, key: Any) -> bool:
        # False makes RedisCache.incr raise ValueError ("not found"), as for a missing key.
        return self._try(False, lambda: super(ResilientRedisCacheClient, self).has_key(key))

    def incr(self, key: Any, delta: int) -> Any:
        def command() -> Any:
            return super(ResilientRedisCacheClient, self).incr(key, delta)

        if outages.skipping(self._servers_key):
            raise ValueError(f"Key '{key}' not found (cache unreachable).")
        try:
            return command()
        except UNREACHABLE as exc:
            outages.failed(self._servers_key, exc)
            raise ValueError(f"Key '{key}' not found (cache unreachable).") from exc

    def set_many(self, data: Mapping[Any, Any], timeout: Any) -> None:
        self._try(None, lambda: super(ResilientRedisCacheClient, self).set_many(data, timeout))

    def delete_many(self, keys: Iterable[Any]) -> None:
        keys = list(keys)
        self._try(None, lambda: super(ResilientRedisCacheClient, self).delete_many(keys))

    def clear(self) -> bool:
        return self._try(False, lambda: super(ResilientRedisCacheClient, self).clear())


class ResilientRedisCache(RedisCache):
    """``CACHES["default"]["BACKEND"]`` when ``REDIS_URL`` is set (config/settings.py)."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient


__all__ = ["RETRY_AFTER_SECONDS", "ResilientRedisCache", "ResilientRedisCacheClient", "outages"]
