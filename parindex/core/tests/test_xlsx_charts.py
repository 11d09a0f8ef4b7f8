"""The shared chart helpers (:mod:`parindex.core.xlsx_charts`), read back from the chart XML
inside the workbook (``xl/charts/chartN.xml``): LibreOffice draws some XlsxWriter charts
differently from Excel, so the XML is what is asserted. The readers here are shared with the
results and survey export tests.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import pytest
import xlsxwriter
from openpyxl import load_workbook

from parindex.core import xlsx_charts as charts
from parindex.core.xlsx_charts import CellRange, Placement, Series

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SHEET = "Bảng xếp hạng"


@dataclass
class ChartXml:
    """One ``xl/charts/chartN.xml`` of a workbook."""

    path: str
    root: ET.Element

    @property
    def kind(self) -> str:
        """``bar`` (horizontal), ``col``, ``line`` or ``pie``."""
        plot = self.root.find(f"{C}chart/{C}plotArea")
        assert plot is not None
        for child in plot:
            if child.tag.endswith("Chart"):
                direction = child.find(f"{C}barDir")
                if direction is not None:
                    return direction.get("val", "")
                return child.tag.removeprefix(C).removesuffix("Chart")
        raise AssertionError(f"{self.path}: no chart in the plot area")

    @property
    def title(self) -> str:
        title = self.root.find(f"{C}chart/{C}title")
        return "" if title is None else "".join(t.text or "" for t in title.iter(f"{A}t"))

    def references(self, part: str) -> list[str]:
        """The ``<c:f>`` of each series' ``cat`` or ``val``."""
        return [f.text or "" for f in self.root.iter(f"{C}ser") for f in _formulas(f, part)]

    def cache(self, part: str) -> list[str]:
        ser = next(self.root.iter(f"{C}ser"))
        found = ser.find(f"{C}{part}")
        return [] if found is None else [v.text or "" for v in found.iter(f"{C}v")]

    def reference_kind(self, part: str) -> str:
        """``strRef`` or ``numRef``."""
        found = next(self.root.iter(f"{C}ser")).find(f"{C}{part}")
        assert found is not None
        return found[0].tag.removeprefix(C)

    @property
    def fonts(self) -> set[str]:
        return {latin.get("typeface", "") for latin in self.root.iter(f"{A}latin")}

    @property
    def shows_values(self) -> bool:
        return any(v.get("val") == "1" for v in self.root.iter(f"{C}showVal"))

    @property
    def category_labels_hidden(self) -> bool:
        axis = self.root.find(f"{C}chart/{C}plotArea/{C}catAx/{C}tickLblPos")
        return axis is not None and axis.get("val") == "none"


def _formulas(ser: ET.Element, part: str) -> list[ET.Element]:
    found = ser.find(f"{C}{part}")
    return [] if found is None else list(found.iter(f"{C}f"))


