"""Kế hoạch cải thiện in a real browser on the demo data: Phan Thị Mai (Sở Tư pháp) changes
criteria and sees the new index at once, at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=20_000)


@pytest.mark.parametrize(("width", "height", "name"), [(1366, 768, "desktop"), (375, 812, "phone")])
def test_a_unit_tries_values_and_reads_its_improvement_list(
    page: Page,
    live_server: object,
    demo_database: None,
    screenshot_dir: Path,
    width: int,
    height: int,
    name: str,
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server}/tai-khoan/dang-nhap/?next=/ke-hoach/")
    page.get_by_label("Tên đăng nhập").fill("so.canbo")
    page.get_by_label("Mật khẩu", exact=True).fill("parindex-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Kế hoạch cải thiện")).to_be_visible()
    page.get_by_role("link", name="Lập kế hoạch").first.click()
    expect(page.locator("h1")).to_contain_text("Sở Tư pháp")
    actual = page.locator("#chi-so-gia-dinh").inner_text()
    expect(page.locator("#ket-qua-gia-dinh")).to_contain_text("Chưa thay đổi giá trị nào")
    improvements = page.locator("section[aria-labelledby=danh-sach-cai-thien] tbody tr")
    expect(improvements.first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"planner-{name}.png"))

    # a criterion scored by hand: an impossible value, then another value
    row = page.locator("#tinh-thu [data-quy-tac=manual]").first
    row.locator("xpath=ancestor::details").locator("summary").click()
    box = row.locator("input[type=text]")
    expect(box).to_be_visible()
    box.fill("999")
    result = page.locator("#ket-qua-gia-dinh")
    expect(result).to_contain_text("Chưa tính được")
    # in plain Vietnamese, not the engine's "0..1" notation
    expect(result).to_contain_text("điểm 999 phải từ 0 đến")
    new_value = "0" if box.input_value() not in ("0", "") else row.get_attribute("data-toi-da")
    assert new_value is not None
    box.fill(new_value)
    expect(result).to_contain_text("Điểm thay đổi so với thực tế")
    expect(page.locator("#chenh-lech-chi-so")).not_to_have_text("0,00")
    assert page.locator("#chi-so-gia-dinh").inner_text() != actual
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / f"planner-whatif-{name}.png"))
    no_overflow = page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_overflow, "the planner scrolls sideways"

    improvements.first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / f"planner-improvements-{name}.png"))
