"""Writes of evidence (tài liệu kiểm chứng) and of the trust store for signed evidence.

* A unit uploads files for an item (:func:`evidence_upload`), reuses a file it already
  uploaded for another item (:func:`evidence_attach_existing`), or cites a document that
  exists elsewhere (:func:`evidence_cite`); :func:`evidence_detach` removes one of these.
  Only the unit's staff and leaders may do so, while the stage is open for them.
* Each file is stored under a random key with its SHA-256, size and sniffed type; the same
  content uploaded twice by a unit in a period is one :class:`Evidence`, reused.
* A PDF's digital signature is checked in the background (:func:`evidence_verify`, run by
  :func:`parindex.evidence.tasks.verify_evidence`) against the active trust anchors. When
  the period refuses unsigned evidence, the upload checks it at once and refuses anything
  that is not validly signed.
* The chair manages the trust store (:func:`trust_anchor_add`,
  :func:`trust_anchor_set_active`) and re-checks evidence after changing it
  (:func:`evidence_recheck_all`).

Every change writes an audit event in the same transaction.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

import magic
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.permissions import can_edit_as_unit
from parindex.audit.services import record
from parindex.evidence.models import Evidence, EvidenceLink, SignatureStatus, TrustAnchor
from parindex.evidence.signatures import PDF_HEADER, SignatureCheck, check_pdf_signature
from parindex.evidence.validation import check_pdf
from parindex.organizations.jurisdiction import jurisdiction_of
from parindex.organizations.models import Unit
from parindex.periods.models import DeadlineStage, Period, PeriodStatus, UnsignedEvidencePolicy
from parindex.periods.permissions import is_chair, periods_visible_to
from parindex.periods.selectors import deadline_passed

SNIFF_BYTES = 64 * 1024
"""python-magic needs the first kilobytes (OOXML is told from a plain ZIP by its entries)."""

OOXML = "application/vnd.openxmlformats-officedocument"
OLE = frozenset({"application/x-ole-storage", "application/CDFV2", "application/vnd.ms-office"})
ODF = "application/vnd.oasis.opendocument"
ZIP = "application/zip"

EXTENSION_TYPES: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf"}),
    "docx": frozenset({f"{OOXML}.wordprocessingml.document", ZIP}),
    "xlsx": frozenset({f"{OOXML}.spreadsheetml.sheet", ZIP}),
    "pptx": frozenset({f"{OOXML}.presentationml.presentation", ZIP}),
    "doc": frozenset({"application/msword"}) | OLE,
    "xls": frozenset({"application/vnd.ms-excel"}) | OLE,
    "ppt": frozenset({"application/vnd.ms-powerpoint"}) | OLE,
    "odt": frozenset({f"{ODF}.text", ZIP}),
    "ods": frozenset({f"{ODF}.spreadsheet", ZIP}),
    "odp": frozenset({f"{ODF}.presentation", ZIP}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "png": frozenset({"image/png"}),
    "tif": frozenset({"image/tiff"}),
    "tiff": frozenset({"image/tiff"}),
    "zip": frozenset({ZIP}),
    "rar": frozenset({"application/x-rar", "application/vnd.rar"}),
    "7z": frozenset({"application/x-7z-compressed"}),
    "txt": frozenset({"text/plain"}),
    "csv": frozenset({"text/plain", "text/csv", "application/csv"}),
    "xml": frozenset({"text/xml", "application/xml"}),
}
"""What python-magic may call a genuine file with each extension."""

GENERIC_TYPES = frozenset({"application/octet-stream", ZIP, "text/plain"})
"""For an extension the period allows but this table does not know, any type is accepted
except one that belongs to another known extension (a PNG renamed .dwg is refused)."""

REFUSAL: dict[str, str] = {
    SignatureStatus.UNSIGNED: "Tệp “{name}” chưa được ký số.",
    SignatureStatus.MODIFIED: "Tệp “{name}” đã bị sửa đổi sau khi ký số.",
    SignatureStatus.UNTRUSTED: (
        "Chữ ký số trên tệp “{name}” không thuộc tổ chức chứng thực trong kho chứng thư tin cậy."
    ),
    SignatureStatus.INVALID: "Chữ ký số trên tệp “{name}” không hợp lệ.",
    SignatureStatus.NOT_PDF: "Tệp “{name}” không phải PDF nên không kiểm tra được chữ ký số.",
    SignatureStatus.PENDING: "Tệp “{name}” đang chờ kiểm tra chữ ký số.",
}
REFUSAL_POLICY = " Kỳ đánh giá này chỉ nhận tài liệu đã ký số hợp lệ."


class UploadedFileLike(Protocol):
    """What the upload needs of Django's ``UploadedFile``."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> int: ...


