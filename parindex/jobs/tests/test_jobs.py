"""The lease, the reaper, the retries and the domain rows, in one process (the SIGKILL
tests, test_sigkill.py, run real workers)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError
from django.tasks import Task
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from parindex.documents import tasks as document_tasks
from parindex.evidence import tasks as evidence_tasks
from parindex.jobs.handlers import HANDLERS
from parindex.jobs.leases import Lease, lock_held
from parindex.jobs.models import AttemptOutcome, JobAttempt, WorkerLease
from parindex.jobs.reaper import LOST, reap_lost_jobs
from parindex.jobs.worker import LeasedWorker
from parindex.results import services as result_services
from parindex.results import tasks as result_tasks
from parindex.results.models import ResultRow, ResultVersion, VersionStatus
from parindex.results.tests.conftest import Scenario
from parindex.surveys import tasks as survey_tasks
from parindex.surveys.models import ImportBatch, SamplePlan

pytestmark = pytest.mark.django_db

Job = DBTaskResult[Any, Any]


@pytest.fixture(autouse=True)
def _jobs(settings: SettingsWrapper, tmp_path: Any) -> None:
    settings.JOBS_LEASE_SECONDS = 30
    settings.JOBS_MAX_ATTEMPTS = 3
    settings.JOBS_RETRY_BACKOFF_SECONDS = 10
    settings.VAR_DIR = tmp_path


def test_every_task_of_the_project_has_a_handler_for_its_row() -> None:
    modules = (result_tasks, survey_tasks, evidence_tasks, document_tasks)
    found = {t.module_path for m in modules for t in vars(m).values() if isinstance(t, Task)}
    assert found == set(HANDLERS)


def _running(job: Job, *workers: str, minutes_ago: int = 0) -> Job:
    job.status = TaskResultStatus.RUNNING
    job.worker_ids = list(workers)
    job.started_at = timezone.now() - timedelta(minutes=minutes_ago)
    job.save()
    JobAttempt.objects.filter(task_result=job).delete()
    for number, worker in enumerate(workers, start=1):
        JobAttempt.objects.create(
            task_result=job,
            number=number,
            worker_id=worker,
            started_at=job.started_at,
            outcome=AttemptOutcome.RUNNING if number == len(workers) else AttemptOutcome.LOST,
        )
    return job


def _lease(worker: str, *, expires_in: int) -> None:
    now = timezone.now()
    WorkerLease.objects.create(
        worker_id=worker,
        hostname="may-1",
        pid=1,
        queues="*",
        started_at=now,
        heartbeat_at=now,
        expires_at=now + timedelta(seconds=expires_in),
    )


def _import_job(plans: dict[str, SamplePlan]) -> tuple[ImportBatch, Job]:
    period = next(iter(plans.values())).period
    batch = ImportBatch.objects.create(
        period=period, file_name="a.csv", sha256="0" * 64, status=ImportBatch.Status.RUNNING
    )
    result = survey_tasks.import_survey_batch.enqueue(batch.pk)
    return batch, DBTaskResult.objects.get(pk=result.id)


def test_a_job_whose_worker_lease_ran_out_is_queued_again_after_a_back_off(
    plans: dict[str, SamplePlan],
) -> None:
    batch, job = _import_job(plans)
    _running(job, "chet")
    _lease("chet", expires_in=-1)
    before = timezone.now()
    reaped = reap_lost_jobs()
    assert reaped.retried == [str(job.pk)] and reaped.failed == []
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    assert before + timedelta(seconds=9) < job.run_after < timezone.now() + timedelta(seconds=11)
    assert job.worker_ids == ["chet"]  # the attempt count is kept
    attempt = JobAttempt.objects.get(task_result=job)
    assert attempt.outcome == AttemptOutcome.LOST and attempt.finished_at is not None
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED  # the task takes it again
    assert reap_lost_jobs().retried == []  # nothing twice


def test_after_the_last_attempt_the_job_fails_and_its_page_says_why(
    plans: dict[str, SamplePlan],
) -> None:
    batch, job = _import_job(plans)
    _running(job, "may-a", "may-b", "may-c")
    _lease("may-c", expires_in=-5)
    assert reap_lost_jobs().failed == [str(job.pk)]
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "parindex.jobs.errors.WorkerLost"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == [LOST.format(attempts=3)]
    assert "Máy chủ xử lý nền bị dừng khi đang làm việc này, 3 lần liền" in batch.errors[0]


def test_a_live_worker_keeps_its_job_and_a_leaseless_one_only_for_a_lease(
    plans: dict[str, SamplePlan],
) -> None:
    batch, job = _import_job(plans)
    _running(job, "song")
    _lease("song", expires_in=20)
    assert reap_lost_jobs().retried == []
    WorkerLease.objects.all().delete()  # e.g. django_tasks_db's own db_worker
    assert reap_lost_jobs().retried == []  # started just now
    _running(job, "song", minutes_ago=1)
    assert reap_lost_jobs().retried == [str(job.pk)]


def test_the_lock_file_says_a_worker_on_this_machine_is_alive() -> None:
    lease = Lease("may-khoa", ["*"])
    lease.register()
    assert lock_held("may-khoa")
    assert WorkerLease.objects.get(worker_id="may-khoa").stopped_at is None
    lease.release()
    assert not lock_held("may-khoa")
    assert WorkerLease.objects.get(worker_id="may-khoa").stopped_at is not None


def _worker() -> LeasedWorker:
    return LeasedWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="may-thu",
        excluded_queue_names=[],
    )


def _claimed(job: Job) -> Job:
    job.refresh_from_db()
    job.claim("may-thu")
    return job


def test_a_transient_error_is_retried_and_the_last_attempt_gives_the_tasks_own_message(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch, settings: SettingsWrapper
) -> None:
    settings.JOBS_MAX_ATTEMPTS = 2

    def lost_connection(*args: Any, **kwargs: Any) -> int:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(result_services, "_store_group", lost_connection)
    draft = ResultVersion.objects.create(period=scenario.p2024, status=VersionStatus.COMPUTING)
    job = DBTaskResult.objects.get(pk=result_tasks.compute_results.enqueue(draft.pk).id)
    _worker().run_task(_claimed(job))
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY and job.run_after > timezone.now()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.COMPUTING  # waiting for its next attempt
    _worker().run_task(_claimed(job))  # the last attempt: the task's own failure
    job.refresh_from_db()
    draft.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL  # the task ended the draft itself
    assert draft.status == VersionStatus.FAILED
    assert draft.error == "Không tính được kết quả: server closed the connection unexpectedly"
    outcomes = JobAttempt.objects.filter(task_result=job).order_by("number")
    assert [a.outcome for a in outcomes] == [AttemptOutcome.RETRY, AttemptOutcome.SUCCEEDED]


def test_another_error_fails_the_job_at_once_and_ends_its_row(
    plans: dict[str, SamplePlan], monkeypatch: pytest.MonkeyPatch
) -> None:
    batch, job = _import_job(plans)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(survey_tasks, "import_batch_run", broken)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
    _worker().run_task(_claimed(job))
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == ["Lỗi của hệ thống khi làm việc này; hãy báo quản trị hệ thống."]


def test_a_computation_run_again_over_a_dead_attempts_rows_stores_each_once(
    scenario: Scenario,
) -> None:
    clean = result_services.results_compute(period=scenario.p2024, actor=None)
    count = ResultRow.objects.filter(version=clean).count()
    ResultVersion.objects.filter(pk=clean.pk).update(status=VersionStatus.COMPUTING)
    clean.refresh_from_db()  # as a worker that died after storing every group leaves it
    again = result_services.results_compute_run(version=clean)
    assert again.status == VersionStatus.DRAFT and again.error == ""
    assert ResultRow.objects.filter(version=again).count() == count == 6
