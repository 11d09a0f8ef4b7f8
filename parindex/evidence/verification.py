"""Checking the digital signature of stored evidence: at upload when the period refuses
unsigned evidence, else in the background (:func:`evidence_verify`, run by
:func:`parindex.evidence.tasks.verify_evidence`), and again for a whole period after the
trust store changed (:func:`evidence_recheck_all`).

The background check gathers the revocation data of the signer chains first (cached CRLs
and OCSP answers, fetched when stale: :mod:`parindex.evidence.revocation`); a check in a
web request (at upload) uses the cache only, never the network.

Every change writes an audit event in the same transaction.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.evidence.files import Content
from parindex.evidence.models import Evidence, SignatureStatus
from parindex.evidence.permissions import require_chair
from parindex.evidence.revocation import revocation_for_pdf
from parindex.evidence.signatures import PDF_HEADER, SignatureCheck, check_pdf_signature
from parindex.evidence.trust_store import active_trust_roots
from parindex.periods.models import Period

REFUSAL: dict[str, str] = {
    SignatureStatus.UNSIGNED: "Tệp “{name}” chưa được ký số.",
    SignatureStatus.MODIFIED: "Tệp “{name}” đã bị sửa đổi sau khi ký số.",
    SignatureStatus.UNTRUSTED: (
        "Chữ ký số trên tệp “{name}” không thuộc tổ chức chứng thực trong kho chứng thư tin cậy."
    ),
    SignatureStatus.INVALID: "Chữ ký số trên tệp “{name}” không hợp lệ.",
    SignatureStatus.NOT_PDF: "Tệp “{name}” không phải PDF nên không kiểm tra được chữ ký số.",
    SignatureStatus.PENDING: "Tệp “{name}” đang chờ kiểm tra chữ ký số.",
    SignatureStatus.REVOKED: "Chứng thư số đã ký tệp “{name}” đã bị thu hồi.",
    SignatureStatus.REVOCATION_UNKNOWN: (
        "Chưa kiểm tra được tình trạng thu hồi của chứng thư số đã ký tệp “{name}”."
    ),
}
REFUSAL_POLICY = " Kỳ đánh giá này chỉ nhận tài liệu đã ký số hợp lệ."

ACCEPTED_WHEN_SIGNATURE_REQUIRED = frozenset(
    {SignatureStatus.VALID, SignatureStatus.REVOCATION_UNKNOWN}
)
"""What a period that refuses unsigned evidence accepts at upload: a valid signature, or
one whose content and chain are right but whose revocation is not known yet (a web request
never fetches CRLs: the background check follows and decides). The file keeps showing
"chưa kiểm tra được thu hồi", never "hợp lệ", until that check shows it is not revoked."""

RECHECK_IN_BACKGROUND = frozenset({SignatureStatus.PENDING, SignatureStatus.REVOCATION_UNKNOWN})
"""Statuses after an upload that queue the background check (which may fetch)."""


def _signature_options() -> dict[str, bool]:
    return {
        # Relaxed by default: see parindex.evidence.signatures._validation_settings.
        "allow_sha1": bool(getattr(settings, "EVIDENCE_SIGNATURE_ALLOW_SHA1", True)),
        "require_non_repudiation": bool(
            getattr(settings, "EVIDENCE_SIGNATURE_REQUIRE_NON_REPUDIATION", False)
        ),
    }


def check_content(content: Content, period: Period) -> SignatureCheck:
    """Check an upload's signature at once, against the period's active trust anchors."""
    if not content.is_pdf:
        return SignatureCheck(status=SignatureStatus.NOT_PDF)
    roots = active_trust_roots(period.jurisdiction)
    revocation = revocation_for_pdf(content.data, roots, fetch=False)  # never in a request
    return check_pdf_signature(content.data, roots, revocation=revocation, **_signature_options())


def refusal_message(name: str, status: str) -> str:
    """Why a period that refuses unsigned evidence refuses a file with ``status``."""
    return REFUSAL.get(status, REFUSAL[SignatureStatus.INVALID]).format(name=name) + REFUSAL_POLICY


def apply_check(evidence: Evidence, check: SignatureCheck) -> None:
    """Copy a check's result onto ``evidence`` (not saved)."""
    evidence.signature_status = check.status
    evidence.signer = check.signer[:500]
    evidence.signing_time = check.signing_time
    evidence.signature_report = check.report
    evidence.checked_at = timezone.now()


def enqueue_verify(evidence_id: int) -> None:
    """Queue the background signature check of one stored file."""
    from parindex.evidence.tasks import verify_evidence

    verify_evidence.enqueue(evidence_id)


def _check_stored(evidence: Evidence, roots: list[str]) -> SignatureCheck:
    try:
        with evidence.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        return SignatureCheck(
            status=SignatureStatus.INVALID,
            report={"signatures": [], "errors": [f"Không đọc được tệp đã lưu: {exc}"]},
        )
    if data.startswith(PDF_HEADER):
        revocation = revocation_for_pdf(data, roots, fetch=True)  # bounded network time
        return check_pdf_signature(data, roots, revocation=revocation, **_signature_options())
    return SignatureCheck(status=SignatureStatus.NOT_PDF)


def check_stored_bytes(data: bytes, period: Period) -> SignatureCheck:
    """The background check of a stored PDF of ``period`` (a signed decision): revocation
    data gathered first, fetched when stale."""
    roots = active_trust_roots(period.jurisdiction)
    revocation = revocation_for_pdf(data, roots, fetch=True)
    return check_pdf_signature(data, roots, revocation=revocation, **_signature_options())


def _signature_state(evidence: Evidence) -> dict[str, Any]:
    return {
        "signature_status": evidence.signature_status,
        "signer": evidence.signer,
        "signing_time": evidence.signing_time.isoformat() if evidence.signing_time else None,
    }


def evidence_verify(*, evidence_id: int) -> Evidence | None:
    """Check the signature of one stored file against the active trust anchors and save
    the result (the background task's body). None if the file no longer exists."""
    evidence = Evidence.objects.select_related("period").filter(pk=evidence_id).first()
    if evidence is None:
        return None
    roots = active_trust_roots(evidence.period.jurisdiction)
    check = _check_stored(evidence, roots)
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().filter(pk=evidence_id).first()
        if locked is None:
            return None
        before = _signature_state(locked)
        apply_check(locked, check)
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
            after=_signature_state(locked),
        )
    return locked


def evidence_recheck_all(*, period: Period, actor: User | None) -> int:
    """Check again every PDF of ``period`` (after the trust store changed), in the
    background: they show "pending" until their task has run. Returns how many."""
    require_chair(actor, period)
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
            transaction.on_commit(functools.partial(enqueue_verify, pk), robust=True)
    return len(ids)
