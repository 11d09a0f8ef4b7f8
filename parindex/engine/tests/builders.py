"""Small builders for engine tests: evaluation documents as plain dicts."""

from __future__ import annotations

from typing import Any

from parindex.engine import Results, evaluate
from parindex.engine.evalfile import parse


def doc(
    nodes: list[dict[str, Any]],
    scores: list[dict[str, Any]] | None = None,
    *,
    units: list[dict[str, Any]] | None = None,
    rounding: str = "half_up",
    places: int = 2,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí thử",
            "rounding": {"mode": rounding, "places": places},
            "nodes": nodes,
        },
        "units": units or [{"code": "U1", "name": "Đơn vị 1", "group": "G"}],
        "scores": scores or [],
        **extra,
    }


def leaf_doc(
    rule: dict[str, Any] | None, max_: str, value: Any, rounding: str = "half_up"
) -> dict[str, Any]:
    """One field with one leaf (so field points = leaf points)."""
    leaf: dict[str, Any] = {"code": "1.1", "parent": "1", "name": "Lá", "max": max_}
    if rule is not None:
        leaf["rule"] = rule
    return doc(
        [{"code": "1", "name": "Lĩnh vực", "max": max_}, leaf],
        [{"unit": "U1", "code": "1.1", "value": value}],
        rounding=rounding,
    )


def run(document: dict[str, Any]) -> Results:
    return evaluate(parse(document))


def leaf_points(
    rule: dict[str, Any] | None, max_: str, value: Any, rounding: str = "half_up"
) -> str:
    result = run(leaf_doc(rule, max_, value, rounding)).units[0]
    node = result.node("1.1")
    assert node is not None
    return format(node.points, "f")
