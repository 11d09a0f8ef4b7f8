"""The evaluation file (``parindex-evaluation/1``) and the results document
(``parindex-results/1``): parsing with exact, located error messages, and writing.

Parsing never stops at the first problem: it collects one line per problem, each naming
where it is (a JSON path, plus unit and node codes), and raises :class:`InputError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.engine.errors import InputError
from parindex.engine.model import (
    NOT_APPLICABLE,
    ROUNDING_MODES,
    RULE_TYPES,
    SURVEY,
    TIE_RULES,
    ZERO,
    Adjustment,
    Band,
    Classification,
    CriteriaSet,
    EvaluationInput,
    GroupResult,
    NodeDef,
    PreviousResult,
    Ratio,
    Results,
    Rounding,
    Rule,
    Tier,
    UnitInput,
    UnitResult,
    Value,
    _NotApplicable,
)
from parindex.engine.rules import check_value

INPUT_FORMAT = "parindex-evaluation/1"
RESULTS_FORMAT = "parindex-results/1"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
MAX_PLACES = 10
MAX_INTEGER_DIGITS = 30
"""Longest JSON integer literal read (digits, sign excluded). Python's ``int()`` refuses
past 4,300 digits with an error that names no place; no number of an evaluation file comes
near 30 digits. The web imports pass their own limit (``IMPORT_MAX_INTEGER_DIGITS``)."""


# --------------------------------------------------------------------------- reading


def loads(text: str | bytes) -> EvaluationInput:
    """Parse and validate an evaluation file's text."""
    return parse(load_json(text))


def load_json(text: str | bytes, *, max_integer_digits: int = MAX_INTEGER_DIGITS) -> Any:
    """JSON with exact decimals; NaN/Infinity, duplicate keys and integers longer than
    ``max_integer_digits`` digits are refused (the latter with its line and column)."""

    def parse_int(literal: str) -> int:
        if len(literal) - literal.startswith("-") > max_integer_digits:
            raise _LongInteger(literal)
        return int(literal)

    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=parse_int,
            parse_constant=_refuse_constant,
            object_pairs_hook=_no_duplicate_keys,
        )
    except _LongInteger as exc:
        digits = f"{len(exc.literal) - exc.literal.startswith('-'):,}".replace(",", ".")
        raise InputError(
            [
                f"JSON không hợp lệ{_place_of(text, exc.literal)}: số nguyên dài {digits} chữ "
                f"số, tối đa {max_integer_digits} chữ số (ghi số dạng chuỗi thập phân nếu cần)"
            ]
        ) from None
    except InputError:
        raise
    except UnicodeDecodeError as exc:
        raise InputError([f"tệp không phải văn bản UTF-8 hợp lệ: {exc.reason}"]) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            [f"JSON không hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}"]
        ) from exc
    except RecursionError as exc:
        raise InputError(["JSON lồng nhau quá sâu"]) from exc


class _LongInteger(Exception):
    def __init__(self, literal: str) -> None:
        super().__init__(literal[:20])
        self.literal = literal


def _place_of(text: str | bytes, literal: str) -> str:
    """Where the first ``literal`` standing as a JSON value is in ``text``, as
    ``" (dòng L, cột C)"``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    found = re.search(r"(?:^|[\[:,])\s*(" + re.escape(literal) + r")(?![\d.eE])", text)
    if found is None:  # pragma: no cover - the parser has just read it
        return ""
    at = found.start(1)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return f" (dòng {line}, cột {column})"


def _refuse_constant(name: str) -> None:
    raise InputError([f"JSON không hợp lệ: {name} không phải là số"])


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InputError([f"JSON không hợp lệ: khóa {key!r} lặp lại trong một đối tượng"])
        result[key] = value
    return result


def parse(document: Any) -> EvaluationInput:
    """Validate a decoded evaluation document and build the engine's input."""
    return _Parser().document(document)


def parse_criteria(document: Any) -> CriteriaSet:
    """Validate the criteria part of an evaluation document (``criteria_set``, ``survey``,
    ``adjustments``, ``classification``, ``ranking``); units and scores are ignored."""
    parser = _Parser()
    if not isinstance(document, dict):
        raise InputError(["$: cần một đối tượng JSON"])
    criteria = parser.criteria(document)
    parser.raise_if_problems()
    assert criteria is not None
    return criteria


