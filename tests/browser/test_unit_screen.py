"""The unit's self-assessment screen in Chromium: three defects of the season walk.

* autosave race: typing then Tab within 0.4 s left the points "(chưa lưu)" after the save
  said "Đã lưu" (the late live preview overwrote the save's swap);
* the submit confirmation counted the empty items as they were when the page loaded;
* at 390 px the list's main button ("Mở phiếu") was cut off (the table scrolled sideways).

Uses the assessment tests' small commune season (``parindex/assessments/tests/conftest.py``).
Screenshots go to var/screenshots/unit-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.assessments.tests.conftest import (  # noqa: F401 (fixtures)
    deadline,
    season,
    season_set,
)
from parindex.criteria.models import CriterionNode
from parindex.organizations.models import Unit
from parindex.periods.models import Period

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=15_000)
PASSWORD = "mat-khau-thu-nghiem"  # noqa: S105 (test persona)


def _sign_in(page: Page, live_server: Any, user: User, next_path: str) -> None:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    page.goto(f"{live_server}/tai-khoan/dang-nhap/?next={next_path}")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))


@pytest.fixture
def sheet(season: Period, commune: Unit) -> Assessment:  # noqa: F811 (the fixture)
    """The commune's assessment in the small 2025 season (7 leaves, self-assessment open)."""
    return Assessment.objects.create(period=season, unit=commune)


def _node(assessment: Assessment, code: str) -> CriterionNode:
    return CriterionNode.objects.get(
        criteria_set__period_groups__period=assessment.period, code=code
    )


