"""Copying the files of a local ``MEDIA_ROOT`` into the configured store
(``parindex copy_media_to_storage``).

Every ``FileField`` of every model is visited (evidence, documents and their templates,
survey imports and exports, signed decisions, plans' evidence: whatever a later app adds
too). Each file keeps its key, so no database row changes. A file already in the store with
the same content is skipped, so the copy can run again after an interruption, and once more
after the last writes before the switch. Every copied file is read back from the store and
its SHA-256 compared with the local file's and, where the row keeps one (``sha256``,
``<field>_sha256``), with the recorded hash: a local file that no longer matches its record
is reported, never copied.
"""

from __future__ import annotations

import enum
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models

from parindex.core.storage import CHUNK, stored_sha256


class Outcome(enum.Enum):
    COPIED = "đã chép"
    WOULD_COPY = "sẽ chép"
    PRESENT = "đã có trong kho (cùng nội dung)"
    MISSING = "thiếu (không có trên đĩa, không có trong kho)"
    CONFLICT = "trong kho đã có tệp cùng tên khác nội dung"
    MISMATCH = "sai lệch SHA-256"


PROBLEMS = (Outcome.MISSING, Outcome.CONFLICT, Outcome.MISMATCH)


@dataclass(frozen=True)
class FileRef:
    """One file named by one row."""

    label: str
    """``app.Model #pk (field)``, to find the row."""
    name: str
    expected: str | None
    """The SHA-256 the row records for this file, if it keeps one."""


@dataclass(frozen=True)
class FileResult:
    ref: FileRef
    outcome: Outcome
    detail: str = ""


def _hash_field(model: type[models.Model], field: models.FileField) -> str | None:
    """The row's SHA-256 of the file: ``<field>_sha256``, ``<stem>_sha256`` for a field
    ``<stem>_file``, or ``sha256`` for a model's only file."""
    names = {f.name for f in model._meta.concrete_fields}
    stem = field.name.removesuffix("_file")
    for candidate in (f"{field.name}_sha256", f"{stem}_sha256", "sha256"):
        if candidate in names:
            return candidate
    return None


def file_refs() -> Iterator[FileRef]:
    """Every stored file named by a row, model by model, in primary-key order."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            hash_field = _hash_field(model, field)
            columns = ["pk", field.attname] + ([hash_field] if hash_field else [])
            rows = (
                model._base_manager.using("default")
                .exclude(**{field.attname: ""})
                .exclude(**{f"{field.attname}__isnull": True})
                .order_by("pk")
                .values_list(*columns)
            )
            for row in rows.iterator(chunk_size=2000):
                expected = (row[2] or None) if hash_field else None
                label = f"{model._meta.label} #{row[0]} ({field.name})"
                yield FileRef(label=label, name=row[1], expected=expected)


def _local_sha256(source: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with source.open(name, "rb") as handle:
        for chunk in handle.chunks(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _in_store(target: Storage, name: str) -> str | None:
    """The SHA-256 of the store's copy, or None when it has none."""
    if not target.exists(name):
        return None
    try:
        return stored_sha256(target, name)
    except FileNotFoundError:
        return None


def _short(digest: str | None) -> str:
    return (digest or "")[:12] + "…"


def copy_one(ref: FileRef, source: Storage, target: Storage, *, dry_run: bool) -> FileResult:
    """Copy one file (or say why not), verifying the store's copy."""
    stored = _in_store(target, ref.name)
    if not source.exists(ref.name):
        if stored is None:
            return FileResult(ref, Outcome.MISSING)
        if ref.expected and stored != ref.expected:
            detail = f"trong kho {_short(stored)}, đã ghi {_short(ref.expected)}"
            return FileResult(ref, Outcome.MISMATCH, detail)
        return FileResult(ref, Outcome.PRESENT)
    local = _local_sha256(source, ref.name)
    if ref.expected and local != ref.expected:
        detail = f"trên đĩa {_short(local)}, đã ghi {_short(ref.expected)}: không chép"
        return FileResult(ref, Outcome.MISMATCH, detail)
    if stored == local:
        return FileResult(ref, Outcome.PRESENT)
    if stored is not None:
        detail = f"trong kho {_short(stored)}, trên đĩa {_short(local)}: không ghi đè"
        return FileResult(ref, Outcome.CONFLICT, detail)
    if dry_run:
        return FileResult(ref, Outcome.WOULD_COPY)
    with source.open(ref.name, "rb") as handle:
        saved = target.save(ref.name, handle)
    if saved != ref.name:  # the store renamed it: keep nothing under another key
        target.delete(saved)
        return FileResult(ref, Outcome.CONFLICT, f"kho đặt tên khác ({saved}), đã xoá bản chép")
    copied = _in_store(target, ref.name)
    if copied != local:
        detail = f"đọc lại từ kho {_short(copied)}, trên đĩa {_short(local)}"
        return FileResult(ref, Outcome.MISMATCH, detail)
    return FileResult(ref, Outcome.COPIED)


def same_place(source: Storage, target: Storage) -> bool:
    """True when the target is the source folder itself (nothing to copy to)."""
    return (
        isinstance(target, FileSystemStorage)
        and isinstance(source, FileSystemStorage)
        and Path(target.location).resolve() == Path(source.location).resolve()
    )


def copy_all(source: Storage, target: Storage, *, dry_run: bool) -> Iterator[FileResult]:
    """:func:`copy_one` for every file named by a row, each key once."""
    seen: set[str] = set()
    for ref in file_refs():
        if ref.name in seen:
            continue
        seen.add(ref.name)
        yield copy_one(ref, source, target, dry_run=dry_run)


def summary(counts: Counter[Outcome], *, dry_run: bool) -> str:
    """The counts in words, one line."""
    first = (
        f"Sẽ chép {counts[Outcome.WOULD_COPY]} tệp (chạy thử: chưa chép gì)"
        if dry_run
        else f"Đã chép {counts[Outcome.COPIED]} tệp (đã kiểm tra SHA-256 sau khi tải lên)"
    )
    return (
        f"{first}; đã có trong kho: {counts[Outcome.PRESENT]}; "
        f"thiếu: {counts[Outcome.MISSING]}; trùng tên khác nội dung: {counts[Outcome.CONFLICT]}; "
        f"sai lệch SHA-256: {counts[Outcome.MISMATCH]}."
    )
