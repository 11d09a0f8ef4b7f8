"""Reading the criteria part of an evaluation file: the set and its rounding, the nodes and
their rules, the tree they form, classification and ranking."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.engine.evalcheck import Checker, show
from parindex.engine.model import (
    ROUNDING_MODES,
    RULE_TYPES,
    TIE_RULES,
    ZERO,
    Band,
    Classification,
    CriteriaSet,
    NodeDef,
    Rounding,
    Rule,
    Tier,
)

MAX_PLACES = 10


class CriteriaReader(Checker):
    """The criteria checks; remembers the valid nodes for the scores that follow."""

    def __init__(self) -> None:
        super().__init__()
        self._nodes: dict[str, NodeDef] = {}
        """Valid nodes by code (empty when the tree is unusable, e.g. a cycle)."""
        self._leaf_codes: set[str] = set()

    def criteria(self, doc: dict[str, Any]) -> CriteriaSet | None:
        cs = self.obj(doc.get("criteria_set"), "criteria_set")
        if cs is None:
            return None
        name = self.text(cs.get("name", ""), "criteria_set.name", required=False) or ""
        rounding = self.rounding(cs.get("rounding"), "criteria_set.rounding")
        index_rounding = None
        if cs.get("index_rounding") is not None:
            index_rounding = self.rounding(cs["index_rounding"], "criteria_set.index_rounding")
        nodes = self.nodes(cs.get("nodes"))

        survey_max = None
        if doc.get("survey") is not None and (survey := self.obj(doc["survey"], "survey")):
            survey_max = self.number(survey.get("max"), "survey.max")
            if survey_max is not None and survey_max <= 0:
                self.err("survey.max", "điểm tối đa khảo sát phải lớn hơn 0")
        bonus_max = penalty_max = None
        if doc.get("adjustments") is not None and (
            adj := self.obj(doc["adjustments"], "adjustments")
        ):
            bonus_max = self.non_negative(adj, "bonus_max", "adjustments")
            penalty_max = self.non_negative(adj, "penalty_max", "adjustments")
        classification = None
        if doc.get("classification") is not None:
            classification = self.classification(doc["classification"])
        ties = "shared"
        if doc.get("ranking") is not None and (ranking := self.obj(doc["ranking"], "ranking")):
            ties = ranking.get("ties", "shared")
            if ties not in TIE_RULES:
                self.err("ranking.ties", f"cần 'shared' hoặc 'dense', không phải {show(ties)}")
        return CriteriaSet(
            name=name,
            nodes=tuple(nodes),
            rounding=rounding,
            index_rounding=index_rounding,
            survey_max=survey_max,
            bonus_max=bonus_max,
            penalty_max=penalty_max,
            classification=classification,
            ties=ties,
        )

    def rounding(self, value: Any, where: str) -> Rounding:
        if value is None:
            return Rounding()
        obj = self.obj(value, where)
        if obj is None:
            return Rounding()
        mode = obj.get("mode", "half_up")
        places = obj.get("places", 2)
        ok = True
        if mode not in ROUNDING_MODES:
            self.err(f"{where}.mode", f"cần 'truncate' hoặc 'half_up', không phải {show(mode)}")
            ok = False
        # Bounded before int(): a number of 5,000 digits is out of range, not a crash.
        if (
            isinstance(places, Decimal)
            and places.is_finite()
            and abs(places) < 10_000
            and places == places.to_integral_value()
        ):
            places = int(places)
        text = places.strip() if isinstance(places, str) else ""
        if text.isascii() and text.isdigit() and len(text) <= 4:
            places = int(text)
        if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= MAX_PLACES:
            self.err(f"{where}.places", f"cần số nguyên 0..{MAX_PLACES}, không phải {show(places)}")
            ok = False
        return Rounding(mode, places) if ok else Rounding()

    def nodes(self, value: Any) -> list[NodeDef]:
        items = self.array(value, "criteria_set.nodes")
        if value is not None and isinstance(value, list) and not items:
            self.err("criteria_set.nodes", "bộ tiêu chí không có tiêu chí nào")
        if value is None:
            self.err("criteria_set.nodes", "thiếu danh sách tiêu chí")
        nodes: list[NodeDef] = []
        where_of: dict[str, str] = {}
        for i, raw in enumerate(items):
            where = f"criteria_set.nodes[{i}]"
            node = self.obj(raw, where)
            if node is None:
                continue
            code = self.text(node.get("code"), f"{where}.code")
            if code is None:
                continue
            where = f"{where} (node {code})"
            if code in where_of:
                self.err(where, f"mã tiêu chí trùng với {where_of[code]}")
                continue
            where_of[code] = where
            name = self.text(node.get("name", ""), f"{where}.name", required=False) or ""
            max_ = self.number(node.get("max"), f"{where}.max")
            if max_ is not None and max_ <= 0:
                self.err(f"{where}.max", f"điểm tối đa phải lớn hơn 0 ({max_})")
                max_ = None
            parent = node.get("parent")
            if parent is not None and not isinstance(parent, str):
                self.err(f"{where}.parent", f"cần mã tiêu chí cha, không phải {show(parent)}")
                parent = None
            rule = None
            if node.get("rule") is not None:
                rule = self.rule(node["rule"], f"{where}.rule", max_)
            nodes.append(NodeDef(code, name, max_ or ZERO, parent, rule))
        self.tree(nodes, where_of)
        return nodes

    def rule(self, value: Any, where: str, max_: Decimal | None) -> Rule | None:
        obj = self.obj(value, where)
        if obj is None:
            return None
        kind = obj.get("type", "manual")
        if kind not in RULE_TYPES:
            self.err(
                f"{where}.type",
                f"loại quy tắc không hỗ trợ {show(kind)}; cần một trong " + ", ".join(RULE_TYPES),
            )
            return None
        proportional = kind in ("ratio", "percent")
        floor = full_at = per_item = None
        tiers: list[Tier] = []
        for key, allowed in (
            ("floor", proportional),
            ("full_at", proportional),
            ("tiers", kind == "tiers"),
            ("per_item", kind == "deduction"),
        ):
            if obj.get(key) is not None and not allowed:
                self.err(f"{where}.{key}", f"không dùng được với quy tắc {kind!r}")
        if proportional:
            floor = self.fraction(obj, "floor", where)
            full_at = self.fraction(obj, "full_at", where)
            if floor is not None and full_at is not None and floor > full_at:
                self.err(where, f"floor {floor} lớn hơn full_at {full_at}")
        if kind == "tiers":
            raw_tiers = self.array(obj.get("tiers"), f"{where}.tiers")
            if not raw_tiers:
                self.err(f"{where}.tiers", "quy tắc theo mức cần ít nhất một mức")
            for j, raw in enumerate(raw_tiers):
                tier = self.obj(raw, f"{where}.tiers[{j}]")
                if tier is None:
                    continue
                t_min = self.number(tier.get("min"), f"{where}.tiers[{j}].min")
                points = self.number(tier.get("points"), f"{where}.tiers[{j}].points")
                if t_min is not None and t_min.is_signed():
                    self.err(f"{where}.tiers[{j}].min", f"ngưỡng của mức ({t_min}) không được âm")
                    t_min = None
                if points is not None and (
                    points.is_signed() or (max_ is not None and points > max_)
                ):
                    # is_signed: "-0.00" too, which compares equal to 0
                    self.err(
                        f"{where}.tiers[{j}].points",
                        f"điểm của mức ({points}) phải trong khoảng 0..{max_}",
                    )
                elif t_min is not None and points is not None:
                    tiers.append(Tier(t_min, points))
        if kind == "deduction":
            per_item = self.number(obj.get("per_item"), f"{where}.per_item")
            if per_item is not None and per_item <= 0:
                self.err(f"{where}.per_item", f"điểm trừ mỗi lần phải lớn hơn 0 ({per_item})")
        return Rule(kind, floor, full_at, tuple(tiers), per_item)

    def fraction(self, obj: dict[str, Any], key: str, where: str) -> Decimal | None:
        value = self.optional_number(obj, key, where)
        if value is not None and (value.is_signed() or value > 1):
            self.err(f"{where}.{key}", f"cần một tỷ lệ trong khoảng 0..1, không phải {value}")
            return None
        return value

    def tree(self, nodes: list[NodeDef], where_of: dict[str, str]) -> None:
        by_code = {n.code: n for n in nodes}
        children: dict[str, list[NodeDef]] = {}
        for node in nodes:
            if node.parent is None:
                continue
            if node.parent not in by_code:
                self.err(where_of[node.code], f"tiêu chí cha {node.parent!r} không tồn tại")
                continue
            children.setdefault(node.parent, []).append(node)
        # Cycles: follow parents from every node; a chain longer than the tree loops.
        in_cycle: set[str] = set()
        for node in nodes:
            seen = {node.code}
            current = node.parent
            while current is not None and current in by_code and current not in in_cycle:
                if current in seen:
                    in_cycle.update(seen)
                    self.err(
                        where_of[node.code], "cây tiêu chí có vòng lặp (tiêu chí cha lồng nhau)"
                    )
                    break
                seen.add(current)
                current = by_code[current].parent
        if nodes and all(n.parent is not None for n in nodes) and not in_cycle:
            self.err("criteria_set.nodes", "không có lĩnh vực (tiêu chí không có cha) nào")
        for code, kids in children.items():
            parent = by_code[code]
            if parent.rule is not None:
                self.err(
                    f"{where_of[code]}.rule", "tiêu chí có tiêu chí con không có quy tắc chấm riêng"
                )
            total = sum((k.max for k in kids), ZERO)
            if parent.max and all(k.max for k in kids) and total < parent.max:
                self.err(
                    where_of[code],
                    f"tổng điểm tối đa của tiêu chí con ({total}) nhỏ hơn điểm tối đa {parent.max}",
                )
        self._leaf_codes = {n.code for n in nodes if n.code not in children}
        self._nodes = by_code
        if in_cycle:
            self._nodes = {}

    def classification(self, value: Any) -> Classification | None:
        obj = self.obj(value, "classification")
        if obj is None:
            return None
        bands: list[Band] = []
        previous_min: Decimal | None = None
        for i, raw in enumerate(self.array(obj.get("bands"), "classification.bands")):
            where = f"classification.bands[{i}]"
            band = self.obj(raw, where)
            if band is None:
                continue
            label = self.text(band.get("label"), f"{where}.label")
            b_min = self.number(band.get("min"), f"{where}.min")
            exclusive = band.get("min_exclusive", False)
            if not isinstance(exclusive, bool):
                self.err(f"{where}.min_exclusive", f"cần true/false, không phải {show(exclusive)}")
                exclusive = False
            field_min = self.optional_number(band, "field_min", where)
            if field_min is not None and (field_min.is_signed() or field_min > 100):
                self.err(f"{where}.field_min", f"cần phần trăm 0..100, không phải {field_min}")
            if b_min is not None:
                if previous_min is not None and b_min > previous_min:
                    self.err(
                        f"{where}.min",
                        f"các mức phải theo thứ tự min giảm dần ({b_min} > {previous_min})",
                    )
                previous_min = b_min
            if label is not None and b_min is not None:
                bands.append(Band(label, b_min, exclusive, field_min))
        otherwise = self.text(obj.get("otherwise"), "classification.otherwise", required=False)
        return Classification(tuple(bands), otherwise)
