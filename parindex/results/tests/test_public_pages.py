"""The public results pages (/cong-bo/): published snapshots only, for everyone.

Personas: an anonymous visitor (``anonymous_client``) for every public page; the Sở Nội vụ's
manager (``manager_client``, staff) to show that even staff see no draft here.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parindex.assessments.models import Assessment
from parindex.assessments.services.final_scores import FinalScores, final_scores_store_many
from parindex.core.formatting import format_vn
from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Level
from parindex.organizations.services import UnitSpec, unit_group_create, units_bulk_create
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status
from parindex.results.models import ResultRow, ResultVersion, VersionStatus
from parindex.results.public_views import PAGE_SIZE
from parindex.results.services import (
    Decision,
    results_compute,
    results_compute_start,
    results_publish,
)
from parindex.results.tests.conftest import Scenario, values

pytestmark = pytest.mark.django_db

D = Decimal
SIGNER = "Lê Quang Minh"


def publish(period: Period, number: str = "386/QĐ-UBND", reason: str = "") -> ResultVersion:
    """Compute the period's draft and publish it (a correction when ``reason`` is given)."""
    return results_publish(
        version=results_compute(period=period, actor=None),
        decision=Decision(number, dt.date(period.year + 1, 2, 20), SIGNER, "Chủ tịch", reason),
        actor=None,
    )


def ranking_url(period: Period, group: str = "so-ban-nganh") -> str:
    return f"/cong-bo/{period.pk}/{group}/"


def unit_url(period: Period, unit: str, group: str = "so-ban-nganh") -> str:
    return f"{ranking_url(period, group)}don-vi/{unit}/"


class RankingTable(HTMLParser):
    """Reads the public ranking table: unit code → {column → text as shown}."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self.order: list[str] = []
        self.inside = False
        self.unit: str | None = None
        self.column: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("id") == "bang-xep-hang-cong-bo":
            self.inside = True
        elif self.inside and tag == "tr" and found.get("data-unit"):
            self.unit = found["data-unit"]
            self.order.append(self.unit or "")
            self.rows[self.unit or ""] = {}
        elif self.inside and self.unit and tag == "td" and found.get("data-col"):
            self.column = found["data-col"]
            self.rows[self.unit][self.column or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.column = None
        elif tag == "tr":
            self.unit = None
        elif tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.unit and self.column:
            self.rows[self.unit][self.column] += data


def read_table(html: str) -> RankingTable:
    table = RankingTable()
    table.feed(html)
    for cells in table.rows.values():
        for column, text in cells.items():
            cells[column] = " ".join(text.split())
    return table


def all_pages(client: Client, url: str) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Every row of every page of a ranking, and the unit codes in the order shown."""
    rows: dict[str, dict[str, str]] = {}
    order: list[str] = []
    page = 1
    while True:
        response = client.get(url, {"trang": page})
        assert response.status_code == 200, url
        table = read_table(response.content.decode())
        rows.update(table.rows)
        order += table.order
        if page >= response.context["pages"]:
            return rows, order
        page += 1


@pytest.fixture
def published(scenario: Scenario) -> Scenario:
    """2023 and 2024 published (2024 compared with 2023); 2025 is still running."""
    publish(scenario.p2023, "412/QĐ-UBND")
    publish(scenario.p2024)
    return scenario


# --------------------------------------------------------------------------- the numbers


