"""Tables and charts of a result version's groups, shared by the results report and the
notice. Every number is a string of the engine's results document made a ``Decimal``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.documents.content import Chart, Column, Table
from parindex.documents.sources import GroupData

DASH = "—"


def dec(value: Any) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def results_table(data: GroupData, *, key: str, title: str, compare: bool = True) -> Table:
    """The group's results, best first: rank, unit, points, survey, total, index, class and,
    with last year's results, the change."""
    units = data.output["units"]
    survey = data.criteria.survey_max is not None
    classified = data.criteria.classification is not None
    has_previous = compare and any("index_change" in u for u in units)
    columns = [Column("Xếp hạng", 15, "center"), Column("Đơn vị", 58)]
    columns.append(Column("Điểm thẩm định", 20, "right"))
    if survey:
        columns.append(Column("Điểm khảo sát", 18, "right"))
    columns += [Column("Tổng điểm", 18, "right"), Column("Chỉ số (%)", 18, "right")]
    if classified:
        columns.append(Column("Xếp loại", 22, "center"))
    if has_previous:
        columns.append(Column("Tăng/giảm so với kỳ trước", 20, "right"))
    rows: list[list[Any]] = []
    for unit in units:
        row: list[Any] = [unit["rank"], unit["name"], dec(unit["points"])]
        if survey:
            row.append(dec(unit["survey"]) if "survey" not in unit["not_applicable"] else DASH)
        row += [dec(unit["total"]), dec(unit["index"])]
        if classified:
            row.append(unit.get("class") or "")
        if has_previous:
            row.append(dec(unit.get("index_change")) if "index_change" in unit else DASH)
        rows.append(row)
    stats = data.stats
    mean_row: list[Any] = ["", "Giá trị trung bình"] + [""] * (len(columns) - 2)
    mean_row[columns.index(next(c for c in columns if c.title == "Chỉ số (%)"))] = dec(
        stats.get("mean")
    )
    rows.append(mean_row)
    _fit_width(columns)
    return Table(key, title, columns, rows, bold_rows=frozenset({len(rows) - 1}))


def index_column(table: Table) -> int:
    return next(i for i, c in enumerate(table.columns) if c.title == "Chỉ số (%)")


def index_chart(table: Table, *, key: str, title: str) -> Chart:
    """Index per unit (horizontal bars, best on top), read from the results table."""
    return Chart(
        key,
        title,
        "barh",
        table.key,
        1,
        [index_column(table)],
        rows=(0, len(table.rows) - 2),
        value_title="Chỉ số (%)",
    )


def classes_table(data: GroupData, *, key: str, title: str) -> Table | None:
    classes = data.stats.get("classes")
    if not isinstance(classes, list) or not classes:
        return None
    previous = any("previous_count" in c for c in classes)
    columns = [Column("Xếp loại", 60), Column("Số đơn vị", 30, "right")]
    if previous:
        columns.append(Column("Kỳ trước", 30, "right"))
    rows: list[list[Any]] = []
    for item in classes:
        row: list[Any] = [item["label"], item["count"]]
        if previous:
            row.append(item.get("previous_count", 0))
        rows.append(row)
    return Table(key, title, columns, rows)


def fields_table(data: GroupData, *, key: str, title: str) -> Table:
    """Per field: max, the group's mean points, units at the maximum (x/n)."""
    names = {n.code: n.name for n in data.criteria.nodes}
    maxima = {n.code: n.max for n in data.criteria.nodes}
    columns = [
        Column("Mã", 12, "center"),
        Column("Lĩnh vực", 70),
        Column("Điểm tối đa", 20, "right"),
        Column("Điểm trung bình", 22, "right"),
        Column("Số đơn vị đạt tối đa", 26, "center"),
    ]
    rows: list[list[Any]] = []
    for f in data.stats.get("fields", []):
        rows.append(
            [
                f["code"],
                names.get(f["code"], f["code"]),
                maxima.get(f["code"]),
                dec(f["mean_points"]),
                f"{f['units_at_max']}/{f['units']}",
            ]
        )
    return Table(key, title, columns, rows)


def criteria_table(data: GroupData, *, key: str, title: str) -> Table | None:
    """Per criterion and sub-criterion: how many units reached the maximum ("18/23")."""
    nodes = data.stats.get("nodes")
    if not isinstance(nodes, list):
        return None
    defs = {n.code: n for n in data.criteria.nodes}
    columns = [
        Column("Mã", 16, "center"),
        Column("Tiêu chí, tiêu chí thành phần", 80),
        Column("Điểm tối đa", 18, "right"),
        Column("Điểm trung bình", 20, "right"),
        Column("Đạt tối đa", 16, "center"),
    ]
    rows: list[list[Any]] = []
    bold: set[int] = set()
    for item in nodes:
        node = defs.get(item["code"])
        if node is None:
            continue
        if node.parent is None:
            bold.add(len(rows))
        rows.append(
            [
                item["code"],
                node.name,
                node.max,
                dec(item.get("mean_points")),
                f"{item['units_at_max']}/{item['units']}",
            ]
        )
    return Table(key, title, columns, rows, bold_rows=frozenset(bold), font_pt=11)


def survey_table(data: GroupData, *, key: str, title: str) -> Table | None:
    if data.criteria.survey_max is None:
        return None
    rows: list[list[Any]] = [
        [u["name"], dec(u["survey"])]
        for u in sorted(data.output["units"], key=lambda u: Decimal(u["survey"]), reverse=True)
        if "survey" not in u["not_applicable"]
    ]
    columns = [Column("Đơn vị", 100), Column("Điểm khảo sát", 30, "right")]
    return Table(key, title, columns, rows) if rows else None


def means_table(data: GroupData, *, key: str, title: str) -> Table | None:
    """The group's mean index in every published period of the jurisdiction."""
    if len(data.means) < 2:
        return None
    columns = [Column("Năm", 30, "center"), Column("Giá trị trung bình (%)", 40, "right")]
    rows: list[list[Any]] = [[str(m.year), m.mean] for m in data.means]
    return Table(key, title, columns, rows)


def _fit_width(columns: list[Column], width_mm: float = 165) -> None:
    """Scale the columns to the text width between the Decree's margins."""
    total = sum(c.width_mm for c in columns)
    if total <= 0:
        return
    for i, c in enumerate(columns):
        columns[i] = Column(c.title, round(c.width_mm * width_mm / total, 1), c.align)
