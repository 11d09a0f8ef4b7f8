"""Criteria sets as Excel workbooks (XLSX): the format a province's appendix is kept in.

A workbook has three sheets that import reads and export writes, plus an instructions sheet
that import ignores:

* «Tiêu chí»: a header row, then one row per node in display order (:data:`NODE_COLUMNS`).
* «Thông tin»: one row per setting of the set, key in column A and value in column B
  (:data:`INFO_FIELDS`); column C is a hint and is ignored.
* «Xếp loại»: a header row, then one row per classification band, highest first.
* «Hướng dẫn»: how to fill in the workbook (never read).

:func:`read_workbook` turns a workbook into the criteria part of a ``parindex-evaluation/1``
document (the format :func:`parindex.engine.evalfile.parse_criteria` validates) plus the set's
identifying fields. It checks only what belongs to the file format (numbers, labels, yes/no,
codes, sizes), each problem named by sheet, row and column; the scoring semantics (tree,
maxima, rules, band order) are left to the engine, whose messages
:meth:`ParsedWorkbook.locate` maps back to sheet rows. :func:`write_workbook` writes the same
layout from the document :func:`parindex.criteria.selectors.criteria_set_document` returns,
so that reading what was written gives the same document again (round trip).

Nothing here raises anything but :class:`InputError` for a bad file.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.core.bounded import InputLimitError, check_xlsx, limits
from parindex.core.text import fold
from parindex.criteria.models import RoundingMode, RuleType, TieRule
from parindex.engine.errors import InputError
from parindex.engine.evalfile import INPUT_FORMAT, num
from parindex.organizations.models import Level

SHEET_NODES = "Tiêu chí"
SHEET_INFO = "Thông tin"
SHEET_BANDS = "Xếp loại"
SHEET_HELP = "Hướng dẫn"

MAX_ROWS = 5000
"""Data rows allowed in one sheet."""
MAX_SCANNED_ROWS = 100_000
"""Rows (blank ones included) read before giving up: a sheet formatted to row 1,048,576."""
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
"""Total unpacked size of the workbook's parts (a small file that unpacks to gigabytes),
checked by :func:`parindex.core.bounded.check_xlsx`: tighter than the setting
``IMPORT_MAX_UNPACKED_BYTES`` of the other imports."""
MAX_COLUMNS = 40

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_PARENT = "-"
"""Written in «Mã tiêu chí cha» for a field whose dotted code would otherwise name a parent."""
_NO_PARENT_MARKS = {"-", "–", "—", "khong", "không"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    aliases: tuple[str, ...] = ()
    wrap: bool = False


NODE_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã (STT)", 10, ("ma", "stt", "ma tieu chi", "so thu tu")),
    Column("parent", "Mã tiêu chí cha", 12, ("ma cha", "tieu chi cha", "thuoc")),
    Column("name", "Nội dung tiêu chí", 60, ("noi dung", "tieu chi", "ten tieu chi"), wrap=True),
    Column("max", "Điểm tối đa", 10, ("diem", "diem chuan", "thang diem")),
    Column("rule", "Cách chấm", 28, ("quy tac cham", "quy tac")),
    Column("floor", "Ngưỡng tối thiểu (tỷ lệ)", 14, ("nguong toi thieu",)),
    Column("full_at", "Ngưỡng đạt tối đa (tỷ lệ)", 14, ("nguong dat toi da",)),
    Column("tiers", "Các mức (tỷ lệ hoặc số: điểm)", 24, ("cac muc",)),
    Column("per_item", "Điểm trừ mỗi lần", 12, ()),
    Column("allow_na", "Cho phép không áp dụng", 12, ()),
    Column("guidance", "Hướng dẫn chấm điểm", 50, ("huong dan",), wrap=True),
    Column("evidence", "Tài liệu kiểm chứng", 40, ("tai lieu", "tai lieu kiem chung"), wrap=True),
)
NODE_REQUIRED = ("code", "name", "max")

BAND_COLUMNS: tuple[Column, ...] = (
    Column("label", "Xếp loại", 20, ("muc xep loai", "loai")),
    Column("min", "Chỉ số tối thiểu (%)", 18, ("chi so toi thieu",)),
    Column("min_exclusive", "Lớn hơn hẳn mức tối thiểu (Có/Không)", 22, ()),
    Column("field_min", "Mỗi lĩnh vực đạt tối thiểu (%)", 22, ()),
)
BAND_REQUIRED = ("label", "min")


@dataclass(frozen=True)
class InfoField:
    key: str
    label: str
    hint: str
    path: tuple[str, ...] = ()
    """Where the value lives in the evaluation document (for mapping engine messages)."""


def _labels(choices: Iterable[tuple[str, str]]) -> str:
    return "; ".join(f"«{label}»" for _, label in choices)


INFO_FIELDS: tuple[InfoField, ...] = (
    InfoField("name", "Tên bộ tiêu chí", "Bắt buộc.", ("criteria_set.name",)),
    InfoField("level", "Cấp áp dụng", "Bắt buộc. Một trong: " + _labels(Level.choices) + "."),
    InfoField("year", "Năm áp dụng", "Bắt buộc. Ví dụ: 2025."),
    InfoField("period_label", "Giai đoạn / kỳ", "Ví dụ: 2022–2030, 6 tháng đầu năm."),
    InfoField("decision", "Quyết định ban hành", "Ví dụ: 1952/QĐ-UBND."),
    InfoField("decision_date", "Ngày ban hành (dd/mm/yyyy)", "Ví dụ: 15/03/2025."),
    InfoField(
        "rounding_mode",
        "Làm tròn điểm tiêu chí",
        "Một trong: " + _labels(RoundingMode.choices) + ". Để trống: làm tròn (0,5 lên).",
        ("criteria_set.rounding.mode", "criteria_set.rounding"),
    ),
    InfoField(
        "rounding_places",
        "Số chữ số thập phân",
        "Số nguyên 0..10. Để trống: 2.",
        ("criteria_set.rounding.places",),
    ),
    InfoField(
        "index_rounding_mode",
        "Làm tròn chỉ số",
        "Như mục «Làm tròn điểm tiêu chí». Để trống: giống cách làm tròn điểm tiêu chí.",
        ("criteria_set.index_rounding.mode", "criteria_set.index_rounding"),
    ),
    InfoField(
        "index_rounding_places",
        "Số chữ số thập phân của chỉ số",
        "Số nguyên 0..10.",
        ("criteria_set.index_rounding.places",),
    ),
    InfoField(
        "survey_max",
        "Điểm tối đa khảo sát",
        "Điểm của phần khảo sát sự hài lòng; để trống nếu không có khảo sát.",
        ("survey.max", "survey"),
    ),
    InfoField(
        "bonus_max",
        "Điểm thưởng tối đa",
        "Để trống nếu không có điểm thưởng.",
        ("adjustments.bonus_max",),
    ),
    InfoField(
        "penalty_max",
        "Điểm trừ tối đa",
        "Để trống nếu không có điểm trừ.",
        ("adjustments.penalty_max", "adjustments"),
    ),
    InfoField(
        "ties",
        "Xếp hạng khi bằng điểm",
        "Một trong: " + _labels(TieRule.choices) + ". Để trống: đồng hạng, bỏ qua hạng kế tiếp.",
        ("ranking.ties", "ranking"),
    ),
    InfoField(
        "otherwise",
        "Xếp loại khi không đạt mức nào",
        "Ví dụ: Yếu. Có thể để trống.",
        ("classification.otherwise", "classification"),
    ),
    InfoField("note", "Ghi chú", ""),
)
_INFO_BY_KEY = {f.key: f for f in INFO_FIELDS}

TEXT_LIMITS = {"period_label": 50, "decision": 200, "otherwise": 100, "name": 300}

YES = "Có"
NO = "Không"
_YES_WORDS = {"co", "x", "1", "true", "yes", "dung", "v", "✓", "✔"}
_NO_WORDS = {"khong", "0", "false", "no", "sai"}

_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


# --------------------------------------------------------------------------- helpers


def _match_key(text: str) -> str:
    """A header or label as compared: folded, parenthesised hints dropped."""
    return fold(re.sub(r"\([^)]*\)", " ", text))


def _choice_map(choices: Iterable[tuple[str, str]]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value, label in choices:
        mapping[fold(value)] = value
        mapping[fold(label)] = value
        mapping[_match_key(label)] = value
    return mapping


_RULES = _choice_map(RuleType.choices)
_RULE_LABELS = dict(RuleType.choices)
_ROUNDING = _choice_map(RoundingMode.choices)
_TIES = _choice_map(TieRule.choices)
_LEVELS = _choice_map(Level.choices)


class _CellError(Exception):
    """A cell's value is not what its column needs; the message names the value."""


