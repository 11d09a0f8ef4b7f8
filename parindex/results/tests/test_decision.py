"""The signed decision announcing the results (Quyết định công bố kết quả Chỉ số CCHC).

Hà Nam published its 2024 results by Quyết định số 386/QĐ-UBND ngày 20/02/2025, signed by
Trần Văn Hùng, Chủ tịch UBND tỉnh. Hoàng Văn Dũng, the chair of the council, uploads the
signed PDF; it is checked at once against Hà Nam's trust store (the test national root,
generated in memory) and shown on the public page. Vũ Thị Lan (observer) only looks; Đinh
Văn Tâm, the chair of Ninh Bình, finds nothing (404).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from parindex.accounts.models import Role, User
from parindex.audit.models import AuditEvent
from parindex.evidence.models import TrustAnchor
from parindex.evidence.testing import (
    Pki,
    Signer,
    _blank_pdf,
    _certificate,
    _ec,
    _flip_text,
    _name,
    make_pki,
    png_bytes,
    sign,
)
from parindex.organizations.models import Level, Unit
from parindex.organizations.services import unit_create
from parindex.periods.models import Period
from parindex.results.decision import decision_remove, decision_upload, decision_verify
from parindex.results.models import ResultVersion, SignedDecision
from parindex.results.services import Decision, results_compute, results_publish
from parindex.results.tests.conftest import Scenario

pytestmark = pytest.mark.django_db

CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
SIGNER = "Trần Văn Hùng (UBND tỉnh Hà Nam)"


@dataclass(frozen=True)
class Decisions:
    """The decision's PDFs: signed by the chairman of the province, then spoilt."""

    signed: bytes
    tampered: bytes
    unsigned: bytes
    rogue: bytes


@pytest.fixture(scope="session")
def pki() -> Pki:
    return make_pki()


@pytest.fixture(scope="session")
def pdfs(pki: Pki) -> Decisions:
    chairman = Signer(
        _certificate(
            _name("Trần Văn Hùng", "UBND tỉnh Hà Nam"),
            _ec(),
            pki.government_ca,
            ca=False,
            crl_url=pki.crl_url("government-ca"),  # served by the test CA's HTTP server
        ),
        (pki.government_ca.cert,),
    )
    unsigned = _blank_pdf()
    signed = sign(unsigned, chairman)
    return Decisions(
        signed=signed,
        tampered=_flip_text(signed),  # one letter changed inside the signed range
        unsigned=unsigned,
        rogue=sign(unsigned, pki.signer_rogue),
    )


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def trust_store(province: Unit, pki: Pki) -> TrustAnchor:
    """Hà Nam trusts the (test) national root."""
    return TrustAnchor.objects.create(
        jurisdiction=province,
        name="Root CA Quốc gia – thử nghiệm",
        certificate=pki.new_root.pem,
        subject="Root CA Quốc gia – thử nghiệm",
        fingerprint=hashlib.sha256(pki.new_root.der).hexdigest(),
    )


@pytest.fixture
def version(scenario: Scenario, trust_store: TrustAnchor) -> ResultVersion:
    """The 2024 results, published."""
    return results_publish(
        version=results_compute(period=scenario.p2024, actor=None),
        decision=Decision("386/QĐ-UBND", datetime.date(2025, 2, 20), "Trần Văn Hùng"),
        actor=None,
    )


@pytest.fixture
def far_chair(db: None) -> User:
    province = unit_create(code="T-NBI", name="Tỉnh Ninh Bình", level=Level.PROVINCE, actor=None)
    unit = unit_create(
        code="NB-SNV",
        name="Sở Nội vụ tỉnh Ninh Bình",
        level=Level.DEPARTMENT,
        parent=province,
        actor=None,
    )
    return User.objects.create_user(
        username="chu.tich.ninhbinh", full_name="Đinh Văn Tâm", role=Role.CHAIR, unit=unit
    )


