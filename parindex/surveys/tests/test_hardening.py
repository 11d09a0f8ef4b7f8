"""The survey's imports and exports under hostile or unlucky input (issue 9).

- An XLSX that unpacks past ``IMPORT_MAX_UNPACKED_BYTES`` is refused with a Vietnamese
  message, in the web process and in the worker, before it is unpacked (peak memory).
- A CSV field past the csv module's limit fails the batch with its line, and a failed,
  crashed or interrupted batch never stays "running": the same file can be imported again.
- Times are shown in the installation's time zone (Asia/Ho_Chi_Minh).
- A formula typed into the public form comes out inert in every export of the forms.
- The Excel export runs in the worker with its progress, one at a time per period.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.test import Client, TestCase
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from parindex.accounts.models import User
from parindex.core.tests.bombs import MIB, peak_memory_growth, xlsx_bomb
from parindex.organizations.models import Unit
from parindex.surveys import exports, imports, jobs
from parindex.surveys.import_template import COMMENT, KEY, UNIT, template_headers
from parindex.surveys.models import (
    ImportBatch,
    Questionnaire,
    ResponseExport,
    SamplePlan,
    SurveyResponse,
)
from parindex.surveys.queueing import import_batch_create
from parindex.surveys.selectors import question_codes
from parindex.surveys.tasks import export_survey_responses, import_survey_batch

pytestmark = pytest.mark.django_db

CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
EVIL = '=HYPERLINK("http://evil.example/","Bấm vào đây")'
Status = ImportBatch.Status


@pytest.fixture(autouse=True)
def _isolated(settings: SettingsWrapper, tmp_path: Path) -> None:
    """Uploaded and exported files under the test's directory; tasks run at once."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "reports"],
        }
    }
    caches["default"].clear()


def _csv(questionnaire: Questionnaire, rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=template_headers(questionnaire))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _row(questionnaire: Questionnaire, key: str, **extra: str) -> dict[str, str]:
    return {
        KEY: key,
        UNIT: "T-XA-THANHSON",
        **{c: "4" for c in question_codes(questionnaire)},
        **extra,
    }


def _upload(client: Client, period_pk: int, name: str, data: bytes, **extra: Any) -> Any:
    upload = io.BytesIO(data)
    upload.name = name
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker runs it at once
        return client.post(f"/khao-sat/{period_pk}/nhap/", {"file": upload}, **extra)


# --------------------------------------------------------------------------- XLSX bomb


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_unpacked(
    chair_client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    tmp_path: Path,
) -> None:
    """Done-when of issue 9: a survey XLSX of under 1 MB that unpacks to 300 MiB (the
    default limit is 256 MiB) is refused with a clear message, in the upload and in the
    worker, and the process's peak memory rose by less than 300 MiB meanwhile."""
    period = questionnaire.period
    bomb = xlsx_bomb(tmp_path / "bom.xlsx", unpacked_bytes=300 * MIB)
    data = bomb.read_bytes()
    assert len(data) < 2 * MIB
    with peak_memory_growth() as memory:
        page = _upload(chair_client, period.pk, "phieu-giay.xlsx", data)
        stored = ImportBatch.objects.create(
            period=period, file_name="phieu-giay.xlsx", sha256="0" * 64, created_by=None
        )
        stored.file.save("bom.xlsx", ContentFile(data))
        outcome = import_survey_batch.call(stored.pk)  # the worker's own check
    assert memory.grown < 300 * MIB, memory
    assert page.status_code == 400
    text = page.content.decode()
    assert "Tệp “phieu-giay.xlsx”: bảng tính quá lớn khi giải nén" in text
    assert "tối đa 256 MB" in text
    assert not ImportBatch.objects.exclude(pk=stored.pk).exists()  # the upload stored nothing
    assert outcome == Status.FAILED
    stored.refresh_from_db()
    assert "bảng tính quá lớn khi giải nén" in stored.errors[0]
    assert not SurveyResponse.objects.exists()


