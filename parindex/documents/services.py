"""Every write of the documents: requesting a document (the worker makes it), making it,
uploading or resetting a Word template, saving the texts a chair writes. Each writes its
audit event in the same transaction."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.core.formatting import fmt_date
from parindex.documents.errors import DocumentError
from parindex.documents.generate import Request, make_file
from parindex.documents.models import (
    DocumentFormat,
    DocumentKind,
    DocumentTemplate,
    DocumentText,
    GeneratedDocument,
    JobStatus,
)
from parindex.documents.render.pdf import pdf_available
from parindex.documents.sources import document_version
from parindex.documents.validation import check_template
from parindex.jobs.errors import retryable
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.results.models import ResultVersion, VersionStatus

log = logging.getLogger(__name__)
TEXT_MAX = 20_000


def document_request(*, actor: User | None, request: Request, fmt: str) -> GeneratedDocument:
    """Queue the making of a document; the worker runs :func:`document_generate_run`.

    Refused at once (DocumentError) for an unknown format, a PDF without LibreOffice, and a
    period document of a period without results."""
    if fmt not in DocumentFormat.values:
        raise DocumentError(f"Định dạng “{fmt}” không hỗ trợ; chọn docx, pdf hoặc xlsx.")
    if fmt == DocumentFormat.PDF and not pdf_available():
        raise DocumentError(
            "Máy chủ chưa cài LibreOffice nên chưa tạo được PDF; hãy tải bản Word hoặc Excel."
        )
    version = None
    if not request.spec.per_unit or request.spec.uses_results:
        version = request.version or document_version(request.period)
    with transaction.atomic():
        document = GeneratedDocument.objects.create(
            kind=request.kind,
            format=fmt,
            period=request.period,
            version=version,
            results_computed_at=version.computed_at if version is not None else None,
            group_code=request.group_code,
            unit=request.unit,
            round=request.round,
            requested_by=actor,
            progress_total=3,
            progress_label="Đang chờ máy chủ xử lý",
        )
        record(
            actor=actor,
            action="document.requested",
            target=document,
            summary=f"{request.spec.label} ({fmt.upper()}) — {_about(document)}",
            after={"kind": request.kind, "format": fmt, "version": version and version.number},
        )
        document_id = document.pk
        from parindex.documents.tasks import generate_document

        transaction.on_commit(lambda: generate_document.enqueue(document_id))
    return document


def _about(document: GeneratedDocument) -> str:
    parts = [document.period.name]
    if document.unit is not None:
        parts.append(document.unit.name)
    if document.group_code:
        parts.append(f"nhóm {document.group_code}")
    if document.round:
        parts.append(f"vòng {document.round}")
    return ", ".join(parts)


def document_generate_run(*, document: GeneratedDocument) -> GeneratedDocument:
    """Make the file of a queued document (the job's body). Never raises: a failure is
    stored on the row with its Vietnamese reason."""
    if document.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return document
    GeneratedDocument.objects.filter(pk=document.pk).update(status=JobStatus.RUNNING)
    request = Request(
        document.kind,
        document.period,
        unit=document.unit,
        group_code=document.group_code,
        round=document.round,
        version=document.version,
    )

    def progress(done: int, total: int, label: str) -> None:
        GeneratedDocument.objects.filter(pk=document.pk).update(
            progress_done=done, progress_total=total, progress_label=label
        )

    try:
        made = make_file(request, document.format, progress=progress)
    except Exception as exc:  # a bug or a converter crash: the person still gets an answer
        if retryable(exc):
            raise  # a lost connection, LibreOffice too slow: run again later (parindex/jobs)
        if isinstance(exc, DocumentError):
            return _failed(document, str(exc))
        log.exception("document %s failed", document.pk)
        return _failed(document, f"Lỗi khi tạo văn bản: {exc}. Hãy thử lại hoặc báo quản trị.")
    with transaction.atomic():
        document.refresh_from_db()
        document.file.save(made.name, ContentFile(made.data), save=False)
        document.file_name = made.name
        document.size = len(made.data)
        document.sha256 = hashlib.sha256(made.data).hexdigest()
        document.template = made.template
        document.status = JobStatus.DONE
        document.progress_done = document.progress_total
        document.progress_label = "Đã tạo xong"
        document.finished_at = timezone.now()
        document.error = ""
        document.save()
        record(
            actor=document.requested_by,
            action="document.generated",
            target=document,
            summary=f"{made.name} ({document.size:,} byte)",
            after={"sha256": document.sha256, "template": made.template and made.template.pk},
        )
    return document


def _failed(document: GeneratedDocument, reason: str) -> GeneratedDocument:
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=JobStatus.FAILED, error=reason, finished_at=timezone.now(), progress_label=""
    )
    document.refresh_from_db()
    return document


def template_upload(
    *,
    actor: User | None,
    kind: str,
    jurisdiction: Unit | None,
    name: str,
    data: bytes,
    note: str = "",
) -> DocumentTemplate:
    """Check and store an uploaded Word template; it replaces the kind's active one for the
    jurisdiction. A broken template raises ValidationError and the old one stays."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": f"Không có loại văn bản “{kind}”."})
    try:
        check_template(data, name)
    except DocumentError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    with transaction.atomic():
        DocumentTemplate.objects.filter(
            kind=kind, jurisdiction=jurisdiction, is_active=True
        ).update(is_active=False)
        template = DocumentTemplate(
            kind=kind,
            jurisdiction=jurisdiction,
            original_name=name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            note=note[:300],
            uploaded_by=actor,
        )
        template.file.save(f"{kind}.docx", ContentFile(data), save=False)
        template.save()
        record(
            actor=actor,
            action="document.template_uploaded",
            target=template,
            summary=f"{template.get_kind_display()}: {template.original_name}",
            after={"sha256": template.sha256, "size": template.size},
        )
    return template


