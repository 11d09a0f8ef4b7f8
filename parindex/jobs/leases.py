"""A worker's lease: the row that says it is alive, renewed from a thread.

A ``parindex worker`` registers a :class:`~parindex.jobs.models.WorkerLease` before it
claims anything and renews it every third of ``JOBS_LEASE_SECONDS`` from its keeper thread
(its own database connection, so a job's long transaction never holds it back on
PostgreSQL). A lease past ``expires_at`` means the worker died (killed, out of memory, the
machine restarted): the reaper (:mod:`parindex.jobs.reaper`) reclaims its running jobs.

SQLite allows one writer at a time and a survey import writes in one long transaction, so
there a renewal can wait for minutes. SQLite also means one machine, so the worker
additionally holds an exclusive ``flock`` on ``VAR_DIR/workers/<id>.lock`` for its whole
life: the kernel releases it the moment the process dies, and on SQLite a worker whose lock
is still held counts as alive whatever its lease says.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import socket
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from parindex.jobs.models import WorkerLease

logger = logging.getLogger(__name__)


def lease_seconds() -> int:
    return int(settings.JOBS_LEASE_SECONDS)


def new_worker_id() -> str:
    """``<host>-<pid>-<random>``, at most 64 characters (django_tasks_db's limit)."""
    host = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname())[:40]
    return f"{host}-{os.getpid()}-{get_random_string(8)}"


def _lock_path(worker_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", worker_id)
    return Path(settings.VAR_DIR) / "workers" / f"{safe}.lock"


def lock_held(worker_id: str) -> bool:
    """Whether a live process on this machine holds the worker's lock file."""
    path = _lock_path(worker_id)
    try:
        handle = path.open("a")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    with contextlib.suppress(OSError):
        path.unlink()
    return False


class Lease:
    """The lease of this process's worker: register, renew, release."""

    def __init__(self, worker_id: str, queues: list[str]) -> None:
        self.worker_id = worker_id
        self.queues = ",".join(queues)[:255]
        self._lock: IO[str] | None = None

    def register(self) -> None:
        path = _lock_path(self.worker_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = path.open("a")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        now = timezone.now()
        WorkerLease.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "queues": self.queues,
                "started_at": now,
                "heartbeat_at": now,
                "expires_at": now + timedelta(seconds=lease_seconds()),
                "stopped_at": None,
            },
        )

    def renew(self) -> None:
        now = timezone.now()
        WorkerLease.objects.filter(worker_id=self.worker_id).update(
            heartbeat_at=now, expires_at=now + timedelta(seconds=lease_seconds())
        )

    def release(self) -> None:
        now = timezone.now()
        try:
            WorkerLease.objects.filter(worker_id=self.worker_id).update(
                stopped_at=now, expires_at=now
            )
        except DatabaseError:
            logger.warning("Could not mark worker %s stopped", self.worker_id, exc_info=True)
        if self._lock is not None:
            self._lock.close()
            with contextlib.suppress(OSError):
                _lock_path(self.worker_id).unlink()
            self._lock = None


class Keeper(threading.Thread):
    """Renews the lease every third of the lease and runs ``also`` (the reaper) after each
    renewal; errors are logged, never fatal (the next tick tries again)."""

    def __init__(self, lease: Lease, also: Callable[[], object] | None = None) -> None:
        super().__init__(name=f"lease-{lease.worker_id}", daemon=True)
        self.lease = lease
        self.also = also
        self.stopping = threading.Event()

    def run(self) -> None:
        interval = max(lease_seconds() / 3, 0.5)
        try:
            while not self.stopping.wait(interval):
                for step in (self.lease.renew, self.also):
                    if step is None:
                        continue
                    try:
                        step()
                    except Exception:
                        logger.warning("Worker keeper: %s failed", step, exc_info=True)
                        connection.close()  # a broken connection is opened anew next time
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=lease_seconds())
