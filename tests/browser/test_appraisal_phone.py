"""The appraiser's screen in Chromium.

* The queue on a phone (390×844): no sideways page scroll, and the unit's name is not
  squeezed to one letter a line (the table used to shrink its cells to a letter a line);
  below 768 px each row is a card.
* The item page at 1366×768 shows how the criterion is scored ("Cách chấm").
* "Xem" opens a PDF of the evidence in a new tab, shown by the browser's PDF viewer.

Uses the appraisal tests' season in round 1 (``parindex/assessments/tests/
test_appraisal_support.py``). Screenshots: var/screenshots/appraisal-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from parindex.accounts.models import User
from parindex.assessments.models import Answer
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    round_1_fixture,
    season_fixture,
)
from parindex.conftest import _sample_document
from parindex.criteria.models import CriteriaSet
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.evidence.models import Evidence, EvidenceLink, SignatureStatus
from parindex.organizations.models import Level, Unit

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=15_000)
PASSWORD = "mat-khau-thu-nghiem"  # noqa: S105 (test persona)
LONG_NAME = "Ủy ban nhân dân xã Vân Sơn, huyện Sơn Động"


@pytest.fixture
def criteria_set(province: Unit) -> CriteriaSet:
    """The sample set of the unit tests (``parindex/conftest.py``), 2024, for sở."""
    return criteria_set_import_document(
        document=_sample_document(),
        info=SetInfo(level=Level.DEPARTMENT, year=2024, jurisdiction=province),
        actor=None,
    )


def _sign_in(page: Page, live_server: Any, user: User, next_path: str) -> None:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    page.goto(f"{live_server}/tai-khoan/dang-nhap/?next={next_path}")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))


def test_the_queue_fits_a_phone(
    page: Page, live_server: Any, round_1: Season, screenshot_dir: Path
) -> None:
    Unit.objects.filter(pk=round_1.unit_a.pk).update(name=LONG_NAME)
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, round_1.appraiser, f"/tham-dinh/{round_1.period.pk}/")
    expect(page.get_by_role("heading", name=re.compile("Danh sách thẩm định"))).to_be_visible()
    cell = page.locator("td", has_text="Vân Sơn").first
    expect(cell).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "appraisal-queue-phone.png"), full_page=True)

    overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"the page scrolls sideways: {overflow}"
    box = cell.bounding_box()
    assert box is not None and box["width"] > 80, f"the unit's name is squeezed: {box}"
    criterion = page.locator("td", has=page.get_by_role("link", name=re.compile(r"^1\.1 "))).first
    criterion_box = criterion.bounding_box()
    assert criterion_box is not None and criterion_box["width"] > 80
    # Every item still opens from the phone.
    criterion.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile(r"^1\.1\."))).to_be_visible()
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the item page scrolls sideways: {width}"


def test_the_item_page_shows_how_to_score_at_1366(
    page: Page, live_server: Any, round_1: Season, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    _sign_in(page, live_server, round_1.appraiser, f"/tham-dinh/{round_1.period.pk}/")
    page.get_by_role("link", name=re.compile(r"^1\.2 ")).click()
    card = page.locator("#tieu-chi-cham")
    expect(card).to_contain_text("Cách chấm:")
    expect(card).to_contain_text("Tỷ lệ phần trăm × điểm tối đa")
    page.screenshot(path=str(screenshot_dir / "appraisal-item-1366.png"), full_page=True)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the item page scrolls sideways: {width}"


def test_xem_opens_the_pdf_in_a_new_tab(
    page: Page, live_server: Any, round_1: Season, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    answer = Answer.objects.get(assessment=round_1.a, node__code="1.1")
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    evidence = Evidence(
        period=round_1.period,
        unit=round_1.unit_a,
        original_name="Kế hoạch CCHC.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256="1" * 64,
        signature_status=SignatureStatus.UNSIGNED,
    )
    evidence.file.save("ke-hoach.pdf", ContentFile(pdf), save=False)
    evidence.save()
    EvidenceLink.objects.create(evidence=evidence, answer=answer)
    page.set_viewport_size({"width": 1366, "height": 768})
    _sign_in(page, live_server, round_1.appraiser, f"/tham-dinh/muc/{answer.pk}/")
    with page.expect_popup() as popup_info:
        page.get_by_role("link", name=re.compile(r"^Xem Kế hoạch CCHC\.pdf")).click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url.endswith(f"/tai-lieu/{evidence.pk}/xem/")
    assert popup.evaluate("document.contentType") == "application/pdf"
