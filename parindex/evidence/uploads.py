"""Uploading evidence files (:func:`evidence_upload`).

Each file is stored under a random key with its SHA-256, size and sniffed type; the same
content uploaded twice by a unit in a period is one :class:`Evidence`, reused. When the
period refuses unsigned evidence, the upload checks the signature at once and refuses
anything that is not validly signed; otherwise a PDF is checked in the background.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.audit.services import record
from parindex.evidence.files import Content, UploadedFileLike, clean_filename, read_checked
from parindex.evidence.links import link_state
from parindex.evidence.models import Evidence, EvidenceLink, SignatureStatus
from parindex.evidence.permissions import evidence_open_stage, require_unit_editor
from parindex.evidence.signatures import SignatureCheck
from parindex.evidence.verification import (
    ACCEPTED_WHEN_SIGNATURE_REQUIRED,
    RECHECK_IN_BACKGROUND,
    apply_check,
    check_content,
    enqueue_verify,
    refusal_message,
)
from parindex.organizations.models import Unit
from parindex.periods.models import Period, UnsignedEvidencePolicy


class UploadOutcome(enum.Enum):
    UPLOADED = "uploaded"
    """A new file, stored."""
    REUSED = "reused"
    """The unit had stored the same content already: that file is attached here."""
    ALREADY_ATTACHED = "already_attached"
    """The same content is already attached to this item: nothing changed."""


@dataclass(frozen=True)
class UploadResult:
    evidence: Evidence
    outcome: UploadOutcome
    name: str
    """The uploaded file's name (the stored file keeps its own: ``evidence.original_name``)."""


def evidence_upload(
    *,
    assessment: Assessment,
    answer: Answer | None,
    uploaded_file: UploadedFileLike,
    actor: User,
) -> Evidence:
    """:func:`evidence_upload_result`, the file only."""
    return evidence_upload_result(
        assessment=assessment, answer=answer, uploaded_file=uploaded_file, actor=actor
    ).evidence


def evidence_upload_result(
    *,
    assessment: Assessment,
    answer: Answer | None,
    uploaded_file: UploadedFileLike,
    actor: User,
) -> UploadResult:
    """Store one uploaded file of ``assessment``'s unit and attach it to ``answer`` (if any).

    Refuses (:class:`ValidationError`, Vietnamese) a file over the period's size limit, of a
    type the period does not allow, whose content does not match its extension, or — when
    the period refuses unsigned evidence — that is not a validly signed PDF. The same
    content uploaded again by the unit in the period returns the stored :class:`Evidence`
    (the result's ``outcome`` says whether it was new, reused or already attached).
    """
    require_unit_editor(actor, assessment)
    if answer is not None and answer.assessment_id != assessment.pk:
        raise ValidationError("Nội dung chấm điểm không thuộc phiếu chấm điểm này.")
    period = assessment.period
    stage = evidence_open_stage(assessment, answer)
    name = clean_filename(uploaded_file.name)
    content = read_checked(uploaded_file, name, period)
    check = _upload_check(content, period, name)

    existing = _stored_copy(assessment, content)
    if existing is not None:
        return _reuse(existing, answer, stage, actor, name)

    evidence = Evidence(
        period=period,
        unit_id=assessment.unit_id,
        original_name=name,
        sha256=content.sha256,
        size=len(content.data),
        content_type=content.content_type,
        uploaded_by=actor,
    )
    if check is not None:
        apply_check(evidence, check)
    evidence.file.save(name, ContentFile(content.data), save=False)
    try:
        with transaction.atomic():
            _save_new(evidence, assessment, answer, stage, actor)
    except IntegrityError:
        # The same content stored concurrently by a colleague: keep theirs.
        evidence.file.delete(save=False)
        existing = _stored_copy(assessment, content)
        if existing is None:
            raise
        return _reuse(existing, answer, stage, actor, name)
    except BaseException:
        evidence.file.delete(save=False)
        raise
    return UploadResult(evidence, UploadOutcome.UPLOADED, name)


def evidence_store(
    *, period: Period, unit: Unit, uploaded_file: UploadedFileLike, actor: User
) -> UploadResult:
    """Store one file of ``unit`` in ``period`` outside the self-assessment stages, linked
    to no item: for a caller that checks its own permission and keeps its own link (the
    result of a remediation task, after the period is finalised). The size, type and
    signature checks are those of :func:`evidence_upload_result`; the same content stored
    before by the unit in the period is returned (``REUSED``)."""
    name = clean_filename(uploaded_file.name)
    content = read_checked(uploaded_file, name, period)
    check = _upload_check(content, period, name)
    stored = Evidence.objects.filter(period=period, unit=unit, sha256=content.sha256)
    if (existing := stored.first()) is not None:
        return UploadResult(existing, UploadOutcome.REUSED, name)
    evidence = Evidence(
        period=period,
        unit=unit,
        original_name=name,
        sha256=content.sha256,
        size=len(content.data),
        content_type=content.content_type,
        uploaded_by=actor,
    )
    if check is not None:
        apply_check(evidence, check)
    evidence.file.save(name, ContentFile(content.data), save=False)
    try:
        with transaction.atomic():
            evidence.save()
            record(
                actor=actor,
                action="evidence.uploaded",
                target=evidence,
                summary=f"Tải lên tài liệu “{name}” ({unit.name}, {period.name})",
                after={**_evidence_state(evidence), "evidence": evidence.pk},
            )
            if evidence.signature_status in RECHECK_IN_BACKGROUND:
                transaction.on_commit(functools.partial(enqueue_verify, evidence.pk), robust=True)
    except BaseException:
        evidence.file.delete(save=False)
        raise
    return UploadResult(evidence, UploadOutcome.UPLOADED, name)


