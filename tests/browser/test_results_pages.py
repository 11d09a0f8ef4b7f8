"""The results pages in a real browser, at desktop and phone widths: the home page leads an
anonymous visitor to the published ranking, and the staff's internal live preview draws its
chart too. Screenshots go to var/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

DRAWN = """(selector) => { const c = document.querySelector(selector);
           if (!c || !c.width || !c.height) return false;
           const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
           for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
           return false; }"""


@pytest.mark.parametrize(("width", "height", "name"), [(1366, 768, "desktop"), (390, 844, "phone")])
def test_ranking_page_renders_with_its_chart(
    page: Page,
    live_server: object,
    demo_database: None,
    screenshot_dir: Path,
    width: int,
    height: int,
    name: str,
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server}/")
    expect(
        page.get_by_role("heading", name="Chỉ số cải cách hành chính", exact=True)
    ).to_be_visible()
    page.get_by_role("link", name="Bảng xếp hạng UBND cấp huyện").first.click()
    expect(page).to_have_url(re.compile(r"/cong-bo/\d+/mh-ubnd-cap-huyen/$"))
    expect(page.locator("h1")).to_contain_text("UBND cấp huyện")
    canvas = page.locator("canvas").first
    expect(canvas).to_be_visible()
    page.wait_for_function(DRAWN, arg="canvas", timeout=10_000)
    page.screenshot(path=str(screenshot_dir / f"ranking-{name}.png"), full_page=True)


def test_staff_preview_renders_with_its_chart(
    page: Page, live_server: object, demo_database: None, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("chutich")
    page.get_by_label("Mật khẩu", exact=True).fill("parindex-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.goto(f"{live_server}/")
    expect(
        page.get_by_role("heading", name="Xem trước nội bộ (chỉ cán bộ quản lý)")
    ).to_be_visible()
    page.get_by_role("link", name="Xem trước UBND cấp huyện").first.click()
    assert "/ky-danh-gia/" in page.url
    expect(page.get_by_text("Xem trước nội bộ:")).to_be_visible()
    page.wait_for_function(DRAWN, arg="#bieu-do-chi-so", timeout=10_000)
    page.screenshot(path=str(screenshot_dir / "preview-desktop.png"), full_page=True)
