"""The documents pages: Hoàng Văn Dũng (the chair) makes the 2024 results report of Hà Nam;
the worker makes it (immediate backend); the page shows its progress row and the download;
once the results are published anyone downloads it from the public page. Vũ Thị Lan
(observer) looks but does not make; a commune's staff and another province find nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from parindex.accounts.models import Role, User
from parindex.audit.models import AuditEvent
from parindex.documents.models import GeneratedDocument, JobStatus
from parindex.organizations.models import Level
from parindex.organizations.services import unit_create
from parindex.results.models import ResultVersion
from parindex.results.tests.conftest import Scenario
from tests.personas import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Settings) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "reports"],
        }
    }


def make(client: Client, scenario: Scenario, **data: str):  # type: ignore[no-untyped-def]
    payload = {"kind": "results", "format": "docx", "group": "", **data}
    return client.post(f"/van-ban/ky/{scenario.p2024.pk}/", payload)


def test_the_chair_makes_the_results_report_and_downloads_it(
    chair: User,
    scenario: Scenario,
    published: ResultVersion,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = make(client, scenario)
    assert response.status_code == 302
    document = GeneratedDocument.objects.get()
    assert document.status == JobStatus.DONE, document.error
    assert document.version == published
    assert document.file_name == "bao-cao-ket-qua-chi-so-cchc-2024.docx"
    page = client.get(f"/van-ban/ky/{scenario.p2024.pk}/").content.decode()
    assert "Đã tạo xong" in page and "Phiên bản 1" in page
    download = client.get(f"/van-ban/{document.pk}/tai-ve/")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download.getvalue()[:2] == b"PK"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"document.requested", "document.generated"} <= actions
    public = client_for(chair).get(f"/cong-bo/{scenario.p2024.pk}/van-ban/{document.pk}/")
    assert public.status_code == 200
    assert Client().get(f"/cong-bo/{scenario.p2024.pk}/van-ban/{document.pk}/").status_code == 200
    ranking = Client().get(f"/cong-bo/{scenario.p2024.pk}/so-ban-nganh/").content.decode()
    assert f"/cong-bo/{scenario.p2024.pk}/van-ban/{document.pk}/" in ranking


def test_a_queued_document_shows_its_progress_and_polls(
    chair: User, scenario: Scenario, published: ResultVersion
) -> None:
    client = client_for(chair)
    make(client, scenario)  # no on-commit run: still queued
    document = GeneratedDocument.objects.get()
    assert document.status == JobStatus.QUEUED
    row = client.get(f"/van-ban/{document.pk}/trang-thai/").content.decode()
    assert 'hx-trigger="every 1s"' in row and 'role="progressbar"' in row
    assert client.get(f"/van-ban/{document.pk}/tai-ve/").status_code == 404


def test_a_period_without_results_is_refused_with_the_reason(
    chair: User, scenario: Scenario
) -> None:
    response = client_for(chair).post(
        f"/van-ban/ky/{scenario.p2025.pk}/", {"kind": "results", "format": "docx", "group": ""}
    )
    assert response.status_code == 400
    assert "chưa có kết quả đã tính" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_a_failure_is_shown_not_raised(
    chair: User,
    scenario: Scenario,
    published: ResultVersion,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(chair)
    published.groups.all().update(document=None)
    with django_capture_on_commit_callbacks(execute=True):
        make(client, scenario)
    document = GeneratedDocument.objects.get()
    assert document.status == JobStatus.FAILED
    assert "không lưu tệp đánh giá" in document.error
    assert "Không tạo được" in client.get(f"/van-ban/ky/{scenario.p2024.pk}/").content.decode()


def test_the_observer_looks_but_does_not_make(
    observer: User, scenario: Scenario, published: ResultVersion
) -> None:
    client = client_for(observer)
    assert client.get(f"/van-ban/ky/{scenario.p2024.pk}/").status_code == 200
    assert make(client, scenario).status_code == 403


def test_not_yours_is_not_found(
    unit_staff: User, scenario: Scenario, published: ResultVersion, chair: User
) -> None:
    ninh_binh = unit_create(code="T-NBI", name="Tỉnh Ninh Bình", level=Level.PROVINCE, actor=None)
    other_chair = User.objects.create_user(
        username="chu.tich.ninh.binh", full_name="Đinh Văn Tâm", role=Role.CHAIR, unit=ninh_binh
    )
    for person in (unit_staff, other_chair):
        client = client_for(person)
        assert client.get(f"/van-ban/ky/{scenario.p2024.pk}/").status_code == 404
        assert make(client, scenario).status_code == 404
    make(client_for(chair), scenario)
    document = GeneratedDocument.objects.get()
    assert client_for(other_chair).get(f"/van-ban/{document.pk}/tai-ve/").status_code == 404
    assert client_for(other_chair).get(f"/van-ban/{document.pk}/trang-thai/").status_code == 404


def test_a_draft_version_document_is_not_public(
    chair: User,
    scenario: Scenario,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from parindex.results.services import results_compute

    results_compute(period=scenario.p2024, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        make(client_for(chair), scenario)
    document = GeneratedDocument.objects.get()
    assert document.status == JobStatus.DONE
    assert Client().get(f"/cong-bo/{scenario.p2024.pk}/van-ban/{document.pk}/").status_code == 404


def test_the_chair_writes_the_reports_sections(chair: User, scenario: Scenario) -> None:
    client = client_for(chair)
    url = f"/van-ban/ky/{scenario.p2024.pk}/noi-dung/results/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "number": "251/BC-SNV",
            "issued_on": "2024-12-14",
            "signer_title": "Giám đốc",
            "signer_name": "Hoàng Văn Dũng",
            "achievements": "Các đơn vị đã quan tâm chỉ đạo.\nKết quả tăng so với năm trước.",
        },
    )
    assert response.status_code == 302
    from parindex.documents.models import DocumentText

    text = DocumentText.objects.get()
    assert text.number == "251/BC-SNV"
    assert text.sections["achievements"].startswith("Các đơn vị")
    assert AuditEvent.objects.filter(action="document.text_saved").exists()


def test_the_observer_cannot_save_the_texts(observer: User, scenario: Scenario) -> None:
    url = f"/van-ban/ky/{scenario.p2024.pk}/noi-dung/results/"
    assert client_for(observer).post(url, {"number": "1/BC"}).status_code == 403


def test_the_saved_sections_are_printed(
    chair: User, scenario: Scenario, published: ResultVersion
) -> None:
    from io import BytesIO

    from docx import Document as open_docx

    from parindex.documents.generate import Request, make_file

    client_for(chair).post(
        f"/van-ban/ky/{scenario.p2024.pk}/noi-dung/results/",
        {"number": "251/BC-SNV", "issued_on": "2024-12-14", "achievements": "Đạt nhiều kết quả."},
    )
    data = make_file(Request("results", scenario.p2024), "docx").data
    doc = open_docx(BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Đạt nhiều kết quả." in text
    assert "Số: 251/BC-SNV" in cells and "ngày 14 tháng 12 năm 2024" in cells


def test_a_correction_makes_the_documents_again(
    chair: User,
    scenario: Scenario,
    published: ResultVersion,
    django_capture_on_commit_callbacks: Any,
) -> None:
    import datetime

    from parindex.results.services import Decision, results_compute, results_publish

    with django_capture_on_commit_callbacks(execute=True):
        make(client_for(chair), scenario, format="xlsx")
    old = GeneratedDocument.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        correction = results_publish(
            version=results_compute(period=scenario.p2024, actor=None),
            decision=Decision(
                "401/QĐ-UBND",
                datetime.date(2025, 3, 1),
                "Trần Văn Hùng",
                reason="Đính chính điểm khảo sát",
            ),
            actor=chair,
        )
    again = GeneratedDocument.objects.exclude(pk=old.pk).get()
    assert again.version == correction and again.format == "xlsx"
    assert again.status == JobStatus.DONE, again.error
    page = client_for(chair).get(f"/van-ban/ky/{scenario.p2024.pk}/").content.decode()
    assert "Kết quả đã đính chính: hãy tạo lại." in page