@dataclass(frozen=True)
class _Content:
    data: bytes
    sha256: str
    content_type: str
    is_pdf: bool


# ---------------------------------------------------------------------------------------
# Who and when


def evidence_open_stage(assessment: Assessment, answer: Answer | None) -> str:
    """The stage in which the unit may change evidence now (``self_assessment`` or
    ``explanation``), else :class:`ValidationError` with the reason in Vietnamese."""
    period = assessment.period
    if period.status == PeriodStatus.SELF_ASSESSMENT:
        if deadline_passed(period, assessment.unit_id, DeadlineStage.SELF_ASSESSMENT):
            raise ValidationError("Đã hết hạn tự đánh giá: không thể thay đổi tài liệu kiểm chứng.")
        if assessment.status not in (AssessmentStatus.NOT_STARTED, AssessmentStatus.IN_PROGRESS):
            raise ValidationError(
                "Hồ sơ tự đánh giá đã được gửi: lãnh đạo đơn vị cần rút hồ sơ trước khi "
                "thay đổi tài liệu kiểm chứng."
            )
        return DeadlineStage.SELF_ASSESSMENT
    if period.status == PeriodStatus.EXPLANATION:
        if answer is None or not answer.needs_explanation:
            raise ValidationError(
                "Trong giai đoạn giải trình chỉ được bổ sung tài liệu cho nội dung được "
                "yêu cầu giải trình."
            )
        if deadline_passed(period, assessment.unit_id, DeadlineStage.EXPLANATION):
            raise ValidationError("Đã hết hạn giải trình: không thể thay đổi tài liệu kiểm chứng.")
        return DeadlineStage.EXPLANATION
    raise ValidationError(
        f"Kỳ đánh giá đang ở giai đoạn “{PeriodStatus(period.status).label}”: "
        "không thể thay đổi tài liệu kiểm chứng."
    )


def _require_unit_editor(actor: User, assessment: Assessment) -> None:
    if not can_edit_as_unit(actor, assessment):
        raise PermissionDenied("Chỉ cán bộ của đơn vị được thay đổi tài liệu kiểm chứng.")


def _require_chair(actor: User | None, period: Period | None = None) -> None:
    """``actor`` None is the system (a command, a migration); a person must be the chair
    (of ``period``'s jurisdiction when given) or a superuser."""
    if actor is None:
        return
    if not is_chair(actor):
        raise PermissionDenied("Chỉ chủ tịch hội đồng / quản trị hệ thống được thực hiện.")
    if period is not None and not periods_visible_to(actor).filter(pk=period.pk).exists():
        raise PermissionDenied("Kỳ đánh giá không thuộc địa bàn bạn quản lý.")


# ---------------------------------------------------------------------------------------
# Files


def allowed_extensions(period: Period) -> list[str]:
    """The period's allowed extensions, lower case, without dots: ``["pdf"]``."""
    out: list[str] = []
    for item in period.evidence_types.replace(";", ",").split(","):
        ext = item.strip().lower().lstrip(".")
        if ext and ext not in out:
            out.append(ext)
    return out or ["pdf"]


