"""Xem: a PDF shown in the browser (inline), with the download's permission check."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment
from parindex.evidence.models import Evidence
from parindex.evidence.testing import Pdfs, png_bytes
from parindex.evidence.tests.conftest import upload
from parindex.evidence.uploads import evidence_upload
from parindex.organizations.models import Level, Unit
from parindex.organizations.services import unit_create
from parindex.periods.models import AppraiserAssignment, Period
from tests.personas import client_for

pytestmark = pytest.mark.django_db

NAME = "Kế hoạch CCHC năm 2024.pdf"


@pytest.fixture
def evidence(pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User) -> Evidence:
    return evidence_upload(
        assessment=assessment,
        answer=answer,
        uploaded_file=upload(NAME, pdfs.signed_new),
        actor=unit_staff,
    )


def _url(evidence: Evidence) -> str:
    return reverse("evidence:preview", args=[evidence.pk])


@pytest.mark.parametrize("who", ["unit_staff", "appraiser", "chair", "observer"])
def test_a_pdf_is_shown_inline_to_whoever_may_download_it(
    who: str, evidence: Evidence, pdfs: Pdfs, request: pytest.FixtureRequest
) -> None:
    person: User = request.getfixturevalue(who)
    response = client_for(person).get(_url(evidence))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdfs.signed_new  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('inline; filename="Ke hoach CCHC nam 2024.pdf"; ')
    assert f"filename*=UTF-8''{quote(NAME, safe='')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # The browser's PDF viewer needs object-src; framing only by the site itself.
    csp = response["Content-Security-Policy"]
    assert "object-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert "'none'" not in csp
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_download_is_still_an_attachment(evidence: Evidence, unit_staff: User) -> None:
    response = client_for(unit_staff).get(reverse("evidence:download", args=[evidence.pk]))

    assert response["Content-Disposition"].startswith("attachment; ")
    # The rest of the site keeps its own policy: no framing at all.
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_an_appraiser_without_that_field_gets_404(
    evidence: Evidence, period: Period, so_noi_vu: Unit, appraiser_unassigned: User
) -> None:
    # Given field 2 of the Sở Nội vụ only: the file is attached to 1.1.
    assignment = AppraiserAssignment.objects.create(
        period=period, appraiser=appraiser_unassigned, node_codes=["2"]
    )
    assignment.units.add(so_noi_vu)
    client = client_for(appraiser_unassigned)

    assert client.get(_url(evidence)).status_code == 404
    assert client.get(reverse("evidence:download", args=[evidence.pk])).status_code == 404


def test_another_province_gets_404(evidence: Evidence) -> None:
    province = unit_create(code="T-NBI", name="Tỉnh Ninh Bình", level=Level.PROVINCE, actor=None)
    office = unit_create(
        code="T-NBI-SNV",
        name="Sở Nội vụ tỉnh Ninh Bình",
        level=Level.DEPARTMENT,
        parent=province,
        actor=None,
    )
    for role in (Role.CHAIR, Role.OBSERVER, Role.APPRAISER):
        person = User.objects.create_user(
            username=f"nb.{role}", full_name="Người tỉnh khác", role=role, unit=office
        )
        assert client_for(person).get(_url(evidence)).status_code == 404


@pytest.mark.parametrize("who", ["other_staff", "appraiser_unassigned"])
def test_anyone_else_gets_404(who: str, evidence: Evidence, request: pytest.FixtureRequest) -> None:
    person: User = request.getfixturevalue(who)
    client = client_for(person)

    assert client.get(_url(evidence)).status_code == 404
    assert client.get(reverse("evidence:preview", args=[evidence.pk + 1000])).status_code == 404


def test_anonymous_is_sent_to_login(evidence: Evidence, anonymous_client: Client) -> None:
    response = anonymous_client.get(_url(evidence))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_only_a_pdf_is_shown_inline(
    period: Period, assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    period.evidence_types = "pdf, png"
    period.save(update_fields=["evidence_types"])
    assessment.period.refresh_from_db()
    picture = evidence_upload(
        assessment=assessment,
        answer=answer,
        uploaded_file=upload("Ảnh.png", png_bytes(), "image/png"),
        actor=unit_staff,
    )
    client = client_for(unit_staff)

    assert client.get(_url(picture)).status_code == 404
    assert client.get(reverse("evidence:download", args=[picture.pk])).status_code == 200
    block = client.get(reverse("evidence:item", args=[answer.pk])).content.decode()
    assert _url(picture) not in block


def test_the_evidence_block_offers_xem_beside_the_download(
    evidence: Evidence, answer: Answer, appraiser: User
) -> None:
    html = client_for(appraiser).get(reverse("evidence:item", args=[answer.pk])).content.decode()

    assert f'href="{_url(evidence)}"' in html
    assert 'target="_blank" rel="noopener"' in html
    assert "Xem" in html
    assert reverse("evidence:download", args=[evidence.pk]) in html
