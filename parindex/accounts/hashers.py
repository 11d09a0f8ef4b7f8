"""The password hasher: Argon2id at OWASP's minimum profile, configurable.

Django's own Argon2 hasher uses 100 MiB, two passes and eight lanes: ~0.25 s of CPU and
100 MiB of memory per sign-in, the most expensive request of the season. OWASP's Password
Storage Cheat Sheet gives five equivalent Argon2id profiles; its minimum is m = 19 MiB
(19,456 KiB), t = 2, p = 1, a fraction of that cost (docs/configuration.md, "Sign-in").

The algorithm name stays ``argon2``, so the stored format is Django's own: every existing
hash verifies unchanged, and Django's ``must_update`` sees a hash made with other
parameters (Django's defaults, or an older setting) and re-hashes it at the next successful
sign-in. PBKDF2 hashes are re-hashed the same way (another algorithm).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

DEFAULT_MEMORY_KIB = 19456
DEFAULT_TIME_COST = 2
DEFAULT_PARALLELISM = 1


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with ``PASSWORD_ARGON2_MEMORY_KIB``, ``PASSWORD_ARGON2_TIME_COST`` and
    ``PASSWORD_ARGON2_PARALLELISM``, read at every hash and check: a changed setting applies
    to every new hash and re-hashes each account at its next successful sign-in."""

    def encode(self, password: str, salt: str) -> str:
        with _slot():
            return str(super().encode(password, salt))

    def verify(self, password: str, encoded: str) -> bool:
        with _slot():
            return bool(super().verify(password, encoded))

    def params(self) -> Any:
        params = super().params()
        params.memory_cost = _setting("PASSWORD_ARGON2_MEMORY_KIB", DEFAULT_MEMORY_KIB)
        params.time_cost = _setting("PASSWORD_ARGON2_TIME_COST", DEFAULT_TIME_COST)
        params.parallelism = _setting("PASSWORD_ARGON2_PARALLELISM", DEFAULT_PARALLELISM)
        return params


_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


@contextlib.contextmanager
def _slot() -> Iterator[None]:
    """At most ``PASSWORD_ARGON2_CONCURRENCY`` hashes at once in this process (0: no limit).

    A hash is ~20 ms of one core's CPU and 19 MiB of memory, and argon2-cffi lets the other
    threads run meanwhile: a worker's four threads in a sign-in storm would otherwise compute
    four at once on one core's share, each evicting the others' memory from the cache (~25 %
    more CPU per hash measured here with eight at once on two cores) and holding four times
    the memory. With one worker process per core, one hash per process keeps every core busy;
    the waiting threads still serve other requests."""
    limit = _setting("PASSWORD_ARGON2_CONCURRENCY", 1)
    if limit <= 0:
        yield
        return
    with _slots_lock:
        slots = _slots.get(limit)
        if slots is None:
            slots = _slots[limit] = threading.BoundedSemaphore(limit)
    with slots:
        yield


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def argon2_parameters(encoded: str) -> dict[str, Any]:
    """Memory (KiB), passes and lanes of a stored ``argon2$…`` hash, e.g. for a check."""
    decoded = OwaspArgon2PasswordHasher().decode(encoded)
    return {
        "variety": decoded["variety"],
        "memory_kib": decoded["memory_cost"],
        "time_cost": decoded["time_cost"],
        "parallelism": decoded["parallelism"],
    }
