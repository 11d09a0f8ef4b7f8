"""Background work of the survey: a large import, the computation of points and the Excel
export of the forms run in the worker, their pages poll them. Each task only takes a row
still queued (a row released as interrupted, or already done, is left as it is) and ends
it done or failed with a Vietnamese reason, never running."""

from __future__ import annotations

from django.tasks import task

from parindex.surveys.exports import responses_export_run
from parindex.surveys.imports import import_batch_run
from parindex.surveys.models import ImportBatch, ResponseExport, SurveyComputation
from parindex.surveys.scoring import survey_compute_run


@task(queue_name="imports")
def import_survey_batch(batch_id: int) -> str | None:
    """Check and store one uploaded file of forms; returns the batch's final status (a
    no-op when it is no longer queued)."""
    batch = ImportBatch.objects.select_related("period", "created_by").filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.QUEUED:
        return batch.status if batch is not None else None
    return import_batch_run(batch=batch).status


@task(queue_name="reports")
def compute_survey(computation_id: int) -> str | None:
    """Compute a period's survey points; returns the computation's final status (a no-op
    when it is no longer queued)."""
    computation = (
        SurveyComputation.objects.select_related("created_by").filter(pk=computation_id).first()
    )
    if computation is None or computation.status != SurveyComputation.Status.QUEUED:
        return computation.status if computation is not None else None
    return survey_compute_run(computation=computation).status


@task(queue_name="reports")
def export_survey_responses(export_id: int) -> str | None:
    """Write the Excel workbook of a period's forms; returns the export's final status (a
    no-op when it is no longer queued)."""
    export = ResponseExport.objects.filter(pk=export_id).first()
    if export is None or export.status != ResponseExport.Status.QUEUED:
        return export.status if export is not None else None
    return responses_export_run(export=export).status
