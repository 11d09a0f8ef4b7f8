"""Native Excel charts for the XLSX downloads (XlsxWriter), shared by every export.

A chart always references the cells of the table it draws (:class:`CellRange`), never
literal values: whoever sorts, filters or corrects the table in Excel sees the chart follow.
Titles are Vietnamese and every text of a chart is in :data:`FONT`.

How many categories a chart can carry and stay readable:

- up to :data:`IN_SHEET_MAX` (60): in the sheet, sized for the number of categories by
  :func:`insert_chart` (a horizontal bar chart of 25 units is ~25 bars of 22 px);
- up to :data:`PER_UNIT_MAX` (200): on its own chart sheet (:func:`add_chart_sheet`),
  without a label per category (they would overlap);
- more (11,000 communes): no chart per unit at all (:func:`placement` says
  :attr:`Placement.SKIPPED`); a distribution chart of a small summary table still works.

Decide the placement *before* creating the chart: XlsxWriter writes every chart it created.

In XlsxWriter's constant-memory mode the rows are on disk before the chart is written, so
XlsxWriter cannot copy the referenced values into the chart as its cache (Excel and
LibreOffice read the cells anyway; PowerPoint and some viewers need the cache, and without
it the categories are written as numbers). Pass what the cells hold as ``cache`` /
``category_cache`` (XlsxWriter's ``values_data`` / ``categories_data``): still a
reference, with its cached values.

Usage::

    names = CellRange("Bảng xếp hạng", 6, 1, 30, 1)
    index = CellRange("Bảng xếp hạng", 6, 10, 30, 10)
    if placement(names.size) is Placement.IN_SHEET:
        chart = bar_chart(book, title="Chỉ số CCHC của các đơn vị", categories=names,
                          series=[Series("Chỉ số (%)", index)], y_title="Chỉ số (%)",
                          horizontal=True, value_max=100)
        insert_chart(sheet, (33, 0), chart, rows=names.size, horizontal=True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal, NamedTuple

from xlsxwriter.chart import Chart
from xlsxwriter.chartsheet import Chartsheet
from xlsxwriter.utility import quote_sheetname, xl_range_abs
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

FONT = "Times New Roman"
IN_SHEET_MAX = 60
"""Most categories of a chart drawn in the sheet with a label each."""
PER_UNIT_MAX = 200
"""Most categories of a per-unit chart at all (on its own chart sheet above IN_SHEET_MAX)."""
BAR_PX = 22
"""Height (horizontal bars) or width (columns) given to each category, in pixels."""
ROW_PX = 20
"""XlsxWriter's default row height in pixels (to say how many rows a chart covers)."""
WIDTH = 640
HEIGHT = 320
COLORS = ("#2F5597", "#C55A11", "#548235", "#7F6000", "#7030A0", "#1F6E8C")
"""Series colours (dark enough to print in black and white)."""


