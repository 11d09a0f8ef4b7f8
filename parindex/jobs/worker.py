"""``parindex worker``: django_tasks_db's worker with a lease, attempts and retries.

The loop (poll, claim with ``SELECT … FOR UPDATE SKIP LOCKED``, run) is django_tasks_db's;
around it this worker holds a lease renewed from its keeper thread, which also runs the
reaper (:mod:`parindex.jobs.reaper`). Each run of a job is a
:class:`~parindex.jobs.models.JobAttempt`. A job that raises one of
:data:`parindex.jobs.errors.TRANSIENT_ERRORS` goes back to READY after a back-off while it
has attempts left; any other error, or the last attempt, fails it and ends its domain row
with a Vietnamese message (:mod:`parindex.jobs.handlers`). The outcome is written only if
the job is still this worker's: a job reclaimed meanwhile (the lease ran out during a
pause) is left to its new attempt.
"""

from __future__ import annotations

import logging
from traceback import format_exception
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from parindex.jobs import handlers
from parindex.jobs.errors import is_transient, retries_allowed
from parindex.jobs.leases import Keeper, Lease
from parindex.jobs.models import AttemptOutcome, JobAttempt
from parindex.jobs.reaper import backoff, max_attempts, reap_lost_jobs

Job = DBTaskResult[Any, Any]
"""A job's row in django_tasks_db."""

logger = logging.getLogger(__name__)

GAVE_UP_TRANSIENT = (
    "Không làm xong do lỗi tạm thời của hệ thống (đã thử {attempts} lần). Hãy thực hiện lại "
    "sau ít phút; nếu vẫn không được, hãy báo quản trị hệ thống."
)
FAILED = "Lỗi của hệ thống khi làm việc này; hãy báo quản trị hệ thống."


class LeasedWorker(Worker):
    """A worker with a lease (see the module's docstring)."""

    def run(self) -> None:
        lease = Lease(self.worker_id, self.queue_names)
        lease.register()
        keeper = Keeper(lease, also=reap_lost_jobs)
        keeper.start()
        try:
            reap_lost_jobs()  # jobs left by a worker that died while none was running
            super().run()
        finally:
            keeper.stop()
            lease.release()

    def run_task(self, db_task_result: Job) -> None:
        attempt = JobAttempt.objects.create(
            task_result=db_task_result,
            number=len(db_task_result.worker_ids),
            worker_id=self.worker_id,
            started_at=timezone.now(),
        )
        try:
            self.running_task = True
            return_value = self._call(db_task_result)
        except BaseException as error:
            self._failed(db_task_result, attempt, error)
        else:
            self._succeeded(db_task_result, attempt, return_value)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _call(self, db_task_result: Job) -> Any:
        task = db_task_result.task
        task_result = db_task_result.task_result
        task_started.send(sender=type(task.get_backend()), task_result=task_result)
        with retries_allowed(len(db_task_result.worker_ids) < max_attempts()):
            if task.takes_context:
                return task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            return task.call(*task_result.args, **task_result.kwargs)

    def _still_mine(self, db_task_result: Job) -> bool:
        """Lock the job's row; whether it is still running on this worker."""
        current = (
            DBTaskResult.objects.select_for_update()
            .filter(pk=db_task_result.pk)
            .values_list("status", "worker_ids")
            .first()
        )
        mine = current is not None and current[0] == TaskResultStatus.RUNNING
        if mine and current is not None and current[1][-1:] != [self.worker_id]:
            mine = False
        if not mine:
            logger.warning("Job %s was reclaimed meanwhile; outcome dropped", db_task_result.pk)
        return mine

    def _succeeded(self, db_task_result: Job, attempt: JobAttempt, value: Any) -> None:
        try:
            with exclusive_transaction():
                if not self._still_mine(db_task_result):
                    return
                db_task_result.set_successful(value)
                _end(attempt, AttemptOutcome.SUCCEEDED)
        except BaseException as error:  # e.g. a return value that is not JSON
            self._failed(db_task_result, attempt, error)
            return
        self._finished(db_task_result)

    def _failed(self, db_task_result: Job, attempt: JobAttempt, error: BaseException) -> None:
        _reopen_if_broken()  # a dropped connection is opened anew for the outcome
        attempts = len(db_task_result.worker_ids)
        retry = is_transient(error) and attempts < max_attempts()
        text = "".join(format_exception(error))
        with exclusive_transaction():
            if not self._still_mine(db_task_result):
                return
            if retry:
                run_after = timezone.now() + backoff(attempts)
                DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                    status=TaskResultStatus.READY, run_after=run_after
                )
                handlers.requeue(db_task_result.task_path, db_task_result.args_kwargs)
                _end(attempt, AttemptOutcome.RETRY, text)
                logger.warning(
                    "Job %s: transient %r; attempt %d at %s",
                    db_task_result.pk,
                    error,
                    attempts + 1,
                    run_after,
                )
                return
            db_task_result.set_failed(error)
            message = GAVE_UP_TRANSIENT.format(attempts=attempts) if is_transient(error) else FAILED
            handlers.give_up(db_task_result.task_path, db_task_result.args_kwargs, message)
            _end(attempt, AttemptOutcome.FAILED, text)
        self._finished(db_task_result)

    def _finished(self, db_task_result: Job) -> None:
        try:
            sender = type(db_task_result.task.get_backend())
            task_result = db_task_result.task_result
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
        else:
            task_finished.send(sender=sender, task_result=task_result)


def _reopen_if_broken() -> None:
    if (
        connection.connection is not None
        and not connection.in_atomic_block
        and not connection.is_usable()
    ):
        connection.close()


def _end(attempt: JobAttempt, outcome: str, error: str = "") -> None:
    JobAttempt.objects.filter(pk=attempt.pk).update(
        outcome=outcome, finished_at=timezone.now(), error=error[-20000:]
    )