def pdf(data: bytes, name: str = "QĐ 386 công bố Chỉ số CCHC 2024.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def upload_url(period: Period) -> str:
    return f"/ket-qua/{period.pk}/quyet-dinh/"


def _html(response: Any) -> str:
    return str(response.content.decode())


def _stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --------------------------------------------------------------------------- accepted


def test_the_chairs_signed_decision_is_accepted_and_shown_signed_on_the_public_page(
    version: ResultVersion, pdfs: Decisions, chair: User, chair_client: Client
) -> None:
    period = version.period
    response = chair_client.post(
        upload_url(period), {"file": pdf(pdfs.signed), "phien_ban": version.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/ket-qua/{period.pk}/#quyet-dinh"

    decision = SignedDecision.objects.get(version=version)
    # The request checks with cached revocation data only; the background check fetches
    # the CRLs the test CA serves (parindex.evidence.testing) and makes it valid.
    assert decision.signature_status == "revocation_unknown"
    checked = decision_verify(decision_id=decision.pk)
    assert checked is not None and checked.signature_status == "valid"
    decision.refresh_from_db()
    assert decision.signer == SIGNER
    assert decision.signing_time is not None
    assert decision.sha256 == hashlib.sha256(pdfs.signed).hexdigest()
    assert decision.size == len(pdfs.signed)
    assert decision.original_name == "QĐ 386 công bố Chỉ số CCHC 2024.pdf"
    assert decision.uploaded_by == chair
    stored = str(decision.file.name)
    assert "QĐ" not in stored and stored.startswith("results/decisions/")
    [event] = AuditEvent.objects.filter(action="results.decision_uploaded")
    assert event.after is not None and event.after["signer"] == SIGNER
    assert event.before is None

    signed_at = timezone.localtime(decision.signing_time).strftime("%d/%m/%Y %H:%M")
    desk = _html(chair_client.get(f"/ket-qua/{period.pk}/"))
    assert "Đã ký số hợp lệ" in desk and SIGNER in desk and signed_at in desk

    page = Client().get(f"/cong-bo/{period.pk}/so-ban-nganh/")
    html = _html(page)
    assert page.status_code == 200
    assert "Quyết định công bố kết quả" in html
    assert "Số 386/QĐ-UBND ngày 20/02/2025" in html
    assert "Đã ký số hợp lệ" in html
    assert f'Người ký: <span class="text-body">{SIGNER}</span>' in html
    assert f'Ký lúc: <span class="text-body">{signed_at}</span>' in html
    assert f'href="/cong-bo/{period.pk}/quyet-dinh.pdf"' in html


def test_anyone_downloads_the_decision_of_a_published_version_byte_for_byte(
    version: ResultVersion, pdfs: Decisions, chair: User
) -> None:
    decision_upload(version=version, actor=chair, upload=pdf(pdfs.signed))
    response = Client().get(f"/cong-bo/{version.period_id}/quyet-dinh.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="QD 386 cong bo')
    assert "filename*=UTF-8''Q%C4%90%20386" in response["Content-Disposition"]
    assert response.getvalue() == pdfs.signed
    again = Client().get(f"/cong-bo/{version.period_id}/quyet-dinh.pdf?phien-ban=1")
    assert again.getvalue() == pdfs.signed


def test_no_download_without_a_decision_or_a_publication(
    version: ResultVersion, scenario: Scenario
) -> None:
    anonymous = Client()
    assert anonymous.get(f"/cong-bo/{version.period_id}/quyet-dinh.pdf").status_code == 404
    results_compute(period=scenario.p2023, actor=None)  # a draft only
    assert anonymous.get(f"/cong-bo/{scenario.p2023.pk}/quyet-dinh.pdf").status_code == 404
    for query in ("?phien-ban=9", "?phien-ban=x", "?phien-ban=0"):
        url = f"/cong-bo/{version.period_id}/quyet-dinh.pdf{query}"
        assert anonymous.get(url).status_code == 404


def test_a_new_upload_replaces_the_old_and_both_stay_in_the_audit_trail(
    version: ResultVersion,
    pdfs: Decisions,
    chair: User,
    media: Path,
    pki: Pki,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = decision_upload(version=version, actor=chair, upload=pdf(pdfs.signed))
    resigned = sign(pdfs.signed, pki.signer_new, field="Sig2")  # countersigned: still valid
    with django_capture_on_commit_callbacks(execute=True):
        second = decision_upload(version=version, actor=chair, upload=pdf(resigned, "QĐ.pdf"))
    assert second.pk == first.pk and second.original_name == "QĐ.pdf"
    assert SignedDecision.objects.count() == 1
    assert [p.read_bytes() for p in _stored_files(media)] == [resigned]
    events = list(AuditEvent.objects.filter(action="results.decision_uploaded").order_by("pk"))
    names = [(e.after or {}).get("name") for e in events]
    assert names == ["QĐ 386 công bố Chỉ số CCHC 2024.pdf", "QĐ.pdf"]
    assert (events[1].before or {}).get("sha256") == hashlib.sha256(pdfs.signed).hexdigest()


def test_the_chair_removes_the_decision(
    version: ResultVersion,
    pdfs: Decisions,
    chair: User,
    chair_client: Client,
    media: Path,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    decision_upload(version=version, actor=chair, upload=pdf(pdfs.signed))
    with django_capture_on_commit_callbacks(execute=True):
        response = chair_client.post(f"/ket-qua/{version.period_id}/quyet-dinh/go/")
    assert response.status_code == 302
    assert not SignedDecision.objects.exists() and _stored_files(media) == []
    assert AuditEvent.objects.filter(action="results.decision_removed").count() == 1
    assert Client().get(f"/cong-bo/{version.period_id}/quyet-dinh.pdf").status_code == 404
    with pytest.raises(ValidationError):
        decision_remove(version=version, actor=chair)


# --------------------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("tampered", "Tệp “qd.pdf” đã bị sửa đổi sau khi ký số."),
        ("unsigned", "Tệp “qd.pdf” chưa được ký số."),
        (
            "rogue",
            "Chữ ký số trên tệp “qd.pdf” không thuộc tổ chức chứng thực trong kho chứng thư "
            "tin cậy.",
        ),
        ("png", "Tệp “qd.pdf” không phải PDF nên không kiểm tra được chữ ký số."),
        ("text", "Tệp “qd.pdf” không phải PDF nên không kiểm tra được chữ ký số."),
    ],
)
def test_a_decision_that_is_not_validly_signed_is_refused_and_nothing_is_stored(
    version: ResultVersion,
    pdfs: Decisions,
    chair_client: Client,
    media: Path,
    kind: str,
    message: str,
) -> None:
    data = {
        "tampered": pdfs.tampered,
        "unsigned": pdfs.unsigned,
        "rogue": pdfs.rogue,
        "png": png_bytes(),
        "text": "Quyết định số 386/QĐ-UBND".encode(),
    }[kind]
    response = chair_client.post(upload_url(version.period), {"file": pdf(data, "qd.pdf")})
    assert response.status_code == 400
    html = _html(response)
    assert message in html
    assert "Chỉ nhận bản PDF của quyết định công bố đã được ký số hợp lệ." in html
    assert "Chưa lưu tệp nào." in html
    assert not SignedDecision.objects.exists()
    assert _stored_files(media) == []
    assert not AuditEvent.objects.filter(action="results.decision_uploaded").exists()


def test_a_file_over_the_periods_limit_or_no_file_is_refused(
    version: ResultVersion, chair_client: Client
) -> None:
    Period.objects.filter(pk=version.period_id).update(evidence_max_mb=1)
    big = pdf(b"%PDF-1.4\n" + b"0" * (1024 * 1024), "qd.pdf")
    response = chair_client.post(upload_url(version.period), {"file": big})
    assert response.status_code == 400
    assert "vượt quá dung lượng tối đa 1 MB của kỳ đánh giá" in _html(response)
    response = chair_client.post(upload_url(version.period), {})
    assert response.status_code == 400
    assert "Chọn tệp PDF quyết định công bố đã ký số." in _html(response)
    assert not SignedDecision.objects.exists()


def test_a_draft_version_is_refused(scenario: Scenario, chair: User, pdfs: Decisions) -> None:
    draft = results_compute(period=scenario.p2024, actor=None)
    with pytest.raises(ValidationError) as refused:
        decision_upload(version=draft, actor=chair, upload=pdf(pdfs.signed))
    assert refused.value.messages == [
        "Chỉ đính kèm quyết định công bố đã ký số vào phiên bản đang công bố "
        "(phiên bản này: “Bản nháp”)."
    ]
    client = Client()
    client.force_login(chair)
    response = client.post(upload_url(scenario.p2024), {"file": pdf(pdfs.signed)})
    assert response.status_code == 400
    assert "chưa công bố kết quả" in _html(response)
    assert not SignedDecision.objects.exists()


def test_another_provinces_chair_gets_404_and_the_observer_403(
    version: ResultVersion,
    pdfs: Decisions,
    far_chair: User,
    observer: User,
    observer_client: Client,
) -> None:
    with pytest.raises(Http404):
        decision_upload(version=version, actor=far_chair, upload=pdf(pdfs.signed))
    far = Client()
    far.force_login(far_chair)
    assert far.post(upload_url(version.period), {"file": pdf(pdfs.signed)}).status_code == 404
    assert far.get(upload_url(version.period)).status_code == 404
    with pytest.raises(PermissionDenied):
        decision_upload(version=version, actor=observer, upload=pdf(pdfs.signed))
    refused = observer_client.post(upload_url(version.period), {"file": pdf(pdfs.signed)})
    assert refused.status_code == 403
    page = observer_client.get(upload_url(version.period))
    assert page.status_code == 200 and 'name="file"' not in _html(page)
    assert not SignedDecision.objects.exists()


def test_an_upload_from_a_page_of_an_older_version_is_not_attached(
    version: ResultVersion, pdfs: Decisions, chair_client: Client
) -> None:
    response = chair_client.post(
        upload_url(version.period), {"file": pdf(pdfs.signed), "phien_ban": version.pk + 1}
    )
    assert response.status_code == 409
    assert "Một phiên bản khác đã được công bố" in _html(response)
    assert not SignedDecision.objects.exists()
