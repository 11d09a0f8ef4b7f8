"""The main menu fits a 1366 px screen for every role (nothing pushed off the right edge,
no second line)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

ACCOUNTS = [
    ("admin", "parindex-admin"),
    ("chutich", "parindex-demo"),
    ("quansat", "parindex-demo"),
    ("thamdinh", "parindex-demo"),
    ("lanhdao.xa", "parindex-demo"),
]


def test_the_menu_fits_1366_pixels_for_every_role(
    browser: Browser, live_server: object, demo_database: None
) -> None:
    for username, password in ACCOUNTS:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.goto(f"{live_server}/tai-khoan/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu", exact=True).fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        logout = page.get_by_role("button", name="Đăng xuất")
        expect(logout).to_be_visible()
        for path in ("/", "/ke-hoach/"):
            page.goto(f"{live_server}{path}")
            box = logout.bounding_box()
            assert box is not None
            assert box["x"] + box["width"] <= 1366, f"{username} {path}: {box}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1366, f"{username} {path}: the page is {width} px wide"
            menu = page.locator("nav.navbar").bounding_box()
            assert menu is not None and menu["height"] < 80, (
                f"{username} {path}: the menu wraps onto several lines ({menu})"
            )
        context.close()
