"""A season from an empty period to publication, through the web interface only.

The fixture holds only what the season administration cannot make: a province with its
Sở Nội vụ, a unit group "Xã" of two communes, the accounts, and one small criteria set
(three fields, seven criteria; field 2 may be "không áp dụng" as a whole). Everything else
is done in Chromium, as each role would:

1. the chair creates a blank 6-month period, binds the set to "Xã", assigns the appraiser,
   marks two criteria "chưa đánh giá ở kỳ 6 tháng" and opens it: the commune's maximum on
   its self-assessment screen leaves those two out;
2. the chair creates the annual period by copying the 6-month one (groups and appraiser
   come with it), sets the four deadlines and opens self-assessment;
3. the commune (390 px) enters its values, asks "không áp dụng" for field 2 with a reason,
   and its leader submits; the other commune submits nothing;
4. the chair starts round 1, warned on the confirmation page that one commune has not
   submitted;
5. the appraiser (390 px) lowers 1.1 with a reason, returns 3.1 for explanation and
   confirms the field-2 request;
6. the chair opens the explanation stage;
7. the commune sees the appraised scores, statuses and reasons and the appraised index,
   explains 3.1, and its leader sends the explanation;
8. the chair starts round 2 and the appraiser settles 3.1;
9. the chair sees the warnings before finalising (the commune with no scores, the items
   never appraised), finalises, computes the results and publishes them under a decision;
   the public ranking shows the commune's index computed by hand below.

Screenshots of every step: var/screenshots/season-scratch-NN-*.png.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.fixtures import Settings

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.core.text import fold
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.engine.evalfile import INPUT_FORMAT
from parindex.organizations.models import Level, UnitGroup
from parindex.organizations.services import unit_create, unit_group_create
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.results.models import ResultVersion

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=20_000)

PASSWORD = "mat-khau-thu-nghiem"
PROVINCE = "Tỉnh Thử Nghiệm"
COMMUNE_A = "UBND xã An Bình"
COMMUNE_B = "UBND xã Bắc Sơn"
SET_NAME = "Bộ tiêu chí Chỉ số CCHC cấp xã năm 2025 (thử nghiệm)"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# (code, name, max): fields 1 (6 points), 2 (4, "không áp dụng" allowed as a group), 3 (5).
NODES: tuple[tuple[str, str, str], ...] = (
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "6"),
    ("1.1", "Kế hoạch cải cách hành chính năm", "2"),
    ("1.2", "Báo cáo cải cách hành chính định kỳ", "2"),
    ("1.3", "Kiểm tra công tác cải cách hành chính", "2"),
    ("2", "Cải cách thủ tục hành chính", "4"),
    ("2.1", "Công khai thủ tục hành chính", "2"),
    ("2.2", "Giải quyết hồ sơ đúng hạn", "2"),
    ("3", "Cải cách tổ chức bộ máy", "5"),
    ("3.1", "Sắp xếp tổ chức bộ máy", "3"),
    ("3.2", "Thực hiện quy định về số lượng cấp phó", "2"),
)
GROUP_NA = "2"
EXCLUDED_INTERIM = ("1.3", "3.2")
"""The 6-month period's criteria "chưa đánh giá": its maximum is 15 − 2 − 2 = 11."""

SELF = {"1.1": "2", "1.2": "2", "1.3": "1,5", "3.1": "3", "3.2": "2"}
LOWERED = ("1.1", "1")
RETURNED = ("3.1", "2")
SETTLED = ("3.1", "2,5")


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _vn(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}".replace(".", ",")


