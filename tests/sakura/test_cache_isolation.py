"""Two xdist workers share Redis db 1 for the cache: a test that empties the cache empties its
own worker's keys only (Django's `cache.clear()` flushes the database, the other worker's
cached sessions with it, and a query count there then finds the session read from
PostgreSQL: the "11 queries instead of 10" that came and went)."""

from django.core.cache import cache

from tests.conftest import clear_cache


def test_clearing_the_cache_leaves_another_workers_keys():
    redis = cache._cache.get_client(write=True)
    other_worker = "test-0:1:django.contrib.sessions.cached_dbabc123"
    redis.set(other_worker, b"a session of the other worker")
    cache.set("mine", "of this worker")
    try:
        clear_cache()

        assert cache.get("mine") is None
        assert redis.get(other_worker) == b"a session of the other worker"
    finally:
        redis.delete(other_worker)