def clean_filename(name: str | None) -> str:
    """The file's own name (no folders, no control characters), at most 255 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name or name in (".", ".."):
        name = "tai-lieu"
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext
    return name


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _read_checked(uploaded_file: UploadedFileLike, name: str, period: Period) -> _Content:
    """Size, extension and sniffed type checks; the content with its SHA-256."""
    limit = period.evidence_max_mb * 1024 * 1024
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise ValidationError(
            f"Tệp “{name}” ({_mb(uploaded_file.size)} MB) vượt quá dung lượng tối đa "
            f"{period.evidence_max_mb} MB của kỳ đánh giá."
        )
    allowed = allowed_extensions(period)
    ext = _extension(name)
    if ext not in allowed:
        raise ValidationError(
            f"Tệp “{name}”: kỳ đánh giá chỉ nhận tệp {', '.join(e.upper() for e in allowed)}."
        )
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            f"Tệp “{name}” vượt quá dung lượng tối đa {period.evidence_max_mb} MB của kỳ đánh giá."
        )
    if not data:
        raise ValidationError(f"Tệp “{name}” rỗng.")
    sniffed = str(magic.from_buffer(data[:SNIFF_BYTES], mime=True))
    if not _type_matches(ext, sniffed, data):
        raise ValidationError(
            f"Tệp “{name}” không phải tệp {ext.upper()} thật (nội dung nhận dạng được: "
            f"{sniffed}). Hãy tải lên đúng tệp gốc."
        )
    if sniffed == "application/pdf":
        check_pdf(data, name)  # parses, and refuses JavaScript and launch actions
    return _Content(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=sniffed,
        is_pdf=sniffed == "application/pdf",
    )


def _type_matches(ext: str, sniffed: str, data: bytes) -> bool:
    if ext == "pdf":
        return data.startswith(PDF_HEADER) and sniffed == "application/pdf"
    known = EXTENSION_TYPES.get(ext)
    if known is not None:
        return sniffed in known
    if sniffed in GENERIC_TYPES:
        return True
    return not any(sniffed in types for types in EXTENSION_TYPES.values())


def _signature_options() -> dict[str, bool]:
    return {
        # Relaxed by default: see parindex.evidence.signatures._validation_settings.
        "allow_sha1": bool(getattr(settings, "EVIDENCE_SIGNATURE_ALLOW_SHA1", True)),
        "require_non_repudiation": bool(
            getattr(settings, "EVIDENCE_SIGNATURE_REQUIRE_NON_REPUDIATION", False)
        ),
    }


def trust_anchors_for(jurisdiction: Unit | None) -> QuerySet[TrustAnchor]:
    """The anchors that count for ``jurisdiction``'s evidence: the installation-wide ones
    and the jurisdiction's own (never another province's)."""
    scope = Q(jurisdiction__isnull=True)
    if jurisdiction is not None:
        scope |= Q(jurisdiction=jurisdiction)
    return TrustAnchor.objects.filter(scope)


def active_trust_roots(jurisdiction: Unit | None) -> list[str]:
    """PEM of the active anchors trusted for the evidence of ``jurisdiction``'s periods."""
    return list(
        trust_anchors_for(jurisdiction).filter(is_active=True).values_list("certificate", flat=True)
    )


def _check(content: _Content, period: Period) -> SignatureCheck:
    if not content.is_pdf:
        return SignatureCheck(status=SignatureStatus.NOT_PDF)
    return check_pdf_signature(
        content.data, active_trust_roots(period.jurisdiction), **_signature_options()
    )


def _refusal_message(name: str, status: str) -> str:
    return REFUSAL.get(status, REFUSAL[SignatureStatus.INVALID]).format(name=name) + REFUSAL_POLICY


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


def _link_state(link: EvidenceLink) -> dict[str, Any]:
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


def _enqueue_verify(evidence_id: int) -> None:
    from parindex.evidence.tasks import verify_evidence

    verify_evidence.enqueue(evidence_id)


# ---------------------------------------------------------------------------------------
# Evidence of an item


