"""Publishing goes through its confirmation page (/ket-qua/<kỳ>/cong-bo/): GET shows the
version it creates, what changes against the published one and the decision; POST
publishes. The decision's date must be near the period."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from parindex.results.models import ResultRow, ResultVersion, VersionStatus
from parindex.results.services import decision_date_problem
from parindex.results.tests.conftest import Scenario
from parindex.results.tests.test_manage_views import (  # noqa: F401 (fixtures)
    DECISION,
    CaptureOnCommit,
    _compute,
    _html,
    chair,
    desk,
    immediate_tasks,
)

pytestmark = pytest.mark.django_db


def test_a_decision_signed_years_after_the_period_is_refused() -> None:
    """A 2023 period's results are published by a decision of 2023–2025; 2026 is a typo."""
    assert decision_date_problem(datetime.date(2025, 12, 31), 2023) is None
    problem = decision_date_problem(datetime.date(2026, 1, 1), 2023)
    assert problem == (
        "Ngày ký 01/01/2026 quá xa kỳ đánh giá năm 2023: quyết định công bố kết quả năm 2023 "
        "được ký trong các năm 2023–2025."
    )


def test_the_publish_form_refuses_a_future_or_far_decision_date_on_the_field(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    far = datetime.date(2026, 6, 1) if today >= datetime.date(2026, 6, 1) else today
    for day, message in (
        ("02/12/2062", "Ngày ký 02/12/2062 chưa đến (hôm nay là "),
        (f"{far:%d/%m/%Y}", f"Ngày ký {far:%d/%m/%Y} quá xa kỳ đánh giá năm 2023"),
    ):
        refused = chair_client.post(f"{desk(period)}cong-bo/", {**DECISION, "decision_date": day})
        assert refused.status_code == 400
        [error] = refused.context["publish_form"].errors["decision_date"]
        assert error.startswith(message), error
        assert message in _html(refused)
    assert not ResultVersion.objects.published().exists()


REVIEW = {k: v for k, v in DECISION.items() if k != "confirm"}


def _seen(html: str) -> str:
    return html.split('name="seen" value="')[1].split('"')[0]


def test_the_desk_sends_the_decision_to_the_confirmation_page_not_a_bare_confirm(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    html = _html(chair_client.get(desk(period)))
    assert f'<form method="get" action="{desk(period)}cong-bo/"' in html
    assert "Công bố kết quả…" in html
    assert "data-confirm" not in html and "hx-confirm" not in html and "confirm(" not in html
    assert 'name="confirm"' not in html


def test_the_confirmation_page_shows_the_version_and_decision_then_post_publishes(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    url = f"{desk(period)}cong-bo/"
    page = chair_client.get(url, REVIEW)
    assert page.status_code == 200
    html = _html(page)
    draft = ResultVersion.objects.get(period=period)
    assert "Công bố kết quả: phiên bản 1" in html
    assert f"Lần công bố đầu tiên của kỳ: {draft.units_count} đơn vị được công khai." in html
    assert "125/QĐ-UBND" in html and "01/03/2024" in html and "Trần Văn Hùng" in html
    assert 'id="nut-xac-nhan-cong-bo"' in html and "Xác nhận công bố" in html
    assert not ResultVersion.objects.published().exists()  # GET publishes nothing

    done = chair_client.post(url, {**DECISION, "seen": _seen(html)})
    assert done.status_code == 302
    version = ResultVersion.objects.get(period=period)
    assert (version.status, version.number) == (VersionStatus.PUBLISHED, 1)


def test_a_bad_decision_is_shown_on_the_confirmation_page_before_anything_is_published(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    page = chair_client.get(f"{desk(period)}cong-bo/", {**REVIEW, "decision_date": "02/12/2062"})
    assert page.status_code == 400
    html = _html(page)
    assert "Ngày ký 02/12/2062 chưa đến" in html and "is-invalid" in html
    assert 'name="seen"' not in html  # no confirmation until the decision is right
    assert not ResultVersion.objects.published().exists()


def test_a_correction_lists_what_changes_and_a_recomputed_draft_is_shown_again(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    url = f"{desk(period)}cong-bo/"
    assert chair_client.post(url, DECISION).status_code == 302
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    correction = {**REVIEW, "decision_number": "130/QĐ-UBND", "reason": "Sai điểm tiêu chí 2"}

    same = _html(chair_client.get(url, correction))
    assert "Công bố đính chính: phiên bản 2" in same
    assert "Không có đơn vị nào thay đổi thứ hạng, chỉ số hay xếp loại so với phiên bản 1." in same

    draft = ResultVersion.objects.get(period=period, status=VersionStatus.DRAFT)
    row = ResultRow.objects.filter(version=draft).order_by("position").first()
    assert row is not None
    ResultRow.objects.filter(pk=row.pk).update(index=row.index - 5)
    html = _html(chair_client.get(url, correction))
    assert "1 đơn vị thay đổi thứ hạng, chỉ số hoặc xếp loại." in html
    assert row.name in html.split('id="bang-thay-doi"')[1]
    assert "Sai điểm tiêu chí 2" in html
    seen = _seen(html)

    # Meanwhile the draft is computed again: the confirmation is shown again, nothing published.
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    stale = chair_client.post(url, {**correction, "confirm": "on", "seen": seen})
    assert stale.status_code == 409
    assert "Bản nháp đã được tính lại" in _html(stale)
    assert ResultVersion.objects.published().count() == 1
    fresh = chair_client.post(url, {**correction, "confirm": "on", "seen": _seen(_html(stale))})
    assert fresh.status_code == 302
    assert ResultVersion.objects.get(period=period, status=VersionStatus.PUBLISHED).number == 2


def test_the_box_must_be_ticked_on_the_confirmation_page(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    url = f"{desk(period)}cong-bo/"
    seen = _seen(_html(chair_client.get(url, REVIEW)))
    refused = chair_client.post(url, {**REVIEW, "seen": seen})
    assert refused.status_code == 400
    html = _html(refused)
    assert "Đánh dấu ô xác nhận trước khi công bố." in html
    assert 'id="nut-xac-nhan-cong-bo"' in html  # still the confirmation, decision kept
    assert not ResultVersion.objects.published().exists()
