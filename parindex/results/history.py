"""Importing results published before the system was used (kết quả các năm trước), so
that year-over-year comparison works from the first season on the system.

:func:`history_import` stores a published version (``source = imported``, status
*published*) of a period of the given year and jurisdiction (created when missing, status
*finalised*, without criteria sets) from one or more files:

- a ``parindex-evaluation/1`` file: scored by the engine, exactly as the system scores a
  period (rows, ranks, classes, statistics, the leader rating by the usual rules);
- a ``parindex-results/1`` document (what ``parindex evaluate`` prints): stored as is.
  Given together with the evaluation file of the same units, it is checked against the
  engine instead (index, rank, class and total must agree);
- a table of the published ranking (XLSX, or CSV/ODS) with the template's columns (see
  :data:`TEMPLATE_COLUMNS` and :func:`history_template_xlsx`); the open data download
  ``bang-xep-hang.csv|xlsx`` is accepted too.

Groups are matched to the system's unit groups by code (or name); an unknown group is an
error. Units are matched by code; a code the system does not know (a unit merged or
dissolved since) is imported all the same, with a warning, and is not linked to a unit.
Ranks are taken from the file, or computed by the engine's ranking when the column is
blank for the whole group; statistics (mean, max, min, spread, classes) are the engine's
document's or computed with the engine's rounding (Decimal throughout).

All or nothing: every file is read and every row checked before anything is stored, each
problem in Vietnamese naming the file, the row and the column. Importing the same results
again stores nothing; different results for a year already imported need a reason and
become a correction (a new version superseding the previous one), as on the system.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.core.bounded import (
    InputLimitError,
    check_shape,
    check_text,
    check_xlsx,
    csv_rows,
    limits,
)
from parindex.core.text import fold
from parindex.engine import InputError, evaluate
from parindex.engine.evalfile import (
    INPUT_FORMAT,
    RESULTS_FORMAT,
    group_document,
    load_json,
    num,
    parse,
    results_document,
)
from parindex.engine.evaluate import assign_ranks, published_group_stats
from parindex.engine.leader import default_rules, rate
from parindex.engine.model import (
    SURVEY,
    ZERO,
    NodeLayout,
    Rounding,
    UnitResult,
)
from parindex.organizations.jurisdiction import in_province
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status
from parindex.results.models import (
    ResultGroup,
    ResultRow,
    ResultVersion,
    VersionSource,
    VersionStatus,
)
from parindex.results.selectors import unit_labels
from parindex.results.services import BULK, Decision, decision_date_problem

MAX_FILE_MB = 50
MAX_TABLE_ROWS = 50_000
"""Result rows of one table file: a published ranking has at most a few thousand units."""
MAX_ERRORS = 200
"""Messages kept per import; the count of the others is added."""
MAX_PLACES = 4
"""Decimal places the database keeps for every number of a row."""
MAX_POINTS = Decimal(1_000_000)
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
HEADER_SEARCH = 30
"""Rows searched for the header row (the open data XLSX has a header block above it)."""
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


# --------------------------------------------------------------------------- the template


@dataclass(frozen=True)
class TableColumn:
    key: str
    label: str
    kind: str
    """``text``, ``group``, ``points`` (≥ 0), ``index`` (0..100), ``change`` (any sign),
    ``rank`` (a positive whole number) or ``int`` (a whole number of any sign)."""
    help: str


TEMPLATE_COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("code", "Mã đơn vị", "text", "Bắt buộc; mã của đơn vị trên hệ thống nếu có."),
    TableColumn("name", "Tên đơn vị", "text", "Bắt buộc; tên như trong quyết định công bố."),
    TableColumn(
        "group",
        "Nhóm (mã nhóm)",
        "group",
        "Bắt buộc (trừ khi chọn một nhóm cho cả tệp): mã nhóm đơn vị trên hệ thống "
        "(hoặc tên nhóm); xem danh sách ở dưới.",
    ),
    TableColumn("points", "Điểm thẩm định", "points", "Không bắt buộc; số, ví dụ 62,5."),
    TableColumn(
        "survey", "Điểm khảo sát", "points", "Không bắt buộc; để trống nếu không khảo sát."
    ),
    TableColumn("total", "Tổng điểm", "points", "Không bắt buộc."),
    TableColumn("index", "Chỉ số (%)", "index", "Bắt buộc; từ 0 đến 100, ví dụ 85,42."),
    TableColumn(
        "rank",
        "Xếp hạng",
        "rank",
        "Nhập cho mọi đơn vị của nhóm, hoặc để trống cả cột để hệ thống xếp hạng theo chỉ số "
        "(bằng chỉ số thì cùng hạng).",
    ),
    TableColumn("class_label", "Xếp loại", "text", "Không bắt buộc, ví dụ Tốt."),
)
"""The columns of the template (bảng kết quả đã công bố), in order."""

OPTIONAL_COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("parent", "Trực thuộc", "text", ""),
    TableColumn("bonus", "Điểm thưởng", "points", ""),
    TableColumn("penalty", "Điểm trừ", "points", ""),
    TableColumn("max", "Điểm tối đa", "points", ""),
    TableColumn("leader_rating", "Đánh giá người đứng đầu", "text", ""),
    TableColumn("previous_index", "Chỉ số năm trước (%)", "index", ""),
    TableColumn("index_change", "Tăng/giảm chỉ số", "change", ""),
    TableColumn("previous_rank", "Hạng năm trước", "rank", ""),
    TableColumn("rank_change", "Tăng/giảm hạng", "int", ""),
)
"""Further columns accepted (those of the open data download)."""

_DETAIL_KEYS = {"class_label": "class"}
"""Table column → key of the ``parindex-results/1`` unit document (else the same)."""
_IGNORED_HEADERS = {"stt", "tt", "so tt"}


def _header_key(text: str) -> str:
    """ "Nhóm (mã nhóm)" → "nhom", "Chỉ số (%)" → "chi so"."""
    folded = re.sub(r"\([^)]*\)", " ", fold(text))
    return " ".join(folded.replace("*", " ").replace(":", " ").split())


_COLUMNS_BY_HEADER: dict[str, TableColumn] = {
    _header_key(c.label): c for c in (*TEMPLATE_COLUMNS, *OPTIONAL_COLUMNS)
}
_COLUMNS_BY_HEADER["ma nhom"] = TEMPLATE_COLUMNS[2]
_COLUMNS_BY_HEADER["chi so cchc"] = TEMPLATE_COLUMNS[6]


def history_template_xlsx() -> bytes:
    """The XLSX template: sheet "Kết quả" with the header row, sheet "Hướng dẫn" with every
    column and the unit groups of the system."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("Kết quả")
    for col, column in enumerate(TEMPLATE_COLUMNS):
        sheet.write(0, col, column.label, bold)
        width = 40 if column.key == "name" else max(12, len(column.label) + 2)
        sheet.set_column(col, col, width, text if column.key in ("code", "group") else None)
    sheet.freeze_panes(1, 2)
    guide = book.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 24)
    guide.set_column(1, 1, 90)
    guide.write(0, 0, "Cột", bold)
    guide.write(0, 1, "Cách ghi", bold)
    line = 1
    for column in TEMPLATE_COLUMNS:
        guide.write(line, 0, column.label)
        guide.write(line, 1, column.help, wrap)
        line += 1
    notes = (
        "Mỗi dòng một đơn vị; có thể nhập nhiều nhóm trong một tệp. Số thập phân dùng dấu "
        "phẩy hoặc dấu chấm, tối đa 4 chữ số sau dấu thập phân; nhập đúng như quyết định "
        "công bố (hệ thống không làm tròn lại).",
        "Tệp được kiểm tra toàn bộ: nếu có dòng sai thì không lưu gì và hệ thống chỉ rõ "
        "dòng, cột sai. Nhập lại cùng kết quả không tạo bản trùng.",
        "Mã đơn vị chưa có trên hệ thống (đơn vị đã sáp nhập, giải thể) vẫn được nhập và "
        "được cảnh báo.",
        "Được thêm các cột: " + ", ".join(c.label for c in OPTIONAL_COLUMNS) + ".",
    )
    line += 1
    for note in notes:
        guide.write(line, 1, note, wrap)
        line += 1
    line += 1
    guide.write(line, 0, "Mã nhóm", bold)
    guide.write(line, 1, "Tên nhóm", bold)
    for group in UnitGroup.objects.order_by("position", "name"):
        line += 1
        guide.write_string(line, 0, group.code)
        guide.write_string(line, 1, group.name)
    book.close()
    return buffer.getvalue()


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class HistoryFile:
    name: str
    data: bytes


