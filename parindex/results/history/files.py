"""Telling the uploaded history files apart (evaluation file, results document, table) and
reading each with its reader, evaluation files first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parindex.core.bounded import limits
from parindex.engine import InputError
from parindex.engine.evalfile import INPUT_FORMAT, RESULTS_FORMAT, load_json
from parindex.organizations.models import UnitGroup
from parindex.results.history.evaluation_file import read_evaluation
from parindex.results.history.parsed import HistoryFile
from parindex.results.history.reader import Reader
from parindex.results.history.results_file import read_results
from parindex.results.history.table_file import read_table
from parindex.results.history.values import quoted

MAX_FILE_MB = 50
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_ORDER = {INPUT_FORMAT: 0, RESULTS_FORMAT: 1, "table": 2}
"""Evaluation files first: a results document is then checked against them."""


def read_files(files: Sequence[HistoryFile], forced: UnitGroup | None) -> Reader:
    """Every file read into groups of rows, with every problem found."""
    reader = Reader(files, forced)
    decoded = [entry for file in files if (entry := _decode(reader, file)) is not None]
    for file, kind, document in sorted(decoded, key=lambda item: _ORDER[item[1]]):
        if kind == INPUT_FORMAT:
            read_evaluation(reader, file.name, document)
        elif kind == RESULTS_FORMAT:
            read_results(reader, file.name, document)
        else:
            read_table(reader, file.name, file.data)
    return reader


def _decode(reader: Reader, file: HistoryFile) -> tuple[HistoryFile, str, Any] | None:
    """The file with its kind (and its JSON document); None (with the problem) if refused."""
    where = f"Tệp {file.name}"
    if not file.data.strip():
        reader.err(f"{where}: tệp rỗng.")
        return None
    if len(file.data) > MAX_FILE_MB * 1024 * 1024:
        reader.err(f"{where}: lớn hơn {MAX_FILE_MB} MB.")
        return None
    lower = file.name.lower()
    if lower.endswith(".json") or file.data.lstrip()[:1] == b"{":
        try:
            document = load_json(file.data, max_integer_digits=limits().integer_digits)
        except InputError as exc:
            reader.problems.extend(f"{where}: {p}" for p in exc.problems)
            return None
        kind = document.get("format") if isinstance(document, dict) else None
        if kind not in (INPUT_FORMAT, RESULTS_FORMAT):
            reader.err(
                f"{where}: cần tệp JSON dạng {RESULTS_FORMAT!r} (kết quả do "
                f"“parindex evaluate” in ra) hoặc {INPUT_FORMAT!r} (tệp đánh giá), "
                f"không phải {quoted(kind)}."
            )
            return None
        return file, str(kind), document
    if lower.endswith(TABLE_SUFFIXES):
        return file, "table", None
    reader.err(
        f"{where}: chỉ nhận tệp Excel (.xlsx), CSV hoặc JSON ({RESULTS_FORMAT}, {INPUT_FORMAT})."
    )
    return None
