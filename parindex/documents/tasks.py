"""Background work of the documents: making a requested file (the page polls its row)."""

from __future__ import annotations

from django.tasks import task

from parindex.documents.models import GeneratedDocument
from parindex.documents.services import document_generate_run


@task(queue_name="reports")
def generate_document(document_id: int) -> str | None:
    document = GeneratedDocument.objects.select_related("period", "unit", "version").filter(
        pk=document_id
    )
    found = document.first()
    if found is None:
        return None
    return document_generate_run(document=found).status
