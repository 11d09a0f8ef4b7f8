"""The services that queue the survey's background jobs: an uploaded file's import, the
computation of points, the Excel export of the forms. Each creates its job's row and its
audit event in one transaction and enqueues the worker's task (:mod:`parindex.surveys.tasks`)
when that transaction commits; the worker's side lives in :mod:`parindex.surveys.imports`,
:mod:`parindex.surveys.scoring` and :mod:`parindex.surveys.exports`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.periods.models import Period
from parindex.surveys import jobs
from parindex.surveys.exports import XLSX_MAX_ROWS
from parindex.surveys.imports import import_batch_register
from parindex.surveys.models import ImportBatch, ResponseExport, SurveyComputation, SurveyResponse
from parindex.surveys.scoring import ready_to_compute
from parindex.surveys.selectors import questionnaire_required
from parindex.surveys.tasks import compute_survey, export_survey_responses, import_survey_batch


def import_batch_create(
    *, period: Period, name: str, data: bytes, actor: User | None
) -> tuple[ImportBatch, bool]:
    """Register an uploaded file for import (the file is kept with the batch) and queue the
    worker's import of it on commit. Returns the batch and whether it is new: a file already
    imported into the period returns its finished batch, stores and queues nothing again."""
    with transaction.atomic():
        batch, new = import_batch_register(period=period, name=name, data=data, actor=actor)
        if new:
            batch_id = batch.pk
            transaction.on_commit(lambda: import_survey_batch.enqueue(batch_id))
    return batch, new


def survey_compute_start(*, period: Period, actor: User | None) -> SurveyComputation:
    """Queue the computation of the period's survey points in the background worker.

    Refuses at once what can be checked without reading forms (no questionnaire, no sample
    plan, a finalised period) and a second computation while one is queued or running."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        ready_to_compute(locked)
        active = SurveyComputation.objects.filter(
            period=locked, status__in=SurveyComputation.ACTIVE
        )
        jobs.release_interrupted(
            active,
            active=SurveyComputation.ACTIVE,
            failed=SurveyComputation.Status.FAILED,
            error="Lượt tính bị gián đoạn (quá lâu không xong); đã có lượt tính mới.",
        )
        if active.exists():
            raise ValidationError(
                f"Điểm khảo sát của {locked.name} đang được tính; hãy chờ lượt tính này "
                "xong rồi mới tính lại."
            )
        computation = SurveyComputation.objects.create(period=locked, created_by=actor)
        record(
            actor=actor,
            action="survey.compute_started",
            target=computation,
            summary=f"Bắt đầu tính điểm khảo sát {locked.name}",
        )
        computation_id = computation.pk
        transaction.on_commit(lambda: compute_survey.enqueue(computation_id))
    return computation


def responses_export_start(*, period: Period, actor: User | None) -> tuple[ResponseExport, bool]:
    """Queue the Excel export of the period's forms. Returns the export and whether it is
    new: while one is queued or running, that one is returned (one at a time per period).
    Refuses a period without questionnaire, or with more forms than Excel holds."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        questionnaire_required(locked)
        jobs.release_interrupted(
            ResponseExport.objects.filter(period=locked),
            active=ResponseExport.ACTIVE,
            failed=ResponseExport.Status.FAILED,
            error=jobs.interrupted_reason(),
        )
        active = ResponseExport.objects.filter(
            period=locked, status__in=ResponseExport.ACTIVE
        ).first()
        if active is not None:
            return active, False
        count = SurveyResponse.objects.filter(period=locked).count()
        if count > XLSX_MAX_ROWS:
            raise ValidationError(
                f"Kỳ có {count:,} phiếu, quá giới hạn {XLSX_MAX_ROWS:,} dòng của Excel: "
                "hãy tải tệp CSV.".replace(",", ".")
            )
        export = ResponseExport.objects.create(
            period=locked, rows_total=count, created_by=actor if actor and actor.pk else None
        )
        record(
            actor=actor,
            action="survey.export_started",
            target=export,
            summary=f"Xuất {count} phiếu khảo sát của {locked.name} ra tệp Excel",
            after={"forms": count},
        )
        export_id = export.pk
        transaction.on_commit(lambda: export_survey_responses.enqueue(export_id))
    return export, True
