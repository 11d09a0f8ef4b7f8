"""Reading a ``parindex-results/1`` document (what ``parindex evaluate`` prints): stored as
is, or checked against the engine when the evaluation file of its units is given too."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.engine.model import SURVEY
from parindex.results.history.parsed import HistoryRow
from parindex.results.history.reader import Reader
from parindex.results.history.values import (
    is_number,
    parse_decimal,
    parse_whole,
    plain,
    quoted,
    valid_stats,
)

_DECIMAL_KEYS = (
    ("points", "points"),
    ("survey", "points"),
    ("bonus", "points"),
    ("penalty", "points"),
    ("total", "points"),
    ("max", "points"),
    ("index", "index"),
    ("previous_index", "index"),
    ("index_change", "change"),
)
_WHOLE_KEYS = (("rank", "rank"), ("previous_rank", "rank"), ("rank_change", "int"))
_VERIFIED = (
    ("index", "chỉ số"),
    ("total", "tổng điểm"),
    ("rank", "xếp hạng"),
    ("class", "xếp loại"),
)


def read_results(reader: Reader, name: str, document: dict[str, Any]) -> None:
    """Every unit of the results document ``name``, each checked."""
    where = f"Tệp {name}"
    units = document.get("units")
    if not isinstance(units, list) or not units:
        reader.err(f"{where}: units: cần danh sách các đơn vị.")
        return
    group_stats = _group_stats(document)
    checked = 0
    for i, raw in enumerate(units):
        checked += _read_unit(reader, name, f"{where}: units[{i}]", raw, group_stats)
    if checked and checked != len(units):
        reader.err(
            f"{where}: chỉ {checked}/{len(units)} đơn vị có trong tệp đánh giá; tệp kết quả "
            "đi kèm tệp đánh giá phải có đúng các đơn vị của tệp đánh giá."
        )


def _group_stats(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Group name → the document's statistics of it, when they have the engine's shape
    (else they are computed from the units)."""
    group_stats: dict[str, dict[str, Any]] = {}
    for entry in document.get("groups") or []:
        if isinstance(entry, dict) and isinstance(entry.get("group"), str):
            stats = plain(entry)
            if valid_stats(stats):
                group_stats[entry["group"]] = stats
    return group_stats


def _read_unit(
    reader: Reader, name: str, at: str, raw: Any, group_stats: dict[str, dict[str, Any]]
) -> int:
    """Read the unit ``raw`` into its group; 1 if it was checked against an evaluation
    file instead, else 0."""
    if not isinstance(raw, dict):
        reader.err(f"{at}: cần một đối tượng.")
        return 0
    code = raw.get("unit")
    if not isinstance(code, str) or not code.strip() or len(code.strip()) > 50:
        reader.err(f"{at}.unit: cần mã đơn vị (tối đa 50 ký tự), không phải {quoted(code)}.")
        return 0
    code = code.strip()
    at = f"{at} (đơn vị {code})"
    unit = plain(raw)
    if code in reader.evaluated:
        verify(reader, at, unit, *reader.evaluated[code])
        return 1
    detail = unit_detail(reader, at, unit)
    if detail is None:
        return 0
    group = reader.group_of(str(raw.get("group") or ""), f"{at}.group")
    if group is None or not reader.unique(code, at, at):
        return 0
    target = reader.new_group(group, name, "results")
    if target.stats is None and detail["group"] in group_stats:
        target.stats = group_stats[detail["group"]]
    target.rows.append(
        HistoryRow(
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
    return 0


def unit_detail(reader: Reader, at: str, unit: dict[str, Any]) -> dict[str, Any] | None:
    """The unit's document with its numbers checked (decimal strings); None if wrong."""
    ok = True
    for check in (_check_name, _check_decimals, _check_wholes, _check_class, _check_lists):
        ok = check(reader, at, unit) and ok
    if not ok:
        return None
    unit["unit"] = str(unit["unit"]).strip()
    unit["name"] = str(unit["name"]).strip()
    unit["group"] = str(unit.get("group") or (reader.forced.name if reader.forced else ""))
    return unit


def _check_name(reader: Reader, at: str, unit: dict[str, Any]) -> bool:
    name = unit.get("name")
    if not isinstance(name, str) or not name.strip():
        reader.err(f"{at}.name: cần tên đơn vị.")
        return False
    if len(name.strip()) > 300:
        reader.err(f"{at}.name: tên đơn vị dài quá 300 ký tự.")
        return False
    return True


def _check_decimals(reader: Reader, at: str, unit: dict[str, Any]) -> bool:
    """The unit's numbers, each made its exact decimal string."""
    ok = True
    for key, kind in _DECIMAL_KEYS:
        value = unit.get(key)
        if value is None:
            if key == "index":
                reader.err(f"{at}.index: thiếu chỉ số.")
                ok = False
            continue
        number = parse_decimal(str(value) if not isinstance(value, bool) else "", kind)
        if isinstance(number, str):
            reader.err(f"{at}.{key}: {number}, không phải {quoted(value)}.")
            ok = False
        else:
            unit[key] = format(number, "f")
    return ok


def _check_wholes(reader: Reader, at: str, unit: dict[str, Any]) -> bool:
    """The unit's ranks, each made an int."""
    ok = True
    for key, kind in _WHOLE_KEYS:
        value = unit.get(key)
        if value is None:
            continue
        whole = parse_whole(str(value) if not isinstance(value, bool) else "", kind)
        if isinstance(whole, str):
            reader.err(f"{at}.{key}: {whole}, không phải {quoted(value)}.")
            ok = False
        else:
            unit[key] = whole
    return ok


def _check_class(reader: Reader, at: str, unit: dict[str, Any]) -> bool:
    label = unit.get("class")
    if label is not None and (not isinstance(label, str) or len(label) > 100):
        reader.err(f"{at}.class: cần xếp loại (chuỗi tối đa 100 ký tự).")
        return False
    return True


def _check_lists(reader: Reader, at: str, unit: dict[str, Any]) -> bool:
    """The unit's fields, nodes, not applicable and missing criteria."""
    ok = True
    for key in ("fields", "nodes", "not_applicable", "missing"):
        if unit.get(key) is not None and not isinstance(unit[key], list):
            reader.err(f"{at}.{key}: cần một mảng.")
            ok = False
    for key in ("not_applicable", "missing"):
        if isinstance(unit.get(key), list) and not all(isinstance(c, str) for c in unit[key]):
            reader.err(f"{at}.{key}: cần một mảng các mã tiêu chí (chuỗi).")
            ok = False
    for key in ("fields", "nodes"):
        numbers = ("points", "max", "percent") if key == "fields" else ("points", "max")
        for j, item in enumerate(unit.get(key) or []):
            if not (
                isinstance(item, dict)
                and isinstance(item.get("code"), str)
                and all(is_number(item.get(k)) for k in numbers)
            ):
                reader.err(f"{at}.{key}[{j}]: cần mã và điểm (chuỗi số).")
                ok = False
    return ok


def verify(
    reader: Reader, at: str, unit: dict[str, Any], source: str, computed: dict[str, Any]
) -> None:
    """A results document given with the evaluation file must agree with the engine."""
    for key, label in _VERIFIED:
        if key not in unit:
            continue
        given, expected = unit.get(key), computed.get(key)
        same = given == expected
        if not same and is_number(given) and is_number(expected):
            same = Decimal(str(given)) == Decimal(str(expected))
        if not same:
            reader.err(
                f"{at}: {label} {given} trong tệp kết quả khác {expected} tính lại từ tệp "
                f"đánh giá {source}."
            )
