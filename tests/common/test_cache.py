"""The cache (common.cache.FailSoftRedisCache) keeps one Redis client per connection pool:
Django made a new one for every operation. (Failing soft and coming back after an outage are
tested with a Redis of the test's own: tests/*/test_redis_down.py.)"""

from django.core.cache import cache


def test_every_operation_uses_the_same_client():
    client = cache._cache.get_client("one key")
    assert cache._cache.get_client("another key") is client
    assert cache._cache.get_client(write=True) is cache._cache.get_client("a third", write=True)
    cache.set("kept", "a value")
    assert cache.get("kept") == "a value"
