"""Native Excel charts in the open-data XLSX downloads (:mod:`parindex.core.xlsx_charts`).

The charts are read from the chart XML inside the workbook (``xl/charts/chartN.xml``): the
type, the ``<c:cat>``/``<c:val>`` references to the sheet's own cells, the title. LibreOffice
draws some XlsxWriter charts differently from Excel, so the XML is what is asserted; one test
also converts the workbook to PDF to show that a second program opens it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from parindex.core.tests.test_xlsx_charts import anchors, read_charts
from parindex.periods.models import Period
from parindex.results.models import ResultGroup, ResultRow, ResultVersion
from parindex.results.tests.conftest import Scenario
from parindex.results.tests.test_opendata import body, publish, ranking_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]


def copies(
    version: ResultVersion, count: int, code: str = "", *, classified: bool = True
) -> ResultGroup:
    """A group of ``count`` units: copies of the published Sở, ban, ngành rows in rank order."""
    code = code or f"nhom-{count}"
    source = version.groups.get(code="so-ban-nganh")
    group = version.groups.create(
        code=code,
        name=f"Nhóm {count} đơn vị",
        position=10 + count,
        points_places=source.points_places,
        index_places=source.index_places,
        survey_max=source.survey_max,
        classified=classified,
        fields=source.fields,
        nodes=source.nodes,
        stats={**source.stats, "count": count},
        units_count=count,
    )
    fields = [f.attname for f in ResultRow._meta.concrete_fields if not f.primary_key]
    rows = list(ResultRow.objects.filter(result_group=source).order_by("position").values(*fields))
    ResultRow.objects.bulk_create(
        [
            ResultRow(
                **{
                    **rows[n % len(rows)],
                    "result_group_id": group.pk,
                    "unit_id": None,
                    "code": f"{code}-{n:05d}",
                    "name": f"UBND xã Thử Nghiệm {n}",
                    "search_text": f"{code}-{n:05d} ubnd xa thu nghiem {n}",
                    "position": n,
                    "rank": n + 1,
                    **({} if classified else {"class_label": ""}),
                }
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    return group


def xlsx(client: Client, period: Period, group: str, table: str = "bang-xep-hang") -> bytes:
    response = client.get(f"/cong-bo/{period.pk}/{group}/{table}.xlsx")
    assert response.status_code == 200
    return body(response)


def cells(data: bytes, reference: str) -> list[object]:
    """The values of ``'Sheet'!$A$1:$A$3`` as openpyxl reads them."""
    sheet_name, area = reference.rsplit("!", 1)
    sheet = load_workbook(io.BytesIO(data))[sheet_name.strip("'")]
    return [row[0].value for row in sheet[area.replace("$", "")]]


def test_the_ranking_gets_a_class_distribution_and_an_index_chart_of_its_own_cells(
    anonymous_client: Client, scenario: Scenario
) -> None:
    version = publish(scenario.p2024)
    data = xlsx(anonymous_client, scenario.p2024, "so-ban-nganh")
    book = load_workbook(io.BytesIO(data))  # openpyxl still opens it
    assert book.sheetnames == ["Bảng xếp hạng"]
    classes, index = read_charts(data)

    assert index.kind == "bar"  # horizontal: one line per unit
    assert index.title == "Chỉ số CCHC của các đơn vị"
    assert index.references("cat") == ["'Bảng xếp hạng'!$B$7:$B$9"]  # Tên đơn vị
    assert index.references("val") == ["'Bảng xếp hạng'!$K$7:$K$9"]  # Chỉ số (%)
    sheet = book["Bảng xếp hạng"]
    assert sheet["B6"].value == "Tên đơn vị" and sheet["K6"].value == "Chỉ số (%)"
    stored = {
        r.name: float(r.detail["index"])
        for r in ResultRow.objects.filter(version=version, result_group__code="so-ban-nganh")
    }
    names = cells(data, index.references("cat")[0])
    assert dict(zip(names, cells(data, index.references("val")[0]), strict=True)) == stored
    assert index.cache("cat") == names  # cached as the cells hold them
    assert index.fonts == {"Times New Roman"}

    assert classes.kind == "col"
    assert classes.title == "Số đơn vị theo xếp loại"
    labels = cells(data, classes.references("cat")[0])
    counts = cells(data, classes.references("val")[0])
    table = [sheet.cell(row, 13).value for row in range(7, 10)]  # column M: Xếp loại
    order = version.groups.get(code="so-ban-nganh").stats["class_order"]
    assert labels == order  # the whole scale, best first
    assert counts == [table.count(label) for label in labels]  # rows counted
    assert sum(int(str(c)) for c in counts) == 3
    assert classes.cache("cat") == labels
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    (first, second) = anchors(data)
    assert first[0] > 9 and second[0] > first[0]  # below the table, one under the other


def test_the_points_table_gets_the_index_chart_only(
    anonymous_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2024)
    data = xlsx(anonymous_client, scenario.p2024, "so-ban-nganh", "diem-chi-tiet")
    (index,) = read_charts(data)
    assert index.title == "Chỉ số CCHC của các đơn vị"
    assert index.references("cat") == ["'Điểm chi tiết'!$B$7:$B$9"]
    assert index.references("val") == ["'Điểm chi tiết'!$C$7:$C$9"]


def test_an_unclassified_group_has_no_distribution_chart(
    anonymous_client: Client, scenario: Scenario
) -> None:
    copies(publish(scenario.p2024), 5, classified=False)
    (index,) = read_charts(xlsx(anonymous_client, scenario.p2024, "nhom-5"))
    assert index.title == "Chỉ số CCHC của các đơn vị"
    assert index.references("val") == ["'Bảng xếp hạng'!$K$7:$K$11"]


def test_25_units_are_drawn_in_the_sheet_tall_enough_to_read(
    anonymous_client: Client, scenario: Scenario
) -> None:
    copies(publish(scenario.p2024), 25)
    data = xlsx(anonymous_client, scenario.p2024, "nhom-25")
    _, index = read_charts(data)
    assert index.kind == "bar"
    assert index.references("cat") == ["'Bảng xếp hạng'!$B$7:$B$31"]
    assert len(index.cache("cat")) == 25 and index.shows_values
    first_row, _, last_row, _ = anchors(data)[1]
    assert last_row - first_row >= 25  # at least a row's height per unit


def test_100_units_go_to_their_own_chart_sheet_without_labels(
    anonymous_client: Client, scenario: Scenario
) -> None:
    copies(publish(scenario.p2024), 100)
    data = xlsx(anonymous_client, scenario.p2024, "nhom-100")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Bảng xếp hạng", "Biểu đồ chỉ số"]
    classes, index = read_charts(data)
    assert classes.title == "Số đơn vị theo xếp loại"
    assert index.kind == "col" and index.category_labels_hidden and not index.shows_values
    assert index.references("val") == ["'Bảng xếp hạng'!$K$7:$K$106"]
    notes = [c.value for row in book["Bảng xếp hạng"].iter_rows() for c in row if c.value]
    assert "Chỉ số CCHC của các đơn vị: xem trang tính “Biểu đồ chỉ số”." in notes


@pytest.mark.slow
def test_11000_units_keep_the_distribution_chart_and_stay_fast(
    anonymous_client: Client, scenario: Scenario
) -> None:
    """The per-unit chart is skipped above 200 units; the time is printed (``-s``) for the
    report, not asserted (machines differ): 1.3 s before the charts on the dev machine."""
    copies(publish(scenario.p2024), 11_000, "ca-nuoc")
    anonymous_client.get(ranking_url(scenario.p2024, "so-ban-nganh", "xlsx"))  # warm up
    times = []
    for _ in range(3):
        start = time.perf_counter()
        data = xlsx(anonymous_client, scenario.p2024, "ca-nuoc")
        times.append(time.perf_counter() - start)
    print(f"\n11,000-unit ranking XLSX: {min(times):.2f} s (best of 3), {len(data):,} bytes")
    (classes,) = read_charts(data)
    assert classes.title == "Số đơn vị theo xếp loại"
    assert sum(int(v) for v in classes.cache("val")) == 11_000
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Bảng xếp hạng"]
    notes = [r[0] for r in sheet.iter_rows(min_row=11_007, values_only=True) if r[0]]
    assert any("Nhóm có 11.000 đơn vị: không vẽ biểu đồ chỉ số" in str(n) for n in notes)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_converts_the_ranking_with_its_charts_to_pdf(
    anonymous_client: Client, scenario: Scenario, tmp_path: Path
) -> None:
    copies(publish(scenario.p2024), 25)
    source = tmp_path / "bang-xep-hang.xlsx"
    source.write_bytes(xlsx(anonymous_client, scenario.p2024, "nhom-25"))
    profile = tmp_path / "lo-profile"  # its own profile: no clash with a running soffice
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = (tmp_path / "bang-xep-hang.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
