"""Uploaded PDFs must be real PDFs without active content (issue 9, point 10).

The PDFs are written here byte by byte (a correct cross-reference table, so only the
property under test differs from a good file) or with pyHanko's writer (object streams).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pyhanko.pdf_utils import generic as pyhanko_generic
from pyhanko.pdf_utils import writer as pyhanko_writer

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.audit.models import AuditEvent
from parindex.evidence.models import Evidence, EvidenceLink
from parindex.evidence.testing import Pdfs
from parindex.evidence.tests.conftest import upload
from parindex.evidence.uploads import evidence_upload
from parindex.evidence.validation import check_pdf
from tests.personas import client_for

CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"
ALERT = b"<</S/JavaScript/JS(app.alert\\('x'\\))>>"


def pdf(*objects: bytes) -> bytes:
    """A PDF whose object N is ``objects[N-1]`` (1 is the catalog), with a valid xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PLAIN = pdf(CATALOG, PAGES, PAGE)

ACTIVE: dict[str, bytes] = {
    "catalog-openaction": pdf(
        b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", PAGES, PAGE, ALERT
    ),
    "catalog-aa": pdf(b"<</Type/Catalog/Pages 2 0 R/AA<</WC 4 0 R>>>>", PAGES, PAGE, ALERT),
    "names-javascript": pdf(
        b"<</Type/Catalog/Pages 2 0 R/Names<</JavaScript 4 0 R>>>>",
        PAGES,
        PAGE,
        b"<</Names[(init) 5 0 R]>>",
        ALERT,
    ),
    "page-aa-next": pdf(
        CATALOG,
        PAGES,
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/AA<</O<</S/URI/URI(https://example.org)/Next 4 0 R>>>>>>",
        b"<</S/JavaScript/JS 5 0 R>>",
        b"<</Length 13>>stream\napp.alert(1)\nendstream",
    ),
    "annotation-launch": pdf(
        CATALOG,
        PAGES,
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 100 20]/A<</S/Launch/F(cmd.exe)>>>>",
    ),
    "escaped-names": pdf(
        b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>>>",
        PAGES,
        PAGE,
    ),
    "form-field-aa": pdf(
        b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[4 0 R]>>>>",
        PAGES,
        PAGE,
        b"<</FT/Tx/T(ten)/AA<</K<</S/JavaScript/JS(event.rc=true)>>>>>>",
    ),
}
LAUNCH_MESSAGE = "lệnh mở chương trình hoặc tệp trên máy người đọc (Launch)"
generic: Any = pyhanko_generic  # pyHanko's writer API is untyped
writing: Any = pyhanko_writer


def object_stream_pdf(*, javascript: bool) -> bytes:
    """The OpenAction in a compressed object stream: no byte of it is visible in the file."""
    writer = writing.PdfFileWriter(stream_xrefs=True)
    if javascript:
        action = generic.DictionaryObject(
            {
                generic.NameObject("/S"): generic.NameObject("/JavaScript"),
                generic.NameObject("/JS"): generic.TextStringObject("app.alert(1)"),
            }
        )
        ref = writer.add_object(action, obj_stream=writer.prepare_object_stream())
        writer.root[generic.NameObject("/OpenAction")] = ref
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(*, user_password: str) -> bytes:
    writer = writing.PdfFileWriter()
    writer.encrypt("chu-so-huu", user_password)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def refusal(data: bytes, name: str = "ke-hoach.pdf") -> str:
    with pytest.raises(ValidationError) as excinfo:
        check_pdf(data, name)
    [message] = excinfo.value.messages
    return message


# --------------------------------------------------------------------------- check_pdf