def _show(value: object) -> str:
    if isinstance(value, float):
        value = _float_text(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.strftime("%d/%m/%Y")
    text = str(value).strip()
    if len(text) > 60:
        text = text[:57] + "..."
    return f"«{text}»"


def _float_text(value: float) -> str:
    """An Excel float as the number a person typed: 0.7 stays 0.7, never 0.69999..."""
    return num(Decimal(str(round(value, 6))))


def cell_decimal(value: object, *, percent_divisor: int | None = None) -> Decimal | None:
    """A number from a cell that holds a number or its text ("0,7", "0.7", " 12 ").

    ``percent_divisor``: a text ending in "%" is divided by it (100 for a ratio column,
    1 for a column already in percent); None refuses "%".
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _CellError(f"{_show(value)} không phải là số")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _CellError(f"{_show(value)} không phải là số")
        return Decimal(_float_text(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        raise _CellError(f"{_show(value)} là ngày giờ, không phải là số")
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    divisor = 1
    if text.endswith("%"):
        if percent_divisor is None:
            raise _CellError(f"{_show(value)} không phải là số (không ghi dấu %)")
        divisor = percent_divisor
        text = text[:-1]
    if "," in text:
        if "." in text or text.count(",") > 1:
            raise _CellError(
                f"{_show(value)} không phải là số (dùng một dấu phẩy hoặc dấu chấm thập phân)"
            )
        text = text.replace(",", ".")
    if not _NUMBER_TEXT.match(text):
        raise _CellError(f"{_show(value)} không phải là số")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise _CellError(f"{_show(value)} không phải là số") from exc
    return number / divisor if divisor != 1 else number


def cell_int(value: object) -> int | None:
    number = cell_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise _CellError(f"{_show(value)} không phải là số nguyên")
    return int(number)


def cell_text(value: object) -> str:
    """A cell as text: numbers as typed, dates as dd/mm/yyyy, outer blanks dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return _float_text(value) if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return num(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def cell_code(value: object) -> str:
    """A criterion code: "1.2" whether the cell holds text or the number 1.2."""
    return cell_text(value)


def cell_bool(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = fold(cell_text(value))
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS or word == "":
        return False
    raise _CellError(f"{_show(value)}: cần «{YES}» hoặc «{NO}»")


def cell_choice(value: object, mapping: Mapping[str, str], labels: str) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    for key in (fold(text), _match_key(text)):
        if key in mapping:
            return mapping[key]
    raise _CellError(f"không rõ {_show(value)}; chọn một trong: {labels}")


def cell_date(value: object) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise _CellError(f"{_show(value)} không phải là ngày dạng dd/mm/yyyy")


def tiers_text(tiers: Sequence[Mapping[str, Any]]) -> str:
    """Tiers as written in a cell: ``1: 1; 0,7: 0,5`` (threshold: points)."""
    return "; ".join(f"{_vn(t['min'])}: {_vn(t['points'])}" for t in tiers)


def parse_tiers(value: object) -> list[dict[str, str]]:
    text = cell_text(value)
    if not text:
        return []
    tiers = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        pieces = part.split(":")
        if len(pieces) != 2:
            raise _CellError(f"mức {_show(part)} cần dạng «ngưỡng: điểm», ví dụ «1: 1; 0,7: 0,5»")
        t_min = cell_decimal(pieces[0], percent_divisor=100)
        points = cell_decimal(pieces[1])
        if t_min is None or points is None:
            raise _CellError(f"mức {_show(part)} cần dạng «ngưỡng: điểm», ví dụ «1: 1; 0,7: 0,5»")
        tiers.append({"min": num(t_min), "points": num(points)})
    return tiers


def _vn(value: object) -> str:
    """A number the Vietnamese way (decimal comma) for text cells."""
    return num(Decimal(str(value))).replace(".", ",")


def _where(
    sheet: str, row: int | None = None, column: str | None = None, code: str | None = None
) -> str:
    text = f"Sheet «{sheet}»"
    if row is not None:
        text += f", dòng {row}"
    if code is not None:
        text += f" (mã {code})"
    if column is not None:
        text += f", cột «{column}»"
    return text


# --------------------------------------------------------------------------- reading


@dataclass
class ParsedWorkbook:
    """What a workbook holds: the evaluation document and the set's identifying fields,
    with the sheet row of every node and band (to locate the engine's messages)."""

    document: dict[str, Any]
    level: str
    year: int
    period_label: str = ""
    decision: str = ""
    decision_date: datetime.date | None = None
    note: str = ""
    node_rows: list[int] = field(default_factory=list)
    node_codes: list[str] = field(default_factory=list)
    band_rows: list[int] = field(default_factory=list)
    info_rows: dict[str, int] = field(default_factory=dict)

    def locate(self, problems: Iterable[str]) -> list[str]:
        """The engine's messages (``criteria_set.nodes[3] (node 1.2).max: ...``) with the
        document path replaced by the sheet, row and column."""
        return [self._locate(problem) for problem in problems]

    def _locate(self, problem: str) -> str:
        if m := re.match(r"criteria_set\.nodes\[(\d+)\]", problem):
            i = int(m.group(1))
            if i < len(self.node_rows):
                code = self.node_codes[i]
                prefix = f"criteria_set.nodes[{i}] (node {code})"
                rest = problem[len(prefix) :] if problem.startswith(prefix) else problem[m.end() :]
                path, _, message = rest.partition(": ")
                path, message = _sheet_words(path, message)
                return (
                    f"{_where(SHEET_NODES, self.node_rows[i], _node_column(path), code)}: "
                    f"{self._refs(message)}"
                )
        if m := re.match(r"classification\.bands\[(\d+)\]", problem):
            i = int(m.group(1))
            if i < len(self.band_rows):
                path, _, message = problem[m.end() :].partition(": ")
                column = {
                    ".label": "Xếp loại",
                    ".min": BAND_COLUMNS[1].header,
                    ".min_exclusive": BAND_COLUMNS[2].header,
                    ".field_min": BAND_COLUMNS[3].header,
                }.get(path)
                return f"{_where(SHEET_BANDS, self.band_rows[i], column)}: {message}"
        path, sep, message = problem.partition(": ")
        if sep:
            if path in ("criteria_set.nodes", "criteria_set"):
                return f"{_where(SHEET_NODES)}: {self._refs(message)}"
            if path in ("classification", "classification.bands"):
                return f"{_where(SHEET_BANDS)}: {message}"
            for info in INFO_FIELDS:
                if path in info.path:
                    row = self.info_rows.get(info.key)
                    return f"{_where(SHEET_INFO, row)} («{info.label}»): {message}"
        return problem

    def _refs(self, message: str) -> str:
        """Other nodes a message names (``criteria_set.nodes[2] (node 1.1)``) as rows."""

        def row_of(m: re.Match[str]) -> str:
            i = int(m.group(1))
            if i < len(self.node_rows):
                return f"dòng {self.node_rows[i]} (mã {self.node_codes[i]})"
            return m.group(0)

        return re.sub(r"criteria_set\.nodes\[(\d+)\](?: \(node [^)]*\))?", row_of, message)


def _sheet_words(path: str, message: str) -> tuple[str, str]:
    """An engine message about a rule in the words of the sheet's columns."""
    if path in (".rule.floor", ".rule.full_at") and "0..1" in message:
        message += " (ghi tỷ lệ như 0,7 hoặc 70%)"
    if path == ".rule" and (m := re.fullmatch(r"floor (\S+) lớn hơn full_at (\S+)", message)):
        path = ".rule.floor"
        message = f"ngưỡng tối thiểu {m.group(1)} lớn hơn ngưỡng đạt tối đa {m.group(2)}"
    for code, label in RuleType.choices:
        message = message.replace(f"quy tắc '{code}'", f"cách chấm «{label}»")
    return path, message


def _node_column(path: str) -> str | None:
    if not path:
        return None
    for prefix, key in (
        (".rule.type", "rule"),
        (".rule.floor", "floor"),
        (".rule.full_at", "full_at"),
        (".rule.tiers", "tiers"),
        (".rule.per_item", "per_item"),
        (".rule", "rule"),
        (".max", "max"),
        (".name", "name"),
        (".parent", "parent"),
        (".code", "code"),
    ):
        if path.startswith(prefix):
            return _NODE_HEADERS[key]
    return None


_NODE_HEADERS = {c.key: c.header for c in NODE_COLUMNS}

Rows = list[tuple[Any, ...]]


def read_workbook(
    data: bytes, *, level: str | None = None, year: int | None = None
) -> ParsedWorkbook:
    """Read a criteria workbook. ``level`` and ``year`` (chosen on the import form) take
    precedence over the «Thông tin» sheet. Raises :class:`InputError` listing every problem."""
    sheets = _load_sheets(data)
    return _Reader(sheets, level, year).read()


def _load_sheets(data: bytes) -> dict[str, Rows]:
    if not data:
        raise InputError(["tệp rỗng (0 byte)"])
    if data[:8] == _OLE_MAGIC:
        raise InputError(
            [
                "đây là tệp Excel cũ (.xls) hoặc tệp đã đặt mật khẩu; hãy mở bằng Excel, bỏ "
                "mật khẩu nếu có và «Lưu thành» Sổ làm việc Excel (.xlsx) rồi tải lên lại"
            ]
        )
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise InputError(["tệp không phải là bảng tính Excel (.xlsx)"])
    try:
        with zipfile.ZipFile(buffer) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise InputError(
                    ["tệp nén không phải là bảng tính Excel (.xlsx): thiếu xl/workbook.xml"]
                )
    except zipfile.BadZipFile as exc:
        raise InputError([f"tệp .xlsx bị hỏng: {exc}"]) from exc
    try:  # the shared rule of every import, tighter here (a criteria set is small)
        limit = min(MAX_UNCOMPRESSED_BYTES, limits().unpacked_bytes)
        check_xlsx(
            data,
            what="Tệp bộ tiêu chí",
            max_unpacked=limit,
            hint="Hãy bỏ bớt nội dung thừa, hoặc nhập dạng JSON.",
        )
    except InputLimitError as exc:
        raise InputError([str(exc)]) from exc
    import openpyxl

    wanted = {
        fold(SHEET_NODES): SHEET_NODES,
        fold(SHEET_INFO): SHEET_INFO,
        fold(SHEET_BANDS): SHEET_BANDS,
    }
    sheets: dict[str, Rows] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            try:
                for title in workbook.sheetnames:
                    name = wanted.get(fold(title))
                    if name is None or name in sheets:
                        continue
                    worksheet = workbook[title]
                    if not hasattr(worksheet, "iter_rows"):  # a chart sheet
                        continue
                    sheets[name] = _sheet_rows(name, worksheet)
            finally:
                workbook.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl/XML errors of a damaged file are of many kinds
        raise InputError(
            [
                f"không đọc được tệp .xlsx (tệp bị hỏng hoặc không đúng định dạng: "
                f"{type(exc).__name__})"
            ]
        ) from exc
    return sheets


def _sheet_rows(name: str, worksheet: Any) -> Rows:
    rows: Rows = []
    filled = 0
    for number, values in enumerate(
        worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
    ):
        if number > MAX_SCANNED_ROWS:
            raise InputError(
                [
                    f"Sheet «{name}» có quá nhiều dòng (hơn {_thousands(MAX_SCANNED_ROWS)} dòng kể "
                    "cả dòng trống); hãy xóa các dòng thừa ở cuối sheet"
                ]
            )
        row = tuple(values)
        if any(not _blank(v) for v in row):
            filled += 1
            if filled > MAX_ROWS + 1:  # the header row is not a data row
                limit = _thousands(MAX_ROWS)
                raise InputError(
                    [f"Sheet «{name}» có hơn {limit} dòng dữ liệu; tối đa {limit} dòng"]
                )
        rows.append(row)
    return rows


def _thousands(number: int) -> str:
    """5000 as Vietnamese write it: 5.000."""
    return f"{number:,}".replace(",", ".")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Reader:
    def __init__(self, sheets: dict[str, Rows], level: str | None, year: int | None) -> None:
        self.sheets = sheets
        self.level_override = level
        self.year_override = year
        self.problems: list[str] = []

    def err(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(f"{_where(sheet, row, column)}: {message}")

    def read(self) -> ParsedWorkbook:
        nodes, node_rows, node_codes = self.nodes()
        info, info_rows = self.info()
        bands, band_rows = self.bands()
        if self.problems:
            raise InputError(self.problems)

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
        return ParsedWorkbook(
            document=document,
            level=info["level"],
            year=info["year"],
            period_label=info["period_label"],
            decision=info["decision"],
            decision_date=info["decision_date"],
            note=info["note"],
            node_rows=node_rows,
            node_codes=node_codes,
            band_rows=band_rows,
            info_rows=info_rows,
        )

    # -- tables with a header row

    def table(
        self, sheet: str, columns: Sequence[Column], required: Sequence[str], *, optional: bool
    ) -> tuple[dict[str, int], list[tuple[int, tuple[Any, ...]]]] | None:
        """The column positions by key and the non-blank data rows (with row numbers)."""
        rows = self.sheets.get(sheet)
        if rows is None:
            if not optional:
                self.err(
                    sheet,
                    None,
                    None,
                    f"không có sheet này trong tệp (tên sheet phải là «{sheet}»; hãy dùng tệp mẫu)",
                )
            return None
        header_at = next((i for i, row in enumerate(rows) if any(not _blank(v) for v in row)), None)
        if header_at is None:
            if not optional:
                self.err(sheet, None, None, "sheet trống, không có dòng tiêu đề; hãy dùng tệp mẫu")
            return None
        header_row = header_at + 1
        known = {}
        for column in columns:
            for key in (fold(column.header), _match_key(column.header), *column.aliases):
                known[key] = column
        positions: dict[str, int] = {}
        for j, value in enumerate(rows[header_at]):
            text = cell_text(value)
            if not text:
                continue
            column_def = known.get(fold(text)) or known.get(_match_key(text))
            if column_def is None:
                continue  # a column of the province's own (ghi chú...) is ignored
            if column_def.key in positions:
                self.err(
                    sheet,
                    header_row,
                    column_def.header,
                    f"cột này xuất hiện hai lần (cột {_letter(positions[column_def.key])} "
                    f"và cột {_letter(j)})",
                )
                continue
            positions[column_def.key] = j
        missing = [c.header for c in columns if c.key in required and c.key not in positions]
        for header in missing:
            self.err(sheet, header_row, header, "thiếu cột bắt buộc này ở dòng tiêu đề")
        if missing:
            return None
        data = [
            (header_at + 1 + k + 1, row)
            for k, row in enumerate(rows[header_at + 1 :])
            if any(not _blank(v) for v in row)
        ]
        return positions, data

    def nodes(self) -> tuple[list[dict[str, Any]], list[int], list[str]]:
        table = self.table(SHEET_NODES, NODE_COLUMNS, NODE_REQUIRED, optional=False)
        if table is None:
            return [], [], []
        positions, data = table
        if not data:
            self.problems.insert(
                0,
                (
                    f"{_where(SHEET_NODES)}: không có tiêu chí nào (bộ tiêu chí trống); hãy điền "
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
                    _NODE_HEADERS["code"],
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
            if fold(parent) in _NO_PARENT_MARKS:
                parent = ""
            elif parent:
                if parent not in codes:
                    self.err(
                        SHEET_NODES,
                        row_no,
                        _NODE_HEADERS["parent"],
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
            except _CellError as exc:
                self.err(SHEET_NODES, row_no, _NODE_HEADERS[key], str(exc))
                ok = False
                return None

        code = cell_code(cell("code"))
        if not code:
            self.err(SHEET_NODES, row_no, _NODE_HEADERS["code"], "thiếu mã tiêu chí")
            ok = False
        elif len(code) > 30:
            self.err(
                SHEET_NODES, row_no, _NODE_HEADERS["code"], f"mã «{code[:30]}...» dài quá 30 ký tự"
            )
            ok = False
        name = cell_text(cell("name"))
        if not name:  # blank, or only spaces
            self.err(SHEET_NODES, row_no, _NODE_HEADERS["name"], "thiếu nội dung (tên) tiêu chí")
            ok = False
        max_points = get("max", cell_decimal)
        if _blank(cell("max")):
            self.err(SHEET_NODES, row_no, _NODE_HEADERS["max"], "thiếu điểm tối đa")
            ok = False
        rule_type = get("rule", lambda v: cell_choice(v, _RULES, _labels(RuleType.choices)))
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
                except _CellError as exc:
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

    def info(self) -> tuple[dict[str, Any], dict[str, int]]:
        values: dict[str, Any] = dict.fromkeys(_INFO_BY_KEY)
        rows_of: dict[str, int] = {}
        raw: dict[str, object] = {}
        rows = self.sheets.get(SHEET_INFO)
        by_label: dict[str, InfoField] = {}
        for info in INFO_FIELDS:
            by_label[fold(info.label)] = info
            by_label[_match_key(info.label)] = info
        if rows is None:
            self.err(
                SHEET_INFO,
                None,
                None,
                "không có sheet này trong tệp (tên sheet phải là "
                f"«{SHEET_INFO}»; hãy dùng tệp mẫu)",
            )
            rows = []
            present = False
        else:
            present = True
        for row_no, row in enumerate(rows, start=1):
            key_text = cell_text(row[0]) if row else ""
            if not key_text:
                if len(row) > 1 and not _blank(row[1]):
                    self.err(SHEET_INFO, row_no, "Mục", "có giá trị nhưng thiếu tên mục")
                continue
            info_field = by_label.get(fold(key_text)) or by_label.get(_match_key(key_text))
            if info_field is None:
                if row_no == 1:  # the header row: «Mục», «Giá trị», «Cách điền»
                    continue
                self.err(SHEET_INFO, row_no, "Mục", f"không rõ mục «{key_text}»")
                continue
            if info_field.key in rows_of:
                self.err(
                    SHEET_INFO,
                    row_no,
                    "Mục",
                    f"mục «{info_field.label}» lặp lại (đã có ở dòng {rows_of[info_field.key]})",
                )
                continue
            rows_of[info_field.key] = row_no
            raw[info_field.key] = row[1] if len(row) > 1 else None

        def problem(key: str, message: str) -> None:
            label = _INFO_BY_KEY[key].label
            if key in rows_of:
                self.problems.append(
                    f"{_where(SHEET_INFO, rows_of[key])} («{label}»), cột «Giá trị»: {message}"
                )
            else:
                self.problems.append(f"{_where(SHEET_INFO)}: thiếu mục «{label}»; {message}")

        def get(key: str, convert: Any) -> Any:
            try:
                return convert(raw.get(key))
            except _CellError as exc:
                problem(key, str(exc))
                return None

        for key in ("name", "period_label", "decision", "otherwise", "note"):
            values[key] = cell_text(raw.get(key))
            limit = TEXT_LIMITS.get(key)
            if limit and len(values[key]) > limit:
                problem(key, f"dài quá {limit} ký tự")
        if present and not values["name"]:
            problem("name", "chưa có tên bộ tiêu chí")

        if self.level_override:
            values["level"] = self.level_override
        elif not _blank(raw.get("level")):
            values["level"] = get(
                "level", lambda v: cell_choice(v, _LEVELS, _labels(Level.choices))
            )
        elif present:
            problem("level", "chưa có cấp áp dụng (điền vào đây hoặc chọn cấp khi nhập)")
        if self.year_override:
            values["year"] = self.year_override
        elif not _blank(raw.get("year")):
            values["year"] = get("year", cell_int)
            if values["year"] is not None and not 1990 <= values["year"] <= 2100:
                problem("year", f"năm {values['year']} không hợp lệ (1990..2100)")
        elif present:
            problem("year", "chưa có năm áp dụng (điền vào đây hoặc chọn năm khi nhập)")
        values["decision_date"] = get("decision_date", cell_date)
        rounding_labels = _labels(RoundingMode.choices)
        for key in ("rounding_mode", "index_rounding_mode"):
            values[key] = get(key, lambda v: cell_choice(v, _ROUNDING, rounding_labels))
        for key in ("rounding_places", "index_rounding_places"):
            values[key] = get(key, cell_int)
        for key in ("survey_max", "bonus_max", "penalty_max"):
            values[key] = get(key, cell_decimal)
        values["ties"] = get("ties", lambda v: cell_choice(v, _TIES, _labels(TieRule.choices)))
        return values, rows_of


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


# --------------------------------------------------------------------------- writing


def write_workbook(document: Mapping[str, Any] | None = None) -> bytes:
    """The workbook of a set's evaluation document (with ``criteria_set.metadata`` as
    :func:`~parindex.criteria.selectors.criteria_set_document` writes it), or the blank
    template when ``document`` is None."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,  # a name starting with "=" stays text
            "strings_to_urls": False,
        },
    )
    workbook.set_properties(
        {
            "title": (document or {}).get("criteria_set", {}).get("name", "Bộ tiêu chí"),
            "comments": "parindex: bộ tiêu chí Chỉ số cải cách hành chính",
        }
    )
    fmt = _Formats(workbook)
    _write_nodes(workbook, fmt, document)
    _write_info(workbook, fmt, document)
    _write_bands(workbook, fmt, document)
    _write_help(workbook, fmt)
    workbook.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "top",
                "bg_color": "#DDEBF7",
                "border": 1,
            }
        )
        self.text = workbook.add_format({"valign": "top", "num_format": "@"})
        self.wrap = workbook.add_format({"valign": "top", "text_wrap": True})
        self.cell = workbook.add_format({"valign": "top"})
        self.date = workbook.add_format({"valign": "top", "num_format": "dd/mm/yyyy"})
        self.bold = workbook.add_format({"bold": True, "valign": "top"})
        self.hint = workbook.add_format(
            {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"}
        )
        self.title = workbook.add_format({"bold": True, "font_size": 14})


def _write_header(sheet: Any, fmt: _Formats, columns: Sequence[Column]) -> None:
    for j, column in enumerate(columns):
        cell_format = (
            fmt.text
            if column.key in ("code", "parent")
            else (fmt.wrap if column.wrap else fmt.cell)
        )
        sheet.set_column(j, j, column.width, cell_format)
        sheet.write_string(0, j, column.header, fmt.header)
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 0)


def _number(sheet: Any, row: int, col: int, value: object, cell_format: Any) -> None:
    if value is None or value == "":
        return
    number = Decimal(str(value))
    if number == number.to_integral_value() and abs(number) < 10**15:
        sheet.write_number(row, col, int(number), cell_format)
    else:
        sheet.write_number(row, col, float(number), cell_format)


def _write_nodes(workbook: Any, fmt: _Formats, document: Mapping[str, Any] | None) -> None:
    sheet = workbook.add_worksheet(SHEET_NODES)
    _write_header(sheet, fmt, NODE_COLUMNS)
    nodes = list((document or {}).get("criteria_set", {}).get("nodes", []))
    codes = {str(n["code"]) for n in nodes}
    parents = {str(n["parent"]) for n in nodes if n.get("parent")}
    col = {c.key: j for j, c in enumerate(NODE_COLUMNS)}
    last_row = max(len(nodes), 200)
    sheet.data_validation(
        1,
        col["rule"],
        last_row,
        col["rule"],
        {
            "validate": "list",
            "source": [label for _, label in RuleType.choices],
            "error_type": "information",
            "ignore_blank": True,
            "error_title": "Cách chấm",
            "error_message": "Nên chọn một cách chấm trong danh sách.",
        },
    )
    sheet.data_validation(
        1,
        col["allow_na"],
        last_row,
        col["allow_na"],
        {
            "validate": "list",
            "source": [YES, NO],
            "error_type": "information",
            "ignore_blank": True,
        },
    )
    for i, node in enumerate(nodes, start=1):
        code = str(node["code"])
        sheet.write_string(i, col["code"], code, fmt.text)
        parent = node.get("parent")
        if parent:
            sheet.write_string(i, col["parent"], str(parent), fmt.text)
        elif "." in code.rstrip(".") and any(c in codes for c in _derived_parents(code)):
            sheet.write_string(i, col["parent"], NO_PARENT, fmt.text)
        sheet.write_string(i, col["name"], str(node.get("name", "")), fmt.wrap)
        _number(sheet, i, col["max"], node.get("max"), fmt.cell)
        rule = node.get("rule") or {}
        if rule or code not in parents:
            kind = rule.get("type", "manual")
            sheet.write_string(i, col["rule"], _RULE_LABELS.get(kind, str(kind)), fmt.cell)
        _number(sheet, i, col["floor"], rule.get("floor"), fmt.cell)
        _number(sheet, i, col["full_at"], rule.get("full_at"), fmt.cell)
        if rule.get("tiers"):
            sheet.write_string(i, col["tiers"], tiers_text(rule["tiers"]), fmt.cell)
        _number(sheet, i, col["per_item"], rule.get("per_item"), fmt.cell)
        if node.get("allow_not_applicable"):
            sheet.write_string(i, col["allow_na"], YES, fmt.cell)
        if node.get("guidance"):
            sheet.write_string(i, col["guidance"], str(node["guidance"]), fmt.wrap)
        if node.get("evidence"):
            sheet.write_string(i, col["evidence"], str(node["evidence"]), fmt.wrap)
    sheet.activate()


def _derived_parents(code: str) -> tuple[str, str]:
    candidate = code.rstrip(".").rsplit(".", 1)[0]
    return candidate, candidate + "."


def _info_values(document: Mapping[str, Any]) -> dict[str, Any]:
    cs = document.get("criteria_set", {})
    meta = cs.get("metadata") or {}
    rounding = cs.get("rounding") or {}
    index_rounding = cs.get("index_rounding") or {}
    level = meta.get("level")
    decision_date = None
    if meta.get("decision_date"):
        try:
            decision_date = datetime.date.fromisoformat(str(meta["decision_date"]))
        except ValueError:
            decision_date = None
    return {
        "name": cs.get("name", ""),
        "level": Level(level).label if level in Level.values else (level or ""),
        "year": meta.get("year"),
        "period_label": meta.get("period_label") or "",
        "decision": meta.get("decision") or "",
        "decision_date": decision_date,
        "rounding_mode": _label(RoundingMode, rounding.get("mode")),
        "rounding_places": rounding.get("places"),
        "index_rounding_mode": _label(RoundingMode, index_rounding.get("mode")),
        "index_rounding_places": index_rounding.get("places"),
        "survey_max": (document.get("survey") or {}).get("max"),
        "bonus_max": (document.get("adjustments") or {}).get("bonus_max"),
        "penalty_max": (document.get("adjustments") or {}).get("penalty_max"),
        "ties": _label(TieRule, (document.get("ranking") or {}).get("ties")),
        "otherwise": (document.get("classification") or {}).get("otherwise") or "",
        "note": meta.get("note") or "",
    }


def _label(choices: Any, value: object) -> str:
    if value is None:
        return ""
    return str(choices(value).label) if value in choices.values else str(value)


def _write_info(workbook: Any, fmt: _Formats, document: Mapping[str, Any] | None) -> None:
    sheet = workbook.add_worksheet(SHEET_INFO)
    sheet.set_column(0, 0, 34, fmt.bold)
    sheet.set_column(1, 1, 50, fmt.wrap)
    sheet.set_column(2, 2, 70, fmt.hint)
    sheet.write_string(0, 0, "Mục", fmt.header)
    sheet.write_string(0, 1, "Giá trị", fmt.header)
    sheet.write_string(0, 2, "Cách điền", fmt.header)
    sheet.freeze_panes(1, 0)
    values = _info_values(document) if document is not None else {}
    for i, info in enumerate(INFO_FIELDS, start=1):
        sheet.write_string(i, 0, info.label, fmt.bold)
        if info.hint:
            sheet.write_string(i, 2, info.hint, fmt.hint)
        value = values.get(info.key)
        if value is None or value == "":
            continue
        if info.key == "decision_date":
            sheet.write_datetime(i, 1, value, fmt.date)
        elif info.key in (
            "year",
            "rounding_places",
            "index_rounding_places",
            "survey_max",
            "bonus_max",
            "penalty_max",
        ):
            _number(sheet, i, 1, value, fmt.cell)
        else:
            sheet.write_string(i, 1, str(value), fmt.wrap)


def _write_bands(workbook: Any, fmt: _Formats, document: Mapping[str, Any] | None) -> None:
    sheet = workbook.add_worksheet(SHEET_BANDS)
    _write_header(sheet, fmt, BAND_COLUMNS)
    sheet.data_validation(
        1,
        2,
        50,
        2,
        {
            "validate": "list",
            "source": [YES, NO],
            "error_type": "information",
            "ignore_blank": True,
        },
    )
    bands = ((document or {}).get("classification") or {}).get("bands") or []
    for i, band in enumerate(bands, start=1):
        sheet.write_string(i, 0, str(band["label"]), fmt.cell)
        _number(sheet, i, 1, band.get("min"), fmt.cell)
        sheet.write_string(i, 2, YES if band.get("min_exclusive") else NO, fmt.cell)
        _number(sheet, i, 3, band.get("field_min"), fmt.cell)


HELP_LINES: tuple[str, ...] = (
    "Hướng dẫn điền bộ tiêu chí",
    "",
    "Sheet «Tiêu chí»: mỗi tiêu chí một dòng, theo thứ tự hiển thị. Không thêm dòng ghi chú, "
    "dòng tiêu đề phụ hay dòng tổng cộng vào sheet này.",
    "• «Mã (STT)»: bắt buộc, không trùng nhau, ví dụ 1, 1.1, 1.1.2. Lĩnh vực là tiêu chí "
    "không có tiêu chí cha.",
    "• «Mã tiêu chí cha»: để trống thì tự suy ra từ mã (1.2.3 thuộc 1.2 nếu có mã 1.2; nếu "
    "không có thì là lĩnh vực). Ghi «-» để chỉ rõ đây là lĩnh vực.",
    "• «Điểm tối đa»: bắt buộc, lớn hơn 0. Tổng điểm tối đa của các tiêu chí con không được "
    "nhỏ hơn điểm tối đa của tiêu chí cha; tiêu chí cha được tổng điểm con, không vượt "
    "điểm tối đa.",
    "• «Cách chấm» (chỉ cho tiêu chí không có tiêu chí con; để trống = chấm theo đánh giá): "
    + _labels(RuleType.choices)
    + ".",
    "• «Ngưỡng tối thiểu (tỷ lệ)» và «Ngưỡng đạt tối đa (tỷ lệ)» (cho cách chấm tỷ lệ): số từ "
    "0 đến 1, ví dụ 0,7 hoặc 70%. Dưới ngưỡng tối thiểu được 0 điểm; từ ngưỡng đạt tối đa "
    "trở lên được điểm tối đa.",
    "• «Các mức» (cho cách chấm theo mức): các cặp «ngưỡng: điểm» cách nhau bởi dấu chấm "
    "phẩy, ví dụ «1: 1; 0,7: 0,5» (tỷ lệ từ 100% được 1 điểm, từ 70% được 0,5 điểm).",
    "• «Điểm trừ mỗi lần» (cho cách chấm trừ điểm theo số lần): ví dụ 0,5.",
    "• «Cho phép không áp dụng»: «Có» nếu đơn vị có thể không thuộc đối tượng của tiêu chí.",
    "• «Hướng dẫn chấm điểm», «Tài liệu kiểm chứng»: văn bản tự do.",
    "",
    "Số thập phân ghi bằng dấu phẩy (0,5) hoặc dấu chấm (0.5) đều được.",
    "",
    "Sheet «Thông tin»: điền cột «Giá trị»; không đổi tên các mục ở cột «Mục».",
    "Sheet «Xếp loại»: mỗi mức xếp loại một dòng, từ cao xuống thấp (ví dụ Xuất sắc ≥ 90, "
    "Tốt ≥ 80...). «Mỗi lĩnh vực đạt tối thiểu (%)» để trống nếu không có điều kiện này.",
    "",
    "Sheet «Hướng dẫn» này không được đọc khi nhập. Khi nhập, toàn bộ tệp được kiểm tra: "
    "nếu có lỗi thì không lưu gì và danh sách lỗi ghi rõ sheet, dòng và cột.",
)


def _write_help(workbook: Any, fmt: _Formats) -> None:
    sheet = workbook.add_worksheet(SHEET_HELP)
    sheet.set_column(0, 0, 120, fmt.wrap)
    for i, line in enumerate(HELP_LINES):
        if line:
            sheet.write_string(i, 0, line, fmt.title if i == 0 else fmt.wrap)
