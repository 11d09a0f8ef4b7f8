"""The results document (``parindex-results/1``): units, groups and warnings, every number
rounded as the criteria set says."""

from __future__ import annotations

from typing import Any

from parindex.engine.evaljson import RESULTS_FORMAT, fmt
from parindex.engine.model import GroupResult, Results, Rounding, UnitResult


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
    """One group's statistics in the ``parindex-results/1`` document."""
    return {
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
    return doc
