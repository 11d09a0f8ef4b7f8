"""Helpers shared by the criteria tests."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from typing import Any

import openpyxl


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """A set's document without what a new import always changes (the version)."""
    doc = copy.deepcopy(document)
    doc["criteria_set"]["metadata"].pop("version")
    return doc


def mutate(data: bytes, change: Callable[[Any], None]) -> bytes:
    """The workbook ``data`` after ``change(workbook)``, as a person editing in Excel."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_values(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every cell value of every sheet, for comparing two workbooks."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {
            ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)]
            for ws in workbook.worksheets
        }
    finally:
        workbook.close()