def parse_previous_results(document: Any) -> dict[str, PreviousResult]:
    """Previous results for comparison, from a ``parindex-results/1`` document or a list of
    ``{"unit", "index", "rank"}`` entries."""
    parser = _Parser()
    entries = document.get("units") if isinstance(document, dict) else document
    previous = parser.previous(entries, "units" if isinstance(document, dict) else "$")
    parser.raise_if_problems()
    return previous


class _Parser:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self._nodes: dict[str, NodeDef] = {}
        """Valid nodes by code (empty when the tree is unusable, e.g. a cycle)."""
        self._leaf_codes: set[str] = set()

    def err(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def raise_if_problems(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    # -- primitives

    def number(self, value: Any, where: str) -> Decimal | None:
        if isinstance(value, bool) or value is None:
            self.err(where, f"cần một số, không phải {json.dumps(value)}")
            return None
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, Decimal):
            return value
        if isinstance(value, str) and _NUMBER.match(value.strip()):
            try:
                return Decimal(value.strip())
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                pass
        self.err(where, f"cần một số, không phải {_show(value)}")
        return None

    def optional_number(self, obj: dict[str, Any], key: str, where: str) -> Decimal | None:
        if obj.get(key) is None:
            return None
        return self.number(obj[key], f"{where}.{key}")

    def text(self, value: Any, where: str, *, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.err(where, f"cần một chuỗi không rỗng, không phải {_show(value)}")
            return None
        return value

    def obj(self, value: Any, where: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.err(where, f"cần một đối tượng, không phải {_show(value)}")
            return None
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(where, f"cần một mảng, không phải {_show(value)}")
            return []
        return value

    # -- document

    def document(self, doc: Any) -> EvaluationInput:
        if not isinstance(doc, dict):
            raise InputError(["$: cần một đối tượng JSON"])
        if doc.get("format") != INPUT_FORMAT:
            self.err("format", f"cần {INPUT_FORMAT!r}, không phải {_show(doc.get('format'))}")
        criteria = self.criteria(doc)
        units = self.units(doc.get("units"))
        if criteria is None:
            self.raise_if_problems()
        assert criteria is not None
        known_units = {u.code for u in units}
        scores, not_applicable = self.scores(doc.get("scores"), criteria, known_units)
        survey = self.survey_scores(doc.get("survey_scores"), criteria, known_units)
        adjustments = self.adjustments(doc.get("unit_adjustments"), known_units)
        previous = None
        if doc.get("previous_results") is not None:
            previous = self.previous(doc["previous_results"], "previous_results")
        self.raise_if_problems()
        return EvaluationInput(
            criteria=criteria,
            units=units,
            scores=scores,
            not_applicable=not_applicable,
            survey=survey,
            adjustments=adjustments,
            previous=previous,
        )

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
                self.err("ranking.ties", f"cần 'shared' hoặc 'dense', không phải {_show(ties)}")
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

    def non_negative(self, obj: dict[str, Any], key: str, where: str) -> Decimal | None:
        value = self.optional_number(obj, key, where)
        if value is not None and value.is_signed():  # "-0" too
            self.err(f"{where}.{key}", f"không được âm ({value})")
        return value

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
            self.err(f"{where}.mode", f"cần 'truncate' hoặc 'half_up', không phải {_show(mode)}")
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
            self.err(
                f"{where}.places", f"cần số nguyên 0..{MAX_PLACES}, không phải {_show(places)}"
            )
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
                self.err(f"{where}.parent", f"cần mã tiêu chí cha, không phải {_show(parent)}")
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
                f"loại quy tắc không hỗ trợ {_show(kind)}; cần một trong " + ", ".join(RULE_TYPES),
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
                self.err(f"{where}.min_exclusive", f"cần true/false, không phải {_show(exclusive)}")
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

    def units(self, value: Any) -> list[UnitInput]:
        if value is None:
            self.err("units", "thiếu danh sách đơn vị")
        units: list[UnitInput] = []
        seen: set[str] = set()
        for i, raw in enumerate(self.array(value, "units")):
            where = f"units[{i}]"
            unit = self.obj(raw, where)
            if unit is None:
                continue
            code = self.text(unit.get("code"), f"{where}.code")
            if code is None:
                continue
            where = f"{where} (unit {code})"
            if code in seen:
                self.err(where, "mã đơn vị bị trùng")
                continue
            seen.add(code)
            name = self.text(unit.get("name", code), f"{where}.name", required=False) or code
            group = self.text(unit.get("group"), f"{where}.group")
            if group is not None:
                units.append(UnitInput(code, name, group))
        return units

    def unit_ref(self, entry: dict[str, Any], where: str, known: set[str]) -> str | None:
        code = entry.get("unit")
        if not isinstance(code, str):
            self.err(f"{where}.unit", f"cần mã đơn vị, không phải {_show(code)}")
            return None
        if code not in known:
            self.err(where, f"đơn vị {code!r} không có trong danh sách units")
            return None
        return code

    def scores(
        self, value: Any, criteria: CriteriaSet, known_units: set[str]
    ) -> tuple[dict[str, dict[str, Value]], dict[str, frozenset[str]]]:
        nodes, leaves = self._nodes, self._leaf_codes
        scores: dict[str, dict[str, Value]] = {}
        na: dict[str, set[str]] = {}
        seen: dict[tuple[str, str], int] = {}
        for i, raw in enumerate(self.array(value, "scores")):
            where = f"scores[{i}]"
            entry = self.obj(raw, where)
            if entry is None:
                continue
            unit = entry.get("unit")
            code = entry.get("code")
            where = f"{where} (unit {unit}, node {code})"
            unit = self.unit_ref(entry, where, known_units)
            if not isinstance(code, str):
                self.err(where, f"cần mã tiêu chí (code), không phải {_show(code)}")
                continue
            if code not in nodes:
                if nodes:
                    self.err(where, f"tiêu chí {code!r} không có trong bộ tiêu chí")
                continue
            if unit is None:
                continue
            if (unit, code) in seen:
                self.err(where, f"điểm bị nhập trùng (đã có ở scores[{seen[unit, code]}])")
                continue
            seen[unit, code] = i
            is_na = entry.get("not_applicable", False)
            if not isinstance(is_na, bool):
                self.err(f"{where}.not_applicable", f"cần true/false, không phải {_show(is_na)}")
                continue
            has_value = "value" in entry and entry["value"] is not None
            if is_na:
                if has_value:
                    self.err(where, "không thể vừa có value vừa not_applicable")
                    continue
                na.setdefault(unit, set()).add(code)
                continue
            if not has_value:
                self.err(where, "thiếu value (hoặc not_applicable: true)")
                continue
            if code not in leaves:
                self.err(
                    where,
                    "tiêu chí có tiêu chí con: chỉ được đánh dấu not_applicable, "
                    "điểm được tính từ tiêu chí con",
                )
                continue
            node = nodes[code]
            parsed = self.value(entry["value"], node.rule or Rule(), f"{where}.value")
            if parsed is None:
                continue
            if problem := check_value(node.rule or Rule(), node.max, parsed):
                self.err(where, problem)
                continue
            scores.setdefault(unit, {})[code] = parsed
        return scores, {unit: frozenset(codes) for unit, codes in na.items()}

    def value(self, raw: Any, rule: Rule, where: str) -> Value | None:
        if rule.type == "boolean":
            if isinstance(raw, bool):
                return raw
            self.err(where, f"cần true hoặc false, không phải {_show(raw)}")
            return None
        if isinstance(raw, dict) and rule.type in ("ratio", "tiers"):
            b = self.number(raw.get("numerator"), f"{where}.numerator")
            a = self.number(raw.get("denominator"), f"{where}.denominator")
            return Ratio(b, a) if b is not None and a is not None else None
        if rule.type == "ratio":
            self.err(where, f'cần {{"numerator", "denominator"}}, không phải {_show(raw)}')
            return None
        return self.number(raw, where)

    def survey_scores(
        self, value: Any, criteria: CriteriaSet, known_units: set[str]
    ) -> dict[str, Decimal | _NotApplicable]:
        result: dict[str, Decimal | _NotApplicable] = {}
        items = self.array(value, "survey_scores")
        if items and criteria.survey_max is None:
            self.err("survey_scores", "có điểm khảo sát nhưng tệp không khai báo survey.max")
            return result
        for i, raw in enumerate(items):
            where = f"survey_scores[{i}]"
            entry = self.obj(raw, where)
            if entry is None:
                continue
            where = f"{where} (unit {entry.get('unit')})"
            unit = self.unit_ref(entry, where, known_units)
            if unit is None:
                continue
            if unit in result:
                self.err(where, "điểm khảo sát của đơn vị bị nhập trùng")
                continue
            is_na = entry.get("not_applicable", False)
            if is_na is True:
                if entry.get("points") is not None:
                    self.err(where, "không thể vừa có points vừa not_applicable")
                    continue
                result[unit] = NOT_APPLICABLE
                continue
            if is_na is not False:
                self.err(f"{where}.not_applicable", f"cần true/false, không phải {_show(is_na)}")
                continue
            points = self.number(entry.get("points"), f"{where}.points")
            if points is None:
                continue
            assert criteria.survey_max is not None
            if not ZERO <= points <= criteria.survey_max:
                self.err(where, f"điểm khảo sát {points} nằm ngoài khoảng 0..{criteria.survey_max}")
                continue
            result[unit] = points
        return result

    def adjustments(self, value: Any, known_units: set[str]) -> dict[str, Adjustment]:
        result: dict[str, Adjustment] = {}
        for i, raw in enumerate(self.array(value, "unit_adjustments")):
            where = f"unit_adjustments[{i}]"
            entry = self.obj(raw, where)
            if entry is None:
                continue
            where = f"{where} (unit {entry.get('unit')})"
            unit = self.unit_ref(entry, where, known_units)
            bonus = self.non_negative(entry, "bonus", where)
            penalty = self.non_negative(entry, "penalty", where)
            if unit is None:
                continue
            if unit in result:
                self.err(where, "điểm thưởng/trừ của đơn vị bị nhập trùng")
                continue
            result[unit] = Adjustment(
                bonus if bonus is not None and bonus >= 0 else ZERO,
                penalty if penalty is not None and penalty >= 0 else ZERO,
            )
        return result

    def previous(self, value: Any, where_list: str) -> dict[str, PreviousResult]:
        result: dict[str, PreviousResult] = {}
        for i, raw in enumerate(self.array(value, where_list)):
            where = f"{where_list}[{i}]"
            entry = self.obj(raw, where)
            if entry is None:
                continue
            code = self.text(entry.get("unit"), f"{where}.unit")
            index = self.number(entry.get("index"), f"{where}.index")
            rank = entry.get("rank")
            if isinstance(rank, Decimal) and rank == rank.to_integral_value():
                rank = int(rank)
            if rank is not None and (
                isinstance(rank, bool) or not isinstance(rank, int) or rank < 1
            ):
                self.err(f"{where}.rank", f"cần số nguyên dương, không phải {_show(rank)}")
                rank = None
            if code is not None and index is not None:
                result[code] = PreviousResult(index, rank)
        return result


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------- writing


def fmt(value: Decimal, rounding: Rounding) -> str:
    """A decimal string with exactly ``rounding.places`` digits."""
    return format(rounding.apply(value), "f")


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


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def num(value: Decimal) -> str:
    """A decimal as the file writes it: a plain string without needless trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


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
    scores: list[dict[str, Any]] = []
    for unit in data.units:
        for code in sorted(data.not_applicable.get(unit.code, ()), key=_code_order(data)):
            scores.append({"unit": unit.code, "code": code, "not_applicable": True})
        for code, value in sorted(
            data.scores.get(unit.code, {}).items(), key=lambda kv: _code_order(data)(kv[0])
        ):
            scores.append({"unit": unit.code, "code": code, "value": value_document(value)})
    doc["scores"] = scores
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


def _code_order(data: EvaluationInput) -> Callable[[str], int]:
    order = {node.code: i for i, node in enumerate(data.criteria.nodes)}
    return lambda code: order.get(code, len(order))


__all__ = [
    "INPUT_FORMAT",
    "RESULTS_FORMAT",
    "SURVEY",
    "criteria_document",
    "dumps",
    "input_document",
    "load_json",
    "loads",
    "parse",
    "parse_criteria",
    "parse_previous_results",
    "results_document",
]
