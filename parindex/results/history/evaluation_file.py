"""Reading a ``parindex-evaluation/1`` file: scored by the engine here, exactly as the
system scores a period (rows, ranks, classes, statistics, the usual leader rating)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parindex.engine import InputError, evaluate
from parindex.engine.evalfile import num, parse, results_document
from parindex.engine.leader import LeaderRule, default_rules, rate
from parindex.engine.model import CriteriaSet, Results
from parindex.organizations.models import UnitGroup
from parindex.results.history.parsed import HistoryGroup, HistoryRow
from parindex.results.history.reader import Reader
from parindex.results.history.values import plain


def read_evaluation(reader: Reader, name: str, document: dict[str, Any]) -> None:
    """Every group of the evaluation file ``name``, scored by the engine."""
    where = f"Tệp {name}"
    try:
        data = parse(document)
    except InputError as exc:
        reader.problems.extend(f"{where}: {p}" for p in exc.problems)
        return
    if not data.units:
        reader.err(f"{where}: tệp đánh giá không có đơn vị nào.")
        return
    results = evaluate(data)
    output = results_document(results)
    rules = default_rules(data.criteria.classification)
    meta_code = _metadata_group_code(document)
    names = sorted({u.group for u in results.units})
    for group_name in names:
        label = meta_code if meta_code is not None and len(names) == 1 else group_name
        group = reader.group_of(label, f"{where}, nhóm “{group_name}”")
        if group is None:
            continue
        target = reader.new_group(group, name, "evaluation")
        _describe(target, data.criteria, document, output, group_name)
        _add_units(reader, target, (group, group_name), name, (results, output), rules)


def _metadata_group_code(document: dict[str, Any]) -> str | None:
    """The group code the file's metadata names (``metadata.group.code``), if any."""
    metadata = document.get("metadata")
    meta_group = metadata.get("group") if isinstance(metadata, dict) else None
    meta_code = meta_group.get("code") if isinstance(meta_group, dict) else None
    return meta_code if isinstance(meta_code, str) else None


def _describe(
    target: HistoryGroup,
    criteria: CriteriaSet,
    document: dict[str, Any],
    output: dict[str, Any],
    group_name: str,
) -> None:
    """The group's statistics, places, fields and nodes as the engine gives them."""
    extras = {
        str(node.get("code")): node
        for node in document["criteria_set"]["nodes"]
        if isinstance(node, dict)
    }
    stats = next((g for g in output["groups"] if g["group"] == group_name), None)
    target.stats = dict(stats) if stats else None
    target.points_places = criteria.rounding.places
    target.index_places = criteria.effective_index_rounding.places
    target.survey_max = criteria.survey_max
    target.classified = criteria.classification is not None
    target.criteria_name = criteria.name
    target.document = plain(document)
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


def _add_units(
    reader: Reader,
    target: HistoryGroup,
    groups: tuple[UnitGroup, str],
    name: str,
    scored: tuple[Results, dict[str, Any]],
    rules: Sequence[LeaderRule],
) -> None:
    """The rows of the units of the file's group ``groups[1]`` (the system's
    ``groups[0]``), each remembered to check a results document against."""
    group, group_name = groups
    results, output = scored
    for result, unit in zip(results.units, output["units"], strict=True):
        if result.group != group_name:
            continue
        row_where = f"Tệp {name}, đơn vị {result.unit}"
        row_line = f"đơn vị {result.unit} của tệp {name}"
        if not reader.unique(result.unit, row_where, row_line):
            continue
        reader.evaluated[result.unit] = (name, unit)
        target.rows.append(
            HistoryRow(
                where=row_where,
                line=row_line,
                code=result.unit,
                name=result.name,
                group=group,
                detail=unit,
                source=name,
                survey=result.survey_applicable,
                leader_rating=rate(result.class_label, [f.percent for f in result.fields], rules)
                or "",
            )
        )
