"""A file identical to one already attached (issue 11, point 9): the block says so, naming
the file already there, and counts nothing as uploaded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.evidence.models import Evidence, EvidenceLink
from parindex.evidence.testing import Pdfs
from parindex.evidence.tests.conftest import upload
from parindex.evidence.uploads import UploadOutcome, evidence_upload, evidence_upload_result
from tests.personas import client_for

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def attached(pdfs: Pdfs, assessment: Assessment, answer: Answer, unit_staff: User) -> Evidence:
    return evidence_upload(
        assessment=assessment,
        answer=answer,
        uploaded_file=upload("Kế hoạch CCHC.pdf", pdfs.unsigned),
        actor=unit_staff,
    )


def test_the_service_tells_what_happened(
    attached: Evidence,
    pdfs: Pdfs,
    assessment: Assessment,
    answer: Answer,
    other_answer: Answer,
    unit_staff: User,
) -> None:
    again = evidence_upload_result(
        assessment=assessment,
        answer=answer,
        uploaded_file=upload("ban-sao.pdf", pdfs.unsigned),
        actor=unit_staff,
    )
    assert (again.evidence, again.outcome) == (attached, UploadOutcome.ALREADY_ATTACHED)
    elsewhere = evidence_upload_result(
        assessment=assessment,
        answer=other_answer,
        uploaded_file=upload("ban-sao.pdf", pdfs.unsigned),
        actor=unit_staff,
    )
    assert (elsewhere.evidence, elsewhere.outcome) == (attached, UploadOutcome.REUSED)


def test_uploading_an_attached_file_again_says_it_is_already_there(
    attached: Evidence, pdfs: Pdfs, answer: Answer, unit_staff: User
) -> None:
    client: Client = client_for(unit_staff)
    response = client.post(
        reverse("evidence:upload", args=[answer.pk]),
        {"files": [upload("ban-sao.pdf", pdfs.unsigned)]},
        headers=HTMX,
    )
    html = response.content.decode()
    assert "Đã tải lên 1 tệp." not in html
    assert "Tệp “ban-sao.pdf” trùng nội dung với tệp đã đính kèm “Kế hoạch CCHC.pdf”" in html
    assert "Đã tải lên 0 tệp" in html
    assert EvidenceLink.objects.filter(answer=answer).count() == 1


def test_a_file_stored_for_another_item_is_attached_and_said_so(
    attached: Evidence, pdfs: Pdfs, other_answer: Answer, unit_staff: User
) -> None:
    response = client_for(unit_staff).post(
        reverse("evidence:upload", args=[other_answer.pk]),
        {"files": [upload("ban-sao.pdf", pdfs.unsigned), upload("moi.pdf", pdfs.signed_new)]},
        headers=HTMX,
    )
    html = response.content.decode()
    assert "Đã tải lên 1 tệp." in html
    assert "dùng lại tệp đã có “Kế hoạch CCHC.pdf”" in html
    assert EvidenceLink.objects.filter(answer=other_answer).count() == 2
