"""The results document (``parindex-results/1``): units, groups and warnings, every number
rounded as the criteria set says."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from parindex.engine.evaljson import RESULTS_FORMAT, fmt
from parindex.engine.model import (
    GroupResult,
    NodeLayout,
    Results,
    Rounding,
    SelfResult,
    UnitResult,
)


class DecimalText(dict[Decimal, str]):
    """``fmt(value, rounding)`` as a memo, looked up as ``text[value]``: a national
    results document writes millions of numbers drawn from a few thousand values. Equal
    decimals give the same text (the rounding of an equal value is equal, and a zero is
    never printed with a sign)."""

    MEMO_LIMIT = 200_000

    def __init__(self, rounding: Rounding) -> None:
        super().__init__()
        self.rounding = rounding

    def __missing__(self, value: Decimal) -> str:
        text = fmt(value, self.rounding)
        if len(self) < self.MEMO_LIMIT:
            self[value] = text
        return text


def results_document(results: Results) -> dict[str, Any]:
    """The ``parindex-results/1`` document for ``results``."""
    doc = lazy_results_document(results)
    doc["units"] = list(doc["units"])
    doc["groups"] = list(doc["groups"])
    return doc


def lazy_results_document(results: Results, *, node_entries: bool = False) -> dict[str, Any]:
    """:func:`results_document` with ``units`` and ``groups`` as iterators that build one
    entry at a time (for writing a national document without holding all of it). With
    ``node_entries``, each ``nodes`` list is a :class:`NodeEntries` for the writer
    (:mod:`parindex.results.json_stream`) to encode."""
    criteria = results.criteria
    points_r = Rounding(criteria.rounding.mode, criteria.rounding.places)
    index_r = criteria.effective_index_rounding
    points_text, index_text = DecimalText(points_r), DecimalText(index_r)
    classified = criteria.classification is not None
    nodes = NodeEntries if node_entries else _node_documents
    units: Iterator[dict[str, Any]] = (
        _unit_document(r, points_text, index_text, classified, nodes) for r in results.units
    )
    return {
        "format": RESULTS_FORMAT,
        "units": units,
        "groups": (group_document(g, index_r) for g in results.groups),
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
    r: UnitResult, points: DecimalText, index: DecimalText, classified: bool, nodes: Nodes
) -> dict[str, Any]:
    """One unit's results; a set without classification gives no "class" key."""
    doc: dict[str, Any] = {
        "unit": r.unit,
        "name": r.name,
        "group": r.group,
        "points": points[r.points],
        "survey": points[r.survey],
        "bonus": points[r.bonus],
        "penalty": points[r.penalty],
        "total": points[r.total],
        "max": points[r.max],
        "index": index[r.index],
        "rank": r.rank,
        **({"class": r.class_label} if classified else {}),
        "fields": [
            {
                "code": f.code,
                "points": points[f.points],
                "max": points[f.max],
                "percent": index[f.percent],
            }
            for f in r.fields
        ],
        "nodes": nodes(r.layout, r.node_points, r.node_max, points, 1),
        "not_applicable": list(r.not_applicable),
        "missing": list(r.missing),
    }
    if r.previous_index is not None and r.index_change is not None:
        doc["previous_index"] = index[r.previous_index]
        doc["index_change"] = index[r.index_change]
    if r.previous_rank is not None:
        doc["previous_rank"] = r.previous_rank
        doc["rank_change"] = r.rank_change
    if r.previous_class is not None:
        doc["previous_class"] = r.previous_class
    if r.self_result is not None:
        doc["self"] = _self_document(r.self_result, points, index, nodes)
    return doc


def _self_document(
    s: SelfResult, points: DecimalText, index: DecimalText, nodes: Nodes
) -> dict[str, Any]:
    """A unit's self-assessment: the appraisal's point, field and node keys."""
    return {
        "points": points[s.points],
        "max": points[s.max],
        "percent": index[s.percent],
        "fields": [
            {
                "code": f.code,
                "points": points[f.points],
                "max": points[f.max],
                "percent": index[f.percent],
            }
            for f in s.fields
        ],
        "nodes": nodes(s.layout, s.node_points, s.node_max, points, 2),
    }


def _node_documents(
    layout: NodeLayout,
    node_points: Sequence[Decimal | None],
    node_max: Sequence[Decimal | None],
    points: DecimalText,
    depth: int = 0,
) -> list[dict[str, str]]:
    """``nodes[]``: what ``UnitResult.nodes()`` lists, read from the slots directly (1.7
    million entries in a national document)."""
    codes = layout.codes
    return [
        {"code": codes[slot], "points": points[value], "max": points[max_]}
        for slot in layout.display
        if (value := node_points[slot]) is not None and (max_ := node_max[slot]) is not None
    ]


class NodeEntries:
    """A unit's (or its self-assessment's) ``nodes[]`` not yet built: what
    :func:`_node_documents` would list, for a writer that encodes the entries from a memo.
    ``depth``: the objects around the ``nodes`` key inside the unit's entry (1 for the
    unit itself, 2 for its ``self``). Not a list or tuple: an encoder must ask for it."""

    __slots__ = ("depth", "layout", "node_max", "node_points", "points")

    def __init__(
        self,
        layout: NodeLayout,
        node_points: Sequence[Decimal | None],
        node_max: Sequence[Decimal | None],
        points: DecimalText,
        depth: int,
    ) -> None:
        self.layout, self.node_points, self.node_max = layout, node_points, node_max
        self.points, self.depth = points, depth

    def documents(self) -> list[dict[str, str]]:
        return _node_documents(self.layout, self.node_points, self.node_max, self.points)


Nodes = Callable[
    [NodeLayout, Sequence[Decimal | None], Sequence[Decimal | None], DecimalText, int], Any
]
