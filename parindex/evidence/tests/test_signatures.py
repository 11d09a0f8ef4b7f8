"""Digital signatures of PDF evidence: the six "done when" cases and their neighbours.

trusted CA → valid (with signer and signing time); rogue CA → untrusted; changed after
signing → modified; unsigned → unsigned; not a PDF → refused at upload; over the size limit
→ refused at upload. Plus: two national roots at once, worst-of-several, SHA-1 and
nonRepudiation relaxations, and "never raises".
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.evidence.models import Evidence, SignatureStatus
from parindex.evidence.signatures import SignatureCheck, check_pdf_signature
from parindex.evidence.testing import Pdfs, Pki, published_crls
from parindex.evidence.tests.conftest import upload
from parindex.evidence.uploads import evidence_upload

_PKI: list[Pki] = []


@pytest.fixture(autouse=True)
def _the_pki(pki: Pki) -> None:
    _PKI[:] = [pki]


def check(data: bytes, roots: list[str], **options: bool) -> SignatureCheck:
    """:func:`check_pdf_signature` with the CRLs the test CAs publish, as the background
    check hands them in (revocation itself: ``test_revocation.py``)."""
    return check_pdf_signature(data, roots, revocation=published_crls(_PKI[0]), **options)


def test_signed_by_trusted_ca_is_valid_with_signer_and_time(
    pdfs: Pdfs, trusted_roots: list[str]
) -> None:
    result = check(pdfs.signed_new, trusted_roots)

    assert result.status == SignatureStatus.VALID
    assert result.signer == "Trần Thị Bình (UBND xã Liêm Tuyền)"
    assert result.signing_time is not None
    assert result.signing_time.tzinfo is not None
    now = datetime.datetime.now(datetime.UTC)
    assert now - datetime.timedelta(hours=1) < result.signing_time <= now
    [sig] = result.report["signatures"]
    assert sig["intact"] is True
    assert sig["valid"] is True
    assert sig["trusted"] is True
    assert sig["coverage"] == "ENTIRE_FILE"
    assert sig["modification_level"] == "NONE"
    assert sig["digest_algorithm"] == "sha256"


def test_signed_by_rogue_ca_is_untrusted(pdfs: Pdfs, trusted_roots: list[str]) -> None:
    """The rogue root has the same name as the new national root, but another key."""
    result = check(pdfs.signed_rogue, trusted_roots)

    assert result.status == SignatureStatus.UNTRUSTED
    assert result.signer == "Kẻ Giả Mạo (Không rõ)"
    [sig] = result.report["signatures"]
    assert sig["intact"] is True
    assert sig["trusted"] is False


def test_empty_trust_store_makes_every_signature_untrusted(pdfs: Pdfs) -> None:
    assert check(pdfs.signed_new, []).status == SignatureStatus.UNTRUSTED


def test_incremental_update_after_signing_is_modified(pdfs: Pdfs, trusted_roots: list[str]) -> None:
    result = check(pdfs.modified, trusted_roots)

    assert result.status == SignatureStatus.MODIFIED
    [sig] = result.report["signatures"]
    assert sig["intact"] is True  # the signed revision itself is unchanged…
    assert sig["coverage"] == "ENTIRE_REVISION"
    assert sig["modification_level"] == "OTHER"  # …but something else was added later


def test_byte_changed_inside_signed_range_is_modified(pdfs: Pdfs, trusted_roots: list[str]) -> None:
    result = check(pdfs.tampered, trusted_roots)

    assert result.status == SignatureStatus.MODIFIED
    [sig] = result.report["signatures"]
    assert sig["intact"] is False


def test_unsigned_pdf_is_unsigned(pdfs: Pdfs, trusted_roots: list[str]) -> None:
    result = check(pdfs.unsigned, trusted_roots)

    assert result.status == SignatureStatus.UNSIGNED
    assert result.signer == ""
    assert result.signing_time is None
    assert result.report["signatures"] == []


def test_not_a_pdf_is_not_pdf(pdfs: Pdfs, trusted_roots: list[str]) -> None:
    assert check(pdfs.png, trusted_roots).status == SignatureStatus.NOT_PDF


@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF-1.7\nthis is not really a pdf", b"%PDF-1.4\n" + b"\x00" * 2000, b"\xff" * 10],
)
def test_broken_files_never_raise(data: bytes, trusted_roots: list[str]) -> None:
    result = check(data, trusted_roots)

    assert result.status in (SignatureStatus.NOT_PDF, SignatureStatus.INVALID)
    assert isinstance(result.report.get("errors"), list)


def test_unreadable_trust_anchor_is_skipped(pdfs: Pdfs, pki: Pki) -> None:
    result = check(pdfs.signed_new, ["not a certificate", pki.new_root.pem])

    assert result.status == SignatureStatus.VALID


def test_two_national_roots_each_validate_their_own_signatures(
    pdfs: Pdfs, pki: Pki, trusted_roots: list[str]
) -> None:
    """The store holds the old and the new national root: files signed under either
    (the new one through the Government CA intermediate) are valid."""
    assert check(pdfs.signed_old, trusted_roots).status == SignatureStatus.VALID
    assert check(pdfs.signed_new, trusted_roots).status == SignatureStatus.VALID
    # With only one root, the other root's signature is untrusted.
    only_new = [pki.new_root.pem]
    assert check(pdfs.signed_old, only_new).status == SignatureStatus.UNTRUSTED
    assert check(pdfs.signed_new, only_new).status == SignatureStatus.VALID


def test_an_intermediate_can_be_the_trust_anchor(pdfs: Pdfs, pki: Pki) -> None:
    """The chain ends at the intermediate: trusted. But pyhanko-certvalidator cannot build
    the path of a CRL signed by an anchor that is not self-signed, so the revocation of a
    certificate it issued stays unknown (never "valid"): the store should hold the
    national root (as Decree 23/2025 expects), not the intermediate alone."""
    result = check(pdfs.signed_new, [pki.government_ca.pem])

    assert result.status == SignatureStatus.REVOCATION_UNKNOWN
    [sig] = result.report["signatures"]
    assert sig["trusted"] is True
    assert check(pdfs.signed_new, [pki.new_root.pem]).status == SignatureStatus.VALID


def test_two_valid_signatures_are_valid_and_both_signers_shown(
    pdfs: Pdfs, trusted_roots: list[str]
) -> None:
    result = check(pdfs.signed_twice, trusted_roots)

    assert result.status == SignatureStatus.VALID
    assert [s["status"] for s in result.report["signatures"]] == ["valid", "valid"]
    # The first signature is followed by another signature: allowed, not "modified".
    assert result.report["signatures"][0]["modification_level"] == "FORM_FILLING"
    assert (
        result.signer == "Trần Thị Bình (UBND xã Liêm Tuyền); Nguyễn Văn An (Sở Nội vụ tỉnh Hà Nam)"
    )


def test_worst_signature_wins(pdfs: Pdfs, trusted_roots: list[str]) -> None:
    result = check(pdfs.signed_then_rogue, trusted_roots)

    assert [s["status"] for s in result.report["signatures"]] == ["valid", "untrusted"]
    assert result.status == SignatureStatus.UNTRUSTED


def test_sha1_is_accepted_by_default_and_can_be_refused(
    pdfs: Pdfs, trusted_roots: list[str]
) -> None:
    relaxed = check(pdfs.signed_sha1, trusted_roots)
    strict = check(pdfs.signed_sha1, trusted_roots, allow_sha1=False)

    assert relaxed.status == SignatureStatus.VALID
    assert relaxed.report["signatures"][0]["digest_algorithm"] == "sha1"
    assert strict.status != SignatureStatus.VALID


def test_missing_non_repudiation_is_accepted_by_default_and_can_be_required(
    pdfs: Pdfs, trusted_roots: list[str]
) -> None:
    """The test signers, like many Vietnamese tokens, carry digitalSignature only."""
    strict = check(pdfs.signed_new, trusted_roots, require_non_repudiation=True)

    assert strict.status == SignatureStatus.UNTRUSTED


def test_report_is_json(pdfs: Pdfs, trusted_roots: list[str]) -> None:
    import json

    for data in (pdfs.signed_twice, pdfs.tampered, pdfs.modified, pdfs.unsigned, pdfs.png):
        json.dumps(check(data, trusted_roots).report)


# The upload end of the "done when": not a PDF, over the size limit.


@pytest.mark.django_db
def test_png_renamed_pdf_is_refused_at_upload(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        evidence_upload(
            assessment=assessment,
            answer=answer,
            uploaded_file=upload("ke-hoach.pdf", pdfs.png),
            actor=unit_staff,
        )

    assert excinfo.value.messages == [
        "Tệp “ke-hoach.pdf” không phải tệp PDF thật (nội dung nhận dạng được: image/png). "
        "Hãy tải lên đúng tệp gốc."
    ]
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_over_the_size_limit_is_refused_at_upload(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    period = assessment.period
    period.evidence_max_mb = 1
    period.save(update_fields=["evidence_max_mb"])
    big = pdfs.signed_new + b"\n%" + b"x" * (1024 * 1024)

    with pytest.raises(ValidationError) as excinfo:
        evidence_upload(
            assessment=assessment,
            answer=answer,
            uploaded_file=upload("bao-cao.pdf", big),
            actor=unit_staff,
        )

    assert excinfo.value.messages == [
        "Tệp “bao-cao.pdf” (1,0 MB) vượt quá dung lượng tối đa 1 MB của kỳ đánh giá."
    ]
    assert not Evidence.objects.exists()
