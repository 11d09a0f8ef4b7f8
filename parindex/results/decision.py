"""The signed decision announcing a published version's results (Quyết định / Thông báo
công bố kết quả Chỉ số CCHC): the chair uploads its signed PDF, checked at once with the
evidence signature machinery against the period's trust store, and the public downloads it.

- :func:`decision_upload` stores the PDF on the period's current (published) version only
  if its signature is valid (signed, unchanged since signing, chain to an active trust
  anchor of the period's jurisdiction); anything else is refused with the reason in
  Vietnamese and nothing is stored. A new upload replaces the previous file; the audit
  trail keeps both events.
- :func:`decision_remove` takes the decision off the version.
- :func:`signed_decision_of` reads a version's decision (None when there is none).

Who may: the chair of the period's jurisdiction (or a superuser), through the results
desk's chokepoint :func:`parindex.results.manage_permissions.get_results_period`: another
province's period is a 404, an observer gets 403.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

import magic
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.evidence.files import SNIFF_BYTES, Content, UploadedFileLike, clean_filename
from parindex.evidence.models import SignatureStatus
from parindex.evidence.signatures import PDF_HEADER, SignatureCheck
from parindex.evidence.validation import check_pdf
from parindex.evidence.verification import (
    ACCEPTED_WHEN_SIGNATURE_REQUIRED,
    REFUSAL,
    check_content,
    check_stored_bytes,
)
from parindex.periods.models import Period
from parindex.results.manage_permissions import get_results_period
from parindex.results.models import ResultVersion, SignedDecision, VersionStatus

DECISION_POLICY = " Chỉ nhận bản PDF của quyết định công bố đã được ký số hợp lệ."
"""Appended to the signature refusals (the evidence texts) of :data:`REFUSAL`."""


def signed_decision_of(version: ResultVersion) -> SignedDecision | None:
    """The signed decision attached to ``version``, if any (a read)."""
    return SignedDecision.objects.filter(version=version).select_related("uploaded_by").first()


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_decision_pdf(upload: UploadedFileLike | None, period: Period) -> tuple[str, Content]:
    """The upload's clean name and content, if it is a PDF within the period's file size
    limit (that of evidence) that a PDF reader opens without running anything; else
    :class:`ValidationError` in Vietnamese naming the file."""
    if upload is None:
        raise ValidationError({"file": ["Chọn tệp PDF quyết định công bố đã ký số."]})
    name = clean_filename(upload.name)
    limit = period.evidence_max_mb * 1024 * 1024
    too_big = ValidationError(
        {
            "file": [
                f"Tệp “{name}”"
                + (f" ({_mb(upload.size)} MB)" if upload.size else "")
                + f" vượt quá dung lượng tối đa {period.evidence_max_mb} MB của kỳ đánh giá."
            ]
        }
    )
    if upload.size is not None and upload.size > limit:
        raise too_big
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationError({"file": [f"Tệp “{name}” rỗng."]})
    sniffed = str(magic.from_buffer(data[:SNIFF_BYTES], mime=True))
    if not data.startswith(PDF_HEADER) or sniffed != "application/pdf":
        message = REFUSAL[SignatureStatus.NOT_PDF].format(name=name) + DECISION_POLICY
        raise ValidationError({"file": [message]})
    try:
        check_pdf(data, name)  # parses, and refuses JavaScript and launch actions
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    sha256 = hashlib.sha256(data).hexdigest()
    return name, Content(data=data, sha256=sha256, content_type=sniffed, is_pdf=True)


def decision_check(content: Content, period: Period, name: str) -> SignatureCheck:
    """The signature check (~10 ms, offline: cached revocation data only) against the
    period's active trust anchors: the result if valid (or valid but for a revocation
    check that :func:`decision_verify` does in the background), else
    :class:`ValidationError` with the reason in Vietnamese."""
    check = check_content(content, period)
    if check.status not in ACCEPTED_WHEN_SIGNATURE_REQUIRED:
        text = REFUSAL.get(check.status, REFUSAL[SignatureStatus.INVALID])
        raise ValidationError({"file": [text.format(name=name) + DECISION_POLICY]})
    return check


def _state(decision: SignedDecision) -> dict[str, Any]:
    return {
        "name": decision.original_name,
        "sha256": decision.sha256,
        "size": decision.size,
        "signature_status": decision.signature_status,
        "signer": decision.signer,
        "signing_time": decision.signing_time.isoformat() if decision.signing_time else None,
    }


def _require_published(version: ResultVersion) -> None:
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError(
            "Chỉ đính kèm quyết định công bố đã ký số vào phiên bản đang công bố "
            f"(phiên bản này: “{VersionStatus(version.status).label}”)."
        )


def _delete_later(storage: Storage, name: str | None) -> None:
    """Remove a replaced or removed file once the change is committed."""
    if name:
        transaction.on_commit(functools.partial(storage.delete, name), robust=True)


def decision_upload(
    *, version: ResultVersion, actor: User, upload: UploadedFileLike | None
) -> SignedDecision:
    """Attach the signed PDF ``upload`` to the published ``version`` (replacing the one
    attached before, if any). Http404 unless ``actor`` oversees the period, PermissionDenied
    unless they are its chair; :class:`ValidationError` (Vietnamese, on ``file``) for a
    version that is not the current published one, a file too big, not a PDF, unsigned,
    changed after signing, signed outside the trust store or with an invalid signature:
    nothing is stored then."""
    period = get_results_period(actor, version.period_id, manage=True)
    _require_published(version)
    name, content = read_decision_pdf(upload, period)
    check = decision_check(content, period, name)
    fresh = SignedDecision(version=version)
    stored = fresh.file.storage.save(
        fresh.file.field.generate_filename(fresh, name), ContentFile(content.data)
    )
    try:
        with transaction.atomic():
            decision = _save(version, actor, name, content, check, stored)
    except BaseException:
        fresh.file.storage.delete(stored)
        raise
    if decision.signature_status == SignatureStatus.REVOCATION_UNKNOWN:
        from parindex.results.tasks import verify_decision

        transaction.on_commit(functools.partial(verify_decision.enqueue, decision.pk), robust=True)
    return decision


def decision_verify(*, decision_id: int) -> SignedDecision | None:
    """The background check of a stored decision, which may fetch CRLs and OCSP answers
    (bounded in time): its verdict becomes valid, revoked or stays "chưa kiểm tra được thu
    hồi". None if the decision is gone."""
    decision = SignedDecision.objects.select_related("version__period").filter(pk=decision_id)
    found = decision.first()
    if found is None:
        return None
    with found.file.open("rb") as handle:
        data = handle.read()
    check = check_stored_bytes(data, found.version.period)
    with transaction.atomic():
        locked = SignedDecision.objects.select_for_update().filter(pk=decision_id).first()
        if locked is None or locked.sha256 != found.sha256:
            return locked  # replaced meanwhile: the new file has its own check
        before = _state(locked)
        locked.signature_status = check.status
        locked.signature_report = check.report
        locked.save(update_fields=["signature_status", "signature_report"])
        record(
            actor=None,
            action="results.decision_checked",
            target=found.version,
            summary=(
                f"Kiểm tra chữ ký số quyết định công bố “{locked.original_name}”: "
                f"{SignatureStatus(locked.signature_status).label}"
            ),
            before=before,
            after=_state(locked),
        )
    return locked