def evidence_upload(
    *,
    assessment: Assessment,
    answer: Answer | None,
    uploaded_file: UploadedFileLike,
    actor: User,
) -> Evidence:
    """Store one uploaded file of ``assessment``'s unit and attach it to ``answer`` (if any).

    Refuses (:class:`ValidationError`, Vietnamese) a file over the period's size limit, of a
    type the period does not allow, whose content does not match its extension, or — when
    the period refuses unsigned evidence — that is not a validly signed PDF. The same
    content uploaded again by the unit in the period returns the stored :class:`Evidence`.
    """
    _require_unit_editor(actor, assessment)
    if answer is not None and answer.assessment_id != assessment.pk:
        raise ValidationError("Nội dung chấm điểm không thuộc phiếu chấm điểm này.")
    period = assessment.period
    stage = evidence_open_stage(assessment, answer)
    name = clean_filename(uploaded_file.name)
    content = _read_checked(uploaded_file, name, period)

    check: SignatureCheck | None = None
    if period.unsigned_evidence == UnsignedEvidencePolicy.REFUSE:
        # ~10 ms per signature: the user learns at once why the file is refused.
        check = _check(content, period)
        if check.status != SignatureStatus.VALID:
            raise ValidationError(_refusal_message(name, check.status))
    elif not content.is_pdf:
        check = SignatureCheck(status=SignatureStatus.NOT_PDF)

    existing = Evidence.objects.filter(
        period=period, unit_id=assessment.unit_id, sha256=content.sha256
    ).first()
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
        _apply_check(evidence, check)
    evidence.file.save(name, ContentFile(content.data), save=False)
    try:
        with transaction.atomic():
            evidence.save()
            link = (
                EvidenceLink.objects.create(
                    answer=answer, evidence=evidence, stage=stage, added_by=actor
                )
                if answer is not None
                else None
            )
            record(
                actor=actor,
                action="evidence.uploaded",
                # An item's history lists the events of the answer (as for attach/cite/detach).
                target=answer if answer is not None else evidence,
                summary=(
                    f"Tải lên tài liệu “{name}”"
                    + (f" cho nội dung {answer.node.code}" if answer is not None else "")
                    + f" ({assessment.unit.name}, {period.name})"
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
            if evidence.signature_status == SignatureStatus.PENDING:
                transaction.on_commit(functools.partial(_enqueue_verify, evidence.pk), robust=True)
    except IntegrityError:
        # The same content stored concurrently by a colleague: keep theirs.
        evidence.file.delete(save=False)
        existing = Evidence.objects.filter(
            period=period, unit_id=assessment.unit_id, sha256=content.sha256
        ).first()
        if existing is None:
            raise
        return _reuse(existing, answer, stage, actor, name)
    except BaseException:
        evidence.file.delete(save=False)
        raise
    return evidence


def _reuse(
    evidence: Evidence, answer: Answer | None, stage: str, actor: User, name: str
) -> Evidence:
    """An upload whose content the unit already stored: link the stored file instead."""
    if answer is None or EvidenceLink.objects.filter(answer=answer, evidence=evidence).exists():
        return evidence
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
            after={**_link_state(link), "reused_upload": name},
        )
    return evidence


def evidence_attach_existing(*, answer: Answer, evidence: Evidence, actor: User) -> EvidenceLink:
    """Attach a file the unit already uploaded in this period to another item."""
    assessment = answer.assessment
    _require_unit_editor(actor, assessment)
    if evidence.period_id != assessment.period_id or evidence.unit_id != assessment.unit_id:
        raise ValidationError("Tệp không thuộc tài liệu của đơn vị trong kỳ đánh giá này.")
    stage = evidence_open_stage(assessment, answer)
    if (
        assessment.period.unsigned_evidence == UnsignedEvidencePolicy.REFUSE
        and evidence.signature_status != SignatureStatus.VALID
    ):
        raise ValidationError(_refusal_message(evidence.original_name, evidence.signature_status))
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
            after=_link_state(link),
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
    _require_unit_editor(actor, assessment)
    stage = evidence_open_stage(assessment, answer)
    number, issuer, title = number.strip(), issuer.strip(), title.strip()
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
            after=_link_state(link),
        )
    return link


def evidence_detach(*, link: EvidenceLink, actor: User) -> None:
    """Remove a file or citation from an item. The file itself stays in the unit's list
    (other items may use it). Only what was added in the current stage can be removed."""
    answer = link.answer
    assessment = answer.assessment
    _require_unit_editor(actor, assessment)
    stage = evidence_open_stage(assessment, answer)
    if link.stage != stage:
        raise ValidationError(
            "Tài liệu đã nộp ở giai đoạn trước đã được thẩm định, không thể gỡ bỏ; "
            "hãy bổ sung tài liệu mới."
        )
    with transaction.atomic():
        before = _link_state(link)
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


# ---------------------------------------------------------------------------------------
# Signature checks


def _apply_check(evidence: Evidence, check: SignatureCheck) -> None:
    evidence.signature_status = check.status
    evidence.signer = check.signer[:500]
    evidence.signing_time = check.signing_time
    evidence.signature_report = check.report
    evidence.checked_at = timezone.now()