@dataclass
class _Row:
    where: str
    """Where the row was read, to start a message: "Dòng 5", "Tệp a.json: units[2] …"."""
    line: str
    """The same inside a sentence: "dòng 5"."""
    code: str
    name: str
    group: UnitGroup
    detail: dict[str, Any]
    source: str
    survey: bool = True
    """Whether the unit was surveyed (its survey points are a number to show)."""
    leader_rating: str = ""
    parent_name: str = ""


@dataclass
class _Group:
    group: UnitGroup
    source: str
    rows: list[_Row] = field(default_factory=list)
    stats: dict[str, Any] | None = None
    fields: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    points_places: int | None = None
    index_places: int | None = None
    survey_max: Decimal | None = None
    classified: bool | None = None
    criteria_name: str = ""
    document: dict[str, Any] | None = None
    class_order: list[str] | None = None
    kind: str = "table"
    """``evaluation`` (scored by the engine here: numbers, places and ranks are final),
    ``results`` (a parindex-results/1 document) or ``table``."""


def _plain(value: Any) -> Any:
    """A decoded JSON value with every Decimal as its exact decimal string."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _show(value: Any) -> str:
    text = str(value)
    return f"“{text if len(text) <= 40 else text[:37] + '...'}”"


class _Reader:
    """Reads every file into groups of rows, collecting every problem."""

    def __init__(self, files: Sequence[HistoryFile], forced: UnitGroup | None) -> None:
        self.files = files
        self.forced = forced
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.groups: list[_Group] = []
        self.evaluated: dict[str, tuple[str, dict[str, Any]]] = {}
        """Unit code → (file, the engine's unit document) of the evaluation files."""
        self.seen: dict[str, str] = {}
        """Unit code → where it was first read (inside a sentence)."""
        known = list(UnitGroup.objects.all())
        self.by_code = {g.code: g for g in known}
        self.by_fold = {fold(g.code): g for g in known} | {fold(g.name): g for g in known}
        self.known_codes = ", ".join(g.code for g in known) or "chưa có nhóm nào"

    def err(self, message: str) -> None:
        self.problems.append(message)

    def prefix(self, name: str) -> str:
        return f"Tệp {name}: " if len(self.files) > 1 else ""

    # -- files

    def read(self) -> list[_Group]:
        decoded: list[tuple[HistoryFile, str, Any]] = []
        for file in self.files:
            where = f"Tệp {file.name}"
            if not file.data.strip():
                self.err(f"{where}: tệp rỗng.")
                continue
            if len(file.data) > MAX_FILE_MB * 1024 * 1024:
                self.err(f"{where}: lớn hơn {MAX_FILE_MB} MB.")
                continue
            lower = file.name.lower()
            if lower.endswith(".json") or file.data.lstrip()[:1] == b"{":
                try:
                    document = load_json(file.data, max_integer_digits=limits().integer_digits)
                except InputError as exc:
                    self.problems.extend(f"{where}: {p}" for p in exc.problems)
                    continue
                kind = document.get("format") if isinstance(document, dict) else None
                if kind not in (INPUT_FORMAT, RESULTS_FORMAT):
                    self.err(
                        f"{where}: cần tệp JSON dạng {RESULTS_FORMAT!r} (kết quả do "
                        f"“parindex evaluate” in ra) hoặc {INPUT_FORMAT!r} (tệp đánh giá), "
                        f"không phải {_show(kind)}."
                    )
                    continue
                decoded.append((file, str(kind), document))
            elif lower.endswith(TABLE_SUFFIXES):
                decoded.append((file, "table", None))
            else:
                self.err(
                    f"{where}: chỉ nhận tệp Excel (.xlsx), CSV hoặc JSON "
                    f"({RESULTS_FORMAT}, {INPUT_FORMAT})."
                )
        # evaluation files first: a results document is then checked against them
        order = {INPUT_FORMAT: 0, RESULTS_FORMAT: 1, "table": 2}
        for file, kind, document in sorted(decoded, key=lambda item: order[item[1]]):
            if kind == INPUT_FORMAT:
                self.evaluation(file.name, document)
            elif kind == RESULTS_FORMAT:
                self.results(file.name, document)
            else:
                self.table(file.name, file.data)
        return self.groups

    def group_of(self, text: str, where: str) -> UnitGroup | None:
        if self.forced is not None:
            return self.forced
        text = (text or "").strip()
        if not text:
            self.err(f"{where}: thiếu nhóm đơn vị.")
            return None
        group = self.by_code.get(text) or self.by_fold.get(fold(text))
        if group is None:
            self.err(
                f"{where}: không có nhóm đơn vị {_show(text)} trên hệ thống "
                f"(các mã nhóm: {self.known_codes})."
            )
        return group

    def new_group(self, group: UnitGroup, source: str, kind: str) -> _Group:
        for existing in self.groups:
            if existing.group.pk == group.pk:
                if existing.source != source:
                    self.err(
                        f"Nhóm “{group.name}” có đơn vị ở nhiều tệp ({existing.source}, "
                        f"{source}): mỗi nhóm nhập từ một tệp để thứ hạng nhất quán."
                    )
                return existing
        created = _Group(group=group, source=source, kind=kind)
        self.groups.append(created)
        return created

    def unique(self, code: str, where: str, line: str) -> bool:
        if code in self.seen:
            self.err(f"{where}: mã đơn vị {code} trùng với {self.seen[code]}.")
            return False
        self.seen[code] = line
        return True

    # -- parindex-evaluation/1

    def evaluation(self, name: str, document: dict[str, Any]) -> None:
        where = f"Tệp {name}"
        try:
            data = parse(document)
        except InputError as exc:
            self.problems.extend(f"{where}: {p}" for p in exc.problems)
            return
        if not data.units:
            self.err(f"{where}: tệp đánh giá không có đơn vị nào.")
            return
        results = evaluate(data)
        output = results_document(results)
        criteria = data.criteria
        rules = default_rules(criteria.classification)
        metadata = document.get("metadata")
        meta_group = metadata.get("group") if isinstance(metadata, dict) else None
        meta_code = meta_group.get("code") if isinstance(meta_group, dict) else None
        names = sorted({u.group for u in results.units})
        extras = {
            str(node.get("code")): node
            for node in document["criteria_set"]["nodes"]
            if isinstance(node, dict)
        }
        for group_name in names:
            label = meta_code if isinstance(meta_code, str) and len(names) == 1 else group_name
            group = self.group_of(label, f"{where}, nhóm “{group_name}”")
            if group is None:
                continue
            target = self.new_group(group, name, "evaluation")
            stats = next((g for g in output["groups"] if g["group"] == group_name), None)
            target.stats = dict(stats) if stats else None
            target.points_places = criteria.rounding.places
            target.index_places = criteria.effective_index_rounding.places
            target.survey_max = criteria.survey_max
            target.classified = criteria.classification is not None
            target.criteria_name = criteria.name
            target.document = _plain(document)
            target.class_order = criteria.class_labels
            target.fields = [
                {"code": n.code, "name": n.name, "max": num(n.max)}
                for n in criteria.nodes
                if n.parent is None
            ]
            target.nodes = [
                {
                    "code": n.code,
                    "name": n.name,
                    "parent": n.parent,
                    "max": num(n.max),
                    "guidance": str(extras.get(n.code, {}).get("guidance", "") or ""),
                }
                for n in criteria.nodes
            ]
            for result, unit in zip(results.units, output["units"], strict=True):
                if result.group != group_name:
                    continue
                row_where = f"{where}, đơn vị {result.unit}"
                row_line = f"đơn vị {result.unit} của tệp {name}"
                if not self.unique(result.unit, row_where, row_line):
                    continue
                self.evaluated[result.unit] = (name, unit)
                target.rows.append(
                    _Row(
                        where=row_where,
                        line=row_line,
                        code=result.unit,
                        name=result.name,
                        group=group,
                        detail=unit,
                        source=name,
                        survey=result.survey_applicable,
                        leader_rating=rate(
                            result.class_label, [f.percent for f in result.fields], rules
                        )
                        or "",
                    )
                )

    # -- parindex-results/1

    def results(self, name: str, document: dict[str, Any]) -> None:
        where = f"Tệp {name}"
        units = document.get("units")
        if not isinstance(units, list) or not units:
            self.err(f"{where}: units: cần danh sách các đơn vị.")
            return
        group_stats: dict[str, dict[str, Any]] = {}
        for entry in document.get("groups") or []:
            if isinstance(entry, dict) and isinstance(entry.get("group"), str):
                stats = _plain(entry)
                if _valid_stats(stats):  # else computed from the units
                    group_stats[entry["group"]] = stats
        checked = 0
        for i, raw in enumerate(units):
            at = f"{where}: units[{i}]"
            if not isinstance(raw, dict):
                self.err(f"{at}: cần một đối tượng.")
                continue
            code = raw.get("unit")
            if not isinstance(code, str) or not code.strip() or len(code.strip()) > 50:
                self.err(f"{at}.unit: cần mã đơn vị (tối đa 50 ký tự), không phải {_show(code)}.")
                continue
            code = code.strip()
            at = f"{at} (đơn vị {code})"
            unit = _plain(raw)
            if code in self.evaluated:
                self.verify(at, unit, *self.evaluated[code])
                checked += 1
                continue
            detail = self.unit_detail(at, unit)
            if detail is None:
                continue
            group = self.group_of(str(raw.get("group") or ""), f"{at}.group")
            if group is None or not self.unique(code, at, at):
                continue
            target = self.new_group(group, name, "results")
            if target.stats is None and detail["group"] in group_stats:
                target.stats = group_stats[detail["group"]]
            target.rows.append(
                _Row(
                    where=at,
                    line=at,
                    code=code,
                    name=detail["name"],
                    group=group,
                    detail=detail,
                    source=name,
                    survey=SURVEY not in detail.get("not_applicable", []),
                )
            )
        if checked and checked != len(units):
            self.err(
                f"{where}: chỉ {checked}/{len(units)} đơn vị có trong tệp đánh giá; tệp kết quả "
                "đi kèm tệp đánh giá phải có đúng các đơn vị của tệp đánh giá."
            )

    def unit_detail(self, at: str, unit: dict[str, Any]) -> dict[str, Any] | None:
        """The unit's document with its numbers checked (decimal strings); None if wrong."""
        ok = True
        name = unit.get("name")
        if not isinstance(name, str) or not name.strip():
            self.err(f"{at}.name: cần tên đơn vị.")
            ok = False
        elif len(name.strip()) > 300:
            self.err(f"{at}.name: tên đơn vị dài quá 300 ký tự.")
            ok = False
        for key, kind in (
            ("points", "points"),
            ("survey", "points"),
            ("bonus", "points"),
            ("penalty", "points"),
            ("total", "points"),
            ("max", "points"),
            ("index", "index"),
            ("previous_index", "index"),
            ("index_change", "change"),
        ):
            value = unit.get(key)
            if value is None:
                if key == "index":
                    self.err(f"{at}.index: thiếu chỉ số.")
                    ok = False
                continue
            number = _number(str(value) if not isinstance(value, bool) else "", kind)
            if isinstance(number, str):
                self.err(f"{at}.{key}: {number}, không phải {_show(value)}.")
                ok = False
            else:
                unit[key] = format(number, "f")
        for key, kind in (("rank", "rank"), ("previous_rank", "rank"), ("rank_change", "int")):
            value = unit.get(key)
            if value is None:
                continue
            whole = _whole(str(value) if not isinstance(value, bool) else "", kind)
            if isinstance(whole, str):
                self.err(f"{at}.{key}: {whole}, không phải {_show(value)}.")
                ok = False
            else:
                unit[key] = whole
        label = unit.get("class")
        if label is not None and (not isinstance(label, str) or len(label) > 100):
            self.err(f"{at}.class: cần xếp loại (chuỗi tối đa 100 ký tự).")
            ok = False
        for key in ("fields", "nodes", "not_applicable", "missing"):
            if unit.get(key) is not None and not isinstance(unit[key], list):
                self.err(f"{at}.{key}: cần một mảng.")
                ok = False
        for key in ("not_applicable", "missing"):
            if isinstance(unit.get(key), list) and not all(isinstance(c, str) for c in unit[key]):
                self.err(f"{at}.{key}: cần một mảng các mã tiêu chí (chuỗi).")
                ok = False
        for key in ("fields", "nodes"):
            for j, item in enumerate(unit.get(key) or []):
                if not (
                    isinstance(item, dict)
                    and isinstance(item.get("code"), str)
                    and all(
                        _is_number(item.get(k))
                        for k in (
                            ("points", "max", "percent") if key == "fields" else ("points", "max")
                        )
                    )
                ):
                    self.err(f"{at}.{key}[{j}]: cần mã và điểm (chuỗi số).")
                    ok = False
        if not ok:
            return None
        unit["unit"] = str(unit["unit"]).strip()
        unit["name"] = str(unit["name"]).strip()
        unit["group"] = str(unit.get("group") or (self.forced.name if self.forced else ""))
        return unit

    def verify(self, at: str, unit: dict[str, Any], source: str, computed: dict[str, Any]) -> None:
        """A results document given with the evaluation file must agree with the engine."""
        for key, label in (
            ("index", "chỉ số"),
            ("total", "tổng điểm"),
            ("rank", "xếp hạng"),
            ("class", "xếp loại"),
        ):
            if key not in unit:
                continue
            given, expected = unit.get(key), computed.get(key)
            same = given == expected
            if not same and _is_number(given) and _is_number(expected):
                same = Decimal(str(given)) == Decimal(str(expected))
            if not same:
                self.err(
                    f"{at}: {label} {given} trong tệp kết quả khác {expected} tính lại từ tệp "
                    f"đánh giá {source}."
                )

    # -- the published table (XLSX / CSV)

    def table(self, name: str, data: bytes) -> None:
        prefix = self.prefix(name)
        try:
            lines = _table_rows(name, data)
        except InputLimitError as exc:
            self.err(str(exc))
            return
        header = next(
            (
                (number, cells)
                for number, cells in lines
                if number <= HEADER_SEARCH and any(_header_key(c) == "ma don vi" for c in cells)
            ),
            None,
        )
        if header is None:
            self.err(
                f"{prefix}Không tìm thấy dòng tiêu đề có cột “Mã đơn vị” (hãy dùng mẫu tải về)."
            )
            return
        at = header[0] - 1
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        ignored: list[str] = []
        for col, heading in enumerate(header[1]):
            if not heading:
                continue
            key = _header_key(heading)
            column = _COLUMNS_BY_HEADER.get(key)
            if column is None:
                if key not in _IGNORED_HEADERS:
                    ignored.append(heading)
                continue
            if column.key in columns:
                self.err(f"{prefix}Dòng {at + 1}: cột “{heading}” lặp lại.")
                continue
            columns[column.key] = col
            labels[column.key] = heading
        required = ["code", "name", "index"] + ([] if self.forced else ["group"])
        absent = [c.label for c in TEMPLATE_COLUMNS if c.key in required and c.key not in columns]
        if absent:
            self.err(
                f"{prefix}Dòng {at + 1}: thiếu cột " + ", ".join(f"“{a}”" for a in absent) + "."
            )
            return
        if ignored:
            self.warnings.append(
                f"{prefix}Bỏ qua các cột không có trong mẫu: "
                + ", ".join(f"“{c}”" for c in ignored)
                + "."
            )
        kinds = {c.key: c.kind for c in (*TEMPLATE_COLUMNS, *OPTIONAL_COLUMNS)}
        count = 0
        for number, cells in lines:
            if number <= at + 1:
                continue
            count += 1

            def cell(key: str, cells: list[str] = cells) -> str:
                col = columns.get(key)
                return cells[col].strip() if col is not None and col < len(cells) else ""

            def bad(key: str, message: str, number: int = number) -> None:
                self.err(f"{prefix}Dòng {number}, cột “{labels[key]}”: {message}.")

            code, unit_name = cell("code"), cell("name")
            ok = True
            if not code:
                bad("code", "thiếu mã đơn vị")
                ok = False
            elif len(code) > 50:
                bad("code", "mã đơn vị dài quá 50 ký tự")
                ok = False
            if not unit_name:
                bad("name", "thiếu tên đơn vị")
                ok = False
            elif len(unit_name) > 300:
                bad("name", "tên đơn vị dài quá 300 ký tự")
                ok = False
            group: UnitGroup | None = self.forced
            if self.forced is None or cell("group"):
                text = cell("group")
                if not text:
                    bad("group", "thiếu mã nhóm đơn vị")
                    ok = False
                else:
                    group = self.by_code.get(text) or self.by_fold.get(fold(text))
                    if group is None:
                        bad(
                            "group",
                            f"không có nhóm đơn vị {_show(text)} trên hệ thống "
                            f"(các mã nhóm: {self.known_codes})",
                        )
                        ok = False
            detail: dict[str, Any] = {"unit": code, "name": unit_name}
            for key, kind in kinds.items():
                text = cell(key)
                if key in ("code", "name", "group", "parent") or key not in columns:
                    continue
                if kind == "text":
                    if len(text) > 100:
                        bad(key, "dài quá 100 ký tự")
                        ok = False
                    elif text and key == "class_label":
                        detail["class"] = text
                    continue
                if not text:
                    if key == "index":
                        bad(key, "thiếu chỉ số")
                        ok = False
                    continue
                if kind in ("rank", "int"):
                    whole = _whole(text, kind)
                    if isinstance(whole, str):
                        bad(key, f"{whole}, không phải {_show(text)}")
                        ok = False
                    else:
                        detail[key] = whole
                    continue
                value = _number(text, kind)
                if isinstance(value, str):
                    bad(key, f"{value}, không phải {_show(text)}")
                    ok = False
                else:
                    detail[_DETAIL_KEYS.get(key, key)] = format(value, "f")
            if not ok or group is None:
                continue
            where = f"{prefix}Dòng {number}"
            line = f"dòng {number}" + (f" của tệp {name}" if prefix else "")
            if not self.unique(code, where, line):
                continue
            detail["group"] = group.name
            target = self.new_group(group, name, "table")
            target.rows.append(
                _Row(
                    where=where,
                    line=line,
                    code=code,
                    name=unit_name,
                    group=group,
                    detail=detail,
                    source=name,
                    survey="survey" in detail,
                    leader_rating=cell("leader_rating"),
                    parent_name=cell("parent")[:300],
                )
            )
        if not count:
            self.err(f"{prefix}Không có dòng kết quả nào dưới dòng tiêu đề.")


def _table_rows(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    """The non-blank rows of a table file (CSV, or the first sheet of a workbook) with their
    row numbers, every cell as stripped text. Bounded (:mod:`parindex.core.bounded`): a
    workbook is refused before it is opened if it unpacks past ``IMPORT_MAX_UNPACKED_BYTES``,
    a cell or CSV field past ``IMPORT_MAX_FIELD_CHARS``, more than :data:`MAX_TABLE_ROWS`
    rows; each refusal is an :class:`InputLimitError` naming the file (and line)."""
    what = f"Tệp {name}"
    rows: list[tuple[int, list[str]]] = []

    def keep(number: int, cells: list[str]) -> None:
        if any(cells):
            if len(rows) >= MAX_TABLE_ROWS:
                most = f"{MAX_TABLE_ROWS:,}".replace(",", ".")
                raise InputLimitError(
                    f"{what}, dòng {number}: quá {most} dòng kết quả; một bảng xếp hạng đã "
                    "công bố không dài như vậy."
                )
            rows.append((number, cells))

    lower = name.lower()
    if lower.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputLimitError(
                f"{what}: tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”)."
            ) from exc
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
        reader = csv_rows(io.StringIO(text, newline=""), what=what, delimiter=delimiter)
        for number, row in enumerate(reader, start=1):
            keep(number, [c.strip() for c in row])
        return rows
    if not lower.endswith(".xls"):  # XLSX, XLSM, ODS: ZIP archives (an old .xls is not)
        check_xlsx(data, what=what, hint="Hãy chia nhỏ tệp theo nhóm, hoặc nhập dạng CSV.")
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        check_shape(rows=sheet.total_height, columns=sheet.total_width, what=what)
        cells_of = sheet.iter_rows()
    except InputLimitError:
        raise
    except Exception as exc:  # a damaged or password-protected workbook
        raise InputLimitError(f"{what}: không đọc được tệp Excel ({exc}).") from exc
    for number, values in enumerate(cells_of, start=1):
        cells = [_cell_text(v) for v in values]
        for column, value in enumerate(cells, start=1):
            check_text(value, where=f"{what}, dòng {number}, cột {column}")
        keep(number, cells)
    return rows


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a person typed (12.0 → "12", a date as dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _valid_stats(stats: dict[str, Any]) -> bool:
    """Whether a group entry of a results document has the engine's shape."""

    def whole(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    fields = stats.get("fields")
    return (
        all(_is_number(stats.get(k)) for k in ("mean", "max", "min", "spread"))
        and all(whole(stats.get(k)) for k in ("count", "above_mean"))
        and isinstance(fields, list)
        and all(
            isinstance(f, dict)
            and isinstance(f.get("code"), str)
            and _is_number(f.get("mean_points"))
            and whole(f.get("units_at_max"))
            and whole(f.get("units"))
            for f in fields
        )
    )


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (str, int, Decimal))
        and not isinstance(value, bool)
        and bool(_NUMBER.match(str(value).strip()))
    )


def _number(text: str, kind: str) -> Decimal | str:
    """A decimal from a cell ("85,42", "85.42"), or the Vietnamese problem."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    expected = {
        "index": "cần một số từ 0 đến 100",
        "points": "cần một số không âm",
        "change": "cần một số",
    }[kind]
    if not _NUMBER.match(raw):
        return expected
    try:
        value = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return expected
    if _places(value) > MAX_PLACES:
        return (
            f"có quá {MAX_PLACES} chữ số thập phân; hãy nhập đúng số đã công bố "
            "(làm tròn như trong quyết định)"
        )
    if kind == "index" and not ZERO <= value <= 100:
        return expected
    if kind == "points" and not ZERO <= value <= MAX_POINTS:
        return expected
    if kind == "change" and abs(value) > 100:
        return "cần một số từ −100 đến 100"
    return value if value else value.copy_abs()


def _whole(text: str, kind: str) -> int | str:
    expected = "cần một số nguyên dương" if kind == "rank" else "cần một số nguyên"
    raw = text.strip()
    if not _NUMBER.match(raw):
        return expected
    value = Decimal(raw)
    if value != value.to_integral_value() or (kind == "rank" and value < 1):
        return expected
    if abs(value) > 1_000_000:
        return expected
    return int(value)


# --------------------------------------------------------------------------- completing


_NO_LAYOUT = NodeLayout(codes=(), display=(), index={})


def _engine_ranks(rows: Sequence[_Row]) -> dict[str, int]:
    """Ranks by the engine's rule (competition ranking: equal indexes share a rank)."""
    members = [
        UnitResult(
            unit=row.code,
            name=row.name,
            group=row.group.name,
            points=ZERO,
            survey=ZERO,
            survey_applicable=False,
            bonus=ZERO,
            penalty=ZERO,
            total=ZERO,
            max=ZERO,
            index_exact=Decimal(row.detail["index"]),
            index=Decimal(row.detail["index"]),
            fields=[],
            not_applicable=[],
            missing=[],
            layout=_NO_LAYOUT,
            node_points=(),
            node_max=(),
        )
        for row in rows
    ]
    members.sort(key=lambda m: (-m.index, m.unit))
    assign_ranks(members, dense=False)
    return {m.unit: m.rank for m in members}


_POINT_KEYS = ("points", "survey", "bonus", "penalty", "total", "max")
_INDEX_KEYS = ("index", "previous_index", "index_change")


def _complete(target: _Group, problems: list[str], prefix: str) -> None:
    """Places, ranks, statistics and fields of a group read from a file."""
    rows = target.rows
    name = target.group.name
    if target.kind != "evaluation":
        given = [r for r in rows if isinstance(r.detail.get("rank"), int)]
        if given and len(given) != len(rows):
            blank = [r.line for r in rows if not isinstance(r.detail.get("rank"), int)]
            problems.append(
                f"{prefix}Nhóm “{name}”: thiếu xếp hạng ở {', '.join(blank[:10])}"
                f"{'…' if len(blank) > 10 else ''}: nhập hạng cho mọi đơn vị của nhóm hoặc để "
                "trống cả cột để hệ thống xếp hạng theo chỉ số."
            )
            return
        if not given:
            ranks = _engine_ranks(rows)
            for row in rows:
                row.detail["rank"] = ranks[row.code]
        if all(Decimal(r.detail["index"]) <= 1 for r in rows) and len(rows) > 1:
            problems.append(
                f"{prefix}Nhóm “{name}”: mọi chỉ số đều không quá 1; chỉ số tính theo % "
                "(0–100), ví dụ 85,42 (ô Excel định dạng phần trăm?)."
            )
            return
        target.points_places = max(
            (_places(Decimal(r.detail[k])) for r in rows for k in _POINT_KEYS if k in r.detail),
            default=2,
        )
        target.index_places = max(
            (_places(Decimal(r.detail[k])) for r in rows for k in _INDEX_KEYS if k in r.detail),
            default=2,
        )
        for row in rows:
            for key, places in (
                *((k, target.points_places) for k in _POINT_KEYS),
                *((k, target.index_places) for k in _INDEX_KEYS),
            ):
                if key in row.detail:
                    row.detail[key] = format(
                        Decimal(row.detail[key]).quantize(Decimal(1).scaleb(-places)), "f"
                    )
        if target.kind == "results":
            # the engine prints survey 0 for every unit of a set without a survey
            surveyed = any(
                Decimal(r.detail.get("survey", "0")) or SURVEY in r.detail.get("missing", [])
                for r in rows
            )
            for row in rows:
                row.survey = row.survey and "survey" in row.detail and surveyed
        target.fields = _fields_of(rows)
        target.classified = any(r.detail.get("class") for r in rows)
        if target.stats is None:
            target.stats = _stats(name, rows, target.index_places)
    rows.sort(key=lambda r: (r.detail["rank"], -Decimal(r.detail["index"]), r.code))
    stats = dict(target.stats or {})
    classes: dict[str, int] = {}
    for row in rows:
        label = row.detail.get("class")
        if label:
            classes[label] = classes.get(label, 0) + 1
    stats["classes"] = classes
    if target.class_order is None:
        best: dict[str, Decimal] = {}
        for row in rows:
            label = row.detail.get("class")
            if label:
                index = Decimal(row.detail["index"])
                best[label] = max(best.get(label, index), index)
        target.class_order = sorted(best, key=lambda label: -best[label])
    stats["class_order"] = target.class_order
    target.stats = stats


def _fields_of(rows: Sequence[_Row]) -> list[dict[str, Any]]:
    """Fields named in the units' documents (code, largest max): in the order of the unit
    with the most fields (a unit's not applicable fields are missing from its list)."""
    maxima: dict[str, Decimal] = {}
    order: list[str] = []
    for row in sorted(rows, key=lambda r: -len(r.detail.get("fields") or [])):
        for item in row.detail.get("fields") or []:
            value = Decimal(str(item["max"]))
            if item["code"] not in maxima:
                order.append(item["code"])
            maxima[item["code"]] = max(maxima.get(item["code"], value), value)
    return [{"code": code, "name": code, "max": num(maxima[code])} for code in order]


def _stats(name: str, rows: Sequence[_Row], places: int) -> dict[str, Any]:
    """The group's statistics as the engine writes them, from the published indexes."""
    rounding = Rounding("half_up", places)
    stats = published_group_stats(
        name,
        [Decimal(r.detail["index"]) for r in rows],
        (
            [
                (item["code"], Decimal(str(item["points"])), Decimal(str(item["max"])))
                for item in row.detail.get("fields") or []
            ]
            for row in rows
        ),
        rounding,
    )
    return group_document(stats, rounding)


# --------------------------------------------------------------------------- the service


@dataclass
class HistoryImport:
    """What an import did."""

    version: ResultVersion
    created: bool
    """False when the same results were already imported: nothing was stored."""
    warnings: list[str]
    linked: list[Period]
    """Periods whose year-over-year comparison now uses the imported period."""


def _default_name(year: int, kind: str) -> str:
    return f"Năm {year}" if kind == PeriodKind.ANNUAL else f"6 tháng đầu năm {year}"


def history_import(
    *,
    jurisdiction: Unit,
    year: int,
    kind: str = PeriodKind.ANNUAL,
    name: str = "",
    data: bytes,
    filename: str,
    decision: Decision,
    actor: User | None,
    more: Sequence[HistoryFile] = (),
    group_code: str = "",
) -> HistoryImport:
    """Import the published results of ``year`` from ``data`` (and the files of ``more``)
    as a published version of the jurisdiction's period of that year."""
    errors: dict[str, list[str]] = {}
    if jurisdiction.level not in (Level.PROVINCE, Level.DISTRICT):
        errors["jurisdiction"] = [f"{jurisdiction.name} không phải là tỉnh hoặc huyện."]
    if kind not in PeriodKind.values:
        errors["kind"] = [f"Loại kỳ {kind!r} không hợp lệ."]
    if not 1990 <= year <= 2100:
        errors["year"] = [f"Năm {year} không hợp lệ."]
    if not decision.number.strip():
        errors["decision_number"] = ["Nhập số quyết định công bố."]
    if (problem := decision_date_problem(decision.date, year)) is not None:
        errors["decision_date"] = [problem]
    if not decision.signer_name.strip():
        errors["signer_name"] = ["Nhập họ tên người ký quyết định."]
    forced = None
    if group_code:
        forced = UnitGroup.objects.filter(code=group_code).first()
        if forced is None:
            errors["group"] = [f"Không có nhóm đơn vị “{group_code}”."]
    if errors:
        raise ValidationError(errors)

    files = [HistoryFile(filename or "tep", data), *more]
    reader = _Reader(files, forced)
    groups = reader.read()
    problems = reader.problems
    if not problems and not groups:
        problems.append("Không có kết quả nào để nhập.")
    for target in groups:
        _complete(target, problems, reader.prefix(target.source))
    if problems:
        shown = problems[:MAX_ERRORS]
        if len(problems) > MAX_ERRORS:
            shown.append(f"… và {len(problems) - MAX_ERRORS} lỗi khác.")
        raise ValidationError(shown)
    groups.sort(key=lambda g: (g.group.position, g.group.name))

    with transaction.atomic():
        period, linked = _period_for(jurisdiction, year, kind, name, actor)
        current = ResultVersion.objects.select_for_update().current().filter(period=period).first()
        if current is not None:
            if current.source != VersionSource.IMPORTED:
                raise ValidationError(
                    f"{period.name} đã công bố kết quả tính trên hệ thống (phiên bản "
                    f"{current.number}); không nhập đè kết quả từ tệp."
                )
            if _same(current, groups, decision):
                return HistoryImport(current, False, list(current.warnings), linked)
            if not decision.reason.strip():
                raise ValidationError(
                    {
                        "reason": [
                            f"{period.name} đã có kết quả nhập từ tệp (phiên bản "
                            f"{current.number}, QĐ {current.decision_number}): nhập lý do "
                            "đính chính để thay bằng kết quả mới."
                        ]
                    }
                )
        version = _store(period, groups, reader.warnings, decision, current, actor)
        record(
            actor=actor,
            action="results.history_imported",
            target=version,
            summary=(
                f"Nhập kết quả đã công bố {period.name} ({jurisdiction.name}), phiên bản "
                f"{version.number} (QĐ {version.decision_number}): {version.units_count} đơn "
                "vị từ " + ", ".join(f.name for f in files)
            ),
            after={
                "files": [
                    {"name": f.name, "sha256": hashlib.sha256(f.data).hexdigest()} for f in files
                ],
                "groups": {g.group.code: len(g.rows) for g in groups},
                "supersedes": current.number if current is not None else None,
                "reason": version.reason,
            },
        )
    return HistoryImport(version, True, list(version.warnings), linked)


def _period_for(
    jurisdiction: Unit, year: int, kind: str, name: str, actor: User | None
) -> tuple[Period, list[Period]]:
    """The jurisdiction's period of ``year`` (created finalised, without criteria sets,
    when missing) and the periods newly linked to it for year-over-year comparison."""
    same = Period.objects.select_for_update().filter(jurisdiction=jurisdiction, kind=kind)
    period = same.filter(year=year).first()
    before = same.filter(year=year - 1).first()
    if period is None:
        period = period_create(
            jurisdiction=jurisdiction,
            year=year,
            kind=kind,
            name=name.strip() or _default_name(year, kind),
            groups={},
            previous=before,
            actor=actor,
        )
        period = period_set_status(period=period, status=PeriodStatus.FINALISED, actor=actor)
    elif period.status != PeriodStatus.FINALISED:
        raise ValidationError(
            f"{period.name} của {jurisdiction.name} đang ở trạng thái "
            f"“{PeriodStatus(period.status).label}”: chỉ nhập kết quả cho kỳ đã chốt kết quả."
        )
    elif period.previous_id is None and before is not None:
        _link(period, before, actor)
    linked = []
    for later in same.filter(year=year + 1, previous__isnull=True):
        _link(later, period, actor)
        linked.append(later)
    return period, linked


def _link(period: Period, previous: Period, actor: User | None) -> None:
    period.previous = previous
    period.save(update_fields=["previous"])
    record(
        actor=actor,
        action="period.previous_set",
        target=period,
        summary=f"{period.name} so sánh với kỳ trước {previous.name} (kết quả nhập từ tệp)",
        before={"previous": None},
        after={"previous": previous.pk},
    )


def _signature(entries: Iterable[tuple[str, str, Any, str]]) -> set[str]:
    return {
        json.dumps([group, code, detail, leader], sort_keys=True, ensure_ascii=False)
        for group, code, detail, leader in entries
    }


def _same(current: ResultVersion, groups: Sequence[_Group], decision: Decision) -> bool:
    """Whether ``current`` holds exactly these results with this decision."""
    if (
        current.decision_number,
        current.decision_date,
        current.signer_name,
        current.signer_title,
    ) != (
        decision.number.strip(),
        decision.date,
        decision.signer_name.strip(),
        decision.signer_title.strip(),
    ):
        return False
    stored = ResultRow.objects.filter(version=current).values_list(
        "result_group__code", "code", "detail", "leader_rating"
    )
    new = (
        (g.group.code, row.code, row.detail, row.leader_rating) for g in groups for row in g.rows
    )
    return _signature(stored) == _signature(new)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _store(
    period: Period,
    groups: Sequence[_Group],
    warnings: list[str],
    decision: Decision,
    current: ResultVersion | None,
    actor: User | None,
) -> ResultVersion:
    codes = [row.code for g in groups for row in g.rows]
    # Only the jurisdiction's own units: a code of another province stays unlinked.
    unit_ids = dict(
        Unit.objects.filter(in_province("", period.jurisdiction), code__in=codes).values_list(
            "code", "pk"
        )
    )
    unknown = [code for code in codes if code not in unit_ids]
    warnings = list(warnings)
    if unknown:
        warnings.append(
            f"{len(unknown)} mã đơn vị chưa có trên hệ thống hoặc không thuộc "
            f"{period.jurisdiction.name} (vẫn nhập, không gắn với đơn vị "
            f"nào): {', '.join(unknown[:10])}{'…' if len(unknown) > 10 else ''}."
        )
    labels = unit_labels(codes, period.jurisdiction_id)
    number = (ResultVersion.objects.filter(period=period).aggregate(n=Max("number"))["n"] or 0) + 1
    if current is not None:
        current.status = VersionStatus.SUPERSEDED
        current.save(update_fields=["status"])
    now = timezone.now()
    version = ResultVersion.objects.create(
        period=period,
        number=number,
        status=VersionStatus.PUBLISHED,
        source=VersionSource.IMPORTED,
        progress_done=len(groups),
        progress_total=len(groups),
        warnings=warnings,
        units_count=len(codes),
        computed_at=now,
        created_by=actor if actor is not None and actor.pk else None,
        decision_number=decision.number.strip(),
        decision_date=decision.date,
        signer_name=decision.signer_name.strip(),
        signer_title=decision.signer_title.strip(),
        reason=decision.reason.strip() if current is not None else "",
        published_at=now,
        published_by=actor if actor is not None and actor.pk else None,
        supersedes=current,
    )
    for position, target in enumerate(groups):
        result_group = ResultGroup.objects.create(
            version=version,
            group=target.group,
            code=target.group.code,
            name=target.group.name,
            position=position,
            criteria_name=target.criteria_name,
            points_places=target.points_places if target.points_places is not None else 2,
            index_places=target.index_places if target.index_places is not None else 2,
            survey_max=target.survey_max,
            classified=bool(target.classified),
            fields=target.fields,
            nodes=target.nodes,
            stats=target.stats or {},
            document=target.document,
            units_count=len(target.rows),
        )
        rows = []
        for order, row in enumerate(target.rows):
            detail = row.detail
            label = labels.get(row.code)
            rows.append(
                ResultRow(
                    version=version,
                    result_group=result_group,
                    unit_id=unit_ids.get(row.code),
                    code=row.code,
                    name=row.name[:300],
                    short_name=label.short[:120] if label else "",
                    parent_name=((label.parent or "") if label else row.parent_name)[:300],
                    search_text=fold(f"{row.code} {row.name}")[:700],
                    position=order,
                    rank=detail.get("rank"),
                    points=_dec(detail.get("points")),
                    survey=_dec(detail.get("survey")) if row.survey else None,
                    bonus=_dec(detail.get("bonus")) or ZERO,
                    penalty=_dec(detail.get("penalty")) or ZERO,
                    total=_dec(detail.get("total")),
                    max=_dec(detail.get("max")),
                    index=Decimal(detail["index"]),
                    class_label=str(detail.get("class") or ""),
                    leader_rating=row.leader_rating[:100],
                    previous_index=_dec(detail.get("previous_index")),
                    index_change=_dec(detail.get("index_change")),
                    previous_rank=detail.get("previous_rank"),
                    rank_change=detail.get("rank_change"),
                    missing_count=len(detail.get("missing") or []),
                    detail=detail,
                )
            )
        ResultRow.objects.bulk_create(rows, batch_size=BULK)
    return version


# --------------------------------------------------------------------------- reads


def history_versions(jurisdictions: Iterable[Unit]) -> QuerySet[ResultVersion]:
    """Imported versions of the jurisdictions' periods, newest year first, with groups."""
    return (
        ResultVersion.objects.published()
        .filter(source=VersionSource.IMPORTED, period__jurisdiction__in=list(jurisdictions))
        .select_related("period", "period__jurisdiction")
        .prefetch_related("groups")
        .order_by("-period__year", "period__kind", "-number")
    )


def jurisdictions_for(user: Any) -> QuerySet[Unit]:
    """The jurisdictions whose history ``user`` may import: the chair's province or district,
    every one for a superuser; none for anyone else."""
    from parindex.organizations.jurisdiction import jurisdiction_of
    from parindex.periods.permissions import is_chair

    units = Unit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT]).order_by("name")
    if not is_chair(user):
        return units.none()
    if user.is_superuser:
        return units
    own = jurisdiction_of(user)
    return units.filter(pk=own.pk) if own is not None else units.none()


__all__ = [
    "TEMPLATE_COLUMNS",
    "HistoryFile",
    "HistoryImport",
    "history_import",
    "history_template_xlsx",
    "history_versions",
    "jurisdictions_for",
]
