"""The public results pages (/cong-bo/) in a real Chromium, at phone (375×812) and desktop
(1366×768) widths: an anonymous visitor opens a published ranking and a unit's page, every
chart is drawn (a canvas with a size and non-blank pixels), the search works without
diacritics, and nothing breaks the Content-Security-Policy. Screenshots go to
var/screenshots/public-*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from parindex.periods.models import Period
from parindex.results.models import ResultVersion
from parindex.results.services import Decision, results_compute, results_publish

pytestmark = pytest.mark.django_db(transaction=True)

RANKING_CHARTS = ("bieu-do-qua-cac-nam", "bieu-do-xep-loai", "bieu-do-don-vi")
UNIT_CHARTS = ("bieu-do-linh-vuc", "bieu-do-lich-su")

# True once Chart.js has drawn on the canvas: it has a size and some non-transparent pixel.
DRAWN = """(id) => {
  const c = document.getElementById(id);
  if (!c || c.width === 0 || c.height === 0) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
  return false;
}"""


@pytest.fixture
def published_demo(demo_database: None) -> Period:
    """The demo with 2023 and 2024 published (the demo publishes them; if not, here)."""
    periods = {p.year: p for p in Period.objects.filter(jurisdiction__code="MINH-HA")}
    for year in (2023, 2024):
        if not ResultVersion.objects.current().filter(period=periods[year]).exists():
            results_publish(
                version=results_compute(period=periods[year], actor=None),
                decision=Decision(f"{year}/QĐ-UBND", dt.date(year + 1, 2, 20), "Lê Quang Minh"),
                actor=None,
            )
    return periods[2024]


def assert_charts_drawn(page: Page, ids: tuple[str, ...]) -> None:
    for chart in ids:
        canvas = page.locator(f"#{chart}")
        expect(canvas).to_be_attached()
        box = canvas.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, chart
        page.wait_for_function(DRAWN, arg=chart, timeout=10_000)


@pytest.mark.parametrize(("width", "height", "name"), [(375, 812, "phone"), (1366, 768, "desktop")])
def test_public_ranking_and_unit_pages_draw_their_charts(
    page: Page,
    live_server: object,
    published_demo: Period,
    screenshot_dir: Path,
    width: int,
    height: int,
    name: str,
) -> None:
    problems: list[str] = []
    # console errors (a CSP refusal, a script error); a failed load is reported by its
    # response below (the browser's own favicon request is not the page's)
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.set_viewport_size({"width": width, "height": height})

    page.goto(f"{live_server}/cong-bo/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("đã công bố")
    card = page.locator("section.card").filter(has_text="Năm 2024")
    card.get_by_role("link", name="Bảng xếp hạng UBND cấp xã").click()

    expect(page.locator("h1")).to_contain_text("UBND cấp xã")
    expect(page.get_by_text("Công bố theo Quyết định số")).to_be_visible()
    assert_charts_drawn(page, RANKING_CHARTS)
    expect(page.locator("#ban-do-nhiet td.heat").first).to_be_visible()
    rows = page.locator("#bang-xep-hang-cong-bo tbody tr")
    assert rows.count() > 10
    # the page fits the phone: no sideways scrolling of the page itself
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than the screen"
    page.screenshot(path=str(screenshot_dir / f"public-ranking-{name}.png"), full_page=True)

    # search without diacritics: only the table is swapped (htmx)
    page.get_by_label("Tìm đơn vị").fill("dong tam")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("UBND xã Đồng Tâm")
    expect(page.locator("#bieu-do-don-vi")).to_be_attached()  # the charts stay

    rows.first.get_by_role("link", name="UBND xã Đồng Tâm").click()
    expect(page.locator("h1")).to_have_text("UBND xã Đồng Tâm")
    expect(page.get_by_role("heading", name="Đơn vị bị mất điểm ở đâu")).to_be_visible()
    assert_charts_drawn(page, UNIT_CHARTS)
    expect(page.locator("#lich-su tbody tr")).to_have_count(2)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the unit page is {overflow}px wider than the screen"
    page.screenshot(path=str(screenshot_dir / f"public-unit-{name}.png"), full_page=True)

    assert not problems, problems


def test_unpublished_results_are_not_found_in_the_browser(
    page: Page, live_server: object, published_demo: Period
) -> None:
    running = Period.objects.get(jurisdiction__code="MINH-HA", year=2025)
    response = page.goto(f"{live_server}/cong-bo/{running.pk}/mh-ubnd-cap-xa/")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server}/ky-danh-gia/{published_demo.pk}/mh-ubnd-cap-xa/")
    assert response is not None and response.status == 404  # the live preview is for staff
