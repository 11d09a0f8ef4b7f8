"""``parindex copy_media_to_storage``: files uploaded while the server kept them on disk are
copied into the S3 store under the same keys, checked by SHA-256, skipped when already
there, and every problem (a local file that no longer matches its record, a lost file,
another file under the same key) is named in Vietnamese with exit status 1."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from pytest_django.fixtures import Settings

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.core.storage_config import FILESYSTEM
from parindex.evidence.models import Evidence
from parindex.evidence.testing import Pdfs
from parindex.evidence.tests.conftest import upload
from parindex.evidence.uploads import evidence_upload
from tests.personas import client_for
from tests.storage.conftest import Store

pytestmark = pytest.mark.django_db


def _copy(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("copy_media_to_storage", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def local(tmp_path: Path) -> Path:
    folder = tmp_path / "old-media"
    folder.mkdir()
    return folder


def _upload_locally(
    settings: Settings, local: Path, files: dict[str, bytes], **where: object
) -> list[Evidence]:
    """Upload as a server without the store did: files under ``local``."""
    on_disk = {"BACKEND": FILESYSTEM, "OPTIONS": {"location": str(local)}}
    with override_settings(STORAGES={**settings.STORAGES, "default": on_disk}):
        return [
            evidence_upload(uploaded_file=upload(name, data), **where)  # type: ignore[arg-type]
            for name, data in files.items()
        ]


def test_copies_checks_skips_and_is_idempotent(
    store: Store,
    settings: Settings,
    local: Path,
    pdfs: Pdfs,
    assessment: Assessment,
    answer: Answer,
    unit_staff: User,
) -> None:
    first, second = _upload_locally(
        settings,
        local,
        {"Kế hoạch.pdf": pdfs.signed_new, "Báo cáo.pdf": pdfs.unsigned},
        assessment=assessment,
        answer=answer,
        actor=unit_staff,
    )
    assert (local / first.file.name).read_bytes() == pdfs.signed_new
    assert store.keys() == []

    out, err = _copy("--source", str(local), "--dry-run")
    assert "Sẽ chép 2 tệp (chạy thử: chưa chép gì)" in out and err == ""
    assert store.keys() == []

    out, err = _copy("--source", str(local))
    assert f"bucket {store.bucket}" in out
    assert "Đã chép 2 tệp (đã kiểm tra SHA-256 sau khi tải lên); đã có trong kho: 0" in out
    assert store.keys() == sorted([first.file.name, second.file.name])
    assert store.get(first.file.name) == pdfs.signed_new
    assert store.get(second.file.name) == pdfs.unsigned

    out, _ = _copy("--source", str(local))
    assert "Đã chép 0 tệp (đã kiểm tra SHA-256 sau khi tải lên); đã có trong kho: 2" in out

    # The rows did not change: the unit downloads the copied file from the store.
    response = client_for(unit_staff).get(reverse("evidence:download", args=[first.pk]))
    assert b"".join(response.streaming_content) == pdfs.signed_new  # type: ignore[attr-defined]
    assert store.local_files() == []


def test_every_problem_is_named_and_fails_the_run(
    store: Store,
    settings: Settings,
    local: Path,
    pdfs: Pdfs,
    assessment: Assessment,
    answer: Answer,
    unit_staff: User,
) -> None:
    changed, lost, taken, fine = _upload_locally(
        settings,
        local,
        {
            "a.pdf": pdfs.signed_new,
            "b.pdf": pdfs.unsigned,
            "c.pdf": pdfs.signed_old,
            "d.pdf": pdfs.signed_twice,
        },
        assessment=assessment,
        answer=answer,
        actor=unit_staff,
    )
    (local / changed.file.name).write_bytes(pdfs.signed_new + b"\n%% changed after upload")
    (local / lost.file.name).unlink()
    store.client.put_object(Bucket=store.bucket, Key=taken.file.name, Body=b"another file")

    out, err_io = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="Có 3 tệp cần xem lại"):
        call_command("copy_media_to_storage", "--source", str(local), stdout=out, stderr=err_io)
    assert "Đã chép 1 tệp" in out.getvalue()
    assert "thiếu: 1; trùng tên khác nội dung: 1; sai lệch SHA-256: 1." in out.getvalue()
    err = err_io.getvalue()
    assert f"sai lệch SHA-256: evidence.Evidence #{changed.pk} (file)" in err
    assert f"đã ghi {changed.sha256[:12]}…: không chép" in err
    assert f"thiếu (không có trên đĩa, không có trong kho): evidence.Evidence #{lost.pk}" in err
    assert f"trong kho đã có tệp cùng tên khác nội dung: evidence.Evidence #{taken.pk}" in err
    assert changed.file.name not in store.keys()  # noqa: SIM118 (a list)
    assert store.get(taken.file.name) == b"another file"  # never overwritten
    assert store.get(fine.file.name) == pdfs.signed_twice


def test_refuses_to_copy_a_folder_onto_itself(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(CommandError, match="Kho đích chính là thư mục nguồn"):
        _copy()
    with pytest.raises(CommandError, match="Không có thư mục nguồn"):
        _copy("--source", str(tmp_path / "khong-co"))
