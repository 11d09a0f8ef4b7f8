"""Charts of DOCX and PDF documents as pictures (matplotlib, PNG at 200 dpi).

The numbers are read from the document's table (what the engine printed); nothing is
computed here. Labels are Vietnamese: the serif fonts are those Debian ships with full
Vietnamese coverage (Tinos and Liberation Serif have the metrics of Times New Roman).
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from parindex.core.formatting import format_vn  # noqa: E402
from parindex.documents.content import Chart, Table  # noqa: E402

matplotlib.rcParams.update(
    {
        "font.family": "serif",
        "font.serif": ["Times New Roman", "Tinos", "Liberation Serif", "DejaVu Serif"],
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
    }
)
MAX_LABELLED = 60
"""Above this many categories a chart drops per-category labels (it shows the shape)."""
COLORS = ["#1f5f99", "#d9822b", "#3a9b5b", "#a23b72", "#6c757d"]


def chart_data(chart: Chart, table: Table) -> tuple[list[str], list[list[float]]]:
    """Categories and one list of values per series, from the chart's table rows."""
    first, last = chart.rows if chart.rows is not None else (0, len(table.rows) - 1)
    rows = table.rows[first : last + 1]
    categories = [str(row[chart.category_column] or "") for row in rows]
    series = [[_number(row[col]) for row in rows] for col in chart.value_columns]
    return categories, series


def _number(value: object) -> float:
    if isinstance(value, (Decimal, int)):
        return float(value)
    return 0.0


def chart_png(chart: Chart, table: Table, *, width_mm: float = 160) -> bytes:
    categories, series = chart_data(chart, table)
    names = chart.series_names or [table.columns[c].title for c in chart.value_columns]
    count = len(categories)
    height_mm = width_mm * 0.6
    if chart.kind == "barh":
        height_mm = max(60.0, min(230.0, 12 + 4.2 * count))
    fig, ax = plt.subplots(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=200)
    try:
        _draw(ax, chart, categories, series, names)
        ax.set_title(chart.title, fontsize=11, fontweight="bold")
        fig.tight_layout()
        out = BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def _draw(
    ax: Axes, chart: Chart, categories: list[str], series: list[list[float]], names: list[str]
) -> None:
    comma = FuncFormatter(lambda v, _pos: format_vn(Decimal(str(round(v, 2)))))
    positions = list(range(len(categories)))
    labelled = len(categories) <= MAX_LABELLED
    if chart.kind == "pie":
        values = series[0]
        keep = [i for i, v in enumerate(values) if v > 0]
        ax.pie(
            [values[i] for i in keep],
            labels=[f"{categories[i]} ({format_vn(int(values[i]))})" for i in keep],
            colors=[COLORS[i % len(COLORS)] for i in keep],
            startangle=90,
        )
        ax.set_aspect("equal")
        return
    if chart.kind == "line":
        for i, values in enumerate(series):
            ax.plot(positions, values, marker="o", color=COLORS[i % len(COLORS)], label=names[i])
            for x, y in zip(positions, values, strict=True):
                ax.annotate(
                    format_vn(Decimal(str(y))),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=8,
                )
        ax.set_xticks(positions, categories)
        ax.yaxis.set_major_formatter(comma)
    else:
        _bars(ax, chart, categories, series, names, positions, labelled, comma)
    if len(series) > 1:
        ax.legend(fontsize=8)
    if chart.value_title:
        (ax.set_xlabel if chart.kind == "barh" else ax.set_ylabel)(chart.value_title)


def _bars(
    ax: Axes,
    chart: Chart,
    categories: list[str],
    series: list[list[float]],
    names: list[str],
    positions: list[int],
    labelled: bool,
    comma: FuncFormatter,
) -> None:
    width = 0.8 / len(series)
    for i, values in enumerate(series):
        offsets = [p + (i - (len(series) - 1) / 2) * width for p in positions]
        draw = ax.barh if chart.kind == "barh" else ax.bar
        draw(offsets, values, width, color=COLORS[i % len(COLORS)], label=names[i])
    if chart.kind == "barh":
        ax.set_yticks(positions, categories if labelled else [""] * len(positions), fontsize=8)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(comma)
    else:
        ax.set_xticks(
            positions,
            categories if labelled else [""] * len(positions),
            fontsize=8,
            rotation=0 if len(categories) <= 8 else 60,
            ha="center" if len(categories) <= 8 else "right",
        )
        ax.yaxis.set_major_formatter(comma)