def template_reset(*, actor: User | None, kind: str, jurisdiction: Unit | None) -> int:
    """Go back to the built-in template (or the installation's) for ``kind``."""
    with transaction.atomic():
        active = list(
            DocumentTemplate.objects.filter(kind=kind, jurisdiction=jurisdiction, is_active=True)
        )
        for template in active:
            template.is_active = False
            template.save(update_fields=["is_active"])
            record(
                actor=actor,
                action="document.template_reset",
                target=template,
                summary=f"{template.get_kind_display()}: thôi dùng {template.original_name}",
            )
    return len(active)


TEXT_FIELDS = (
    "parent_agency",
    "agency",
    "number",
    "place",
    "signer_title",
    "signer_name",
    "recipients",
)


def document_text_save(
    *, actor: User | None, period: Period, kind: str, data: dict[str, Any]
) -> DocumentText:
    """Save what the chair wrote for a period document (header fields, sections)."""
    errors: dict[str, str] = {}
    sections = data.get("sections") or {}
    for key, value in sections.items():
        if not isinstance(value, str):
            errors[key] = "Nội dung phải là văn bản."
        elif len(value) > TEXT_MAX:
            errors[key] = f"Nội dung dài {len(value):,} ký tự, quá {TEXT_MAX:,} ký tự."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        text, _ = DocumentText.objects.select_for_update().get_or_create(period=period, kind=kind)
        before = _text_state(text)
        for name in TEXT_FIELDS:
            if name in data:
                setattr(text, name, str(data[name] or "").strip())
        if "issued_on" in data:
            text.issued_on = data["issued_on"]
        text.sections = {**text.sections, **{k: v.strip() for k, v in sections.items()}}
        text.updated_by = actor
        after = _text_state(text)
        text.save()
        changed = {k: after[k] for k in after if before.get(k) != after[k]}
        if changed:
            record(
                actor=actor,
                action="document.text_saved",
                target=text,
                summary=f"{text.get_kind_display()} — {period.name}",
                before={k: before.get(k) for k in changed},
                after=changed,
            )
    return text


def _text_state(text: DocumentText) -> dict[str, Any]:
    state: dict[str, Any] = {name: getattr(text, name) for name in TEXT_FIELDS}
    state["issued_on"] = fmt_date(text.issued_on)
    state.update({f"sections.{k}": v for k, v in (text.sections or {}).items()})
    return state


def documents_regenerate_for_correction(*, version: ResultVersion) -> list[GeneratedDocument]:
    """A correction was published: make again, from ``version``, every period document
    (kind, group, format) that had been made from the version it supersedes."""
    if version.supersedes_id is None or version.status != VersionStatus.PUBLISHED:
        return []
    wanted = (
        GeneratedDocument.objects.filter(version_id=version.supersedes_id, unit=None)
        .values_list("kind", "group_code", "format")
        .distinct()
    )
    made = []
    for kind, group_code, fmt in sorted(set(wanted)):
        if fmt == DocumentFormat.PDF and not pdf_available():
            continue
        request = Request(kind, version.period, group_code=group_code, version=version)
        made.append(document_request(actor=version.published_by, request=request, fmt=fmt))
    return made
