"""The reaper: running jobs whose worker died are given another attempt or failed.

Run by every ``parindex worker`` after each renewal of its lease, and by ``parindex
reap_jobs``. Safe when several run at once: the candidates are locked with ``SELECT … FOR
UPDATE SKIP LOCKED`` on PostgreSQL (two reapers never take the same job, and a job whose
worker is writing its outcome is skipped) and SQLite runs the whole pass in one exclusive
transaction; each candidate is checked again once locked.

A job is lost when it is RUNNING and its last worker's lease ran out (on SQLite: and the
worker's lock file is free, see :mod:`parindex.jobs.leases`). A job claimed by a worker
without a lease (django_tasks_db's own ``db_worker``) counts as lost once it has run longer
than a lease. A lost job that has had fewer than ``JOBS_MAX_ATTEMPTS`` attempts goes back to
READY with ``run_after`` = now + back-off and its domain row back to waiting; otherwise it
ends FAILED and its domain row says why, in Vietnamese.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from parindex.jobs import handlers
from parindex.jobs.leases import lease_seconds, lock_held
from parindex.jobs.models import AttemptOutcome, JobAttempt, WorkerLease

Job = DBTaskResult[Any, Any]
"""A job's row in django_tasks_db."""

logger = logging.getLogger(__name__)

LOST = (
    "Máy chủ xử lý nền bị dừng khi đang làm việc này, {attempts} lần liền; việc đã được "
    "dừng hẳn. Hãy thực hiện lại; nếu vẫn không được, hãy báo quản trị hệ thống."
)
"""What the page says of a job whose worker died on every attempt."""


@dataclass
class Reaped:
    """What one pass did: the jobs given another attempt and the jobs failed."""

    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """The wait before attempt ``attempts + 1``: base × 2^(attempts − 1), at most an hour."""
    base = float(settings.JOBS_RETRY_BACKOFF_SECONDS)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600.0))


def max_attempts() -> int:
    return int(settings.JOBS_MAX_ATTEMPTS)


def _live_workers(now: datetime) -> tuple[set[str], set[str]]:
    """(workers whose lease runs, every worker with a lease row)."""
    rows = WorkerLease.objects.values_list("worker_id", "expires_at")
    known = {worker for worker, _ in rows}
    live = {worker for worker, expires in rows if expires > now}
    return live, known


def _lost(task: Job, now: datetime, live: set[str], known: set[str]) -> bool:
    worker = task.worker_ids[-1] if task.worker_ids else ""
    if worker in live:
        return False
    if worker not in known:  # a worker without a lease: lost only once older than a lease
        started = task.started_at or task.enqueued_at
        return started < now - timedelta(seconds=lease_seconds())
    return not (connection.vendor == "sqlite" and lock_held(str(worker)))


def reap_lost_jobs() -> Reaped:
    """One pass of the reaper (see the module's docstring)."""
    reaped = Reaped()
    now = timezone.now()
    live, known = _live_workers(now)
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    suspects = [
        t.pk
        for t in running.only("pk", "worker_ids", "started_at", "enqueued_at")
        if _lost(t, now, live, known)
    ]
    if not suspects:
        return reaped
    with exclusive_transaction(running.db):
        live, known = _live_workers(now)
        locked = running.filter(pk__in=suspects).select_for_update(skip_locked=True)
        for task in locked:
            if _lost(task, now, live, known):
                _reclaim(task, now, reaped)
    return reaped


def _reclaim(task: Job, now: datetime, reaped: Reaped) -> None:
    attempts = len(task.worker_ids)
    JobAttempt.objects.filter(task_result=task, outcome=AttemptOutcome.RUNNING).update(
        outcome=AttemptOutcome.LOST,
        finished_at=now,
        error="Máy xử lý không còn báo đang chạy (hết hạn thuê).",
    )
    if attempts < max_attempts():
        task.status = TaskResultStatus.READY
        task.run_after = now + backoff(attempts)
        task.save(update_fields=["status", "run_after"])
        handlers.requeue(task.task_path, task.args_kwargs)
        reaped.retried.append(str(task.pk))
        logger.warning(
            "Job %s lost its worker; attempt %d of %d at %s",
            task.pk,
            attempts + 1,
            max_attempts(),
            task.run_after,
        )
        return
    message = LOST.format(attempts=attempts)
    task.status = TaskResultStatus.FAILED
    task.finished_at = now
    task.exception_class_path = "parindex.jobs.errors.WorkerLost"
    task.traceback = message
    task.return_value = None
    task.save(
        update_fields=["status", "finished_at", "exception_class_path", "traceback", "return_value"]
    )
    handlers.give_up(task.task_path, task.args_kwargs, message)
    reaped.failed.append(str(task.pk))
    logger.error("Job %s lost its worker %d times; failed", task.pk, attempts)
