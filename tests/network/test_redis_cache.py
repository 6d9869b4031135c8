"""The Redis cache backend keeps one client per connection pool (``core/redis_cache.py``)."""

import uuid

import pytest
import redis

from core.redis_cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_the_cache_reuses_one_client_and_works_as_django_s(backend):
    client = backend._cache.get_client(write=True)
    assert backend._cache.get_client() is client
    assert backend.add("answered", 1, 10)
    assert not backend.add("answered", 1, 10)
    assert backend.incr("answered") == 2
    backend.set_many({"a": (1, "x"), "b": [2]}, 10)
    assert backend.get_many(["a", "b", "c"]) == {"a": (1, "x"), "b": [2]}
    backend.delete_many(["a", "b", "answered"])
    assert backend.get("a") is None
