"""Background work of the survey: a large import runs in the worker, the page polls it."""

from __future__ import annotations

from django.tasks import task

from parindex.surveys.imports import import_batch_run
from parindex.surveys.models import ImportBatch


@task(queue_name="imports")
def import_survey_batch(batch_id: int) -> str | None:
    """Check and store one uploaded file of forms; returns the batch's final status."""
    batch = ImportBatch.objects.select_related("period", "created_by").filter(pk=batch_id).first()
    if batch is None or batch.status == ImportBatch.Status.DONE:
        return batch.status if batch is not None else None
    return import_batch_run(batch=batch).status
