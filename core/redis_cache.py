"""Django's Redis cache with one client per connection pool instead of one per call.

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` for every cache call, and
redis-py sets up its ~170 response callbacks in each: about half the CPU of a cache call, paid
on every page (the page cache) and by the throttles. A client is thread-safe and
holds no connection of its own (its pool hands them out, and reconnects after a fork or a Redis
restart), so one per pool is kept.
"""

from __future__ import annotations

from django.core.cache.backends import redis


class _CacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _CacheClient
