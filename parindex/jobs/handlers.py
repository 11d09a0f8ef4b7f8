"""What a reclaimed or failed job does to the row its page watches.

Each task of the project stores its state on a domain row (a results draft, an import
batch, a survey computation, an export, a document, an evidence file). When the worker
gives a job another attempt, :func:`requeue` puts that row back to waiting (the task only
takes a waiting row); when it gives up, :func:`give_up` ends the row with the Vietnamese
message, so the page never says "đang chạy" for ever. Both touch only a row still active:
a row the task already finished (done, or failed with its own reason) is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Handler:
    requeue: Callable[[int], None]
    give_up: Callable[[int, str], None]


def _results_requeue(version_id: int) -> None:
    from parindex.results.models import ResultVersion, VersionStatus

    # The draft stays "computing"; the task's next run starts from an empty draft.
    ResultVersion.objects.filter(pk=version_id, status=VersionStatus.COMPUTING).update(
        progress_done=0
    )


def _results_give_up(version_id: int, message: str) -> None:
    from parindex.results.models import ResultGroup, ResultRow, ResultVersion, VersionStatus

    if ResultVersion.objects.filter(pk=version_id, status=VersionStatus.COMPUTING).update(
        status=VersionStatus.FAILED, error=message
    ):
        ResultRow.objects.filter(version_id=version_id).delete()
        ResultGroup.objects.filter(version_id=version_id).delete()


def _survey_row(model_path: str) -> Handler:
    """The survey's jobs (import batch, computation, export): queued → running → done or
    failed, with ``finished_at``; the reason goes to ``errors`` (a list) or ``error``."""

    def model() -> Any:
        from parindex.surveys import models

        return getattr(models, model_path)

    def requeue(pk: int) -> None:
        table = model()
        progress = {"rows_done": 0} if model_path != "SurveyComputation" else {"forms_done": 0}
        table.objects.filter(pk=pk, status=table.Status.RUNNING).update(
            status=table.Status.QUEUED, **progress
        )

    def give_up(pk: int, message: str) -> None:
        table = model()
        reason = {"errors": [message]} if model_path == "ImportBatch" else {"error": message}
        table.objects.filter(pk=pk, status__in=table.ACTIVE).update(
            status=table.Status.FAILED, finished_at=timezone.now(), **reason
        )

    return Handler(requeue, give_up)


def _document_requeue(document_id: int) -> None:
    from parindex.documents.models import GeneratedDocument, JobStatus

    GeneratedDocument.objects.filter(pk=document_id, status=JobStatus.RUNNING).update(
        status=JobStatus.QUEUED, progress_done=0, progress_label="Đang chờ chạy lại"
    )


def _document_give_up(document_id: int, message: str) -> None:
    from parindex.documents.models import GeneratedDocument, JobStatus

    GeneratedDocument.objects.filter(
        pk=document_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).update(status=JobStatus.FAILED, error=message, finished_at=timezone.now(), progress_label="")


def _evidence_give_up(evidence_id: int, message: str) -> None:
    from parindex.evidence.models import Evidence, SignatureStatus

    Evidence.objects.filter(pk=evidence_id, signature_status=SignatureStatus.PENDING).update(
        signature_status=SignatureStatus.INVALID,
        signature_report={"signatures": [], "errors": [f"Chưa kiểm tra được chữ ký số: {message}"]},
        checked_at=timezone.now(),
    )


def _nothing_to_undo(pk: int) -> None:
    """A check that writes only at its end: nothing to put back."""


def _decision_give_up(decision_id: int, message: str) -> None:
    """The decision keeps its verdict of the upload (at best "chưa kiểm tra được thu hồi",
    which stays true); the report says the background check could not run."""
    from parindex.results.models import SignedDecision

    decision = SignedDecision.objects.filter(pk=decision_id).first()
    if decision is not None:
        report = dict(decision.signature_report or {})
        report["errors"] = [*report.get("errors", []), f"Chưa kiểm tra được thu hồi: {message}"]
        SignedDecision.objects.filter(pk=decision_id).update(signature_report=report)


HANDLERS: dict[str, Handler] = {
    "parindex.results.tasks.compute_results": Handler(_results_requeue, _results_give_up),
    "parindex.surveys.tasks.import_survey_batch": _survey_row("ImportBatch"),
    "parindex.surveys.tasks.compute_survey": _survey_row("SurveyComputation"),
    "parindex.surveys.tasks.export_survey_responses": _survey_row("ResponseExport"),
    "parindex.documents.tasks.generate_document": Handler(_document_requeue, _document_give_up),
    "parindex.evidence.tasks.verify_evidence": Handler(_nothing_to_undo, _evidence_give_up),
    "parindex.results.tasks.verify_decision": Handler(_nothing_to_undo, _decision_give_up),
}
"""Every task of the project, by its path (``Task.module_path``); a test checks the list."""


def _row_id(args_kwargs: dict[str, Any]) -> int | None:
    args = args_kwargs.get("args") or list((args_kwargs.get("kwargs") or {}).values())
    return int(args[0]) if args and isinstance(args[0], int) else None


def requeue(task_path: str, args_kwargs: dict[str, Any]) -> None:
    handler, pk = HANDLERS.get(task_path), _row_id(args_kwargs)
    if handler is not None and pk is not None:
        handler.requeue(pk)


def give_up(task_path: str, args_kwargs: dict[str, Any], message: str) -> None:
    handler, pk = HANDLERS.get(task_path), _row_id(args_kwargs)
    if handler is not None and pk is not None:
        handler.give_up(pk, message)
