"""Fixed-window rate limits in the cache (Redis in production, shared by all workers).

``allow("password-reset:ip:1.2.3.4", limit=10, window=3600)`` is True for the first ten calls
in an hour and False after that. Keys are hashed, so e-mail addresses never reach the cache in
clear text.
"""

import hashlib
import time

from django.core.cache import cache


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one event for ``key``; True while at most ``limit`` happened in this window."""
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"throttle:{digest}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return True
    return count <= limit
