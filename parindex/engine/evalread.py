"""Reading a whole evaluation file (units, scores, self-assessed scores, survey scores,
adjustments, previous results) and the entry points that parse one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.engine.errors import InputError
from parindex.engine.evalcheck import show
from parindex.engine.evalcriteria import CriteriaReader
from parindex.engine.evalfast import scores_fast
from parindex.engine.evaljson import INPUT_FORMAT, load_json
from parindex.engine.model import (
    NOT_APPLICABLE,
    ZERO,
    Adjustment,
    CriteriaSet,
    EvaluationInput,
    PreviousResult,
    Ratio,
    Rule,
    UnitInput,
    Value,
    _NotApplicable,
)
from parindex.engine.rules import check_value


def loads(text: str | bytes) -> EvaluationInput:
    """Parse and validate an evaluation file's text."""
    return parse(load_json(text))


def parse(document: Any) -> EvaluationInput:
    """Validate a decoded evaluation document and build the engine's input."""
    return EvaluationReader().document(document)


def parse_criteria(document: Any) -> CriteriaSet:
    """Validate the criteria part of an evaluation document (``criteria_set``, ``survey``,
    ``adjustments``, ``classification``, ``ranking``); units and scores are ignored."""
    parser = CriteriaReader()
    if not isinstance(document, dict):
        raise InputError(["$: cần một đối tượng JSON"])
    criteria = parser.criteria(document)
    parser.raise_if_problems()
    assert criteria is not None
    return criteria


def parse_previous_results(document: Any) -> dict[str, PreviousResult]:
    """Previous results for comparison, from a ``parindex-results/1`` document or a list of
    ``{"unit", "index", "rank"}`` entries."""
    parser = EvaluationReader()
    entries = document.get("units") if isinstance(document, dict) else document
    previous = parser.previous(entries, "units" if isinstance(document, dict) else "$")
    parser.raise_if_problems()
    return previous


class EvaluationReader(CriteriaReader):
    """The whole document: the criteria, then the unit data checked against them."""

    def document(self, doc: Any) -> EvaluationInput:
        if not isinstance(doc, dict):
            raise InputError(["$: cần một đối tượng JSON"])
        if doc.get("format") != INPUT_FORMAT:
            self.err("format", f"cần {INPUT_FORMAT!r}, không phải {show(doc.get('format'))}")
        criteria = self.criteria(doc)
        units = self.units(doc.get("units"))
        if criteria is None:
            self.raise_if_problems()
        assert criteria is not None
        known_units = {u.code for u in units}
        scores, not_applicable = self.scores(doc.get("scores"), criteria, known_units)
        self_scores: dict[str, dict[str, Value]] | None = None
        self_na: dict[str, frozenset[str]] = {}
        if doc.get("self_scores") is not None:
            self_scores, self_na = self.scores(
                doc["self_scores"], criteria, known_units, key="self_scores"
            )
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
            self_scores=self_scores,
            self_not_applicable=self_na,
        )

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
            self.err(f"{where}.unit", f"cần mã đơn vị, không phải {show(code)}")
            return None
        if code not in known:
            self.err(where, f"đơn vị {code!r} không có trong danh sách units")
            return None
        return code

    def scores(
        self, value: Any, criteria: CriteriaSet, known_units: set[str], *, key: str = "scores"
    ) -> tuple[dict[str, dict[str, Value]], dict[str, frozenset[str]]]:
        """``scores[]`` (or, with ``key``, ``self_scores[]``: the same entries)."""
        if type(value) is list:  # nearly always all valid: the quick pass, else the full one
            fast = scores_fast(value, self._nodes, self._leaf_codes, known_units)
            if fast is not None:
                return fast
        nodes, leaves = self._nodes, self._leaf_codes
        scores: dict[str, dict[str, Value]] = {}
        na: dict[str, set[str]] = {}
        seen: dict[tuple[str, str], int] = {}
        for i, raw in enumerate(self.array(value, key)):
            where = f"{key}[{i}]"
            entry = self.obj(raw, where)
            if entry is None:
                continue
            unit = entry.get("unit")
            code = entry.get("code")
            where = f"{where} (unit {unit}, node {code})"
            unit = self.unit_ref(entry, where, known_units)
            if not isinstance(code, str):
                self.err(where, f"cần mã tiêu chí (code), không phải {show(code)}")
                continue
            if code not in nodes:
                if nodes:
                    self.err(where, f"tiêu chí {code!r} không có trong bộ tiêu chí")
                continue
            if unit is None:
                continue
            if (unit, code) in seen:
                self.err(where, f"điểm bị nhập trùng (đã có ở {key}[{seen[unit, code]}])")
                continue
            seen[unit, code] = i
            is_na = entry.get("not_applicable", False)
            if not isinstance(is_na, bool):
                self.err(f"{where}.not_applicable", f"cần true/false, không phải {show(is_na)}")
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
            self.err(where, f"cần true hoặc false, không phải {show(raw)}")
            return None
        if isinstance(raw, dict) and rule.type in ("ratio", "tiers"):
            b = self.number(raw.get("numerator"), f"{where}.numerator")
            a = self.number(raw.get("denominator"), f"{where}.denominator")
            return Ratio(b, a) if b is not None and a is not None else None
        if rule.type == "ratio":
            self.err(where, f'cần {{"numerator", "denominator"}}, không phải {show(raw)}')
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
                self.err(f"{where}.not_applicable", f"cần true/false, không phải {show(is_na)}")
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
                self.err(f"{where}.rank", f"cần số nguyên dương, không phải {show(rank)}")
                rank = None
            label = self.class_label(entry.get("class"), f"{where}.class")
            if code is not None and index is not None:
                result[code] = PreviousResult(index, rank, label)
        return result

    def class_label(self, value: Any, where: str) -> str | None:
        """An optional class label: a non-empty string, or absent/null."""
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.err(
                where, f"cần tên xếp loại (chuỗi không rỗng) hoặc null, không phải {show(value)}"
            )
            return None
        return value