def _save(
    version: ResultVersion,
    actor: User,
    name: str,
    content: Content,
    check: SignatureCheck,
    stored: str,
) -> SignedDecision:
    locked = ResultVersion.objects.select_for_update().select_related("period").get(pk=version.pk)
    _require_published(locked)
    decision = SignedDecision.objects.select_for_update().filter(version=locked).first()
    before = None
    if decision is None:
        decision = SignedDecision(version=locked)
    else:
        before = _state(decision)
        _delete_later(decision.file.storage, decision.file.name)
    decision.file.name = stored
    decision.original_name = name
    decision.size = len(content.data)
    decision.sha256 = content.sha256
    decision.signature_status = check.status
    decision.signer = check.signer[:500]
    decision.signing_time = check.signing_time
    decision.signature_report = check.report
    decision.uploaded_by = actor if actor.pk else None
    decision.uploaded_at = timezone.now()
    decision.save()
    record(
        actor=actor,
        action="results.decision_uploaded",
        target=locked,
        summary=(
            f"{'Thay' if before else 'Đính kèm'} quyết định công bố đã ký số “{name}” "
            f"({locked.period.name}, phiên bản {locked.number}; người ký: {decision.signer})"
        ),
        before=before,
        after=_state(decision),
    )
    return decision


def decision_remove(*, version: ResultVersion, actor: User) -> None:
    """Take the signed decision off ``version`` (the chair; the audit trail keeps it)."""
    get_results_period(actor, version.period_id, manage=True)
    with transaction.atomic():
        locked = (
            ResultVersion.objects.select_for_update().select_related("period").get(pk=version.pk)
        )
        decision = SignedDecision.objects.select_for_update().filter(version=locked).first()
        if decision is None:
            raise ValidationError("Phiên bản này chưa có quyết định công bố đã ký số để gỡ.")
        before = _state(decision)
        _delete_later(decision.file.storage, decision.file.name)
        decision.delete()
        record(
            actor=actor,
            action="results.decision_removed",
            target=locked,
            summary=(
                f"Gỡ quyết định công bố đã ký số “{before['name']}” "
                f"({locked.period.name}, phiên bản {locked.number})"
            ),
            before=before,
        )
