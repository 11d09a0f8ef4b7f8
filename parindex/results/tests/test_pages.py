"""The results home page and the internal live results pages (/ky-danh-gia/…): who sees
what, the ranking table, statistics, search and unit detail.

The live pages compute through the engine on every request: they are the staff's preview
(``manager_client``), a 404 for anonymous visitors and for non-staff officials
(``unit_staff_client``) whatever the period's status. The public reads published versions
at /cong-bo/ (``test_public_pages.py``)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from parindex.periods.models import Period
from parindex.results.services import Decision, results_compute, results_publish
from parindex.results.tests.conftest import Scenario

pytestmark = pytest.mark.django_db


def group_url(period: Period, code: str = "so-ban-nganh") -> str:
    return f"/ky-danh-gia/{period.pk}/{code}/"


def publish(period: Period) -> None:
    results_publish(
        version=results_compute(period=period, actor=None),
        decision=Decision("386/QĐ-UBND", dt.date(period.year + 1, 2, 20), "Lê Quang Minh"),
        actor=None,
    )


def test_home_is_vietnamese_and_shows_published_results_only(
    anonymous_client: Client, unit_staff_client: Client, scenario: Scenario
) -> None:
    response = anonymous_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chỉ số cải cách hành chính" in html
    assert 'lang="vi"' in html
    assert "Chưa có kết quả nào được công bố." in html
    # finalised is not published: nothing of 2023/2024 yet
    assert "Năm 2024" not in html and "Năm 2023" not in html

    publish(scenario.p2024)
    for client in (anonymous_client, unit_staff_client):
        html = client.get("/").content.decode()
        assert "Năm 2024" in html and "386/QĐ-UBND" in html
        assert "Năm 2023" not in html and "Năm 2025" not in html
        assert "Bảng xếp hạng UBND cấp huyện" in html
        assert f'href="/cong-bo/{scenario.p2024.pk}/ubnd-cap-huyen/"' in html
        assert "/ky-danh-gia/" not in html and "Xem trước nội bộ" not in html


def test_home_adds_the_internal_preview_for_staff(
    manager_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2024)
    html = manager_client.get("/").content.decode()
    assert "Xem trước nội bộ (chỉ cán bộ quản lý)" in html
    for period in (scenario.p2023, scenario.p2024, scenario.p2025):
        assert f'href="/ky-danh-gia/{period.pk}/"' in html
    assert f'href="/cong-bo/{scenario.p2024.pk}/so-ban-nganh/"' in html


def test_staff_previews_any_period_live(manager_client: Client, scenario: Scenario) -> None:
    response = manager_client.get(f"/ky-danh-gia/{scenario.p2024.pk}/")
    assert response.status_code == 302
    assert response["Location"] == group_url(scenario.p2024)
    for period in (scenario.p2023, scenario.p2024, scenario.p2025):
        assert manager_client.get(group_url(period)).status_code == 200
        assert manager_client.get(group_url(period, "ubnd-cap-huyen")).status_code == 200
        assert manager_client.get(f"{group_url(period)}don-vi/T-SNV/").status_code == 200


@pytest.mark.parametrize("persona", ["anonymous_client", "unit_staff_client"])
@pytest.mark.parametrize("published", [False, True])
def test_live_pages_are_404_for_everyone_but_staff(
    request: pytest.FixtureRequest, persona: str, published: bool, scenario: Scenario
) -> None:
    """Finalised, published or running: the live preview does not exist for them."""
    client = request.getfixturevalue(persona)
    if published:
        publish(scenario.p2023)
        publish(scenario.p2024)
    for period in (scenario.p2023, scenario.p2024, scenario.p2025):
        for url in (
            f"/ky-danh-gia/{period.pk}/",
            group_url(period),
            group_url(period, "ubnd-cap-huyen"),
            f"{group_url(period)}don-vi/T-SNV/",
            f"{group_url(period)}tep-danh-gia.json",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "Sở Tư pháp" not in response.content.decode()


def test_staff_sees_an_unfinished_period_with_a_warning(
    manager_client: Client, scenario: Scenario
) -> None:
    response = manager_client.get(group_url(scenario.p2025))
    assert response.status_code == 200
    assert "kết quả chưa chốt" in response.content.decode()


def test_unknown_period_group_and_unit_are_404(manager_client: Client, scenario: Scenario) -> None:
    assert manager_client.get("/ky-danh-gia/999999/").status_code == 404
    assert manager_client.get(group_url(scenario.p2024, "khong-co")).status_code == 404
    # a unit of another group is not in this group's results
    assert manager_client.get(f"{group_url(scenario.p2024)}don-vi/T-PHULY/").status_code == 404


def test_ranking_table_shows_the_engine_numbers_vietnamese_style(
    manager_client: Client, scenario: Scenario
) -> None:
    response = manager_client.get(group_url(scenario.p2024))
    html = response.content.decode()
    rows = response.context["rows"]
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    for header in (
        "Hạng",
        "Đơn vị",
        "Điểm thẩm định",
        "Điểm khảo sát",
        "Tổng điểm",
        "Điểm tối đa",
        "Chỉ số (%)",
        "Xếp loại",
        "Thay đổi so với năm trước",
    ):
        assert header in html
    for r in rows:
        shown = format(r.index, "f").replace(".", ",")
        assert re.search(rf">\s*{re.escape(shown)}\s*<", html), shown
    office = next(r for r in rows if r.unit == "T-VP")
    assert office.max == 60
    assert not office.survey_applicable
    assert "KKS" in html
    # 2024 compares with 2023: changes with arrows
    assert any(r.rank_change for r in rows)
    assert "▲" in html or "▼" in html


def test_group_statistics_come_from_the_engine(manager_client: Client, scenario: Scenario) -> None:
    response = manager_client.get(group_url(scenario.p2024))
    stats = response.context["stats"]
    html = response.content.decode()
    assert stats.count == 3
    for label in (
        "Trung bình",
        "Cao nhất",
        "Thấp nhất",
        "Khoảng cách",
        "Số đơn vị trên trung bình",
    ):
        assert label in html
    assert format(stats.mean, "f").replace(".", ",") in html
    assert f"{stats.above_mean}/3" in html
    assert "Điểm trung bình theo lĩnh vực" in html
    assert len(response.context["field_stats"]) == 7


def test_chart_data_and_scripts_respect_the_csp(manager_client: Client, scenario: Scenario) -> None:
    response = manager_client.get(group_url(scenario.p2024))
    html = response.content.decode()
    assert 'id="du-lieu-bieu-do"' in html
    assert "/static/js/results-chart.js" in html
    assert "/static/vendor/chart.umd.min.js" in html
    assert 'style="' not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "nonce=" in tag or 'type="application/json"' in tag, tag
    chart = response.context["chart"]
    assert chart["labels"][0] == response.context["rows"][0].name
    assert chart["display"][0] == format(response.context["rows"][0].index, "f").replace(".", ",")


def test_search_is_diacritic_insensitive(manager_client: Client, scenario: Scenario) -> None:
    url = group_url(scenario.p2024, "ubnd-cap-huyen")
    response = manager_client.get(url, {"q": "phu ly"})
    assert [r.unit for r in response.context["rows"]] == ["T-PHULY"]
    assert [r.unit for r in manager_client.get(url, {"q": "KIM BẢNG"}).context["rows"]] == [
        "T-KIMBANG"
    ]
    assert manager_client.get(url, {"q": "khong co"}).context["rows"] == []
    # the rank shown is still the rank in the whole group
    full = {r.unit: r.rank for r in manager_client.get(url).context["rows"]}
    assert response.context["rows"][0].rank == full["T-PHULY"]


def test_search_with_htmx_returns_only_the_table(
    manager_client: Client, scenario: Scenario
) -> None:
    response = manager_client.get(
        group_url(scenario.p2024, "ubnd-cap-huyen"),
        {"q": "duy tien"},
        headers={"HX-Request": "true", "HX-Target": "bang-xep-hang"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="bang-xep-hang"' in html
    assert "UBND thị xã Duy Tiên" in html and "Phủ Lý" not in html


def test_unit_detail_shows_fields_criteria_and_lost_points(
    manager_client: Client, scenario: Scenario
) -> None:
    response = manager_client.get(f"{group_url(scenario.p2024)}don-vi/T-VP/")
    html = response.content.decode()
    result = response.context["result"]
    assert result.max == 60
    assert "Không áp dụng" in html
    assert "Không khảo sát" in html
    assert "Các tiêu chí bị mất điểm nhiều nhất" in html
    rows = {row.code: row for row in response.context["rows"]}
    assert rows["3"].not_applicable and rows["7.3"].not_applicable
    assert rows["7.1"].lost == rows["7.1"].max - rows["7.1"].points
    lost = response.context["lost"]
    assert lost == sorted(lost, key=lambda r: (-r.lost, r.code))
    assert "Chỉ số năm trước" in html


def test_export_is_for_staff_only(
    anonymous_client: Client, unit_staff_client: Client, manager_client: Client, scenario: Scenario
) -> None:
    assert (
        "Tải tệp đánh giá (JSON)" in manager_client.get(group_url(scenario.p2024)).content.decode()
    )
    url = f"{group_url(scenario.p2024)}tep-danh-gia.json"
    assert anonymous_client.get(url).status_code == 404
    assert unit_staff_client.get(url).status_code == 404
    response = manager_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/json")


def test_live_pages_say_they_are_a_preview_and_link_the_publication(
    manager_client: Client, scenario: Scenario
) -> None:
    html = manager_client.get(group_url(scenario.p2024)).content.decode()
    assert "Xem trước nội bộ:" in html and "Kỳ đánh giá chưa công bố kết quả." in html
    publish(scenario.p2024)
    for url in (group_url(scenario.p2024), f"{group_url(scenario.p2024)}don-vi/T-SNV/"):
        html = manager_client.get(url).content.decode()
        assert "Kết quả đã công bố (phiên bản 1, Quyết định số 386/QĐ-UBND)" in html, url
        assert f'href="/cong-bo/{scenario.p2024.pk}/so-ban-nganh/"' in html, url
