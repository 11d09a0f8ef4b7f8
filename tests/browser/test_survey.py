"""The public survey form in a real browser at phone width: a citizen answers the demo
season's default five-factor questionnaire of a commune without an account; the form is
stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from parindex.periods.models import Period, PeriodStatus
from parindex.surveys.models import SamplePlan, SurveyResponse
from parindex.surveys.selectors import question_codes

pytestmark = pytest.mark.django_db(transaction=True)

COMMUNE = "UBND xã Vân Sơn"


@pytest.fixture
def plan(demo_database: None) -> SamplePlan:
    period = Period.objects.get(year=2025, status=PeriodStatus.SELF_ASSESSMENT)
    return SamplePlan.objects.select_related("unit").get(
        period=period, unit__name__startswith=COMMUNE
    )


def test_a_citizen_answers_on_a_phone(
    page: Page, live_server: object, plan: SamplePlan, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/phieu/{plan.public_key}/")
    expect(page.locator("h1")).to_contain_text("Phiếu khảo sát sự hài lòng")
    expect(page.get_by_text(COMMUNE).first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "khao-sat-phieu-dien-thoai.png"), full_page=True)

    # Sending nothing is refused with a reason, and nothing is stored.
    online = SurveyResponse.objects.filter(unit=plan.unit, source="online")
    before = set(online.values_list("pk", flat=True))
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.get_by_text("Hãy trả lời ít nhất một câu hỏi")).to_be_visible()
    assert set(online.values_list("pk", flat=True)) == before

    codes = question_codes(plan.period.questionnaire)
    for n, code in enumerate(codes):
        page.locator(f"label[for='{code}-{5 if n % 3 else 4}']").click()
    page.get_by_label("Độ tuổi").select_option("Từ 25 đến 39")
    page.get_by_label("Góp ý khác (không bắt buộc)").fill("Cán bộ một cửa hướng dẫn tận tình.")
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(
        page.get_by_role("heading", name="Cảm ơn Ông/Bà đã trả lời phiếu khảo sát")
    ).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "khao-sat-cam-on.png"), full_page=True)

    [stored] = online.exclude(pk__in=before)
    assert stored.unit_id == plan.unit_id
    assert stored.answers == {code: 5 if n % 3 else 4 for n, code in enumerate(codes)}
    assert stored.respondent == {"TUOI": "Từ 25 đến 39"}
    assert stored.comment == "Cán bộ một cửa hướng dẫn tận tình."
