"""Reading a criteria workbook: the «Tiêu chí» and «Xếp loại» tables as document nodes and
bands, assembled with the settings of «Thông tin» into the evaluation document."""

from __future__ import annotations

from typing import Any

from parindex.core.text import fold
from parindex.criteria.models import RuleType
from parindex.criteria.xlsx.cells import (
    CellError,
    blank,
    cell_bool,
    cell_choice,
    cell_code,
    cell_decimal,
    cell_text,
    parse_tiers,
)
from parindex.criteria.xlsx.info_sheet import InfoReader
from parindex.criteria.xlsx.layout import (
    BAND_COLUMNS,
    BAND_REQUIRED,
    NO_PARENT_MARKS,
    NODE_COLUMNS,
    NODE_HEADERS,
    NODE_REQUIRED,
    RULE_CHOICES,
    SHEET_BANDS,
    SHEET_NODES,
    choice_labels,
)
from parindex.criteria.xlsx.loading import Rows, load_sheets
from parindex.criteria.xlsx.places import ParsedWorkbook, where
from parindex.criteria.xlsx.tables import SheetReader
from parindex.engine.errors import InputError
from parindex.engine.evalfile import INPUT_FORMAT, num


def read_workbook(
    data: bytes, *, level: str | None = None, year: int | None = None
) -> ParsedWorkbook:
    """Read a criteria workbook. ``level`` and ``year`` (chosen on the import form) take
    precedence over the «Thông tin» sheet. Raises :class:`InputError` listing every problem."""
    sheets = load_sheets(data)
    return _Reader(sheets, level, year).read()


