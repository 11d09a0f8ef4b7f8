"""The baseline of ``parindex bench evaluate``: an independent, plain implementation of
``parindex evaluate`` as a first version typically looks. Not used by parindex itself.

``python -m parindex.tools.bench.evaluate_reference FILE`` reads a ``parindex-evaluation/1``
file with the standard library's ``json`` (numbers as ``Decimal``, duplicate keys refused),
scores every unit by walking the criteria tree recursively with plain ``Decimal``
arithmetic, and prints the ``parindex-results/1`` document with ``json.dumps(...,
indent=2)``. It imports nothing from parindex, does only the checks a plain reader does
(a bad file gives an exception, not located messages) and covers what the national
benchmark file holds: the six rule types, not-applicable nodes, survey, bonus and penalty,
classification with per-field minimums, ranking and the group statistics. Self-assessment
and previous results are not read.
"""

from __future__ import annotations

import json
import sys
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from typing import Any

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _num(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


class Rounding:
    def __init__(self, spec: dict[str, Any] | None) -> None:
        spec = spec or {}
        self.mode = ROUND_DOWN if spec.get("mode", "half_up") == "truncate" else ROUND_HALF_UP
        self.quantum = Decimal(1).scaleb(-int(spec.get("places", 2)))

    def round(self, value: Decimal) -> Decimal:
        result = value.quantize(self.quantum, rounding=self.mode)
        return result if result else abs(result)

    def text(self, value: Decimal) -> str:
        return format(self.round(value), "f")


def score_leaf(node: dict[str, Any], value: Any, rounding: Rounding) -> Decimal:
    rule = node.get("rule") or {"type": "manual"}
    kind, top = rule.get("type", "manual"), _num(node["max"])
    if kind == "manual":
        points = _num(value)
    elif kind == "boolean":
        points = top if value else ZERO
    elif kind in ("ratio", "percent"):
        if kind == "ratio":
            b, a = _num(value["numerator"]), _num(value["denominator"])
        else:
            b, a = _num(value), HUNDRED
        if rule.get("floor") is not None and b < _num(rule["floor"]) * a:
            points = ZERO
        elif rule.get("full_at") is not None and b >= _num(rule["full_at"]) * a:
            points = top
        else:
            points = b * top / a
    elif kind == "tiers":
        points = ZERO
        for tier in sorted(rule["tiers"], key=lambda t: _num(t["min"]), reverse=True):
            if isinstance(value, dict):
                reached = _num(value["numerator"]) >= _num(tier["min"]) * _num(value["denominator"])
            else:
                reached = _num(value) >= _num(tier["min"])
            if reached:
                points = _num(tier["points"])
                break
    else:  # deduction
        points = max(ZERO, top - _num(value) * _num(rule["per_item"]))
    return rounding.round(points)


class Unit:
    """One unit's scoring: a recursive walk from every field."""

    def __init__(self, doc: dict[str, Any], unit: dict[str, Any], ctx: Evaluation) -> None:
        self.code, self.name, self.group = (
            unit["code"],
            unit.get("name", unit["code"]),
            unit["group"],
        )
        self.ctx = ctx
        self.values = ctx.scores.get(self.code, {})
        self.excluded = ctx.excluded.get(self.code, set())
        self.result: dict[str, tuple[Decimal, Decimal]] = {}
        self.missing: list[str] = []
        self.na: list[str] = []
        for field in ctx.children[None]:
            self.walk(field, outer_excluded=False)

    def walk(self, node: dict[str, Any], outer_excluded: bool) -> tuple[Decimal, Decimal] | None:
        code = node["code"]
        if code in self.excluded or outer_excluded:
            for below in self.ctx.subtree(code):
                if below in self.values:
                    self.ctx.warnings.append(
                        f"unit {self.code}, node {below}: bỏ qua giá trị vì tiêu chí không áp dụng"
                    )
            if not outer_excluded:
                self.na.append(code)
            return None
        kids = self.ctx.children.get(code, [])
        top = _num(node["max"])
        if not kids:
            if code in self.values:
                points = score_leaf(node, self.values[code], self.ctx.rounding)
            else:
                self.missing.append(code)
                points = self.ctx.rounding.round(ZERO)
            self.result[code] = (points, top)
            return points, top
        scored = [s for s in (self.walk(k, False) for k in kids) if s is not None]
        if not scored:
            self.na.append(code)
            return None
        points = min(sum((s[0] for s in scored), ZERO), top)
        maximum = min(sum((s[1] for s in scored), ZERO), top)
        self.result[code] = (points, maximum)
        return points, maximum


class Evaluation:
    def __init__(self, doc: dict[str, Any]) -> None:
        cs = doc["criteria_set"]
        self.doc = doc
        self.rounding = Rounding(cs.get("rounding"))
        self.index_rounding = Rounding(cs.get("index_rounding") or cs.get("rounding"))
        self.nodes = cs["nodes"]
        self.children: dict[str | None, list[dict[str, Any]]] = {}
        for node in self.nodes:
            self.children.setdefault(node.get("parent"), []).append(node)
        self.survey_max = _num(doc["survey"]["max"]) if doc.get("survey") else None
        adjustments = doc.get("adjustments") or {}
        self.bonus_max = adjustments.get("bonus_max")
        self.penalty_max = adjustments.get("penalty_max")
        self.classification = doc.get("classification")
        self.scores: dict[str, dict[str, Any]] = {}
        self.excluded: dict[str, set[str]] = {}
        for entry in doc.get("scores", []):
            if entry.get("not_applicable"):
                self.excluded.setdefault(entry["unit"], set()).add(entry["code"])
            else:
                self.scores.setdefault(entry["unit"], {})[entry["code"]] = entry["value"]
        self.survey = {e["unit"]: e for e in doc.get("survey_scores", [])}
        self.adjust = {e["unit"]: e for e in doc.get("unit_adjustments", [])}
        self.warnings: list[str] = []

    def subtree(self, code: str) -> list[str]:
        found = [code]
        for kid in self.children.get(code, []):
            found += self.subtree(kid["code"])
        return found

    def labels(self) -> list[str]:
        c = self.classification or {}
        labels: list[str] = []
        for label in [b["label"] for b in c.get("bands", [])] + [c.get("otherwise")]:
            if label and label not in labels:
                labels.append(label)
        return labels

    def capped(self, unit: str, what: str, value: Decimal, cap: Any) -> Decimal:
        if cap is not None and value > _num(cap):
            shown, limit = format(value.normalize(), "f"), format(_num(cap).normalize(), "f")
            self.warnings.append(
                f"unit {unit}: {what} {shown} vượt mức tối đa {limit}, tính {limit}"
            )
            return _num(cap)
        return value

    def unit(self, raw: dict[str, Any]) -> dict[str, Any]:
        u = Unit(self.doc, raw, self)
        fields = [
            (f["code"], *u.result[f["code"]]) for f in self.children[None] if f["code"] in u.result
        ]
        points = sum((f[1] for f in fields), ZERO)
        maximum = sum((f[2] for f in fields), ZERO)
        survey = ZERO
        if self.survey_max is not None:
            entry = self.survey.get(u.code)
            if entry is not None and entry.get("not_applicable"):
                u.na.append("survey")
            else:
                maximum += self.survey_max
                if entry is None:
                    u.missing.append("survey")
                else:
                    survey = _num(entry["points"])
        adj = self.adjust.get(u.code, {})
        bonus = self.capped(u.code, "bonus", _num(adj.get("bonus", 0)), self.bonus_max)
        penalty = self.capped(u.code, "penalty", _num(adj.get("penalty", 0)), self.penalty_max)
        total = max(points + survey + bonus - penalty, ZERO)
        if maximum > 0:
            exact = min(total * HUNDRED / maximum, HUNDRED)
        else:
            exact = ZERO
            self.warnings.append(f"unit {u.code}: không có tiêu chí nào được áp dụng (max = 0)")
        index = self.index_rounding.round(exact)
        return {
            "u": u,
            "points": points,
            "survey": survey,
            "bonus": bonus,
            "penalty": penalty,
            "total": total,
            "max": maximum,
            "exact": exact,
            "index": index,
            "fields": fields,
            "class": self.classify(index, fields),
            "survey_applicable": self.survey_max is not None and "survey" not in u.na,
        }

    def classify(self, index: Decimal, fields: list[tuple[str, Decimal, Decimal]]) -> Any:
        if self.classification is None:
            return None
        for band in self.classification.get("bands", []):
            low = _num(band["min"])
            if not (index > low if band.get("min_exclusive") else index >= low):
                continue
            if band.get("field_min") is not None and any(
                p * HUNDRED < _num(band["field_min"]) * m for _c, p, m in fields
            ):
                continue
            return band["label"]
        return self.classification.get("otherwise")


def evaluate(doc: dict[str, Any]) -> dict[str, Any]:
    ev = Evaluation(doc)
    scored = [ev.unit(raw) for raw in doc["units"]]
    dense = (doc.get("ranking") or {}).get("ties") == "dense"
    units_out, groups_out = [], []
    for group in sorted({s["u"].group for s in scored}):
        members = sorted(
            (s for s in scored if s["u"].group == group), key=lambda s: (-s["index"], s["u"].code)
        )
        rank, previous = 0, None
        for position, s in enumerate(members, start=1):
            if s["index"] != previous:
                rank, previous = (rank + 1 if dense else position), s["index"]
            s["rank"] = rank
            units_out.append(unit_document(ev, s))
        groups_out.append(group_document(ev, group, members))
    return {
        "format": "parindex-results/1",
        "units": units_out,
        "groups": groups_out,
        "warnings": sorted(ev.warnings),
    }


def unit_document(ev: Evaluation, s: dict[str, Any]) -> dict[str, Any]:
    p, i, u = ev.rounding.text, ev.index_rounding.text, s["u"]
    doc = {
        "unit": u.code,
        "name": u.name,
        "group": u.group,
        "points": p(s["points"]),
        "survey": p(s["survey"]),
        "bonus": p(s["bonus"]),
        "penalty": p(s["penalty"]),
        "total": p(s["total"]),
        "max": p(s["max"]),
        "index": i(s["index"]),
        "rank": s["rank"],
    }
    if ev.classification is not None:
        doc["class"] = s["class"]
    doc["fields"] = [
        {"code": c, "points": p(pt), "max": p(m), "percent": i(pt * HUNDRED / m)}
        for c, pt, m in s["fields"]
    ]
    doc["nodes"] = [
        {"code": n["code"], "points": p(u.result[n["code"]][0]), "max": p(u.result[n["code"]][1])}
        for n in ev.nodes
        if n["code"] in u.result
    ]
    doc["not_applicable"] = [n["code"] for n in ev.nodes if n["code"] in u.na] + (
        ["survey"] if "survey" in u.na else []
    )
    doc["missing"] = u.missing
    return doc


def group_document(ev: Evaluation, group: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    i = ev.index_rounding
    mean = i.round(sum((s["exact"] for s in members), ZERO) / len(members))
    top, low = max(s["index"] for s in members), min(s["index"] for s in members)
    doc: dict[str, Any] = {
        "group": group,
        "count": len(members),
        "mean": i.text(mean),
        "max": i.text(top),
        "min": i.text(low),
        "spread": i.text(top - low),
        "above_mean": sum(1 for s in members if s["index"] > mean),
    }
    stats = []
    for node in ev.nodes:
        got = [s["u"].result[node["code"]] for s in members if node["code"] in s["u"].result]
        total = sum((g[0] for g in got), ZERO)
        stats.append((node, got, total, sum(1 for g in got if g[0] == g[1])))
    doc["fields"] = [
        {
            "code": n["code"],
            "mean_points": i.text(i.round(t / len(g))),
            "units_at_max": at,
            "units": len(g),
        }
        for n, g, t, at in stats
        if n.get("parent") is None and g
    ]
    if ev.survey_max is not None:
        points = [s["survey"] for s in members if s["survey_applicable"]]
        doc["survey_mean"] = (
            format(ev.rounding.round(sum(points, ZERO) / len(points)), "f") if points else None
        )
        doc["survey_units"] = len(points)
    if ev.classification is not None:
        doc["classes"] = [
            {"label": label, "count": sum(1 for s in members if s["class"] == label)}
            for label in ev.labels()
        ]
    doc["nodes"] = [
        {
            "code": n["code"],
            "units": len(g),
            "units_at_max": at,
            "mean_points": format(ev.rounding.round(t / len(g)), "f") if g else None,
        }
        for n, g, t, at in stats
    ]
    return doc


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as f:
        doc = json.load(f, parse_float=Decimal, object_pairs_hook=_pairs)
    with localcontext() as ctx:
        ctx.prec = 60
        results = evaluate(doc)
    sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