def _index(points: Decimal, maximum: Decimal) -> Decimal:
    return (points / maximum * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# By hand: field 2 not applicable (maximum 15 − 4 = 11); 1.1 lowered to 1, 3.1 returned
# at 2 and settled at 2,5 in round 2, the other items keep the self score.
MAX_A = Decimal(11)
ROUND_1_POINTS = Decimal("1") + 2 + Decimal("1.5") + 2 + 2  # 8,5
FINAL_POINTS = Decimal("1") + 2 + Decimal("1.5") + Decimal("2.5") + 2  # 9
FINAL_INDEX = _index(FINAL_POINTS, MAX_A)  # 81,82


def _document() -> dict[str, Any]:
    items = []
    for code, name, max_ in NODES:
        item: dict[str, Any] = {"code": code, "name": name, "max": max_}
        if "." in code:
            item["parent"] = code.rsplit(".", 1)[0]
        item["guidance"] = f"Chấm theo mức độ hoàn thành; tối đa {max_} điểm."
        item["evidence"] = "Văn bản, báo cáo của đơn vị."
        if code == GROUP_NA:
            item["allow_not_applicable"] = True
        items.append(item)
    return {
        "format": INPUT_FORMAT,
        "criteria_set": {
            "name": SET_NAME,
            "rounding": {"mode": "half_up", "places": 2},
            "nodes": items,
        },
        "classification": {
            "bands": [{"label": "Tốt", "min": "80"}, {"label": "Khá", "min": "70"}],
            "otherwise": "Trung bình",
        },
        "ranking": {"ties": "shared"},
    }


class World:
    """What the fixture made (nothing of the season itself)."""

    def __init__(self) -> None:
        self.province = unit_create(code="TN", name=PROVINCE, level=Level.PROVINCE, actor=None)
        departments = unit_group_create(
            code="so-nganh", name="Sở, ngành", level=Level.DEPARTMENT, position=1, actor=None
        )
        self.group: UnitGroup = unit_group_create(
            code="xa", name="Xã", level=Level.COMMUNE, position=2, actor=None
        )
        snv = unit_create(
            code="TN-SNV",
            name="Sở Nội vụ",
            level=Level.DEPARTMENT,
            parent=self.province,
            group=departments,
            actor=None,
        )
        self.commune_a = unit_create(
            code="TN-XA-ANBINH",
            name=COMMUNE_A,
            short_name="An Bình",
            level=Level.COMMUNE,
            parent=self.province,
            group=self.group,
            position=1,
            actor=None,
        )
        self.commune_b = unit_create(
            code="TN-XA-BACSON",
            name=COMMUNE_B,
            short_name="Bắc Sơn",
            level=Level.COMMUNE,
            parent=self.province,
            group=self.group,
            position=2,
            actor=None,
        )
        people = (
            ("chu.tich", "Hoàng Văn Dũng", Role.CHAIR, snv),
            ("tham.dinh", "Lê Văn Thẩm", Role.APPRAISER, snv),
            ("can.bo.anbinh", "Trần Thị Bình", Role.UNIT_STAFF, self.commune_a),
            ("lanh.dao.anbinh", "Phạm Văn Cường", Role.UNIT_LEADER, self.commune_a),
            ("can.bo.bacson", "Đỗ Thị Hoa", Role.UNIT_STAFF, self.commune_b),
        )
        self.users: dict[str, User] = {
            username: User.objects.create_user(
                username=username, password=PASSWORD, full_name=name, role=role, unit=unit
            )
            for username, name, role, unit in people
        }
        self.criteria_set: CriteriaSet = criteria_set_import_document(
            document=_document(),
            info=SetInfo(
                level=Level.COMMUNE,
                year=2025,
                jurisdiction=self.province,
                period_label="Năm 2025",
                decision="15/QĐ-UBND (thử nghiệm)",
                decision_date=datetime.date(2025, 1, 10),
            ),
            actor=None,
        )
        self.nodes = {
            n.code: n for n in CriterionNode.objects.filter(criteria_set=self.criteria_set)
        }


class Walk:
    """One signed-in browser context per account; numbered screenshots."""

    def __init__(self, browser: Browser, live_server: Any, shots: Path) -> None:
        self.browser, self.url, self.shots = browser, str(live_server), shots
        self.pages: dict[str, Page] = {}
        self.count = 0
        for old in shots.glob("season-scratch-*.png"):
            old.unlink()

    def as_user(self, username: str, viewport: dict[str, int]) -> Page:
        if username not in self.pages:
            context: BrowserContext = self.browser.new_context(
                locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=viewport
            )
            context.set_default_timeout(20_000)
            page = context.new_page()
            page.goto(f"{self.url}/tai-khoan/dang-nhap/")
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            # (at 390 px the menu, with "Đăng xuất", is collapsed)
            expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))
            expect(page.locator("form button", has_text="Đăng xuất")).to_have_count(1)
            self.pages[username] = page
        return self.pages[username]

    def go(self, username: str, path: str, viewport: dict[str, int] = DESKTOP) -> Page:
        page = self.as_user(username, viewport)
        page.goto(f"{self.url}{path}")
        return page

    def shot(self, page: Page, name: str) -> None:
        self.count += 1
        page.screenshot(
            path=str(self.shots / f"season-scratch-{self.count:02d}-{name}.png"), full_page=True
        )

    def visitor(self, path: str) -> Page:
        """An anonymous visitor (the public pages)."""
        context = self.browser.new_context(
            locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=DESKTOP
        )
        page = context.new_page()
        page.goto(f"{self.url}{path}")
        return page

    def fits(self, page: Page) -> None:
        """No sideways scrolling at the page's width (the phone parts)."""
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{page.url} overflows by {overflow} px"

    def step(self, period: Period, label: str, *, warns: tuple[str, ...] = ()) -> Page:
        """The chair's next step, from the dashboard through its confirmation page, where
        ``warns`` must be read before confirming."""
        page = self.go("chu.tich", f"/tham-dinh/{period.pk}/dieu-hanh/")
        button = page.locator("#nut-buoc-tiep")
        expect(button).to_contain_text(label)
        button.click()
        expect(page.locator("h1")).to_contain_text(f"Xác nhận: {label}")
        for text in warns:
            expect(page.locator("#hau-qua-buoc")).to_contain_text(text)
        slug = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")
        self.shot(page, f"xac-nhan-{slug}")
        unappraised = page.locator("#xac-nhan-chua-tham-dinh")
        if unappraised.count():
            unappraised.check()
        page.locator("#nut-xac-nhan-buoc").click()
        expect(page).to_have_url(re.compile(rf"/tham-dinh/{period.pk}/dieu-hanh/$"))
        expect(page.get_by_text(f"{label}: kỳ đánh giá chuyển sang").first).to_be_visible()
        return page


