"""Counting requests per client in the shared cache: one helper for every rate limit.

The cache is the installation's ``default`` cache: Redis when ``REDIS_URL`` is set, so that
several app servers count together (without it each process counts on its own). The
client's address is the one the login lock-out uses (django-axes, honouring
``PROXY_COUNT``), so behind a reverse proxy citizens are not all counted as the proxy.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the lock-out sees it ("?" when unknown)."""
    return get_client_ip_address(request) or "?"


def over_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one more hit for ``key`` in the current ``window`` (seconds); True once the
    count passes ``limit``."""
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
