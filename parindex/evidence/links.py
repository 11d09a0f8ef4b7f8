"""Evidence of an item beyond a new upload: reusing a file the unit already stored
(:func:`evidence_attach_existing`), citing a document that exists elsewhere
(:func:`evidence_cite`), and removing either (:func:`evidence_detach`).

Only the unit's staff and leaders may do so, while the stage is open for them. Every
change writes an audit event in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Answer
from parindex.audit.services import record
from parindex.evidence.models import Evidence, EvidenceLink
from parindex.evidence.permissions import evidence_open_stage, require_unit_editor
from parindex.evidence.verification import ACCEPTED_WHEN_SIGNATURE_REQUIRED, refusal_message
from parindex.periods.models import UnsignedEvidencePolicy


def link_state(link: EvidenceLink) -> dict[str, Any]:
    """What the audit trail records of a link: the file, or the cited document."""
    state: dict[str, Any] = {
        "answer": link.answer_id,
        "node": link.answer.node.code,
        "stage": link.stage,
    }
    if link.evidence_id is not None:
        state["evidence"] = link.evidence_id
        state["name"] = link.evidence.original_name if link.evidence else ""
    else:
        state.update(
            document_number=link.document_number,
            document_date=link.document_date.isoformat() if link.document_date else None,
            document_issuer=link.document_issuer,
            document_title=link.document_title,
        )
    return state


def evidence_attach_existing(*, answer: Answer, evidence: Evidence, actor: User) -> EvidenceLink:
    """Attach a file the unit already uploaded in this period to another item."""
    assessment = answer.assessment
    require_unit_editor(actor, assessment)
    if evidence.period_id != assessment.period_id or evidence.unit_id != assessment.unit_id:
        raise ValidationError("Tệp không thuộc tài liệu của đơn vị trong kỳ đánh giá này.")
    stage = evidence_open_stage(assessment, answer)
    if (
        assessment.period.unsigned_evidence == UnsignedEvidencePolicy.REFUSE
        and evidence.signature_status not in ACCEPTED_WHEN_SIGNATURE_REQUIRED
    ):
        raise ValidationError(refusal_message(evidence.original_name, evidence.signature_status))
    with transaction.atomic():
        if EvidenceLink.objects.filter(answer=answer, evidence=evidence).exists():
            raise ValidationError(
                f"Tệp “{evidence.original_name}” đã có trong tài liệu của nội dung này."
            )
        try:
            with transaction.atomic():
                link = EvidenceLink.objects.create(
                    answer=answer, evidence=evidence, stage=stage, added_by=actor
                )
        except IntegrityError as exc:
            raise ValidationError(
                f"Tệp “{evidence.original_name}” đã có trong tài liệu của nội dung này."
            ) from exc
        record(
            actor=actor,
            action="evidence.attached",
            target=answer,
            summary=f"Dùng lại tài liệu “{evidence.original_name}” cho nội dung {answer.node.code}",
            after=link_state(link),
        )
    return link


def evidence_cite(
    *,
    answer: Answer,
    number: str,
    date: datetime.date | None,
    issuer: str,
    title: str = "",
    actor: User,
) -> EvidenceLink:
    """Cite an existing document (số, ngày, cơ quan ban hành, trích yếu) for an item,
    without uploading it."""
    assessment = answer.assessment
    require_unit_editor(actor, assessment)
    stage = evidence_open_stage(assessment, answer)
    number, issuer, title = number.strip(), issuer.strip(), title.strip()
    errors = _citation_errors(number, date, issuer, title)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        link = EvidenceLink.objects.create(
            answer=answer,
            document_number=number,
            document_date=date,
            document_issuer=issuer,
            document_title=title,
            stage=stage,
            added_by=actor,
        )
        record(
            actor=actor,
            action="evidence.cited",
            target=answer,
            summary=f"Dẫn chiếu văn bản số {number} cho nội dung {answer.node.code}",
            after=link_state(link),
        )
    return link


def _citation_errors(
    number: str, date: datetime.date | None, issuer: str, title: str
) -> dict[str, list[str]]:
    """A citation's problems, keyed by form field."""
    errors: dict[str, list[str]] = {}
    if not number:
        errors.setdefault("number", []).append("Cần nhập số, ký hiệu văn bản.")
    elif len(number) > 100:
        errors.setdefault("number", []).append("Số, ký hiệu văn bản tối đa 100 ký tự.")
    if date is None:
        errors.setdefault("date", []).append("Cần nhập ngày ban hành văn bản.")
    elif date > timezone.localdate():
        errors.setdefault("date", []).append("Ngày ban hành không được sau ngày hôm nay.")
    if not issuer:
        errors.setdefault("issuer", []).append("Cần nhập cơ quan ban hành.")
    elif len(issuer) > 255:
        errors.setdefault("issuer", []).append("Cơ quan ban hành tối đa 255 ký tự.")
    if len(title) > 500:
        errors.setdefault("title", []).append("Trích yếu tối đa 500 ký tự.")
    return errors


def evidence_detach(*, link: EvidenceLink, actor: User) -> None:
    """Remove a file or citation from an item. The file itself stays in the unit's list
    (other items may use it). Only what was added in the current stage can be removed."""
    answer = link.answer
    assessment = answer.assessment
    require_unit_editor(actor, assessment)
    stage = evidence_open_stage(assessment, answer)
    if link.stage != stage:
        raise ValidationError(
            "Tài liệu đã nộp ở giai đoạn trước đã được thẩm định, không thể gỡ bỏ; "
            "hãy bổ sung tài liệu mới."
        )
    with transaction.atomic():
        before = link_state(link)
        label = (
            f"tài liệu “{link.evidence.original_name}”"
            if link.evidence is not None
            else f"văn bản số {link.document_number}"
        )
        deleted, _ = EvidenceLink.objects.filter(pk=link.pk).delete()
        if not deleted:
            raise ValidationError("Tài liệu này đã được gỡ bỏ.")
        record(
            actor=actor,
            action="evidence.detached",
            target=answer,
            summary=f"Gỡ {label} khỏi nội dung {answer.node.code}",
            before=before,
        )
