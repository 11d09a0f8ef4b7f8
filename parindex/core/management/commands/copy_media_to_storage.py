"""``parindex copy_media_to_storage [--source DIR] [--dry-run]``: copy every file named by a
row from the local ``MEDIA_ROOT`` (or ``--source``) into the configured store
(``STORAGE_BACKEND=s3``), skipping what is already there with the same content and reading
every copied file back to check its SHA-256 (see :mod:`parindex.core.storage_copy`). Can be
run again at any time; exit status 1 when a file is missing, differs from its record, or
meets another file under its name in the store."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex.core.storage_copy import PROBLEMS, Outcome, copy_all, same_place, summary


class Command(BaseCommand):
    help = (
        "Chép các tệp đang lưu trên đĩa (MEDIA_ROOT) vào kho lưu trữ đối tượng đã cấu hình, "
        "kiểm tra SHA-256 từng tệp sau khi tải lên."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source", default="", help="thư mục tệp cũ (mặc định: MEDIA_ROOT của cấu hình)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ kiểm tra và đếm, không chép tệp nào"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["source"] or settings.MEDIA_ROOT)
        if not folder.is_dir():
            raise CommandError(f"Không có thư mục nguồn {folder}.")
        source = FileSystemStorage(location=folder)
        if same_place(source, default_storage):
            raise CommandError(
                f"Kho đích chính là thư mục nguồn {folder}: hãy đặt STORAGE_BACKEND=s3 và các "
                "biến STORAGE_S3_* trước khi chép."
            )
        dry_run = bool(options["dry_run"])
        self.stdout.write(f"Chép từ {folder} vào {_describe(default_storage)}…")
        counts: Counter[Outcome] = Counter()
        for result in copy_all(source, default_storage, dry_run=dry_run):
            counts[result.outcome] += 1
            if result.outcome in PROBLEMS:
                detail = f": {result.detail}" if result.detail else ""
                self.stderr.write(
                    f"  {result.outcome.value}: {result.ref.label} {result.ref.name}{detail}"
                )
            elif options["verbosity"] >= 2:
                self.stdout.write(f"  {result.outcome.value}: {result.ref.name}")
        self.stdout.write(summary(counts, dry_run=dry_run))
        problems = sum(counts[o] for o in PROBLEMS)
        if problems:
            raise CommandError(f"Có {problems} tệp cần xem lại (danh sách ở trên).")


def _describe(storage: Any) -> str:
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        endpoint = getattr(storage, "endpoint_url", None) or "AWS S3"
        prefix = f"/{storage.location}" if getattr(storage, "location", "") else ""
        return f"kho S3 {endpoint}, bucket {bucket}{prefix}"
    return f"thư mục {getattr(storage, 'location', '?')}"
