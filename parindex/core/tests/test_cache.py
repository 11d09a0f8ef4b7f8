"""The Redis cache backend (one client per pool) and the session store without the
existence check, against the local Redis (database 14)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import override_settings

from parindex.core.cache import RedisCache, SessionStore

REDIS_URL = "redis://127.0.0.1:6379/14"
CACHES = {"default": {"BACKEND": "parindex.core.cache.RedisCache", "LOCATION": REDIS_URL}}


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), 1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache() -> Iterator[None]:
    with override_settings(CACHES=CACHES, SESSION_ENGINE="parindex.core.cache"):
        caches["default"].clear()
        yield
        caches["default"].clear()


def test_the_backend_builds_one_client_per_pool_and_works_as_a_cache() -> None:
    backend = RedisCache(REDIS_URL, {})
    client = backend._cache.get_client()
    assert backend._cache.get_client("any key", write=True) is client
    backend.clear()
    assert backend.add("k", {"số": 1}, 60)
    assert not backend.add("k", "other", 60)
    assert backend.get("k") == {"số": 1}
    backend.set("n", 0, 60)
    assert backend.incr("n") == 1
    assert backend.has_key("k")
    backend.delete("k")
    assert backend.get("k") is None
    backend.clear()


@pytest.mark.usefixtures("redis_cache")
def test_a_new_session_is_stored_without_asking_whether_its_key_exists() -> None:
    store = SessionStore()
    store["unit"] = "BENCH-XA-0001"
    with mock.patch.object(SessionStore, "exists", side_effect=AssertionError("exists()")):
        store.save()  # no key yet: create() with the atomic add
    assert store.session_key
    assert SessionStore(store.session_key).load() == {"unit": "BENCH-XA-0001"}


@pytest.mark.usefixtures("redis_cache")
def test_a_key_already_taken_is_never_overwritten_another_one_is_drawn() -> None:
    taken = SessionStore()
    taken["owner"] = "someone else"
    taken.save()
    fresh_key = "b" * 32
    with mock.patch(
        "parindex.core.cache.get_random_string", side_effect=[taken.session_key, fresh_key]
    ):
        store = SessionStore()
        store["owner"] = "me"
        store.create()
        store.save()
    assert store.session_key == fresh_key
    assert SessionStore(taken.session_key).load() == {"owner": "someone else"}
    assert SessionStore(fresh_key).load() == {"owner": "me"}