def test_a_workbook_within_the_limits_still_imports(
    chair_client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    headers = template_headers(questionnaire)
    sheet.append(headers)
    row = _row(questionnaire, "X-1")
    sheet.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    book.save(out)
    response = _upload(chair_client, questionnaire.period.pk, "phieu.xlsx", out.getvalue())
    assert response.status_code == 302
    assert ImportBatch.objects.get().status == Status.DONE
    assert SurveyResponse.objects.filter(form_key="X-1").exists()


# --------------------------------------------------------------------------- CSV limits


def test_a_csv_field_past_the_limit_fails_the_batch_with_its_line_then_a_fixed_file_imports(
    chair_client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    """A comment of 131,073 characters made the csv module raise "field larger than field
    limit" and the batch stayed running; now the batch fails with the line, the same file
    may be sent again (it is refused again, not "đã được nhập"), and the corrected file
    imports."""
    period = questionnaire.period
    rows = [_row(questionnaire, "P-1"), _row(questionnaire, "P-2", **{COMMENT: "x" * 131_073})]
    bad = _csv(questionnaire, rows)
    response = _upload(chair_client, period.pk, "dot-1.csv", bad)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == Status.FAILED
    assert batch.errors == [
        "Tệp “dot-1.csv”, dòng 3: có ô dài hơn 32.767 ký tự (giới hạn của một ô); "
        "hãy sửa ô này rồi nhập lại."
    ]
    page = chair_client.get(response["Location"]).content.decode()
    assert "Tệp bị từ chối" in page and "dòng 3: có ô dài hơn 32.767 ký tự" in page
    assert not SurveyResponse.objects.exists()

    again = _upload(chair_client, period.pk, "dot-1.csv", bad, follow=True)
    assert "đã được nhập" not in again.content.decode()
    assert ImportBatch.objects.get().status == Status.FAILED

    rows[1][COMMENT] = "Thủ tục nhanh"
    fixed = _upload(chair_client, period.pk, "dot-1-sua.csv", _csv(questionnaire, rows))
    assert fixed.status_code == 302
    assert ImportBatch.objects.get(file_name="dot-1-sua.csv").status == Status.DONE
    assert SurveyResponse.objects.count() == 2


def test_too_many_columns_are_refused_with_the_line(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, settings: SettingsWrapper
) -> None:
    settings.IMPORT_MAX_COLUMNS = 30
    data = _csv(questionnaire, [_row(questionnaire, "P-1")]) + b"P-2," + b"1," * 40 + b"\n"
    batch = imports.responses_import(
        period=questionnaire.period, name="rong.csv", data=data, actor=None
    )
    assert batch.status == Status.FAILED
    assert batch.errors == ["Tệp “rong.csv”, dòng 3: có 42 cột, tối đa 30 cột."]


# --------------------------------------------------------------------------- never stuck


def test_an_unexpected_error_in_the_worker_fails_the_batch_with_a_plain_message(
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, "_import_all", broken)
    batch, new = import_batch_create(
        period=questionnaire.period,
        name="a.csv",
        data=_csv(questionnaire, [_row(questionnaire, "P-1")]),
        actor=None,
    )
    assert new
    assert import_survey_batch.call(batch.pk) == Status.FAILED
    batch.refresh_from_db()
    assert batch.errors == [imports.IMPORT_FAILED] and batch.finished_at is not None
    assert "the database went away" in caplog.text  # the details go to the log


def test_an_interrupted_import_is_released_and_the_same_file_imports_again(
    chair_client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    """A worker killed mid-import left the batch "running" and the same file was refused
    as already imported. After :data:`jobs.STALE_AFTER` the pages show it failed with the
    reason, its late task does nothing, and the same file is imported again."""
    period = questionnaire.period
    data = _csv(questionnaire, [_row(questionnaire, "P-1"), _row(questionnaire, "P-2")])
    batch, _ = import_batch_create(period=period, name="dot-1.csv", data=data, actor=None)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.RUNNING, created_at=timezone.now() - jobs.STALE_AFTER - dt.timedelta(1)
    )
    page = chair_client.get(f"/khao-sat/{period.pk}/nhap/{batch.pk}/").content.decode()
    assert "Bị gián đoạn: quá 60 phút chưa xong" in page
    assert 'hx-trigger="every 2s"' not in page  # nothing left to poll
    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert import_survey_batch.call(batch.pk) == Status.FAILED  # the late task: nothing
    assert not SurveyResponse.objects.exists()

    again = _upload(chair_client, period.pk, "dot-1.csv", data, follow=True)
    assert "đã được nhập" not in again.content.decode()
    batch.refresh_from_db()
    assert batch.status == Status.DONE and batch.stored == 2
    assert batch.created_at > timezone.now() - dt.timedelta(minutes=5)  # its clock restarted


def test_a_running_import_within_the_hour_is_left_alone(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    batch, _ = import_batch_create(
        period=questionnaire.period,
        name="a.csv",
        data=_csv(questionnaire, [_row(questionnaire, "P-1")]),
        actor=None,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.RUNNING)
    assert imports.batches_release_interrupted(period=questionnaire.period) == 0
    batch.refresh_from_db()
    assert batch.status == Status.RUNNING
    assert import_survey_batch.call(batch.pk) == Status.RUNNING  # taken by another worker


# --------------------------------------------------------------------------- time zone


def test_upload_times_are_shown_in_the_installations_time_zone(
    chair_client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    period = questionnaire.period
    data = _csv(questionnaire, [_row(questionnaire, "P-1")])
    _upload(chair_client, period.pk, "dot-1.csv", data)
    ImportBatch.objects.update(created_at=dt.datetime(2025, 10, 15, 1, 30, tzinfo=dt.UTC))
    again = _upload(chair_client, period.pk, "dot-1.csv", data, follow=True)
    text = again.content.decode()
    assert "Tệp này đã được nhập lúc 08:30 15/10/2025; không nhập lại." in text  # UTC+7
    assert "Tải lên lúc 08:30 15/10/2025" in text
    listing = chair_client.get(f"/khao-sat/{period.pk}/nhap/").content.decode()
    assert "08:30 15/10/2025" in listing and "01:30 15/10/2025" not in listing


# --------------------------------------------------------------------------- formulas


def _export_xlsx(client: Client, period_pk: int, capture: CaptureOnCommit) -> openpyxl.Workbook:
    with capture(execute=True):
        started = client.post(f"/khao-sat/{period_pk}/xuat-phieu/")
    assert started.status_code == 302
    export = ResponseExport.objects.filter(period_id=period_pk).first()
    assert export is not None and export.status == ResponseExport.Status.DONE, export
    download = client.get(f"/khao-sat/{period_pk}/xuat-phieu/{export.pk}/tai-ve/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    return openpyxl.load_workbook(io.BytesIO(content))


def test_a_formula_typed_into_the_public_form_comes_out_inert_in_every_export(
    client: Client,
    chair_client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    plan = plans["T-XA-THANHSON"]
    Unit.objects.filter(pk=plan.unit_id).update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    posted = client.post(
        f"/phieu/{plan.public_key}/",
        {**{c: "5" for c in question_codes(questionnaire)}, "gop_y": EVIL},
    )
    assert posted.status_code == 200 and "Cảm ơn" in posted.content.decode()
    assert SurveyResponse.objects.get().comment == EVIL  # stored as typed
    period = questionnaire.period

    streamed = chair_client.get(f"/khao-sat/{period.pk}/phieu.csv")
    assert streamed.streaming
    raw = b"".join(streamed.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    table = list(csv.DictReader(io.StringIO(raw)))
    assert table[0][COMMENT] == "'" + EVIL
    assert table[0]["Tên đơn vị"] == "'@SUM(1+1)*cmd|' /C calc'!A0"

    book = _export_xlsx(chair_client, period.pk, django_capture_on_commit_callbacks)
    sheet = book.active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    header = [cell.value for cell in sheet[1]]
    comment = sheet.cell(row=2, column=header.index(COMMENT) + 1)
    assert isinstance(comment.value, str) and comment.value.startswith("'=")
    assert comment.value == "'" + EVIL and comment.data_type != "f"
    name = sheet.cell(row=2, column=header.index("Tên đơn vị") + 1)
    assert name.value == "'@SUM(1+1)*cmd|' /C calc'!A0" and name.data_type != "f"


# --------------------------------------------------------------------------- Excel job


def test_the_excel_export_runs_in_the_worker_with_its_progress(
    chair_client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = questionnaire.period
    imports.responses_import(
        period=period,
        name="a.csv",
        data=_csv(questionnaire, [_row(questionnaire, f"P-{n}") for n in range(25)]),
        actor=None,
    )
    old = chair_client.get(f"/khao-sat/{period.pk}/phieu.xlsx")  # the old address still works
    assert old.status_code == 302 and old["Location"] == f"/khao-sat/{period.pk}/xuat-phieu/"
    page = chair_client.get(old["Location"]).content.decode()
    assert "Tạo tệp Excel" in page

    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = chair_client.post(f"/khao-sat/{period.pk}/xuat-phieu/")
    export = ResponseExport.objects.get()
    assert started["Location"] == f"/khao-sat/{period.pk}/xuat-phieu/{export.pk}/"
    assert export.status == ResponseExport.Status.QUEUED and export.rows_total == 25
    waiting = chair_client.get(started["Location"]).content.decode()
    assert "Đang chờ đến lượt tạo tệp" in waiting and 'hx-trigger="every 1s"' in waiting
    assert chair_client.get(f"{started['Location']}tai-ve/").status_code == 404
    # One at a time: a second click leads to the same export.
    second = chair_client.post(f"/khao-sat/{period.pk}/xuat-phieu/", follow=True)
    assert "Tệp Excel đang được tạo" in second.content.decode()
    assert ResponseExport.objects.count() == 1
    assert (
        chair_client.get(f"/khao-sat/{period.pk}/xuat-phieu/")["Location"] == (started["Location"])
    )

    for callback in queued:
        callback()
    export.refresh_from_db()
    assert export.status == ResponseExport.Status.DONE
    assert export.rows_done == export.rows_total == 25 and export.percent == 100
    fragment = chair_client.get(started["Location"], headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert 'id="tien-do-xuat"' in text and "hx-trigger" not in text
    assert "Đã tạo tệp Excel gồm 25 phiếu" in text and "Tải tệp Excel" in text
    download = chair_client.get(f"{started['Location']}tai-ve/")
    assert 'filename="phieu-khao-sat-2025.xlsx"' in download["Content-Disposition"]
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    ).active
    assert sheet is not None and sheet.max_row == 26
    assert export_survey_responses.call(export.pk) == ResponseExport.Status.DONE  # not rerun

    # A newer export replaces the older file (the forms hold personal comments).
    with django_capture_on_commit_callbacks(execute=True):
        chair_client.post(f"/khao-sat/{period.pk}/xuat-phieu/")
    export.refresh_from_db()
    assert not export.file
    assert chair_client.get(f"{started['Location']}tai-ve/").status_code == 404


def test_a_failed_or_interrupted_export_says_why_and_a_new_one_can_start(
    chair_client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    django_capture_on_commit_callbacks: CaptureOnCommit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    period = questionnaire.period

    def broken(*args: Any) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(exports, "_write_xlsx", broken)
    with django_capture_on_commit_callbacks(execute=True):
        chair_client.post(f"/khao-sat/{period.pk}/xuat-phieu/")
    failed = ResponseExport.objects.get()
    assert failed.status == ResponseExport.Status.FAILED and failed.error == exports.EXPORT_FAILED
    page = chair_client.get(f"/khao-sat/{period.pk}/xuat-phieu/{failed.pk}/").content.decode()
    assert "Không tạo được tệp Excel" in page and "hx-trigger" not in page
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=False):
        chair_client.post(f"/khao-sat/{period.pk}/xuat-phieu/")
    stuck = ResponseExport.objects.get(status=ResponseExport.Status.QUEUED)
    ResponseExport.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - jobs.STALE_AFTER - dt.timedelta(minutes=1)
    )
    page = chair_client.get(f"/khao-sat/{period.pk}/xuat-phieu/{stuck.pk}/").content.decode()
    assert "Bị gián đoạn" in page
    assert export_survey_responses.call(stuck.pk) == ResponseExport.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        chair_client.post(f"/khao-sat/{period.pk}/xuat-phieu/")
    assert ResponseExport.objects.filter(status=ResponseExport.Status.DONE).count() == 1


def test_exports_are_the_councils_only(
    chair_client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    commune: Unit,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = questionnaire.period
    with django_capture_on_commit_callbacks(execute=True):
        chair_client.post(f"/khao-sat/{period.pk}/xuat-phieu/")
    export = ResponseExport.objects.get()
    outsider = Client()
    outsider.force_login(
        User.objects.create_user(
            username="canbo.xa.2", password="x", role="unit_staff", unit=commune
        )
    )
    for url in (
        f"/khao-sat/{period.pk}/xuat-phieu/",
        f"/khao-sat/{period.pk}/xuat-phieu/{export.pk}/",
        f"/khao-sat/{period.pk}/xuat-phieu/{export.pk}/tai-ve/",
        f"/khao-sat/{period.pk}/phieu.csv",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/khao-sat/{period.pk}/xuat-phieu/").status_code == 404
    assert ResponseExport.objects.count() == 1


# --------------------------------------------------------------------------- rate limit


def test_the_public_forms_rate_limit_counts_in_the_shared_cache(
    client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    """The count lives in the ``default`` cache (Redis when REDIS_URL is set), so several
    app servers share it; nothing is kept in the process."""
    plan = plans["T-XA-THANHSON"]
    answers = {c: "4" for c in question_codes(questionnaire)}
    client.post(f"/phieu/{plan.public_key}/", answers)
    client.cookies.clear()  # a second device (one form a device)
    client.post(f"/phieu/{plan.public_key}/", answers)
    assert caches["default"].get(f"khao-sat:{plan.pk}:127.0.0.1") == 2