def test_typing_then_tab_leaves_the_saved_points(
    page: Page, live_server: Any, sheet: Assessment, unit_staff: User, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    _sign_in(page, live_server, unit_staff, f"/danh-gia/{sheet.pk}/")
    node = _node(sheet, "1.2")
    box = page.locator(f"#gt-{node.pk}")
    box.click()
    box.press_sequentially("80", delay=30)
    box.press("Tab")  # well within the preview's 400 ms delay
    status = page.locator(f"#trang-thai-{node.pk}")
    expect(status).to_contain_text("Đã lưu")
    page.wait_for_timeout(900)  # the preview's timer has long fired by now
    page.wait_for_load_state("networkidle")
    points = page.locator(f"#diem-{node.pk}")
    expect(points).to_contain_text("2,40")  # 80 % with a floor of 50 %
    expect(points).not_to_contain_text("chưa lưu")
    expect(status).to_contain_text("Đã lưu")
    page.screenshot(path=str(screenshot_dir / "unit-autosave-tab.png"))


def test_the_submit_confirmation_counts_the_items_empty_now(
    page: Page, live_server: Any, sheet: Assessment, unit_leader: User
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    _sign_in(page, live_server, unit_leader, f"/danh-gia/{sheet.pk}/")
    node = _node(sheet, "1.4")
    box = page.locator(f"#gt-{node.pk}")
    box.fill("2")
    box.press("Tab")
    expect(page.locator(f"#trang-thai-{node.pk}")).to_contain_text("Đã lưu")
    page.wait_for_load_state("networkidle")
    messages: list[str] = []

    def answer(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("button", name="Gửi hồ sơ").click()
    page.wait_for_timeout(300)
    assert messages, "no confirmation was asked"
    # 7 leaves, 1 saved since the page loaded
    assert "Còn 6 tiêu chí chưa nhập" in messages[0], messages[0]
    sheet.refresh_from_db()
    assert sheet.status != "submitted"


def test_the_list_main_button_fits_a_phone(
    page: Page, live_server: Any, sheet: Assessment, unit_staff: User, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, unit_staff, "/danh-gia/")
    button = page.get_by_role("link", name="Mở phiếu")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    no_overflow = page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_overflow, "the list scrolls sideways"
    page.screenshot(path=str(screenshot_dir / "unit-list-phone.png"), full_page=True)


@pytest.fixture
def returned(sheet: Assessment, unit_staff: User, chair: User) -> Assessment:
    """The commune's sheet after round 1: 1.3 lowered and returned, 1.2 returned too; the
    explanation stage open for 5 days."""
    import datetime

    from django.utils import timezone

    from parindex.assessments.models import Answer
    from parindex.assessments.services.appraisal import appraisal_save
    from parindex.assessments.services.self_assessment import answer_save
    from parindex.season.stages import period_open_explanation, period_start_appraisal

    for code, value in (("1.2", "80"), ("1.3", "2"), ("1.4", "3")):
        answer_save(
            assessment=sheet, node=_node(sheet, code), actor=unit_staff, version=0, value=value
        )
    period_start_appraisal(period=sheet.period, actor=None)
    for code, value in (("1.2", "60"), ("1.3", "0")):
        answer = Answer.objects.get(assessment=sheet, node__code=code)
        appraisal_save(
            answer=answer,
            actor=chair,
            version=answer.version,
            value=value,
            comment=f"Lý do thẩm định {code}: thiếu tài liệu kiểm chứng.",
            needs_explanation=True,
        )
    period_open_explanation(
        period=sheet.period, actor=None, deadline=timezone.now() + datetime.timedelta(days=5)
    )
    sheet.refresh_from_db()
    return sheet


@pytest.mark.parametrize(("width", "height", "name"), [(1366, 768, "desktop"), (390, 844, "phone")])
def test_the_leader_reads_the_appraisal_and_sends_the_explanation(
    page: Page,
    live_server: Any,
    returned: Assessment,
    unit_leader: User,
    screenshot_dir: Path,
    width: int,
    height: int,
    name: str,
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, live_server, unit_leader, "/danh-gia/")

    def fits() -> bool:
        return bool(
            page.evaluate(
                "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            )
        )

    explain = page.get_by_role("link", name="Giải trình", exact=True)
    expect(explain).to_be_visible()
    box = explain.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    page.get_by_role("link", name="Mở phiếu").click()
    expect(page.locator("#tong-diem")).to_contain_text("Chỉ số theo kết quả thẩm định")
    expect(page.locator("#can-giai-trinh")).to_contain_text("yêu cầu giải trình 2 nội dung")
    assert fits(), "the screen scrolls sideways"
    page.screenshot(path=str(screenshot_dir / f"unit-screen-appraised-{name}.png"), full_page=True)

    page.goto(f"{live_server}/danh-gia/{returned.pk}/ket-qua-tham-dinh/")
    expect(page.locator("#chi-so-tham-dinh")).to_be_visible()
    expect(page.locator("#bang-tham-dinh")).to_contain_text("Lý do thẩm định 1.3")
    assert fits(), "the appraisal page scrolls sideways"
    page.screenshot(path=str(screenshot_dir / f"unit-appraisal-{name}.png"), full_page=True)

    page.goto(f"{live_server}/danh-gia/{returned.pk}/giai-trinh/")
    expect(page.locator("#han-giai-trinh")).to_contain_text("Hạn giải trình")
    first, second = page.locator("form.giai-trinh-form").all()
    second.locator("textarea").fill("Đang soạn, chưa lưu.")
    first.locator("textarea").fill("Đã bổ sung kế hoạch.")
    first.get_by_role("button", name="Lưu giải trình").click()
    expect(first).to_contain_text("Đã lưu lúc")
    expect(second.locator("textarea")).to_have_value("Đang soạn, chưa lưu.")  # not lost
    second.get_by_role("button", name="Lưu giải trình").click()
    expect(second).to_contain_text("Đã lưu lúc")
    assert fits(), "the explanation page scrolls sideways"
    page.screenshot(path=str(screenshot_dir / f"unit-explanation-{name}.png"), full_page=True)
    asked: list[str] = []

    def accept(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Gửi giải trình").click()
    expect(page.locator("#trang-thai-giai-trinh")).to_contain_text("Đã gửi giải trình lúc")
    assert asked and "chưa lưu" not in asked[0], asked  # both saved: counted when asking
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Rút lại").click()
    expect(page.locator("#trang-thai-giai-trinh")).to_contain_text("Chưa gửi giải trình")
    page.screenshot(path=str(screenshot_dir / f"unit-explanation-withdrawn-{name}.png"))


def test_the_unit_asks_not_applicable_for_a_whole_field(
    page: Page, live_server: Any, sheet: Assessment, unit_staff: User, screenshot_dir: Path
) -> None:
    field = _node(sheet, "2")
    CriterionNode.objects.filter(pk=field.pk).update(allow_not_applicable=True)
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, unit_staff, f"/danh-gia/{sheet.pk}/?linh-vuc=2")
    expect(page.locator("#tong-diem")).to_contain_text("/ 25")
    page.get_by_label("Đề nghị không áp dụng cả nhóm tiêu chí 2 đối với đơn vị").check()
    page.get_by_label("Lý do không áp dụng").first.fill("Xã không có thủ tục hành chính riêng.")
    page.get_by_role("button", name="Lưu đề nghị").click()
    expect(page.get_by_text("Đã lưu đề nghị không áp dụng nhóm tiêu chí 2.")).to_be_visible()
    expect(page.locator("#tong-diem")).to_contain_text("/ 15")
    expect(page.locator(f"#cay-{field.pk}")).to_contain_text("Đề nghị không áp dụng")
    page.screenshot(path=str(screenshot_dir / "unit-group-na-phone.png"), full_page=True)
