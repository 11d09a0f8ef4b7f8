"""Serving stored files: every download of the site goes through :func:`file_response`.

The caller is a view that has already checked the permission (404 for a file that is not
the user's); this module only chooses how the bytes reach the browser:

* streamed by the app from the storage (``MEDIA_ROOT`` or the S3 store), the default;
* with ``STORAGE_S3_PRESIGNED_DOWNLOADS`` on an S3 store, a 302 to a presigned URL valid
  for ``STORAGE_S3_PRESIGN_SECONDS``, whose response carries the same Content-Type and
  Content-Disposition (the store sets them from the signed ``response-content-*``
  parameters). A preview shown in a frame of the site is always streamed: the site's
  Content-Security-Policy frames only itself.

Nothing here uses ``Storage.path()``, which an object store does not have.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase

CHUNK = 1024 * 1024


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """``attachment`` (or ``inline``) with an ASCII fallback name and the original as
    RFC 5987 ``filename*``: "Kế hoạch.pdf" → ``filename="Ke hoach.pdf"; filename*=UTF-8''K%E1…``."""
    ascii_name = (
        unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    ascii_name = "".join(ch for ch in ascii_name if ch.isprintable() and ch not in '"\\;')
    ascii_name = ascii_name.strip() or "tai-lieu"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def is_object_store(storage: Storage) -> bool:
    """True for django-storages' S3 backend (imported only when it is the one in use)."""
    module = storage.__class__.__module__  # default_storage is a LazyObject: not type()
    if not module.startswith("storages.backends.s3"):
        return False
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def object_key(storage: Any, name: str) -> str:
    """The bucket key of ``name`` (the storage's prefix joined, as django-storages does)."""
    from storages.utils import clean_name

    return str(storage._normalize_name(clean_name(name)))


def open_stream(storage: Storage, name: str) -> tuple[IO[bytes], int | None]:
    """A readable stream of the stored file and its size when known, without a local copy:
    from an S3 store, the GET response's body itself. :class:`FileNotFoundError` when the
    file is not there."""
    if not is_object_store(storage):
        handle = storage.open(name, "rb")
        return handle, None
    from botocore.exceptions import ClientError

    s3: Any = storage
    try:
        got = s3.connection.meta.client.get_object(Bucket=s3.bucket_name, Key=object_key(s3, name))
    except ClientError as exc:
        if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
            raise FileNotFoundError(f"File does not exist: {name}") from exc
        raise
    return got["Body"], int(got["ContentLength"])


def stored_sha256(storage: Storage, name: str) -> str:
    """The SHA-256 of the stored bytes, read in chunks (:class:`FileNotFoundError` if absent)."""
    digest = hashlib.sha256()
    stream, _size = open_stream(storage, name)
    try:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    finally:
        stream.close()
    return digest.hexdigest()


def presigned_url(
    field_file: FieldFile, *, name: str, content_type: str, disposition: str = "attachment"
) -> str:
    """A short-lived GET URL of the stored object whose response has this type and name."""
    storage: Any = field_file.storage
    return str(
        storage.url(
            field_file.name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition(name, disposition),
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.STORAGE_S3_PRESIGN_SECONDS,
        )
    )


def file_response(
    field_file: FieldFile,
    *,
    name: str,
    content_type: str,
    disposition: str = "attachment",
    cache_control: str = "private, no-store",
    missing: str = "Tệp không còn trong kho lưu trữ.",
    redirect: bool = True,
) -> HttpResponseBase:
    """The stored file for a user the view has already let through: streamed, or (S3 with
    presigned downloads on, ``redirect`` allowed) a 302 to a presigned URL. 404 with
    ``missing`` when the row has no file or the storage has lost it."""
    if not field_file:
        raise Http404(missing)
    if redirect and settings.STORAGE_S3_PRESIGNED_DOWNLOADS and is_object_store(field_file.storage):
        response: HttpResponseBase = HttpResponseRedirect(
            presigned_url(field_file, name=name, content_type=content_type, disposition=disposition)
        )
    else:
        try:
            stream, size = open_stream(field_file.storage, field_file.name or "")
        except OSError as exc:
            raise Http404(missing) from exc
        response = FileResponse(stream, content_type=content_type)
        if size is not None:
            response["Content-Length"] = str(size)
        response["Content-Disposition"] = content_disposition(name, disposition)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response
