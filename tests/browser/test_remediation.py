"""From lost points to fixed points, in Chromium at 1366×768.

On the remediation tests' finalised commune season (``parindex/remediation/tests/
conftest.py``: the commune lost 2 points on 1.1 and 3 on 2.2, each with the council's
comment):

1. the unit's leader gives field 1 to an officer on "Phân công nhiệm vụ";
2. the leader turns the loss on 1.1 into a task for that officer, with a due date;
3. the officer finds it under "Nhiệm vụ khắc phục của tôi" and closes it with a PDF;
4. the chair reads the oversight list: one task done, the 3 points of 2.2 still at stake
   once the leader has made a task for it too.

Screenshots go to var/screenshots/remediation-*.png.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from parindex.accounts.models import User
from parindex.remediation.models import RemediationTask, TaskStatus
from parindex.remediation.tests.conftest import (  # noqa: F401 (fixtures)
    COMMENT_11,
    Season,
    other_leader,
    pdf_bytes,
    season,
)
from tests.browser.test_unit_screen import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=15_000)


def _shot(page: Page, directory: Path, name: str) -> None:
    page.screenshot(path=str(directory / f"remediation-{name}.png"), full_page=True)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_lost_points_become_tasks_closed_with_evidence(
    page: Page,
    live_server: Any,
    season: Season,  # noqa: F811
    unit_leader: User,
    unit_staff: User,
    chair: User,
    screenshot_dir: Path,
    tmp_path: Path,
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    unit_staff.full_name = "Trần Văn Hòa"
    unit_staff.save(update_fields=["full_name"])

    # 1. The leader gives field 1 to the officer.
    _sign_in(page, live_server, unit_leader, "/don-vi/phan-cong/")
    expect(page.get_by_role("heading", name="Phân công nhiệm vụ trong đơn vị")).to_be_visible()
    row = page.locator('[data-code="1"]')
    row.get_by_label("Cán bộ phụ trách 1").select_option(label="Trần Văn Hòa")
    row.get_by_role("button", name="Lưu phân công 1").click()
    expect(page.locator('[data-code="1"]')).to_contain_text("Đã lưu")
    expect(page.locator('[data-code="1.1"]')).to_contain_text("Trần Văn Hòa")
    _shot(page, screenshot_dir, "1-assignments")

    # 2. The loss on 1.1 becomes a task for the officer.
    page.goto(f"{live_server}/khac-phuc/danh-gia/{season.a.pk}/")
    card = page.locator("#bi-tru-1\\.1")
    expect(card).to_contain_text(COMMENT_11)
    expect(page.locator("#tong-diem-bi-tru")).to_have_text("5,40")
    card.get_by_label("1.1", exact=False).first.check()
    card.locator("summary").click()
    card.get_by_label("Biện pháp khắc phục").fill("Ban hành kế hoạch CCHC năm trước ngày 31/12.")
    card.get_by_label("Cán bộ thực hiện").select_option(label="Trần Văn Hòa")
    due = timezone.localdate() + datetime.timedelta(days=30)
    card.get_by_label("Hạn hoàn thành").fill(due.isoformat())
    _shot(page, screenshot_dir, "2-lost-points")
    page.get_by_role("button", name="Giao nhiệm vụ cho các tiêu chí đã chọn").click()
    expect(page.get_by_text("Ban hành kế hoạch CCHC năm trước ngày 31/12.").first).to_be_visible()
    task = RemediationTask.objects.get(unit=season.a.unit, node_code="1.1")
    assert task.officer == unit_staff and task.due_date == due
    _sign_out(page)

    # 3. The officer closes it with a PDF.
    _sign_in(page, live_server, unit_staff, "/viec-can-lam/")
    mine = page.locator("#viec-khac-phuc")
    expect(mine).to_contain_text("1.1")
    mine.get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server}/khac-phuc/nhiem-vu/{task.pk}/")
    done = page.locator("#hoan-thanh")
    done.get_by_label("Kết quả thực hiện").fill("Đã ban hành Kế hoạch số 30/KH-UBND ngày 20/12.")
    pdf = tmp_path / "ke-hoach-cchc.pdf"
    pdf.write_bytes(pdf_bytes(b"browser"))
    done.get_by_label("Tải tệp kết quả").set_input_files(str(pdf))
    done.get_by_role("button", name="Hoàn thành").click()
    expect(page.locator("#tai-lieu")).to_contain_text("ke-hoach-cchc.pdf")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.evidence.count() == 1
    _shot(page, screenshot_dir, "3-task-done")
    _sign_out(page)

    # The leader also gives 2.2 to the section (made from the lost-points page's form).
    _sign_in(page, live_server, unit_leader, f"/khac-phuc/danh-gia/{season.a.pk}/")
    card = page.locator("#bi-tru-2\\.2")
    card.get_by_label("2.2", exact=False).first.check()
    card.locator("summary").click()
    card.get_by_label("Biện pháp khắc phục").fill("Rà soát hồ sơ bị yêu cầu bổ sung quá một lần.")
    card.get_by_label("Bộ phận thực hiện").select_option(label=season.section.name)
    card.get_by_label("Hạn hoàn thành").fill(due.isoformat())
    page.get_by_role("button", name="Giao nhiệm vụ cho các tiêu chí đã chọn").click()
    expect(page.get_by_text("Rà soát hồ sơ bị yêu cầu bổ sung quá một lần.").first).to_be_visible()
    _sign_out(page)

    # 4. The chair's oversight list.
    _sign_in(page, live_server, chair, f"/khac-phuc/theo-doi/{season.period.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Theo dõi khắc phục")
    body = page.locator("main")
    expect(body).to_contain_text(season.a.unit.name)
    expect(body).to_contain_text("Ban hành kế hoạch CCHC năm trước ngày 31/12.")
    expect(body).to_contain_text("Đã hoàn thành")
    expect(body).to_contain_text("3,00")  # 2.2 still open: its 3 points at stake
    _shot(page, screenshot_dir, "4-oversight")
    with page.expect_download() as download:
        page.locator("#tai-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