def test_plain_generated_and_signed_pdfs_pass(pdfs: Pdfs) -> None:
    for data in (PLAIN, pdfs.unsigned, pdfs.signed_new, pdfs.signed_twice, pdfs.modified):
        check_pdf(data, "ke-hoach.pdf")
    check_pdf(object_stream_pdf(javascript=False), "ke-hoach.pdf")
    # A reference cycle and a dangling reference are walked without looping or failing.
    check_pdf(pdf(b"<</Type/Catalog/Pages 2 0 R/Self 1 0 R/Gone 9 0 R>>", PAGES, PAGE), "a.pdf")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\nthis is not really a pdf",
        b"%PDF-1.4\n" + b"\x00" * 2000,
        PLAIN.replace(b"startxref", b"startxrex"),
        pdf(b"<</Type/Catalog>>", PAGES, PAGE),  # a catalog without pages
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    ],
    ids=["text", "zeros", "broken-trailer", "no-pages", "no-xref"],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(data: bytes) -> None:
    assert refusal(data, "bao-cao.pdf") == (
        "Tệp “bao-cao.pdf” không phải PDF hợp lệ (không đọc được cấu trúc tệp PDF). "
        "Hãy tải lên đúng tệp gốc hoặc xuất lại tệp ra PDF."
    )


@pytest.mark.parametrize("case", sorted(ACTIVE))
def test_javascript_and_launch_actions_are_refused_wherever_they_hide(case: str) -> None:
    message = refusal(ACTIVE[case], "Kế hoạch CCHC.pdf")

    kind = LAUNCH_MESSAGE if "launch" in case else "mã JavaScript"
    assert message == (
        f"Tệp “Kế hoạch CCHC.pdf” chứa {kind} nên không được nhận: tài liệu kiểm chứng không "
        "được chứa mã tự chạy khi mở tệp. Hãy xuất lại tệp ra PDF (ví dụ in ra PDF) rồi tải lên."
    )


def test_javascript_in_a_compressed_object_stream_is_found() -> None:
    data = object_stream_pdf(javascript=True)
    assert b"JavaScript" not in data  # a byte search would miss it

    assert "chứa mã JavaScript" in refusal(data)


def test_a_pdf_that_needs_a_password_is_refused_one_with_only_an_owner_password_passes() -> None:
    assert refusal(encrypted_pdf(user_password="mat-khau")) == (
        "Tệp “ke-hoach.pdf” được đặt mật khẩu mở tệp: hãy tải lên bản PDF không đặt mật khẩu."
    )
    check_pdf(encrypted_pdf(user_password=""), "ke-hoach.pdf")


# --------------------------------------------------------------------------- the upload


@pytest.mark.django_db
def test_upload_refuses_a_fake_or_active_pdf_and_stores_nothing(
    assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    events = AuditEvent.objects.count()
    for name, data, expected in (
        ("gia.pdf", b"%PDF-1.7\nthis is not really a pdf", "không phải PDF hợp lệ"),
        ("mo-tu-dong.pdf", ACTIVE["catalog-openaction"], "chứa mã JavaScript"),
        ("chay-lenh.pdf", ACTIVE["annotation-launch"], "(Launch)"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            evidence_upload(
                assessment=assessment,
                answer=answer,
                uploaded_file=upload(name, data),
                actor=unit_staff,
            )
        [message] = excinfo.value.messages
        assert message.startswith(f"Tệp “{name}”")
        assert expected in message

    assert not Evidence.objects.exists()
    assert not EvidenceLink.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_upload_accepts_a_minimal_valid_pdf(
    assessment: Assessment, answer: Answer, unit_staff: User
) -> None:
    evidence = evidence_upload(
        assessment=assessment, answer=answer, uploaded_file=upload("a.pdf", PLAIN), actor=unit_staff
    )

    assert evidence.content_type == "application/pdf"
    assert EvidenceLink.objects.filter(answer=answer, evidence=evidence).exists()


@pytest.mark.django_db
def test_the_page_shows_the_refusal(answer: Answer, unit_staff: User) -> None:
    response = client_for(unit_staff).post(
        reverse("evidence:upload", args=[answer.pk]),
        {"files": [upload("mo-tu-dong.pdf", ACTIVE["names-javascript"])]},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Tệp “mo-tu-dong.pdf” chứa mã JavaScript nên không được nhận" in (
        response.content.decode()
    )
    assert not Evidence.objects.exists()
