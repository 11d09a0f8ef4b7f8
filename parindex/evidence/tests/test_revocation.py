"""Revocation of signer certificates: CRLs and OCSP answers served over real HTTP by the
test CA (:class:`parindex.evidence.testing.RevocationServer` on 127.0.0.1), fetched by the
background check with a bounded time, cached until nextUpdate, and kept with the verdict.

revoked → "revoked" with its date; good → "valid" with the CRL (or OCSP answer) recorded;
unreachable, silent, or fetching switched off → "chưa kiểm tra được thu hồi", never "valid".
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.template.loader import render_to_string
from django.utils import timezone
from pytest_django.fixtures import Settings

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.evidence.models import Evidence, RevocationData, RevocationKind, SignatureStatus
from parindex.evidence.revocation import revocation_for_pdf
from parindex.evidence.signatures import check_pdf_signature
from parindex.evidence.testing import (
    REVOKED_AT,
    Pdfs,
    Pki,
    SilentServer,
    _blank_pdf,
    closed_port_url,
    issue_signer,
    sign,
)
from parindex.evidence.tests.conftest import upload
from parindex.evidence.trust_store import trust_anchor_add
from parindex.evidence.uploads import evidence_upload
from parindex.evidence.verification import evidence_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def roots(pki: Pki) -> list[str]:
    trust_anchor_add(
        pem_or_der=(pki.old_root.pem + pki.new_root.pem).encode(), name="Root CA", actor=None
    )
    return [pki.old_root.pem, pki.new_root.pem]


def stored(assessment: Assessment, answer: Answer, actor: User, data: bytes) -> Evidence:
    """Upload ``data`` and run the background check on it (the task's body)."""
    evidence = evidence_upload(
        assessment=assessment, answer=answer, uploaded_file=upload("vb.pdf", data), actor=actor
    )
    checked = evidence_verify(evidence_id=evidence.pk)
    assert checked is not None
    return checked


def background(data: bytes, roots: list[str]) -> str:
    """The background check's two steps, without an upload: gather (may fetch), check."""
    revocation = revocation_for_pdf(data, roots, fetch=True)
    return check_pdf_signature(data, roots, revocation=revocation).status


# ---------------------------------------------------------------------------------------
# The verdicts


def test_a_revoked_signer_is_reported_revoked_with_its_date(
    pdfs: Pdfs, roots: list[str], assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    evidence = stored(assessment, answer, unit_staff, pdfs.signed_revoked)

    assert evidence.signature_status == SignatureStatus.REVOKED
    assert evidence.get_signature_status_display() == "Chứng thư số đã bị thu hồi"
    [sig] = evidence.signature_report["signatures"]
    assert sig["revocation"]["status"] == "revoked"
    assert sig["revocation"]["ca_revoked"] is False
    revoked_at = datetime.datetime.fromisoformat(sig["revocation"]["revoked_at"])
    assert abs(revoked_at - REVOKED_AT) < datetime.timedelta(seconds=1)
    html = render_to_string("evidence/_signature_badge.html", {"ev": evidence})
    assert "Chứng thư số của người ký đã bị thu hồi từ " in html
    local = timezone.localtime(REVOKED_AT)
    assert local.strftime("%d/%m/%Y %H:%M") in html


def test_a_good_signer_is_valid_and_the_crls_used_are_kept(
    pdfs: Pdfs,
    pki: Pki,
    roots: list[str],
    assessment: Assessment,
    answer: Answer,
    unit_staff: User,
) -> None:
    evidence = stored(assessment, answer, unit_staff, pdfs.signed_new)

    assert evidence.signature_status == SignatureStatus.VALID
    assert evidence.signature_report["signatures"][0]["revocation"] == {"status": "good"}
    sources = evidence.signature_report["revocation"]["sources"]
    # The signer's CRL (from the Government CA) and the Government CA's (from the root).
    assert {s["url"] for s in sources} == {
        pki.crl_url("government-ca"),
        pki.crl_url("new-root"),
    }
    for source in sources:
        kept = RevocationData.objects.get(sha256=source["sha256"])
        assert kept.kind == RevocationKind.CRL
        assert hashlib.sha256(bytes(kept.der)).hexdigest() == source["sha256"]
        assert bytes(kept.der) == pki.server.files[urlsplit(source["url"]).path]
        assert kept.next_update is not None
        assert source["next_update"] == kept.next_update.isoformat()
        assert kept.this_update is not None and kept.this_update < timezone.now()
    html = render_to_string("evidence/_signature_badge.html", {"ev": evidence})
    assert "Dữ liệu thu hồi đã dùng: CRL từ " + pki.crl_url("government-ca") in html


def test_ocsp_answers_are_used_good_and_revoked(pdfs: Pdfs, pki: Pki, roots: list[str]) -> None:
    """``signer_ocsp`` has an OCSP URL and no CRL: the responder's signed answer decides."""
    url = pki.server.url(f"/{pki.prefix}/ocsp/government-ca")
    assert background(pdfs.signed_ocsp, roots) == SignatureStatus.VALID
    answer = RevocationData.objects.get(kind=RevocationKind.OCSP)
    assert answer.url == url and answer.certificate_sha256

    doomed = issue_signer(pki, "Hoàng Văn Em", ocsp_url=url)
    pki.server.responders[f"/{pki.prefix}/ocsp/government-ca"][1][
        doomed.identity.cert.serial_number
    ] = REVOKED_AT
    assert background(sign(_blank_pdf(), doomed), roots) == SignatureStatus.REVOKED


def test_an_unreachable_crl_gives_revocation_not_checked(
    pki: Pki, roots: list[str], assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    url = closed_port_url("/gone.crl")
    signed = sign(_blank_pdf(), issue_signer(pki, "Đỗ Thị Giang", crl_url=url))

    evidence = stored(assessment, answer, unit_staff, signed)

    assert evidence.signature_status == SignatureStatus.REVOCATION_UNKNOWN
    assert evidence.get_signature_status_display() == "Chữ ký đúng, chưa kiểm tra được thu hồi"
    [problem] = evidence.signature_report["revocation"]["problems"]
    assert problem.startswith(f"Chứng thư “Đỗ Thị Giang”: không tải được CRL từ {url}: ")
    assert "không kết nối được" in problem
    assert not RevocationData.objects.filter(url=url).exists()
    html = render_to_string("evidence/_signature_badge.html", {"ev": evidence})
    assert "Chưa kiểm tra được thu hồi: Chứng thư “Đỗ Thị Giang”: không tải được CRL" in html
    assert "hợp lệ" not in html.split("</span>")[0]  # the badge itself


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_a_crl_server_that_never_answers_is_given_up_after_the_timeout(
    pki: Pki, roots: list[str], silent: SilentServer, settings: Settings
) -> None:
    settings.EVIDENCE_REVOCATION_TIMEOUT_SECONDS = 0.5
    signed = sign(_blank_pdf(), issue_signer(pki, "Vũ Văn Hải", crl_url=silent.url("/x.crl")))

    started = time.monotonic()
    revocation = revocation_for_pdf(signed, roots, fetch=True)
    elapsed = time.monotonic() - started

    assert elapsed < 2.0
    assert "quá thời gian chờ 0.5 giây" in revocation.problems[0]
    assert check_pdf_signature(signed, roots, revocation=revocation).status == (
        SignatureStatus.REVOCATION_UNKNOWN
    )


def test_fetching_switched_off_gives_revocation_not_checked(
    pdfs: Pdfs, pki: Pki, roots: list[str], settings: Settings
) -> None:
    settings.EVIDENCE_REVOCATION_FETCH = False
    hits = len(pki.server.hits)

    revocation = revocation_for_pdf(pdfs.signed_new, roots, fetch=True)

    assert len(pki.server.hits) == hits
    assert "EVIDENCE_REVOCATION_FETCH" in revocation.problems[0]
    assert check_pdf_signature(pdfs.signed_new, roots, revocation=revocation).status == (
        SignatureStatus.REVOCATION_UNKNOWN
    )


def test_a_certificate_without_crl_or_ocsp_url_is_not_valid(pki: Pki, roots: list[str]) -> None:
    signed = sign(_blank_pdf(), issue_signer(pki, "Không Địa Chỉ"))
    revocation = revocation_for_pdf(signed, roots, fetch=True)

    assert revocation.problems == [
        "Chứng thư “Không Địa Chỉ” không ghi địa chỉ CRL hay OCSP nào: không kiểm tra được thu hồi."
    ]
    assert check_pdf_signature(signed, roots, revocation=revocation).status == (
        SignatureStatus.REVOCATION_UNKNOWN
    )


# ---------------------------------------------------------------------------------------
# The cache


def test_the_cache_is_reused_until_next_update_then_refreshed(
    pdfs: Pdfs, pki: Pki, roots: list[str]
) -> None:
    assert background(pdfs.signed_new, roots) == SignatureStatus.VALID
    hits = len(pki.server.hits)
    assert background(pdfs.signed_new, roots) == SignatureStatus.VALID
    assert len(pki.server.hits) == hits  # reused: nothing fetched

    RevocationData.objects.update(next_update=timezone.now() - datetime.timedelta(minutes=1))
    assert background(pdfs.signed_new, roots) == SignatureStatus.VALID
    assert len(pki.server.hits) == hits + 2  # both CRLs fetched again
    assert RevocationData.objects.count() == 2  # same bytes: the rows are kept, not doubled


def test_a_web_request_never_fetches_but_uses_the_cache(
    pdfs: Pdfs, pki: Pki, roots: list[str]
) -> None:
    hits = len(pki.server.hits)
    cold = revocation_for_pdf(pdfs.signed_new, roots, fetch=False)
    assert len(pki.server.hits) == hits
    assert "sẽ tải khi kiểm tra trong nền" in cold.problems[0]
    assert check_pdf_signature(pdfs.signed_new, roots, revocation=cold).status == (
        SignatureStatus.REVOCATION_UNKNOWN
    )

    background(pdfs.signed_new, roots)  # the background check fills the cache
    warm = revocation_for_pdf(pdfs.signed_new, roots, fetch=False)
    assert check_pdf_signature(pdfs.signed_new, roots, revocation=warm).status == (
        SignatureStatus.VALID
    )


# ---------------------------------------------------------------------------------------
# Verdicts stored before revocation was checked


def test_old_valid_verdicts_become_not_checked_and_back(
    pdfs: Pdfs, roots: list[str], assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    migration = importlib.import_module("parindex.evidence.migrations.0004_revocation_data")
    evidence = stored(assessment, answer, unit_staff, pdfs.signed_new)
    old_report = {"signatures": [{"status": "valid"}], "errors": []}
    Evidence.objects.filter(pk=evidence.pk).update(
        signature_status="valid", signature_report=old_report
    )

    migration.valid_without_revocation_is_not_checked(django_apps, None)
    evidence.refresh_from_db()
    assert evidence.signature_status == SignatureStatus.REVOCATION_UNKNOWN
    assert evidence.signature_report["revocation"]["legacy"] is True
    html = render_to_string("evidence/_signature_badge.html", {"ev": evidence})
    assert "Kết quả kiểm tra từ trước khi hệ thống kiểm tra thu hồi" in html

    migration.back_to_valid(django_apps, None)
    evidence.refresh_from_db()
    assert evidence.signature_status == SignatureStatus.VALID
    assert evidence.signature_report == old_report
