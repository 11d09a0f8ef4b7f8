"""Where a problem is, in the words of the sheet (``Sheet «…», dòng N (mã C), cột «…»``),
and what a workbook read gives: its document, with the engine's messages mapped back to
sheet rows and columns."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from parindex.criteria.models import RuleType
from parindex.criteria.xlsx.layout import (
    BAND_COLUMNS,
    INFO_FIELDS,
    NODE_HEADERS,
    SHEET_BANDS,
    SHEET_INFO,
    SHEET_NODES,
)


def where(
    sheet: str, row: int | None = None, column: str | None = None, code: str | None = None
) -> str:
    """``Sheet «S», dòng R (mã C), cột «K»``, each part only when given."""
    text = f"Sheet «{sheet}»"
    if row is not None:
        text += f", dòng {row}"
    if code is not None:
        text += f" (mã {code})"
    if column is not None:
        text += f", cột «{column}»"
    return text


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
    jurisdiction: str = ""
    """The issuing unit as the file names it (name, or name and code): resolved on import."""
    node_rows: list[int] = field(default_factory=list)
    node_codes: list[str] = field(default_factory=list)
    band_rows: list[int] = field(default_factory=list)
    info_rows: dict[str, int] = field(default_factory=dict)

    def locate(self, problems: Iterable[str]) -> list[str]:
        """The engine's messages (``criteria_set.nodes[3] (node 1.2).max: ...``) with the
        document path replaced by the sheet, row and column."""
        return [plain_words(self._locate(problem)) for problem in problems]

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
                    f"{where(SHEET_NODES, self.node_rows[i], _node_column(path), code)}: "
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
                return f"{where(SHEET_BANDS, self.band_rows[i], column)}: {message}"
        path, sep, message = problem.partition(": ")
        if sep:
            if path in ("criteria_set.nodes", "criteria_set"):
                return f"{where(SHEET_NODES)}: {self._refs(message)}"
            if path in ("classification", "classification.bands"):
                return f"{where(SHEET_BANDS)}: {message}"
            for info in INFO_FIELDS:
                if path in info.path:
                    row = self.info_rows.get(info.key)
                    return f"{where(SHEET_INFO, row)} («{info.label}»): {message}"
        return problem

    def _refs(self, message: str) -> str:
        """Other nodes a message names (``criteria_set.nodes[2] (node 1.1)``) as rows."""

        def row_of(m: re.Match[str]) -> str:
            i = int(m.group(1))
            if i < len(self.node_rows):
                return f"dòng {self.node_rows[i]} (mã {self.node_codes[i]})"
            return m.group(0)

        return re.sub(r"criteria_set\.nodes\[(\d+)\](?: \(node [^)]*\))?", row_of, message)


_RANGE = re.compile(r"(?<![\d.,])(\d+)\.\.(\d+)(?!\d|[.,]\d)")


def plain_words(message: str) -> str:
    """The engine's notation (its messages are the ``parindex evaluate`` contract) in words
    for people: "0..100" is "từ 0 đến 100", ">= 0" is "không âm"."""
    message = _RANGE.sub(r"từ \1 đến \2", message)
    message = message.replace("phải trong khoảng từ", "phải từ").replace("trong khoảng từ", "từ")
    return message.replace("một số >= 0", "một số không âm").replace(">= 0", "không âm")


def _sheet_words(path: str, message: str) -> tuple[str, str]:
    """An engine message about a rule in the words of the sheet's columns."""
    if path in (".rule.floor", ".rule.full_at") and "0..1" in message:  # before plain_words
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
            return NODE_HEADERS[key]
    return None
