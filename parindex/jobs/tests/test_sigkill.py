"""Done-when of issue 14, part 3: a worker killed with SIGKILL in the middle of a results
computation and of a survey import; a second worker takes the job over (another worker
id) and finishes it, with the results equal to a clean run and every form stored once.

Each test starts real ``parindex worker`` processes on the test's database (SQLite file
or PostgreSQL) with a 2-second lease. The first worker is paused by the test-only hook
(:mod:`parindex.jobs.checkpoint`) after real progress: the first group of results stored
and committed, 20,000 forms checked and stored in the import's open transaction.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from parindex.jobs.models import AttemptOutcome, JobAttempt
from parindex.jobs.reaper import Reaped, reap_lost_jobs
from parindex.jobs.tests.processes import LEASE_SECONDS, WorkerProcess, wait_until
from parindex.results.models import ResultRow, ResultVersion, VersionStatus
from parindex.results.services import results_compute, results_compute_start
from parindex.results.tests.conftest import Scenario
from parindex.surveys.import_template import KEY, UNIT, template_headers
from parindex.surveys.models import ImportBatch, Questionnaire, SamplePlan, SurveyResponse
from parindex.surveys.queueing import import_batch_create
from parindex.surveys.selectors import question_codes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FORMS = 21_000
"""Past the import's first progress report (every 20,000 rows), where the pause is."""


@pytest.fixture
def workers() -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.stop()


def _job(task_path: str) -> DBTaskResult[Any, Any]:
    return DBTaskResult.objects.get(task_path=task_path)


def _rows(version: ResultVersion) -> list[tuple[Any, ...]]:
    fields = ("code", "rank", "points", "survey", "total", "max", "index", "class_label")
    return list(ResultRow.objects.filter(version=version).order_by("code").values_list(*fields))


def _assert_taken_over(job: DBTaskResult[Any, Any], first: str, second: str) -> None:
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids == [first, second]
    attempts = JobAttempt.objects.filter(task_result=job).order_by("number")
    assert [(a.number, a.worker_id, a.outcome) for a in attempts] == [
        (1, first, AttemptOutcome.LOST),
        (2, second, AttemptOutcome.SUCCEEDED),
    ]


def _kill_while_another_waits(
    first: WorkerProcess, job: DBTaskResult[Any, Any], workers: list[WorkerProcess], second: str
) -> None:
    """For more than a lease the paused job stays the first worker's: the reaper leaves it
    (its lease is renewed; on SQLite, where the job's open transaction can hold the renewal
    back, its lock file says it is alive). Then SIGKILL it, with the second worker started
    (on PostgreSQL already while the first was paused; on SQLite a new process cannot
    open the database while the import's write transaction is open, see the report)."""
    if connection.vendor == "postgresql":
        workers.append(WorkerProcess(second))
        workers[-1].wait_for(f"Starting worker worker_id={second}", timeout=60)
    time.sleep(LEASE_SECONDS * 1.5)
    assert reap_lost_jobs() == Reaped()
    job.refresh_from_db()
    assert (job.status, job.worker_ids) == (TaskResultStatus.RUNNING, [first.worker_id])
    first.kill()
    if connection.vendor != "postgresql":
        workers.append(WorkerProcess(second))


def test_a_results_computation_survives_a_killed_worker(
    scenario: Scenario, workers: list[WorkerProcess]
) -> None:
    period = scenario.p2024
    clean = _rows(results_compute(period=period, actor=None))
    assert len(clean) == 6  # two groups: sở (3 units) and huyện (3 units)

    first = WorkerProcess("w1-results", pause={"results_compute": 120})
    workers.append(first)
    draft = results_compute_start(period=period, actor=None)
    first.wait_for("checkpoint results_compute", timeout=60)
    draft.refresh_from_db()
    assert (draft.status, draft.progress_done, draft.progress_total) == ("computing", 1, 2)
    assert ResultRow.objects.filter(version=draft).count() == 3  # the first group, committed
    job = _job("parindex.results.tasks.compute_results")
    _kill_while_another_waits(first, job, workers, "w2-results")
    wait_until(
        lambda: ResultVersion.objects.filter(pk=draft.pk, status=VersionStatus.DRAFT).exists(),
        timeout=60,
        what="the draft computed by the second worker",
    )
    draft.refresh_from_db()
    assert (draft.error, draft.progress_done, draft.units_count) == ("", 2, 6)
    assert _rows(draft) == clean  # nothing lost, nothing doubled
    job = wait_until(
        lambda: DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.SUCCESSFUL).first(),
        timeout=10,
        what="the job's success",
    )
    _assert_taken_over(job, "w1-results", "w2-results")


def _forms_csv(questionnaire: Questionnaire, count: int) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=template_headers(questionnaire))
    writer.writeheader()
    answers = dict.fromkeys(question_codes(questionnaire), "4")
    for number in range(count):
        writer.writerow({KEY: f"P-{number:06d}", UNIT: "T-XA-THANHSON", **answers})
    return out.getvalue().encode("utf-8")


def test_a_survey_import_survives_a_killed_worker(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, workers: list[WorkerProcess]
) -> None:
    period = questionnaire.period
    first = WorkerProcess("w1-import", pause={"survey_import": 120})
    workers.append(first)
    batch, new = import_batch_create(
        period=period, name="phieu.csv", data=_forms_csv(questionnaire, FORMS), actor=None
    )
    assert new
    first.wait_for("checkpoint survey_import", timeout=120)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
    if connection.vendor == "postgresql":  # progress is written beside the transaction
        assert batch.rows_done == 20_000
    job = _job("parindex.surveys.tasks.import_survey_batch")
    _kill_while_another_waits(first, job, workers, "w2-import")
    assert not SurveyResponse.objects.filter(period=period).exists()  # rolled back
    wait_until(
        lambda: ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.DONE).exists(),
        timeout=120,
        what="the import finished by the second worker",
    )
    batch.refresh_from_db()
    assert (batch.stored, batch.skipped, batch.rows_done, batch.errors) == (FORMS, 0, FORMS, [])
    stored = SurveyResponse.objects.filter(period=period)
    assert stored.count() == FORMS
    assert stored.values("form_key").distinct().count() == FORMS
    job = wait_until(
        lambda: DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.SUCCESSFUL).first(),
        timeout=10,
        what="the job's success",
    )
    _assert_taken_over(job, "w1-import", "w2-import")
