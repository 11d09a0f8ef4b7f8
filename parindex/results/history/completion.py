"""Completing a group read from a file: ranks (the engine's when the file has none),
decimal places, fields, statistics and the order of its classes."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from parindex.engine.evalfile import group_document, num
from parindex.engine.evaluate import assign_ranks, published_group_stats
from parindex.engine.model import SURVEY, ZERO, NodeLayout, Rounding, UnitResult
from parindex.results.history.parsed import HistoryGroup, HistoryRow
from parindex.results.history.values import decimal_places

_NO_LAYOUT = NodeLayout(codes=(), display=(), index={})
_POINT_KEYS = ("points", "survey", "bonus", "penalty", "total", "max")
_INDEX_KEYS = ("index", "previous_index", "index_change")


def complete(target: HistoryGroup, problems: list[str], prefix: str) -> None:
    """Places, ranks, statistics and fields of a group read from a file."""
    if target.kind != "evaluation" and not _complete_from_file(target, problems, prefix):
        return
    rows = target.rows
    rows.sort(key=lambda r: (r.detail["rank"], -Decimal(r.detail["index"]), r.code))
    stats = dict(target.stats or {})
    classes: dict[str, int] = {}
    for row in rows:
        label = row.detail.get("class")
        if label:
            classes[label] = classes.get(label, 0) + 1
    stats["classes"] = classes
    if target.class_order is None:
        target.class_order = _class_order(rows)
    stats["class_order"] = target.class_order
    target.stats = stats


def _complete_from_file(target: HistoryGroup, problems: list[str], prefix: str) -> bool:
    """What the engine gives an evaluation file, for a results document or a table;
    False (with the problem) when the group cannot be imported."""
    rows = target.rows
    name = target.group.name
    if not _rank(rows, problems, f"{prefix}Nhóm “{name}”"):
        return False
    if all(Decimal(r.detail["index"]) <= 1 for r in rows) and len(rows) > 1:
        problems.append(
            f"{prefix}Nhóm “{name}”: mọi chỉ số đều không quá 1; chỉ số tính theo % "
            "(0–100), ví dụ 85,42 (ô Excel định dạng phần trăm?)."
        )
        return False
    index_places = _round(target)
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
        target.stats = _stats(name, rows, index_places)
    return True


def _rank(rows: Sequence[HistoryRow], problems: list[str], where: str) -> bool:
    """The file's ranks, or the engine's when the column is blank for the whole group;
    False (with the problem) when only some units have one."""
    given = [r for r in rows if isinstance(r.detail.get("rank"), int)]
    if given and len(given) != len(rows):
        blank = [r.line for r in rows if not isinstance(r.detail.get("rank"), int)]
        problems.append(
            f"{where}: thiếu xếp hạng ở {', '.join(blank[:10])}"
            f"{'…' if len(blank) > 10 else ''}: nhập hạng cho mọi đơn vị của nhóm hoặc để "
            "trống cả cột để hệ thống xếp hạng theo chỉ số."
        )
        return False
    if not given:
        ranks = _engine_ranks(rows)
        for row in rows:
            row.detail["rank"] = ranks[row.code]
    return True


def _round(target: HistoryGroup) -> int:
    """Every number of the group with the most places any of them is written with (points
    and indexes apart); the places of the indexes."""
    rows = target.rows
    points_places = max(
        (decimal_places(Decimal(r.detail[k])) for r in rows for k in _POINT_KEYS if k in r.detail),
        default=2,
    )
    index_places = max(
        (decimal_places(Decimal(r.detail[k])) for r in rows for k in _INDEX_KEYS if k in r.detail),
        default=2,
    )
    target.points_places, target.index_places = points_places, index_places
    for row in rows:
        for key, places in (
            *((k, points_places) for k in _POINT_KEYS),
            *((k, index_places) for k in _INDEX_KEYS),
        ):
            if key in row.detail:
                row.detail[key] = format(
                    Decimal(row.detail[key]).quantize(Decimal(1).scaleb(-places)), "f"
                )
    return index_places


def _class_order(rows: Sequence[HistoryRow]) -> list[str]:
    """The group's class labels, the one of the best index first."""
    best: dict[str, Decimal] = {}
    for row in rows:
        label = row.detail.get("class")
        if label:
            index = Decimal(row.detail["index"])
            best[label] = max(best.get(label, index), index)
    return sorted(best, key=lambda label: -best[label])


def _engine_ranks(rows: Sequence[HistoryRow]) -> dict[str, int]:
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


def _fields_of(rows: Sequence[HistoryRow]) -> list[dict[str, Any]]:
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


def _stats(name: str, rows: Sequence[HistoryRow], places: int) -> dict[str, Any]:
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
