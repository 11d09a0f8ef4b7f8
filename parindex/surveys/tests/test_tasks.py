"""The survey computation in the background worker: the chair starts it, the task computes
(the immediate backend runs it when the start commits), the computation records its
progress and outcome; a second start while one runs is refused, a failure keeps its
Vietnamese message."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from pytest_django.fixtures import Settings

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet
from parindex.engine import survey as engine_survey
from parindex.organizations.models import Unit
from parindex.surveys import scoring
from parindex.surveys.import_template import KEY, UNIT, template_headers
from parindex.surveys.imports import responses_import
from parindex.surveys.models import (
    ImportBatch,
    Questionnaire,
    SamplePlan,
    SurveyComputation,
    SurveyResult,
)
from parindex.surveys.queueing import survey_compute_start
from parindex.surveys.scoring import COMPUTE_FAILED
from parindex.surveys.selectors import question_codes
from parindex.surveys.tasks import compute_survey

pytestmark = pytest.mark.django_db

CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
Status = SurveyComputation.Status


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Settings) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "reports"],
        }
    }


@pytest.fixture
def forms(plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User) -> int:
    """Six forms at UBND xã Thanh Sơn: three answer 5 everywhere, three answer 2 (so 50 %
    satisfied, 5.00 points of 10) and five valid forms are enough; none at the fixture's
    commune."""
    Questionnaire.objects.filter(pk=questionnaire.pk).update(min_forms=5)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=template_headers(questionnaire))
    writer.writeheader()
    for n in range(6):
        answers = {c: str(5 if n < 3 else 2) for c in question_codes(questionnaire)}
        writer.writerow({KEY: f"P-{n}", UNIT: "T-XA-THANHSON", **answers})
    batch = responses_import(
        period=questionnaire.period,
        name="dot-1.csv",
        data=out.getvalue().encode("utf-8"),
        actor=chair,
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    return 6


def test_the_chair_starts_and_the_worker_computes(
    forms: int,
    questionnaire: Questionnaire,
    chair: User,
    commune: Unit,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = questionnaire.period
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = survey_compute_start(period=period, actor=chair)
    assert started.status == Status.QUEUED and started.created_by == chair
    assert len(queued) == 1 and not SurveyResult.objects.exists()  # nothing until the worker

    for callback in queued:  # the worker takes the task (immediate backend)
        callback()

    started.refresh_from_db()
    assert started.status == Status.DONE, started.error
    assert (started.forms_done, started.forms_total) == (forms, forms)
    assert started.finished_at is not None and started.error == ""
    assert started.summary == {
        "units": 3,
        "surveyed": 2,
        "forms": 6,
        "valid_forms": 6,
        "too_few": [],
        "without_forms": [commune.name],
        "without_assessment": [],
    }
    result = SurveyResult.objects.get(unit__code="T-XA-THANHSON")
    assert (result.forms, result.valid_forms, result.points) == (6, 6, D("5.00"))
    by_code = {a.unit.code: a for a in Assessment.objects.select_related("unit")}
    assert by_code["T-XA-THANHSON"].survey_points == D("5.00")
    assert by_code["T-XA-HOABINH"].survey_not_applicable is True
    assert by_code[commune.code].survey_points is None
    assert AuditEvent.objects.filter(action="survey.compute_started").count() == 1
    assert AuditEvent.objects.get(action="survey.computed").actor == chair


def test_a_second_start_while_one_is_queued_or_running_is_refused(
    forms: int,
    questionnaire: Questionnaire,
    chair: User,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = questionnaire.period
    with django_capture_on_commit_callbacks(execute=False):
        first = survey_compute_start(period=period, actor=chair)
    with pytest.raises(ValidationError, match="đang được tính; hãy chờ"):
        survey_compute_start(period=period, actor=chair)
    SurveyComputation.objects.filter(pk=first.pk).update(status=Status.RUNNING)
    with pytest.raises(ValidationError, match="đang được tính"):
        survey_compute_start(period=period, actor=chair)
    assert SurveyComputation.objects.count() == 1

    # Once it is done, the chair may compute again.
    SurveyComputation.objects.filter(pk=first.pk).update(status=Status.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        again = survey_compute_start(period=period, actor=chair)
    again.refresh_from_db()
    assert again.status == Status.DONE
    assert SurveyComputation.objects.count() == 2


def test_a_computation_that_never_ended_does_not_block_forever(
    forms: int,
    questionnaire: Questionnaire,
    chair: User,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    """A worker stopped mid-way leaves a computation running: after an hour it is taken
    as interrupted, and its late task (if it ever runs) does nothing."""
    period = questionnaire.period
    with django_capture_on_commit_callbacks(execute=False) as stuck_task:
        stuck = survey_compute_start(period=period, actor=chair)
    SurveyComputation.objects.filter(pk=stuck.pk).update(
        created_at=stuck.created_at - scoring.STALE_AFTER - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = survey_compute_start(period=period, actor=chair)
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == Status.FAILED and "gián đoạn" in stuck.error
    assert fresh.status == Status.DONE
    for callback in stuck_task:
        callback()
    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED
    assert compute_survey.call(fresh.pk) == Status.DONE  # a done one is not run again
    assert AuditEvent.objects.filter(action="survey.computed").count() == 1


def test_a_set_without_survey_points_fails_with_its_message(
    forms: int,
    questionnaire: Questionnaire,
    chair: User,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    CriteriaSet.objects.update(survey_max=None)
    with django_capture_on_commit_callbacks(execute=True):
        started = survey_compute_start(period=questionnaire.period, actor=chair)
    started.refresh_from_db()
    assert started.status == Status.FAILED
    assert started.error.startswith("Bộ tiêu chí ")
    assert "không có điểm khảo sát: hãy ghi điểm khảo sát tối đa vào bộ tiêu chí" in started.error
    assert started.finished_at is not None and started.summary == {}
    assert not SurveyResult.objects.exists()
    assert not Assessment.objects.filter(survey_points__isnull=False).exists()


def test_an_unexpected_error_fails_with_a_plain_message_and_is_logged(
    forms: int,
    questionnaire: Questionnaire,
    chair: User,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ổ đĩa đầy (chi tiết kỹ thuật)")

    monkeypatch.setattr(engine_survey, "compute", broken)
    started = SurveyComputation.objects.create(period=questionnaire.period, created_by=chair)

    assert compute_survey.call(started.pk) == Status.FAILED

    started.refresh_from_db()
    assert started.error == COMPUTE_FAILED
    assert "RuntimeError" not in started.error and "chi tiết" not in started.error
    assert "Survey computation" in caplog.text and "ổ đĩa đầy" in caplog.text
    assert not SurveyResult.objects.exists()


def test_the_task_of_a_deleted_computation_does_nothing() -> None:
    assert compute_survey.call(987654) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes at the end only")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_page_sees_the_forms_read_while_the_computation_runs(
    forms: int,
    questionnaire: Questionnaire,
    chair: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The counting happens in a transaction; another connection, like the request polling
    the page, still sees the progress as it moves (by whole units: the six forms are of one
    unit)."""
    monkeypatch.setattr(scoring, "PROGRESS_EVERY", 2)
    computation = SurveyComputation.objects.create(period=questionnaire.period, created_by=chair)
    seen: list[tuple[int, int]] = []
    page = connections.create_connection(DEFAULT_DB_ALIAS)
    report = scoring._ProgressWriter.__call__

    def watched(writer: scoring._ProgressWriter, done: int, total: int) -> None:
        report(writer, done, total)
        with page.cursor() as cursor:
            cursor.execute(
                "SELECT forms_done, forms_total FROM surveys_surveycomputation WHERE id = %s",
                [computation.pk],
            )
            seen.append(cursor.fetchone())

    monkeypatch.setattr(scoring._ProgressWriter, "__call__", watched)
    try:
        assert compute_survey.call(computation.pk) == Status.DONE
    finally:
        page.close()
    assert seen == [(0, 6), (6, 6)]