def evidence_verify(*, evidence_id: int) -> Evidence | None:
    """Check the signature of one stored file against the active trust anchors and save
    the result (the background task's body). None if the file no longer exists."""
    evidence = Evidence.objects.select_related("period").filter(pk=evidence_id).first()
    if evidence is None:
        return None
    roots = active_trust_roots(evidence.period.jurisdiction)
    try:
        with evidence.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        check = SignatureCheck(
            status=SignatureStatus.INVALID,
            report={"signatures": [], "errors": [f"Không đọc được tệp đã lưu: {exc}"]},
        )
    else:
        if data.startswith(PDF_HEADER):
            check = check_pdf_signature(data, roots, **_signature_options())
        else:
            check = SignatureCheck(status=SignatureStatus.NOT_PDF)
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().filter(pk=evidence_id).first()
        if locked is None:
            return None
        before = {
            "signature_status": locked.signature_status,
            "signer": locked.signer,
            "signing_time": locked.signing_time.isoformat() if locked.signing_time else None,
        }
        _apply_check(locked, check)
        locked.save(
            update_fields=[
                "signature_status",
                "signer",
                "signing_time",
                "signature_report",
                "checked_at",
            ]
        )
        record(
            actor=None,
            action="evidence.checked",
            target=locked,
            summary=(
                f"Kiểm tra chữ ký số “{locked.original_name}”: "
                f"{SignatureStatus(locked.signature_status).label}"
            ),
            before=before,
            after={
                "signature_status": locked.signature_status,
                "signer": locked.signer,
                "signing_time": locked.signing_time.isoformat() if locked.signing_time else None,
            },
        )
    return locked


def evidence_recheck_all(*, period: Period, actor: User | None) -> int:
    """Check again every PDF of ``period`` (after the trust store changed), in the
    background: they show "pending" until their task has run. Returns how many."""
    _require_chair(actor, period)
    with transaction.atomic():
        ids = list(
            Evidence.objects.filter(period=period, content_type="application/pdf").values_list(
                "pk", flat=True
            )
        )
        if not ids:
            return 0
        Evidence.objects.filter(pk__in=ids).update(signature_status=SignatureStatus.PENDING)
        record(
            actor=actor,
            action="evidence.recheck_requested",
            target=period,
            summary=f"Kiểm tra lại chữ ký số của {len(ids)} tài liệu ({period.name})",
            after={
                "evidence": len(ids),
                "trust_anchors": len(active_trust_roots(period.jurisdiction)),
            },
        )
        for pk in ids:
            transaction.on_commit(functools.partial(_enqueue_verify, pk), robust=True)
    return len(ids)


# ---------------------------------------------------------------------------------------
# Trust store


def parse_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates in a PEM (one or several), DER/CRT or PKCS#7 (P7B) file; else
    :class:`ValidationError` in Vietnamese."""
    if not data.strip():
        raise ValidationError("Chưa chọn tệp chứng thư.")
    certs: list[x509.Certificate] = []
    try:
        if b"-----BEGIN" in data:
            data = data.strip()  # text only: a DER file may end in a byte that looks like space
            if b"-----BEGIN PKCS7-----" in data:
                certs = pkcs7.load_pem_pkcs7_certificates(data)
            else:
                certs = x509.load_pem_x509_certificates(data)
        else:
            try:
                certs = [x509.load_der_x509_certificate(data)]
            except ValueError:
                certs = pkcs7.load_der_pkcs7_certificates(data)
    except ValueError as exc:
        raise ValidationError(
            "Tệp không phải chứng thư số hợp lệ (định dạng PEM, DER/CRT hoặc P7B)."
        ) from exc
    if not certs:
        raise ValidationError("Tệp không chứa chứng thư số nào.")
    return certs


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        # Old X.509 v1 roots have no extensions: a self-issued one is a root.
        return cert.issuer == cert.subject
    except ValueError:
        return False


def _common_name(cert: x509.Certificate) -> str:
    for oid in (x509.NameOID.COMMON_NAME, x509.NameOID.ORGANIZATION_NAME):
        attrs = cert.subject.get_attributes_for_oid(oid)
        if attrs:
            return str(attrs[0].value)
    return cert.subject.rfc4514_string()


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def trust_store_jurisdiction(actor: User) -> Unit | None:
    """Where ``actor``'s additions to the trust store go: a superuser manages the
    installation-wide list (None); a chair their own jurisdiction's. PermissionDenied for
    anyone else, and for a chair whose account has no jurisdiction."""
    if actor.is_superuser:
        return None
    _require_chair(actor)
    jurisdiction = jurisdiction_of(actor)
    if jurisdiction is None:
        raise PermissionDenied("Tài khoản chưa gắn với tỉnh, thành phố hoặc huyện nào.")
    return jurisdiction


def trust_anchors_managed_by(actor: Any) -> QuerySet[TrustAnchor]:
    """The anchors ``actor`` may switch on and off: every one for a superuser, the chair's
    own jurisdiction's for a chair, none for anyone else."""
    if not is_chair(actor):
        return TrustAnchor.objects.none()
    if actor.is_superuser:
        return TrustAnchor.objects.all()
    jurisdiction = jurisdiction_of(actor)
    if jurisdiction is None:
        return TrustAnchor.objects.none()
    return TrustAnchor.objects.filter(jurisdiction=jurisdiction)


