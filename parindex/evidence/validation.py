"""What an uploaded PDF must be before it is stored as evidence: a PDF, and an inert one.

python-magic only looks at the first bytes: a text file that starts with ``%PDF-`` passes
its test. :func:`check_pdf` reads the file's structure with pyHanko (the reader the
signature check uses) and walks every object reachable from the document catalog, so an
action is found wherever a viewer would find it: the catalog's ``/OpenAction`` and ``/AA``,
the ``/Names`` ``/JavaScript`` tree, pages' and form fields' ``/AA``, annotations' ``/A``,
chains of ``/Next`` actions, objects in compressed object streams, names written with
``#xx`` escapes. Refused, with a Vietnamese message naming the file:

* a file pyHanko cannot read as a PDF (no cross-reference table or trailer, no catalog);
* a PDF that needs a password to open (its content cannot be checked, nor read by the
  appraisers);
* a PDF with JavaScript (``/JS``, a ``/JavaScript`` action or name tree) or a ``/Launch``
  action (runs a program or opens a file on the reader's computer).

Embedded files (attachments) are accepted: a viewer never opens them by itself.
"""

from __future__ import annotations

from io import BytesIO

from django.core.exceptions import ValidationError
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt.api import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader

MAX_OBJECTS = 1_000_000
"""Objects walked at most; far more than any document a unit scans or exports."""

ACTIVE_ACTIONS: dict[str, str] = {
    "/JavaScript": "mã JavaScript",
    "/Launch": "lệnh mở chương trình hoặc tệp trên máy người đọc (Launch)",
}
"""Action types (``/S``) that run something on the reader's computer, and what they are."""


def check_pdf(data: bytes, name: str) -> None:
    """Refuse (:class:`ValidationError`, Vietnamese, naming ``name``) ``data`` unless it is
    a readable PDF without JavaScript or launch actions."""
    reader = _open(data, name)
    found = _active_content(reader, name)
    if found is not None:
        raise ValidationError(
            f"Tệp “{name}” chứa {found} nên không được nhận: tài liệu kiểm chứng không được "
            "chứa mã tự chạy khi mở tệp. Hãy xuất lại tệp ra PDF (ví dụ in ra PDF) rồi "
            "tải lên."
        )


def _open(data: bytes, name: str) -> PdfFileReader:
    invalid = ValidationError(
        f"Tệp “{name}” không phải PDF hợp lệ (không đọc được cấu trúc tệp PDF). Hãy tải lên "
        "đúng tệp gốc hoặc xuất lại tệp ra PDF."
    )
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        # An owner password (printing or copying restricted) opens with the empty one.
        if reader.encrypted and reader.decrypt("").status == AuthStatus.FAILED:
            raise ValidationError(
                f"Tệp “{name}” được đặt mật khẩu mở tệp: hãy tải lên bản PDF không đặt mật khẩu."
            )
        root = reader.root
    except ValidationError:
        raise
    except Exception as exc:  # pyHanko raises many kinds for a damaged file
        raise invalid from exc
    if not isinstance(root, generic.DictionaryObject) or "/Pages" not in root:
        raise invalid
    return reader


def _active_content(reader: PdfFileReader, name: str) -> str | None:
    """What active content the document has (see :data:`ACTIVE_ACTIONS`), else None."""
    seen: set[tuple[int, int]] = set()
    root = reader.root_ref
    seen.add((root.idnum, root.generation))
    stack: list[generic.PdfObject] = [reader.root]
    walked = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, generic.IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            try:
                obj = obj.get_object()  # type: ignore[no-untyped-call]
            except Exception:  # a dangling reference: no viewer can run it either
                obj = generic.NullObject()
        walked += 1
        if walked > MAX_OBJECTS:
            raise ValidationError(
                f"Tệp “{name}” có quá nhiều đối tượng PDF (hơn {MAX_OBJECTS:,}) để kiểm tra."
            )
        if isinstance(obj, generic.DictionaryObject):
            found = _active_dictionary(obj)
            if found is not None:
                return found
            stack.extend(obj.raw_get(key) for key in obj)
        elif isinstance(obj, generic.ArrayObject):
            stack.extend(obj.iterate())
    return None


def _active_dictionary(obj: generic.DictionaryObject) -> str | None:
    if "/JS" in obj or "/JavaScript" in obj:  # an action's script, the catalog's name tree
        return ACTIVE_ACTIONS["/JavaScript"]
    try:
        kind = obj.raw_get("/S").get_object() if "/S" in obj else None
    except Exception:
        return None
    if isinstance(kind, generic.NameObject):
        return ACTIVE_ACTIONS.get(str(kind))
    return None