class _Reader(SheetReader):
    def __init__(self, sheets: dict[str, Rows], level: str | None, year: int | None) -> None:
        super().__init__(sheets, [])
        self.level_override = level
        self.year_override = year

    def read(self) -> ParsedWorkbook:
        nodes, node_rows, node_codes = self.nodes()
        info_reader = InfoReader(
            self.sheets, self.problems, self.level_override, self.year_override
        )
        info, info_rows = info_reader.read()
        bands, band_rows = self.bands()
        if self.problems:
            raise InputError(self.problems)
        return ParsedWorkbook(
            document=_document(nodes, info, bands),
            level=info["level"],
            year=info["year"],
            period_label=info["period_label"],
            decision=info["decision"],
            decision_date=info["decision_date"],
            note=info["note"],
            jurisdiction=info["jurisdiction"],
            node_rows=node_rows,
            node_codes=node_codes,
            band_rows=band_rows,
            info_rows=info_rows,
        )

    def nodes(self) -> tuple[list[dict[str, Any]], list[int], list[str]]:
        table = self.table(SHEET_NODES, NODE_COLUMNS, NODE_REQUIRED, optional=False)
        if table is None:
            return [], [], []
        positions, data = table
        if not data:
            self.problems.insert(
                0,
                (
                    f"{where(SHEET_NODES)}: không có tiêu chí nào (bộ tiêu chí trống); hãy điền "
                    "mỗi tiêu chí một dòng bên dưới dòng tiêu đề"
                ),
            )
            return [], [], []

        parsed: list[tuple[int, dict[str, Any], object]] = []
        first_row_of: dict[str, int] = {}
        for row_no, row in data:

            def cell(key: str, row: tuple[Any, ...] = row) -> object:
                j = positions.get(key)
                return row[j] if j is not None and j < len(row) else None

            node = self.node(row_no, cell)
            if node is None:
                continue
            code = node["code"]
            if code in first_row_of:
                self.err(
                    SHEET_NODES,
                    row_no,
                    NODE_HEADERS["code"],
                    f"mã «{code}» trùng với dòng {first_row_of[code]}",
                )
                continue
            first_row_of[code] = row_no
            parsed.append((row_no, node, cell("parent")))

        codes = set(first_row_of)
        nodes: list[dict[str, Any]] = []
        rows: list[int] = []
        for row_no, node, parent_cell in parsed:
            parent = cell_code(parent_cell)
            if fold(parent) in NO_PARENT_MARKS:
                parent = ""
            elif parent:
                if parent not in codes:
                    self.err(
                        SHEET_NODES,
                        row_no,
                        NODE_HEADERS["parent"],
                        f"không có tiêu chí mã «{parent}» trong sheet",
                    )
                    continue
            elif "." in node["code"].rstrip("."):
                candidate = node["code"].rstrip(".").rsplit(".", 1)[0]
                parent = next((c for c in (candidate, candidate + ".") if c in codes), "")
            item = {"code": node["code"]}
            if parent:
                item["parent"] = parent
            item.update((k, v) for k, v in node.items() if k != "code")
            nodes.append(item)
            rows.append(row_no)
        return nodes, rows, [n["code"] for n in nodes]

    def node(self, row_no: int, cell: Any) -> dict[str, Any] | None:
        """One row of «Tiêu chí» as a document node, or None (with problems) if bad."""
        ok = True

        def get(key: str, convert: Any) -> Any:
            nonlocal ok
            try:
                return convert(cell(key))
            except CellError as exc:
                self.err(SHEET_NODES, row_no, NODE_HEADERS[key], str(exc))
                ok = False
                return None

        code = cell_code(cell("code"))
        if not code:
            self.err(SHEET_NODES, row_no, NODE_HEADERS["code"], "thiếu mã tiêu chí")
            ok = False
        elif len(code) > 30:
            self.err(
                SHEET_NODES, row_no, NODE_HEADERS["code"], f"mã «{code[:30]}...» dài quá 30 ký tự"
            )
            ok = False
        name = cell_text(cell("name"))
        if not name:  # blank, or only spaces
            self.err(SHEET_NODES, row_no, NODE_HEADERS["name"], "thiếu nội dung (tên) tiêu chí")
            ok = False
        max_points = get("max", cell_decimal)
        if blank(cell("max")):
            self.err(SHEET_NODES, row_no, NODE_HEADERS["max"], "thiếu điểm tối đa")
            ok = False
        rule_type = get(
            "rule", lambda v: cell_choice(v, RULE_CHOICES, choice_labels(RuleType.choices))
        )
        floor = get("floor", lambda v: cell_decimal(v, percent_divisor=100))
        full_at = get("full_at", lambda v: cell_decimal(v, percent_divisor=100))
        tiers = get("tiers", parse_tiers)
        per_item = get("per_item", cell_decimal)
        allow_na = get("allow_na", cell_bool)
        if not ok:
            return None

        node: dict[str, Any] = {"code": code, "name": name, "max": num(max_points)}
        rule: dict[str, Any] = {"type": rule_type or "manual"}
        for key, value in (("floor", floor), ("full_at", full_at), ("per_item", per_item)):
            if value is not None:
                rule[key] = num(value)
        if tiers:
            rule["tiers"] = tiers
        if rule != {"type": "manual"}:
            node["rule"] = rule
        node["guidance"] = cell_text(cell("guidance"))
        node["evidence"] = cell_text(cell("evidence"))
        node["allow_not_applicable"] = bool(allow_na)
        return node

    def bands(self) -> tuple[list[dict[str, Any]], list[int]]:
        table = self.table(SHEET_BANDS, BAND_COLUMNS, BAND_REQUIRED, optional=True)
        if table is None:
            return [], []
        positions, data = table
        headers = {c.key: c.header for c in BAND_COLUMNS}
        bands: list[dict[str, Any]] = []
        rows: list[int] = []
        for row_no, row in data:

            def cell(key: str, row: tuple[Any, ...] = row) -> object:
                j = positions.get(key)
                return row[j] if j is not None and j < len(row) else None

            ok = True
            values: dict[str, Any] = {}
            for key, convert in (
                ("min", lambda v: cell_decimal(v, percent_divisor=1)),
                ("min_exclusive", cell_bool),
                ("field_min", lambda v: cell_decimal(v, percent_divisor=1)),
            ):
                try:
                    values[key] = convert(cell(key))
                except CellError as exc:
                    self.err(SHEET_BANDS, row_no, headers[key], str(exc))
                    ok = False
            label = cell_text(cell("label"))
            if not label:
                self.err(SHEET_BANDS, row_no, headers["label"], "thiếu tên xếp loại")
                ok = False
            elif len(label) > 100:
                self.err(SHEET_BANDS, row_no, headers["label"], "dài quá 100 ký tự")
                ok = False
            if ok and values["min"] is None:
                self.err(SHEET_BANDS, row_no, headers["min"], "thiếu chỉ số tối thiểu")
                ok = False
            if not ok:
                continue
            band: dict[str, Any] = {"label": label, "min": num(values["min"])}
            if values["min_exclusive"]:
                band["min_exclusive"] = True
            if values["field_min"] is not None:
                band["field_min"] = num(values["field_min"])
            bands.append(band)
            rows.append(row_no)
        return bands, rows


def _document(
    nodes: list[dict[str, Any]], info: dict[str, Any], bands: list[dict[str, Any]]
) -> dict[str, Any]:
    """The criteria part of an evaluation document from the three sheets' contents."""
    cs: dict[str, Any] = {"name": info["name"]}
    for key, doc_key in (("rounding", "rounding"), ("index_rounding", "index_rounding")):
        rounding: dict[str, Any] = {}
        if info[f"{key}_mode"] is not None:
            rounding["mode"] = info[f"{key}_mode"]
        if info[f"{key}_places"] is not None:
            rounding["places"] = info[f"{key}_places"]
        if rounding:
            cs[doc_key] = rounding
    cs["nodes"] = nodes
    document: dict[str, Any] = {"format": INPUT_FORMAT, "criteria_set": cs}
    if info["survey_max"] is not None:
        document["survey"] = {"max": num(info["survey_max"])}
    adjustments = {
        key: num(info[key]) for key in ("bonus_max", "penalty_max") if info[key] is not None
    }
    if adjustments:
        document["adjustments"] = adjustments
    if bands or info["otherwise"]:
        document["classification"] = {"bands": bands}
        if info["otherwise"]:
            document["classification"]["otherwise"] = info["otherwise"]
    if info["ties"] is not None:
        document["ranking"] = {"ties": info["ties"]}
    return document
