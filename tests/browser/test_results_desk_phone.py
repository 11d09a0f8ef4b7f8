"""The council's results desk (/ket-qua/<kỳ>/) on a phone (390×844): with two published
versions (the first corrected by the second, with a long reason) and a draft, the page
does not scroll sideways. Uses the results tests' scored province (``parindex/results/
tests/conftest.py``). Screenshots: var/screenshots/results-desk-phone*.png."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from parindex.accounts.models import User
from parindex.conftest import _sample_document
from parindex.criteria.models import CriteriaSet
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.organizations.models import Level, Unit
from parindex.results.models import ResultVersion
from parindex.results.services import Decision, results_compute, results_publish
from parindex.results.tests.conftest import Scenario, scenario  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=15_000)
PASSWORD = "mat-khau-thu-nghiem"  # noqa: S105 (test persona)
OVERFLOW = "[document.documentElement.scrollWidth, window.innerWidth]"
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => getComputedStyle(e).position === 'absolute' || ![...function* () {
      for (let a = e.parentElement; a; a = a.parentElement) yield a; }()]
      .some((a) => ['auto', 'scroll'].includes(getComputedStyle(a).overflowX)))
  .slice(0, 12)
  .map((e) => [e.tagName.toLowerCase(), e.className, Math.round(e.getBoundingClientRect().right)])"""  # noqa: E501
REASON = (
    "Đính chính theo Công văn số 1234/SNV-CCHC về việc rà soát lại điểm thẩm định tiêu chí "
    "3.1 của Sở Tư pháp và Văn phòng UBND tỉnh sau khi nhận ý kiến giải trình bổ sung"
)


@pytest.fixture
def criteria_set(province: Unit) -> CriteriaSet:
    """The sample set of the unit tests (``parindex/conftest.py``), 2024, for sở."""
    return criteria_set_import_document(
        document=_sample_document(),
        info=SetInfo(level=Level.DEPARTMENT, year=2024, jurisdiction=province),
        actor=None,
    )


@pytest.fixture
def two_versions(scenario: Scenario, chair: User) -> Scenario:  # noqa: F811
    period = scenario.p2023
    for number, day, reason in (
        ("15/QĐ-UBND-CCHC-2024", datetime.date(2024, 2, 20), ""),
        ("212/QĐ-UBND-CCHC-2024", datetime.date(2024, 6, 3), REASON),
    ):
        results_publish(
            version=results_compute(period=period, actor=chair),
            decision=Decision(
                number=number,
                date=day,
                signer_name="Nguyễn Thị Thu Hà",
                signer_title="Phó Chủ tịch Thường trực UBND tỉnh Hà Nam",
                reason=reason,
            ),
            actor=chair,
        )
    results_compute(period=period, actor=chair)  # and a draft on top
    assert ResultVersion.objects.published().filter(period=period).count() == 2
    return scenario


def _sign_in(page: Page, live_server: Any, user: User, next_path: str) -> None:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    page.goto(f"{live_server}/tai-khoan/dang-nhap/?next={next_path}")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))


def test_the_desk_with_two_published_versions_fits_a_phone(
    page: Page, live_server: Any, two_versions: Scenario, chair: User, screenshot_dir: Path
) -> None:
    period = two_versions.p2023
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, chair, f"/ket-qua/{period.pk}/")
    expect(page.get_by_role("heading", name="Các phiên bản đã công bố")).to_be_visible()
    versions = page.locator("#phien-ban").locator("xpath=..")
    expect(versions).to_contain_text("212/QĐ-UBND-CCHC-2024")
    expect(versions).to_contain_text("15/QĐ-UBND-CCHC-2024")
    page.screenshot(path=str(screenshot_dir / "results-desk-phone.png"), full_page=True)
    versions.screenshot(path=str(screenshot_dir / "results-desk-phone-versions.png"))

    width = page.evaluate(OVERFLOW)
    assert width[0] <= width[1], f"the results desk scrolls sideways: {width} {page.evaluate(WIDE)}"
    # every version still opens its public page from the phone
    link = versions.get_by_role("link", name=re.compile("Xem trang công bố")).first
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
