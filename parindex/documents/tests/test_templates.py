"""Word templates an administrator downloads, edits and uploads back. Nguyễn Văn An (the Sở
Nội vụ's manager) replaces the notice's template; a template with a broken tag is refused
with the reason and the one in use stays."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document as open_docx

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent
from parindex.documents.generate import active_template
from parindex.documents.models import DocumentTemplate
from parindex.documents.render.frame import build_frame
from tests.personas import client_for

pytestmark = pytest.mark.django_db
PAGE = "/van-ban/mau/"


def edited(extra: str) -> bytes:
    """The built-in template with one paragraph added (as if typed in Word)."""
    doc = open_docx(BytesIO(build_frame()))
    doc.add_paragraph(extra)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(client: Client, data: bytes, name: str = "thong-bao.docx", code: str = "T-HNA"):  # type: ignore[no-untyped-def]
    return client.post(
        PAGE,
        {"dia-ban": code, "kind": "notice", "note": "", "file": SimpleUploadedFile(name, data)},
    )


def test_the_manager_downloads_the_built_in_template(manager: User) -> None:
    response = client_for(manager).get("/van-ban/mau/mac-dinh/notice.docx")
    assert response.status_code == 200
    assert open_docx(BytesIO(response.content)).sections[0].page_width is not None


def test_an_edited_template_is_used_from_then_on(manager: User, province: object) -> None:
    client = client_for(manager)
    response = upload(client, edited("Kính gửi: các cơ quan, đơn vị."))
    assert response.status_code == 302
    data, template = active_template("notice", province)  # type: ignore[arg-type]
    assert template is not None and template.original_name == "thong-bao.docx"
    assert "Kính gửi" in "\n".join(p.text for p in open_docx(BytesIO(data)).paragraphs)
    assert AuditEvent.objects.filter(action="document.template_uploaded").count() == 1
    page = client.get(f"{PAGE}?dia-ban=T-HNA").content.decode()
    assert "thong-bao.docx" in page


def test_a_template_with_a_syntax_error_is_refused_and_the_old_one_stays(
    manager: User, province: object
) -> None:
    client = client_for(manager)
    assert upload(client, edited("Ghi chú"), name="mau-tot.docx").status_code == 302
    response = upload(client, edited("{% for unit in units %}{{ unit.name }}"), name="mau-loi.docx")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mẫu “mau-loi.docx” có lỗi cú pháp" in page
    assert "thẻ “for” không có thẻ đóng tương ứng" in page
    assert "Mẫu cũ được giữ nguyên" in page
    _data, template = active_template("notice", province)  # type: ignore[arg-type]
    assert template is not None and template.original_name == "mau-tot.docx"
    assert DocumentTemplate.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "không phải tệp Word"),
        (edited("{{ ten_khong_co }}"), "dùng tên không có trong dữ liệu văn bản: ten_khong_co"),
        (edited("{{ title "), "có lỗi cú pháp"),
    ],
)
def test_broken_templates_are_refused_with_the_reason(
    manager: User, data: bytes, message: str
) -> None:
    response = upload(client_for(manager), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_a_template_without_the_body_placeholder_is_refused(manager: User) -> None:
    doc = open_docx(BytesIO(build_frame()))
    for paragraph in doc.paragraphs:
        if "{{p body }}" in paragraph.text:
            paragraph.text = ""
    out = BytesIO()
    doc.save(out)
    response = upload(client_for(manager), out.getvalue())
    assert "thiếu thẻ {{p body }}" in response.content.decode()


def test_back_to_the_built_in_template(manager: User, province: object) -> None:
    client = client_for(manager)
    upload(client, edited("Ghi chú"))
    response = client.post("/van-ban/mau/dat-lai/", {"dia-ban": "T-HNA", "kind": "notice"})
    assert response.status_code == 302
    assert active_template("notice", province)[1] is None  # type: ignore[arg-type]


def test_units_and_appraisers_do_not_find_the_page(unit_staff: User, appraiser: User) -> None:
    for person in (unit_staff, appraiser):
        assert client_for(person).get(PAGE).status_code == 404


def test_another_provinces_jurisdiction_is_not_found(manager: User) -> None:
    assert client_for(manager).get(f"{PAGE}?dia-ban=KHONG-CO").status_code == 404