class CellRange(NamedTuple):
    """Cells of a worksheet holding a chart's data, zero-based and inclusive, as XlsxWriter
    takes them: one column (or one row) of categories or of values."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def size(self) -> int:
        """How many cells (categories or values) the range holds."""
        return (self.last_row - self.first_row + 1) * (self.last_col - self.first_col + 1)

    @property
    def formula(self) -> str:
        """``='Bảng xếp hạng'!$K$7:$K$31``, the reference written into the chart."""
        cells = xl_range_abs(self.first_row, self.first_col, self.last_row, self.last_col)
        return f"={quote_sheetname(self.sheet)}!{cells}"


@dataclass(frozen=True)
class Series:
    """One series of a chart: its legend name and the cells holding its values."""

    name: str
    values: CellRange
    color: str | None = None
    data_labels: bool = False
    """Write each value on its bar or point (only where the categories are few)."""
    cache: Sequence[float | None] | None = None
    """The values the cells hold, when XlsxWriter cannot read them (constant memory)."""


class Placement(Enum):
    IN_SHEET = "in_sheet"
    CHART_SHEET = "chart_sheet"
    SKIPPED = "skipped"


def placement(categories: int) -> Placement:
    """Where a chart of ``categories`` categories goes (see the module's rules)."""
    if categories <= 0 or categories > PER_UNIT_MAX:
        return Placement.SKIPPED
    return Placement.IN_SHEET if categories <= IN_SHEET_MAX else Placement.CHART_SHEET


# --------------------------------------------------------------------------- text


def font(size: float = 10, *, bold: bool = False) -> dict[str, Any]:
    """An XlsxWriter font of the charts (:data:`FONT`)."""
    return {"name": FONT, "size": size, "bold": bold}


def _title(text: str) -> dict[str, Any]:
    return {"name": text, "name_font": font(13, bold=True)}


def _axis(title: str | None, **options: Any) -> dict[str, Any]:
    axis: dict[str, Any] = {"num_font": font(9), **options}
    if title:
        axis.update(name=title, name_font=font(10, bold=True))
    return axis


def _references(
    categories: CellRange, category_cache: Sequence[str] | None, series: Series
) -> dict[str, Any]:
    options: dict[str, Any] = {
        "name": series.name,
        "categories": categories.formula,
        "values": series.values.formula,
    }
    if category_cache is not None:
        options["categories_data"] = list(category_cache)
    if series.cache is not None:
        options["values_data"] = list(series.cache)
    return options


def _series(
    chart: Chart,
    categories: CellRange,
    category_cache: Sequence[str] | None,
    series: Series,
    n: int,
    **extra: Any,
) -> None:
    color = series.color or COLORS[n % len(COLORS)]
    options: dict[str, Any] = {
        **_references(categories, category_cache, series),
        "fill": {"color": color},
        "border": {"color": color},
        **extra,
    }
    if series.data_labels:
        options["data_labels"] = {"value": True, "font": font(8)}
    chart.add_series(options)


def _finish(chart: Chart, title: str, series_count: int) -> None:
    chart.set_title(_title(title))
    if series_count > 1:
        chart.set_legend({"position": "bottom", "font": font(9)})
    else:
        chart.set_legend({"none": True})


# --------------------------------------------------------------------------- charts


def bar_chart(
    workbook: Workbook,
    *,
    title: str,
    categories: CellRange,
    series: list[Series],
    y_title: str,
    x_title: str | None = None,
    horizontal: bool = False,
    number_format: str = "0.00",
    value_max: float | None = None,
    category_cache: Sequence[str] | None = None,
) -> Chart:
    """Bars (``horizontal``: one line per category, the first one on top, for unit names)
    or columns. ``y_title`` names the value axis, ``x_title`` the categories. Above
    :data:`IN_SHEET_MAX` categories their labels and the data labels are left out."""
    chart = _chart(workbook, "bar" if horizontal else "column")
    many = categories.size > IN_SHEET_MAX
    for n, one in enumerate(series):
        shown = Series(one.name, one.values, one.color, one.data_labels and not many, one.cache)
        _series(chart, categories, category_cache, shown, n, gap=40 if horizontal else 80)
    value_axis = _axis(
        y_title,
        num_format=number_format,
        min=0,
        major_gridlines={"visible": True, "line": {"color": "#D9D9D9"}},
        **({"max": value_max} if value_max is not None else {}),
    )
    category_axis = _axis(x_title, **({"label_position": "none"} if many else {}))
    if horizontal:
        # Bar charts swap the axes: x is the value axis. The categories read top-down
        # (reversed), so the value axis crosses at the last category: at the bottom.
        category_axis.update(reverse=True, crossing="max")
        chart.set_x_axis(value_axis)
        chart.set_y_axis(category_axis)
    else:
        chart.set_x_axis(category_axis)
        chart.set_y_axis(value_axis)
    _finish(chart, title, len(series))
    return chart


def pie_or_column_distribution(
    workbook: Workbook,
    *,
    title: str,
    categories: CellRange,
    values: CellRange,
    name: str = "Số đơn vị",
    kind: Literal["column", "pie"] = "column",
    y_title: str = "Số đơn vị",
    category_cache: Sequence[str] | None = None,
    value_cache: Sequence[float] | None = None,
) -> Chart:
    """How many units fall in each class (or any small distribution): columns with the
    count on each, or a pie with count and share."""
    chart = _chart(workbook, kind)
    series = Series(name, values, data_labels=True, cache=value_cache)
    if kind == "pie":
        chart.add_series(
            {
                **_references(categories, category_cache, series),
                "points": [{"fill": {"color": c}} for c in COLORS],
                "data_labels": {"value": True, "percentage": True, "font": font(9)},
            }
        )
        chart.set_title(_title(title))
        chart.set_legend({"position": "right", "font": font(9)})
        return chart
    _series(chart, categories, category_cache, series, 0, gap=60)
    chart.set_x_axis(_axis(None))
    chart.set_y_axis(_axis(y_title, num_format="0", min=0, major_gridlines={"visible": True}))
    _finish(chart, title, 1)
    return chart


def line_chart(
    workbook: Workbook,
    *,
    title: str,
    categories: CellRange,
    series: list[Series],
    y_title: str,
    x_title: str | None = "Năm",
    number_format: str = "0.00",
    category_cache: Sequence[str] | None = None,
) -> Chart:
    """Lines with markers over ordered categories, e.g. a group's mean index per year."""
    chart = _chart(workbook, "line")
    for n, one in enumerate(series):
        color = one.color or COLORS[n % len(COLORS)]
        marker = {"type": "circle", "size": 6, "fill": {"color": color}, "border": {"color": color}}
        options: dict[str, Any] = {
            **_references(categories, category_cache, one),
            "line": {"color": color, "width": 2.25},
            "marker": marker,
        }
        if one.data_labels:
            options["data_labels"] = {"value": True, "position": "above", "font": font(8)}
        chart.add_series(options)
    chart.set_x_axis(_axis(x_title))
    chart.set_y_axis(_axis(y_title, num_format=number_format, major_gridlines={"visible": True}))
    _finish(chart, title, len(series))
    return chart


def _chart(workbook: Workbook, kind: str) -> Chart:
    chart = workbook.add_chart({"type": kind})
    if chart is None:  # only for an unknown type, a programming error
        raise ValueError(f"XlsxWriter has no chart of type {kind!r}")
    return chart


# --------------------------------------------------------------------------- placing


def chart_size(categories: int, *, horizontal: bool) -> tuple[int, int]:
    """Width and height in pixels for a chart of ``categories`` categories in a sheet."""
    if horizontal:
        return WIDTH, max(HEIGHT, 110 + BAR_PX * categories)
    return max(480, min(WIDTH * 2, 120 + 2 * BAR_PX * categories)), HEIGHT


def insert_chart(
    worksheet: Worksheet,
    cell: tuple[int, int],
    chart: Chart,
    *,
    rows: int,
    horizontal: bool = False,
) -> int:
    """Put ``chart`` in ``worksheet`` with its top left corner at ``cell`` (row, column),
    sized for ``rows`` categories; returns how many sheet rows it covers (to place what
    follows below it). Above :data:`IN_SHEET_MAX` categories use :func:`add_chart_sheet`."""
    if rows > IN_SHEET_MAX:
        raise ValueError(f"{rows} categories do not fit in a sheet: use add_chart_sheet")
    width, height = chart_size(rows, horizontal=horizontal)
    chart.set_size({"width": width, "height": height})
    worksheet.insert_chart(cell[0], cell[1], chart, {"object_position": 1})
    return -(-height // ROW_PX)


def add_chart_sheet(workbook: Workbook, name: str, chart: Chart) -> Chartsheet:
    """A chart sheet (a whole tab, landscape) holding only ``chart``."""
    sheet = workbook.add_chartsheet(name[:31])
    sheet.set_chart(chart)
    sheet.set_landscape()
    return sheet
