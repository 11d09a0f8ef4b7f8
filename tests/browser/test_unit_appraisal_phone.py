"""The unit's appraisal page (kết quả thẩm định) at 390×844 in Chromium.

At phone width the table #bang-tham-dinh used to scroll sideways inside its box: the
appraised score, the status and the appraiser's reason were off-screen. Below 768 px each
row is now a card ("Thẩm định 0,00", "Trạng thái Bị hạ điểm", "Ý kiến thẩm định ..."),
and so is the "Điểm bị mất theo tiêu chí" table (#bang-diem-bi-mat) after finalising.

Uses the assessment tests' small commune season (``parindex/assessments/tests/conftest.py``)
and the sign-in of ``test_unit_screen``. Screenshots go to var/screenshots/unit-appraisal-*.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.tests.conftest import (  # noqa: F401 (fixtures)
    deadline,
    season,
    season_set,
)
from tests.browser.test_unit_screen import _node, _sign_in
from tests.browser.test_unit_screen import sheet as sheet  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=15_000)
WIDTH, HEIGHT = 390, 844
LOWERED = "Chỉ có 1 sáng kiến được công nhận, không phải 3: hạ điểm theo quy định."


@pytest.fixture
def appraised(sheet: Assessment, unit_staff: User, chair: User) -> Assessment:  # noqa: F811
    """The commune's sheet in round 1: 1.3 lowered (3 sáng kiến → 1) with a reason, 1.1
    accepted, the rest not yet appraised."""
    from parindex.assessments.services.appraisal import appraisal_save
    from parindex.assessments.services.self_assessment import answer_save
    from parindex.season.stages import period_start_appraisal

    for code, value in (("1.1", True), ("1.2", "80"), ("1.3", "3"), ("1.4", "3")):
        answer_save(
            assessment=sheet, node=_node(sheet, code), actor=unit_staff, version=0, value=value
        )
    period_start_appraisal(period=sheet.period, actor=None)
    answer = Answer.objects.get(assessment=sheet, node__code="1.3")
    appraisal_save(answer=answer, actor=chair, version=answer.version, value="1", comment=LOWERED)
    answer = Answer.objects.get(assessment=sheet, node__code="1.1")
    appraisal_save(answer=answer, actor=chair, version=answer.version, value=True)
    sheet.refresh_from_db()
    return sheet


def _fits(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def _on_screen(locator: Locator) -> None:
    """Visible and wholly within the 390 px viewport, without scrolling sideways."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box


def test_the_appraisal_page_is_a_card_list_on_a_phone(
    page: Page, live_server: Any, appraised: Assessment, unit_staff: User, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    _sign_in(page, live_server, unit_staff, f"/danh-gia/{appraised.pk}/ket-qua-tham-dinh/")
    expect(page.locator("#chi-so-tham-dinh")).to_be_visible()
    row = page.locator("#tham-dinh-1\\.3")
    expect(row).to_contain_text(LOWERED)
    assert _fits(page), "the appraisal page scrolls sideways"
    row.scroll_into_view_if_needed()
    _on_screen(row.get_by_text("Bị hạ điểm", exact=True))
    _on_screen(row.get_by_text(LOWERED))
    # the appraised score with its label, on the card
    appraised_cell = row.locator("td[data-label='Thẩm định']")
    _on_screen(appraised_cell)
    expect(appraised_cell).to_contain_text("1,00")
    page.screenshot(path=str(screenshot_dir / "unit-appraisal-cards-phone.png"), full_page=True)


def test_the_points_lost_after_finalising_fit_a_phone(
    page: Page,
    live_server: Any,
    appraised: Assessment,
    unit_staff: User,
    chair: User,
    screenshot_dir: Path,
) -> None:
    from parindex.season.finalise import period_finalise

    period_finalise(period=appraised.period, actor=chair)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    _sign_in(page, live_server, unit_staff, f"/danh-gia/{appraised.pk}/ket-qua-tham-dinh/")
    expect(page.locator("h1")).to_contain_text("Kết quả chính thức")
    lost = page.locator("#bang-diem-bi-mat")
    expect(lost).to_contain_text(LOWERED)
    assert _fits(page), "the final appraisal page scrolls sideways"
    reason = lost.get_by_text(LOWERED)
    reason.scroll_into_view_if_needed()
    _on_screen(reason)
    _on_screen(lost.locator("td[data-label='Điểm bị mất']").first)
    _on_screen(page.locator("#tham-dinh-1\\.3").get_by_text(LOWERED))
    page.screenshot(path=str(screenshot_dir / "unit-appraisal-final-phone.png"), full_page=True)


def test_the_appraisal_page_stays_a_table_on_a_wide_screen(
    page: Page, live_server: Any, appraised: Assessment, unit_staff: User
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    _sign_in(page, live_server, unit_staff, f"/danh-gia/{appraised.pk}/ket-qua-tham-dinh/")
    expect(page.locator("#bang-tham-dinh thead th").first).to_be_visible()
    display = page.evaluate(
        "() => getComputedStyle(document.querySelector('#tham-dinh-1\\\\.3')).display"
    )
    assert display == "table-row", display
    assert _fits(page)