def test_ranking_shows_the_stored_numbers_header_and_statistics(
    anonymous_client: Client, published: Scenario
) -> None:
    response = anonymous_client.get(ranking_url(published.p2024))
    assert response.status_code == 200
    html = response.content.decode()
    # the header: period, decision, signer; the version
    assert "Năm 2024" in html
    assert "386/QĐ-UBND" in html and "20/02/2025" in html and SIGNER in html
    assert "phiên bản 1" in html
    # every unit as stored in the snapshot, Vietnamese style with the group's places
    rows = {
        r.code: r
        for r in ResultRow.objects.filter(
            version__period=published.p2024, result_group__code="so-ban-nganh"
        )
    }
    table = read_table(html)
    assert table.order == [r.code for r in sorted(rows.values(), key=lambda r: r.position)]
    assert len(table.order) == 3
    for code, cells in table.rows.items():
        detail = rows[code].detail
        assert cells["index"] == format_vn(detail["index"]), code
        assert cells["total"] == format_vn(detail["total"]), code
        assert cells["points"] == format_vn(detail["points"]), code
        assert cells["leader"] == (rows[code].leader_rating or "—"), code
        assert "," in cells["index"] and "." not in cells["index"], cells["index"]
    assert table.rows["T-VP"]["survey"] == "không khảo sát"
    assert table.rows["T-SNV"]["adjustments"] == "−0,50"
    assert any(
        cells["rank_change"] in ("▲ 1", "▲ 2", "▼ 1", "▼ 2") for cells in table.rows.values()
    )
    # statistics of the group as the engine gave them
    stats = response.context["stats"]
    for key in ("mean", "max", "min", "spread"):
        assert re.search(rf'data-stat="{key}">{re.escape(format_vn(stats[key]))}<', html), key
    assert f"{stats['above_mean']}/3" in html
    assert "Điểm trung bình theo lĩnh vực so với điểm tối đa" in html
    assert len(response.context["field_stats"]) == 7
    assert 'max="14"' in html  # field 1 against its maximum (a <meter>)


