"""The published results pages in a real browser, at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("demo", verbosity=0)


@pytest.mark.parametrize(("width", "height", "name"), [(1366, 768, "desktop"), (390, 844, "phone")])
def test_ranking_page_renders_with_its_chart(
    page: Page,
    live_server: object,
    demo: None,
    screenshot_dir: Path,
    width: int,
    height: int,
    name: str,
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", name="Chỉ số cải cách hành chính")).to_be_visible()
    page.get_by_role("link", name="Bảng xếp hạng UBND cấp huyện").first.click()
    expect(page.locator("h1")).to_contain_text("UBND cấp huyện")
    canvas = page.locator("canvas").first
    expect(canvas).to_be_visible()
    drawn = page.evaluate(
        """() => { const c = document.querySelector('canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
                   return false; }"""
    )
    assert drawn, "the chart canvas is empty"
    page.screenshot(path=str(screenshot_dir / f"ranking-{name}.png"), full_page=True)
