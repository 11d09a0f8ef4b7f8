"""Reading the «Thông tin» sheet: one setting a row, its label in column A and its value in
column B, with the level and year chosen on the import form taking precedence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from parindex.core.text import fold
from parindex.criteria.models import RoundingMode, TieRule
from parindex.criteria.xlsx.cells import (
    CellError,
    blank,
    cell_choice,
    cell_date,
    cell_decimal,
    cell_int,
    cell_text,
)
from parindex.criteria.xlsx.layout import (
    INFO_BY_KEY,
    INFO_FIELDS,
    LEVEL_CHOICES,
    ROUNDING_CHOICES,
    SHEET_INFO,
    TEXT_LIMITS,
    TIE_CHOICES,
    InfoField,
    choice_labels,
    match_key,
)
from parindex.criteria.xlsx.loading import Rows
from parindex.criteria.xlsx.places import where
from parindex.criteria.xlsx.tables import SheetReader
from parindex.organizations.models import Level

_BY_LABEL: dict[str, InfoField] = {
    key: info for info in INFO_FIELDS for key in (fold(info.label), match_key(info.label))
}
"""Each setting by its label as compared (folded, and without its parenthesised hint)."""


class InfoReader(SheetReader):
    """The settings of «Thông tin», by :data:`~parindex.criteria.xlsx.layout.INFO_FIELDS` key,
    and the row each was found on."""

    def __init__(
        self, sheets: dict[str, Rows], problems: list[str], level: str | None, year: int | None
    ) -> None:
        super().__init__(sheets, problems)
        self.level_override = level
        self.year_override = year
        self.rows_of: dict[str, int] = {}
        self.raw: dict[str, object] = {}

    def read(self) -> tuple[dict[str, Any], dict[str, int]]:
        values: dict[str, Any] = dict.fromkeys(INFO_BY_KEY)
        present = self.find_fields()
        self.texts(values, present)
        self.level_and_year(values, present)
        self.settings(values)
        return values, self.rows_of

    def find_fields(self) -> bool:
        """The row and raw value of every setting the sheet names; False if there is no sheet."""
        rows = self.sheets.get(SHEET_INFO)
        if rows is None:
            self.err(
                SHEET_INFO,
                None,
                None,
                "không có sheet này trong tệp (tên sheet phải là "
                f"«{SHEET_INFO}»; hãy dùng tệp mẫu)",
            )
            return False
        for row_no, row in enumerate(rows, start=1):
            key_text = cell_text(row[0]) if row else ""
            if not key_text:
                if len(row) > 1 and not blank(row[1]):
                    self.err(SHEET_INFO, row_no, "Mục", "có giá trị nhưng thiếu tên mục")
                continue
            info_field = _BY_LABEL.get(fold(key_text)) or _BY_LABEL.get(match_key(key_text))
            if info_field is None:
                if row_no == 1:  # the header row: «Mục», «Giá trị», «Cách điền»
                    continue
                self.err(SHEET_INFO, row_no, "Mục", f"không rõ mục «{key_text}»")
                continue
            if (first := self.rows_of.get(info_field.key)) is not None:
                self.err(
                    SHEET_INFO,
                    row_no,
                    "Mục",
                    f"mục «{info_field.label}» lặp lại (đã có ở dòng {first})",
                )
                continue
            self.rows_of[info_field.key] = row_no
            self.raw[info_field.key] = row[1] if len(row) > 1 else None
        return True

    def field_err(self, key: str, message: str) -> None:
        """A problem with a setting's value, on its row (or naming it as missing)."""
        label = INFO_BY_KEY[key].label
        if key in self.rows_of:
            self.problems.append(
                f"{where(SHEET_INFO, self.rows_of[key])} («{label}»), cột «Giá trị»: {message}"
            )
        else:
            self.problems.append(f"{where(SHEET_INFO)}: thiếu mục «{label}»; {message}")

    def value(self, key: str, convert: Callable[[object], Any]) -> Any:
        """A setting's value converted, or None (with a problem) if it does not convert."""
        try:
            return convert(self.raw.get(key))
        except CellError as exc:
            self.field_err(key, str(exc))
            return None

    def texts(self, values: dict[str, Any], present: bool) -> None:
        for key in ("name", "period_label", "decision", "jurisdiction", "otherwise", "note"):
            values[key] = cell_text(self.raw.get(key))
            limit = TEXT_LIMITS.get(key)
            if limit and len(values[key]) > limit:
                self.field_err(key, f"dài quá {limit} ký tự")
        if present and not values["name"]:
            self.field_err("name", "chưa có tên bộ tiêu chí")

    def level_and_year(self, values: dict[str, Any], present: bool) -> None:
        if self.level_override:
            values["level"] = self.level_override
        elif not blank(self.raw.get("level")):
            values["level"] = self.value(
                "level", lambda v: cell_choice(v, LEVEL_CHOICES, choice_labels(Level.choices))
            )
        elif present:
            self.field_err("level", "chưa có cấp áp dụng (điền vào đây hoặc chọn cấp khi nhập)")
        if self.year_override:
            values["year"] = self.year_override
        elif not blank(self.raw.get("year")):
            values["year"] = self.value("year", cell_int)
            if values["year"] is not None and not 1990 <= values["year"] <= 2100:
                self.field_err("year", f"năm {values['year']} không hợp lệ (cần từ 1990 đến 2100)")
        elif present:
            self.field_err("year", "chưa có năm áp dụng (điền vào đây hoặc chọn năm khi nhập)")

    def settings(self, values: dict[str, Any]) -> None:
        values["decision_date"] = self.value("decision_date", cell_date)
        rounding_labels = choice_labels(RoundingMode.choices)
        for key in ("rounding_mode", "index_rounding_mode"):
            values[key] = self.value(
                key, lambda v: cell_choice(v, ROUNDING_CHOICES, rounding_labels)
            )
        for key in ("rounding_places", "index_rounding_places"):
            values[key] = self.value(key, cell_int)
        for key in ("survey_max", "bonus_max", "penalty_max"):
            values[key] = self.value(key, cell_decimal)
        values["ties"] = self.value(
            "ties", lambda v: cell_choice(v, TIE_CHOICES, choice_labels(TieRule.choices))
        )
