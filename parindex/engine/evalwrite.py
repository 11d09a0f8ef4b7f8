"""Writing evaluation files: the criteria part, rules and values as the format spells them,
and a whole file with units and scores (the period export)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from parindex.engine.evaljson import INPUT_FORMAT, num
from parindex.engine.model import CriteriaSet, EvaluationInput, Ratio, Rule, Value, _NotApplicable


def criteria_document(
    criteria: CriteriaSet, extra: Callable[[str], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The criteria part of an evaluation document. ``extra(code)`` adds per-node keys
    (guidance, evidence, ...), which the format allows."""
    nodes = []
    for node in criteria.nodes:
        item: dict[str, Any] = {"code": node.code}
        if node.parent is not None:
            item["parent"] = node.parent
        item["name"] = node.name
        item["max"] = num(node.max)
        if node.rule is not None:
            item["rule"] = rule_document(node.rule)
        if extra is not None:
            item.update(extra(node.code))
        nodes.append(item)
    cs: dict[str, Any] = {
        "name": criteria.name,
        "rounding": {"mode": criteria.rounding.mode, "places": criteria.rounding.places},
    }
    if criteria.index_rounding is not None:
        cs["index_rounding"] = {
            "mode": criteria.index_rounding.mode,
            "places": criteria.index_rounding.places,
        }
    cs["nodes"] = nodes
    doc: dict[str, Any] = {"format": INPUT_FORMAT, "criteria_set": cs}
    if criteria.survey_max is not None:
        doc["survey"] = {"max": num(criteria.survey_max)}
    if criteria.bonus_max is not None or criteria.penalty_max is not None:
        doc["adjustments"] = {
            key: num(value)
            for key, value in (
                ("bonus_max", criteria.bonus_max),
                ("penalty_max", criteria.penalty_max),
            )
            if value is not None
        }
    if criteria.classification is not None:
        bands = []
        for band in criteria.classification.bands:
            item = {"label": band.label, "min": num(band.min)}
            if band.min_exclusive:
                item["min_exclusive"] = True
            if band.field_min is not None:
                item["field_min"] = num(band.field_min)
            bands.append(item)
        doc["classification"] = {"bands": bands}
        if criteria.classification.otherwise is not None:
            doc["classification"]["otherwise"] = criteria.classification.otherwise
    doc["ranking"] = {"ties": criteria.ties}
    return doc


def rule_document(rule: Rule) -> dict[str, Any]:
    item: dict[str, Any] = {"type": rule.type}
    if rule.floor is not None:
        item["floor"] = num(rule.floor)
    if rule.full_at is not None:
        item["full_at"] = num(rule.full_at)
    if rule.tiers:
        item["tiers"] = [{"min": num(t.min), "points": num(t.points)} for t in rule.tiers]
    if rule.per_item is not None:
        item["per_item"] = num(rule.per_item)
    return item


def value_document(value: Value) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, Ratio):
        return {"numerator": num(value.numerator), "denominator": num(value.denominator)}
    return num(value)


def input_document(
    data: EvaluationInput, extra: Callable[[str], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A whole evaluation file for ``data`` (the period export)."""
    doc = criteria_document(data.criteria, extra)
    doc["units"] = [{"code": u.code, "name": u.name, "group": u.group} for u in data.units]
    doc["scores"] = _score_entries(data, data.scores, data.not_applicable)
    if data.self_scores is not None or data.self_not_applicable:
        doc["self_scores"] = _score_entries(data, data.self_scores or {}, data.self_not_applicable)
    if data.criteria.survey_max is not None:
        doc["survey_scores"] = [
            {"unit": code, "not_applicable": True}
            if isinstance(entry, _NotApplicable)
            else {"unit": code, "points": num(entry)}
            for code, entry in data.survey.items()
        ]
    adjustments = [
        {"unit": code, "bonus": num(a.bonus), "penalty": num(a.penalty)}
        for code, a in data.adjustments.items()
        if a.bonus or a.penalty
    ]
    if adjustments:
        doc["unit_adjustments"] = adjustments
    return doc


def _score_entries(
    data: EvaluationInput,
    scores: Mapping[str, Mapping[str, Value]],
    not_applicable: Mapping[str, frozenset[str]],
) -> list[dict[str, Any]]:
    """``scores[]`` or ``self_scores[]``: per unit (in order), its not-applicable nodes,
    then its values, each in the set's node order."""
    order = _code_order(data)
    entries: list[dict[str, Any]] = []
    for unit in data.units:
        for code in sorted(not_applicable.get(unit.code, ()), key=order):
            entries.append({"unit": unit.code, "code": code, "not_applicable": True})
        for code, value in sorted(scores.get(unit.code, {}).items(), key=lambda kv: order(kv[0])):
            entries.append({"unit": unit.code, "code": code, "value": value_document(value)})
    return entries


def _code_order(data: EvaluationInput) -> Callable[[str], int]:
    order = {node.code: i for i, node in enumerate(data.criteria.nodes)}
    return lambda code: order.get(code, len(order))
