"""The public results at a 390 px phone (issue 11, point 9): no page wider than the screen,
the group tabs scroll sideways with a visible cue, the open-data links are there.
Screenshots go to var/screenshots/public-phone-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from parindex.periods.models import Period
from tests.browser.test_public_results import published_demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
TABS = """() => {
  const nav = document.querySelector('.nav-groups');
  if (!nav) return null;
  const style = getComputedStyle(nav);
  return {overflowing: nav.scrollWidth > nav.clientWidth + 1, overflowX: style.overflowX,
          cue: style.backgroundImage.includes('gradient')};
}"""


def test_public_pages_fit_a_390px_phone(
    page: Page,
    live_server: object,
    published_demo: Period,  # noqa: F811
    screenshot_dir: Path,
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/cong-bo/")
    assert page.evaluate(OVERFLOW) <= 0, "the home page is wider than the phone"

    page.goto(f"{live_server}/cong-bo/{published_demo.pk}/")
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0, "the ranking page is wider than the phone"
    tabs = page.evaluate(TABS)
    assert tabs is not None
    assert tabs["overflowX"] in ("auto", "scroll")
    assert tabs["cue"], "the tabs have no scroll cue"
    if tabs["overflowing"]:
        expect(page.locator("#goi-y-cuon-nhom")).to_be_visible()
    expect(page.locator("#du-lieu-mo")).to_be_visible()
    expect(page.locator("#du-lieu-mo a").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "public-phone-ranking.png"), full_page=True)

    page.locator("#bang-xep-hang-cong-bo tbody tr a").first.click()
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0, "the unit page is wider than the phone"
    page.screenshot(path=str(screenshot_dir / "public-phone-unit.png"), full_page=True)
