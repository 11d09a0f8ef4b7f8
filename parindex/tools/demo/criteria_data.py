"""Sample criteria sets (dữ liệu mẫu) as parindex-evaluation/1 documents.

* Sở, ban, ngành and UBND cấp huyện: modelled on Hà Nam 2022 (QĐ 1952/QĐ-UBND): fields 14,
  10, 19, 8, 13, 6, 20, survey 10, total 100; units without administrative procedures have
  field 3, criteria 7.3 and 7.5 and the survey not applicable (max 60).
* UBND cấp xã: modelled on the Quảng Trị and Hải Dương commune sets: fields 15, 5, 18,5, 6,
  11, 7, 11,5, 2 and survey 24.

Real criteria names are used where the domain notes give them; the rest of each tree is a
plausible filling, marked as sample data in the set's name and note. The trees themselves
are in ``data/criteria.json``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.engine.evalfile import INPUT_FORMAT
from parindex.tools.demo import tables

SAMPLE_NOTE = (
    "Dữ liệu mẫu: bộ tiêu chí minh họa cho phần mềm parindex, không phải văn bản ban hành. "
    "Cấu trúc và điểm tối đa của các lĩnh vực theo mẫu bộ tiêu chí của các địa phương."
)

CLASSIFICATION = {
    "bands": [
        {"label": "Xuất sắc", "min": "95"},
        {"label": "Tốt", "min": "85"},
        {"label": "Khá", "min": "75"},
        {"label": "Trung bình", "min": "70"},
    ],
    "otherwise": "Yếu",
}

PLAN_CRITERIA: dict[str, str] = {"commune": "1.1.3"}
"""The plan-completion criterion ("Mức độ thực hiện kế hoạch CCHC") of each level's set:
the commune set's 1.1.3 is a percentage; the provincial sets' 1.1.3 is scored in tiers,
which a plan's rate does not fill, so they name none."""

NO_PROCEDURES_NOT_APPLICABLE = ("3", "7.3", "7.5")
"""Nodes not applicable to a sở without administrative procedures (with the survey)."""

TIER_MEASURES: dict[str, str] = {
    # What a "tiers" leaf measures, for the demo's value generator: a count, a percentage
    # or a ratio {numerator, denominator}.
    "1.1.3": "percent",
    "1.3": "count",
    "1.5.4": "count",
    "1.6": "count",
    "3.1.2": "ratio",
    "3.2.2": "ratio",
    "3.2.3": "count",
    "4.2.2": "ratio",
    "6.1.1": "percent",
    "8.1": "ratio",
}


# A node: (code, name, max, rule, guidance, evidence). ``name`` may be a pair
# (sở text, huyện text). Empty guidance/evidence are filled from the rule and the field.
Node = tuple[str, str | tuple[str, str], str, dict[str, Any] | None, str, str]


def _node(row: dict[str, Any]) -> Node:
    """A node of ``data/criteria.json`` (rule, guidance and evidence may be left out)."""
    name = row["name"]
    return (
        row["code"],
        name if isinstance(name, str) else (name[0], name[1]),
        row["max"],
        row.get("rule"),
        row.get("guidance", ""),
        row.get("evidence", ""),
    )


_TABLES = tables.load("criteria")

PROVINCIAL_NODES: list[Node] = [_node(row) for row in _TABLES["provincial_nodes"]]
"""Sở, ban, ngành and UBND cấp huyện."""

COMMUNE_NODES: list[Node] = [_node(row) for row in _TABLES["commune_nodes"]]
"""UBND cấp xã."""


# --------------------------------------------------------------------------- documents


def _parent(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _document(
    name: str,
    nodes: list[Node],
    *,
    variant: int,
    survey_max: str,
    not_applicable: tuple[str, ...] = (),
) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for code, node_name, max_, rule, guidance, evidence in nodes:
        text = node_name if isinstance(node_name, str) else node_name[variant]
        item: dict[str, Any] = {"code": code}
        parent = _parent(code)
        if parent is not None:
            item["parent"] = parent
        item["name"] = text
        item["max"] = max_
        if rule is not None:
            item["rule"] = rule
        if guidance:
            item["guidance"] = guidance
        if evidence:
            item["evidence"] = evidence
        if code in not_applicable:
            item["allow_not_applicable"] = True
        items.append(item)
    return {
        "format": INPUT_FORMAT,
        "criteria_set": {
            "name": name,
            "rounding": {"mode": "half_up", "places": 2},
            "nodes": items,
        },
        "survey": {"max": survey_max},
        "adjustments": {"bonus_max": "2", "penalty_max": "3"},
        "classification": CLASSIFICATION,
        "ranking": {"ties": "shared"},
    }


def department_document(year: int) -> dict[str, Any]:
    return _document(
        f"Bộ tiêu chí Chỉ số CCHC năm {year} của các sở, ban, ngành tỉnh Minh Hà (dữ liệu mẫu)",
        PROVINCIAL_NODES,
        variant=0,
        survey_max="10",
        not_applicable=NO_PROCEDURES_NOT_APPLICABLE,
    )


def district_document(year: int) -> dict[str, Any]:
    return _document(
        f"Bộ tiêu chí Chỉ số CCHC năm {year} của UBND cấp huyện tỉnh Minh Hà (dữ liệu mẫu)",
        PROVINCIAL_NODES,
        variant=1,
        survey_max="10",
    )


def commune_document(year: int) -> dict[str, Any]:
    return _document(
        f"Bộ tiêu chí Chỉ số CCHC năm {year} của UBND cấp xã tỉnh Minh Hà (dữ liệu mẫu)",
        COMMUNE_NODES,
        variant=0,
        survey_max="24",
    )


def commune_changes_2024(document: dict[str, Any]) -> dict[str, Any]:
    """The 2024 commune set: the 2023 set with a higher floor for 3.11.1 (70% → 80%)."""
    for node in document["criteria_set"]["nodes"]:
        if node["code"] == "3.11.1":
            node["rule"] = {**node.get("rule", {}), "type": "ratio", "floor": "0.8"}
            node["guidance"] = "Điểm = tỷ lệ × 1; tỷ lệ dưới 80%: 0 điểm (năm 2023: 70%)."
    return document


def leaf_count(nodes: list[Node]) -> int:
    parents = {_parent(code) for code, *_ in nodes}
    return sum(1 for code, *_ in nodes if code not in parents)


def total_max(nodes: list[Node]) -> Decimal:
    return sum((Decimal(max_) for code, _n, max_, *_ in nodes if "." not in code), Decimal(0))