@pytest.fixture
def season_settings(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "reports"],
        }
    }


def _local(moment: datetime.datetime) -> str:
    """What a datetime-local input takes."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _fill_value(page: Page, node: CriterionNode, value: str) -> None:
    box = page.locator(f"#gt-{node.pk}")
    box.fill(value)
    box.dispatch_event("change")
    expect(page.locator(f"#trang-thai-{node.pk}")).to_contain_text("Đã lưu")


def _appraise(page: Page, *, value: str | None, comment: str, returned: bool = False) -> None:
    if value is not None:
        page.locator("#o-gia-tri").fill(value)
    page.locator("#o-y-kien").fill(comment)
    if returned:
        page.locator("#o-giai-trinh").check()
    page.get_by_role("button", name="Lưu kết quả thẩm định").click()


def test_a_season_from_an_empty_period(
    browser: Browser, live_server: Any, season_settings: None, screenshot_dir: Path
) -> None:
    world = World()
    nodes = world.nodes
    run = Walk(browser, live_server, screenshot_dir)
    chair = "chu.tich"

    # ------------------------------------------------------------ 1. the 6-month period
    page = run.go(chair, "/dieu-hanh/ky/")
    page.goto(f"{run.url}/dieu-hanh/ky/tao-moi/")
    form = page.locator("#form-tao-ky")
    form.locator("#id_source").select_option(value="")
    form.locator("#id_jurisdiction").select_option(label=PROVINCE)
    form.locator("#id_year").fill("2025")
    form.locator("#id_kind").select_option(label="6 tháng")
    form.locator("#id_name").fill("6 tháng đầu năm 2025")
    run.shot(page, "tao-ky-6-thang")
    page.locator("#nut-luu-ky").click()
    expect(page.get_by_text("Đã tạo kỳ đánh giá 6 tháng đầu năm 2025").first).to_be_visible()
    interim = Period.objects.get(year=2025, kind=PeriodKind.INTERIM)
    assert interim.status == PeriodStatus.PREPARED

    bind = page.locator("#form-gan-bo")
    bind.locator("#id_group").select_option(label="Xã")
    bind.locator("#id_criteria_set").select_option(value=str(world.criteria_set.pk))
    bind.locator("#nut-gan-bo").click()
    expect(page.locator("#danh-sach-nhom")).to_contain_text(SET_NAME)

    page.locator("#nut-them-phan-cong").click()
    assign = page.locator("#form-phan-cong")
    assign.locator("#id_appraiser").select_option(value=str(world.users["tham.dinh"].pk))
    assign.get_by_label("Cả nhóm Xã").check()
    run.shot(page, "phan-cong-tham-dinh")
    assign.locator("#nut-luu-phan-cong").click()
    expect(page.locator("#danh-sach-phan-cong")).to_contain_text("Lê Văn Thẩm")
    expect(page.locator("#danh-sach-phan-cong")).to_contain_text("2 đơn vị")

    page.locator("#nut-sua-chua-danh-gia").click()
    excluded = page.locator("#form-chua-danh-gia")
    for code in EXCLUDED_INTERIM:
        excluded.locator(f"input[name=node_codes][value='{code}']").check()
    run.shot(page, "chua-danh-gia-6-thang")
    excluded.locator("#nut-luu-chua-danh-gia").click()
    expect(page.locator("#ma-chua-danh-gia")).to_contain_text(", ".join(EXCLUDED_INTERIM))
    run.shot(page, "ky-6-thang")

    page = run.step(interim, "Mở tự đánh giá")
    run.shot(page, "ky-6-thang-da-mo")
    interim.refresh_from_db()
    assert interim.status == PeriodStatus.SELF_ASSESSMENT

    # The commune's maximum leaves the two criteria out: 15 − 2 − 2 = 11.
    half_year = Assessment.objects.get(period=interim, unit=world.commune_a)
    page = run.go("can.bo.anbinh", f"/danh-gia/{half_year.pk}/", PHONE)
    expect(page.locator("h1")).to_contain_text(COMMUNE_A)
    expect(page.locator("#tong-diem")).to_contain_text(re.compile(r"/\s*11(,00)?\b"))
    expect(page.get_by_text("Chưa đánh giá ở kỳ 6 tháng").first).to_be_visible()
    run.fits(page)
    run.shot(page, "6-thang-diem-toi-da")

    # ------------------------------------------- 2. the annual period, copied, with deadlines
    page = run.go(chair, "/dieu-hanh/ky/tao-moi/")
    form = page.locator("#form-tao-ky")
    form.locator("#id_source").select_option(value=str(interim.pk))
    form.locator("#id_year").fill("2025")
    form.locator("#id_kind").select_option(label="Cả năm")
    form.locator("#id_name").fill("Năm 2025")
    run.shot(page, "tao-ky-nam-sao-chep")
    page.locator("#nut-luu-ky").click()
    expect(page.get_by_text("Đã tạo kỳ đánh giá Năm 2025").first).to_be_visible()
    period = Period.objects.get(year=2025, kind=PeriodKind.ANNUAL)
    assert period.previous_id == interim.pk
    expect(page.locator("#danh-sach-nhom")).to_contain_text("Xã")
    expect(page.locator("#danh-sach-nhom")).to_contain_text(SET_NAME)
    expect(page.locator("#danh-sach-phan-cong")).to_contain_text("Lê Văn Thẩm")
    expect(page.locator("#ma-chua-danh-gia")).to_have_count(0)  # an annual period has none

    now = timezone.now().replace(second=0, microsecond=0)
    deadlines = {
        "self_assessment_deadline": now + datetime.timedelta(days=10),
        "appraisal_1_deadline": now + datetime.timedelta(days=20),
        "explanation_deadline": now + datetime.timedelta(days=30),
        "appraisal_2_deadline": now + datetime.timedelta(days=40),
    }
    box = page.locator("#form-thoi-han")
    for field, moment in deadlines.items():
        box.locator(f"#id_{field}").fill(_local(moment))
    page.locator("#nut-luu-thoi-han").click()
    expect(page.get_by_text("Đã lưu thời hạn của kỳ đánh giá.").first).to_be_visible()
    for field, moment in deadlines.items():
        expect(page.locator(f"#id_{field}")).to_have_value(_local(moment))
    run.shot(page, "ky-nam-thoi-han")
    period.refresh_from_db()
    assert period.self_assessment_deadline == deadlines["self_assessment_deadline"]

    page = run.step(period, "Mở tự đánh giá")
    run.shot(page, "ky-nam-da-mo")
    assessment = Assessment.objects.get(period=period, unit=world.commune_a)

    # ----------------------------------- 3. the commune fills in, asks "không áp dụng", submits
    staff = "can.bo.anbinh"
    page = run.go(staff, f"/danh-gia/{assessment.pk}/?linh-vuc=1", PHONE)
    expect(page.locator("h1")).to_contain_text(COMMUNE_A)
    for code in ("1.1", "1.2", "1.3"):
        _fill_value(page, nodes[code], SELF[code])
    run.fits(page)
    run.shot(page, "don-vi-linh-vuc-1")

    page.goto(f"{run.url}/danh-gia/{assessment.pk}/?linh-vuc=2")
    group = nodes[GROUP_NA]
    page.locator(f"#kad-nhom-{group.pk}").check()
    page.locator(f"#ly-do-nhom-{group.pk}").fill(
        "Xã mới sáp nhập, chưa được giao giải quyết thủ tục hành chính trong năm 2025."
    )
    page.locator(f"#nhom-{group.pk}").get_by_role("button", name="Lưu đề nghị").click()
    expect(
        page.get_by_text(f"Đã lưu đề nghị không áp dụng nhóm tiêu chí {GROUP_NA}").first
    ).to_be_visible()
    expect(page.locator(f"#nhom-{group.pk}")).to_contain_text("chờ đoàn thẩm định xác nhận")
    run.fits(page)
    run.shot(page, "don-vi-de-nghi-khong-ap-dung")

    page.goto(f"{run.url}/danh-gia/{assessment.pk}/?linh-vuc=3")
    for code in ("3.1", "3.2"):
        _fill_value(page, nodes[code], SELF[code])
    run.shot(page, "don-vi-linh-vuc-3")

    page = run.go("lanh.dao.anbinh", f"/danh-gia/{assessment.pk}/", PHONE)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.get_by_text("Đã gửi").first).to_be_visible()
    run.fits(page)
    run.shot(page, "lanh-dao-gui-ho-so")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    # ------------------------------------------------------------------- 4. round 1 opens
    page = run.step(
        period, "Bắt đầu thẩm định vòng 1", warns=("chưa gửi hồ sơ tự đánh giá", COMMUNE_B)
    )
    run.shot(page, "dieu-hanh-vong-1")

    # The chair's to-do page names the next step and its deadline (nothing returned yet,
    # so the step after round 1 is finalising).
    page = run.go("chu.tich", "/viec-can-lam/")
    expect(
        page.get_by_text("Bước tiếp theo: Chốt kết quả, sau Hạn thẩm định vòng 1").first
    ).to_be_visible()
    expect(page.get_by_text("Đã gửi hồ sơ 1/2 đơn vị").first).to_be_visible()
    run.shot(page, "chu-tich-viec-can-lam")

    # ------------------------------------------------------- 5. the appraiser, on a phone
    appraiser = "tham.dinh"
    page = run.go(appraiser, "/viec-can-lam/", PHONE)
    # per unit of the annual period: the commune's 7 items and its group request, none done
    progress = page.locator("tr", has_text="An Bình").filter(has_text="0/8")
    expect(progress.first).to_be_visible()
    run.fits(page)
    run.shot(page, "tham-dinh-viec-can-lam")
    page = run.go(appraiser, f"/tham-dinh/{period.pk}/", PHONE)
    expect(page.get_by_text("Tiến độ theo đơn vị").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("An Bình")
    run.fits(page)
    run.shot(page, "tham-dinh-danh-sach")

    answers = {a.node.code: a for a in Answer.objects.filter(assessment=assessment)}
    code, value = LOWERED
    page.goto(f"{run.url}/tham-dinh/muc/{answers[code].pk}/")
    expect(page.locator("#tieu-chi-cham")).to_be_visible()
    _appraise(
        page, value=value, comment="Kế hoạch ban hành muộn so với quy định; chấm một nửa số điểm."
    )
    expect(page.get_by_text(f"Đã lưu kết quả thẩm định tiêu chí {code}").first).to_be_visible()
    run.fits(page)
    run.shot(page, "tham-dinh-ha-diem")

    code, value = RETURNED
    page.goto(f"{run.url}/tham-dinh/muc/{answers[code].pk}/")
    _appraise(
        page,
        value=value,
        comment="Chưa có quyết định kiện toàn tổ chức; đề nghị đơn vị giải trình.",
        returned=True,
    )
    expect(page.get_by_text(f"Đã lưu kết quả thẩm định tiêu chí {code}").first).to_be_visible()
    run.shot(page, "tham-dinh-yeu-cau-giai-trinh")

    page.goto(f"{run.url}/tham-dinh/muc/{answers[GROUP_NA].pk}/")
    expect(page.locator("#o-kad")).to_be_checked()
    _appraise(page, value=None, comment="Xác nhận: xã chưa được giao thủ tục hành chính.")
    expect(page.get_by_text(f"Đã lưu kết quả thẩm định tiêu chí {GROUP_NA}").first).to_be_visible()
    run.shot(page, "tham-dinh-xac-nhan-khong-ap-dung")

    # ---------------------------------------------------------------- 6. explanation opens
    page = run.step(period, "Mở giải trình")
    run.shot(page, "dieu-hanh-mo-giai-trinh")

    # The commune is told: a notice, and its to-do page counts the item to explain.
    page = run.go(staff, "/thong-bao/", PHONE)
    expect(page.get_by_text("yêu cầu giải trình 1 nội dung").first).to_be_visible()
    page = run.go(staff, "/viec-can-lam/", PHONE)
    expect(page.get_by_text("1 nội dung cần giải trình").first).to_be_visible()
    run.fits(page)
    run.shot(page, "don-vi-viec-can-lam")

    # ------------------------------------- 7. the commune sees its appraisal and explains
    page = run.go(staff, f"/danh-gia/{assessment.pk}/ket-qua-tham-dinh/", PHONE)
    table = page.locator("#bang-tham-dinh")
    expect(page.get_by_text("Chỉ số theo kết quả thẩm định").first).to_be_visible()
    expect(page.locator("#chi-so-tham-dinh")).to_contain_text(_vn(_index(ROUND_1_POINTS, MAX_A)))
    lowered = table.locator(f"[id='tham-dinh-{LOWERED[0]}']")
    expect(lowered).to_contain_text("Bị hạ điểm")
    expect(lowered).to_contain_text("Kế hoạch ban hành muộn")
    returned = table.locator(f"[id='tham-dinh-{RETURNED[0]}']")
    expect(returned).to_contain_text("Yêu cầu giải trình")
    expect(returned).to_contain_text("Chưa có quyết định kiện toàn")
    expect(table.locator(f"[id='tham-dinh-{GROUP_NA}']")).to_contain_text("Chấp nhận không áp dụng")
    run.fits(page)
    # At 390 px the names wrap between words, not one letter a line (the table scrolls).
    name_cell = lowered.locator("td").nth(1)
    box = name_cell.bounding_box()
    assert box is not None and box["width"] >= 120, box
    run.shot(page, "don-vi-ket-qua-tham-dinh")

    answer_returned = answers[RETURNED[0]]
    page.goto(f"{run.url}/danh-gia/{assessment.pk}/giai-trinh/")
    page.locator(f"#giai-trinh-{answer_returned.pk}").fill(
        "Đơn vị đã ban hành Quyết định số 45/QĐ-UBND ngày 12/3/2025 kiện toàn tổ chức; "
        "gửi kèm bản chụp."
    )
    form = page.locator(".giai-trinh-form").filter(
        has=page.locator(f"#giai-trinh-{answer_returned.pk}")
    )
    form.get_by_role("button", name="Lưu giải trình").click()
    expect(page.locator(f"#giai-trinh-ket-qua-{answer_returned.pk}")).to_contain_text("Đã lưu lúc")
    run.shot(page, "don-vi-giai-trinh")

    page = run.go("lanh.dao.anbinh", f"/danh-gia/{assessment.pk}/giai-trinh/", PHONE)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#nut-gui-giai-trinh").click()
    expect(page.locator("#trang-thai-giai-trinh")).to_contain_text("Đã gửi")
    run.fits(page)
    run.shot(page, "lanh-dao-gui-giai-trinh")

    # ------------------------------------------------------------------- 8. round 2 settles
    page = run.step(period, "Thẩm định vòng 2")
    run.shot(page, "dieu-hanh-vong-2")
    code, value = SETTLED
    page = run.go(appraiser, f"/tham-dinh/muc/{answer_returned.pk}/", PHONE)
    expect(page.locator("body")).to_contain_text("Quyết định số 45/QĐ-UBND")
    _appraise(page, value=value, comment="Đã xem quyết định kiện toàn; chấp nhận một phần.")
    expect(page.get_by_text(f"Đã lưu kết quả thẩm định tiêu chí {code}").first).to_be_visible()
    run.shot(page, "tham-dinh-vong-2")
    assert answer_returned.records.count() == 2  # both rounds kept

    # ---------------------------- 9. warnings before finalising; compute, publish, public page
    page = run.step(
        period,
        "Chốt kết quả",
        warns=(
            f"1/2 đơn vị chưa gửi hồ sơ tự đánh giá: {COMMUNE_B}",
            "nội dung chưa thẩm định, sẽ giữ điểm tự chấm",
            f"1 đơn vị có tiêu chí chưa có điểm (7 nội dung, tính 0 điểm): {COMMUNE_B}",
        ),
    )
    run.shot(page, "dieu-hanh-da-chot")
    period.refresh_from_db()
    assert period.status == PeriodStatus.FINALISED

    page = run.go(staff, f"/danh-gia/{assessment.pk}/ket-qua-tham-dinh/", PHONE)
    expect(page.locator("#chi-so-tham-dinh")).to_contain_text(_vn(FINAL_INDEX))
    expect(page.locator("#bang-tham-dinh")).to_contain_text("Đã chốt ở vòng 2")
    run.shot(page, "don-vi-ket-qua-chinh-thuc")

    page = run.go(chair, f"/ket-qua/{period.pk}/")
    page.get_by_role("button", name="Tính kết quả").click()
    expect(page.locator("#xem-truoc")).to_be_visible()
    expect(page.locator("body")).to_contain_text(_vn(FINAL_INDEX))
    run.shot(page, "ket-qua-ban-nhap")

    decided = timezone.localdate() - datetime.timedelta(days=1)
    if decided.year > 2026:  # the decision is signed within 2025–2027
        decided = datetime.date(2026, 1, 15)
    page.locator("#id_decision_number").fill("125/QĐ-UBND")
    page.locator("#id_decision_date").fill(decided.strftime("%d/%m/%Y"))
    page.locator("#id_signer_name").fill("Nguyễn Văn Hùng")
    page.locator("#id_signer_title").fill("Chủ tịch UBND tỉnh")
    page.locator("#nut-cong-bo").click()
    expect(page.locator("#tom-tat-cong-bo")).to_be_visible()
    run.shot(page, "xac-nhan-cong-bo")
    page.locator("#xac-nhan-cong-bo").check()
    page.locator("#nut-xac-nhan-cong-bo").click()
    expect(page.get_by_text("125/QĐ-UBND").first).to_be_visible()
    assert ResultVersion.objects.current().filter(period=period).exists()

    page = run.visitor(f"/cong-bo/{period.pk}/")
    row = page.locator("tr", has_text=COMMUNE_A).first
    expect(row).to_contain_text(_vn(FINAL_INDEX))
    expect(row).to_contain_text("Tốt")
    run.shot(page, "cong-bo")