def read_charts(data: bytes) -> list[ChartXml]:
    """The charts of an xlsx, in their number order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        names.sort(key=lambda n: int(re.sub(r"\D", "", n)))
        return [ChartXml(n, ET.fromstring(archive.read(n))) for n in names]  # noqa: S314 (ours)


XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"


def anchors(data: bytes) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of every chart drawn in a sheet."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if re.fullmatch(r"xl/drawings/drawing\d+\.xml", name):
                drawing = ET.fromstring(archive.read(name))  # noqa: S314 (a workbook we wrote)
                for anchor in drawing.iter(f"{XDR}twoCellAnchor"):
                    ends = [anchor.find(f"{XDR}{end}") for end in ("from", "to")]
                    cells = [
                        int(e.findtext(f"{XDR}{k}") or 0)
                        for e in ends
                        if e is not None
                        for k in ("row", "col")
                    ]
                    found.append((cells[0], cells[1], cells[2], cells[3]))
    return found


def sheet_names(data: bytes) -> list[str]:
    return list(load_workbook(io.BytesIO(data)).sheetnames)


# --------------------------------------------------------------------------- helpers


def _table(units: int, *, constant_memory: bool = False) -> xlsxwriter.Workbook:
    buffer = io.BytesIO()
    # in_memory would switch constant_memory off: the rows go to temporary files instead
    book = xlsxwriter.Workbook(buffer, {"constant_memory": constant_memory})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, ["Tên đơn vị", "Chỉ số (%)", "Năm trước (%)"])
    for n in range(units):
        sheet.write_row(n + 1, 0, [f"UBND xã Số {n}", 90 - n * 0.5, 80 - n * 0.25])
    return book


def _close(book: xlsxwriter.Workbook) -> bytes:
    book.close()
    buffer = book.filename
    assert isinstance(buffer, io.BytesIO)
    data = buffer.getvalue()
    load_workbook(io.BytesIO(data))  # openpyxl still opens it
    return data


def _names(units: int) -> CellRange:
    return CellRange(SHEET, 1, 0, units, 0)


def _index(units: int) -> CellRange:
    return CellRange(SHEET, 1, 1, units, 1)


# --------------------------------------------------------------------------- tests


def test_cell_range_is_an_absolute_quoted_reference() -> None:
    assert CellRange(SHEET, 6, 10, 30, 10).formula == "='Bảng xếp hạng'!$K$7:$K$31"
    assert CellRange("Data", 0, 0, 0, 3).formula == "=Data!$A$1:$D$1"
    assert CellRange(SHEET, 6, 10, 30, 10).size == 25


@pytest.mark.parametrize(
    ("categories", "where"),
    [
        (0, Placement.SKIPPED),
        (1, Placement.IN_SHEET),
        (60, Placement.IN_SHEET),
        (61, Placement.CHART_SHEET),
        (200, Placement.CHART_SHEET),
        (201, Placement.SKIPPED),
        (11_000, Placement.SKIPPED),
    ],
)
def test_placement_by_number_of_categories(categories: int, where: Placement) -> None:
    assert charts.placement(categories) is where


def test_a_horizontal_bar_chart_of_25_units_references_the_table_and_stays_readable() -> None:
    book = _table(25)
    chart = charts.bar_chart(
        book,
        title="Chỉ số CCHC của các đơn vị",
        categories=_names(25),
        series=[Series("Chỉ số (%)", _index(25), data_labels=True)],
        y_title="Chỉ số (%)",
        horizontal=True,
        value_max=100,
    )
    covered = charts.insert_chart(
        book.get_worksheet_by_name(SHEET), (27, 0), chart, rows=25, horizontal=True
    )
    data = _close(book)

    (found,) = read_charts(data)
    assert found.kind == "bar"
    assert found.title == "Chỉ số CCHC của các đơn vị"
    assert found.references("cat") == ["'Bảng xếp hạng'!$A$2:$A$26"]
    assert found.references("val") == ["'Bảng xếp hạng'!$B$2:$B$26"]
    assert found.reference_kind("cat") == "strRef"  # the names, cached from the cells
    assert found.cache("cat")[:2] == ["UBND xã Số 0", "UBND xã Số 1"]
    assert found.fonts == {"Times New Roman"}
    assert found.shows_values and not found.category_labels_hidden
    orientation = found.root.find(f"{C}chart/{C}plotArea/{C}catAx/{C}scaling/{C}orientation")
    assert orientation is not None and orientation.get("val") == "maxMin"  # first unit on top
    top = found.root.find(f"{C}chart/{C}plotArea/{C}valAx/{C}scaling/{C}max")
    assert top is not None and top.get("val") == "100"
    ((first_row, first_col, last_row, _),) = anchors(data)
    assert (first_row, first_col) == (27, 0)
    assert (last_row - first_row) * charts.ROW_PX >= 25 * charts.BAR_PX  # every name readable
    assert covered == last_row - first_row


def test_more_than_60_categories_drop_the_labels_and_do_not_fit_a_sheet() -> None:
    book = _table(100)
    chart = charts.bar_chart(
        book,
        title="Chỉ số CCHC của các đơn vị",
        categories=_names(100),
        series=[Series("Chỉ số (%)", _index(100), data_labels=True)],
        y_title="Chỉ số (%)",
    )
    with pytest.raises(ValueError, match="add_chart_sheet"):
        charts.insert_chart(book.get_worksheet_by_name(SHEET), (0, 5), chart, rows=100)
    charts.add_chart_sheet(book, "Biểu đồ chỉ số", chart)
    data = _close(book)
    (found,) = read_charts(data)
    assert found.kind == "col"
    assert found.category_labels_hidden and not found.shows_values
    assert sheet_names(data) == [SHEET, "Biểu đồ chỉ số"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "xl/chartsheets/sheet1.xml" in archive.namelist()


def test_two_series_get_a_legend_and_their_own_references() -> None:
    book = _table(5)
    chart = charts.bar_chart(
        book,
        title="So sánh",
        categories=_names(5),
        series=[
            Series("Năm nay", _index(5)),
            Series("Năm trước", CellRange(SHEET, 1, 2, 5, 2)),
        ],
        y_title="Chỉ số (%)",
        x_title="Đơn vị",
    )
    charts.insert_chart(book.get_worksheet_by_name(SHEET), (7, 0), chart, rows=5)
    (found,) = read_charts(_close(book))
    assert found.references("val") == ["'Bảng xếp hạng'!$B$2:$B$6", "'Bảng xếp hạng'!$C$2:$C$6"]
    assert found.root.find(f"{C}chart/{C}legend") is not None


@pytest.mark.parametrize(("kind", "tag"), [("column", "col"), ("pie", "pie")])
def test_a_distribution_chart_counts_per_class(kind: str, tag: str) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(SHEET)
    for n, (label, count) in enumerate([("Xuất sắc", 3), ("Tốt", 0), ("Khá", 2)]):
        sheet.write_string(n, 0, label)
        sheet.write_number(n, 1, count)
    chart = charts.pie_or_column_distribution(
        book,
        title="Số đơn vị theo xếp loại",
        categories=CellRange(SHEET, 0, 0, 2, 0),
        values=CellRange(SHEET, 0, 1, 2, 1),
        kind=kind,  # type: ignore[arg-type]
    )
    charts.insert_chart(sheet, (0, 3), chart, rows=3)
    (found,) = read_charts(_close(book))
    assert found.kind == tag
    assert found.title == "Số đơn vị theo xếp loại"
    assert found.references("cat") == ["'Bảng xếp hạng'!$A$1:$A$3"]
    assert found.references("val") == ["'Bảng xếp hạng'!$B$1:$B$3"]
    assert found.cache("cat") == ["Xuất sắc", "Tốt", "Khá"]
    assert found.cache("val") == ["3", "0", "2"]
    assert found.shows_values
    assert found.fonts == {"Times New Roman"}


def test_a_line_chart_of_means_over_years() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Theo năm")
    for n, (year, mean) in enumerate([("2022", 80.5), ("2023", 82.25), ("2024", 85.0)]):
        sheet.write_string(n + 1, 0, year)
        sheet.write_number(n + 1, 1, mean)
    chart = charts.line_chart(
        book,
        title="Chỉ số CCHC bình quân qua các năm",
        categories=CellRange("Theo năm", 1, 0, 3, 0),
        series=[Series("Bình quân", CellRange("Theo năm", 1, 1, 3, 1), data_labels=True)],
        y_title="Chỉ số (%)",
    )
    charts.insert_chart(sheet, (5, 0), chart, rows=3)
    (found,) = read_charts(_close(book))
    assert found.kind == "line"
    assert found.references("cat") == ["'Theo năm'!$A$2:$A$4"]
    assert found.cache("val") == ["80.5", "82.25", "85"]
    assert found.root.find(f"{C}chart/{C}plotArea/{C}lineChart/{C}ser/{C}marker") is not None


@pytest.mark.parametrize("cached", [False, True])
def test_in_constant_memory_the_cache_is_what_the_caller_passes(cached: bool) -> None:
    book = _table(3, constant_memory=True)
    names = [f"UBND xã Số {n}" for n in range(3)]
    chart = charts.bar_chart(
        book,
        title="Chỉ số CCHC của các đơn vị",
        categories=_names(3),
        series=[Series("Chỉ số (%)", _index(3), cache=[90, 89.5, 89] if cached else None)],
        y_title="Chỉ số (%)",
        horizontal=True,
        category_cache=names if cached else None,
    )
    charts.insert_chart(book.get_worksheet_by_name(SHEET), (5, 0), chart, rows=3)
    (found,) = read_charts(_close(book))
    assert found.references("val") == ["'Bảng xếp hạng'!$B$2:$B$4"]  # the cells either way
    if cached:
        assert found.reference_kind("cat") == "strRef"
        assert found.cache("cat") == names
        assert found.cache("val") == ["90", "89.5", "89"]
    else:  # XlsxWriter cannot read rows already on disk
        assert found.reference_kind("cat") == "numRef" and found.cache("cat") == []


def test_chart_sizes_grow_with_the_categories() -> None:
    assert charts.chart_size(3, horizontal=True) == (charts.WIDTH, charts.HEIGHT)
    assert charts.chart_size(25, horizontal=True)[1] == 110 + 25 * charts.BAR_PX
    assert charts.chart_size(5, horizontal=False)[0] == 480
    assert charts.chart_size(60, horizontal=False)[0] <= 2 * charts.WIDTH
