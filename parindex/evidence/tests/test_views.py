"""Evidence pages: permission-checked downloads, the item block (htmx), the trust store."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives import hashes
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.audit.models import AuditEvent
from parindex.core.storage import content_disposition
from parindex.evidence.models import Evidence, EvidenceLink, SignatureStatus, TrustAnchor
from parindex.evidence.testing import Pdfs, Pki
from parindex.evidence.tests.conftest import upload
from parindex.evidence.trust_store import trust_anchor_add
from parindex.evidence.uploads import evidence_upload
from tests.personas import client_for

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
HTMX = {"HX-Request": "true"}
NAME = "Kế hoạch CCHC năm 2024.pdf"


@pytest.fixture
def evidence(pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User) -> Evidence:
    return evidence_upload(
        assessment=assessment,
        answer=answer,
        uploaded_file=upload(NAME, pdfs.signed_new),
        actor=unit_staff,
    )


# ---------------------------------------------------------------------------------------
# Download


def test_unit_user_downloads_with_original_name(
    evidence: Evidence, unit_staff: User, pdfs: Pdfs
) -> None:
    response = client_for(unit_staff).get(reverse("evidence:download", args=[evidence.pk]))

    assert response.status_code == 200
    assert response.getvalue() == pdfs.signed_new
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Ke hoach CCHC nam 2024.pdf"' in disposition
    assert f"filename*=UTF-8''{quote(NAME, safe='')}" in disposition


@pytest.mark.parametrize("who", ["appraiser", "chair", "observer", "superuser"])
def test_appraisers_of_the_unit_and_the_periods_overseers_download(
    who: str, evidence: Evidence, request: pytest.FixtureRequest
) -> None:
    person: User = request.getfixturevalue(who)
    response = client_for(person).get(reverse("evidence:download", args=[evidence.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["other_staff", "appraiser_unassigned"])
def test_anyone_else_gets_404(who: str, evidence: Evidence, request: pytest.FixtureRequest) -> None:
    person: User = request.getfixturevalue(who)
    client = client_for(person)

    assert client.get(reverse("evidence:download", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("evidence:download", args=[evidence.pk + 1000])).status_code == 404


def test_anonymous_is_sent_to_login(evidence: Evidence, anonymous_client: Client) -> None:
    url = reverse("evidence:download", args=[evidence.pk])
    response = anonymous_client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_content_disposition_escapes_quotes_and_keeps_the_original() -> None:
    header = content_disposition('Báo cáo "quý" 1;2.pdf')

    assert header.startswith("attachment; filename=\"Bao cao quy 12.pdf\"; filename*=UTF-8''")
    assert header.endswith(quote('Báo cáo "quý" 1;2.pdf', safe=""))
    assert content_disposition("Đề án.pdf").startswith('attachment; filename="De an.pdf"')


# ---------------------------------------------------------------------------------------
# The item block


def test_include_contract_renders_the_block(
    evidence: Evidence, answer: Answer, assessment: Assessment, unit_staff: User
) -> None:
    """What the self-assessment screen does: include the partial with answer and
    assessment (and the request, from the context processor)."""
    request = RequestFactory().get("/danh-gia/1/")
    request.user = unit_staff
    html = render_to_string(
        "evidence/_item_evidence.html",
        {"answer": answer, "assessment": assessment},
        request=request,
    )

    assert f'id="minh-chung-{answer.pk}"' in html
    assert NAME in html
    assert reverse("evidence:download", args=[evidence.pk]) in html
    assert 'hx-encoding="multipart/form-data"' in html
    assert 'name="files" multiple' in html
    assert "Dẫn chiếu văn bản đã có" in html
    assert 'style="' not in html  # CSP: no inline styles

    read_only = render_to_string(
        "evidence/_item_evidence.html",
        {"answer": answer, "assessment": assessment, "can_edit": False},
        request=request,
    )
    assert NAME in read_only
    assert "<form" not in read_only


def test_item_block_polls_while_a_check_is_pending(
    evidence: Evidence, answer: Answer, unit_staff: User
) -> None:
    client = client_for(unit_staff)
    url = reverse("evidence:item", args=[answer.pk])

    html = client.get(url, headers=HTMX).content.decode()
    assert "Đang kiểm tra chữ ký" in html
    assert 'hx-trigger="every 3s"' in html
    assert f'hx-get="{url}?phan=danh-sach"' in html

    Evidence.objects.filter(pk=evidence.pk).update(
        signature_status=SignatureStatus.VALID, signer="Trần Thị Bình (UBND xã Liêm Tuyền)"
    )
    fragment = client.get(url, {"phan": "danh-sach"}, headers=HTMX).content.decode()
    assert "Chữ ký số hợp lệ" in fragment
    assert "Người ký: Trần Thị Bình (UBND xã Liêm Tuyền)" in fragment
    assert "every 3s" not in fragment
    assert 'name="files"' not in fragment  # only the list is swapped


def test_upload_through_htmx_returns_the_refreshed_block(
    pdfs: Pdfs,
    answer: Answer,
    unit_staff: User,
    pki: Pki,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    trust_anchor_add(pem_or_der=pki.new_root.der, name="", actor=None)
    client = client_for(unit_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evidence:upload", args=[answer.pk]),
            {"files": [upload("a.pdf", pdfs.signed_new), upload("b.pdf", pdfs.unsigned)]},
            headers=HTMX,
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="minh-chung-{answer.pk}"')
    assert "Đã tải lên 2 tệp." in html
    assert EvidenceLink.objects.filter(answer=answer).count() == 2
    # The immediate task backend ran the checks at commit; the next poll shows them.
    html = client.get(reverse("evidence:item", args=[answer.pk]), headers=HTMX).content.decode()
    assert "Chữ ký số hợp lệ" in html
    assert "Chưa ký số" in html


def test_upload_errors_are_shown_in_the_block(pdfs: Pdfs, answer: Answer, unit_staff: User) -> None:
    response = client_for(unit_staff).post(
        reverse("evidence:upload", args=[answer.pk]),
        {"files": [upload("anh.pdf", pdfs.png, "application/pdf")]},
        headers=HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp “anh.pdf” không phải tệp PDF thật" in html
    assert 'class="alert alert-danger' in html
    assert not Evidence.objects.exists()


def test_upload_without_javascript_redirects_back_with_a_message(
    pdfs: Pdfs, answer: Answer, unit_staff: User
) -> None:
    response = client_for(unit_staff).post(
        reverse("evidence:upload", args=[answer.pk]),
        {"files": [upload("a.pdf", pdfs.signed_new)], "next": "/danh-gia/1/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/danh-gia/1/"
    response = client_for(unit_staff).post(
        reverse("evidence:upload", args=[answer.pk]),
        {"files": [upload("a.pdf", pdfs.signed_new)], "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("evidence:item", args=[answer.pk])


def test_reuse_cite_and_detach_through_the_block(
    evidence: Evidence, other_answer: Answer, unit_staff: User
) -> None:
    client = client_for(unit_staff)

    html = client.get(
        reverse("evidence:item", args=[other_answer.pk]), headers=HTMX
    ).content.decode()
    assert "Dùng tệp đã tải lên" in html
    assert f'<option value="{evidence.pk}">{NAME}' in html

    response = client.post(
        reverse("evidence:attach", args=[other_answer.pk]), {"evidence": evidence.pk}, headers=HTMX
    )
    assert f"Đã dùng lại tệp “{NAME}”." in response.content.decode()

    response = client.post(
        reverse("evidence:cite", args=[other_answer.pk]),
        {"number": "", "date": "2024-01-05", "issuer": "UBND tỉnh", "title": ""},
        headers=HTMX,
    )
    html = response.content.decode()
    assert "Cần nhập số, ký hiệu văn bản." in html
    assert 'value="UBND tỉnh"' in html  # what was typed is kept

    response = client.post(
        reverse("evidence:cite", args=[other_answer.pk]),
        {"number": "12/KH-UBND", "date": "2024-01-05", "issuer": "UBND tỉnh", "title": "Kế hoạch"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert "Văn bản số <strong>12/KH-UBND</strong> ngày 05/01/2024 của UBND tỉnh" in html

    link = EvidenceLink.objects.get(answer=other_answer, evidence=evidence)
    response = client.post(reverse("evidence:detach", args=[link.pk]), headers=HTMX)
    assert "Đã gỡ tài liệu khỏi nội dung." in response.content.decode()
    assert not EvidenceLink.objects.filter(pk=link.pk).exists()
    assert AuditEvent.objects.filter(action="evidence.detached").count() == 1


def test_block_is_read_only_for_those_who_cannot_edit(
    evidence: Evidence, answer: Answer, appraiser: User, chair: User
) -> None:
    for person in (appraiser, chair):
        html = client_for(person).get(reverse("evidence:item", args=[answer.pk]), headers=HTMX)
        text = html.content.decode()
        assert NAME in text
        assert "<form" not in text


def test_writes_are_404_for_outsiders_and_403_for_readers(
    pdfs: Pdfs, evidence: Evidence, answer: Answer, other_staff: User, appraiser: User
) -> None:
    url = reverse("evidence:upload", args=[answer.pk])
    data = {"files": [upload("a.pdf", pdfs.signed_old)]}
    assert client_for(other_staff).post(url, data, headers=HTMX).status_code == 404
    data = {"files": [upload("a.pdf", pdfs.signed_old)]}
    assert client_for(appraiser).post(url, data, headers=HTMX).status_code == 403
    link = EvidenceLink.objects.get()
    assert (
        client_for(other_staff).post(reverse("evidence:detach", args=[link.pk])).status_code == 404
    )
    assert (
        client_for(other_staff).get(reverse("evidence:item", args=[answer.pk])).status_code == 404
    )
    assert Evidence.objects.count() == 1


def test_item_page_without_htmx(answer: Answer, unit_staff: User) -> None:
    response = client_for(unit_staff).get(reverse("evidence:item", args=[answer.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "Nội dung 1.1." in html


# ---------------------------------------------------------------------------------------
# Trust store


def test_trust_store_page_is_for_the_chair_only(
    chair: User, unit_staff: User, observer: User, anonymous_client: Client
) -> None:
    url = reverse("evidence:trust_store")

    assert client_for(chair).get(url).status_code == 200
    assert client_for(unit_staff).get(url).status_code == 403
    assert client_for(observer).get(url).status_code == 403
    assert anonymous_client.get(url).status_code == 302


def test_chair_uploads_a_bundle_of_certificates(pki: Pki, chair: User) -> None:
    client = client_for(chair)
    bundle = (pki.old_root.pem + pki.new_root.pem).encode()

    response = client.post(
        reverse("evidence:trust_store"),
        {"name": "Root CA quốc gia", "certificate": upload("roots.pem", bundle, "text/plain")},
        follow=True,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã thêm 2 chứng thư" in html
    assert "Root CA quốc gia – Root CA Quốc gia (cũ) – thử nghiệm" in html
    assert TrustAnchor.objects.count() == 2
    assert pki.new_root.cert.fingerprint(hashes.SHA256()).hex() in html


def test_bad_certificate_shows_a_vietnamese_message(chair: User) -> None:
    response = client_for(chair).post(
        reverse("evidence:trust_store"),
        {"name": "", "certificate": upload("root.crt", b"not a certificate", "text/plain")},
    )

    assert response.status_code == 400
    assert "Tệp không phải chứng thư số hợp lệ (định dạng PEM, DER/CRT hoặc P7B)." in (
        response.content.decode()
    )
    assert not TrustAnchor.objects.exists()


def test_pasted_pem_and_nothing_at_all(pki: Pki, chair: User) -> None:
    client = client_for(chair)
    url = reverse("evidence:trust_store")

    response = client.post(url, {"name": "", "pem": ""})
    assert response.status_code == 400
    assert "Hãy chọn tệp chứng thư hoặc dán nội dung PEM." in response.content.decode()

    response = client.post(url, {"name": "", "pem": pki.government_ca.pem})
    assert response.status_code == 302
    assert TrustAnchor.objects.get().name == "CA chuyên dùng Chính phủ – thử nghiệm"


def test_toggle_and_recheck(
    pki: Pki,
    chair: User,
    unit_staff: User,
    evidence: Evidence,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    [anchor] = trust_anchor_add(pem_or_der=pki.new_root.der, name="", actor=chair)
    client = client_for(chair)

    response = client.post(
        reverse("evidence:trust_anchor_toggle", args=[anchor.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    anchor.refresh_from_db()
    assert not anchor.is_active

    response = client.post(
        reverse("evidence:trust_anchor_toggle", args=[anchor.pk]), {"active": "1"}
    )
    anchor.refresh_from_db()
    assert anchor.is_active

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence:recheck"), follow=True)
    assert "Đang kiểm tra lại chữ ký số của 1 tài liệu" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.signature_status == SignatureStatus.VALID

    assert client_for(unit_staff).post(reverse("evidence:recheck")).status_code == 403
    toggle = reverse("evidence:trust_anchor_toggle", args=[anchor.pk])
    assert client_for(unit_staff).post(toggle, {"active": "0"}).status_code == 403


def test_admin_lists_evidence_read_only_and_sends_adding_anchors_to_the_service_page(
    evidence: Evidence, pki: Pki, superuser: User
) -> None:
    trust_anchor_add(pem_or_der=pki.new_root.der, name="", actor=None)
    client = client_for(superuser)

    assert client.get(reverse("admin:evidence_evidence_changelist")).status_code == 200
    detail = client.get(reverse("admin:evidence_evidence_change", args=[evidence.pk]))
    assert detail.status_code == 200
    assert reverse("evidence:download", args=[evidence.pk]) in detail.content.decode()
    assert client.get(reverse("admin:evidence_trustanchor_changelist")).status_code == 200
    response = client.get(reverse("admin:evidence_trustanchor_add"))
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:trust_store")
