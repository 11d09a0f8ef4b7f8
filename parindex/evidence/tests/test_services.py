"""Evidence services: upload, dedupe, reuse, citation, detach, the refuse-unsigned policy,
background checks, the trust store, and the audit trail of each change."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.audit.models import AuditEvent
from parindex.evidence.files import clean_filename
from parindex.evidence.links import evidence_attach_existing, evidence_cite, evidence_detach
from parindex.evidence.models import Evidence, EvidenceLink, SignatureStatus, TrustAnchor
from parindex.evidence.testing import Pdfs, Pki
from parindex.evidence.tests.conftest import upload
from parindex.evidence.trust_store import trust_anchor_add, trust_anchor_set_active
from parindex.evidence.uploads import evidence_upload
from parindex.evidence.verification import evidence_recheck_all, evidence_verify
from parindex.periods.models import (
    DeadlineExtension,
    DeadlineStage,
    Period,
    PeriodStatus,
    UnsignedEvidencePolicy,
)
from parindex.periods.services import period_set_status

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def trust_store(pki: Pki) -> list[TrustAnchor]:
    bundle = (pki.old_root.pem + pki.new_root.pem).encode()
    return trust_anchor_add(pem_or_der=bundle, name="Root CA quốc gia", actor=None)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def do_upload(
    assessment: Assessment, answer: Answer | None, actor: User, name: str, data: bytes
) -> Evidence:
    return evidence_upload(
        assessment=assessment, answer=answer, uploaded_file=upload(name, data), actor=actor
    )


# ---------------------------------------------------------------------------------------
# Upload


def test_upload_stores_hash_size_type_uploader_and_link(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    evidence = do_upload(assessment, answer, unit_staff, "Kế hoạch CCHC 2024.pdf", pdfs.signed_new)

    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(pdfs.signed_new).hexdigest()
    assert evidence.size == len(pdfs.signed_new)
    assert evidence.content_type == "application/pdf"
    assert evidence.uploaded_by == unit_staff
    assert evidence.uploaded_at is not None
    assert evidence.original_name == "Kế hoạch CCHC 2024.pdf"
    assert evidence.period_id == assessment.period_id
    assert evidence.unit_id == assessment.unit_id
    assert evidence.signature_status == SignatureStatus.PENDING
    # Stored under a random key: the original name is only in the database.
    key = str(evidence.file.name)
    assert "Kế" not in key and "hoach" not in key
    assert key.startswith(f"evidence/{assessment.period_id}/{assessment.unit_id}/")
    with evidence.file.open("rb") as handle:
        assert handle.read() == pdfs.signed_new
    [link] = EvidenceLink.objects.filter(answer=answer)
    assert link.evidence == evidence
    assert link.stage == "self_assessment"
    assert link.added_by == unit_staff
    [event] = events("evidence.uploaded")
    assert event.actor == unit_staff
    assert event.target_type == "assessments.answer"  # in the item's history
    assert event.target_id == str(answer.pk)
    assert (event.after or {})["evidence"] == evidence.pk
    assert event.before is None
    assert (event.after or {})["sha256"] == evidence.sha256
    assert (event.after or {})["node"] == "1.1"
    assert (event.after or {})["link"] == link.pk


def test_upload_runs_the_signature_check_after_commit(
    pdfs: Pdfs,
    assessment: Assessment,
    answer: Answer,
    unit_staff: User,
    trust_store: list[TrustAnchor],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        evidence = do_upload(assessment, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_new)
    assert len(callbacks) == 1

    evidence.refresh_from_db()
    assert evidence.signature_status == SignatureStatus.VALID
    assert evidence.signer == "Trần Thị Bình (UBND xã Liêm Tuyền)"
    assert evidence.signing_time is not None
    assert evidence.checked_at is not None
    assert evidence.signature_report["signatures"][0]["trusted"] is True
    [event] = events("evidence.checked")
    assert event.actor is None
    assert event.before == {"signature_status": "pending", "signer": "", "signing_time": None}
    assert (event.after or {})["signature_status"] == "valid"


@pytest.mark.parametrize(
    ("attr", "status"),
    [
        ("unsigned", SignatureStatus.UNSIGNED),
        ("signed_rogue", SignatureStatus.UNTRUSTED),
        ("modified", SignatureStatus.MODIFIED),
        ("tampered", SignatureStatus.MODIFIED),
    ],
)
def test_flag_policy_accepts_and_flags(
    attr: str,
    status: str,
    pdfs: Pdfs,
    assessment: Assessment,
    answer: Answer,
    unit_staff: User,
    trust_store: list[TrustAnchor],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    assert assessment.period.unsigned_evidence == UnsignedEvidencePolicy.FLAG
    with django_capture_on_commit_callbacks(execute=True):
        evidence = do_upload(assessment, answer, unit_staff, f"{attr}.pdf", getattr(pdfs, attr))

    evidence.refresh_from_db()
    assert evidence.signature_status == status


def test_same_content_is_stored_once_and_reused(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, other_answer: Answer, unit_staff: User
) -> None:
    first = do_upload(assessment, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_new)
    again = do_upload(assessment, other_answer, unit_staff, "ban-sao.pdf", pdfs.signed_new)
    same_item = do_upload(assessment, answer, unit_staff, "lan-nua.pdf", pdfs.signed_new)

    assert again.pk == first.pk == same_item.pk
    assert Evidence.objects.count() == 1
    assert EvidenceLink.objects.filter(evidence=first).count() == 2
    assert len(events("evidence.uploaded")) == 1
    [attached] = events("evidence.attached")
    assert attached.target_id == str(other_answer.pk)
    assert (attached.after or {})["reused_upload"] == "ban-sao.pdf"


def test_upload_without_item_goes_to_the_unit_library(
    pdfs: Pdfs, assessment: Assessment, unit_staff: User
) -> None:
    evidence = do_upload(assessment, None, unit_staff, "ke-hoach.pdf", pdfs.signed_new)

    assert not EvidenceLink.objects.exists()
    [event] = events("evidence.uploaded")
    assert (event.after or {})["answer"] is None
    assert (event.target_type, event.target_id) == ("evidence.evidence", str(evidence.pk))
    assert evidence.pk


def test_only_the_units_staff_may_upload(
    pdfs: Pdfs,
    assessment: Assessment,
    answer: Answer,
    other_staff: User,
    chair: User,
    appraiser: User,
) -> None:
    for person in (other_staff, chair, appraiser):
        with pytest.raises(PermissionDenied):
            do_upload(assessment, answer, person, "ke-hoach.pdf", pdfs.signed_new)
    assert not Evidence.objects.exists()


def test_upload_needs_an_open_stage(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    period = assessment.period
    period.self_assessment_deadline = timezone.now() - datetime.timedelta(minutes=1)
    period.save(update_fields=["self_assessment_deadline"])
    with pytest.raises(ValidationError, match="Đã hết hạn tự đánh giá"):
        do_upload(assessment, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_new)

    DeadlineExtension.objects.create(
        period=period,
        unit=assessment.unit,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=timezone.now() + datetime.timedelta(days=1),
        reason="Mất điện",
    )
    assert do_upload(assessment, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_new).pk

    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="đã được gửi"):
        do_upload(assessment, answer, unit_staff, "khac.pdf", pdfs.signed_old)


def test_explanation_stage_accepts_files_only_for_items_to_explain(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, other_answer: Answer, unit_staff: User
) -> None:
    period_set_status(period=assessment.period, status=PeriodStatus.EXPLANATION, actor=None)
    assessment.refresh_from_db()
    answer.needs_explanation = True
    answer.save(update_fields=["needs_explanation"])

    do_upload(assessment, answer, unit_staff, "giai-trinh.pdf", pdfs.signed_new)
    assert EvidenceLink.objects.get(answer=answer).stage == "explanation"
    with pytest.raises(ValidationError, match="yêu cầu giải trình"):
        do_upload(assessment, other_answer, unit_staff, "khac.pdf", pdfs.signed_old)


def test_closed_period_refuses(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    period_set_status(period=assessment.period, status=PeriodStatus.APPRAISAL_1, actor=None)
    assessment.refresh_from_db()
    with pytest.raises(ValidationError, match="Thẩm định vòng 1"):
        do_upload(assessment, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_new)


def test_type_list_and_sniffing(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    with pytest.raises(ValidationError, match="chỉ nhận tệp PDF"):
        do_upload(assessment, answer, unit_staff, "anh.png", pdfs.png)
    with pytest.raises(ValidationError, match="rỗng"):
        do_upload(assessment, answer, unit_staff, "trong.pdf", b"")

    period = assessment.period
    period.evidence_types = "pdf, PNG, .docx"
    period.save(update_fields=["evidence_types"])
    png = do_upload(assessment, answer, unit_staff, "anh.png", pdfs.png)
    assert png.content_type == "image/png"
    assert png.signature_status == SignatureStatus.NOT_PDF  # nothing to check in background
    with pytest.raises(ValidationError, match="không phải tệp DOCX thật"):
        do_upload(assessment, answer, unit_staff, "van-ban.docx", pdfs.unsigned)


def test_file_names_are_cleaned() -> None:
    assert clean_filename("C:\\Users\\An\\Kế hoạch.pdf") == "Kế hoạch.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("a\x00b\nc.pdf") == "abc.pdf"
    assert clean_filename("") == "tai-lieu"
    long = clean_filename("a" * 300 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")


# ---------------------------------------------------------------------------------------
# Refuse-unsigned policy


@pytest.fixture
def refusing(assessment: Assessment) -> Assessment:
    period = assessment.period
    period.unsigned_evidence = UnsignedEvidencePolicy.REFUSE
    period.save(update_fields=["unsigned_evidence"])
    return assessment


@pytest.mark.parametrize(
    ("attr", "message"),
    [
        ("unsigned", "Tệp “x.pdf” chưa được ký số."),
        ("signed_rogue", "Chữ ký số trên tệp “x.pdf” không thuộc tổ chức chứng thực"),
        ("modified", "Tệp “x.pdf” đã bị sửa đổi sau khi ký số."),
        ("tampered", "Tệp “x.pdf” đã bị sửa đổi sau khi ký số."),
    ],
)
def test_refuse_policy_refuses_what_is_not_validly_signed(
    attr: str,
    message: str,
    pdfs: Pdfs,
    refusing: Assessment,
    answer: Answer,
    unit_staff: User,
    trust_store: list[TrustAnchor],
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_upload(refusing, answer, unit_staff, "x.pdf", getattr(pdfs, attr))

    [text] = excinfo.value.messages
    assert text.startswith(message)
    assert text.endswith("Kỳ đánh giá này chỉ nhận tài liệu đã ký số hợp lệ.")
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="evidence.").exists()


def test_refuse_policy_checks_at_once_and_keeps_valid_files(
    pdfs: Pdfs,
    refusing: Assessment,
    answer: Answer,
    unit_staff: User,
    trust_store: list[TrustAnchor],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence = do_upload(refusing, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_old)

    # Checked at once, but a web request never fetches a CRL: accepted, not yet "valid"…
    assert evidence.signature_status == SignatureStatus.REVOCATION_UNKNOWN
    [queued] = callbacks  # …and the background check, which fetches, follows.
    queued()
    evidence.refresh_from_db()
    assert evidence.signature_status == SignatureStatus.VALID
    assert [s["kind"] for s in evidence.signature_report["revocation"]["sources"]] == ["crl"]
    assert evidence.signer == "Nguyễn Văn An (Sở Nội vụ tỉnh Hà Nam)"
    assert evidence.checked_at is not None


def test_refuse_policy_refuses_reusing_a_flagged_file(
    pdfs: Pdfs,
    assessment: Assessment,
    answer: Answer,
    other_answer: Answer,
    unit_staff: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        flagged = do_upload(assessment, answer, unit_staff, "chua-ky.pdf", pdfs.unsigned)
    period = assessment.period
    period.unsigned_evidence = UnsignedEvidencePolicy.REFUSE
    period.save(update_fields=["unsigned_evidence"])
    flagged.refresh_from_db()

    with pytest.raises(ValidationError, match="chưa được ký số"):
        evidence_attach_existing(answer=other_answer, evidence=flagged, actor=unit_staff)


# ---------------------------------------------------------------------------------------
# Reuse, citation, detach


def test_reuse_an_uploaded_file_for_another_item(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, other_answer: Answer, unit_staff: User
) -> None:
    evidence = do_upload(assessment, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_new)

    link = evidence_attach_existing(answer=other_answer, evidence=evidence, actor=unit_staff)

    assert link.evidence == evidence
    assert link.answer == other_answer
    [event] = events("evidence.attached")
    assert event.target_type == "assessments.answer"
    assert event.target_id == str(other_answer.pk)
    assert event.after == {
        "answer": other_answer.pk,
        "node": "1.2",
        "stage": "self_assessment",
        "evidence": evidence.pk,
        "name": "ke-hoach.pdf",
    }
    with pytest.raises(ValidationError, match="đã có trong tài liệu của nội dung này"):
        evidence_attach_existing(answer=other_answer, evidence=evidence, actor=unit_staff)


def test_cannot_reuse_another_units_file(
    pdfs: Pdfs,
    assessment: Assessment,
    answer: Answer,
    unit_staff: User,
    period: Period,
    commune: Any,
) -> None:
    foreign = Evidence.objects.create(
        period=period,
        unit=commune,
        file="evidence/x",
        original_name="cua-xa.pdf",
        sha256="0" * 64,
        size=1,
        content_type="application/pdf",
    )
    with pytest.raises(ValidationError, match="không thuộc tài liệu của đơn vị"):
        evidence_attach_existing(answer=answer, evidence=foreign, actor=unit_staff)


def test_cite_an_existing_document(answer: Answer, unit_staff: User) -> None:
    link = evidence_cite(
        answer=answer,
        number=" 12/KH-UBND ",
        date=datetime.date(2024, 1, 5),
        issuer="UBND tỉnh Hà Nam",
        title="Kế hoạch cải cách hành chính năm 2024",
        actor=unit_staff,
    )

    assert link.evidence is None
    assert link.document_number == "12/KH-UBND"
    assert link.document_date == datetime.date(2024, 1, 5)
    [event] = events("evidence.cited")
    assert (event.after or {})["document_number"] == "12/KH-UBND"
    assert (event.after or {})["document_date"] == "2024-01-05"
    assert event.actor == unit_staff


def test_citation_needs_number_date_and_issuer(answer: Answer, unit_staff: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        evidence_cite(answer=answer, number=" ", date=None, issuer="", actor=unit_staff)

    assert excinfo.value.message_dict == {
        "number": ["Cần nhập số, ký hiệu văn bản."],
        "date": ["Cần nhập ngày ban hành văn bản."],
        "issuer": ["Cần nhập cơ quan ban hành."],
    }
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="không được sau ngày hôm nay"):
        evidence_cite(answer=answer, number="1", date=tomorrow, issuer="UBND", actor=unit_staff)
    assert not EvidenceLink.objects.exists()


def test_detach_removes_the_link_and_keeps_the_file(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User, other_staff: User
) -> None:
    evidence = do_upload(assessment, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_new)
    link = EvidenceLink.objects.get(answer=answer)

    with pytest.raises(PermissionDenied):
        evidence_detach(link=link, actor=other_staff)
    evidence_detach(link=link, actor=unit_staff)

    assert not EvidenceLink.objects.exists()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    [event] = events("evidence.detached")
    assert (event.before or {})["evidence"] == evidence.pk
    assert (event.before or {})["node"] == "1.1"
    assert event.after is None


def test_links_of_an_earlier_stage_cannot_be_detached(
    pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    do_upload(assessment, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_new)
    period_set_status(period=assessment.period, status=PeriodStatus.EXPLANATION, actor=None)
    answer.needs_explanation = True
    answer.save(update_fields=["needs_explanation"])
    link = EvidenceLink.objects.select_related("answer__assessment__period").get(answer=answer)

    with pytest.raises(ValidationError, match="giai đoạn trước"):
        evidence_detach(link=link, actor=unit_staff)


# ---------------------------------------------------------------------------------------
# Background checks and the trust store


def test_verify_a_missing_file_returns_none() -> None:
    assert evidence_verify(evidence_id=999_999) is None


def test_recheck_after_the_trust_store_changes(
    pdfs: Pdfs,
    pki: Pki,
    assessment: Assessment,
    answer: Answer,
    unit_staff: User,
    chair: User,
    other_staff: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        evidence = do_upload(assessment, answer, unit_staff, "ke-hoach.pdf", pdfs.signed_new)
    evidence.refresh_from_db()
    assert evidence.signature_status == SignatureStatus.UNTRUSTED  # empty store

    [anchor] = trust_anchor_add(pem_or_der=pki.new_root.der, name="Root CA mới", actor=chair)
    with pytest.raises(PermissionDenied):
        evidence_recheck_all(period=assessment.period, actor=other_staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert evidence_recheck_all(period=assessment.period, actor=chair) == 1
        assert Evidence.objects.get().signature_status == SignatureStatus.PENDING
    assert len(callbacks) == 1
    evidence.refresh_from_db()
    assert evidence.signature_status == SignatureStatus.VALID
    assert events("evidence.recheck_requested")[0].actor == chair

    trust_anchor_set_active(anchor=anchor, active=False, actor=chair)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_recheck_all(period=assessment.period, actor=chair)
    evidence.refresh_from_db()
    assert evidence.signature_status == SignatureStatus.UNTRUSTED
    assert [e.action for e in AuditEvent.objects.filter(target_type="evidence.evidence")].count(
        "evidence.checked"
    ) == 3


def test_trust_anchor_add_accepts_several_certificates_in_one_pem(pki: Pki, chair: User) -> None:
    bundle = (pki.old_root.pem + pki.new_root.pem + pki.government_ca.pem).encode()

    anchors = trust_anchor_add(pem_or_der=bundle, name="Kho quốc gia", actor=chair)

    assert [a.name for a in anchors] == [
        "Kho quốc gia – Root CA Quốc gia (cũ) – thử nghiệm",
        "Kho quốc gia – Root CA Quốc gia – thử nghiệm",
        "Kho quốc gia – CA chuyên dùng Chính phủ – thử nghiệm",
    ]
    first = anchors[0]
    assert first.is_active
    assert first.added_by == chair
    assert first.fingerprint == pki.old_root.cert.fingerprint(hashes.SHA256()).hex()
    assert first.not_after is not None
    assert "CN=Root CA Quốc gia (cũ) – thử nghiệm" in first.subject
    assert first.certificate.startswith("-----BEGIN CERTIFICATE-----")
    added = events("trust_anchor.added")
    assert len(added) == 3
    assert added[0].actor == chair
    assert (added[0].after or {})["fingerprint"] == first.fingerprint


def test_trust_anchor_add_accepts_der_and_names_it_after_the_certificate(pki: Pki) -> None:
    [anchor] = trust_anchor_add(pem_or_der=pki.new_root.der, name="", actor=None)

    assert anchor.name == "Root CA Quốc gia – thử nghiệm"


def test_trust_anchor_add_refuses_duplicates_with_a_clear_message(pki: Pki) -> None:
    trust_anchor_add(pem_or_der=pki.new_root.pem.encode(), name="Root CA mới", actor=None)

    with pytest.raises(ValidationError) as excinfo:
        trust_anchor_add(
            pem_or_der=(pki.old_root.pem + pki.new_root.pem).encode(), name="", actor=None
        )

    assert excinfo.value.messages == [
        "Chứng thư “Root CA Quốc gia – thử nghiệm” đã có trong kho chứng thư (tên: “Root CA mới”)."
    ]
    assert TrustAnchor.objects.count() == 1  # all or nothing


def test_trust_anchor_add_refuses_what_is_not_a_ca_certificate(pki: Pki) -> None:
    with pytest.raises(ValidationError, match="không phải chứng thư số hợp lệ"):
        trust_anchor_add(pem_or_der=b"hello, world", name="", actor=None)
    with pytest.raises(ValidationError, match="không phải chứng thư số hợp lệ"):
        trust_anchor_add(
            pem_or_der=b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            name="",
            actor=None,
        )
    with pytest.raises(ValidationError, match="Chưa chọn tệp"):
        trust_anchor_add(pem_or_der=b"  ", name="", actor=None)
    key_pem = pki.signer_new.identity.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValidationError, match="không phải chứng thư số hợp lệ"):
        trust_anchor_add(pem_or_der=key_pem, name="", actor=None)
    leaf = pki.signer_new.identity.pem.encode()
    with pytest.raises(ValidationError, match="không phải chứng thư của tổ chức chứng thực"):
        trust_anchor_add(pem_or_der=leaf, name="", actor=None)
    assert not TrustAnchor.objects.exists()


def test_only_the_chair_manages_the_trust_store(pki: Pki, unit_staff: User, chair: User) -> None:
    with pytest.raises(PermissionDenied):
        trust_anchor_add(pem_or_der=pki.new_root.der, name="", actor=unit_staff)
    [anchor] = trust_anchor_add(pem_or_der=pki.new_root.der, name="", actor=chair)
    with pytest.raises(PermissionDenied):
        trust_anchor_set_active(anchor=anchor, active=False, actor=unit_staff)


def test_trust_anchor_set_active_is_audited_once_per_change(pki: Pki, chair: User) -> None:
    [anchor] = trust_anchor_add(pem_or_der=pki.new_root.der, name="", actor=chair)

    trust_anchor_set_active(anchor=anchor, active=False, actor=chair)
    trust_anchor_set_active(anchor=anchor, active=False, actor=chair)  # no change
    trust_anchor_set_active(anchor=anchor, active=True, actor=chair)

    anchor.refresh_from_db()
    assert anchor.is_active
    [off] = events("trust_anchor.deactivated")
    assert off.before == {"is_active": True}
    assert off.after == {"is_active": False}
    assert len(events("trust_anchor.activated")) == 1
