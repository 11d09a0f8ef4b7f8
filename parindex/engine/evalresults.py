"""The results document (``parindex-results/1``): units, groups and warnings, every number
rounded as the criteria set says."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.engine.evaljson import RESULTS_FORMAT, fmt
from parindex.engine.model import GroupResult, Results, Rounding, SelfResult, UnitResult


def results_document(results: Results) -> dict[str, Any]:
    """The ``parindex-results/1`` document for ``results``."""
    criteria = results.criteria
    points_r = Rounding(criteria.rounding.mode, criteria.rounding.places)
    index_r = criteria.effective_index_rounding
    return {
        "format": RESULTS_FORMAT,
        "units": [
            _unit_document(r, points_r, index_r, criteria.classification is not None)
            for r in results.units
        ],
        "groups": [group_document(g, index_r) for g in results.groups],
        "warnings": list(results.warnings),
    }


def group_document(g: GroupResult, index_r: Rounding) -> dict[str, Any]:
    """One group's statistics in the ``parindex-results/1`` document: the base keys, then
    the extensions the statistics have (see docs/evaluation-format.md). Point statistics
    (``survey_mean``, node ``mean_points``) are already rounded by the engine."""
    doc = {
        "group": g.group,
        "count": g.count,
        "mean": fmt(g.mean, index_r),
        "max": fmt(g.max, index_r),
        "min": fmt(g.min, index_r),
        "spread": fmt(g.spread, index_r),
        "above_mean": g.above_mean,
        "fields": [
            {
                "code": f.code,
                "mean_points": fmt(f.mean_points, index_r),
                "units_at_max": f.units_at_max,
                "units": f.units,
            }
            for f in g.fields
        ],
    }
    if g.survey_units is not None:
        doc["survey_mean"] = _plain(g.survey_mean)
        doc["survey_units"] = g.survey_units
    if g.self_units is not None:
        doc["self_mean"] = None if g.self_mean is None else fmt(g.self_mean, index_r)
        doc["self_units"] = g.self_units
    if g.classes:
        doc["classes"] = [
            {"label": c.label, "count": c.count}
            if c.previous_count is None
            else {"label": c.label, "count": c.count, "previous_count": c.previous_count}
            for c in g.classes
        ]
    if g.nodes:
        doc["nodes"] = [
            {
                "code": n.code,
                "units": n.units,
                "units_at_max": n.units_at_max,
                "mean_points": _plain(n.mean_points),
            }
            for n in g.nodes
        ]
    if g.previous is not None and g.change is not None:
        p, c = g.previous, g.change
        doc["previous"] = {
            "count": p.count,
            "mean": fmt(p.mean, index_r),
            "max": fmt(p.max, index_r),
            "min": fmt(p.min, index_r),
            "spread": fmt(p.spread, index_r),
        }
        doc["change"] = {
            key: fmt(value, index_r)
            for key, value in (
                ("mean", c.mean),
                ("max", c.max),
                ("min", c.min),
                ("spread", c.spread),
            )
        }
        doc["rose"], doc["fell"], doc["unchanged"] = g.rose, g.fell, g.unchanged
    return doc


def _plain(value: Decimal | None) -> str | None:
    """A number the engine has already rounded, with its places; None stays None."""
    return None if value is None else format(value, "f")


def _unit_document(
    r: UnitResult, points_r: Rounding, index_r: Rounding, classified: bool
) -> dict[str, Any]:
    """One unit's results; a set without classification gives no "class" key."""
    doc: dict[str, Any] = {
        "unit": r.unit,
        "name": r.name,
        "group": r.group,
        "points": fmt(r.points, points_r),
        "survey": fmt(r.survey, points_r),
        "bonus": fmt(r.bonus, points_r),
        "penalty": fmt(r.penalty, points_r),
        "total": fmt(r.total, points_r),
        "max": fmt(r.max, points_r),
        "index": fmt(r.index, index_r),
        "rank": r.rank,
        **({"class": r.class_label} if classified else {}),
        "fields": [
            {
                "code": f.code,
                "points": fmt(f.points, points_r),
                "max": fmt(f.max, points_r),
                "percent": fmt(f.percent, index_r),
            }
            for f in r.fields
        ],
        "nodes": [
            {"code": n.code, "points": fmt(n.points, points_r), "max": fmt(n.max, points_r)}
            for n in r.nodes()
        ],
        "not_applicable": list(r.not_applicable),
        "missing": list(r.missing),
    }
    if r.previous_index is not None and r.index_change is not None:
        doc["previous_index"] = fmt(r.previous_index, index_r)
        doc["index_change"] = fmt(r.index_change, index_r)
    if r.previous_rank is not None:
        doc["previous_rank"] = r.previous_rank
        doc["rank_change"] = r.rank_change
    if r.previous_class is not None:
        doc["previous_class"] = r.previous_class
    if r.self_result is not None:
        doc["self"] = _self_document(r.self_result, points_r, index_r)
    return doc


def _self_document(s: SelfResult, points_r: Rounding, index_r: Rounding) -> dict[str, Any]:
    """A unit's self-assessment: the appraisal's point, field and node keys."""
    return {
        "points": fmt(s.points, points_r),
        "max": fmt(s.max, points_r),
        "percent": fmt(s.percent, index_r),
        "fields": [
            {
                "code": f.code,
                "points": fmt(f.points, points_r),
                "max": fmt(f.max, points_r),
                "percent": fmt(f.percent, index_r),
            }
            for f in s.fields
        ],
        "nodes": [
            {"code": n.code, "points": fmt(n.points, points_r), "max": fmt(n.max, points_r)}
            for n in s.nodes()
        ],
    }
