"""The sheets being read: problems named by sheet, row and column, and tables found by
their header row (columns by header or alias, in any order)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parindex.core.text import fold
from parindex.criteria.xlsx.cells import blank, cell_text
from parindex.criteria.xlsx.layout import Column, match_key
from parindex.criteria.xlsx.loading import Rows
from parindex.criteria.xlsx.places import where


class SheetReader:
    """Reads ``sheets``, adding one located line per problem to ``problems``."""

    def __init__(self, sheets: dict[str, Rows], problems: list[str]) -> None:
        self.sheets = sheets
        self.problems = problems

    def err(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(f"{where(sheet, row, column)}: {message}")

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
        header_at = next((i for i, row in enumerate(rows) if any(not blank(v) for v in row)), None)
        if header_at is None:
            if not optional:
                self.err(sheet, None, None, "sheet trống, không có dòng tiêu đề; hãy dùng tệp mẫu")
            return None
        header_row = header_at + 1
        known = {}
        for column in columns:
            for key in (fold(column.header), match_key(column.header), *column.aliases):
                known[key] = column
        positions: dict[str, int] = {}
        for j, value in enumerate(rows[header_at]):
            text = cell_text(value)
            if not text:
                continue
            column_def = known.get(fold(text)) or known.get(match_key(text))
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
            if any(not blank(v) for v in row)
        ]
        return positions, data


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