def _upload_check(content: Content, period: Period, name: str) -> SignatureCheck | None:
    """The signature check known at upload: done at once (and refused unless valid, or
    valid but for the revocation check that follows in the background) when the period
    refuses unsigned evidence; ``not_pdf`` for other files; else None (pending)."""
    if period.unsigned_evidence == UnsignedEvidencePolicy.REFUSE:
        # ~10 ms per signature: the user learns at once why the file is refused.
        check = check_content(content, period)
        if check.status not in ACCEPTED_WHEN_SIGNATURE_REQUIRED:
            raise ValidationError(refusal_message(name, check.status))
        return check
    if not content.is_pdf:
        return SignatureCheck(status=SignatureStatus.NOT_PDF)
    return None


def _stored_copy(assessment: Assessment, content: Content) -> Evidence | None:
    """The unit's file with the same content in the period, if any."""
    return Evidence.objects.filter(
        period=assessment.period, unit_id=assessment.unit_id, sha256=content.sha256
    ).first()


def _save_new(
    evidence: Evidence, assessment: Assessment, answer: Answer | None, stage: str, actor: User
) -> None:
    """Save a new file, its link to ``answer`` and the audit event; queue its check."""
    evidence.save()
    link = (
        EvidenceLink.objects.create(answer=answer, evidence=evidence, stage=stage, added_by=actor)
        if answer is not None
        else None
    )
    record(
        actor=actor,
        action="evidence.uploaded",
        # An item's history lists the events of the answer (as for attach/cite/detach).
        target=answer if answer is not None else evidence,
        summary=(
            f"Tải lên tài liệu “{evidence.original_name}”"
            + (f" cho nội dung {answer.node.code}" if answer is not None else "")
            + f" ({assessment.unit.name}, {assessment.period.name})"
        ),
        after={
            **_evidence_state(evidence),
            "evidence": evidence.pk,
            "link": link.pk if link else None,
            "answer": answer.pk if answer else None,
            "node": answer.node.code if answer else None,
            "stage": stage,
        },
    )
    if evidence.signature_status in RECHECK_IN_BACKGROUND:
        transaction.on_commit(functools.partial(enqueue_verify, evidence.pk), robust=True)


def _evidence_state(evidence: Evidence) -> dict[str, Any]:
    return {
        "name": evidence.original_name,
        "sha256": evidence.sha256,
        "size": evidence.size,
        "content_type": evidence.content_type,
        "signature_status": evidence.signature_status,
        "signer": evidence.signer,
        "signing_time": evidence.signing_time.isoformat() if evidence.signing_time else None,
    }


def _reuse(
    evidence: Evidence, answer: Answer | None, stage: str, actor: User, name: str
) -> UploadResult:
    """An upload whose content the unit already stored: link the stored file instead."""
    if answer is None:
        return UploadResult(evidence, UploadOutcome.REUSED, name)
    if EvidenceLink.objects.filter(answer=answer, evidence=evidence).exists():
        return UploadResult(evidence, UploadOutcome.ALREADY_ATTACHED, name)
    with transaction.atomic():
        link = EvidenceLink.objects.create(
            answer=answer, evidence=evidence, stage=stage, added_by=actor
        )
        record(
            actor=actor,
            action="evidence.attached",
            target=answer,
            summary=(
                f"Tải lên “{name}” trùng nội dung tệp đã có “{evidence.original_name}”: "
                f"dùng lại cho nội dung {answer.node.code}"
            ),
            after={**link_state(link), "reused_upload": name},
        )
    return UploadResult(evidence, UploadOutcome.REUSED, name)


def upload_notice(results: list[UploadResult]) -> str:
    """What a batch of uploads did, in words: the files stored, and each file that was
    already there named with the file it duplicates ("" when nothing was uploaded)."""
    if not results:
        return ""
    uploaded = sum(1 for r in results if r.outcome is UploadOutcome.UPLOADED)
    parts = [f"Đã tải lên {uploaded} tệp."]
    for r in results:
        if r.outcome is UploadOutcome.ALREADY_ATTACHED:
            parts.append(
                f"Tệp “{r.name}” trùng nội dung với tệp đã đính kèm “{r.evidence.original_name}”"
                " ở nội dung này: không tải lên thêm."
            )
        elif r.outcome is UploadOutcome.REUSED:
            parts.append(
                f"Tệp “{r.name}” trùng nội dung tệp đơn vị đã tải lên: dùng lại tệp đã có "
                f"“{r.evidence.original_name}”."
            )
    return " ".join(parts)