def test_charts_heat_map_and_scripts_respect_the_csp(
    anonymous_client: Client, published: Scenario
) -> None:
    response = anonymous_client.get(ranking_url(published.p2024, "ubnd-cap-huyen"))
    html = response.content.decode()
    assert 'style="' not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "nonce=" in tag or 'type="application/json"' in tag, tag
    for script in ("vendor/chart.umd.min.js", "js/public-charts.js"):
        assert re.search(rf'<script src="/static/{script}" nonce="[^"]+" defer>', html), script
    assert "/static/css/public.css" in html
    for canvas, data in (
        ("bieu-do-don-vi", "du-lieu-don-vi"),
        ("bieu-do-qua-cac-nam", "du-lieu-qua-cac-nam"),
        ("bieu-do-xep-loai", "du-lieu-xep-loai"),
    ):
        assert f'id="{canvas}" data-chart="{data}"' in html
        assert f'id="{data}" type="application/json"' in html
    units = response.context["units_chart"]
    rows = response.context["rows"]
    assert units["labels"] == [r.short_name or r.name for r in rows]
    stored_index = {
        r.code: r.detail["index"] for r in ResultRow.objects.filter(version__period=published.p2024)
    }
    assert units["values"] == [stored_index[r.code] for r in rows]  # stored, not recomputed
    assert units["display"] == [format_vn(stored_index[r.code]) for r in rows]
    years = response.context["years_chart"]
    assert years["labels"] == ["Năm 2023", "Năm 2024"]
    classes = response.context["classes_chart"]
    assert sum(classes["values"]) == 3
    order = ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    assert classes["labels"] == sorted(classes["labels"], key=order.index)
    # heat map: one coloured cell per unit and field, the stored percent printed in it
    assert 'id="ban-do-nhiet"' in html
    stored = ResultRow.objects.get(version__period=published.p2024, code="T-KIMBANG")
    for field in stored.detail["fields"]:
        percent = format_vn(field["percent"])
        bucket = min(10, int(D(field["percent"]) // 10))
        assert re.search(
            rf'<td class="heat heat-{bucket}" data-field="{re.escape(field["code"])}">'
            rf"{re.escape(percent)}</td>",
            html,
        ), field
    assert "3 đơn vị" in html and "mỗi trang tối đa 100 đơn vị" in html


def test_unit_page_shows_fields_criteria_lost_points_and_history(
    anonymous_client: Client, published: Scenario
) -> None:
    response = anonymous_client.get(unit_url(published.p2024, "T-VP"))
    assert response.status_code == 200
    html = response.content.decode()
    row = ResultRow.objects.get(version__period=published.p2024, code="T-VP")
    assert f'<span data-col="index">{format_vn(row.detail["index"])}</span>%' in html
    assert "Không khảo sát" in html and "Không áp dụng" in html
    assert row.detail["max"] == "60.00" and "60,00" in html
    tree = {line.code: line for line in response.context["tree"]}
    assert tree["3"].not_applicable and tree["3.1"].not_applicable and tree["7.3"].not_applicable
    assert tree["7.1"].lost == D(tree["7.1"].max) - D(tree["7.1"].points)
    assert tree["1"].is_field and tree["1.1"].depth == 1 and tree["1.1"].is_leaf
    lost = response.context["lost"]
    assert lost and all(line.is_leaf and line.lost > 0 for line in lost)
    assert [line.lost for line in lost] == sorted((line.lost for line in lost), reverse=True)
    assert "Đơn vị bị mất điểm ở đâu" in html
    fields = {f["code"]: f for f in response.context["fields"]}
    assert fields["3"]["percent"] is None
    assert (
        fields["1"]["percent"]
        == next(f for f in row.detail["fields"] if f["code"] == "1")["percent"]
    )
    assert 'id="bieu-do-linh-vuc" data-chart="du-lieu-linh-vuc"' in html
    assert response.context["fields_chart"]["rows"] == 6  # field 3 is not applicable
    # the unit over the years: 2023 and 2024 as published
    history = response.context["history"]
    assert [year for year, _index, _row in history] == [2023, 2024]
    assert 'id="bieu-do-lich-su"' in html
    assert "Chỉ số năm trước" in html and "Thứ hạng năm trước" in html


def test_unit_page_shows_the_guidance_of_criteria_where_points_were_lost(
    anonymous_client: Client, published: Scenario
) -> None:
    version = ResultVersion.objects.current().get(period=published.p2024)
    group = version.groups.get(code="so-ban-nganh")
    group.nodes = [
        {**node, "guidance": "Có kế hoạch ban hành trước ngày 31/12: đạt."}
        if node["code"] == "7.1"
        else node
        for node in group.nodes
    ]
    group.save(update_fields=["nodes"])
    html = anonymous_client.get(unit_url(published.p2024, "T-VP")).content.decode()
    assert "Hướng dẫn chấm điểm" in html
    assert "Có kế hoạch ban hành trước ngày 31/12: đạt." in html


# --------------------------------------------------------------------------- who sees what


def test_home_lists_published_periods_only(anonymous_client: Client, scenario: Scenario) -> None:
    assert "Chưa có kết quả nào được công bố" in anonymous_client.get("/cong-bo/").content.decode()
    publish(scenario.p2023, "412/QĐ-UBND")
    results_compute(period=scenario.p2024, actor=None)  # a draft: not public
    for url in ("/cong-bo/", "/"):
        html = anonymous_client.get(url).content.decode()
        assert "Năm 2023" in html and "412/QĐ-UBND" in html, url
        assert "Năm 2024" not in html and "Năm 2025" not in html, url
        assert f'href="/cong-bo/{scenario.p2023.pk}/ubnd-cap-huyen/"' in html, url
        assert "/ky-danh-gia/" not in html, url


def test_period_redirects_to_its_first_group_keeping_the_version(
    anonymous_client: Client, published: Scenario
) -> None:
    response = anonymous_client.get(f"/cong-bo/{published.p2024.pk}/")
    assert response.status_code == 302
    assert response["Location"] == ranking_url(published.p2024)
    response = anonymous_client.get(f"/cong-bo/{published.p2024.pk}/", {"phien-ban": 1})
    assert response["Location"] == ranking_url(published.p2024) + "?phien-ban=1"


def _public_urls(period: Period, group: str = "so-ban-nganh", unit: str = "T-SNV") -> list[str]:
    base = f"/cong-bo/{period.pk}/"
    return [base, f"{base}{group}/", f"{base}{group}/don-vi/{unit}/"]


def _draft(scenario: Scenario) -> Period:
    results_compute(period=scenario.p2023, actor=None)
    return scenario.p2023


def _failed(scenario: Scenario) -> Period:
    draft = results_compute(period=scenario.p2023, actor=None)
    ResultVersion.objects.filter(pk=draft.pk).update(status=VersionStatus.FAILED)
    return scenario.p2023


def _computing(scenario: Scenario) -> Period:
    results_compute_start(period=scenario.p2023, actor=None)  # queued, never run here
    return scenario.p2023


def _running(scenario: Scenario) -> Period:
    results_compute(period=scenario.p2025, actor=None)  # not finalised: a draft only
    return scenario.p2025


def _nothing(scenario: Scenario) -> Period:
    return scenario.p2024


@pytest.mark.parametrize("state", [_draft, _failed, _computing, _running, _nothing])
@pytest.mark.parametrize("persona", ["anonymous_client", "manager_client"])
def test_unpublished_results_are_404_on_every_public_url(
    request: pytest.FixtureRequest, persona: str, scenario: Scenario, state: Any
) -> None:
    client: Client = request.getfixturevalue(persona)
    period = state(scenario)
    for url in _public_urls(period):
        for query in ({}, {"phien-ban": 1}):
            response = client.get(url, query)
            assert response.status_code == 404, (url, query)
            assert "Sở Nội vụ" not in response.content.decode()


def test_unknown_group_unit_and_version_are_404(
    anonymous_client: Client, published: Scenario
) -> None:
    period = published.p2024
    assert anonymous_client.get(ranking_url(period)).status_code == 200
    for url, query in (
        ("/cong-bo/999999/", {}),
        (ranking_url(period, "khong-co"), {}),
        (unit_url(period, "KHONG-CO"), {}),
        (unit_url(period, "T-PHULY"), {}),  # a unit of another group
        (ranking_url(period), {"phien-ban": 2}),
        (ranking_url(period), {"phien-ban": "abc"}),
        (ranking_url(period), {"phien-ban": 0}),
        (unit_url(period, "T-SNV"), {"phien-ban": 9}),
        (f"/cong-bo/{period.pk}/", {"phien-ban": 5}),
    ):
        assert anonymous_client.get(url, query).status_code == 404, (url, query)


def test_a_new_draft_never_shows_on_the_public_pages(
    anonymous_client: Client, published: Scenario
) -> None:
    before = anonymous_client.get(ranking_url(published.p2023)).content.decode()
    Assessment.objects.filter(period=published.p2023).update(bonus=D(2))
    draft = results_compute(period=published.p2023, actor=None)
    assert draft.status == VersionStatus.DRAFT
    after = anonymous_client.get(ranking_url(published.p2023)).content.decode()
    assert read_table(after).rows == read_table(before).rows
    assert "+2,00" not in after


def test_a_superseded_version_stays_reachable_with_its_banner(
    anonymous_client: Client, published: Scenario
) -> None:
    period = published.p2024
    old = {
        r.code: r.detail["index"]
        for r in ResultRow.objects.filter(
            version__period=period, version__number=1, result_group__code="so-ban-nganh"
        )
    }
    Assessment.objects.filter(period=period, unit__code="T-VP").update(bonus=D(2))
    publish(period, "401/QĐ-UBND", reason="Bổ sung điểm thưởng của Văn phòng UBND tỉnh")

    current = anonymous_client.get(ranking_url(period))
    html = current.content.decode()
    assert "401/QĐ-UBND" in html and "phiên bản 2" in html
    assert "Lý do đính chính: Bổ sung điểm thưởng của Văn phòng UBND tỉnh" in html
    assert f'href="{ranking_url(period)}?phien-ban=1"' in html
    assert "đã được đính chính" not in html

    response = anonymous_client.get(ranking_url(period), {"phien-ban": 1})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đây là phiên bản 1, đã được đính chính." in html
    assert f'<a class="alert-link" href="{ranking_url(period)}">Xem phiên bản hiện hành</a>' in html
    shown = read_table(html).rows
    assert {code: cells["index"] for code, cells in shown.items()} == {
        code: format_vn(index) for code, index in old.items()
    }
    # links keep the old version: units, tabs, the search form
    assert f'href="{unit_url(period, "T-VP")}?phien-ban=1"' in html
    assert 'name="phien-ban" value="1"' in html
    unit = anonymous_client.get(unit_url(period, "T-VP"), {"phien-ban": 1})
    assert unit.status_code == 200
    assert "Đây là phiên bản 1, đã được đính chính." in unit.content.decode()
    assert format_vn(old["T-VP"]) in unit.content.decode()


# --------------------------------------------------------------------------- search, pages


def test_search_ignores_diacritics_and_keeps_the_rank_in_the_group(
    anonymous_client: Client, published: Scenario
) -> None:
    url = ranking_url(published.p2024, "ubnd-cap-huyen")
    full = read_table(anonymous_client.get(url).content.decode()).rows
    for query, expected in (
        ("phu ly", "T-PHULY"),
        ("KIM BẢNG", "T-KIMBANG"),
        ("t-duy", "T-DUYTIEN"),
    ):
        response = anonymous_client.get(url, {"q": query})
        table = read_table(response.content.decode())
        assert table.order == [expected], query
        assert table.rows[expected]["rank"] == full[expected]["rank"]
        assert "1 đơn vị phù hợp" in response.content.decode()
    response = anonymous_client.get(url, {"q": "khong co"})
    assert read_table(response.content.decode()).order == []
    assert "Không có đơn vị nào phù hợp." in response.content.decode()


def test_search_with_htmx_returns_only_the_table(
    anonymous_client: Client, published: Scenario
) -> None:
    response = anonymous_client.get(
        ranking_url(published.p2024, "ubnd-cap-huyen"),
        {"q": "duy tien"},
        headers={"HX-Request": "true", "HX-Target": "bang-xep-hang"},
    )
    html = response.content.decode()
    assert "<html" not in html and "<canvas" not in html
    assert html.lstrip().startswith('<div id="bang-xep-hang">')
    assert "UBND thị xã Duy Tiên" in html and "Phủ Lý" not in html


@pytest.fixture
def sizes(scenario: Scenario, criteria_set: CriteriaSet) -> Period:
    """Năm 2022, published: a group of 6 communes and a group of 300."""
    province = scenario.p2023.jurisdiction
    groups = {
        size: unit_group_create(
            code=f"xa-{size}", name=f"Nhóm {size} xã", level=Level.COMMUNE, position=9, actor=None
        )
        for size in (6, 300)
    }
    units = units_bulk_create(
        specs=[
            UnitSpec(
                code=f"X{size}-{n:03d}",
                name=f"UBND xã Thử Nghiệm {n} ({size})",
                level=Level.COMMUNE,
                parent_code=province.code,
                group_code=groups[size].code,
            )
            for size in groups
            for n in range(size)
        ],
        actor=None,
    )
    period = period_create(
        jurisdiction=province,
        year=2022,
        kind=PeriodKind.ANNUAL,
        name="Năm 2022",
        groups={group: criteria_set for group in groups.values()},
        actor=None,
    )
    final_scores_store_many(
        period=period,
        entries=[
            FinalScores(unit=unit, values=values(n % 11), survey_points=D(7) + D(n % 5) / 2)
            for n, unit in enumerate(units)
        ],
        actor=None,
    )
    period_set_status(period=period, status=PeriodStatus.FINALISED, actor=None)
    publish(period, "300/QĐ-UBND")
    return period


def _queries(client: Client, url: str, query: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_group(
    anonymous_client: Client, sizes: Period
) -> None:
    small, big = ranking_url(sizes, "xa-6"), ranking_url(sizes, "xa-300")
    anonymous_client.get(small)  # warm up (content types, sessions …)
    counts = {
        "6": _queries(anonymous_client, small),
        "300": _queries(anonymous_client, big),
        "300 trang 3": _queries(anonymous_client, big, {"trang": 3}),
    }
    assert len(set(counts.values())) == 1, counts
    assert counts["6"] <= 9, counts  # 9: the published documents listed beside the decision
    searched = {
        "6": _queries(anonymous_client, small, {"q": "thu nghiem 1"}),
        "300": _queries(anonymous_client, big, {"q": "thu nghiem 1"}),
    }
    assert len(set(searched.values())) == 1, searched
    unit = {
        "6": _queries(anonymous_client, unit_url(sizes, "X6-001", "xa-6")),
        "300": _queries(anonymous_client, unit_url(sizes, "X300-001", "xa-300")),
    }
    assert len(set(unit.values())) == 1, unit


def test_a_big_group_is_paginated_a_hundred_units_a_page(
    anonymous_client: Client, sizes: Period
) -> None:
    url = ranking_url(sizes, "xa-300")
    shown, order = all_pages(anonymous_client, url)
    assert len(order) == len(set(order)) == 300
    stored = list(
        ResultRow.objects.filter(result_group__code="xa-300", version__period=sizes)
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert order == stored
    third = anonymous_client.get(url, {"trang": 3})
    assert len(third.context["rows"]) == PAGE_SIZE
    html = third.content.decode()
    assert "Đang xem đơn vị thứ 201–300 (trang 3/3)" in html
    assert len(third.context["units_chart"]["labels"]) == PAGE_SIZE
    assert "của trang 3" in html
    assert 'href="?trang=2"' in html  # the previous page
    # out of range or nonsense: the nearest page
    assert anonymous_client.get(url, {"trang": 99}).context["page"] == 3
    assert anonymous_client.get(url, {"trang": "x"}).context["page"] == 1
    searched = anonymous_client.get(url, {"q": "thu nghiem 2", "trang": "2"})
    # every word anywhere in the code or name: "thu", "nghiem" and "2"
    assert searched.context["count"] == sum("2" in str(n) for n in range(300))
    assert 'href="?q=thu+nghiem+2&amp;trang=1"' in searched.content.decode()


@pytest.mark.slow
def test_a_group_of_11000_communes_needs_as_many_queries_as_a_group_of_6(
    anonymous_client: Client, sizes: Period
) -> None:
    """The query count of the ranking does not grow with the group. The 11,000 rows are
    copies of the published 300 (bulk-inserted). Its speed is measured by
    ``parindex bench ranking`` (docs/performance.md), not asserted here."""
    version = ResultVersion.objects.current().get(period=sizes)
    source = version.groups.get(code="xa-300")
    big = version.groups.create(
        code="ca-nuoc",
        name="UBND cấp xã cả nước",
        position=10,
        points_places=source.points_places,
        index_places=source.index_places,
        survey_max=source.survey_max,
        fields=source.fields,
        nodes=source.nodes,
        stats={**source.stats, "count": 11_000},
        units_count=11_000,
    )
    fields = [f.attname for f in ResultRow._meta.concrete_fields if not f.primary_key]
    rows = list(ResultRow.objects.filter(result_group=source).order_by("position").values(*fields))
    copies = [
        ResultRow(
            **{
                **rows[n % len(rows)],
                "result_group_id": big.pk,
                "unit_id": None,
                "code": f"CN-{n:05d}",
                "name": f"UBND xã Cả Nước {n}",
                "search_text": f"cn-{n:05d} ubnd xa ca nuoc {n}",
                "position": n,
                "rank": n + 1,
            }
        )
        for n in range(11_000)
    ]
    ResultRow.objects.bulk_create(copies, batch_size=2000)

    url = ranking_url(sizes, "ca-nuoc")
    small = _queries(anonymous_client, ranking_url(sizes, "xa-6"))
    assert _queries(anonymous_client, url, {"trang": 57}) == small
    for page in (1, 55, 110):
        response = anonymous_client.get(url, {"trang": page})
        assert response.status_code == 200
        assert len(response.context["rows"]) == PAGE_SIZE
    searched = anonymous_client.get(url, {"q": "ca nuoc 10999"})
    assert [r.code for r in searched.context["rows"]] == ["CN-10999"]