def trust_anchor_add(
    *, pem_or_der: bytes, name: str, actor: User | None, jurisdiction: Unit | None = None
) -> list[TrustAnchor]:
    """Add the CA certificates in one file (several roots and intermediates at once) to
    the trust store, all or nothing. Returns the new anchors. A person's additions go
    where :func:`trust_store_jurisdiction` says (``jurisdiction`` is ignored for them);
    the system (``actor`` None) adds for ``jurisdiction`` (None: installation-wide)."""
    if actor is not None:
        jurisdiction = trust_store_jurisdiction(actor)
    certs: dict[str, x509.Certificate] = {}
    for cert in parse_certificates(pem_or_der):
        certs.setdefault(fingerprint(cert), cert)
    problems: list[str] = []
    for cert in certs.values():
        if not _is_ca(cert):
            problems.append(
                f"Chứng thư “{_common_name(cert)}” không phải chứng thư của tổ chức chứng "
                "thực (CA): chỉ thêm chứng thư gốc hoặc chứng thư trung gian."
            )
    present = {
        a.fingerprint: a
        for a in trust_anchors_for(jurisdiction).filter(fingerprint__in=list(certs))
    }
    for fp, anchor in present.items():
        own = anchor.jurisdiction_id == (jurisdiction.pk if jurisdiction else None)
        where = "kho chứng thư" if own else "danh sách dùng chung của hệ thống"
        problems.append(
            f"Chứng thư “{_common_name(certs[fp])}” đã có trong {where} (tên: “{anchor.name}”)."
        )
    if problems:
        raise ValidationError(problems)

    name = name.strip()
    created: list[TrustAnchor] = []
    with transaction.atomic():
        for fp, cert in certs.items():
            label = _common_name(cert)
            if name:
                label = name if len(certs) == 1 else f"{name} – {label}"
            anchor = TrustAnchor(
                jurisdiction=jurisdiction,
                name=label[:200],
                certificate=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
                subject=cert.subject.rfc4514_string()[:500],
                fingerprint=fp,
                not_after=cert.not_valid_after_utc,
                is_active=True,
                added_by=actor,
            )
            try:
                with transaction.atomic():
                    anchor.save()
            except IntegrityError as exc:
                raise ValidationError(
                    f"Chứng thư “{_common_name(cert)}” đã có trong kho chứng thư."
                ) from exc
            record(
                actor=actor,
                action="trust_anchor.added",
                target=anchor,
                summary=f"Thêm chứng thư tin cậy “{anchor.name}”",
                after=_anchor_state(anchor),
            )
            created.append(anchor)
    return created


def _anchor_state(anchor: TrustAnchor) -> dict[str, Any]:
    return {
        "jurisdiction": anchor.jurisdiction.code if anchor.jurisdiction else None,
        "name": anchor.name,
        "subject": anchor.subject,
        "fingerprint": anchor.fingerprint,
        "not_after": anchor.not_after.isoformat() if anchor.not_after else None,
        "is_active": anchor.is_active,
    }


def trust_anchor_set_active(
    *, anchor: TrustAnchor, active: bool, actor: User | None
) -> TrustAnchor:
    """Use (or stop using) a trust anchor. Evidence already checked keeps its status until
    :func:`evidence_recheck_all`. A chair changes only their own jurisdiction's anchors."""
    _require_chair(actor)
    if actor is not None and not trust_anchors_managed_by(actor).filter(pk=anchor.pk).exists():
        raise PermissionDenied("Chứng thư này không thuộc kho của địa bàn bạn quản lý.")
    with transaction.atomic():
        locked = TrustAnchor.objects.select_for_update().get(pk=anchor.pk)
        if locked.is_active == active:
            anchor.is_active = active
            return locked
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        anchor.is_active = active
        record(
            actor=actor,
            action="trust_anchor.activated" if active else "trust_anchor.deactivated",
            target=locked,
            summary=(f"{'Bật' if active else 'Tắt'} chứng thư tin cậy “{locked.name}”"),
            before={"is_active": not active},
            after={"is_active": active},
        )
    return locked
