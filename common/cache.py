"""Django's Redis cache, failing soft: with Redis down, pages work as with an empty cache.

What the portal keeps in the cache can be lost: the dashboard's figures are computed again,
sign-in rate limits (django-allauth) count nothing while Redis is away (django-axes, which
counts in the database, still locks accounts), an import's upload must be sent again. So an
unreachable Redis is logged, the operation answers as an empty cache would (`get` gives the
default, `add` says stored, `set` does nothing), and for `RETRY_AFTER` seconds the cache does
not try again, so a page that asks ten times waits on one connection timeout at most.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# After a failure, answer from nothing for this long before trying Redis again.
RETRY_AFTER = 5.0


class FailSoftRedisCacheClient(RedisCacheClient):
    """Each operation: Redis, or, when it cannot be reached, what an empty cache answers."""

    _down_until = 0.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # one redis.Redis per connection pool

    def get_client(self, key=None, *, write=False):
        # Django makes a new redis.Redis for each operation (~50 µs; a page does one or two):
        # a client holds no connection of its own and may be shared, so one per pool is kept.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _try(self, operation, empty, *args):
        if time.monotonic() < self._down_until:
            return empty()
        try:
            return getattr(super(), operation)(*args)
        except UNREACHABLE as error:
            self._down_until = time.monotonic() + RETRY_AFTER
            log.warning("The cache (Redis) cannot be reached; working without it: %s", error)
            return empty()

    def add(self, key, value, timeout):
        # "Stored": a lock taken through add() (allauth's rate limiter) must not wait for it.
        return self._try("add", lambda: True, key, value, timeout)

    def get(self, key, default):
        return self._try("get", lambda: default, key, default)

    def set(self, key, value, timeout):
        return self._try("set", lambda: None, key, value, timeout)

    def touch(self, key, timeout):
        return self._try("touch", lambda: False, key, timeout)

    def delete(self, key):
        return self._try("delete", lambda: False, key)

    def get_many(self, keys):
        return self._try("get_many", dict, keys)

    def has_key(self, key):
        return self._try("has_key", lambda: False, key)

    def incr(self, key, delta):
        def missing():
            raise ValueError(f"Key '{key}' not found.")  # as for a key that is not there

        return self._try("incr", missing, key, delta)

    def set_many(self, data, timeout):
        return self._try("set_many", lambda: None, data, timeout)

    def delete_many(self, keys):
        return self._try("delete_many", lambda: None, keys)

    def clear(self):
        return self._try("clear", lambda: False)


class FailSoftRedisCache(RedisCache):
    """settings.CACHES backend: `common.cache.FailSoftRedisCache`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient
