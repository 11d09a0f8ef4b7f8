"""Survey pages: the public form (no account, rate-limited), the council's pages (404 for
people outside the council, 403 for an observer who tries to act), import with progress,
the computation with progress, results, exports and the QR sheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Unit
from parindex.surveys import public_views
from parindex.surveys.import_template import KEY, UNIT, template_headers
from parindex.surveys.models import (
    ImportBatch,
    Questionnaire,
    ResponseExport,
    SamplePlan,
    SurveyComputation,
    SurveyResponse,
    SurveyResult,
)
from parindex.surveys.selectors import question_codes

pytestmark = pytest.mark.django_db

CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def immediate_tasks(settings: SettingsWrapper) -> None:
    """Background tasks run at once, in the request (the page then shows the outcome)."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "reports"],
        }
    }


def _answers(questionnaire: Questionnaire, value: int) -> dict[str, str]:
    return {code: str(value) for code in question_codes(questionnaire)}


# --------------------------------------------------------------------------- public


def test_the_public_form_needs_no_account(
    client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    plan = plans["T-XA-THANHSON"]
    page = client.get(f"/phieu/{plan.public_key}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "UBND xã Thanh Sơn" in text
    assert "Tiếp cận dịch vụ" in text and "Rất hài lòng" in text
    done = client.post(
        f"/phieu/{plan.public_key}/",
        {**_answers(questionnaire, 5), "TUOI": "Từ 40 đến 59", "gop_y": "Tốt"},
    )
    assert done.status_code == 200
    assert "Cảm ơn" in done.content.decode()
    stored = SurveyResponse.objects.get()
    assert stored.respondent == {"TUOI": "Từ 40 đến 59"}
    assert stored.comment == "Tốt"


def test_a_bad_public_form_says_why_and_keeps_nothing(
    client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    plan = plans["T-XA-THANHSON"]
    page = client.post(f"/phieu/{plan.public_key}/", {**_answers(questionnaire, 5), "TT1": "8"})
    assert page.status_code == 400
    assert "hãy chọn một mức từ 1 đến 5" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_unknown_or_unsurveyed_forms_are_404(client: Client, plans: dict[str, SamplePlan]) -> None:
    assert client.get("/phieu/khong-co-ma-nay/").status_code == 404
    assert client.get(f"/phieu/{plans['T-XA-HOABINH'].public_key}/").status_code == 404
    assert client.get(f"/phieu/{plans['T-XA-THANHSON'].public_key}/qr.svg").status_code == 200


def test_the_public_form_is_rate_limited(
    client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(public_views, "PUBLIC_LIMIT", 3)
    plan = plans["T-XA-THANHSON"]
    codes = []
    for _ in range(4):
        client.cookies.clear()  # another device behind the same address (one form a device)
        codes.append(
            client.post(f"/phieu/{plan.public_key}/", _answers(questionnaire, 4)).status_code
        )
    assert codes == [200, 200, 200, 429]
    assert SurveyResponse.objects.count() == 3


# --------------------------------------------------------------------------- council


def test_only_the_council_sees_the_survey(
    chair_client: Client,
    observer_client: Client,
    unit_staff_client: Client,
    client: Client,
    plans: dict[str, SamplePlan],
) -> None:
    period = next(iter(plans.values())).period
    assert chair_client.get(f"/khao-sat/{period.pk}/").status_code == 200
    assert observer_client.get(f"/khao-sat/{period.pk}/").status_code == 200
    assert unit_staff_client.get(f"/khao-sat/{period.pk}/").status_code == 404
    assert client.get(f"/khao-sat/{period.pk}/").status_code == 302  # to the sign-in page
    assert observer_client.post(f"/khao-sat/{period.pk}/tinh-diem/").status_code == 403
    assert unit_staff_client.post(f"/khao-sat/{period.pk}/tinh-diem/").status_code == 404
    assert not SurveyComputation.objects.exists()
    assert unit_staff_client.get(f"/khao-sat/{period.pk}/ket-qua.csv").status_code == 404
    assert chair_client.get("/khao-sat/").status_code == 200


def test_the_chair_sets_up_a_period(chair_client: Client, survey_period: Any) -> None:
    page = chair_client.get(f"/khao-sat/{survey_period.pk}/")
    assert "Tạo phiếu mặc định" in page.content.decode()
    chair_client.post(f"/khao-sat/{survey_period.pk}/thiet-lap/", {"action": "default"})
    chair_client.post(f"/khao-sat/{survey_period.pk}/thiet-lap/", {"action": "plans"})
    assert Questionnaire.objects.filter(period=survey_period).exists()
    assert SamplePlan.objects.filter(period=survey_period).count() == 3
    page = chair_client.get(f"/khao-sat/{survey_period.pk}/?q=thanh son")
    text = page.content.decode()
    assert "UBND xã Thanh Sơn" in text and "UBND xã Hòa Bình" not in text


def _csv(questionnaire: Questionnaire, rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=template_headers(questionnaire))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_import_compute_results_and_exports(
    chair_client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    commune: Unit,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = questionnaire.period
    rows = [
        {KEY: f"P-{n}", UNIT: "T-XA-THANHSON", **_answers(questionnaire, 4 + n % 2)}
        for n in range(40)
    ]
    upload = io.BytesIO(_csv(questionnaire, rows))
    upload.name = "dot-1.csv"
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs it at once
        response = chair_client.post(f"/khao-sat/{period.pk}/nhap/", {"file": upload})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = chair_client.get(response["Location"])
    assert "Đã nhập 40 phiếu" in page.content.decode()
    assert batch.pk
    # Progress fragment for htmx polling.
    fragment = chair_client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'id="tien-do-nhap"' in fragment.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the worker runs it at once
        computed = chair_client.post(f"/khao-sat/{period.pk}/tinh-diem/")
    computation = SurveyComputation.objects.get()
    assert computed.status_code == 302
    assert computed["Location"] == f"/khao-sat/{period.pk}/tinh-diem/{computation.pk}/"
    text = chair_client.get(computed["Location"]).content.decode()
    assert "Đã tính điểm khảo sát của 2 đơn vị từ 40 phiếu hợp lệ / 40 phiếu." in text
    assert f"1 đơn vị chưa có phiếu hợp lệ nào (chưa có điểm): {commune.name}" in text
    assert f'href="/khao-sat/{period.pk}/ket-qua/"' in text
    assert "hx-trigger" not in text  # done: nothing to poll
    overview = chair_client.get(f"/khao-sat/{period.pk}/").content.decode()
    assert "Tính điểm khảo sát lần gần nhất lúc" in overview
    assert "40 phiếu hợp lệ / 40 phiếu" in overview
    page = chair_client.get(f"/khao-sat/{period.pk}/ket-qua/")
    text = page.content.decode()
    assert "UBND xã Thanh Sơn" in text and "du-lieu-bieu-do" in text
    assert "10,00" in text  # every answer 4 or 5: 100 % satisfied → 10 points

    exported = chair_client.get(f"/khao-sat/{period.pk}/ket-qua.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(exported)))
    assert table[0][0] == "Mã đơn vị"
    thanh_son = next(r for r in table if r[0] == "T-XA-THANHSON")
    assert thanh_son[-2] == "10.00"
    book = openpyxl.load_workbook(
        io.BytesIO(chair_client.get(f"/khao-sat/{period.pk}/ket-qua.xlsx").content)
    )
    assert book.active is not None and book.active.max_row == len(table)

    # The Excel workbook of the forms is written by the worker (the old address leads there).
    assert chair_client.get(f"/khao-sat/{period.pk}/phieu.xlsx")["Location"] == (
        f"/khao-sat/{period.pk}/xuat-phieu/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        chair_client.post(f"/khao-sat/{period.pk}/xuat-phieu/")
    export = ResponseExport.objects.get()
    download = chair_client.get(f"/khao-sat/{period.pk}/xuat-phieu/{export.pk}/tai-ve/")
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    ).active
    assert sheet is not None and sheet.max_row == 41
    assert [c.value for c in sheet[1]][:2] == ["Mã phiếu", "Mã đơn vị"]
    assert chair_client.get(f"/khao-sat/{period.pk}/phieu.pdf").status_code == 404
    forms = chair_client.get(f"/khao-sat/{period.pk}/phieu.csv")
    lines = b"".join(forms.streaming_content).decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 41
    assert lines[0].startswith("Mã phiếu,Mã đơn vị")

    unit = plans["T-XA-THANHSON"].unit
    detail = chair_client.get(f"/khao-sat/{period.pk}/ket-qua/{unit.pk}/")
    assert "Tỷ lệ hài lòng theo yếu tố" in detail.content.decode()


def test_the_computation_shows_its_progress_to_the_council_only(
    chair_client: Client,
    observer_client: Client,
    unit_staff_client: Client,
    client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = questionnaire.period
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            period=period,
            unit=plans["T-XA-THANHSON"].unit,
            source="online",
            channel="online",
            form_key=f"W-{n}",
            answers=dict.fromkeys(question_codes(questionnaire), 5),
        )
        for n in range(3)
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = chair_client.post(f"/khao-sat/{period.pk}/tinh-diem/")
    computation = SurveyComputation.objects.get()
    url = f"/khao-sat/{period.pk}/tinh-diem/{computation.pk}/"
    assert started["Location"] == url

    page = chair_client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page
    assert "Đang chờ đến lượt tính" in page
    assert "js/results-progress.js" in page  # sets the bar's width from data-percent
    assert observer_client.get(url).status_code == 200
    fragment = observer_client.get(url, headers=HTMX)
    assert fragment.status_code == 200
    assert fragment.content.decode().startswith('<div id="tien-do-tinh-diem"')
    assert unit_staff_client.get(url, headers=HTMX).status_code == 404
    assert unit_staff_client.get(url).status_code == 404
    assert client.get(url, headers=HTMX).status_code == 302  # to the sign-in page
    assert (
        chair_client.get(f"/khao-sat/{period.pk}/tinh-diem/{computation.pk + 1}/").status_code
        == 404
    )

    # A second click while it is queued is refused, and the overview says it is running.
    refused = chair_client.post(f"/khao-sat/{period.pk}/tinh-diem/", follow=True)
    text = refused.content.decode()
    assert "đang được tính; hãy chờ lượt tính này xong rồi mới tính lại" in text
    assert "Đang tính điểm khảo sát" in text and "Xem tiến độ" in text
    assert SurveyComputation.objects.filter(status="queued").count() == 1

    SurveyComputation.objects.filter(pk=computation.pk).update(
        status="running", forms_done=20_000, forms_total=80_000
    )
    running = chair_client.get(url, headers=HTMX).content.decode()
    assert "đã đọc 20.000 / 80.000 phiếu" in running
    assert 'data-percent="25"' in running and 'hx-trigger="every 1s"' in running

    # (back to queued, as the worker would find it, so that the task below takes it)
    SurveyComputation.objects.filter(pk=computation.pk).update(
        status="queued", forms_done=0, forms_total=0
    )
    for callback in queued:  # the worker runs the task (immediate backend)
        callback()
    done = chair_client.get(url, headers=HTMX).content.decode()
    assert "hx-trigger" not in done  # the fragment stops polling
    assert "Đã tính điểm khảo sát của 2 đơn vị từ 3 phiếu hợp lệ / 3 phiếu." in done
    assert "1 đơn vị chưa đủ số phiếu hợp lệ tối thiểu." in done  # 3 of the 30 needed
    assert "Xem kết quả khảo sát" in done
    assert SurveyResult.objects.filter(period=period).count() == 2


def test_a_failed_computation_says_why(
    chair_client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = questionnaire.period
    CriteriaSet.objects.update(survey_max=None)
    with django_capture_on_commit_callbacks(execute=True):
        started = chair_client.post(f"/khao-sat/{period.pk}/tinh-diem/")
    page = chair_client.get(started["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Không tính được điểm khảo sát." in text
    assert "không có điểm khảo sát: hãy ghi điểm khảo sát tối đa vào bộ tiêu chí" in text
    assert "Traceback" not in text and "hx-trigger" not in text
    overview = chair_client.get(f"/khao-sat/{period.pk}/").content.decode()
    assert "không thành công" in overview
    assert "Tính điểm khảo sát</button>" in overview  # the chair may try again


def test_what_needs_no_form_is_refused_at_once(
    chair_client: Client, survey_period: Any, questionnaire: Questionnaire
) -> None:
    refused = chair_client.post(f"/khao-sat/{survey_period.pk}/tinh-diem/", follow=True)
    assert "chưa có kế hoạch khảo sát" in refused.content.decode()
    assert not SurveyComputation.objects.exists()


def test_a_refused_upload_shows_the_rows(
    chair_client: Client,
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = questionnaire.period
    upload = io.BytesIO(
        _csv(questionnaire, [{KEY: "P-1", UNIT: "T-XA-THANHSON", **_answers(questionnaire, 6)}])
    )
    upload.name = "sai.csv"
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs it at once
        response = chair_client.post(f"/khao-sat/{period.pk}/nhap/", {"file": upload})
    page = chair_client.get(response["Location"]).content.decode()
    assert "Tệp bị từ chối" in page
    assert "Dòng 2, cột “TC1”" in page
    assert not SurveyResponse.objects.exists()
    not_a_table = io.BytesIO(b"%PDF-1.7")
    not_a_table.name = "phieu.pdf"
    refused = chair_client.post(f"/khao-sat/{period.pk}/nhap/", {"file": not_a_table})
    assert refused.status_code == 400
    assert "Chỉ nhận tệp CSV hoặc Excel" in refused.content.decode()


def test_templates_and_qr_sheet(
    chair_client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    period = questionnaire.period
    xlsx = chair_client.get(f"/khao-sat/{period.pk}/mau.xlsx")
    assert xlsx.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["Phiếu", "Hướng dẫn"]
    assert chair_client.get(f"/khao-sat/{period.pk}/mau.csv").content.startswith(
        "\ufeffMã phiếu".encode()
    )
    assert chair_client.get(f"/khao-sat/{period.pk}/mau.pdf").status_code == 404
    plan = plans["T-XA-THANHSON"]
    sheet = chair_client.get(f"/khao-sat/{period.pk}/qr/{plan.pk}/").content.decode()
    assert "<svg" in sheet and f"/phieu/{plan.public_key}/" in sheet


def test_the_chair_edits_a_plan_and_issues_codes(
    chair_client: Client, observer_client: Client, plans: dict[str, SamplePlan]
) -> None:
    plan = plans["T-XA-THANHSON"]
    url = f"/khao-sat/{plan.period_id}/ke-hoach/{plan.pk}/"
    assert observer_client.post(url, {"target_forms": "5"}).status_code == 403
    chair_client.post(
        url, {"surveyed": "on", "target_forms": "120", "channel": "online", "tokens_required": "on"}
    )
    plan.refresh_from_db()
    assert (plan.target_forms, plan.channel, plan.tokens_required) == (120, "online", True)
    refused = chair_client.post(url, {"surveyed": "on", "target_forms": "nhiều"}, follow=True)
    assert "Số phiếu cần thu phải là số nguyên." in refused.content.decode()
    chair_client.post(url, {"action": "tokens", "count": "3"})
    assert plan.tokens.count() == 3
    sheet = chair_client.get(f"/khao-sat/{plan.period_id}/qr/{plan.pk}/").content.decode()
    assert all(t.token in sheet for t in plan.tokens.all())


def test_the_chair_edits_the_questionnaire_page(
    chair_client: Client, observer_client: Client, questionnaire: Questionnaire
) -> None:
    url = f"/khao-sat/{questionnaire.period_id}/phieu-khao-sat/"
    assert observer_client.get(url).status_code == 403
    page = chair_client.get(url)
    assert page.status_code == 200
    assert "# TC | Tiếp cận dịch vụ | 1" in page.content.decode()
    form = {
        "name": "Phiếu khảo sát 2025",
        "introduction": "",
        "scale_labels": "Không hài lòng\nBình thường\nHài lòng",
        "satisfied_at": "3",
        "min_answered_share": "0,6",
        "min_forms": "20",
        "points_slope": "",
        "points_intercept": "0",
        "rounding_mode": "truncate",
        "rounding_places": "2",
        "outline": "# A | Tiếp cận | 1\nA1 | Dễ tìm thông tin\n# B | Kết quả | 1\nB1 | Đúng hẹn",
    }
    assert chair_client.post(url, form).status_code == 302
    questionnaire.refresh_from_db()
    assert (questionnaire.scale_max, questionnaire.satisfied_at) == (3, 3)
    assert questionnaire.min_answered_share == Decimal("0.6")
    refused = chair_client.post(url, {**form, "satisfied_at": "7", "min_forms": "x"})
    assert refused.status_code == 400
    assert "Số phiếu hợp lệ tối thiểu: “x” phải là số nguyên không âm." in refused.content.decode()
